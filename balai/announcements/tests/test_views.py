"""Portal and staff pages: published per area, feed, views counted, subscribe/opt-out, staff
workflow (create, preview, schedule, send, cancel), reach, posters, permissions, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.accounts.choices import Role
from balai.announcements import services
from balai.announcements.choices import CampaignStatus
from balai.announcements.models import Campaign, Subscription
from balai.announcements.sending import campaign_public_url
from balai.core.testing import qr_codes_in_pdf

from .conftest import TL, TLI, add_contact, region

pytestmark = pytest.mark.django_db


def _published(pemda, commit, title="Layanan malam", **targets):
    campaign = services.campaign_create(
        actor=None, pemda=pemda, title=title, body="Senin-Kamis 19.00-21.00 WITA", **targets
    )
    with commit():
        services.campaign_send(actor=None, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def test_the_portal_lists_announcements_for_an_area(client, bontang, rts, commit):
    tli = _published(bontang, commit, "Untuk Tanjung Laut Indah", regions=[region(TLI)])
    rt = _published(bontang, commit, "Untuk satu RT", units=[rts["tli"][0]])
    tl = _published(bontang, commit, "Untuk kelurahan tetangga", regions=[region(TL)])
    everyone = _published(bontang, commit, "Untuk semua", regions=[region("64.74")])
    services.campaign_create(
        actor=None, pemda=bontang, title="Draf", body="x", regions=[region(TLI)]
    )
    url = reverse("portal:announcement_list", args=["bontang"])
    page = client.get(url).content.decode()
    assert all(c.title in page for c in (tli, rt, tl, everyone)) and "Draf" not in page
    page = client.get(url, {"wilayah": TLI}).content.decode()
    assert tli.title in page and rt.title in page and everyone.title in page
    assert tl.title not in page


def test_the_detail_page_counts_views_and_hides_drafts(
    client, bontang, commit, django_assert_max_num_queries
):
    campaign = _published(bontang, commit, regions=[region(TLI)])
    url = reverse("portal:announcement_detail", args=["bontang", campaign.pk])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200 and campaign.title in response.content.decode()
    client.get(url)
    campaign.refresh_from_db()
    assert campaign.view_count == 2
    draft = services.campaign_create(
        actor=None, pemda=bontang, title="D", body="x", regions=[region(TLI)]
    )
    assert (
        client.get(reverse("portal:announcement_detail", args=["bontang", draft.pk])).status_code
        == 404
    )


def test_the_atom_feed_per_pemda_and_area(client, bontang, commit):
    tli = _published(bontang, commit, "Untuk TLI", regions=[region(TLI)])
    tl = _published(bontang, commit, "Untuk tetangga", regions=[region(TL)])
    url = reverse("portal:announcement_feed", args=["bontang"])
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and tli.title in body and tl.title in body
    body = client.get(url, {"wilayah": TLI}).content.decode()
    assert tli.title in body and tl.title not in body
    assert client.get(url, {"wilayah": "31.71"}).status_code == 404


def test_subscribe_and_opt_out_on_the_portal(client, bontang):
    url = reverse("portal:announcement_subscribe", args=["bontang"])
    page = client.get(url).content.decode()
    assert "UU 27/2022" in page
    response = client.post(url, {"phone": "0812 3456 7890", "areas": [TLI], "topics": ["layanan"]})
    assert response.status_code == 200 and not Subscription.objects.exists()  # no consent
    response = client.post(
        url, {"phone": "0812 3456 7890", "areas": [TLI], "topics": ["layanan"], "consent": "on"}
    )
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert sub.phone == "+6281234567890" and sub.consent_method == "portal"
    assert [a.code for a in sub.areas.all()] == [TLI] and sub.topic_list == ["layanan"]
    client.post(reverse("portal:announcement_opt_out", args=["bontang"]), {"phone": "081234567890"})
    sub.refresh_from_db()
    assert sub.opted_out_at is not None


def test_staff_create_preview_schedule_send_and_cancel(client, bontang, rts, admin, commit):
    add_contact(bontang, "RT 1", "", unit=rts["tli"][0], email="rt1@example.com", channel="email")
    client.force_login(admin)
    response = client.post(
        reverse("staff:announcement_create", args=["bontang"]),
        {
            "title": "Layanan malam",
            "body": "Kantor kelurahan buka malam.",
            "topic": "layanan",
            "targets": [f"r:{TLI}"],
            "channels": ["whatsapp", "email"],
            "session_kind": "night",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.session_kind == "night"
    detail = client.get(reverse("staff:announcement_detail", args=["bontang", campaign.pk]))
    assert "Kantor kelurahan buka malam." in detail.content.decode()
    assert detail.context["recipient_count"] == 1
    at = (timezone.now() + dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    client.post(
        reverse("staff:announcement_schedule", args=["bontang", campaign.pk]),
        {"at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED
    assert abs(campaign.scheduled_at - at.replace(second=0, microsecond=0)) < dt.timedelta(
        seconds=1
    )
    with commit():
        client.post(reverse("staff:announcement_send", args=["bontang", campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    # Sent: cancelling is refused and changes nothing.
    client.post(reverse("staff:announcement_cancel", args=["bontang", campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    other = services.campaign_create(
        actor=None, pemda=bontang, title="X", body="x", regions=[region(TL)]
    )
    url = reverse("staff:announcement_cancel", args=["bontang", other.pk])
    assert (
        "Yes, cancel it" in client.get(url).content.decode() or client.get(url).status_code == 200
    )
    client.post(url)
    other.refresh_from_db()
    assert other.status == CampaignStatus.CANCELLED


def test_the_staff_list_is_paginated_searchable_and_constant_in_queries(
    client, bontang, admin, django_assert_max_num_queries
):
    for n in range(30):
        services.campaign_create(
            actor=None, pemda=bontang, title=f"Pengumuman {n}", body="x", regions=[region(TLI)]
        )
    client.force_login(admin)
    url = reverse("staff:announcement_list", args=["bontang"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25
    response = client.get(url, {"q": "Pengumuman 7"})
    assert [c.title for c in response.context["page"].object_list] == ["Pengumuman 7"]


def test_pages_refuse_people_without_a_role(client, bontang, make_member):
    operator = make_member(bontang, Role.OPERATOR)
    client.force_login(operator)
    assert client.get(reverse("staff:announcement_list", args=["bontang"])).status_code == 403
    assert client.get(reverse("staff:contact_list", args=["bontang"])).status_code == 403
    leader = make_member(bontang, Role.LEADERSHIP)
    client.force_login(leader)
    assert client.get(reverse("staff:announcement_list", args=["bontang"])).status_code == 200
    assert client.get(reverse("staff:announcement_create", args=["bontang"])).status_code == 403


def test_area_staff_pick_only_inside_their_area(client, bontang, rts, make_member):
    staff = make_member(bontang, Role.AREA_STAFF, region=region(TLI))
    client.force_login(staff)
    response = client.get(reverse("staff:announcement_create", args=["bontang"]))
    values = [v for v, _l, _k in response.context["picker"]]
    assert f"r:{TLI}" in values and f"r:{TL}" not in values and "r:64.74" not in values
    assert f"u:{rts['tli'][0].pk}" in values and f"u:{rts['tl'][0].pk}" not in values


def test_reach_page_and_posters(client, bontang, rts, admin, commit, django_assert_max_num_queries):
    campaign = _published(bontang, commit, regions=[region(TLI)])
    client.force_login(admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("staff:announcement_reach", args=["bontang", campaign.pk]))
    assert response.status_code == 200
    for size in ("a4", "a5"):
        response = client.get(
            reverse("staff:announcement_poster", args=["bontang", campaign.pk]), {"ukuran": size}
        )
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert qr_codes_in_pdf(response.content) == [campaign_public_url(campaign)]


def test_lists_keep_a_constant_number_of_queries(
    client, bontang, rts, admin, commit, django_assert_max_num_queries
):
    for n in range(1, 4):
        add_contact(bontang, f"RT {n}", f"0812-1111-000{n}", unit=rts["tli"][n - 1])
        _published(bontang, commit, f"Pengumuman {n}", regions=[region(TLI)])
    client.force_login(admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("staff:contact_list", args=["bontang"])).status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        page = client.get(reverse("portal:announcement_list", args=["bontang"]), {"wilayah": TLI})
    assert len(page.context["page"].object_list) == 3


def test_the_staff_home_links_to_announcements_and_contacts(client, bontang, admin):
    client.force_login(admin)
    page = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:announcement_list", args=["bontang"]) in page
    assert reverse("staff:contact_list", args=["bontang"]) in page


def test_a_citizen_may_subscribe_to_the_whole_pemda(client, bontang):
    url = reverse("portal:announcement_subscribe", args=["bontang"])
    client.post(url, {"email": "warga@example.com", "areas": ["64.74"], "consent": "on"})
    assert [a.code for a in Subscription.objects.get().areas.all()] == ["64.74"]


def test_a_campaign_links_an_outreach_program_and_service_day(client, bontang, admin, commit):
    from balai.catalog.selectors import local_today
    from balai.organizations.services import pemda_create
    from balai.outreach.models import Event, Program
    from balai.outreach.services import event_schedule, program_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    program = program_create(actor=admin, pemda=bontang, name="Jemput Bola", weekdays=[1, 3])
    second = program_create(actor=admin, pemda=bontang, name="Layanan Sekolah", weekdays=[2])
    day = event_schedule(
        actor=admin,
        program=program,
        date=local_today(bontang) + dt.timedelta(days=5),
        venue=region(TLI),
        start_time=dt.time(9, 0),
        place="Halaman kantor kelurahan",
        published=True,
    )
    second_day = event_schedule(
        actor=admin, program=second, date=local_today(bontang), venue=region(TL)
    )
    regions_import(only="64.71")
    other = pemda_create(actor=None, region=Region.objects.get(code="64.71"), seat_name="X")
    foreign_program = Program.objects.create(pemda=other, name="Asing", slug="asing")
    foreign_day = Event.objects.create(
        pemda=other,
        program=foreign_program,
        date=local_today(bontang),
        venue=Region.objects.get(code="64.71"),
    )
    client.force_login(admin)
    url = reverse("staff:announcement_create", args=["bontang"])
    form = client.get(url).context["form"]
    programs = [v for v, _label in form.fields["program"].choices]
    days = [v for v, _label in form.fields["event"].choices]
    assert program.pk in programs and second.pk in programs and foreign_program.pk not in programs
    assert day.pk in days and second_day.pk in days and foreign_day.pk not in days
    data = {
        "title": "Jemput bola KTP-el",
        "body": "Bawa KK asli.",
        "topic": "kegiatan",
        "targets": [f"r:{TLI}"],
        "channels": ["whatsapp"],
    }
    # Another Pemda's service day or program: refused, nothing saved.
    for field, pk in (("event", foreign_day.pk), ("program", foreign_program.pk)):
        response = client.post(url, {**data, field: pk})
        assert response.status_code == 200 and response.context["form"].errors[field]
    # A day of another program than the one chosen: refused.
    response = client.post(url, {**data, "program": program.pk, "event": second_day.pk})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Campaign.objects.exists()
    # The day alone: its program is filled in.
    assert client.post(url, {**data, "event": day.pk}).status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.event == day and campaign.program == program
    edit = client.get(reverse("staff:announcement_edit", args=["bontang", campaign.pk]))
    assert edit.context["form"]["event"].value() == day.pk
    assert edit.context["form"]["program"].value() == program.pk
    staff = client.get(reverse("staff:announcement_detail", args=["bontang", campaign.pk]))
    page = staff.content.decode()
    assert reverse("staff:outreach_program", args=["bontang", program.slug]) in page
    assert reverse("staff:outreach_event", args=["bontang", day.pk]) in page
    assert "Jemput Bola" in page
    with commit():
        services.campaign_send(actor=None, campaign=campaign)
    client.logout()
    public = client.get(reverse("portal:announcement_detail", args=["bontang", campaign.pk]))
    page = public.content.decode()
    schedule = reverse("portal:outreach_program_schedule", args=["bontang", program.slug])
    assert f'href="{schedule}"' in page and f'href="{schedule}#acara-{day.pk}"' in page
    assert "Halaman kantor kelurahan" in page and "Jemput Bola" in page
    # The link leads to the day on the public schedule.
    assert f'id="acara-{day.pk}"' in client.get(schedule).content.decode()
    # An unpublished day is named but not linked.
    Event.objects.filter(pk=day.pk).update(published=False)
    page = client.get(
        reverse("portal:announcement_detail", args=["bontang", campaign.pk])
    ).content.decode()
    assert f"#acara-{day.pk}" not in page and "Halaman kantor kelurahan" in page
