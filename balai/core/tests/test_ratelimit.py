"""Rate limits on public endpoints answer 429 with a clear message and change nothing.

The limits count in fixed windows (`time // window`): tests that fill one run with the clock
stopped (`one_window`), or a run across a window's edge would start counting again.
"""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from balai.accounts.choices import Role
from balai.core.ratelimit import parse_rate


@pytest.fixture
def one_window():
    with time_machine.travel(timezone.now(), tick=False):
        yield


def test_parse_rate():
    assert parse_rate("10/m") == (10, 60)
    assert parse_rate("20/10m") == (20, 600)
    assert parse_rate("5/h") == (5, 3600)


def test_login_locks_an_account_after_five_failed_passwords(
    one_window, client, bontang, make_member
):
    make_member(bontang, Role.OPERATOR, username="siti", password="benar-sekali-123")
    make_member(bontang, Role.OPERATOR, username="budi", password="benar-sekali-123")
    url = reverse("login")
    for _ in range(5):
        assert client.post(url, {"username": "siti", "password": "salah"}).status_code == 200
    locked = client.post(url, {"username": "siti", "password": "benar-sekali-123"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in locked.content.decode()
    other = client.post(url, {"username": "budi", "password": "benar-sekali-123"})
    assert other.status_code == 302  # another account is not affected


def test_complaint_form_is_limited_per_address(one_window, client, bontang):
    from balai.complaints.models import Complaint

    url = reverse("portal:complaint_new", args=[bontang.slug])
    data = {"description": "Lampu jalan mati di depan sekolah", "website": ""}
    for _ in range(10):
        assert client.post(url, data).status_code == 302
    refused = client.post(url, data)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Complaint.objects.count() == 10
    assert client.post(url, data, REMOTE_ADDR="10.9.8.7").status_code == 302  # someone else


def test_open311_post_limit_answers_in_the_spec_format(one_window, client, bontang):
    for _ in range(30):
        client.post("/open311/v2/requests.json", {"api_key": "nope"})
    refused = client.post("/open311/v2/requests.json", {"api_key": "nope"})
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429
