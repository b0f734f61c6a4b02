"""The effect figures of the reach page against visits counted by hand: the promoted session and
service, by residents of each targeted area (a kelurahan, one RT of another kelurahan), in equal
windows before and after publication, and all other residents as the comparison."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from balai.announcements import services
from balai.announcements.reach import campaign_reach
from balai.announcements.selectors import campaign_targets
from balai.catalog.choices import ServiceCategory
from balai.catalog.models import Service
from balai.organizations.models import OPD
from balai.regions.models import Region
from balai.visits.models import Visit

from .conftest import TL, TLI, region

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.UTC)  # 10.00 WITA
DAY, HOUR = dt.timedelta(days=1), dt.timedelta(hours=1)


def _service(pemda, code):
    return Service.objects.create(
        pemda=pemda,
        code=code,
        name=code.upper(),
        category=ServiceCategory.LETTERS,
        opd=OPD.objects.filter(pemda=pemda).order_by("pk").first(),
    )


def _visit(pemda, at, village, *, services, rt="", session="night"):
    visit = Visit.objects.create(
        pemda=pemda,
        visited_at=at,
        session_kind=session,
        village_id=village,
        rt=rt,
        occupation="swasta",
    )
    visit.services.add(*services)
    return visit


@pytest.fixture
def promoted(bontang, rts, commit):
    """A night-service campaign for KTP-el to Tanjung Laut Indah and RT 002 of Tanjung Laut,
    published at PUBLISHED; visits around it (window: 7 days each side)."""
    ktp, kk = _service(bontang, "ktp"), _service(bontang, "kk")
    campaign = services.campaign_create(
        actor=None,
        pemda=bontang,
        title="Layanan malam KTP-el",
        body="Senin-Kamis 19.00-21.00 WITA",
        regions=[region(TLI)],
        units=[rts["tl"][1]],  # RT 002 of Tanjung Laut
        service=ktp,
        session_kind="night",
    )
    with time_machine.travel(PUBLISHED, tick=False), commit():
        services.campaign_send(actor=None, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.published_at == PUBLISHED
    other = (
        Region.objects.filter(code__startswith="64.74.01.", level=4).order_by("code").first().code
    )
    p = PUBLISHED
    # Tanjung Laut Indah (targeted): before 3, after 5.
    for at in (p - 7 * DAY, p - 2 * DAY, p - HOUR):
        _visit(bontang, at, TLI, services=[ktp])
    for at in (p, p + DAY, p + 3 * DAY, p + 6 * DAY, p + 7 * DAY - HOUR):
        _visit(bontang, at, TLI, services=[ktp, kk])  # two services: still one visit
    _visit(bontang, p - 7 * DAY - HOUR, TLI, services=[ktp])  # before the window
    _visit(bontang, p + 7 * DAY, TLI, services=[ktp])  # the after window has ended
    _visit(bontang, p + DAY, TLI, services=[ktp], session="regular")  # not the night service
    _visit(bontang, p + DAY, TLI, services=[kk])  # not the promoted service
    # Tanjung Laut, RT 002 (targeted, written "2" or "002"): before 1, after 2.
    _visit(bontang, p - DAY, TL, services=[ktp], rt="2")
    _visit(bontang, p + DAY, TL, services=[ktp], rt="002")
    _visit(bontang, p + 2 * DAY, TL, services=[ktp], rt="2")
    # Comparison (every other resident): before 2 + 4 = 6, after 1 + 1 + 4 + 1 = 7.
    for at in (p - DAY, p - 3 * DAY):
        _visit(bontang, at, TL, services=[ktp], rt="1")  # RT 001: not targeted
    _visit(bontang, p + DAY, TL, services=[ktp], rt="1")
    _visit(bontang, p + DAY, TL, services=[ktp])  # RT unknown
    for k in range(4):
        _visit(bontang, p - (k + 1) * DAY, other, services=[ktp])
        _visit(bontang, p + (k + 1) * DAY, other, services=[ktp])
    _visit(bontang, p + 2 * DAY, None, services=[ktp])  # village unknown
    return campaign


def test_the_effect_figures_match_the_hand_count(promoted):
    reach = campaign_reach(
        promoted,
        targets=campaign_targets(promoted),
        window_days=7,
        now=PUBLISHED + 10 * DAY,
    )
    assert reach.before == (PUBLISHED - 7 * DAY, PUBLISHED)
    assert reach.after == (PUBLISHED, PUBLISHED + 7 * DAY)
    assert [(e.before, e.after) for e in reach.effects] == [(3, 5), (1, 2)]
    assert reach.effects[0].label == "Kelurahan Tanjung Laut Indah"
    assert (reach.targeted_total.before, reach.targeted_total.after) == (4, 7)
    assert (reach.elsewhere.before, reach.elsewhere.after) == (6, 7)
    assert reach.effects[0].change == 2 and round(reach.effects[0].change_percent) == 67


def test_a_shorter_after_window_cuts_both_windows(promoted):
    """Three days after publication: 3 days each side."""
    reach = campaign_reach(
        promoted, targets=campaign_targets(promoted), window_days=7, now=PUBLISHED + 3 * DAY
    )
    assert reach.before == (PUBLISHED - 3 * DAY, PUBLISHED)
    # TLI: before p-2d, p-1h; after p, p+1d. RT 002: before p-1d; after p+1d, p+2d.
    assert [(e.before, e.after) for e in reach.effects] == [(2, 2), (1, 2)]
    # Others before: TL RT 001 p-1d, p-3d + other village p-1d, p-2d, p-3d = 5;
    # after: TL RT 001 p+1d, TL no RT p+1d, other village p+1d, p+2d, no village p+2d = 5.
    assert (reach.elsewhere.before, reach.elsewhere.after) == (5, 5)


def test_the_reach_page_shows_the_same_figures(client, admin, promoted):
    client.force_login(admin)
    url = reverse("staff:announcement_reach", args=["bontang", promoted.pk])
    with time_machine.travel(PUBLISHED + 10 * DAY, tick=False):
        response = client.get(url, {"hari": 7})
    assert response.status_code == 200
    reach = response.context["reach"]
    assert [(e.before, e.after) for e in reach.effects] == [(3, 5), (1, 2)]
    assert (reach.targeted_total.before, reach.targeted_total.after) == (4, 7)
    assert (reach.elsewhere.before, reach.elsewhere.after) == (6, 7)
    page = response.content.decode()
    row = '<td data-label="Sebelum">{}</td><td data-label="Sesudah">{}</td>'
    for before, after in ((3, 5), (1, 2), (4, 7), (6, 7)):
        assert row.format(before, after) in page
