"""The reporting database router, and the cache that a new complaint invalidates at once."""

import datetime as dt

import pytest
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
