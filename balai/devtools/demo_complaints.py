"""Simulated complaints for Kabupaten Bangli's 24-hour program (demo data, fixed seed).

About two months of complaints: more WhatsApp and Facebook than phone, most answered within
24 hours, roads and health waiting on procurement or budget, a few breaches, and a few recent
ones so the clocks are live. Every step goes through the real services at its simulated time.
"""

from __future__ import annotations

import datetime as dt
import random

import time_machine
from django.utils import timezone

from balai.accounts.choices import Role
from balai.accounts.models import User
from balai.complaints import services as svc
from balai.complaints.models import Category, Complaint, RoutingRule
from balai.organizations.models import OPD, Pemda
from balai.regions.models import Region

CATEGORIES = [
    # code, name, OPD short name, weight, resolution working days, emergency
    ("jalan", "Jalan dan jembatan rusak", "PUPR Perkim", 30, 10, False),
    ("air-minum", "Air minum mati atau bocor", "PDAM", 18, 3, False),
    ("sampah", "Sampah dan kebersihan", "DLH", 15, 5, False),
    ("lalu-lintas", "Lalu lintas dan penerangan jalan", "Dishub", 10, 5, False),
    ("kesehatan", "Layanan kesehatan", "Dinkes", 8, 5, False),
    ("kesehatan-darurat", "Kedaruratan kesehatan", "Dinkes", 2, 1, True),
    ("adminduk", "KTP, KK dan akta", "Disdukcapil", 9, 5, False),
    ("bansos", "Bantuan sosial", "Dinsos", 6, 10, False),
]

TEXTS = {
    "jalan": [
        "Jalan desa berlubang dan membahayakan pengendara",
        "Jembatan kecil retak setelah hujan deras",
        "Aspal terkelupas di tikungan dekat sekolah",
    ],
    "air-minum": [
        "Air PDAM tidak mengalir sejak kemarin",
        "Pipa bocor di pinggir jalan, air terbuang",
        "Air keruh dan berbau",
    ],
    "sampah": [
        "Sampah menumpuk di dekat pasar belum diangkut",
        "Tempat sampah umum penuh dan berserakan",
    ],
    "lalu-lintas": [
        "Lampu penerangan jalan mati sepanjang ruas jalan",
        "Rambu lalu lintas roboh di persimpangan",
    ],
    "kesehatan": [
        "Antrean puskesmas sangat panjang, mohon penambahan petugas",
        "Obat di puskesmas pembantu sering kosong",
    ],
    "kesehatan-darurat": ["Warga membutuhkan ambulans untuk rujukan"],
    "adminduk": [
        "KTP elektronik belum jadi setelah sebulan",
        "Mohon informasi syarat pembuatan akta kelahiran",
    ],
    "bansos": ["Bantuan sosial belum diterima padahal terdaftar"],
}

NAMES = ["Made", "Nyoman", "Ketut", "Wayan", "Komang", "Putu", "Gede", "Luh", "Kadek", "Ayu"]
CHANNELS = [("whatsapp", 45), ("messenger", 12), ("phone", 38), ("portal", 5)]


def _pick(rng: random.Random, weighted):
    return rng.choices([w[0] for w in weighted], weights=[w[-1] for w in weighted])[0]


def demo_bangli_categories(pemda: Pemda) -> dict[str, Category]:
    opds = {o.short_name: o for o in OPD.objects.filter(pemda=pemda)}
    categories = {}
    for code, name, opd, _weight, days, emergency in CATEGORIES:
        categories[code], _ = Category.objects.get_or_create(
            pemda=pemda,
            code=code,
            defaults={
                "name": name,
                "default_opd": opds[opd],
                "resolution_working_days": days,
                "is_emergency": emergency,
                "response_hours": 24,
            },
        )
    kintamani = Region.objects.get(code="51.06.04")
    RoutingRule.objects.get_or_create(
        pemda=pemda,
        category=categories["sampah"],
        region=kintamani,
        defaults={"opd": opds["Kec. Kintamani"]},
    )
    return categories


def demo_bangli_complaints(
    pemda: Pemda, rng: random.Random, *, today: dt.date | None = None
) -> int:
    """Create the simulated complaints once; returns how many were created (0 when present)."""
    if Complaint.objects.filter(pemda=pemda).exists():
        return 0
    categories = demo_bangli_categories(pemda)
    operator = User.objects.get(username="bangli.operator")
    head_by_opd = {}
    trc_by_opd = {}
    for opd in OPD.objects.filter(pemda=pemda):
        head_by_opd[opd.pk], trc_by_opd[opd.pk] = _opd_staff(pemda, opd)
    villages = list(Region.objects.filter(code__startswith="51.06.", level=4).order_by("code"))
    tz = timezone.get_fixed_timezone(8 * 60)
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=61)
    weights = [(c[0], c[3]) for c in CATEGORIES]
    created = 0
    for n in range(92):
        recent = n >= 88
        day = today if recent else start + dt.timedelta(days=int(n * 60 / 88))
        hour = (
            rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 20, 21]) if not recent else 7 + n - 88
        )
        received = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tz)
        if received > timezone.now():
            received = timezone.now() - dt.timedelta(hours=92 - n)
        code = _pick(rng, weights)
        channel = _pick(rng, CHANNELS)
        village = rng.choice(villages)
        with time_machine.travel(received, tick=False):
            complaint = svc.complaint_submit(
                pemda=pemda,
                channel=channel,
                description=rng.choice(TEXTS[code]) + f" ({village.name}).",
                actor=operator if channel == "phone" else None,
                reporter_name=rng.choice(NAMES),
                reporter_phone=f"+62812{rng.randrange(10**7, 10**8)}",
                reporter_channel_id=f"62812{rng.randrange(10**7, 10**8)}"
                if channel == "whatsapp"
                else (str(rng.randrange(10**15, 10**16)) if channel == "messenger" else ""),
                region=village,
            )
        created += 1
        _advance(
            complaint, categories[code], received, rng, operator, head_by_opd, trc_by_opd, recent
        )
    return created


def _opd_staff(pemda, opd):
    head = User.objects.filter(
        memberships__pemda=pemda, memberships__opd=opd, memberships__role=Role.OPD_HEAD
    ).first()
    trc = User.objects.filter(
        memberships__pemda=pemda, memberships__opd=opd, memberships__role=Role.OPD_STAFF
    ).first()
    return head, trc


def _advance(complaint, category, received, rng, operator, heads, trcs, recent) -> None:
    """Walk a complaint through the workflow at simulated times."""
    if recent and rng.random() < 0.5:
        return  # still waiting for verification: the clock runs in the demo
    at = received + dt.timedelta(minutes=rng.randint(10, 90))
    with time_machine.travel(at, tick=False):
        if rng.random() < 0.04:
            svc.complaint_reject(
                complaint=complaint, actor=operator, reason="not_complaint", note="Bukan pengaduan."
            )
            return
        complaint = svc.complaint_verify(
            complaint=complaint,
            actor=operator,
            category=category,
            is_secret=rng.random() < 0.3,
            is_anonymous=rng.random() < 0.2,
        )
    if recent:
        return
    opd = complaint.opd
    trc = trcs.get(opd.pk) or operator
    head = heads.get(opd.pk) or operator
    late = rng.random() < 0.08
    at = received + dt.timedelta(hours=rng.uniform(26, 40) if late else rng.uniform(1, 20))
    with time_machine.travel(at, tick=False):
        svc.complaints_sweep()
        svc.complaint_respond(
            complaint=complaint, actor=trc, text="Laporan diterima, petugas akan meninjau lokasi."
        )
    if category.code in ("jalan", "kesehatan") and rng.random() < 0.35:
        at += dt.timedelta(days=1)
        with time_machine.travel(at, tick=False):
            reason = "procurement" if category.code == "jalan" else "budget"
            svc.complaint_pause(
                complaint=complaint,
                actor=trc,
                reason=reason,
                expected_until=(at + dt.timedelta(days=45)).date(),
                note="Menunggu proses pengadaan."
                if reason == "procurement"
                else "Menunggu anggaran.",
            )
        return
    if rng.random() < 0.15:
        return  # still being handled
    at += dt.timedelta(days=rng.uniform(0.5, 4))
    with time_machine.travel(at, tick=False):
        svc.complaint_resolve(
            complaint=complaint, actor=trc, actions="Sudah ditangani di lokasi.", done_on=at.date()
        )
    if rng.random() < 0.2:
        return  # awaiting the OPD head
    at += dt.timedelta(hours=rng.uniform(2, 30))
    with time_machine.travel(at, tick=False):
        svc.complaint_approve(complaint=complaint, actor=head)
