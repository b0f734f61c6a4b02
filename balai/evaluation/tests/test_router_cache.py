"""The reporting database router, and the cache that new data invalidates at once: a complaint,
a survey answer, a service request, an outreach event, an announcement delivery (bulk-logged
visits: visits/tests/test_visit_services.py)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connections
from django.test.utils import CaptureQueriesContext

from balai.complaints.models import Complaint
from balai.evaluation.cache import data_changed, data_version
from balai.evaluation.routers import ReportingRouter, reporting_alias, reporting_reads
from balai.evaluation.selectors import dashboard

from .conftest import NOVEMBER, NOW, at


def test_without_a_reporting_alias_reads_stay_on_default():
    assert "reporting" not in connections.settings
    router = ReportingRouter()
    assert router.db_for_read(Complaint) is None
    with reporting_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(Complaint) == "default"
    assert router.db_for_write(Complaint) == "default"
    assert router.allow_migrate("reporting", "complaints") is False


@pytest.fixture
def reporting(transactional_db, settings):
    """A `reporting` alias that is a second connection to the test database (what a replica
    that is never behind looks like); removed afterwards."""
    default = connections["default"].settings_dict
    connections.settings["reporting"] = {
        **default,
        "TEST": {**default["TEST"], "MIRROR": "default"},
    }
    settings.DATABASE_ROUTERS = ["balai.evaluation.routers.ReportingRouter"]
    replica = connections["reporting"]
    # The test case only lets declared aliases connect lazily; this one connects up front.
    replica.connect()
    yield replica
    connections["reporting"].close()
    del connections.settings["reporting"]
    if hasattr(connections._connections, "reporting"):
        del connections._connections.reporting


def test_dashboard_reads_go_to_the_reporting_alias(reporting, bontang, complaints):
    assert reporting_alias() == "reporting"
    with (
        CaptureQueriesContext(reporting) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        cards = dashboard(bontang, NOVEMBER, now=NOW)
    received = cards["complaints"][0]
    assert received.current.number == 6  # the replica holds the committed rows
    assert len(replica) >= 7
    assert not [q for q in primary.captured_queries if "complaints_complaint" in q["sql"]]
    # outside the block reads go to default again, and writes always do
    assert Complaint.objects.filter(pemda=bontang).db == "default"
    with reporting_reads():
        assert Complaint.objects.filter(pemda=bontang).db == "reporting"
        assert ReportingRouter().db_for_write(Complaint) == "default"


def test_a_new_complaint_changes_the_number_at_once(bontang, opds, complaints):
    first = dashboard(bontang, NOVEMBER, now=NOW)["complaints"][0].current.number
    assert first == 6
    version = data_version(bontang.id)
    # cached: the same object comes back without a query
    assert dashboard(bontang, NOVEMBER, now=NOW)["complaints"][0].current.number == 6
    Complaint.objects.create(
        pemda=bontang,
        channel="phone",
        description="Lampu jalan mati",
        received_at=at(11, 26, 9),
        response_due_at=at(11, 27, 9),
    )
    assert data_version(bontang.id) != version
    assert dashboard(bontang, NOVEMBER, now=NOW)["complaints"][0].current.number == 7
    Complaint.objects.filter(description="Lampu jalan mati").first().delete()
    assert dashboard(bontang, NOVEMBER, now=NOW)["complaints"][0].current.number == 6


def test_cached_dashboard_needs_no_query(bontang, everything, django_assert_num_queries):
    dashboard(bontang, NOVEMBER, now=NOW)
    with django_assert_num_queries(0):
        dashboard(bontang, NOVEMBER, now=NOW)


def test_another_pemdas_change_keeps_the_cache(bontang, complaints, django_assert_num_queries):
    dashboard(bontang, NOVEMBER, now=NOW)
    data_changed(bontang.id + 1000)
    with django_assert_num_queries(0):
        dashboard(bontang, NOVEMBER, now=NOW)


def test_previous_period_is_compared(bontang, everything):
    cards = {c.indicator.id: c for cs in dashboard(bontang, NOVEMBER, now=NOW).values() for c in cs}
    received = cards["complaints_received"]
    assert (received.previous.number, received.delta, received.direction) == (2, 4, "up")
    assert received.verdict == "neutral"  # more complaints are neither better nor worse
    median = cards["complaints_median_response"]  # 29.0 h -> 2.0 h
    assert (median.direction, median.verdict) == ("down", "better")
    ikm = cards["ikm"]  # 99.00 -> 74.25
    assert (ikm.direction, ikm.verdict) == ("down", "worse")
    assert dt.date(2026, 10, 1) == NOVEMBER.previous().start


# -- each kind of row behind the figures forgets the cached dashboard at once ------------------
def _number(pemda, key):
    cards = {c.indicator.id: c for cs in dashboard(pemda, NOVEMBER, now=NOW).values() for c in cs}
    return cards[key].current.number


def _stays_cached(pemda, key, expected, django_assert_num_queries):
    assert _number(pemda, key) == expected
    with django_assert_num_queries(0):  # served from the cache
        assert _number(pemda, key) == expected


def test_a_survey_answer_changes_the_ikm_at_once(
    bontang, points, survey, django_assert_num_queries
):
    from balai.visits.services import survey_response_submit

    _stays_cached(bontang, "ikm", Decimal("74.25"), django_assert_num_queries)
    version = data_version(bontang.id)
    survey_response_submit(
        point=points["kec"],
        answers={f"u{i}": 4 for i in range(1, 10)},
        channel="whatsapp",
        token="link-sekali-pakai",
        answered_at=at(11, 20, 10),
    )
    assert data_version(bontang.id) != version
    # every element (4 + 3 + 2 + 4) / 4 = 3.25 -> 9 x 3.25 x 0,11 = 3.2175 -> x 25 = 80.4375
    assert _number(bontang, "ikm") == Decimal("80.44")


def test_a_request_made_ready_changes_the_on_time_share_at_once(
    bontang, requests_, make_member, django_assert_num_queries
):
    from balai.accounts.choices import Role
    from balai.service_requests.services import service_request_ready

    _stays_cached(bontang, "requests_on_time", Decimal("66.7"), django_assert_num_queries)
    operator = make_member(bontang, Role.OPERATOR)
    with time_machine.travel(NOW, tick=False):  # r4 was due 26 Nov 10.00: ready late, at noon
        service_request_ready(request=requests_["r4"], actor=operator)
    assert _number(bontang, "requests_on_time") == Decimal("50.0")  # 2 of 4


def test_an_event_cancelled_changes_the_service_days_at_once(
    bontang, outreach, make_member, django_assert_num_queries
):
    from balai.accounts.choices import Role
    from balai.outreach.models import Event
    from balai.outreach.services import event_update

    _stays_cached(bontang, "outreach_events", 2, django_assert_num_queries)
    event = Event.objects.get(program=outreach, date=dt.date(2026, 11, 17))
    event_update(
        actor=make_member(bontang, Role.PEMDA_ADMIN),
        event=event,
        status="cancelled",
        reason="Hujan deras",
    )
    assert _number(bontang, "outreach_events") == 1  # 10 Nov only


def test_a_delivery_status_changes_the_socialization_reach_at_once(
    bontang, announcements, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from balai.announcements.models import Delivery
    from balai.announcements.sending import delivery_status_apply

    queued = Delivery.objects.get(campaign=announcements, delivered_at__isnull=True)
    Delivery.objects.filter(pk=queued.pk).update(  # sent, as the worker leaves it
        status="sent", provider_message_id="wamid.42", sent_at=at(11, 20, 9)
    )
    _stays_cached(bontang, "socialization_reach", 3, django_assert_num_queries)
    # the channel's status arrives (a webhook): announced after the commit
    with django_capture_on_commit_callbacks(execute=True):
        changed = delivery_status_apply(
            channel="whatsapp", message_id="wamid.42", status="delivered", at=at(11, 20, 10)
        )
    assert changed
    assert _number(bontang, "socialization_reach") == 4
