"""The demo: five seed Pemda, a user per role, a working API token; deterministic, idempotent.

Also the simulated programs: Bontang Selatan's night service (offices, night hours, six weeks of
visits) and Banyuwangi's service certainty (full standards, requests, SKM)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from balai.accounts.choices import Role
from balai.accounts.models import Membership, User
from balai.catalog.choices import INTERNAL_COMPONENTS, StandardStatus
from balai.catalog.models import Maklumat, Service, StandardVersion
from balai.catalog.selectors import local_today
from balai.devtools.demo import DEMO_PASSWORD, demo_load, demo_token
from balai.organizations.choices import SessionKind
from balai.organizations.models import OPD, OpeningRule, Pemda, ServicePoint
from balai.regions.models import Region, SubVillageUnit
from balai.service_requests.models import ServiceRequest
from balai.service_requests.selectors import on_time_rate
from balai.visits import selectors as visit_selectors
from balai.visits.models import AreaPopulation, SurveyResponse, Visit

SEED_CODES = {"64.74", "35.10", "32.16", "51.06", "17.01"}
DEMO_APPS = {
    "accounts",
    "organizations",
    "regions",
    "catalog",
    "complaints",
    "service_requests",
    "visits",
    "core",
}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in DEMO_APPS
    }


@pytest.fixture(scope="module")
def demo_logins(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at its end
    (each test still runs in its own savepoint, as with the `db` fixture)."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield demo_load()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def demo(demo_logins, db):
    return demo_logins


def test_demo_creates_the_five_pemda_and_is_idempotent(demo):
    logins = demo
    pemdas = Pemda.objects.all()
    assert {p.region_id for p in pemdas} == SEED_CODES
    assert all(p.is_demo for p in pemdas)
    assert Pemda.objects.get(slug="bangli").timezone == "Asia/Makassar"
    assert Pemda.objects.get(slug="bekasi").timezone == "Asia/Jakarta"
    for pemda in pemdas:
        roles = set(Membership.objects.filter(pemda=pemda).values_list("role", flat=True))
        assert roles == set(Role.values), pemda
    assert {"PUPR Perkim", "PDAM", "DLH", "Dishub", "Dinkes", "Disdukcapil"} <= set(
        OPD.objects.filter(pemda__slug="bangli").values_list("short_name", flat=True)
    )
    assert OPD.objects.filter(pemda__slug="bengkulu-selatan", kind="kecamatan").count() == 11
    assert Region.objects.filter(code__startswith="17.01.", kind="desa").count() == 142
    assert SubVillageUnit.objects.filter(village__parent_id="64.74.02", kind="rt").exists()
    assert len(logins) == 5 * len(Role.values)

    before = row_counts()
    demo_load()
    assert row_counts() == before


def test_demo_logins_work(demo):
    client = Client()
    assert client.login(username="bangli.trc-pupr", password=DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    for slug in ("bangli", "bontang", "banyuwangi", "bekasi", "bengkulu-selatan"):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {demo_token(slug)}")
        me = api.get("/api/v1/me/").json()
        assert me["username"] == f"{slug}.admin"
        assert [(m["role"], m["pemda"]) for m in me["memberships"]] == [("pemda_admin", slug)]


def test_demo_open311_key_and_webhook_values_work(demo):
    import hashlib
    import hmac
    import json

    from balai.devtools.demo import demo_open311_key
    from balai.messaging.demo import DEMO_VERIFY_TOKEN, demo_channels
    from balai.messaging.models import DEMO_APP_SECRET

    client = Client()
    created = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "51.06",
            "api_key": demo_open311_key("bangli"),
            "service_code": "jalan",
            "description": "Jalan berlubang dekat pura",
        },
    )
    assert created.status_code == 200, created.content
    assert created.json()[0]["service_request_id"]
    row = demo_channels(Pemda.objects.get(slug="bangli"))[0]
    handshake = client.get(
        "/webhooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": DEMO_VERIFY_TOKEN, "hub.challenge": "42"},
    )
    assert handshake.status_code == 200 and handshake.content == b"42"
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "62366",
                                    "phone_number_id": row["id"],
                                },
                                "contacts": [
                                    {"profile": {"name": "Komang"}, "wa_id": "6281234500000"}
                                ],
                                "messages": [
                                    {
                                        "from": "6281234500000",
                                        "id": "wamid.DEMO1",
                                        "timestamp": "1764000000",
                                        "type": "text",
                                        "text": {"body": "Lampu jalan mati di Kintamani"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = hmac.new(DEMO_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        "/webhooks/whatsapp/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=f"sha256={signature}",
    )
    assert response.status_code == 200
    assert (
        Pemda.objects.get(slug="bangli")
        .complaints.filter(description__contains="Kintamani", channel="whatsapp")
        .exists()
    )


def test_bontang_selatan_night_service(demo):
    bontang = Pemda.objects.get(slug="bontang")
    points = ServicePoint.objects.filter(pemda=bontang, region__code__startswith="64.74.02")
    assert points.count() == 7  # the kantor kecamatan and six kelurahan offices
    assert all(p.unit_id and p.services.exists() for p in points)
    night = OpeningRule.objects.filter(point__in=points, session_kind=SessionKind.NIGHT)
    # Monday-Thursday 19.00-21.00 from the launch, at the kecamatan and five kelurahan offices
    assert night.values("point").distinct().count() == 6
    assert set(night.values_list("weekday", flat=True)) == {0, 1, 2, 3}
    assert set(night.values_list("valid_from", flat=True)) == {dt.date(2022, 6, 13)}
    assert {(r.start, r.end) for r in night} == {(dt.time(19), dt.time(21))}
    kelurahan = Region.objects.filter(parent_id="64.74.02")
    populations = AreaPopulation.objects.filter(region__in=kelurahan)
    assert populations.count() == 6
    assert all(8_000 <= p.population <= 25_000 and "Simulasi" in p.source for p in populations)
    for service in Service.objects.filter(pemda=bontang):
        assert service.standards.filter(status=StandardStatus.PUBLISHED).exists()

    visits = Visit.objects.filter(pemda=bontang)
    tz = ZoneInfo(bontang.timezone)
    launch = dt.datetime(2022, 6, 13, tzinfo=tz)
    assert visits.filter(visited_at__lt=launch).count() == 0
    assert visits.filter(session_kind=SessionKind.NIGHT).count() < visits.count() / 10
    tli = visits.filter(point__region_id="64.74.02.1006")
    first_two_weeks = tli.filter(visited_at__lt=launch + dt.timedelta(weeks=2))
    assert first_two_weeks.filter(session_kind=SessionKind.NIGHT).count() == 1
    assert first_two_weeks.filter(session_kind=SessionKind.REGULAR).count() > 50
    night_jobs = visits.filter(session_kind=SessionKind.NIGHT)
    employees = night_jobs.filter(occupation__in=("swasta", "pns")).count()
    assert employees > night_jobs.count() / 2
    coastal_day = tli.filter(session_kind=SessionKind.REGULAR)
    fishers_traders = coastal_day.filter(occupation__in=("nelayan", "wiraswasta")).count()
    assert fishers_traders > coastal_day.count() / 3

    client = Client()
    assert client.login(username="bontang.admin", password=DEMO_PASSWORD)
    page = client.get(
        "/staf/bontang/kunjungan/serapan/", {"start": "2022-06-13", "end": "2022-07-24"}
    )
    assert page.status_code == 200
    findings = page.context["uptake"].findings
    tli_finding = next(f for f in findings if "Tanjung Laut Indah" in f.text)
    assert tli_finding.severity == "warning"
    assert tli_finding.text in page.content.decode()
    assert any(f.link.get("occupation") == "nelayan" for f in findings)


def test_banyuwangi_service_certainty(demo):
    banyuwangi = Pemda.objects.get(slug="banyuwangi")
    services = Service.objects.filter(pemda=banyuwangi)
    assert services.count() == 10
    internal = [name for name, _label in INTERNAL_COMPONENTS]
    for service in services:
        standard = StandardVersion.objects.get(service=service, status=StandardStatus.PUBLISHED)
        assert standard.requirements.filter(is_mandatory=True).exists(), service
        assert standard.processing_time > 0 and standard.fee is not None, service
        for name in ("procedure", "product", "complaints_handling", *internal):
            assert getattr(standard, name).strip(), (service.code, name)
        if service.category == "adminduk":
            assert standard.fee == 0
    points = ServicePoint.objects.filter(pemda=banyuwangi)
    assert {p.region.name for p in points} == {"Banyuwangi", "Giri", "Glagah", "Kalipuro"}
    assert Maklumat.objects.filter(unit__service_points__in=points).count() == 4

    requests = ServiceRequest.objects.filter(pemda=banyuwangi)
    assert 200 <= requests.count() <= 500
    statuses = set(requests.values_list("status", flat=True))
    assert {"incomplete", "ready", "collected"} <= statuses
    today = local_today(banyuwangi)
    rate = on_time_rate(pemda=banyuwangi, start=today - dt.timedelta(days=90), end=today)
    assert 0.85 <= rate.total.share <= 0.95

    admin = User.objects.get(username="banyuwangi.admin")
    flt = visit_selectors.IKMFilter(start=today - dt.timedelta(days=90), end=today)
    report = visit_selectors.ikm_report(admin, banyuwangi, flt)
    assert report.respondents == SurveyResponse.objects.filter(pemda=banyuwangi).count()
    assert report.respondents >= 250 and report.sample_reached
    assert report.result.grade.letter in {"A", "B"}
    assert len(report.profile["occupation"]) >= 6
    client = Client()
    assert client.login(username="banyuwangi.admin", password=DEMO_PASSWORD)
    page = client.get("/staf/banyuwangi/skm/")
    assert page.status_code == 200
    assert page.context["report"].result.grade == report.result.grade
