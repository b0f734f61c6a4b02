"""The complaints REST API: scoping per role, the reporter's identity, filters, intake, steps."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from balai.accounts.choices import Role
from balai.complaints.choices import Channel, Status
from balai.complaints.models import Complaint
from balai.complaints.services import complaint_submit, complaint_verify

URL = "/api/v1/complaints/"
REPORTER = {
    "reporter_name": "Made Pelapor",
    "reporter_phone": "081234500011",
    "reporter_email": "made@example.com",
}


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def submitted(pemda, **fields):
    fields.setdefault("description", "Jalan berlubang di Kintamani")
    fields.setdefault("channel", Channel.PHONE)
    return complaint_submit(pemda=pemda, **REPORTER, **fields)


def verified(pemda, category, actor, *, anonymous=True, secret=True, **fields):
    complaint = submitted(pemda, category=category, **fields)
    return complaint_verify(
        complaint=complaint,
        actor=actor,
        category=category,
        is_secret=secret,
        is_anonymous=anonymous,
    )


def codes(response):
    assert response.status_code == 200, response.content
    return {item["tracking_code"] for item in response.json()["results"]}


@pytest.fixture
def three(bangli, categories, staff):
    """A road complaint (PUPR Perkim), a water one (PDAM) and one not yet verified."""
    return {
        "jalan": verified(bangli, categories["jalan"], staff["operator"]),
        "air": verified(bangli, categories["air"], staff["operator"]),
        "new": submitted(bangli, description="Lampu jalan mati"),
    }


def test_scoping_per_role(bangli, staff, three, bontang, make_member):
    everything = {c.tracking_code for c in three.values()}
    assert codes(api_for(staff["operator"]).get(URL)) == everything
    assert codes(api_for(staff["leader"]).get(URL)) == everything
    assert codes(api_for(staff["trc"]).get(URL)) == {three["jalan"].tracking_code}
    assert codes(api_for(staff["head"]).get(URL)) == {three["jalan"].tracking_code}
    assert codes(api_for(staff["pdam"]).get(URL)) == {three["air"].tracking_code}
    elsewhere = make_member(bontang, Role.PEMDA_ADMIN)
    assert codes(api_for(elsewhere).get(URL)) == set()
    assert api_for(elsewhere).get(f"{URL}{three['jalan'].tracking_code}/").status_code == 404
    pdam = api_for(staff["pdam"])
    assert pdam.get(f"{URL}{three['jalan'].tracking_code}/").status_code == 404
    assert pdam.get(f"{URL}{three['air'].tracking_code}/").status_code == 200
    assert APIClient().get(URL).status_code in (401, 403)


def test_lookup_accepts_a_code_as_typed(staff, three):
    code = three["air"].tracking_code
    typed = code.replace("-", "").lower()
    response = api_for(staff["operator"]).get(f"{URL}{typed}/")
    assert response.status_code == 200
    assert response.json()["tracking_code"] == code


def test_anonim_hides_the_reporter_from_the_opd_only(bangli, categories, staff):
    hidden = verified(bangli, categories["jalan"], staff["operator"], anonymous=True)
    named = verified(bangli, categories["jalan"], staff["operator"], anonymous=False)
    fields = {"reporter_name", "reporter_phone", "reporter_email", "reporter_channel_id"}

    trc = api_for(staff["trc"])
    data = trc.get(f"{URL}{hidden.tracking_code}/").json()
    assert not fields & set(data)
    body = trc.get(URL).content.decode()
    assert "Made Pelapor" in body  # the named complaint only...
    listed = {item["tracking_code"]: item for item in trc.get(URL).json()["results"]}
    assert not fields & set(listed[hidden.tracking_code])
    assert listed[named.tracking_code]["reporter_name"] == "Made Pelapor"
    head = api_for(staff["head"]).get(f"{URL}{hidden.tracking_code}/").json()
    assert "081234500011" not in str(head)

    operator = api_for(staff["operator"]).get(f"{URL}{hidden.tracking_code}/").json()
    assert operator["reporter_name"] == "Made Pelapor"
    assert operator["reporter_phone"] == "081234500011"
    assert operator["reporter_email"] == "made@example.com"


def test_filters(bangli, categories, staff, three, opd):
    operator = api_for(staff["operator"])
    jalan, air, new = three["jalan"], three["air"], three["new"]
    old = submitted(
        bangli,
        description="Sampah menumpuk",
        channel=Channel.WHATSAPP,
        received_at=timezone.now() - dt.timedelta(days=40),
    )
    assert codes(operator.get(URL, {"status": Status.RECEIVED})) == {
        new.tracking_code,
        old.tracking_code,
    }
    assert codes(operator.get(URL, {"category": "air"})) == {air.tracking_code}
    assert codes(operator.get(URL, {"opd": opd["PUPR Perkim"].pk})) == {jalan.tracking_code}
    assert codes(operator.get(URL, {"channel": "whatsapp"})) == {old.tracking_code}
    day = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    assert codes(operator.get(URL, {"received_before": day})) == {old.tracking_code}
    assert old.tracking_code not in codes(
        operator.get(URL, {"received_after": timezone.localdate() - dt.timedelta(days=39)})
    )
    assert codes(operator.get(URL, {"received_after": day, "received_before": day})) == {
        old.tracking_code
    }
    assert codes(operator.get(URL, {"q": "sampah"})) == {old.tracking_code}
    assert codes(operator.get(URL, {"q": jalan.tracking_code[:4]})) >= {jalan.tracking_code}
    assert codes(operator.get(URL, {"q": jalan.tracking_code.replace("-", "")})) == {
        jalan.tracking_code
    }
    refused = operator.get(URL, {"status": "lost", "received_after": "kemarin"})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"status", "received_after"}


def test_list_query_count_is_constant(bangli, categories, staff, django_assert_num_queries):
    def fill(n):
        for i in range(n):
            category = categories["jalan"] if i % 2 else categories["air"]
            verified(bangli, category, staff["operator"], anonymous=bool(i % 3))

    def listed(user):
        # A fresh user object per request, as in production (roles are cached per object).
        user = type(user).objects.get(pk=user.pk)
        return api_for(user).get(URL).json()["results"]

    fill(5)
    with CaptureQueriesContext(connection) as five:
        assert len(listed(staff["operator"])) == 5
    fill(15)
    with django_assert_num_queries(len(five)):
        assert len(listed(staff["operator"])) == 20
    with CaptureQueriesContext(connection) as trc_before:
        assert len(listed(staff["trc"])) == 9  # the road complaints: odd ones
    fill(10)
    with django_assert_num_queries(len(trc_before)):
        assert len(listed(staff["trc"])) == 14


def test_operator_takes_a_complaint(bangli, categories, staff):
    response = api_for(staff["operator"]).post(
        URL,
        {
            "pemda": bangli.slug,
            "description": "Pohon tumbang menutup jalan",
            "category": "jalan",
            "reporter_name": "Wayan",
            "reporter_phone": "081200001111",
            "region": "51.06.04",
            "lat": -8.27,
            "lng": 115.35,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    complaint = Complaint.objects.get(tracking_code=data["tracking_code"])
    assert complaint.channel == Channel.API
    assert complaint.category == categories["jalan"]
    assert complaint.region_id == "51.06.04"
    assert complaint.reporter_name == "Wayan"
    assert data["status"] == Status.RECEIVED and data["reporter_name"] == "Wayan"
    assert complaint.is_secret and complaint.is_anonymous


def test_intake_is_for_operators_and_admins_of_that_pemda(bangli, staff, bontang, make_member):
    body = {"pemda": bangli.slug, "description": "Pohon tumbang"}
    assert api_for(staff["trc"]).post(URL, body).status_code == 403
    assert api_for(staff["leader"]).post(URL, body).status_code == 403
    other_operator = make_member(bontang, Role.OPERATOR)
    assert api_for(other_operator).post(URL, body).status_code == 403
    admin = make_member(bangli, Role.PEMDA_ADMIN)
    assert api_for(admin).post(URL, body).status_code == 201
    assert Complaint.objects.count() == 1


def test_intake_errors(bangli, staff):
    operator = api_for(staff["operator"])
    missing = operator.post(URL, {"pemda": bangli.slug}, format="json")
    assert missing.status_code == 400
    assert "description" in missing.json()["errors"]
    blank = operator.post(URL, {"pemda": bangli.slug, "description": "  "}, format="json")
    assert blank.status_code == 400 and "description" in blank.json()["errors"]
    unknown = operator.post(
        URL, {"pemda": bangli.slug, "description": "x", "category": "nope"}, format="json"
    )
    assert unknown.status_code == 400 and "category" in unknown.json()["errors"]
    outside = operator.post(
        URL, {"pemda": bangli.slug, "description": "x", "region": "64.74"}, format="json"
    )
    assert outside.status_code == 400 and "region" in outside.json()["errors"]
    assert not Complaint.objects.exists()


def test_workflow_through_the_api(bangli, categories, staff, opd):
    complaint = submitted(bangli)
    step = f"{URL}{complaint.tracking_code}/"
    operator, trc, head = (api_for(staff[k]) for k in ("operator", "trc", "head"))

    # Rahasia and anonim must be chosen explicitly, in JSON and in form data alike.
    forgot = operator.post(f"{step}verify/", {"category": "jalan"}, format="json")
    assert forgot.status_code == 400
    assert set(forgot.json()["errors"]) == {"is_secret", "is_anonymous"}
    forgot_form = operator.post(f"{step}verify/", {"category": "jalan"})
    assert forgot_form.status_code == 400
    assert set(forgot_form.json()["errors"]) == {"is_secret", "is_anonymous"}

    data = operator.post(
        f"{step}verify/",
        {"category": "jalan", "is_secret": False, "is_anonymous": True},
        format="json",
    ).json()
    assert data["status"] == Status.ASSIGNED and data["opd"] == opd["PUPR Perkim"].pk
    assert data["is_secret"] is False and data["is_anonymous"] is True

    assign = operator.post(f"{step}assign/", {"opd": opd["PDAM"].pk}, format="json")
    assert assign.json()["opd_name"] == opd["PDAM"].name
    assert operator.post(f"{step}assign/", {}, format="json").json()["opd"] == (
        opd["PUPR Perkim"].pk
    )

    responded = trc.post(f"{step}respond/", {"text": "Tim meninjau besok."}, format="json")
    assert responded.status_code == 200
    assert responded.json()["status"] == Status.RESPONDED
    assert responded.json()["first_response_at"]

    until = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    paused = trc.post(
        f"{step}pause/", {"reason": "budget", "expected_until": until}, format="json"
    ).json()
    assert paused["status"] == Status.PAUSED and paused["pause_expected_until"] == until
    assert trc.post(f"{step}resume/", {}, format="json").json()["status"] == Status.IN_PROGRESS

    resolved = trc.post(
        f"{step}resolve/",
        {"actions": "Lubang ditambal", "done_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert resolved.json()["status"] == Status.RESOLVED
    assert trc.post(f"{step}approve/").status_code == 403  # TRC cannot approve
    assert operator.post(f"{step}approve/").status_code == 403  # nor the call center
    approved = head.post(f"{step}approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == Status.APPROVED


def test_refused_steps(bangli, categories, staff):
    complaint = submitted(bangli)
    step = f"{URL}{complaint.tracking_code}/"
    operator = api_for(staff["operator"])
    too_early = operator.post(f"{step}respond/", {"text": "Sudah"}, format="json")
    assert too_early.status_code == 400
    assert too_early.json()["detail"]
    assert operator.post(f"{step}approve/").status_code == 403  # operator: not the OPD head
    not_paused = operator.post(f"{step}resume/", {}, format="json")
    assert not_paused.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED

    assigned = verified(bangli, categories["jalan"], staff["operator"])
    trc = api_for(staff["trc"])
    step = f"{URL}{assigned.tracking_code}/"
    trc.post(f"{step}respond/", {"text": "Ditinjau"}, format="json")
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    late = trc.post(f"{step}pause/", {"reason": "budget", "expected_until": past}, format="json")
    assert late.status_code == 400
    assert "expected_until" in late.json()["errors"]
    bad_reason = trc.post(
        f"{step}pause/", {"reason": "lazy", "expected_until": past}, format="json"
    )
    assert "reason" in bad_reason.json()["errors"]
    # Other OPD, other scope: not even visible.
    pdam = api_for(staff["pdam"])
    assert pdam.post(f"{step}respond/", {"text": "x"}, format="json").status_code == 404
    # Leadership sees but may not change.
    leader = api_for(staff["leader"])
    assert leader.post(f"{step}respond/", {"text": "x"}, format="json").status_code == 403
