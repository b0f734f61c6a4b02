"""Staff and reporter notifications are in Bahasa Indonesia whatever language the actor uses.

An operator who switched the staff pages to English must still send Indonesian e-mails to the
OPD staff and Indonesian WhatsApp messages and e-mails to the reporter.
"""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from balai.complaints import services as svc
from balai.complaints.choices import Channel
from balai.complaints.models import Notification
from balai.messaging.models import OutboundMessage

WITA = ZoneInfo("Asia/Makassar")


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def english(commit):
    """Run a step as an actor whose interface is in English; the on-commit work (the e-mails and
    messages) runs in the same language, as it does in the request."""

    @contextmanager
    def run():
        with translation.override("en"), commit():
            assert translation.get_language() == "en"
            yield

    return run


def submit(pemda, commit, **kwargs):
    with commit():
        return svc.complaint_submit(
            pemda=pemda, description="Jalan berlubang di depan Pasar Kidul", **kwargs
        )


def test_staff_e_mails_are_indonesian_when_the_operator_uses_english(
    bangli, categories, staff, english, commit
):
    with time_machine.travel(wita(2025, 1, 6, 8, 0), tick=False):
        complaint = submit(bangli, commit, channel=Channel.PHONE)
        with english():
            svc.complaint_verify(
                complaint=complaint,
                actor=staff["operator"],
                category=categories["jalan"],
                is_secret=True,
                is_anonymous=True,
            )
    code = complaint.tracking_code
    (assigned,) = mail.outbox
    assert assigned.to == ["trc@bangli.test"]
    assert assigned.subject == assigned.body == f"Aduan baru {code} untuk PUPR Perkim."
    assert Notification.objects.get(kind="assigned").text == assigned.body
    mail.outbox.clear()

    # The sweep run from a shell in English: the escalation e-mails stay Indonesian.
    with time_machine.travel(wita(2025, 1, 7, 8, 0), tick=False), english():
        svc.complaints_sweep()
    warn, breach = mail.outbox
    assert warn.body == f"Aduan {code}: tenggat tanggapan sudah dekat."
    assert breach.body == f"Aduan {code} melewati tenggat tanggapan."
    mail.outbox.clear()

    with time_machine.travel(wita(2025, 1, 7, 9, 0), tick=False):
        with english():
            svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Ditinjau.")
        with english():
            svc.complaint_resolve(
                complaint=complaint,
                actor=staff["trc"],
                actions="Lubang sudah ditambal.",
                done_on=dt.date(2025, 1, 7),
            )
        (approval,) = mail.outbox
        assert approval.to == ["kepala@bangli.test"]
        assert approval.subject == approval.body
        assert approval.body == f"Laporan penanganan {code} menunggu persetujuan Anda."
        with english():
            svc.complaint_approve(complaint=complaint, actor=staff["head"])
    mail.outbox.clear()

    with time_machine.travel(wita(2025, 1, 9, 9, 0), tick=False), english():
        svc.complaint_reopen(complaint=complaint, reason="Lubang muncul lagi.")
    (reopened,) = mail.outbox
    assert reopened.body == f"Aduan {code} dibuka kembali oleh pelapor."
    assert translation.get_language() != "en"  # the test left no language behind


def test_reporter_messages_are_indonesian_when_the_staff_uses_english(
    bangli, categories, staff, english, commit
):
    with time_machine.travel(wita(2025, 2, 3, 9, 0), tick=False):
        by_mail = submit(bangli, commit, channel=Channel.PORTAL, reporter_email="niluh@contoh.id")
        by_whatsapp = submit(
            bangli, commit, channel=Channel.WHATSAPP, reporter_channel_id="6281337001122"
        )
        spam = submit(bangli, commit, channel=Channel.PORTAL, reporter_email="spam@contoh.id")
        for complaint in (by_mail, by_whatsapp):
            with english():
                svc.complaint_verify(
                    complaint=complaint,
                    actor=staff["operator"],
                    category=categories["jalan"],
                    is_secret=True,
                    is_anonymous=True,
                )
            with english():
                svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Diterima.")
        mail.outbox.clear()
        with english():
            svc.complaint_reject(complaint=spam, actor=staff["operator"], reason="not_complaint")
        for complaint in (by_mail, by_whatsapp):
            with english():
                svc.complaint_pause(
                    complaint=complaint,
                    actor=staff["trc"],
                    reason="procurement",
                    expected_until=dt.date(2025, 3, 20),
                )

    rejected, paused = mail.outbox
    assert rejected.to == ["spam@contoh.id"]
    assert rejected.body.splitlines()[1] == "Laporan Anda tidak diproses: bukan aduan."
    assert paused.to == ["niluh@contoh.id"]
    code = by_mail.tracking_code
    assert paused.body.splitlines() == [
        f"Aduan {code}",
        "Penanganan ditunda (menunggu pengadaan) sampai sekitar 20 Maret 2025.",
        f"Balas 'cek {code}' untuk melihat statusnya.",
    ]
    whatsapp = list(
        OutboundMessage.objects.filter(recipient="6281337001122")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    code = by_whatsapp.tracking_code
    assert whatsapp[-1].splitlines() == [
        f"Aduan {code}",
        "Penanganan ditunda (menunggu pengadaan) sampai sekitar 20 Maret 2025.",
        f"Balas 'cek {code}' untuk melihat statusnya.",
    ]
    assert all(text.startswith(f"Aduan {code}\n") for text in whatsapp)
