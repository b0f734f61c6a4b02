"""The public portal: the list of Pemda, one Pemda's page, the default language."""

import pytest
from django.urls import reverse

from balai.organizations.services import pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

pytestmark = pytest.mark.django_db


def test_root_lists_the_pemda_with_its_facts(client, bontang):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kota Bontang" in html
    assert "64.74" in html
    assert "WITA" in html
    assert reverse("portal:pemda", args=[bontang.slug]) in html
    (listed,) = response.context["pemdas"]
    assert listed.kecamatan_count == 3


def test_root_without_pemda_shows_the_empty_state(client):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert "Belum ada Pemda" in response.content.decode()


def test_root_query_count_does_not_grow_with_the_number_of_pemda(
    client, bontang, django_assert_num_queries
):
    with django_assert_num_queries(1):
        client.get(reverse("portal:home"))

    regions_import(only="51.06")  # Kabupaten Bangli
    pemda_create(actor=None, region=Region.objects.get(code="51.06"))

    with django_assert_num_queries(1):
        response = client.get(reverse("portal:home"))
    assert "Kabupaten Bangli" in response.content.decode()


def test_pemda_page_shows_counts_and_opd(client, bontang):
    response = client.get(reverse("portal:pemda", args=[bontang.slug]))

    assert response.status_code == 200
    assert response.context["counts"] == {"kecamatan": 3, "villages": 15}
    html = response.content.decode()
    assert "Bontang" in html
    assert "Dinas Kesehatan" in html
    assert "Kecamatan Bontang Selatan" in html


def test_pemda_page_of_an_unknown_slug_is_404(client, bontang):
    response = client.get(reverse("portal:pemda", args=["tidak-ada"]))

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_inactive_pemda_is_neither_listed_nor_reachable(client, bontang):
    bontang.is_active = False
    bontang.save()

    assert "Kota Bontang" not in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:pemda", args=[bontang.slug])).status_code == 404


def test_default_language_is_indonesian(client, bontang):
    response = client.get(reverse("portal:home"))

    assert response.headers["Content-Language"] == "id"
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Layanan publik" in html


def test_language_switch_to_english_and_back(client, bontang):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Public services" in html

    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get(reverse("portal:home")).content.decode()


def test_static_assets_are_local(client, bontang):
    html = client.get(reverse("portal:home")).content.decode()

    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html
