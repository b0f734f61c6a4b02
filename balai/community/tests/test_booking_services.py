"""The booking workflow: overlaps (touching allowed, overlap refused, across zones), activities,
capacity, refusal reasons, cancellation, audit; the same rules on SQLite and PostgreSQL."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from balai.community import services
from balai.community.choices import BookingStatus
from balai.community.models import Booking
from balai.core.models import AuditLog

from .conftest import WITA, at

WIB = ZoneInfo("Asia/Jakarta")


def upcoming(weekday: int, weeks: int = 1) -> dt.date:
    """A date on `weekday` at least `weeks` weeks ahead (in WITA)."""
    today = timezone.now().astimezone(WITA).date()
    day = today + dt.timedelta(days=7 * weeks)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def day():
    return upcoming(2)  # a Wednesday


def test_request_is_stored_with_normalised_phone_and_audited(book, day):
    booking = book(at(day, 9), at(day, 11))
    assert booking.status == BookingStatus.REQUESTED
    assert booking.contact_phone == "+6281234567890"
    assert booking.starts_at == dt.datetime.combine(day, dt.time(1), dt.UTC)
    assert len(booking.tracking_code) == 9
    assert AuditLog.objects.filter(action="community.booking.request").count() == 1


def test_touching_bookings_may_both_be_approved(book, day, admin):
    first = services.booking_approve(booking=book(at(day, 9), at(day, 11)), actor=admin)
    second = services.booking_approve(booking=book(at(day, 11), at(day, 13)), actor=admin)
    earlier = services.booking_approve(booking=book(at(day, 7), at(day, 9)), actor=admin)
    assert {first.status, second.status, earlier.status} == {BookingStatus.APPROVED}


def test_request_overlapping_an_approved_booking_is_refused_in_indonesian(book, day, admin):
    services.booking_approve(booking=book(at(day, 9), at(day, 11)), actor=admin)
    with pytest.raises(ValidationError) as caught:
        book(at(day, 10, 59), at(day, 12))
    assert "Ruang ini sudah dipesan" in caught.value.messages[0]
    assert Booking.objects.count() == 1


def test_requests_may_overlap_until_one_is_approved(book, day, admin):
    a = book(at(day, 9), at(day, 11))
    b = book(at(day, 10), at(day, 12), group_name="Kelompok Tani Makmur", group_kind="farmers")
    services.booking_approve(booking=a, actor=admin)
    with pytest.raises(ValidationError, match="sudah dipesan"):
        services.booking_approve(booking=b, actor=admin)
    b.refresh_from_db()
    assert b.status == BookingStatus.REQUESTED  # bad input changes nothing


def test_overlap_across_time_zones(book, day, admin):
    """10.00-12.00 WITA is 09.00-11.00 WIB: a request made in WIB for 10.30 WIB overlaps."""
    services.booking_approve(booking=book(at(day, 10), at(day, 12)), actor=admin)
    with pytest.raises(ValidationError):
        book(at(day, 10, 30, WIB), at(day, 11, 30, WIB))
    # 11.00 WIB = 12.00 WITA: touching, allowed.
    services.booking_approve(booking=book(at(day, 11, tz=WIB), at(day, 12, tz=WIB)), actor=admin)
    assert Booking.objects.filter(status=BookingStatus.APPROVED).count() == 2


def test_weekly_activity_blocks_its_hours_in_the_pemda_zone(book, hall, admin):
    friday = upcoming(4)
    services.activity_create(
        actor=admin,
        space=hall,
        title="Pengajian Jumat",
        organiser="Majelis Taklim Al-Ikhlas",
        weekdays=[4],
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 0),
        valid_from=friday - dt.timedelta(days=30),
    )
    # 05.30-06.30 UTC is 13.30-14.30 WITA: inside the activity.
    utc_start = dt.datetime.combine(friday, dt.time(5, 30), dt.UTC)
    with pytest.raises(ValidationError, match="Pengajian Jumat"):
        book(utc_start, utc_start + dt.timedelta(hours=1))
    # Right after it: fine; on Thursday: fine.
    assert book(at(friday, 15), at(friday, 17)).pk
    thursday = friday - dt.timedelta(days=1)
    assert book(at(thursday, 13), at(thursday, 15)).pk


def test_activity_ended_or_not_yet_started_does_not_block(book, hall, admin):
    friday = upcoming(4, weeks=2)
    services.activity_create(
        actor=admin,
        space=hall,
        title="Latihan tari",
        organiser="Sanggar",
        weekdays=[4],
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 0),
        valid_from=friday + dt.timedelta(days=1),
    )
    assert book(at(friday, 13), at(friday, 15)).pk


def test_activity_may_not_be_put_over_an_approved_booking(book, hall, admin):
    saturday = upcoming(5)
    services.booking_approve(booking=book(at(saturday, 9), at(saturday, 12)), actor=admin)
    with pytest.raises(ValidationError, match="Karang Taruna"):
        services.activity_create(
            actor=admin,
            space=hall,
            title="Sanggar seni",
            organiser="Sanggar Blambangan",
            weekdays=[5],
            start_time=dt.time(11, 0),
            end_time=dt.time(13, 0),
            valid_from=saturday - dt.timedelta(days=7),
        )


def test_two_activities_may_not_clash(hall, admin, day):
    values = {
        "actor": admin,
        "space": hall,
        "organiser": "X",
        "start_time": dt.time(8, 0),
        "end_time": dt.time(10, 0),
        "valid_from": day,
    }
    services.activity_create(title="Senam", weekdays=[0, 2], **values)
    with pytest.raises(ValidationError, match="Senam"):
        services.activity_create(title="Yoga", weekdays=[2], **values)
    assert services.activity_create(title="Yoga", weekdays=[3], **values).pk


def test_capacity(book, day, hall):
    with pytest.raises(ValidationError) as caught:
        book(at(day, 9), at(day, 11), attendees=81)
    assert "attendees" in caught.value.message_dict
    assert book(at(day, 9), at(day, 11), attendees=80).pk


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ((9, 0), (9, 0), "ends_at"),
        ((11, 0), (9, 0), "ends_at"),
        ((6, 0), (19, 0), "ends_at"),
    ],
)
def test_bad_times(book, day, start, end, field):
    with pytest.raises(ValidationError) as caught:
        book(at(day, *start), at(day, *end))
    assert field in caught.value.message_dict
    assert not Booking.objects.exists()


def test_public_request_must_be_ahead_and_within_the_horizon(book):
    now = timezone.now()
    with pytest.raises(ValidationError, match="satu jam"):
        book(now + dt.timedelta(minutes=30), now + dt.timedelta(hours=2))
    with pytest.raises(ValidationError, match="90"):
        book(now + dt.timedelta(days=95), now + dt.timedelta(days=95, hours=2))


def test_bad_phone_and_unbookable_space(book, day, hall, admin):
    with pytest.raises(ValidationError) as caught:
        book(at(day, 9), at(day, 11), contact_phone="12")
    assert "contact_phone" in caught.value.message_dict
    services.space_update(actor=admin, space=hall, is_bookable=False)
    with pytest.raises(ValidationError, match="tidak dapat dipesan"):
        book(at(day, 9), at(day, 11))


def test_refuse_needs_a_reason(book, day, admin):
    booking = book(at(day, 9), at(day, 11))
    with pytest.raises(ValidationError) as caught:
        services.booking_refuse(booking=booking, actor=admin, reason="   ")
    assert "reason" in caught.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    services.booking_refuse(booking=booking, actor=admin, reason="Aula dipakai rapat dinas.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REFUSED
    assert booking.decided_by == admin and booking.decided_at is not None
    with pytest.raises(ValidationError):
        services.booking_approve(booking=booking, actor=admin)


def test_database_refuses_a_refusal_without_reason(book, day):
    booking = book(at(day, 9), at(day, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.REFUSED)


def test_cancel_needs_confirmation_and_frees_the_slot(book, day, admin):
    booking = services.booking_approve(booking=book(at(day, 9), at(day, 11)), actor=admin)
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=admin, confirm=False)
    services.booking_cancel(booking=booking, actor=admin, confirm=True, reason="Listrik padam")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert book(at(day, 9), at(day, 11)).pk  # the slot is free again
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=admin, confirm=True)


def test_group_cancels_with_its_code(book, day):
    booking = book(at(day, 9), at(day, 11))
    services.booking_cancel(booking=booking, confirm=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    entry = AuditLog.objects.get(action="community.booking.cancel")
    assert entry.changes["by"] == "group"


def test_only_the_office_keepers_decide(book, day, bontang, make_member, other_office):
    from balai.accounts.choices import Role
    from balai.regions.models import Region

    booking = book(at(day, 9), at(day, 11))
    outsider = make_member(bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.01"))
    leader = make_member(bontang, Role.LEADERSHIP)
    for user in (outsider, leader):
        with pytest.raises(PermissionDenied):
            services.booking_approve(booking=booking, actor=user)
    with pytest.raises(PermissionDenied):
        services.space_create(actor=outsider, point=booking.space.point, name="X", capacity=3)
    assert services.space_create(actor=outsider, point=other_office, name="Aula", capacity=50)


def test_area_staff_approves_in_their_kecamatan(book, day, area_staff):
    booking = services.booking_approve(booking=book(at(day, 9), at(day, 11)), actor=area_staff)
    assert booking.status == BookingStatus.APPROVED


def test_staff_books_and_approves_at_once(book, day, admin):
    booking = book(at(day, 9), at(day, 11), actor=admin, approve=True)
    assert booking.status == BookingStatus.APPROVED
    assert booking.channel == "staff"
    with pytest.raises(PermissionDenied):
        book(at(day, 12), at(day, 13), approve=True)


def test_decisions_notify_over_whatsapp_once(
    book, day, admin, bontang, django_capture_on_commit_callbacks
):
    from balai.messaging.choices import ChannelKind
    from balai.messaging.models import ChannelAccount, OutboundMessage

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_approve(booking=book(at(day, 9), at(day, 11)), actor=admin)
    assert not OutboundMessage.objects.exists()  # no WhatsApp account: nothing queued

    ChannelAccount.objects.create(pemda=bontang, kind=ChannelKind.WHATSAPP, external_id="123")
    other = book(at(day, 12), at(day, 13))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_refuse(booking=other, actor=admin, reason="Aula dipakai rapat dinas")
    other.refresh_from_db()
    services._notify(other, services._status_text(other))  # a retry: same idempotency key
    message = OutboundMessage.objects.get()
    assert message.recipient == "6281234567890"
    assert other.tracking_code in message.text
    assert "ditolak" in message.text and "rapat dinas" in message.text


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The exclusion constraint exists on PostgreSQL only (SQLite relies on the lock).",
)
def test_postgresql_constraint_refuses_overlapping_approved_rows(book, day, admin):
    a = book(at(day, 9), at(day, 11))
    b = book(at(day, 10), at(day, 12))
    Booking.objects.filter(pk=a.pk).update(status=BookingStatus.APPROVED)
    with pytest.raises(IntegrityError, match="no_overlap"), transaction.atomic():
        Booking.objects.filter(pk=b.pk).update(status=BookingStatus.APPROVED)
    c = book(at(day, 11), at(day, 12))
    Booking.objects.filter(pk=c.pk).update(status=BookingStatus.APPROVED)  # touching: fine
