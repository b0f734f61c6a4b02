"""The logbook's services: one visit, a batch, a CSV file (all or nothing), undo."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from balai.accounts.choices import Role
from balai.core.models import AuditLog
from balai.regions.models import Region
from balai.visits import services as visit_services
from balai.visits.models import Visit
from balai.visits.services import VisitRow, visit_log, visit_undo, visits_import_csv

from .conftest import WITA

HEADER = "date,time,session,services,village_code,rw,rt,occupation,outcome\n"


def test_visit_log_records_what_was_sought_and_audits(points, services, front_office):
    visit = visit_log(
        actor=front_office,
        point=points["tli"],
        services=[services["ktp"], services["kk"]],
        occupation="nelayan",
        session_kind="night",
        village=Region.objects.get(code="64.74.02.1006"),
        rw="2",
        rt="05",
    )
    assert visit.pemda == points["tli"].pemda and visit.entered_by == front_office
    assert set(visit.services.values_list("code", flat=True)) == {"ktp", "kk"}
    assert (visit.rw, visit.rt, visit.outcome) == ("002", "005", "served")
    assert AuditLog.objects.filter(action="visit.log", target_id=str(visit.pk)).exists()


def test_visit_log_needs_a_service_and_a_village_of_the_pemda(points, front_office):
    with pytest.raises(ValidationError) as error:
        visit_log(
            actor=front_office,
            point=points["tli"],
            services=[],
            occupation="nelayan",
            village=Region.objects.get(code="64.74.02"),  # a kecamatan, not a village
        )
    assert len(error.value.messages) == 2
    assert not Visit.objects.exists()


def test_only_the_front_office_of_the_area_logs(bontang, points, services, make_member):
    operator = make_member(bontang, Role.OPERATOR)
    elsewhere = make_member(bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.01"))
    for user in (operator, elsewhere):
        with pytest.raises(PermissionDenied):
            visit_log(
                actor=user, point=points["tli"], services=[services["ktp"]], occupation="petani"
            )
    event = make_member(bontang, Role.EVENT_STAFF)
    assert visit_services.visit_may_log(event, points["tli"])


@time_machine.travel(dt.datetime(2025, 6, 16, 19, 30, tzinfo=WITA), tick=False)  # Monday
def test_session_guessed_from_the_night_rule(points, services, front_office):
    visit = visit_log(
        actor=front_office, point=points["tli"], services=[services["ktp"]], occupation="buruh"
    )
    assert visit.session_kind == "night"


@time_machine.travel(dt.datetime(2025, 6, 16, 10, 0, tzinfo=WITA), tick=False)
def test_session_regular_in_office_hours(points, services, front_office):
    visit = visit_log(
        actor=front_office, point=points["tli"], services=[services["ktp"]], occupation="buruh"
    )
    assert visit.session_kind == "regular"


@time_machine.travel(dt.datetime(2025, 6, 17, 8, 0, tzinfo=WITA))
def test_csv_import_all_lines(points, services, front_office):
    text = HEADER + (
        "2025-06-16,19:05,night,ktp;kk,64.74.02.1006,2,5,nelayan,served\n"
        "16/06/2025,19.40,malam,SKU,,,,wiraswasta,\n"
        "\n"
        "2025-06-16,10:00,,domisili,64.74.02.1001,,,swasta,information\n"
    )
    saved = visits_import_csv(actor=front_office, point=points["tli"], text=text)
    assert len(saved) == 3
    first = Visit.objects.get(pk=saved[0].pk)
    assert first.visited_at == dt.datetime(2025, 6, 16, 11, 5, tzinfo=dt.UTC)  # 19.05 WITA
    assert set(first.services.values_list("code", flat=True)) == {"ktp", "kk"}
    assert Visit.objects.get(pk=saved[1].pk).outcome == "served"
    assert Visit.objects.get(pk=saved[2].pk).session_kind == "regular"  # guessed: 10.00 Monday
    assert AuditLog.objects.filter(action="visit.import").count() == 1


@time_machine.travel(dt.datetime(2025, 6, 17, 8, 0, tzinfo=WITA))
def test_csv_import_errors_name_their_lines_and_nothing_is_written(points, front_office):
    text = HEADER + (
        "2025-06-16,19:05,night,ktp,64.74.02.1006,2,5,nelayan,served\n"  # line 2: fine
        "2025-13-01,19:05,night,ktp,,,,nelayan,served\n"  # line 3: bad date
        "2025-06-16,25:00,siang,ktp;xyz,,,,nelayan,served\n"  # line 4: time, session, code
        "\n"  # line 5: empty, skipped
        "2025-06-16,19:05,night,ktp,99.99.99.9999,1234,,astronot,lost\n"  # line 6: four
        "2025-06-16,19:05,night\n"  # line 7: too short
    )
    with pytest.raises(ValidationError) as error:
        visits_import_csv(actor=front_office, point=points["tli"], text=text)
    messages = error.value.messages
    assert [m.split(":")[0] for m in messages] == [
        "Baris 3",
        "Baris 4",
        "Baris 4",
        "Baris 4",
        "Baris 6",
        "Baris 6",
        "Baris 6",
        "Baris 7",
    ]
    assert "'xyz'" in messages[3] and "'astronot'" in messages[5]
    assert not Visit.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="visit.").exists()


@time_machine.travel(dt.datetime(2025, 6, 17, 8, 0, tzinfo=WITA))
def test_csv_validation_errors_after_parsing_also_write_nothing(points, front_office):
    text = HEADER + (
        "2025-06-16,19:05,night,ktp,,,,nelayan,served\n"
        "2025-06-16,19:06,night,ktp,,12345,,nelayan,served\n"  # RW too long
        "2030-01-01,19:06,night,ktp,,,,nelayan,served\n"  # in the future
    )
    with pytest.raises(ValidationError) as error:
        visits_import_csv(actor=front_office, point=points["tli"], text=text)
    assert sorted({m.split(":")[0] for m in error.value.messages}) == ["Baris 3", "Baris 4"]
    assert any("masa depan" in m for m in error.value.messages if m.startswith("Baris 4"))
    assert not Visit.objects.exists()


def test_csv_header_is_checked(points, front_office):
    with pytest.raises(ValidationError) as error:
        visits_import_csv(actor=front_office, point=points["tli"], text="tanggal,jam\n1,2\n")
    assert error.value.messages[0].startswith("Baris 1:")


def test_batch_is_all_or_nothing(points, services, front_office):
    at = dt.datetime(2025, 6, 16, 19, 0, tzinfo=WITA)
    rows = [
        VisitRow(services=[services["ktp"]], occupation="nelayan", visited_at=at),
        VisitRow(services=[], occupation="nelayan", visited_at=at),
    ]
    with pytest.raises(ValidationError) as error:
        visit_services.visits_log_batch(actor=front_office, point=points["tli"], rows=rows)
    assert error.value.messages == ["Baris 2: Pilih paling sedikit satu layanan."]
    assert not Visit.objects.exists()


def test_undo_by_the_author_within_ten_minutes(
    bontang, points, services, front_office, make_member
):
    colleague = make_member(bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.02"))
    start = dt.datetime(2025, 6, 16, 19, 0, tzinfo=WITA)
    with time_machine.travel(start, tick=False):
        visit = visit_log(
            actor=front_office, point=points["tli"], services=[services["ktp"]], occupation="irt"
        )
        late = visit_log(
            actor=front_office, point=points["tli"], services=[services["kk"]], occupation="irt"
        )
    with time_machine.travel(start + dt.timedelta(minutes=9), tick=False):
        with pytest.raises(PermissionDenied):
            visit_undo(actor=colleague, visit=visit)
        visit_undo(actor=front_office, visit=visit)
    assert not Visit.objects.filter(pk=visit.pk).exists()
    undo = AuditLog.objects.get(action="visit.undo")
    assert undo.actor == front_office and undo.changes["services"] == ["ktp"]
    with (
        time_machine.travel(start + dt.timedelta(minutes=10, seconds=1), tick=False),
        pytest.raises(PermissionDenied),
    ):
        visit_undo(actor=front_office, visit=late)
    assert Visit.objects.filter(pk=late.pk).exists()


def test_logged_visits_tell_the_evaluation_cache_after_commit(
    points, services, front_office, django_capture_on_commit_callbacks
):
    from balai.evaluation.cache import data_version

    pemda = points["tli"].pemda
    before = data_version(pemda.id)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        visit_log(
            actor=front_office,
            point=points["tli"],
            services=[services["ktp"]],
            occupation="nelayan",
            village=Region.objects.get(code="64.74.02.1006"),
        )
        assert data_version(pemda.id) == before  # not before the commit
    assert callbacks
    assert data_version(pemda.id) != before
