"""An account is locked for exactly 15 minutes from its fifth failed password (counted from the
first failure), whatever the clock's 15-minute boundaries; the 429 says how long is left."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from balai.accounts.choices import Role
from balai.accounts.models import User

UTC = dt.UTC
RIGHT = "benar-sekali-123"


def at(hour, minute, second=0):
    return dt.datetime(2026, 11, 26, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def siti(bontang, make_member):
    return make_member(bontang, Role.OPERATOR, username="siti", password=RIGHT)


def attempt(client, when, password, username="siti"):
    with time_machine.travel(when, tick=False):
        return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_lock_lasts_fifteen_minutes_from_the_fifth_failure(client, siti):
    # Five failures just before 12:15:00, a 15-minute boundary of the clock.
    for second in (30, 37, 44, 51, 59):
        assert attempt(client, at(12, 14, second), "salah").status_code == 200
    for when, minutes in [
        (at(12, 15, 0), 15),  # a fixed window would have let her in here
        (at(12, 20, 0), 10),
        (at(12, 29, 0), 1),
        (at(12, 29, 58), 1),
    ]:
        locked = attempt(client, when, RIGHT)
        assert locked.status_code == 429, when
        assert f"Coba lagi dalam {minutes} menit." in locked.content.decode()
        assert int(locked["Retry-After"]) == (at(12, 29, 59) - when).seconds
        assert not logged_in(client)
    assert User.objects.get(pk=siti.pk).last_login is None
    # 15 minutes after the fifth failure (12:14:59) the lock is lifted.
    assert attempt(client, at(12, 29, 59), RIGHT).status_code == 302
    assert logged_in(client)


def test_refused_attempts_do_not_extend_the_lock(client, siti):
    for second in range(50, 55):
        attempt(client, at(9, 0, second), "salah")
    for minute in range(1, 15):
        assert attempt(client, at(9, minute, 0), "salah").status_code == 429
    assert attempt(client, at(9, 15, 54), RIGHT).status_code == 302


def test_failures_across_a_boundary_still_lock(client, siti, make_member, bontang):
    make_member(bontang, Role.OPERATOR, username="budi", password=RIGHT)
    for when in (at(12, 14, 50), at(12, 14, 55), at(12, 14, 59), at(12, 15, 2), at(12, 15, 5)):
        attempt(client, when, "salah")
    locked = attempt(client, at(12, 15, 10), RIGHT)
    assert locked.status_code == 429
    assert attempt(client, at(12, 15, 11), RIGHT, username="budi").status_code == 302


def test_failures_further_apart_than_fifteen_minutes_do_not_lock(client, siti):
    for minute in (0, 1, 2, 3):
        attempt(client, at(8, minute), "salah")
    assert attempt(client, at(8, 16), "salah").status_code == 200  # the count started again
    assert attempt(client, at(8, 16, 30), RIGHT).status_code == 302


def test_the_message_in_english(client, siti):
    client.cookies["django_language"] = "en"
    for second in range(5):
        attempt(client, at(7, 0, second), "salah")
    page = attempt(client, at(7, 0, 5), RIGHT).content.decode()
    assert "Too many failed attempts for this account. Try again in 15 minutes." in page
    page = attempt(client, at(7, 14, 30), RIGHT).content.decode()  # 34 s left
    assert "Try again in 1 minute." in page
