"""Every public form that collects personal data shows a privacy notice (UU 27/2022 art. 20-22:
what is collected, what for, who sees it, how long it is kept) before the citizen sends it.

A new public form that asks for personal data is added to PERSONAL_DATA_FORMS.
"""

import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.urls import reverse

from balai.accounts.choices import Role
from balai.catalog.choices import ServiceCategory
from balai.catalog.models import Service
from balai.community import services as community
from balai.organizations.models import OPD, ServicePoint, Unit
from balai.service_requests.tests.conftest import add_standard
from balai.visits.survey import skm_link

NOTICE = re.compile(
    r'<aside[^>]*aria-label="Pemberitahuan privasi"[^>]*>(?P<body>.*?)</aside>', re.S
)

# (what the form is, its URL from the `place` fixture)
PERSONAL_DATA_FORMS: tuple[tuple[str, Callable[[SimpleNamespace], str]], ...] = (
    ("complaint", lambda p: reverse("portal:complaint_new", args=[p.pemda.slug])),
    (
        "announcement subscription",
        lambda p: reverse("portal:announcement_subscribe", args=[p.pemda.slug]),
    ),
    (
        "community space booking",
        lambda p: reverse("portal:community_booking_new", args=[p.pemda.slug, p.point.slug]),
    ),
    ("SKM survey, WhatsApp link", lambda p: skm_link(p.point, p.service)),
    ("SKM survey, QR", lambda p: reverse("portal:skm_answer", args=[p.pemda.slug, p.point.slug])),
    (
        "online service application",
        lambda p: reverse("portal:service_request_apply", args=[p.pemda.slug, p.service.code]),
    ),
)


@pytest.fixture
def place(bontang, make_member):
    """Bontang with an office that has a bookable hall and offers a service (online too)."""
    opd = OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")
    unit = Unit.objects.create(
        pemda=bontang,
        opd=opd,
        name="Kantor Kecamatan Bontang Selatan",
        kind="kantor_kecamatan",
        region_id="64.74.02",
    )
    point = ServicePoint.objects.create(
        pemda=bontang,
        unit=unit,
        slug="kec-bontang-selatan",
        name="Kantor Kecamatan Bontang Selatan",
        kind="kantor_kecamatan",
        region_id="64.74.02",
    )
    service = Service.objects.create(
        pemda=bontang,
        code="sku",
        name="Surat keterangan usaha",
        category=ServiceCategory.LETTERS,
        opd=opd,
        accepts_online=True,
    )
    add_standard(service)
    point.services.set([service])
    community.space_create(
        actor=make_member(bontang, Role.PEMDA_ADMIN), point=point, name="Aula", capacity=80
    )
    return SimpleNamespace(pemda=bontang, point=point, service=service)


@pytest.mark.parametrize(
    "url_of", [url for _, url in PERSONAL_DATA_FORMS], ids=[name for name, _ in PERSONAL_DATA_FORMS]
)
def test_the_form_shows_a_privacy_notice(client, place, url_of):
    response = client.get(url_of(place))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<form" in page
    notices = NOTICE.findall(page)
    assert len(notices) == 1, "no privacy notice (aside aria-label 'Pemberitahuan privasi')"
    body = notices[0]
    assert "Data pribadi Anda" in body  # in Indonesian, not the English msgid
    assert "UU 27/2022" in body  # says how long the data is kept, under which law
    # Inside the form (read before it is sent): the last form opened before it is still open.
    at = page.index('aria-label="Pemberitahuan privasi"')
    opened = page.rfind("<form", 0, at)
    assert opened != -1 and "</form>" not in page[opened:at]
    assert 'type="submit"' in page[at : page.index("</form>", at)]


def test_the_skm_notice_says_what_is_collected_and_that_it_is_anonymous(client, place):
    page = client.get(skm_link(place.point, place.service)).content.decode()
    assert 'name="t"' in page  # the link was accepted
    body = " ".join(NOTICE.search(page)["body"].split())
    for said in ("usia", "jenis kelamin", "pendidikan", "pekerjaan", "anonim", "NIK", "IKM"):
        assert said in body
