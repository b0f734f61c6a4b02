"""The on-time rate on a small fixture, counted by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from balai.accounts.choices import Role
from balai.catalog.choices import DurationUnit
from balai.service_requests import services
from balai.service_requests.choices import Channel
from balai.service_requests.selectors import on_time_rate

from .conftest import full

WITA = ZoneInfo("Asia/Makassar")
JUNE = {"start": dt.date(2025, 6, 1), "end": dt.date(2025, 6, 30)}


def local(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def world(bontang, make_service, make_point, make_member):
    admin = make_member(bontang, Role.PEMDA_ADMIN)
    a = make_service(bontang, code="a", time=60, unit=DurationUnit.MINUTES)
    b = make_service(bontang, code="b", time=120, unit=DurationUnit.MINUTES)
    p1 = make_point(bontang, "p1", "64.74.02")
    p2 = make_point(bontang, "p2", "64.74.01")

    def request(service, point, filed, ready=None):
        req = services.service_request_submit(
            pemda=bontang,
            service=service,
            point=point,
            channel=Channel.COUNTER,
            checklist=full(service.standards.get()),
            at=filed,
        )
        if ready is not None:
            with time_machine.travel(ready, tick=False):
                req = services.service_request_ready(request=req, actor=admin)
        return req

    # service, point, filed, ready            due     on time?
    request(a, p1, local(2025, 6, 2, 9), local(2025, 6, 2, 9, 30))  # 10.00  yes
    request(a, p1, local(2025, 6, 2, 9), local(2025, 6, 2, 10))  # 10.00  yes (equal)
    request(a, p2, local(2025, 6, 2, 9), local(2025, 6, 2, 11))  # 10.00  no
    request(b, p2, local(2025, 6, 2, 9), local(2025, 6, 2, 10))  # 11.00  yes
    request(b, None, local(2025, 6, 2, 9), local(2025, 6, 2, 13))  # 11.00  no
    # Ready at 00.10 on 1 June in Bontang (still 31 May in UTC): inside the period.
    request(b, p1, local(2025, 5, 31, 23, 30), local(2025, 6, 1, 0, 10))  # 01.30  yes
    # Ready at 00.30 on 1 July in Bontang (still 30 June in UTC): outside the period.
    request(a, p1, local(2025, 6, 30, 23), local(2025, 7, 1, 0, 30))
    # Not ready, or rejected: not counted.
    request(a, p1, local(2025, 6, 3, 9))
    rejected = request(b, p2, local(2025, 6, 3, 9))
    services.service_request_reject(request=rejected, actor=admin, reason="Bukan")
    return {"a": a, "b": b, "p1": p1, "p2": p2}


def counts(rows):
    return {row.key: (row.ready, row.on_time) for row in rows}


def test_on_time_rate_in_all_per_service_and_per_point(world, bontang, django_assert_num_queries):
    with django_assert_num_queries(3):
        rate = on_time_rate(pemda=bontang, **JUNE)
    assert (rate.total.ready, rate.total.on_time, rate.total.late) == (6, 4, 2)
    assert rate.total.share == pytest.approx(4 / 6)
    assert rate.total.percent == 66.7
    assert counts(rate.by_service) == {world["a"].pk: (3, 2), world["b"].pk: (3, 2)}
    assert counts(rate.by_point) == {world["p1"].pk: (3, 3), world["p2"].pk: (2, 1), None: (1, 0)}


def test_on_time_rate_for_one_service_or_one_point(world, bontang):
    rate = on_time_rate(pemda=bontang, service=world["a"], **JUNE)
    assert (rate.total.ready, rate.total.on_time) == (3, 2)
    assert counts(rate.by_point) == {world["p1"].pk: (2, 2), world["p2"].pk: (1, 0)}
    rate = on_time_rate(pemda=bontang, point=world["p2"], **JUNE)
    assert (rate.total.ready, rate.total.on_time) == (2, 1)


def test_on_time_rate_of_an_empty_period(world, bontang):
    rate = on_time_rate(pemda=bontang, start=dt.date(2025, 8, 1), end=dt.date(2025, 8, 31))
    assert (rate.total.ready, rate.total.share, rate.by_service) == (0, None, [])


def test_the_july_request_counts_in_july(world, bontang):
    rate = on_time_rate(pemda=bontang, start=dt.date(2025, 7, 1), end=dt.date(2025, 7, 1))
    assert (rate.total.ready, rate.total.on_time) == (1, 0)
