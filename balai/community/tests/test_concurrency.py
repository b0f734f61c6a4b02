"""Two staff members approve two overlapping requests for one slot at the same moment, each on
their own database connection: exactly one approval succeeds, the other gets a clear message.

Real concurrency needs PostgreSQL (row locks, separate connections). SQLite runs the same
rules one after the other (test_booking_services.py) and serializes writers at BEGIN IMMEDIATE.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from balai.community import services
from balai.community.choices import BookingStatus
from balai.community.models import Booking

from .conftest import at
from .test_booking_services import upcoming

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent transactions need PostgreSQL; SQLite runs one writer at a time "
        "(the same rules are tested sequentially on both databases).",
    ),
]


def _race(jobs):
    """Run the callables at once (a barrier), each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        translation.activate("id")
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", job())
        except ValidationError as error:
            results[index] = ("refused", error.messages)
        except Exception as error:  # reported by the assertion below
            results[index] = ("crashed", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("rounds", range(3))
def test_two_concurrent_approvals_of_one_slot(book, admin, area_staff, rounds):
    day = upcoming(3)
    first = book(at(day, 18), at(day, 21), group_name="UMKM Batik Gajah Oling")
    second = book(at(day, 19), at(day, 20), group_name="Kelompok Tani Sumber Rejeki")

    results = _race(
        [
            lambda: services.booking_approve(booking=first, actor=admin),
            lambda: services.booking_approve(booking=second, actor=area_staff),
        ]
    )

    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["ok", "refused"], results
    refused = next(value for kind, value in results if kind == "refused")
    assert "Ruang ini sudah dipesan" in refused[0]
    assert Booking.objects.filter(status=BookingStatus.APPROVED).count() == 1
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == 1


def test_two_concurrent_counter_bookings_of_one_slot(book, admin, area_staff):
    """Staff at two desks book the same evening for two groups and approve at once."""
    day = upcoming(1, weeks=2)
    results = _race(
        [
            lambda: book(at(day, 19), at(day, 21), actor=admin, approve=True),
            lambda: book(at(day, 20), at(day, 22), actor=area_staff, approve=True),
        ]
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert Booking.objects.filter(status=BookingStatus.APPROVED).count() == 1
