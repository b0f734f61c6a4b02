"""Every page of the UI shell renders, in Bahasa Indonesia by default, with what it promises."""

import re

import pytest
from django.core import mail
from django.template import loader
from django.urls import reverse

from balai.accounts.choices import Role
from balai.accounts.models import PersonalToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, bontang, make_member):
    user = make_member(bontang, Role.PEMDA_ADMIN, full_name="Siti Rahma", email="siti@example.id")
    client.force_login(user)
    return client


def test_login_page_is_in_indonesian_and_links_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()

    assert "Masuk staf" in html
    assert "Nama pengguna" in html  # Django's own label, translated by Django's catalog
    assert reverse("password_reset") in html


def test_login_reaches_the_staff_home(client, bontang, make_member):
    make_member(bontang, Role.PEMDA_ADMIN, username="admin1")

    response = client.post(
        reverse("login"), {"username": "admin1", "password": "rahasia-123"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("staff:home")
    assert "Administrator Pemda" in response.content.decode()


def test_staff_home_shows_memberships_and_the_audit_link_for_admins(client, bontang, make_member):
    opd = bontang.opds.get(short_name="Dinkes")
    user = make_member(bontang, Role.PEMDA_ADMIN, full_name="Siti Rahma")
    user.memberships.create(pemda=bontang, role=Role.OPD_STAFF, opd=opd)
    client.force_login(user)

    html = client.get(reverse("staff:home")).content.decode()

    assert "Selamat datang, Siti Rahma" in html
    assert "Administrator Pemda" in html
    assert "Staf OPD / anggota TRC" in html
    assert "Dinas Kesehatan" in html
    assert html.count(reverse("staff:audit_list", args=[bontang.slug])) == 1
    assert "<form" in html
    assert f'action="{reverse("logout")}" method="post"' in html


def test_staff_home_without_membership_shows_the_empty_state(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("tamu", password="x"))

    html = client.get(reverse("staff:home")).content.decode()

    assert "Anda belum memiliki peran" in html
    assert "/audit/" not in html


def test_audit_list_renders_filters_table_and_pagination(admin_client, bontang):
    url = reverse("staff:audit_list", args=[bontang.slug])

    response = admin_client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Log audit" in html
    assert "table-responsive" in html
    assert "opd.create" in html
    assert "WITA" in html
    assert 'name="action"' in html
    assert 'name="actor"' in html
    assert 'name="q"' in html

    filtered = admin_client.get(url, {"action": "pemda."}).content.decode()
    assert "pemda.create" in filtered
    assert "opd.create" not in filtered


def test_audit_list_is_forbidden_without_the_admin_role(client, bontang, make_member):
    client.force_login(make_member(bontang, Role.LEADERSHIP))

    response = client.get(reverse("staff:audit_list", args=[bontang.slug]))

    assert response.status_code == 403


def test_token_page_shows_the_key_once_and_revokes(admin_client):
    url = reverse("token_list")

    created = admin_client.post(url, {"name": "Sinkronisasi"}).content.decode()
    key = re.search(r'id="new-token-key"[^>]*>(blai_[^<]+)<', created).group(1)
    token = PersonalToken.objects.get()
    assert token.key_hash == PersonalToken.hash_key(key)
    assert "hanya ditampilkan kali ini" in created
    assert 'value="Sinkronisasi"' not in created  # the form starts empty again

    again = admin_client.get(url).content.decode()
    assert key not in again
    assert token.key_prefix in again

    revoked = admin_client.post(url, {"revoke": token.pk}, follow=True).content.decode()
    assert "Token sudah dicabut." in revoked
    assert "Anda belum punya token aktif." in revoked


def test_password_reset_sends_an_indonesian_email(client, bontang, make_member):
    make_member(bontang, Role.PEMDA_ADMIN, email="siti@example.id", full_name="Siti Rahma")

    response = client.post(reverse("password_reset"), {"email": "siti@example.id"}, follow=True)

    assert "Periksa email Anda" in response.content.decode()
    (message,) = mail.outbox
    assert message.subject == "Atur ulang kata sandi Balai Anda"
    assert "Halo Siti Rahma," in message.body
    assert "/akun/sandi/atur/" in message.body


def test_password_reset_confirm_with_a_bad_link(client):
    url = reverse("password_reset_confirm", args=["MQ", "bad-token"])

    html = client.get(url).content.decode()

    assert "tidak valid" in html


def test_500_template_renders_without_request_context():
    html = loader.get_template("500.html").render()

    assert "Terjadi kesalahan" in html
    assert "/static/bootstrap/css/bootstrap.min.css" in html
