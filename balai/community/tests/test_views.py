"""Public and staff pages: no personal data in public, forms work without JavaScript, scoping,
constant query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from balai.community import services
from balai.community.choices import BookingStatus
from balai.community.models import Activity, Booking, Space

from .conftest import WITA, at
from .test_booking_services import upcoming

PHONE = "0812 3456 7890"


@pytest.fixture
def scene(hall, book, admin):
    """A Friday pengajian, an approved booking, a pending and a refused request this week and
    next."""
    monday = timezone.now().astimezone(WITA).date()
    monday -= dt.timedelta(days=monday.weekday())
    services.activity_create(
        actor=admin,
        space=hall,
        title="Pengajian Jumat",
        organiser="Majelis Taklim Al-Ikhlas",
        weekdays=[4],
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 0),
        valid_from=monday - dt.timedelta(days=14),
    )
    day = upcoming(2)
    approved = services.booking_approve(
        booking=book(
            at(day, 9),
            at(day, 11),
            group_name="UMKM Kopi Bontang",
            group_kind="umkm",
            contact_name="Siti Aminah",
            purpose="Pelatihan pemasaran daring",
        ),
        actor=admin,
    )
    pending = book(at(day, 14), at(day, 16), group_name="Rahasia Pending", contact_name="Budi")
    refused = book(at(day, 16), at(day, 18), group_name="Ditolak Group", contact_name="Joko")
    services.booking_refuse(booking=refused, actor=admin, reason="Aula dipakai rapat")
    return {"day": day, "approved": approved, "pending": pending, "refused": refused}


def calendar_url(office, **query):
    url = reverse("portal:community_calendar", args=[office.pemda.slug, office.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_calendar_shows_activities_and_approved_bookings_without_personal_data(
    client, office, scene
):
    response = client.get(calendar_url(office, minggu=scene["day"].isoformat()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pengajian Jumat" in page
    assert "UMKM Kopi Bontang" in page and "Pelatihan pemasaran daring" in page
    for secret in ("Siti Aminah", "6281234567890", "0812", "Rahasia Pending", "Ditolak Group"):
        assert secret not in page
    assert "Kalender kegiatan warga" in page  # Indonesian by default


def test_list_view_and_ical_feed_hide_personal_data(client, office, scene):
    page = client.get(calendar_url(office, tampilan="daftar")).content.decode()
    assert "UMKM Kopi Bontang" in page and "Pengajian Jumat" in page
    response = client.get(reverse("portal:community_ics", args=[office.pemda.slug, office.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Pengajian Jumat" in body
    assert "TZID=Asia/Makassar" in body
    assert "Siti Aminah" not in body and "6281234567890" not in body
    assert "Rahasia Pending" not in body


def test_calendar_query_count_is_constant(
    client, office, scene, book, hall, admin, django_assert_max_num_queries
):
    url = calendar_url(office, minggu=scene["day"].isoformat())
    with django_assert_max_num_queries(8):
        client.get(url)
    day = scene["day"]
    for hour in (7, 11, 12):
        services.booking_approve(
            booking=book(
                at(day + dt.timedelta(days=1), hour), at(day + dt.timedelta(days=1), hour + 1)
            ),
            actor=admin,
        )
    services.space_create(actor=admin, point=office, name="Ruang rapat", capacity=20)
    with django_assert_max_num_queries(8):
        client.get(url)


def test_booking_form_without_javascript_then_status_page(client, office, hall):
    day = upcoming(3)
    url = reverse("portal:community_booking_new", args=[office.pemda.slug, office.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "space": hall.pk,
            "date": day.isoformat(),
            "start": "19:00",
            "end": "21:00",
            "group_name": "Kelompok Tani Maju",
            "group_kind": "farmers",
            "purpose": "Rapat musim tanam",
            "attendees": "25",
            "contact_name": "Pak Darto",
            "contact_phone": PHONE,
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.tracking_code in response["Location"]
    assert booking.starts_at == dt.datetime.combine(day, dt.time(11), dt.UTC)  # 19.00 WITA
    assert booking.contact_phone == "+6281234567890"
    status = client.get(response["Location"]).content.decode()
    assert "Menunggu persetujuan" in status
    assert "Pak Darto" not in status and "6281234567890" not in status


def test_booking_form_errors_change_nothing(client, office, hall, scene):
    url = reverse("portal:community_booking_new", args=[office.pemda.slug, office.slug])
    before = Booking.objects.count()
    response = client.post(
        url,
        {
            "space": hall.pk,
            "date": scene["day"].isoformat(),
            "start": "10:00",
            "end": "12:00",
            "group_name": "Pelajar SMA 1",
            "group_kind": "students",
            "purpose": "Belajar kelompok",
            "attendees": "500",
            "contact_name": "Andi",
            "contact_phone": PHONE,
        },
    )
    assert response.status_code == 200
    assert "paling banyak 80 orang" in response.content.decode()
    response = client.post(
        url,
        {
            "space": hall.pk,
            "date": scene["day"].isoformat(),
            "start": "10:00",
            "end": "12:00",
            "group_name": "Pelajar SMA 1",
            "group_kind": "students",
            "purpose": "Belajar kelompok",
            "attendees": "20",
            "contact_name": "Andi",
            "contact_phone": PHONE,
        },
    )
    assert "sudah dipesan" in response.content.decode()
    assert Booking.objects.count() == before


def test_booking_form_is_rate_limited(client, office, hall):
    url = reverse("portal:community_booking_new", args=[office.pemda.slug, office.slug])
    codes = [client.post(url, {"space": hall.pk}).status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_group_cancels_on_the_status_page(client, office, scene):
    booking = scene["pending"]
    url = reverse(
        "portal:community_booking_cancel", args=[office.pemda.slug, booking.tracking_code]
    )
    client.post(url, {})  # no confirmation: nothing happens
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    client.post(url, {"confirm": "on"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_lookup_by_code(client, office, scene):
    code = scene["approved"].tracking_code
    url = reverse("portal:community_booking_lookup", args=[office.pemda.slug])
    response = client.get(url, {"code": code.replace("-", "").lower()})
    assert response.status_code == 302
    assert client.get(url, {"code": "ZZZZ-ZZZZ"}).status_code == 200


def test_index_lists_offices_with_spaces(client, office, other_office, hall):
    page = client.get(reverse("portal:community_index", args=[office.pemda.slug])).content
    assert office.name.encode() in page and other_office.name.encode() not in page


# -- staff -------------------------------------------------------------------------------------
def test_queue_is_scoped_to_the_offices_kept(
    client, bontang, office, other_office, scene, admin, area_staff, make_member
):
    from balai.accounts.choices import Role
    from balai.regions.models import Region

    other_space = services.space_create(actor=admin, point=other_office, name="Aula", capacity=40)
    day = upcoming(4, weeks=2)
    services.booking_request(
        space=other_space,
        group_name="PKK Bontang Utara",
        group_kind="pkk",
        contact_name="Ibu Ani",
        contact_phone=PHONE,
        purpose="Demo masak",
        attendees=20,
        starts_at=at(day, 9),
        ends_at=at(day, 11),
    )
    url = reverse("staff:community_queue", args=[bontang.slug])
    client.force_login(area_staff)
    page = client.get(url).content.decode()
    assert "Rahasia Pending" in page and "PKK Bontang Utara" not in page
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert "Rahasia Pending" in page and "PKK Bontang Utara" in page
    outsider = make_member(bontang, Role.OPD_STAFF, opd=bontang.opds.first())
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    north = make_member(bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.01"))
    client.force_login(north)
    assert (
        client.get(
            reverse("staff:community_booking", args=[bontang.slug, scene["pending"].pk])
        ).status_code
        == 404
    )


def test_queue_filters_and_query_count(
    client, bontang, scene, admin, book, django_assert_max_num_queries
):
    client.force_login(admin)
    url = reverse("staff:community_queue", args=[bontang.slug])
    assert "Ditolak Group" in client.get(url, {"status": "refused"}).content.decode()
    assert "Ditolak Group" not in client.get(url).content.decode()
    with django_assert_max_num_queries(12):
        client.get(url, {"status": ""})
    day = upcoming(5, weeks=3)
    for hour in range(8, 16):
        book(at(day, hour), at(day, hour + 1))
    with django_assert_max_num_queries(12):
        client.get(url, {"status": ""})


def test_staff_approve_and_refuse_through_the_pages(client, bontang, scene, area_staff):
    client.force_login(area_staff)
    pending = scene["pending"]
    refuse = reverse("staff:community_booking_refuse", args=[bontang.slug, pending.pk])
    client.post(refuse, {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == BookingStatus.REQUESTED
    client.post(reverse("staff:community_booking_approve", args=[bontang.slug, pending.pk]))
    pending.refresh_from_db()
    assert pending.status == BookingStatus.APPROVED and pending.decided_by == area_staff
    detail = client.get(reverse("staff:community_booking", args=[bontang.slug, pending.pk]))
    assert "Budi" in detail.content.decode()  # staff see the contact person


def test_staff_creates_space_and_activity(client, bontang, office, admin):
    client.force_login(admin)
    response = client.post(
        reverse("staff:community_space_new", args=[bontang.slug]),
        {
            "point": office.pk,
            "name": "Pendopo",
            "capacity": "150",
            "facilities": ["internet", "stage"],
            "is_bookable": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    space = Space.objects.get(name="Pendopo")
    assert space.facilities == ["internet", "stage"]
    response = client.post(
        reverse("staff:community_activity_new", args=[bontang.slug]),
        {
            "space": space.pk,
            "title": "Latihan seni Sabtu",
            "organiser": "Sanggar Pesisir",
            "weekdays": ["5"],
            "start_time": "15:00",
            "end_time": "17:00",
            "valid_from": "2026-01-01",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.weekdays == [5]
    page = client.get(reverse("staff:community_activities", args=[bontang.slug])).content
    assert b"Latihan seni Sabtu" in page and b"Sabtu" in page
    delete = reverse("staff:community_activity_delete", args=[bontang.slug, activity.pk])
    client.post(delete, {})
    assert Activity.objects.exists()
    client.post(delete, {"confirm": "1"})
    assert not Activity.objects.exists()


def test_staff_link_registered(client, bontang, admin, area_staff):
    client.force_login(area_staff)
    page = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:community_queue", args=[bontang.slug]) in page


def test_booking_page_shows_the_contact_logs_it_and_keeps_its_query_count(
    client, bontang, scene, admin, django_assert_max_num_queries
):
    from balai.core.models import AuditLog

    client.force_login(admin)
    url = reverse("staff:community_booking", args=[bontang.slug, scene["pending"].pk])
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "Budi" in page and "+6281234567890" in page
    entry = AuditLog.objects.get(action="identity.view")
    assert entry.actor == admin and entry.target_id == str(scene["pending"].pk)


def test_admin_is_read_only_for_superusers_and_hides_the_contact(client, scene, admin):
    from balai.accounts.models import User

    client.force_login(admin)
    assert client.get("/admin/community/booking/").status_code in (302, 403)
    root = User.objects.create_superuser("root", password="x-rahasia-123")
    client.force_login(root)
    booking = scene["pending"]
    page = client.get(f"/admin/community/booking/{booking.pk}/change/").content.decode()
    assert booking.group_name in page and "Budi" not in page and "6281234567890" not in page
