"""The evaluation-meeting report of a period: sentences computed from the figures (Indonesian,
like the programs' own evaluations: "88 aduan, semuanya ditanggapi"), tables per OPD and per
kecamatan, and findings raised from the data, each with its evidence. Rendered as a PDF
(WeasyPrint) and as an XLSX holding the tables behind it.

Aggregate queries only; the result is plain data, cached per Pemda, period and data version.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import number_format

from balai.complaints.evaluation import HANDLED, RESOLVED
from balai.service_requests.models import ServiceRequest
from balai.visits.models import Visit

from .cache import cached
from .indicators import (
    INDICATORS,
    WITHIN_24H,
    Scope,
    complaints_in,
    open_breach_q,
    percent,
)
from .periods import Period
from .routers import reporting_reads
from .selectors import Card

TOP_SERVICES = 5
EVIDENCE_ROWS = 5


@dataclass
class Finding:
    title: str
    evidence: list[str]
    severity: str = "warning"  # warning | info


@dataclass
class Report:
    pemda_name: str
    is_demo: bool
    period: Period
    previous: Period
    generated: str
    sentences: list[tuple[str, str]]  # (program, sentence)
    cards: list[Card]
    per_opd: list[tuple]
    per_area: list[tuple]
    top_services: list[tuple[str, int, int]]
    findings: list[Finding] = field(default_factory=list)


def n(value) -> str:
    """A whole number written the Indonesian way (1.234)."""
    return number_format(value, 0, force_grouping=True, use_l10n=True)


def d(value, places=1) -> str:
    return number_format(value, places, force_grouping=True, use_l10n=True)


def _per_opd(scope, period) -> list[tuple]:
    """OPD, received, handled, responded within 24 h, share, resolved, open past deadline."""
    rows = (
        complaints_in(scope, period)
        .values_list("opd__short_name")
        .annotate(
            received=Count("id"),
            handled=Count("id", filter=HANDLED),
            within=Count("id", filter=WITHIN_24H),
            resolved=Count("id", filter=RESOLVED),
            breaches=Count("id", filter=open_breach_q(scope.now)),
        )
        .order_by("-received", "opd__short_name")
    )
    return [
        (name or "(belum ditentukan)", rec, han, wit, percent(wit, han), res, br)
        for name, rec, han, wit, res, br in rows
    ]


def _per_area(scope, period) -> list[tuple]:
    """Kecamatan, complaints, open past deadline, night-service visits at its offices."""
    period_complaints = complaints_in(scope, period)
    table: dict[str, list[int]] = {}
    for path, level in (("region__parent__name", 4), ("region__name", 3)):
        for name, received, late in (
            period_complaints.filter(region__level=level)
            .values_list(path)
            .annotate(n=Count("id"), late=Count("id", filter=open_breach_q(scope.now)))
            .order_by()
        ):
            row = table.setdefault(name, [0, 0, 0])
            row[0] += received
            row[1] += late
    since, until = scope.bounds(period)
    visits = Visit.objects.filter(
        pemda=scope.pemda, session_kind="night", visited_at__gte=since, visited_at__lt=until
    )
    for path, level in (("point__region__parent__name", 4), ("point__region__name", 3)):
        for name, count in (
            visits.filter(point__region__level=level)
            .values_list(path)
            .annotate(n=Count("id"))
            .order_by()
        ):
            table.setdefault(name, [0, 0, 0])[2] += count
    return sorted(((name, *row) for name, row in table.items()), key=lambda r: (-r[1], r[0]))


def _top_services(scope, period) -> list[tuple[str, int, int]]:
    """The services most in demand: sought at visits, and requested (both in the period)."""
    since, until = scope.bounds(period)
    sought = dict(
        Visit.services.through.objects.filter(
            visit__pemda=scope.pemda, visit__visited_at__gte=since, visit__visited_at__lt=until
        )
        .values_list("service__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    requested = dict(
        ServiceRequest.objects.filter(
            pemda=scope.pemda, submitted_at__gte=since, submitted_at__lt=until
        )
        .values_list("service__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = set(sought) | set(requested)
    ranked = sorted(
        ((name, sought.get(name, 0), requested.get(name, 0)) for name in names),
        key=lambda r: (-(r[1] + r[2]), r[0]),
    )
    return ranked[:TOP_SERVICES]


def _open_breach_codes(scope, period) -> dict[str, list[str]]:
    """Up to five tracking codes per OPD of the open complaints past their deadline."""
    codes: dict[str, list[str]] = {}
    rows = (
        complaints_in(scope, period)
        .filter(open_breach_q(scope.now))
        .order_by("received_at")
        .values_list("opd__short_name", "tracking_code")[:500]
    )
    for opd, code in rows:
        listed = codes.setdefault(opd or "(belum ditentukan)", [])
        if len(listed) < EVIDENCE_ROWS:
            listed.append(code)
    return codes


def _sentences(cards: dict[str, Card], period: Period) -> list[tuple[str, str]]:
    out = []
    received = cards["complaints_received"].current
    within = cards["complaints_within_24h"].current
    median = cards["complaints_median_response"].current
    breaches = cards["complaints_open_breaches"].current
    if received.number:
        channels = ", ".join(f"{n(count)} lewat {name}" for name, count in received.breakdown)
        text = f"{n(received.number)} aduan pada {period.label} ({channels})"
        handled, answered = within.count, median.count
        if handled and within.part == handled:
            text += ", semuanya ditanggapi dalam 24 jam"
        else:
            text += (
                f"; {n(within.part or 0)} dari {n(handled)} aduan yang ditangani "
                f"ditanggapi dalam 24 jam ({d(within.number or 0)}%)"
            )
        if median.number is not None:
            text += f"; median waktu tanggapan pertama {d(median.number)} jam"
        text += f"; {n(answered)} aduan sudah mendapat tanggapan."
        out.append(("Aduan", text))
        if breaches.number:
            worst = breaches.breakdown[0]
            out.append(
                (
                    "Aduan",
                    f"{n(breaches.number)} aduan masih terbuka dan melewati tenggat; "
                    f"terbanyak di {worst[0]} ({n(worst[1])}).",
                )
            )
        else:
            out.append(("Aduan", "Tidak ada aduan terbuka yang melewati tenggat."))
    else:
        out.append(("Aduan", f"Tidak ada aduan pada {period.label}."))
    on_time = cards["requests_on_time"].current
    if on_time.count:
        out.append(
            (
                "Kepastian layanan",
                f"{n(on_time.part)} dari {n(on_time.count)} permohonan selesai tepat waktu "
                f"({d(on_time.number)}%).",
            )
        )
    ikm = cards["ikm"].current
    if ikm.number is not None:
        out.append(
            (
                "Kepastian layanan",
                f"IKM {d(ikm.number, 2)}, mutu {ikm.note}, dari {n(ikm.count)} responden SKM "
                "(bobot 0,11).",
            )
        )
    night = cards["night_uptake"].current
    if night.breakdown or night.number:
        busiest = max(night.breakdown, key=lambda r: (r[1], r[0]), default=None)
        text = f"{n(night.number)} kunjungan layanan malam"
        if busiest and busiest[1]:
            text += f"; terbanyak di {busiest[0]} ({n(busiest[1])})"
        low = [r for r in night.breakdown if r[3] == "Ya"]
        if low:
            text += f"; {n(len(low))} kantor di bawah ambang kunjungan per minggu"
        out.append(("Layanan malam", text + "."))
    for card in cards.values():
        sentence = getattr(card.indicator, "sentence", None)
        if sentence:
            text = sentence(card.current, period)
            if text:
                out.append((str(card.indicator.program_label), text))  # see indicators_outreach
    return out


def _findings(cards: dict[str, Card], codes, top_services, period) -> list[Finding]:
    findings = []
    night = cards["night_uptake"].current
    for name, count, per_week, low in night.breakdown:
        if low == "Ya":
            findings.append(
                Finding(
                    f"Pemanfaatan layanan malam rendah: {name}",
                    [
                        f"{n(count)} kunjungan malam dalam {n(period.days)} hari "
                        f"({d(per_week)} per minggu), di bawah ambang Pemda."
                    ],
                )
            )
    breaches = cards["complaints_open_breaches"].current
    for opd, count in breaches.breakdown:
        findings.append(
            Finding(
                f"Aduan melewati tenggat: {opd}",
                [
                    f"{n(count)} aduan masih terbuka melewati tenggat.",
                    "Contoh kode: " + ", ".join(codes.get(opd, [])),
                ],
            )
        )
    for card in cards.values():
        raise_findings = getattr(card.indicator, "findings", None)
        if raise_findings:
            findings.extend(
                Finding(title, evidence, severity)
                for title, evidence, severity in raise_findings(card.current, period)
            )
    if top_services:
        findings.append(
            Finding(
                "Layanan paling dibutuhkan",
                [
                    f"{name}: {n(sought)} kunjungan, {n(requested)} permohonan"
                    for name, sought, requested in top_services
                ],
                "info",
            )
        )
    return findings


def _build(pemda, period: Period, now) -> Report:
    scope = Scope(pemda=pemda, now=now)
    previous = period.previous()
    with reporting_reads():
        cards = {
            key: Card(i, i.compute(scope, period), i.compute(scope, previous))
            for key, i in INDICATORS.items()
        }
        per_opd = _per_opd(scope, period)
        per_area = _per_area(scope, period)
        top = _top_services(scope, period)
        codes = _open_breach_codes(scope, period)
    return Report(
        pemda_name=pemda.name,
        is_demo=pemda.is_demo,
        period=period,
        previous=previous,
        generated=now.astimezone(scope.tz).strftime("%d-%m-%Y %H:%M"),
        sentences=_sentences(cards, period),
        cards=list(cards.values()),
        per_opd=per_opd,
        per_area=per_area,
        top_services=top,
        findings=_findings(cards, codes, top, period),
    )


def report_build(pemda, period: Period, *, now=None) -> Report:
    now = now or timezone.now()
    return cached(
        pemda.id, f"report:{period.key}:{len(INDICATORS)}", lambda: _build(pemda, period, now)
    )


PER_OPD_HEAD = (
    "OPD",
    "Diterima",
    "Ditangani",
    "Ditanggapi ≤ 24 jam",
    "% ≤ 24 jam",
    "Selesai",
    "Terbuka lewat tenggat",
)
PER_AREA_HEAD = ("Kecamatan", "Aduan", "Terbuka lewat tenggat", "Kunjungan layanan malam")
TOP_HEAD = ("Layanan", "Dicari saat kunjungan", "Permohonan")


def report_pdf(report: Report, present) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("evaluation/report_pdf.html", {"r": report, "cards": present})
    return HTML(string=html).write_pdf()


def report_xlsx(report: Report, present) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Ringkasan"
    sheet.append([f"Bahan rapat evaluasi {report.pemda_name}, {report.period.label}"])
    sheet["A1"].font = Font(bold=True, size=13)
    if report.is_demo:
        sheet.append(["Data demo (simulasi), bukan data sebenarnya."])
    sheet.append([f"Dibuat {report.generated}; pembanding: {report.previous.label}"])
    sheet.append([])
    for program, sentence in report.sentences:
        sheet.append([program, sentence])
    sheet.append([])
    sheet.append(["Indikator", report.period.label, report.previous.label, "Jumlah data"])
    for card in present:
        sheet.append(
            [
                str(card["label"]),
                card["card"].current.number,
                card["card"].previous.number,
                card["card"].current.count,
            ]
        )
    tables = [
        ("Per OPD", PER_OPD_HEAD, report.per_opd),
        ("Per kecamatan", PER_AREA_HEAD, report.per_area),
        ("Layanan dibutuhkan", TOP_HEAD, report.top_services),
        (
            "Temuan",
            ("Temuan", "Bukti"),
            [(f.title, " | ".join(f.evidence)) for f in report.findings],
        ),
    ]
    for card in report.cards:
        if card.current.breakdown:
            tables.append(
                (
                    card.indicator.id[:31],
                    tuple(str(h) for h in card.indicator.breakdown_columns),
                    card.current.breakdown,
                )
            )
    for title, head, rows in tables:
        ws = book.create_sheet(title[:31])
        ws.append(list(head))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(
                [v if isinstance(v, int | float | str) or v is None else float(v) for v in row]
            )
    for ws in book.worksheets:
        for index in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(index)].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
