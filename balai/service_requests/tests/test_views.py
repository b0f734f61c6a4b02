"""Staff pages (who may do what, the counter form, steps, the list's queries) and public
tracking (never the applicant's name or phone)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balai.accounts.choices import Role
from balai.catalog.choices import DurationUnit
from balai.organizations.models import OPD
from balai.service_requests import services
from balai.service_requests.choices import Channel, Status
from balai.service_requests.models import ServiceRequest

from .conftest import full, without

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def setup(bontang, make_service, make_point):
    dinkes = OPD.objects.get(pemda=bontang, short_name="Dinkes")
    kecamatan = OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")
    return {
        "service": make_service(
            bontang, code="sktm", name="Surat Keterangan Tidak Mampu", opd=dinkes, time=3
        ),
        "other_service": make_service(
            bontang, code="skd", name="Surat Keterangan Domisili", opd=kecamatan
        ),
        "inside": make_point(bontang, "kec-bontang-selatan", "64.74.02", "Kantor Kec. Selatan"),
        "outside": make_point(bontang, "kec-bontang-utara", "64.74.01", "Kantor Kec. Utara"),
        "dinkes": dinkes,
        "kecamatan": kecamatan,
    }


def file(pemda, service, *, point=None, checklist=None, **kwargs):
    standard = service.standards.get()
    return services.service_request_submit(
        pemda=pemda,
        service=service,
        point=point,
        channel=Channel.COUNTER,
        checklist=full(standard) if checklist is None else checklist,
        **kwargs,
    )


def url(name, pemda, *args):
    return reverse(f"staff:service_request_{name}", args=[pemda.slug, *args])


# -- public tracking ------------------------------------------------------------------------------
def test_public_tracking_shows_status_and_missing_but_never_the_applicant(client, bontang, setup):
    standard = setup["service"].standards.get()
    req = file(
        bontang,
        setup["service"],
        checklist=without(standard, "Kartu Keluarga"),
        applicant_name="Siti Aminah",
        applicant_phone="0812 3456 7890",
    )
    response = client.get(reverse("portal:service_request_track", args=[req.tracking_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert req.tracking_code in html
    assert "Surat Keterangan Tidak Mampu" in html
    assert "Kartu Keluarga" in html
    assert "Fotokopi KTP-el" not in html  # brought: not listed as missing
    assert str(req.get_status_display()) in html
    for secret in ("Siti", "Aminah", "6281234567890", "0812", "3456"):
        assert secret not in html


def test_public_tracking_shows_the_due_date_in_the_pemda_zone(client, bontang, setup):
    # Filed Monday 2 June 2025 09.00 WITA; three working days -> Thursday 5 June 16.00 WITA.
    req = file(bontang, setup["service"], at=dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA))
    assert req.due_at == dt.datetime(2025, 6, 5, 8, 0, tzinfo=dt.UTC)
    code = req.tracking_code.lower().replace("-", "")
    response = client.get(reverse("portal:service_request_track", args=[code]))
    html = response.content.decode()
    assert "16.00" in html
    assert "WITA" in html


def test_public_tracking_of_an_unknown_code_is_404(client, db):
    assert (
        client.get(reverse("portal:service_request_track", args=["ACDE-FG34"])).status_code == 404
    )


def test_the_lookup_page_finds_service_requests_too(client, bontang, setup):
    req = file(bontang, setup["service"])
    typed = req.tracking_code.lower().replace("-", " ")
    response = client.get(reverse("portal:complaint_lookup"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:service_request_track", args=[req.tracking_code])


# -- who may see and change -------------------------------------------------------------------
def test_roles_on_the_list(client, bontang, setup, make_member):
    inside = file(bontang, setup["service"], point=setup["inside"])
    outside = file(bontang, setup["other_service"], point=setup["outside"])
    cases = [
        (make_member(bontang, Role.PEMDA_ADMIN), 200, {inside, outside}),
        (make_member(bontang, Role.LEADERSHIP), 200, {inside, outside}),
        (make_member(bontang, Role.EVENT_STAFF), 200, {inside, outside}),
        (make_member(bontang, Role.AREA_STAFF, region=setup["inside"].region), 200, {inside}),
        (make_member(bontang, Role.OPD_STAFF, opd=setup["dinkes"]), 200, {inside}),
        (make_member(bontang, Role.OPD_HEAD, opd=setup["kecamatan"]), 200, {outside}),
        (make_member(bontang, Role.OPERATOR), 403, set()),
    ]
    for user, status, shown in cases:
        client.force_login(user)
        response = client.get(url("list", bontang))
        assert response.status_code == status, user
        if status == 200:
            listed = {row.pk for row in response.context["page"].object_list}
            assert listed == {r.pk for r in shown}, user


def test_anonymous_users_are_sent_to_log_in(client, bontang):
    response = client.get(url("list", bontang))
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_opd_staff_see_their_own_but_cannot_step_it(client, bontang, setup, make_member):
    req = file(bontang, setup["service"], point=setup["inside"])
    staff = make_member(bontang, Role.OPD_STAFF, opd=setup["dinkes"])
    client.force_login(staff)
    response = client.get(url("detail", bontang, req.tracking_code))
    assert response.status_code == 200
    assert response.context["actions"] == []
    assert client.post(url("step", bontang, req.tracking_code, "siap")).status_code == 403
    req.refresh_from_db()
    assert req.status == Status.IN_PROCESS
    other = make_member(bontang, Role.OPD_STAFF, opd=setup["kecamatan"])
    client.force_login(other)
    assert client.get(url("detail", bontang, req.tracking_code)).status_code == 404


def test_area_staff_step_requests_of_their_points(client, bontang, setup, make_member):
    mine = file(bontang, setup["service"], point=setup["inside"])
    theirs = file(bontang, setup["service"], point=setup["outside"])
    staff = make_member(bontang, Role.AREA_STAFF, region=setup["inside"].region)
    client.force_login(staff)
    response = client.post(url("step", bontang, mine.tracking_code, "siap"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.READY
    assert client.post(url("step", bontang, theirs.tracking_code, "siap")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.IN_PROCESS


# -- the steps on the detail page ------------------------------------------------------------------
def test_complete_then_ready_then_collected_through_the_pages(client, bontang, setup, make_member):
    standard = setup["service"].standards.get()
    req = file(bontang, setup["service"], checklist={})
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    page = client.get(url("detail", bontang, req.tracking_code))
    assert [a["step"].slug for a in page.context["actions"]] == ["lengkapi", "tolak"]
    ids = [str(r.pk) for r in standard.requirements.filter(is_mandatory=True)]
    response = client.post(
        url("step", bontang, req.tracking_code, "lengkapi"), {"lengkapi-requirements": ids}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.IN_PROCESS
    assert req.clock_started_at is not None
    client.post(url("step", bontang, req.tracking_code, "siap"))
    client.post(url("step", bontang, req.tracking_code, "diambil"))
    req.refresh_from_db()
    assert req.status == Status.COLLECTED


def test_reject_without_a_reason_is_shown_as_an_error(client, bontang, setup, make_member):
    req = file(bontang, setup["service"])
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    response = client.post(url("step", bontang, req.tracking_code, "tolak"), {"tolak-reason": ""})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == Status.IN_PROCESS


def test_a_step_the_status_does_not_allow_changes_nothing(client, bontang, setup, make_member):
    req = file(bontang, setup["service"], checklist={})
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    response = client.post(url("step", bontang, req.tracking_code, "siap"))
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.status, req.ready_at) == (Status.INCOMPLETE, None)


# -- the counter form -------------------------------------------------------------------------
def test_counter_form_in_two_steps(client, bontang, setup, make_member):
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    first = client.get(url("new", bontang))
    assert first.status_code == 200
    assert "Surat Keterangan Tidak Mampu" in first.content.decode()
    service = setup["service"]
    second = client.get(url("new", bontang), {"service": service.pk})
    html = second.content.decode()
    assert 'type="checkbox"' in html
    assert "Kartu Keluarga" in html
    standard = service.standards.get()
    ktp = standard.requirements.get(text="Fotokopi KTP-el")
    response = client.post(
        url("new", bontang),
        {
            "service": service.pk,
            "point": setup["inside"].pk,
            "channel": Channel.COUNTER,
            "requirements": [str(ktp.pk)],
            "applicant_name": "",
            "applicant_phone": "0812-3456-7890",
        },
    )
    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    assert response["Location"] == url("detail", bontang, req.tracking_code)
    assert req.status == Status.INCOMPLETE
    assert req.missing == ["Kartu Keluarga"]
    assert req.applicant_phone == "+6281234567890"
    assert req.point == setup["inside"]


def test_area_staff_cannot_file_at_another_area_point(client, bontang, setup, make_member):
    staff = make_member(bontang, Role.AREA_STAFF, region=setup["inside"].region)
    client.force_login(staff)
    form = client.get(url("new", bontang), {"service": setup["service"].pk}).context["form"]
    assert list(form.fields["point"].queryset) == [setup["inside"]]
    data = {
        "service": setup["service"].pk,
        "channel": Channel.COUNTER,
        "requirements": [],
    }
    response = client.post(url("new", bontang), {**data, "point": setup["outside"].pk})
    assert response.status_code == 200
    response = client.post(url("new", bontang), data)  # no point: not in their area either
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_roles_without_filing_rights_get_403_on_the_counter(client, bontang, make_member, setup):
    for role, kwargs in [(Role.LEADERSHIP, {}), (Role.OPD_STAFF, {"opd": setup["dinkes"]})]:
        client.force_login(make_member(bontang, role, **kwargs))
        assert client.get(url("new", bontang)).status_code == 403


# -- the list's queries -------------------------------------------------------------------------
def test_list_query_count_does_not_grow_with_rows(client, bontang, setup, make_member, make_point):
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    file(bontang, setup["service"], point=setup["inside"])
    file(bontang, setup["other_service"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("list", bontang)).status_code == 200
    for n in range(6):
        point = make_point(bontang, f"desa-{n}", "64.74.02", f"Kantor {n}")
        file(bontang, setup["service"], point=point, checklist={} if n % 2 else None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("list", bontang))
    assert len(response.context["page"].object_list) == 8
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_list_filters_and_search(client, bontang, setup, make_member):
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    done = file(bontang, setup["service"], point=setup["inside"])
    waiting = file(bontang, setup["other_service"], checklist={})

    def codes(**params):
        response = client.get(url("list", bontang), params)
        return {row.tracking_code for row in response.context["page"].object_list}

    assert codes(status=Status.INCOMPLETE) == {waiting.tracking_code}
    assert codes(service=setup["service"].pk) == {done.tracking_code}
    assert codes(point=setup["inside"].pk) == {done.tracking_code}
    assert codes(q=waiting.tracking_code.lower().replace("-", "")) == {waiting.tracking_code}


# -- on time ------------------------------------------------------------------------------------
def test_on_time_page(client, bontang, make_member, make_service):
    service = make_service(bontang, code="cepat", time=30, unit=DurationUnit.MINUTES)
    admin = make_member(bontang, Role.PEMDA_ADMIN)
    req = file(bontang, service)
    services.service_request_ready(request=req, actor=admin)
    client.force_login(admin)
    response = client.get(url("on_time", bontang))
    assert response.status_code == 200
    rate = response.context["rate"]
    assert (rate.total.ready, rate.total.on_time) == (1, 1)
    assert "100.0" in response.content.decode() or "100,0" in response.content.decode()
    bad = client.get(url("on_time", bontang), {"start": "2025-06-30", "end": "2025-06-01"})
    assert bad.context["rate"] is None
    assert bad.context["form"].errors
