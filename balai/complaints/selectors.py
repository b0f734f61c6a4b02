"""Reads for the staff side of complaint handling: inbox views, one complaint, overview counts.

Every read starts from `permissions.visible`, so a list never shows what the complaint page
would refuse. The inbox selects its relations up front: its query count does not grow with the
number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import Role
from balai.accounts.models import Membership
from balai.core.permissions import RULES, Scope, has_role, visible
from balai.regions.choices import Level
from balai.regions.models import Region

from .choices import AWAITING_RESPONSE, OPEN_STATUSES, Status
from .models import Complaint, ComplaintEvent, Notification, normalize_tracking_code

PAGE_SIZE = 25

# Statuses whose clock runs (see services.active_clock): open, neither paused nor waiting for
# the OPD head.
RUNNING_STATUSES = OPEN_STATUSES - {Status.PAUSED, Status.RESOLVED}


@dataclass(frozen=True)
class InboxView:
    key: str
    label: str
    roles: frozenset[str]
    help: str = ""


R = Role
CALL_CENTER = frozenset({R.OPERATOR, R.PEMDA_ADMIN})
VIEWERS = frozenset(
    role for role, (view, _change) in RULES["complaint"].items() if view is not Scope.NONE
)

# The tabs of the inbox, in the order they are shown; a user sees those their roles allow.
INBOX_VIEWS: dict[str, InboxView] = {
    view.key: view
    for view in [
        InboxView(
            "new",
            _("New, to verify"),
            CALL_CENTER,
            _("Received and not yet verified, oldest first."),
        ),
        InboxView(
            "trc",
            _("My OPD's tasks"),
            frozenset({R.OPD_STAFF}),
            _("Open complaints of your OPD, the nearest deadline first."),
        ),
        InboxView(
            "approval",
            _("Awaiting approval"),
            frozenset({R.OPD_HEAD, R.PEMDA_ADMIN}),
            _("Handling reports waiting for the OPD head."),
        ),
        InboxView(
            "breached",
            _("Overdue"),
            frozenset({R.OPD_HEAD, R.LEADERSHIP, R.PEMDA_ADMIN}),
            _("Open complaints past their running deadline."),
        ),
        InboxView(
            "overview",
            _("Overview"),
            frozenset({R.LEADERSHIP, R.PEMDA_ADMIN}),
            _("Counts per status and per OPD."),
        ),
        InboxView("all", _("All"), VIEWERS, _("Every complaint you may see, newest first.")),
    ]
}


def inbox_views(*, user, pemda) -> list[InboxView]:
    """The inbox tabs the user's roles in this Pemda allow (none: no access)."""
    return [view for view in INBOX_VIEWS.values() if has_role(user, pemda.id, *view.roles)]


def running_due():
    """The deadline that runs now, as an SQL expression (mirrors `services.active_clock`).

    Response deadline until the first response, then the resolution deadline; none while the
    complaint is closed, paused or waiting for approval.
    """
    return Case(
        When(~Q(status__in=RUNNING_STATUSES), then=Value(None)),
        When(
            Q(first_response_at__isnull=True) & Q(status__in=AWAITING_RESPONSE),
            then=F("response_due_at"),
        ),
        default=F("resolution_due_at"),
        output_field=DateTimeField(),
    )


def _local_midnight(day: dt.date, pemda) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), ZoneInfo(pemda.timezone))


def _apply_filters(complaints: QuerySet[Complaint], pemda, filters: dict) -> QuerySet[Complaint]:
    if filters.get("status"):
        complaints = complaints.filter(status=filters["status"])
    if filters.get("category"):
        complaints = complaints.filter(category=filters["category"])
    if filters.get("opd"):
        complaints = complaints.filter(opd=filters["opd"])
    if filters.get("channel"):
        complaints = complaints.filter(channel=filters["channel"])
    if kecamatan := filters.get("kecamatan"):
        code = kecamatan.code if isinstance(kecamatan, Region) else str(kecamatan)
        complaints = complaints.filter(Q(region_id=code) | Q(region__code__startswith=code + "."))
    if q := (filters.get("q") or "").strip():
        complaints = complaints.filter(
            Q(tracking_code=normalize_tracking_code(q)) | Q(description__icontains=q)
        )
    if filters.get("date_from"):
        complaints = complaints.filter(
            received_at__gte=_local_midnight(filters["date_from"], pemda)
        )
    if filters.get("date_to"):
        end = filters["date_to"] + dt.timedelta(days=1)
        complaints = complaints.filter(received_at__lt=_local_midnight(end, pemda))
    return complaints


def complaint_base(*, user, pemda, filters: dict | None = None) -> QuerySet[Complaint]:
    """The complaints of a Pemda the user may see, filtered, with the running deadline."""
    complaints = visible(user, Complaint.objects.filter(pemda=pemda))
    return _apply_filters(complaints, pemda, filters or {}).annotate(due_at=running_due())


def complaint_inbox(
    *, user, pemda, view: str, filters: dict | None = None, now: dt.datetime | None = None
) -> QuerySet[Complaint]:
    """The rows of one inbox tab, ordered for the work it serves."""
    now = now or timezone.now()
    complaints = complaint_base(user=user, pemda=pemda, filters=filters).select_related(
        "category", "opd", "region", "region__parent"
    )
    if view == "new":
        return complaints.filter(status=Status.RECEIVED).order_by("received_at", "id")
    if view == "trc":
        own_opds = Membership.objects.filter(
            user=user, pemda=pemda, role=Role.OPD_STAFF, is_active=True
        ).values("opd_id")
        if not getattr(user, "is_superuser", False):
            complaints = complaints.filter(opd_id__in=own_opds)
        return complaints.filter(status__in=OPEN_STATUSES, opd__isnull=False).order_by(
            F("due_at").asc(nulls_last=True), "received_at", "id"
        )
    if view == "approval":
        return complaints.filter(status=Status.RESOLVED).order_by("resolved_at", "id")
    if view == "breached":
        return complaints.filter(due_at__lt=now).order_by("due_at", "id")
    # "all" (and the list under the overview): received first, then the newest.
    return complaints.order_by(
        Case(When(status=Status.RECEIVED, then=Value(0)), default=Value(1)),
        "-received_at",
        "-id",
    )


def complaint_overview(
    *, user, pemda, filters: dict | None = None, now: dt.datetime | None = None
) -> dict:
    """Counts per status and per OPD (two aggregate queries), for leadership."""
    now = now or timezone.now()
    complaints = complaint_base(user=user, pemda=pemda, filters=filters).order_by()
    per_status = dict(complaints.values_list("status").annotate(n=Count("id")))
    by_status = [
        {"status": value, "label": label, "count": per_status.get(value, 0)}
        for value, label in Status.choices
    ]
    open_q = Q(status__in=OPEN_STATUSES)
    by_opd = list(
        complaints.values("opd_id", "opd__short_name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=open_q),
            awaiting_approval=Count("id", filter=Q(status=Status.RESOLVED)),
            breached=Count("id", filter=Q(due_at__lt=now)),
        )
        .order_by("-open", "opd__short_name")
    )
    return {
        "by_status": by_status,
        "by_opd": by_opd,
        "total": sum(per_status.values()),
        "open": sum(per_status.get(s, 0) for s in OPEN_STATUSES),
        "breached": sum(row["breached"] for row in by_opd),
    }


def complaint_get(*, user, pemda, code: str) -> Complaint:
    """One complaint the user may see, or Complaint.DoesNotExist (another Pemda's included)."""
    return (
        complaint_base(user=user, pemda=pemda)
        .select_related("pemda", "category", "opd", "region", "duplicate_of", "forwarded_to_pemda")
        .get(tracking_code=normalize_tracking_code(code))
    )


def complaint_timeline(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """Every event, public and internal, oldest first, with its actor and attachments."""
    return complaint.events.select_related("actor").prefetch_related("attachments")


def region_path(region: Region | None) -> list[Region]:
    """Kecamatan then desa/kelurahan of a place (one query; the code holds the ancestry)."""
    if region is None:
        return []
    parts = region.code.split(".")
    codes = [".".join(parts[:n]) for n in range(3, len(parts) + 1)]
    return list(Region.objects.filter(code__in=codes, level__gte=Level.KECAMATAN).order_by("level"))


def kecamatan_list(pemda) -> QuerySet[Region]:
    return Region.objects.filter(
        code__startswith=pemda.region_id + ".", level=Level.KECAMATAN
    ).order_by("name")


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("complaint__pemda")


def notification_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def complaint_pemdas(*, user):
    """The Pemda whose complaints the user may see (for the navigation)."""
    from balai.organizations.models import Pemda

    if not getattr(user, "is_authenticated", False):
        return Pemda.objects.none()
    if user.is_superuser:
        return Pemda.objects.filter(is_active=True).order_by("name")
    return (
        Pemda.objects.filter(
            is_active=True,
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=VIEWERS,
        )
        .distinct()
        .order_by("name")
    )
