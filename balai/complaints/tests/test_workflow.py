"""The complaint workflow, its two clocks and the escalation ladder (time moved by time-machine)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from PIL import Image

from balai.complaints import services as svc
from balai.complaints.choices import Channel, EventKind, Status
from balai.complaints.clocks import complaint_settings, durations
from balai.complaints.models import CODE_ALPHABET, Attachment, Escalation, Notification
from balai.core.models import AuditLog
from balai.organizations.selectors import pemda_calendar
from balai.regions.models import Region

WITA = ZoneInfo("Asia/Makassar")


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


def submit(pemda, **kwargs):
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Jalan berlubang di depan pasar")
    return svc.complaint_submit(pemda=pemda, **kwargs)


def verify(complaint, staff, category, **kwargs):
    return svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=category,
        is_secret=False,
        is_anonymous=False,
        **kwargs,
    )


def test_submit_gives_a_readable_code_and_starts_the_24_hour_clock(bangli):
    with time_machine.travel(wita(2025, 3, 28, 20, 0), tick=False):
        complaint = submit(bangli, reporter_name="Made", reporter_phone="+6281234567890")
    code = complaint.tracking_code
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    # Nyepi cuti bersama and the weekend do not stop the 24-hour clock.
    assert complaint.response_due_at == wita(2025, 3, 29, 20, 0)
    assert complaint.status == Status.RECEIVED
    assert complaint.is_secret and complaint.is_anonymous  # private by default
    assert complaint.events.get().kind == EventKind.RECEIVED
    assert AuditLog.objects.filter(action="complaint.submit", pemda=bangli).count() == 1


def test_empty_description_changes_nothing(bangli):
    with pytest.raises(ValidationError):
        submit(bangli, description="   ")
    assert not bangli.complaints.exists()


def test_emergency_is_due_the_same_day(bangli, categories):
    with time_machine.travel(wita(2025, 5, 6, 9, 0), tick=False):
        complaint = submit(bangli, category=categories["darurat"])
    assert complaint.response_due_at == wita(2025, 5, 7, 0, 0)
    with time_machine.travel(wita(2025, 5, 6, 22, 30), tick=False):
        late = submit(bangli, category=categories["darurat"])
    assert late.response_due_at == wita(2025, 5, 7, 2, 30)  # never sooner than 4 hours


def test_verification_must_choose_confidentiality(bangli, categories, staff):
    complaint = submit(bangli)
    with pytest.raises(TypeError):
        svc.complaint_verify(
            complaint=complaint, actor=staff["operator"], category=categories["jalan"]
        )  # type: ignore[call-arg]


def test_resolution_in_working_days_across_idul_fitri(bangli, categories, staff):
    with time_machine.travel(wita(2025, 3, 27, 10, 0), tick=False):
        complaint = verify(submit(bangli), staff, categories["air"])
    # 3 working days after Thursday 27 March: Nyepi, Idul Fitri and cuti bersama are skipped.
    assert complaint.resolution_due_at == wita(2025, 4, 10, 16, 0)
    assert complaint.opd.short_name == "PDAM"
    assert complaint.status == Status.ASSIGNED


def test_routing_by_category_and_area_with_reassignment_history(bangli, categories, staff, opd):
    kintamani = Region.objects.filter(parent_id="51.06.04").first()
    routed = verify(submit(bangli, region=kintamani), staff, categories["jalan"])
    assert routed.opd.short_name == "Kec. Kintamani"
    elsewhere = verify(
        submit(bangli, region=Region.objects.get(code="51.06.01")), staff, categories["jalan"]
    )
    assert elsewhere.opd.short_name == "PUPR Perkim"
    svc.complaint_assign(
        complaint=elsewhere, actor=staff["operator"], opd=opd["PDAM"], note="Pipa bocor"
    )
    moves = [
        (e.data["from"], e.data["to"]) for e in elsewhere.events.filter(kind=EventKind.ASSIGNED)
    ]
    assert moves == [(None, "PUPR Perkim"), ("PUPR Perkim", "PDAM")]


def test_a_step_not_allowed_from_the_status_changes_nothing(bangli, staff):
    complaint = submit(bangli)
    with pytest.raises(ValidationError):
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Sudah dicek")
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.first_response_at is None


def test_pause_needs_reason_and_date_and_moves_the_resolution_deadline(bangli, categories, staff):
    with time_machine.travel(wita(2025, 6, 2, 8, 0), tick=False):  # Monday
        complaint = verify(submit(bangli), staff, categories["jalan"])
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Akan kami tinjau")
    due_before = complaint.__class__.objects.get(pk=complaint.pk).resolution_due_at
    with time_machine.travel(wita(2025, 6, 3, 9, 0), tick=False):
        with pytest.raises(ValidationError):
            svc.complaint_pause(
                complaint=complaint,
                actor=staff["trc"],
                reason="",
                expected_until=dt.date(2025, 7, 1),
            )
        with pytest.raises(ValidationError):
            svc.complaint_pause(
                complaint=complaint,
                actor=staff["trc"],
                reason="procurement",
                expected_until=dt.date(2025, 6, 1),
            )
        svc.complaint_pause(
            complaint=complaint,
            actor=staff["trc"],
            reason="procurement",
            expected_until=dt.date(2025, 7, 1),
        )
    # Paused from Tuesday 09.00 to Thursday 09.00: 15 working hours (7.5 a day).
    with time_machine.travel(wita(2025, 6, 5, 9, 0), tick=False):
        resumed = svc.complaint_resume(complaint=complaint, actor=staff["trc"])
    cal_hours = resumed.pemda and 15

    assert resumed.resolution_due_at == pemda_calendar(bangli).add_working_hours(
        due_before, cal_hours
    )
    assert resumed.status == Status.IN_PROGRESS
    assert resumed.paused_seconds == 48 * 3600
    with time_machine.travel(wita(2025, 6, 6, 9, 0), tick=False):
        svc.complaint_resolve(
            complaint=resumed,
            actor=staff["trc"],
            actions="Jalan ditambal",
            done_on=dt.date(2025, 6, 6),
        )
    resumed.refresh_from_db()
    spent = durations(resumed, now=wita(2025, 6, 6, 9, 0))
    assert spent["resolution_hours_raw"] == 4 * 24 + 1
    assert spent["resolution_hours_net"] == 4 * 24 + 1 - 48
    assert spent["response_hours"] == 0


def test_escalation_ladder_fires_each_step_exactly_once(bangli, categories, staff):
    with time_machine.travel(wita(2025, 3, 28, 20, 0), tick=False):  # Friday evening, cuti bersama
        complaint = verify(submit(bangli), staff, categories["jalan"])
    assert complaint.opd.short_name == "PUPR Perkim"

    def run(at):
        with time_machine.travel(at, tick=False):
            fired = svc.complaint_escalate(complaint=complaint)
            svc.complaints_sweep()  # reconciling at the same time changes nothing
            svc.complaint_escalate(complaint=complaint)
            return fired

    assert run(wita(2025, 3, 29, 15, 59)) == []
    assert run(wita(2025, 3, 29, 16, 0)) == ["response:warn"]
    assert run(wita(2025, 3, 29, 19, 0)) == []
    assert run(wita(2025, 3, 29, 20, 0)) == ["response:breach"]
    assert run(wita(2025, 3, 30, 20, 0)) == ["response:leadership"]
    assert run(wita(2025, 4, 2, 8, 0)) == []
    assert Escalation.objects.filter(complaint=complaint).count() == 3

    def notes(user):
        return list(
            Notification.objects.filter(user=user)
            .exclude(kind="assigned")
            .values_list("kind", flat=True)
        )

    assert notes(staff["trc"]) == ["warn"]
    assert notes(staff["head"]) == ["breach"]
    assert notes(staff["leader"]) == ["leadership"]
    assert notes(staff["pdam"]) == []


def test_sweep_catches_a_missed_step_once(bangli, categories, staff):
    with time_machine.travel(wita(2025, 1, 6, 8, 0), tick=False):
        complaint = verify(submit(bangli), staff, categories["jalan"])
    with time_machine.travel(wita(2025, 1, 10, 8, 0), tick=False):
        first = svc.complaints_sweep()
        second = svc.complaints_sweep()
    assert first["escalations"] == 3 and second["escalations"] == 0
    assert complaint.escalations.count() == 3


def test_responding_stops_the_response_clock(bangli, categories, staff):
    with time_machine.travel(wita(2025, 1, 6, 8, 0), tick=False):
        complaint = verify(submit(bangli), staff, categories["jalan"])
    with time_machine.travel(wita(2025, 1, 6, 12, 0), tick=False):
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Tim menuju lokasi")
    with time_machine.travel(wita(2025, 1, 8, 8, 0), tick=False):
        assert (
            svc.complaint_escalate(complaint=complaint) == []
        )  # resolution due in 10 working days
    complaint.refresh_from_db()
    assert complaint.first_response_at == wita(2025, 1, 6, 12, 0)
    assert durations(complaint, wita(2025, 1, 8))["response_hours"] == 4


def test_full_path_to_closing_and_reopen_window(bangli, categories, staff):
    with time_machine.travel(wita(2025, 2, 3, 9, 0), tick=False):
        complaint = verify(submit(bangli), staff, categories["jalan"])
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Diterima")
        svc.complaint_note(complaint=complaint, actor=staff["trc"], text="Butuh alat berat")
        svc.complaint_resolve(
            complaint=complaint, actor=staff["trc"], actions="Ditambal", done_on=dt.date(2025, 2, 3)
        )
        svc.complaint_return(complaint=complaint, actor=staff["head"], note="Foto belum ada")
        svc.complaint_resolve(
            complaint=complaint,
            actor=staff["trc"],
            actions="Ditambal, foto terlampir",
            done_on=dt.date(2025, 2, 3),
        )
        svc.complaint_approve(complaint=complaint, actor=staff["head"])
    complaint.refresh_from_db()
    assert complaint.status == Status.APPROVED
    with time_machine.travel(wita(2025, 2, 5, 9, 0), tick=False):
        svc.complaint_reopen(complaint=complaint, reason="Lubang muncul lagi")
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    with time_machine.travel(wita(2025, 2, 6, 9, 0), tick=False):
        svc.complaint_resolve(
            complaint=complaint,
            actor=staff["trc"],
            actions="Diaspal ulang",
            done_on=dt.date(2025, 2, 6),
        )
        svc.complaint_approve(complaint=complaint, actor=staff["head"])
    window = complaint_settings(bangli).reopen_days
    with time_machine.travel(wita(2025, 2, 6, 10, 0) + dt.timedelta(days=window), tick=False):
        with pytest.raises(ValidationError):
            svc.complaint_reopen(complaint=complaint, reason="Masih rusak")
        assert svc.complaints_sweep()["closed"] == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    svc.complaint_rate(complaint=complaint, score=4, comment="Cepat")
    with pytest.raises(ValidationError):
        svc.complaint_rate(complaint=complaint, score=5)
    public = list(complaint.events.filter(is_public=True).values_list("kind", flat=True))
    assert EventKind.NOTE not in public and EventKind.RETURNED not in public


def test_reject_duplicate_needs_the_original(bangli, staff):
    original = submit(bangli)
    copy = submit(bangli)
    with pytest.raises(ValidationError):
        svc.complaint_reject(complaint=copy, actor=staff["operator"], reason="duplicate")
    svc.complaint_reject(
        complaint=copy, actor=staff["operator"], reason="duplicate", duplicate_of=original
    )
    copy.refresh_from_db()
    assert copy.status == Status.REJECTED and copy.duplicate_of == original


def test_forward_to_another_pemda_creates_its_complaint(bangli, staff, bontang):
    complaint = submit(bangli, reporter_name="Ketut")
    new = svc.complaint_forward(
        complaint=complaint, actor=staff["operator"], note="Lokasi di Bontang", to_pemda=bontang
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.FORWARDED and complaint.forwarded_to == bontang.name
    assert new.pemda == bontang and new.reporter_name == "Ketut" and new.status == Status.RECEIVED
    with pytest.raises(ValidationError):
        svc.complaint_forward(complaint=submit(bangli), actor=staff["operator"], note="")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    exif[0x8825] = {1: "S", 2: (8.0, 27.0, 0.0), 3: "E", 4: (115.0, 21.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_metadata_is_stripped_and_bad_files_refused(bangli):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    complaint = submit(bangli, files=[(raw, "foto.jpg")])
    attachment = Attachment.objects.get(complaint=complaint)
    with attachment.file.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert not image.getexif() and "exif" not in image.info
    assert attachment.content_type == "image/jpeg"
    with pytest.raises(ValidationError):
        submit(bangli, files=[(b"MZ\x90\x00 not an image", "virus.exe")])
    assert bangli.complaints.count() == 1


def test_sla_sweep_command(bangli, categories, staff):
    from django.core.management import call_command

    with time_machine.travel(wita(2025, 1, 6, 8, 0), tick=False):
        verify(submit(bangli), staff, categories["jalan"])
    out = io.StringIO()
    with time_machine.travel(wita(2025, 1, 7, 9, 0), tick=False):
        call_command("sla-sweep", stdout=out)
    assert out.getvalue().startswith("2 escalation steps fired")  # warning and breach


def test_a_later_message_with_a_location_fills_a_missing_location(bangli):
    complaint = submit(bangli, channel=Channel.WHATSAPP)
    svc.complaint_add_message(complaint=complaint, text="Lokasi", lat=-8.45, lng=115.35)
    svc.complaint_add_message(complaint=complaint, text="Lokasi lain", lat=-8.0, lng=115.0)
    complaint.refresh_from_db()
    assert (complaint.lat, complaint.lng) == (-8.45, 115.35)
    assert complaint.events.filter(kind=EventKind.MESSAGE).count() == 2


def test_clock_checks_are_scheduled_at_the_escalation_times_with_the_database_queue(
    bangli, database_queue
):
    from django_tasks_db.models import DBTaskResult

    from balai.complaints.tasks import schedule_escalations

    with time_machine.travel(wita(2025, 1, 6, 8, 0), tick=False):
        complaint = svc.complaint_submit(pemda=bangli, channel=Channel.PHONE, description="Uji")
        DBTaskResult.objects.all().delete()
        assert schedule_escalations(complaint.pk) == 3
    runs = sorted(
        DBTaskResult.objects.filter(task_path__endswith="check_clock").values_list(
            "run_after", flat=True
        )
    )
    # 24 hours after 08.00 WITA: warned 4 hours before, breach at the deadline, leadership a day on.
    assert runs == [wita(2025, 1, 7, 4, 0), wita(2025, 1, 7, 8, 0), wita(2025, 1, 8, 8, 0)]
