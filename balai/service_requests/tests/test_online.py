"""Applying online on the portal: a tracking code at once, the documents checked at the office,
the clock from the day they are complete. Bad input changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from balai.accounts.choices import Role
from balai.organizations.models import OPD
from balai.service_requests.choices import Channel, EventKind, Status
from balai.service_requests.models import ServiceRequest

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def setup(bontang, make_service, make_point):
    kecamatan = OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")
    service = make_service(bontang, code="skd", name="Surat Keterangan Domisili", opd=kecamatan)
    office = make_point(bontang, "kec-bontang-selatan", "64.74.02", "Kantor Kec. Bontang Selatan")
    office.services.add(service)
    elsewhere = make_point(bontang, "kec-bontang-utara", "64.74.01", "Kantor Kec. Bontang Utara")
    return {"service": service, "office": office, "elsewhere": elsewhere}


def apply_url(pemda, service):
    return reverse("portal:service_request_apply", args=[pemda.slug, service.code])


def valid(setup, **changes):
    data = {
        "point": setup["office"].pk,
        "applicant_name": "  Siti Rahmawati ",
        "applicant_phone": "0812 3456 7890",
        "website": "",
    }
    return {**data, **changes}


def test_the_service_page_links_to_the_form_which_lists_what_to_bring(client, bontang, setup):
    service = setup["service"]
    page = client.get(reverse("portal:service_detail", args=[bontang.slug, service.code]))
    assert apply_url(bontang, service) in page.content.decode()

    form = client.get(apply_url(bontang, service)).content.decode()
    assert "Fotokopi KTP-el" in form and "Kartu Keluarga" in form
    assert "Kantor Kec. Bontang Selatan" in form
    assert "Kantor Kec. Bontang Utara" not in form  # does not offer this service
    assert 'aria-label="Pemberitahuan privasi"' in form
    assert 'type="file"' not in form  # no scans of KTP/KK are ever uploaded


@time_machine.travel(dt.datetime(2025, 3, 27, 9, 0, tzinfo=WITA), tick=False)
def test_applying_gives_a_code_and_waits_for_the_documents(client, bontang, setup, make_member):
    response = client.post(apply_url(bontang, setup["service"]), valid(setup))

    req = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:service_request_track", args=[req.tracking_code])
    assert (req.channel, req.status, req.point) == (
        Channel.ONLINE,
        Status.SUBMITTED,
        setup["office"],
    )
    assert (req.applicant_name, req.applicant_phone) == ("Siti Rahmawati", "+6281234567890")
    assert req.missing == ["Fotokopi KTP-el", "Kartu Keluarga"]  # the mandatory ones
    assert (req.clock_started_at, req.due_at) == (None, None)
    assert list(req.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]

    tracking = client.get(response["Location"]).content.decode()
    assert "Kartu Keluarga" in tracking and "Kantor Kec. Bontang Selatan" in tracking
    assert "Siti" not in tracking and "3456" not in tracking

    # At the office, days later (after Idul Fitri 2025 and its cuti bersama): the clock starts
    # when the counter ticks the documents off, not when the form was sent.
    client.force_login(make_member(bontang, Role.PEMDA_ADMIN))
    mandatory = [str(r.pk) for r in req.standard.requirements.filter(is_mandatory=True)]
    step = reverse("staff:service_request_step", args=[bontang.slug, req.tracking_code, "lengkapi"])
    with time_machine.travel(dt.datetime(2025, 4, 8, 10, 0, tzinfo=WITA), tick=False):
        client.post(step, {"lengkapi-requirements": mandatory})
    req.refresh_from_db()
    assert req.status == Status.IN_PROCESS
    assert req.clock_started_at == dt.datetime(2025, 4, 8, 10, 0, tzinfo=WITA)
    assert req.due_at.astimezone(WITA).date() == dt.date(2025, 4, 11)  # 3 working days


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"applicant_phone": "12345"}, "applicant_phone", "nomor telepon yang valid"),
        ({"applicant_phone": ""}, "applicant_phone", "harus diisi"),
        ({"applicant_name": "   "}, "applicant_name", "harus diisi"),
        ({"point": ""}, "point", "harus diisi"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client, bontang, setup, changes, field, message
):
    response = client.post(apply_url(bontang, setup["service"]), valid(setup, **changes))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field]).lower()
    assert message in errors
    assert not ServiceRequest.objects.exists()


def test_an_office_that_does_not_offer_the_service_is_refused(client, bontang, setup):
    response = client.post(
        apply_url(bontang, setup["service"]), valid(setup, point=setup["elsewhere"].pk)
    )

    assert response.status_code == 200
    assert "point" in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_a_service_without_online_applications_has_no_form(client, bontang, setup):
    service = setup["service"]
    service.accepts_online = False
    service.save()

    page = client.get(reverse("portal:service_detail", args=[bontang.slug, service.code]))
    assert apply_url(bontang, service) not in page.content.decode()
    assert client.get(apply_url(bontang, service)).status_code == 404
    assert client.post(apply_url(bontang, service), valid(setup)).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_a_bot_filling_the_hidden_field_stores_nothing(client, bontang, setup):
    response = client.post(apply_url(bontang, setup["service"]), valid(setup, website="x"))

    assert response.status_code == 302
    assert not ServiceRequest.objects.exists()


def test_too_many_applications_from_one_address_get_429(client, bontang, setup):
    url = apply_url(bontang, setup["service"])
    for _ in range(10):
        client.post(url, valid(setup, applicant_phone="12345"))  # invalid: nothing stored

    response = client.post(url, valid(setup))

    assert response.status_code == 429
    assert not ServiceRequest.objects.exists()
