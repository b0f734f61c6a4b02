"""Login attempts from one address are limited (30 in 10 minutes), whatever the usernames: past
it the form answers a clear 429, even to the right password, and nobody is logged in."""

import time_machine
from django.urls import reverse
from django.utils import timezone

from balai.accounts.choices import Role
from balai.accounts.models import User
from balai.accounts.views import LOGIN_PER_ADDRESS
from balai.core.ratelimit import parse_rate

MESSAGE = "Terlalu banyak permintaan. Silakan tunggu sebentar, lalu coba lagi."


def test_login_is_limited_per_address(client, bontang, make_member):
    assert parse_rate(LOGIN_PER_ADDRESS) == (30, 600)
    make_member(bontang, Role.OPERATOR, username="siti", password="benar-sekali-123")
    url = reverse("login")
    with time_machine.travel(timezone.now(), tick=False):  # one rate window for the whole test
        # 30 guesses spread over usernames, so no account lockout (5 per username) kicks in.
        for i in range(30):
            response = client.post(url, {"username": f"tebakan{i}", "password": "salah"})
            assert response.status_code == 200
        refused = client.post(url, {"username": "siti", "password": "benar-sekali-123"})
        assert refused.status_code == 429
        assert refused["Retry-After"]
        assert MESSAGE in refused.content.decode()
        assert "_auth_user_id" not in client.session
        assert User.objects.get(username="siti").last_login is None
        # The refused attempt was not counted against the account, and the limit is per address:
        # Siti logs in from her own address at once.
        other = client.post(
            url, {"username": "siti", "password": "benar-sekali-123"}, REMOTE_ADDR="10.4.5.6"
        )
        assert other.status_code == 302
        assert User.objects.get(username="siti").last_login is not None
