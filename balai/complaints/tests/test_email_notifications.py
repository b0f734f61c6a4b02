"""E-mail notifications: staff escalations and the reporter's e-mail (Bahasa Indonesia)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from balai.complaints import services as svc
from balai.complaints.choices import Channel

WITA = ZoneInfo("Asia/Makassar")
REPORTER = {
    "reporter_name": "Ni Luh Sukadani",
    "reporter_phone": "+6281337001122",
    "reporter_email": "niluh.sukadani@contoh.id",
}


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the block deferred to commit (the e-mails), as production would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def submitted(pemda, commit, *, channel=Channel.PORTAL):
    with commit():
        return svc.complaint_submit(
            pemda=pemda,
            channel=channel,
            description="Jalan berlubang di depan Pasar Kidul",
            **REPORTER,
        )


def verified(complaint, staff, category, commit, *, anonymous):
    with commit():
        return svc.complaint_verify(
            complaint=complaint,
            actor=staff["operator"],
            category=category,
            is_secret=True,
            is_anonymous=anonymous,
        )


def assert_no_reporter_identity(message):
    text = f"{message.subject}\n{message.body}"
    for value in REPORTER.values():
        assert value not in text
    assert "Sukadani" not in text and "081337001122" not in text


def test_escalation_emails_to_opd_staff_are_indonesian_and_keep_an_anonim_reporter_hidden(
    bangli, categories, staff, commit
):
    with time_machine.travel(wita(2025, 1, 6, 8, 0), tick=False):
        complaint = submitted(bangli, commit)
        complaint = verified(complaint, staff, categories["jalan"], commit, anonymous=True)
    code = complaint.tracking_code
    assert complaint.is_anonymous and complaint.reporter_name == REPORTER["reporter_name"]
    (assigned,) = mail.outbox  # the OPD staff hear of the new complaint
    assert assigned.to == ["trc@bangli.test"]
    assert assigned.body == f"Aduan baru {code} untuk PUPR Perkim."
    assert_no_reporter_identity(assigned)
    mail.outbox.clear()

    # Response due 7 January 08.00: warned at 04.00, breach at 08.00, leadership a day later.
    with time_machine.travel(wita(2025, 1, 7, 4, 0), tick=False), commit():
        svc.complaints_sweep()
    (warn,) = mail.outbox
    assert warn.to == ["trc@bangli.test"]
    assert warn.subject == warn.body == f"Aduan {code}: tenggat tanggapan sudah dekat."
    with time_machine.travel(wita(2025, 1, 7, 8, 0), tick=False), commit():
        svc.complaints_sweep()
    with time_machine.travel(wita(2025, 1, 8, 8, 0), tick=False), commit():
        svc.complaints_sweep()
        svc.complaints_sweep()  # a second sweep sends nothing more
    warn, breach, leadership = mail.outbox
    assert breach.to == ["kepala@bangli.test"]
    assert breach.body == f"Aduan {code} melewati tenggat tanggapan."
    assert leadership.to == ["bupati@bangli.test"]
    assert leadership.body == f"Aduan {code} masih melewati tenggat (tanggapan)."
    for message in mail.outbox:
        assert_no_reporter_identity(message)


def test_the_reporter_gets_indonesian_e_mails_with_the_tracking_code(
    bangli, categories, staff, commit
):
    with time_machine.travel(wita(2025, 2, 3, 9, 0), tick=False):
        complaint = submitted(bangli, commit)
        complaint = verified(complaint, staff, categories["jalan"], commit, anonymous=True)
        mail.outbox.clear()
        with commit():
            svc.complaint_respond(
                complaint=complaint, actor=staff["trc"], text="Tim kami menuju lokasi hari ini."
            )
    code = complaint.tracking_code
    (response,) = mail.outbox
    assert response.to == [REPORTER["reporter_email"]]  # the reporter's e-mail branch
    assert response.subject == f"[{bangli.name}] {code}"
    assert response.body == (
        f"Aduan {code}\nTim kami menuju lokasi hari ini.\n"
        f"Balas 'cek {code}' untuk melihat statusnya."
    )
    mail.outbox.clear()

    with time_machine.travel(wita(2025, 2, 4, 9, 0), tick=False):
        with commit():
            svc.complaint_resolve(
                complaint=complaint,
                actor=staff["trc"],
                actions="Lubang sudah ditambal.",
                done_on=dt.date(2025, 2, 4),
            )
        staff_messages = list(mail.outbox)  # the OPD head is asked to approve
        mail.outbox.clear()
        with commit():
            svc.complaint_approve(complaint=complaint, actor=staff["head"])
    (head,) = staff_messages
    assert head.to == ["kepala@bangli.test"]
    assert head.body == f"Laporan penanganan {code} menunggu persetujuan Anda."
    assert_no_reporter_identity(head)
    (approved,) = mail.outbox
    assert approved.to == [REPORTER["reporter_email"]]
    assert approved.body.splitlines() == [
        f"Aduan {code}",
        "Aduan Anda sudah selesai ditangani: Lubang sudah ditambal.",
        f"Balas 'cek {code}' untuk melihat statusnya.",
    ]


def test_no_e_mail_when_the_reporter_left_no_address(bangli, categories, staff, commit):
    with time_machine.travel(wita(2025, 2, 3, 9, 0), tick=False):
        with commit():
            complaint = svc.complaint_submit(
                pemda=bangli, channel=Channel.PHONE, description="Lampu jalan mati"
            )
        complaint = verified(complaint, staff, categories["jalan"], commit, anonymous=False)
        mail.outbox.clear()
        with commit():
            svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Diterima.")
    assert mail.outbox == []
