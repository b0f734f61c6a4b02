"""Every change to a complaint: one function per workflow step (SP4N-LAPOR! compatible).

received -> verified | rejected | forwarded -> assigned -> responded -> in progress | paused
-> resolved (handling report) -> approved (OPD head) -> closed, or reopened by the reporter.
Each step runs in one transaction, checks the step is allowed from the current status,
writes a timeline event and an audit row, and schedules clocks and notifications on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balai.accounts.choices import Role
from balai.accounts.models import User
from balai.core.audit import audit_record
from balai.regions.models import Region

from . import clocks
from .attachments import clean_upload, sha256_of
from .choices import (
    AWAITING_RESPONSE,
    OPEN_STATUSES,
    EventKind,
    Kind,
    PauseReason,
    RejectReason,
    Status,
)
from .models import (
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    Escalation,
    HandlingReport,
    Notification,
    Rating,
    RoutingRule,
)

S = Status
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "verify": frozenset({S.RECEIVED}),
    "reject": frozenset({S.RECEIVED, S.VERIFIED}),
    "forward": frozenset({S.RECEIVED, S.VERIFIED}),
    "assign": frozenset({S.VERIFIED, S.ASSIGNED, S.RESPONDED, S.IN_PROGRESS}),
    "respond": frozenset({S.ASSIGNED, S.RESPONDED, S.IN_PROGRESS, S.PAUSED}),
    "start": frozenset({S.RESPONDED}),
    "pause": frozenset({S.RESPONDED, S.IN_PROGRESS}),
    "resume": frozenset({S.PAUSED}),
    "resolve": frozenset({S.RESPONDED, S.IN_PROGRESS}),
    "approve": frozenset({S.RESOLVED}),
    "return": frozenset({S.RESOLVED}),
    "close": frozenset({S.APPROVED, S.REJECTED, S.FORWARDED}),
    "reopen": frozenset({S.APPROVED, S.CLOSED}),
}


def _local_today(pemda) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()


def _require(complaint: Complaint, step: str) -> None:
    if complaint.status not in ALLOWED_FROM[step]:
        raise ValidationError(
            _("This step is not possible while the complaint is %(status)s.")
            % {"status": complaint.get_status_display().lower()}
        )


def _lock(complaint: Complaint) -> Complaint:
    """Re-read the complaint under a row lock, so two staff cannot step it at once."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("pemda", "category", "opd")
        .get(pk=complaint.pk)
    )


def _event(
    complaint, kind, *, actor=None, text="", public=False, data=None, at=None
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text,
        is_public=public,
        data=data or {},
        created_at=at or timezone.now(),
    )


def _attach(
    complaint, files: Iterable[tuple[bytes, str]], *, event=None, public=False
) -> list[Attachment]:
    saved = []
    for data, name in files:
        content, content_type = clean_upload(data, name)
        raw = content.read()
        content.seek(0)
        attachment = Attachment(
            complaint=complaint,
            event=event,
            content_type=content_type,
            size=len(raw),
            sha256=sha256_of(raw),
            is_public=public,
        )
        attachment.file.save(content.name, content, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _after_commit_public(complaint: Complaint, event: ComplaintEvent) -> None:
    from .tasks import notify_reporter

    transaction.on_commit(lambda: notify_reporter.enqueue(complaint.pk, event.pk))


def _schedule_clock(complaint: Complaint) -> None:
    from .tasks import schedule_escalations

    transaction.on_commit(lambda: schedule_escalations(complaint.pk))


# -- intake ---------------------------------------------------------------------------------
@transaction.atomic
def complaint_submit(
    *,
    pemda,
    channel: str,
    description: str,
    actor: User | None = None,
    category: Category | None = None,
    kind: str = Kind.PENGADUAN,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_channel_id: str = "",
    region: Region | None = None,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    files: Iterable[tuple[bytes, str]] = (),
    received_at: dt.datetime | None = None,
    event=None,
) -> Complaint:
    """A new complaint from any channel. The response clock starts now.

    `event`: the outreach event (of the same Pemda) where it was received, if any.
    """
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Describe the complaint.")})
    if category is not None and category.pemda_id != pemda.id:
        raise ValidationError({"category": _("This category belongs to another Pemda.")})
    if region is not None and not (region.code + ".").startswith(pemda.region_id + "."):
        raise ValidationError({"region": _("This place is outside the Pemda.")})
    if event is not None and event.pemda_id != pemda.id:
        raise ValidationError({"event": _("This outreach event belongs to another Pemda.")})
    received_at = received_at or timezone.now()
    settings = clocks.complaint_settings(pemda)
    calendar = clocks.pemda_calendar(pemda)
    complaint = Complaint(
        pemda=pemda,
        channel=channel,
        event=event,
        kind=kind,
        category=category,
        description=description,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone,
        reporter_email=reporter_email.strip(),
        reporter_channel_id=reporter_channel_id,
        region=region,
        address=address.strip(),
        lat=lat,
        lng=lng,
        received_at=received_at,
        response_due_at=clocks.response_due(
            received_at=received_at, category=category, settings=settings, calendar=calendar
        ),
    )
    complaint.full_clean()
    complaint.save()
    event = _event(
        complaint,
        EventKind.RECEIVED,
        actor=actor,
        public=True,
        at=received_at,
        data={"channel": channel},
    )
    _attach(complaint, files, event=event)
    audit_record(
        actor=actor, action="complaint.submit", target=complaint, changes={"channel": channel}
    )
    _schedule_clock(complaint)
    return complaint


@transaction.atomic
def complaint_add_message(
    *,
    complaint: Complaint,
    text: str,
    files: Iterable[tuple[bytes, str]] = (),
    lat: float | None = None,
    lng: float | None = None,
) -> ComplaintEvent:
    """A further message from the reporter (e.g. the next WhatsApp message of a conversation).

    A location sent later fills the complaint's location when it has none yet.
    """
    if lat is not None and lng is not None and complaint.lat is None:
        Complaint.objects.filter(pk=complaint.pk, lat__isnull=True).update(lat=lat, lng=lng)
        complaint.lat, complaint.lng = lat, lng
    event = _event(complaint, EventKind.MESSAGE, text=text.strip(), public=True)
    _attach(complaint, files, event=event)
    return event


# -- verification -----------------------------------------------------------------------------
@transaction.atomic
def complaint_verify(
    *,
    complaint: Complaint,
    actor: User,
    category: Category,
    is_secret: bool,
    is_anonymous: bool,
    kind: str | None = None,
    region: Region | None = None,
    assign: bool = True,
) -> Complaint:
    """Verify: the verifier must choose rahasia and anonim explicitly. Routes to an OPD."""
    complaint = _lock(complaint)
    _require(complaint, "verify")
    if category.pemda_id != complaint.pemda_id:
        raise ValidationError({"category": _("This category belongs to another Pemda.")})
    now = timezone.now()
    complaint.category = category
    complaint.is_secret = is_secret
    complaint.is_anonymous = is_anonymous
    if kind:
        complaint.kind = kind
    if region is not None:
        complaint.region = region
    settings = clocks.complaint_settings(complaint.pemda)
    calendar = clocks.pemda_calendar(complaint.pemda)
    complaint.response_due_at = clocks.response_due(
        received_at=complaint.received_at, category=category, settings=settings, calendar=calendar
    )
    complaint.resolution_due_at = clocks.resolution_due(
        start=complaint.received_at, category=category, settings=settings, calendar=calendar
    )
    complaint.status = S.VERIFIED
    complaint.verified_at = now
    complaint.full_clean()
    complaint.save()
    _event(
        complaint,
        EventKind.VERIFIED,
        actor=actor,
        public=True,
        data={"category": category.code, "rahasia": is_secret, "anonim": is_anonymous},
    )
    audit_record(
        actor=actor,
        action="complaint.verify",
        target=complaint,
        changes={"rahasia": is_secret, "anonim": is_anonymous, "category": category.code},
    )
    if assign:
        complaint = complaint_assign(complaint=complaint, actor=actor)
    _schedule_clock(complaint)
    return complaint


def route(complaint: Complaint):
    """The OPD for a complaint: the routing rule with the most specific area, else the default."""
    if complaint.category is None:
        return None
    rules = list(RoutingRule.objects.filter(category=complaint.category).select_related("opd"))
    code = complaint.region_id or ""
    best = None
    for rule in rules:
        area = rule.region_id or ""
        applies = not area or code == area or code.startswith(area + ".")
        if applies and (best is None or len(area) > len(best.region_id or "")):
            best = rule
    return best.opd if best else complaint.category.default_opd


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: User, opd=None, note: str = "") -> Complaint:
    """Assign to an OPD (the routed one unless chosen); reassignment keeps the history."""
    complaint = _lock(complaint)
    _require(complaint, "assign")
    target = opd or route(complaint)
    if target is None:
        raise ValidationError(_("Choose a category or an OPD first."))
    if target.pemda_id != complaint.pemda_id:
        raise ValidationError({"opd": _("This OPD belongs to another Pemda.")})
    previous = complaint.opd
    complaint.opd = target
    complaint.assigned_at = timezone.now()
    if complaint.status == S.VERIFIED:
        complaint.status = S.ASSIGNED
    complaint.save()
    _event(
        complaint,
        EventKind.ASSIGNED,
        actor=actor,
        text=note,
        public=True,
        data={
            "from": previous.short_name if previous else None,
            "to": target.short_name,
            "routed": opd is None,
        },
    )
    audit_record(
        actor=actor,
        action="complaint.assign",
        target=complaint,
        changes={"from": previous.pk if previous else None, "to": target.pk},
    )
    with translation.override("id"):  # staff read Indonesian, whatever the actor's UI language
        text = _("New complaint %(code)s for %(opd)s.") % {
            "code": complaint.tracking_code,
            "opd": target.short_name,
        }
    _notify_role(complaint, Role.OPD_STAFF, text, "assigned")
    return complaint


@transaction.atomic
def complaint_reject(
    *, complaint: Complaint, actor: User, reason: str, note: str = "", duplicate_of=None
) -> Complaint:
    complaint = _lock(complaint)
    _require(complaint, "reject")
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == RejectReason.DUPLICATE and duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Name the complaint this one duplicates.")})
    complaint.status = S.REJECTED
    complaint.reject_reason = reason
    complaint.duplicate_of = duplicate_of
    complaint.closed_at = timezone.now()
    complaint.save()
    event = _event(
        complaint,
        EventKind.REJECTED,
        actor=actor,
        text=note,
        public=True,
        data={
            "reason": reason,
            "duplicate_of": duplicate_of.tracking_code if duplicate_of else None,
        },
    )
    audit_record(
        actor=actor, action="complaint.reject", target=complaint, changes={"reason": reason}
    )
    _after_commit_public(complaint, event)
    return complaint


@transaction.atomic
def complaint_forward(
    *, complaint: Complaint, actor: User, note: str, to_pemda=None, to_body: str = ""
) -> Complaint | None:
    """Not our authority: forward to another Pemda of this installation or an outside body."""
    complaint = _lock(complaint)
    _require(complaint, "forward")
    if not note.strip():
        raise ValidationError({"note": _("Explain why and where the complaint is forwarded.")})
    if (to_pemda is None) == (not to_body.strip()):
        raise ValidationError(_("Forward either to a Pemda or to an outside body."))
    if to_pemda is not None and to_pemda.pk == complaint.pemda_id:
        raise ValidationError(_("Forward to another Pemda."))
    copy = None
    if to_pemda is not None:
        copy = complaint_submit(
            pemda=to_pemda,
            channel=complaint.channel,
            description=complaint.description,
            actor=actor,
            kind=complaint.kind,
            reporter_name=complaint.reporter_name,
            reporter_phone=complaint.reporter_phone,
            reporter_email=complaint.reporter_email,
            reporter_channel_id=complaint.reporter_channel_id,
            address=complaint.address,
            lat=complaint.lat,
            lng=complaint.lng,
        )
        _event(
            copy,
            EventKind.NOTE,
            actor=actor,
            text=note,
            data={
                "forwarded_from": complaint.pemda.name,
                "code": complaint.tracking_code,
                "attachments": len(_copy_reporter_attachments(complaint, copy)),
            },
        )
    complaint.status = S.FORWARDED
    complaint.forwarded_to_pemda = to_pemda
    complaint.forwarded_to = to_pemda.name if to_pemda else to_body.strip()
    complaint.closed_at = timezone.now()
    complaint.save()
    event = _event(
        complaint,
        EventKind.FORWARDED,
        actor=actor,
        text=note,
        public=True,
        data={"to": complaint.forwarded_to, "new_code": copy.tracking_code if copy else None},
    )
    audit_record(
        actor=actor,
        action="complaint.forward",
        target=complaint,
        changes={"to": complaint.forwarded_to},
    )
    _after_commit_public(complaint, event)
    return copy


def _copy_reporter_attachments(source: Complaint, target: Complaint) -> list[Attachment]:
    """Copy the reporter's photos and documents to a forwarded complaint, as new files.

    Each copy is its own file in the storage (same bytes, new name), so deleting or redacting
    one complaint's files (anonymisation, erasure, redaction) never touches the other's. The
    copies are attached to the new complaint's intake and stay private: the receiving Pemda's
    verifier decides on confidentiality again. Files already redacted are not copied.
    """
    intake = target.events.filter(kind=EventKind.RECEIVED).first()
    originals = Attachment.objects.filter(complaint=source).filter(
        Q(event__isnull=True) | Q(event__kind__in=(EventKind.RECEIVED, EventKind.MESSAGE))
    )
    copies = []
    for original in originals.order_by("created_at", "id"):
        try:
            with original.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            continue  # the file is gone from the storage: nothing to copy
        attachment = Attachment(
            complaint=target,
            event=intake,
            content_type=original.content_type,
            size=len(data),
            sha256=sha256_of(data),
            is_public=False,
        )
        attachment.file.save(PurePosixPath(original.file.name).name, ContentFile(data), save=False)
        attachment.save()
        copies.append(attachment)
    return copies


# -- handling ---------------------------------------------------------------------------------
@transaction.atomic
def complaint_respond(*, complaint: Complaint, actor: User, text: str) -> ComplaintEvent:
    """A public response to the reporter. The first one stops the response clock."""
    complaint = _lock(complaint)
    _require(complaint, "respond")
    if not text.strip():
        raise ValidationError({"text": _("Write the response.")})
    now = timezone.now()
    first = complaint.first_response_at is None
    if first:
        complaint.first_response_at = now
    if complaint.status in (S.ASSIGNED,):
        complaint.status = S.RESPONDED
    complaint.save()
    event = _event(
        complaint,
        EventKind.RESPONDED,
        actor=actor,
        text=text.strip(),
        public=True,
        data={"first": first},
    )
    audit_record(
        actor=actor, action="complaint.respond", target=complaint, changes={"first": first}
    )
    _after_commit_public(complaint, event)
    _schedule_clock(complaint)
    return event


@transaction.atomic
def complaint_note(*, complaint: Complaint, actor: User, text: str) -> ComplaintEvent:
    """An internal note: never shown to the reporter or in public output."""
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    return _event(complaint, EventKind.NOTE, actor=actor, text=text.strip(), public=False)


@transaction.atomic
def complaint_start(*, complaint: Complaint, actor: User) -> Complaint:
    complaint = _lock(complaint)
    _require(complaint, "start")
    complaint.status = S.IN_PROGRESS
    complaint.save()
    _event(complaint, EventKind.NOTE, actor=actor, text="", data={"status": S.IN_PROGRESS})
    return complaint


@transaction.atomic
def complaint_pause(
    *, complaint: Complaint, actor: User, reason: str, expected_until: dt.date, note: str = ""
) -> Complaint:
    """Wait for budget, procurement, a third party or the reporter: reason and date required."""
    complaint = _lock(complaint)
    _require(complaint, "pause")
    if reason not in PauseReason.values:
        raise ValidationError({"reason": _("Choose why the handling waits.")})
    if expected_until is None or expected_until < _local_today(complaint.pemda):
        raise ValidationError({"expected_until": _("Give the date the wait is expected to end.")})
    complaint.status = S.PAUSED
    complaint.paused_at = timezone.now()
    complaint.pause_reason = reason
    complaint.pause_expected_until = expected_until
    complaint.save()
    event = _event(
        complaint,
        EventKind.PAUSED,
        actor=actor,
        text=note,
        public=True,
        data={"reason": reason, "expected_until": expected_until.isoformat()},
    )
    audit_record(
        actor=actor, action="complaint.pause", target=complaint, changes={"reason": reason}
    )
    _after_commit_public(complaint, event)
    return complaint


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """End a pause; the resolution deadline moves by the working time spent waiting."""
    complaint = _lock(complaint)
    _require(complaint, "resume")
    now = timezone.now()
    calendar = clocks.pemda_calendar(complaint.pemda)
    waited = calendar.working_hours_between(complaint.paused_at, now)
    complaint.paused_seconds += int((now - complaint.paused_at).total_seconds())
    if complaint.resolution_due_at is not None and waited:
        complaint.resolution_due_at = calendar.add_working_hours(
            complaint.resolution_due_at, waited
        )
    complaint.paused_at = None
    complaint.status = S.IN_PROGRESS
    complaint.save()
    _event(
        complaint,
        EventKind.RESUMED,
        actor=actor,
        text=note,
        public=True,
        data={"waited_working_hours": round(waited, 2)},
    )
    audit_record(actor=actor, action="complaint.resume", target=complaint)
    _schedule_clock(complaint)
    return complaint


@transaction.atomic
def complaint_resolve(
    *,
    complaint: Complaint,
    actor: User,
    actions: str,
    done_on: dt.date,
    files: Iterable[tuple[bytes, str]] = (),
) -> HandlingReport:
    """The handling report (laporan penanganan), sent to the OPD head for approval."""
    complaint = _lock(complaint)
    _require(complaint, "resolve")
    if not actions.strip():
        raise ValidationError({"actions": _("Describe what was done.")})
    if done_on > _local_today(complaint.pemda):
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    report = HandlingReport.objects.create(
        complaint=complaint, actions=actions.strip(), done_on=done_on, author=actor
    )
    complaint.status = S.RESOLVED
    complaint.resolved_at = timezone.now()
    complaint.save()
    event = _event(
        complaint, EventKind.RESOLVED, actor=actor, text=actions.strip(), data={"report": report.pk}
    )
    _attach(complaint, files, event=event)
    audit_record(
        actor=actor, action="complaint.resolve", target=complaint, changes={"report": report.pk}
    )
    with translation.override("id"):
        text = _("Handling report for %(code)s awaits your approval.") % {
            "code": complaint.tracking_code
        }
    _notify_role(complaint, Role.OPD_HEAD, text, "approval")
    return report


@transaction.atomic
def complaint_approve(*, complaint: Complaint, actor: User) -> Complaint:
    complaint = _lock(complaint)
    _require(complaint, "approve")
    report = complaint.handling_reports.first()
    report.approved_by = actor
    report.approved_at = timezone.now()
    report.save()
    complaint.status = S.APPROVED
    complaint.save()
    event = _event(complaint, EventKind.APPROVED, actor=actor, text=report.actions, public=True)
    Attachment.objects.filter(event__complaint=complaint, event__kind=EventKind.RESOLVED).update(
        is_public=True
    )
    audit_record(actor=actor, action="complaint.approve", target=complaint)
    _after_commit_public(complaint, event)
    return complaint


@transaction.atomic
def complaint_return(*, complaint: Complaint, actor: User, note: str) -> Complaint:
    """The OPD head sends the handling report back."""
    complaint = _lock(complaint)
    _require(complaint, "return")
    if not note.strip():
        raise ValidationError({"note": _("Say what is missing.")})
    report = complaint.handling_reports.first()
    report.returned_note = note.strip()
    report.save()
    complaint.status = S.IN_PROGRESS
    complaint.resolved_at = None
    complaint.save()
    _event(complaint, EventKind.RETURNED, actor=actor, text=note.strip())
    audit_record(actor=actor, action="complaint.return", target=complaint)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User | None = None) -> Complaint:
    complaint = _lock(complaint)
    _require(complaint, "close")
    if complaint.status == S.CLOSED:
        return complaint
    complaint.status = S.CLOSED
    complaint.closed_at = complaint.closed_at or timezone.now()
    complaint.save()
    _event(complaint, EventKind.CLOSED, actor=actor, public=True)
    audit_record(actor=actor, action="complaint.close", target=complaint)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str) -> Complaint:
    """The reporter reopens within the Pemda's window after approval.

    The resolution clock starts again from now, by the same rule as at verification (the
    category's working days on the Pemda's calendar), in a new round: the escalation ladder
    fires again, once per step, for the new deadline. The previous deadline stays in the
    timeline event and the audit row.
    """
    complaint = _lock(complaint)
    _require(complaint, "reopen")
    if not reason.strip():
        raise ValidationError({"reason": _("Tell us what is still wrong.")})
    approved = complaint.events.filter(kind=EventKind.APPROVED).order_by("-created_at").first()
    settings = clocks.complaint_settings(complaint.pemda)
    window = settings.reopen_days
    now = timezone.now()
    if approved is None or now > approved.created_at + dt.timedelta(days=window):
        raise ValidationError(
            _("The complaint can be reopened within %(days)d days of its resolution.")
            % {"days": window}
        )
    previous_due = complaint.resolution_due_at
    complaint.resolution_due_at = clocks.resolution_due(
        start=now,
        category=complaint.category,
        settings=settings,
        calendar=clocks.pemda_calendar(complaint.pemda),
    )
    complaint.resolution_round += 1
    complaint.status = S.IN_PROGRESS
    complaint.closed_at = None
    complaint.resolved_at = None
    complaint.save()
    clock = {
        "round": complaint.resolution_round,
        "previous_due": previous_due.isoformat() if previous_due else None,
        "resolution_due": complaint.resolution_due_at.isoformat(),
    }
    _event(complaint, EventKind.REOPENED, text=reason.strip(), public=True, data=clock)
    audit_record(actor=None, action="complaint.reopen", target=complaint, changes=clock)
    with translation.override("id"):
        text = _("Complaint %(code)s was reopened by the reporter.") % {
            "code": complaint.tracking_code
        }
    _notify_role(complaint, Role.OPD_STAFF, text, "reopened")
    _schedule_clock(complaint)
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, score: int, comment: str = "") -> Rating:
    if complaint.status not in (S.APPROVED, S.CLOSED):
        raise ValidationError(_("A complaint can be rated once it is resolved."))
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": _("Choose from 1 to 5.")})
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                complaint=complaint, score=int(score), comment=comment.strip()
            )
    except IntegrityError as exc:
        raise ValidationError(_("This complaint has already been rated.")) from exc
    _event(complaint, EventKind.RATED, data={"score": int(score)})
    return rating


@transaction.atomic
def complaint_redact(
    *,
    complaint: Complaint,
    actor: User,
    description: str | None = None,
    remove_attachments: Iterable[int] = (),
) -> Complaint:
    """Remove what could identify a reporter: rewrite the description, delete photos.

    Nothing of the removed content is kept (not even in the audit row, which records only that
    and how much was redacted).
    """
    complaint = _lock(complaint)
    changes: dict[str, object] = {}
    if description is not None and description.strip() != complaint.description:
        if not description.strip():
            raise ValidationError({"description": _("The description cannot be empty.")})
        changes["description_chars"] = [len(complaint.description), len(description.strip())]
        complaint.description = description.strip()
        complaint.save(update_fields=["description", "updated_at"])
    removed = list(Attachment.objects.filter(complaint=complaint, pk__in=list(remove_attachments)))
    for attachment in removed:
        attachment.file.delete(save=False)
        attachment.delete()
    if removed:
        changes["attachments_removed"] = len(removed)
    if not changes:
        raise ValidationError(_("Nothing to redact: change the text or choose a photo."))
    _event(complaint, EventKind.NOTE, actor=actor, text=_("Redacted by staff."), data=changes)
    audit_record(actor=actor, action="complaint.redact", target=complaint, changes=changes)
    return complaint


def reporter_attachments_delete(complaint_ids: Iterable[int]) -> int:
    """Delete the files the reporter sent with these complaints; returns how many.

    Called when the reporter's identity is anonymised (retention purge) or erased on request
    (UU 27/2022 data minimisation: a citizen's photos may show people or their home). The
    handling-report photos taken by staff stay (evidence of the work done). The rows go at
    once; the files leave the storage once the transaction commits (a rollback keeps both).
    """
    rows = Attachment.objects.filter(
        complaint_id__in=list(complaint_ids), source=Attachment.Source.REPORTER
    )
    files = [(a.file.storage, a.file.name) for a in rows.only("pk", "file") if a.file]
    _total, deleted = rows.delete()
    count = deleted.get(Attachment._meta.label, 0)

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(remove_files)
    return count


# -- clocks and escalation --------------------------------------------------------------------
def active_clock(complaint: Complaint) -> tuple[str, dt.datetime] | None:
    """The deadline that runs now: response until the first response, then resolution."""
    if complaint.status not in OPEN_STATUSES or complaint.status in (S.PAUSED, S.RESOLVED):
        return None
    if complaint.first_response_at is None and complaint.status in AWAITING_RESPONSE | {S.RECEIVED}:
        return (
            (Escalation.Clock.RESPONSE, complaint.response_due_at)
            if complaint.response_due_at
            else None
        )
    if complaint.resolution_due_at:
        return Escalation.Clock.RESOLUTION, complaint.resolution_due_at
    return None


def escalation_times(complaint: Complaint) -> list[tuple[str, str, dt.datetime]]:
    """(clock, step, when) for the running clock's warning, breach and leadership steps."""
    clock = active_clock(complaint)
    if clock is None:
        return []
    name, due = clock
    settings = clocks.complaint_settings(complaint.pemda)
    return [
        (name, Escalation.Step.WARN, due - dt.timedelta(minutes=settings.warn_before_minutes)),
        (name, Escalation.Step.BREACH, due),
        (
            name,
            Escalation.Step.LEADERSHIP,
            due + dt.timedelta(minutes=settings.leadership_after_minutes),
        ),
    ]


def complaint_escalate(*, complaint: Complaint, now: dt.datetime | None = None) -> list[str]:
    """Fire every escalation step whose time has come and that has not fired yet.

    Each step fires once per clock round: the Escalation row's unique constraint decides, so a
    task, a retry and the sweep running at the same time still notify once.
    """
    now = now or timezone.now()
    complaint = Complaint.objects.select_related("pemda").get(pk=complaint.pk)  # current state
    fired = []
    for clock, step, when in escalation_times(complaint):
        if when > now:
            continue
        # A reopened complaint's resolution clock is a new round with its own ladder.
        round_ = complaint.resolution_round if clock == Escalation.Clock.RESOLUTION else 0
        try:
            with transaction.atomic():
                Escalation.objects.create(
                    complaint=complaint, clock=clock, step=step, round=round_, fired_at=now
                )
                _escalation_notify(complaint, clock, step)
                _event(
                    complaint,
                    EventKind.ESCALATED,
                    data={"clock": clock, "step": step, "round": round_},
                    at=now,
                )
        except IntegrityError:
            continue
        fired.append(f"{clock}:{step}")
    return fired


@translation.override("id")  # staff notifications are in Indonesian, whoever runs the sweep
def _escalation_notify(complaint: Complaint, clock: str, step: str) -> None:
    texts = {
        Escalation.Step.WARN: _("Complaint %(code)s: the %(clock)s deadline is near."),
        Escalation.Step.BREACH: _("Complaint %(code)s has passed its %(clock)s deadline."),
        Escalation.Step.LEADERSHIP: _("Complaint %(code)s is still overdue (%(clock)s)."),
    }
    clock_label = _("response") if clock == Escalation.Clock.RESPONSE else _("resolution")
    text = texts[step] % {"code": complaint.tracking_code, "clock": clock_label}
    role = {
        Escalation.Step.WARN: Role.OPD_STAFF,
        Escalation.Step.BREACH: Role.OPD_HEAD,
        Escalation.Step.LEADERSHIP: Role.LEADERSHIP,
    }[step]
    if complaint.opd_id is None and role != Role.LEADERSHIP:
        role = Role.OPERATOR
    _notify_role(complaint, role, text, step)


def _notify_role(complaint: Complaint, role: str, text: str, kind: str) -> list[Notification]:
    users = User.objects.filter(
        memberships__pemda_id=complaint.pemda_id,
        memberships__role=role,
        memberships__is_active=True,
        is_active=True,
    )
    if role in (Role.OPD_STAFF, Role.OPD_HEAD):
        users = users.filter(memberships__opd_id=complaint.opd_id)
    notes = Notification.objects.bulk_create(
        Notification(user=user, complaint=complaint, text=text, kind=kind)
        for user in users.distinct()
    )
    emails = [n.user.email for n in notes if n.user.email]
    if emails:
        from .tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(emails, text))
    return notes


def complaints_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Reconcile: fire any missed escalation step, close approved complaints after the window."""
    now = now or timezone.now()
    fired = 0
    due = Complaint.objects.filter(
        status__in=OPEN_STATUSES - {S.PAUSED, S.RESOLVED}
    ).select_related("pemda")
    horizon = now + dt.timedelta(days=2)
    due = due.filter(response_due_at__lte=horizon) | due.filter(resolution_due_at__lte=horizon)
    for complaint in due.iterator(chunk_size=500):
        fired += len(complaint_escalate(complaint=complaint, now=now))
    closed = 0
    for complaint in Complaint.objects.filter(status=S.APPROVED).select_related("pemda"):
        window = clocks.complaint_settings(complaint.pemda).reopen_days
        approved = complaint.events.filter(kind=EventKind.APPROVED).order_by("-created_at").first()
        if approved and approved.created_at + dt.timedelta(days=window) <= now:
            complaint_close(complaint=complaint)
            closed += 1
    return {"escalations": fired, "closed": closed}
