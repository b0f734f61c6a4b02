"""Kabupaten Bangli's simulated complaints in the demo (balai/devtools/demo_complaints.py).

The story the demo tells: about two months of complaints (88) to the 24-hour program, more
WhatsApp and Facebook than phone, every one answered (a response, or a rejection with its
reason), roads waiting on procurement and health on budget, a few response breaches, a few
complaints still being handled past their resolution deadline, and four that arrived this
morning with their clocks still running: 92 in all.

Only what the demo loads for Bangli is loaded (its regions, OPD, staff, channel accounts and
complaints, with the demo's own helpers and seed), once per module inside a transaction
rolled back at its end, as in test_demo.py. The complaints are loaded twice (the first load
rolled back) at the same frozen time, to check the demo is deterministic.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from balai.accounts.models import User
from balai.complaints.choices import Channel, EventKind, Status
from balai.complaints.models import Complaint, ComplaintEvent, Escalation
from balai.devtools import demo
from balai.devtools.demo_complaints import demo_bangli_complaints
from balai.messaging.demo import demo_channels
from balai.organizations.models import Pemda
from balai.organizations.services import pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

WITA = ZoneInfo("Asia/Makassar")
# The demo is loaded "today" at noon (Bali time): after the four morning complaints arrived.
NOW = dt.datetime(2025, 6, 16, 12, 0, tzinfo=WITA)
HISTORY = 88  # complaints of the past two months; the rest arrived this morning
RESPONSE = Escalation.Clock.RESPONSE
RESOLUTION = Escalation.Clock.RESOLUTION


def bangli_base() -> Pemda:
    """What demo_load creates for Bangli before its complaints."""
    seed = next(s for s in demo.SEED_PEMDA if s.slug == "bangli")
    regions_import(only=seed.code)
    lat, lng = demo._seat(seed)
    pemda = pemda_create(
        actor=None,
        region=Region.objects.get(code=seed.code),
        slug=seed.slug,
        seat_name=seed.seat_name,
        seat_lat=lat,
        seat_lng=lng,
        is_demo=True,
    )
    demo._opds(pemda, seed)
    demo._staff(pemda, seed)
    demo_channels(pemda)
    return pemda


def load_complaints(pemda: Pemda) -> int:
    """The demo's own call (demo.demo_load), at the frozen time."""
    with time_machine.travel(NOW, tick=False):
        return demo_bangli_complaints(pemda, random.Random(demo.SEED + 51))


def fingerprint(pemda: Pemda) -> list[tuple]:
    """Everything about the complaints but their tracking codes (random by design) and ids."""
    rows = []
    for c in Complaint.objects.filter(pemda=pemda).select_related("category", "opd"):
        rows.append(
            (
                c.received_at,
                c.channel,
                c.category.code if c.category else None,
                c.opd.short_name if c.opd else None,
                c.region_id,
                c.description,
                c.reporter_name,
                c.reporter_phone,
                c.reporter_channel_id,
                c.status,
                c.is_secret,
                c.is_anonymous,
                c.reject_reason,
                c.response_due_at,
                c.resolution_due_at,
                c.first_response_at,
                c.resolved_at,
                c.closed_at,
                c.pause_reason,
                c.pause_expected_until,
                tuple(c.events.values_list("kind", "created_at", "is_public", "text")),
                tuple(
                    c.escalations.order_by("clock", "step").values_list(
                        "clock", "step", "round", "fired_at"
                    )
                ),
            )
        )
    return sorted(rows)


@dataclass
class Loaded:
    pemda: Pemda
    created: int
    created_again: int
    first: list[tuple]
    second: list[tuple]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            pemda = bangli_base()
            savepoint = transaction.savepoint()
            load_complaints(pemda)
            first = fingerprint(pemda)
            transaction.savepoint_rollback(savepoint)
            assert not Complaint.objects.exists()
            created = load_complaints(pemda)
            yield Loaded(pemda, created, load_complaints(pemda), first, fingerprint(pemda))
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def bangli(loaded, db):
    return loaded.pemda


def complaints(pemda):
    return Complaint.objects.filter(pemda=pemda).select_related("category").order_by("received_at")


def history(pemda):
    today = NOW.date()
    return [c for c in complaints(pemda) if c.received_at.astimezone(WITA).date() < today]


def this_morning(pemda):
    today = NOW.date()
    return [c for c in complaints(pemda) if c.received_at.astimezone(WITA).date() == today]


def test_92_complaints_88_over_two_months_and_4_this_morning(loaded, bangli):
    assert loaded.created == 92 and complaints(bangli).count() == 92
    assert loaded.created_again == 0  # loading the demo again adds nothing
    past = history(bangli)
    assert len(past) == HISTORY
    first_day = past[0].received_at.astimezone(WITA).date()
    assert first_day == NOW.date() - dt.timedelta(days=61)
    assert past[-1].received_at.astimezone(WITA).date() < NOW.date()
    recent = this_morning(bangli)
    assert len(recent) == 4
    assert [c.received_at.astimezone(WITA).hour for c in recent] == [7, 8, 9, 10]


def test_the_demo_is_the_same_on_every_load(loaded):
    assert len(loaded.first) == 92
    assert loaded.first == loaded.second


def test_more_whatsapp_and_facebook_than_phone(bangli):
    channels = Counter(c.channel for c in complaints(bangli))
    assert channels == {
        Channel.WHATSAPP: 39,
        Channel.PHONE: 31,
        Channel.MESSENGER: 16,
        Channel.PORTAL: 6,
    }
    assert channels[Channel.WHATSAPP] + channels[Channel.MESSENGER] > channels[Channel.PHONE]
    operator = User.objects.get(username="bangli.operator")
    for complaint in complaints(bangli):
        received = complaint.events.get(kind=EventKind.RECEIVED)
        # The call center types in the phone complaints; the others come by themselves.
        assert received.actor == (operator if complaint.channel == Channel.PHONE else None)
        # Replies go back on the channel the reporter used.
        if complaint.channel == Channel.WHATSAPP:
            assert complaint.reporter_channel_id.startswith("62812")
        elif complaint.channel == Channel.MESSENGER:
            assert len(complaint.reporter_channel_id) == 16
        else:
            assert complaint.reporter_channel_id == ""


def test_the_story_in_statuses(bangli):
    assert Counter(c.status for c in history(bangli)) == {
        Status.CLOSED: 34,
        Status.PAUSED: 17,
        Status.APPROVED: 11,
        Status.RESOLVED: 11,
        Status.RESPONDED: 9,
        Status.REJECTED: 6,
    }


def test_every_complaint_of_the_two_months_was_answered(bangli):
    rejected = 0
    for complaint in history(bangli):
        public = set(complaint.events.filter(is_public=True).values_list("kind", flat=True))
        if complaint.status == Status.REJECTED:  # told why it was not processed
            rejected += 1
            assert complaint.reject_reason == "not_complaint"
            assert EventKind.REJECTED in public and complaint.first_response_at is None
            continue
        assert complaint.first_response_at is not None, complaint.received_at
        assert complaint.first_response_at > complaint.received_at
        assert complaint.category is not None and complaint.opd is not None
        response = complaint.events.filter(kind=EventKind.RESPONDED).get()
        assert response.is_public and response.created_at == complaint.first_response_at
    assert rejected == 6


def test_the_four_of_this_morning_still_run_their_response_clock(bangli):
    now = NOW.astimezone(dt.UTC)
    recent = this_morning(bangli)
    assert Counter(c.status for c in recent) == {Status.RECEIVED: 2, Status.ASSIGNED: 2}
    for complaint in recent:
        assert complaint.first_response_at is None
        assert complaint.response_due_at > now
        assert not complaint.escalations.exists()


def test_roads_wait_on_procurement_and_health_on_budget(bangli):
    paused = [c for c in complaints(bangli) if c.status == Status.PAUSED]
    assert len(paused) == 17
    assert Counter(c.category.code for c in paused) == {"jalan": 12, "kesehatan": 5}
    for complaint in paused:
        reason = {"jalan": "procurement", "kesehatan": "budget"}[complaint.category.code]
        assert complaint.pause_reason == reason
        assert complaint.paused_at is not None
        # Expected about 45 days after the pause, which came a day after the first response.
        paused_on = complaint.paused_at.astimezone(WITA)
        assert complaint.pause_expected_until == (paused_on + dt.timedelta(days=45)).date()
        assert complaint.paused_at - complaint.first_response_at == dt.timedelta(days=1)
        event = complaint.events.get(kind=EventKind.PAUSED)
        assert event.is_public and event.text  # the reporter is told why and until when
        assert event.data == {
            "reason": reason,
            "expected_until": complaint.pause_expected_until.isoformat(),
        }
        # A paused complaint's resolution clock waits: no resolution escalation.
        assert not complaint.escalations.filter(clock=RESOLUTION).exists()


def test_response_breaches_are_the_late_answers(bangli):
    """8% of the answers come 26-40 hours after receipt (the deadline is 24 hours); emergencies
    are due the same day, so an afternoon emergency answered the next morning is late too."""
    past = [c for c in history(bangli) if c.first_response_at is not None]
    late = {c.pk for c in past if c.first_response_at > c.response_due_at}
    breached = set(
        Escalation.objects.filter(
            complaint__pemda=bangli, clock=RESPONSE, step=Escalation.Step.BREACH
        ).values_list("complaint_id", flat=True)
    )
    assert breached == late and len(late) == 14
    emergencies = [c for c in past if c.pk in late and c.category.is_emergency]
    assert len(emergencies) == 2
    warned = set(
        Escalation.objects.filter(
            complaint__pemda=bangli, clock=RESPONSE, step=Escalation.Step.WARN
        ).values_list("complaint_id", flat=True)
    )
    assert breached < warned  # each breach was warned first (and one near miss)
    # Every late answer came before leadership would have been told.
    assert not Escalation.objects.filter(
        complaint__pemda=bangli, clock=RESPONSE, step=Escalation.Step.LEADERSHIP
    ).exists()
    for pk in late:
        breach = Escalation.objects.get(complaint_id=pk, clock=RESPONSE, step="breach")
        events = ComplaintEvent.objects.filter(complaint_id=pk, kind=EventKind.ESCALATED)
        assert events.exists()
        assert breach.fired_at <= Complaint.objects.get(pk=pk).first_response_at


def test_resolution_breaches_are_the_complaints_still_being_handled(bangli):
    """15% are left in progress after the response: those past their resolution deadline by
    the demo's last sweep have breached it, up to the leadership."""
    breached = {
        e.complaint_id: e
        for e in Escalation.objects.filter(
            complaint__pemda=bangli, clock=RESOLUTION, step=Escalation.Step.BREACH
        )
    }
    handling = [c for c in history(bangli) if c.status == Status.RESPONDED]
    assert len(breached) == 9
    assert set(breached) == {c.pk for c in handling}
    for complaint in handling:
        assert complaint.resolved_at is None
        assert breached[complaint.pk].fired_at >= complaint.resolution_due_at
    assert set(
        Escalation.objects.filter(
            complaint__pemda=bangli, clock=RESOLUTION, step=Escalation.Step.LEADERSHIP
        ).values_list("complaint_id", flat=True)
    ) == set(breached)
