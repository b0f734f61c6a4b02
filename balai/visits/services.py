"""Writers of the logbook and the survey: one transaction each, checked, audited.

Every error of a batch or a CSV file names its row or line, and nothing is written when any
row is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.catalog.models import Service
from balai.core import permissions
from balai.core.audit import audit_record
from balai.core.choices import Occupation
from balai.core.signals import pemda_data_changed_send
from balai.organizations.choices import SessionKind
from balai.regions.choices import Level
from balai.regions.models import Region

from .choices import Outcome, SurveyChannel
from .models import ELEMENTS, SurveyResponse, Visit
from .sessions import SessionGuesser
from .survey import token_hash

UNDO_WINDOW = dt.timedelta(minutes=10)
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_CSV_LINES = 5000
CSV_HEADER = [
    "date",
    "time",
    "session",
    "services",
    "village_code",
    "rw",
    "rt",
    "occupation",
    "outcome",
]


# -- permissions -------------------------------------------------------------------------------
def visit_may_log(user, point) -> bool:
    """Whether `user` may log visits at `point` (the "visit" rules of balai.core.permissions)."""
    return permissions.can_change(user, Visit(pemda_id=point.pemda_id, point=point))


def survey_may_enter(user, point) -> bool:
    probe = SurveyResponse(pemda_id=point.pemda_id, point=point, unit=point.unit)
    return permissions.can_change(user, probe)


# -- one visit ---------------------------------------------------------------------------------
@dataclass
class VisitRow:
    """One visit to be logged; `line` numbers it in error messages (a form row, a CSV line)."""

    services: list[Service]
    occupation: str
    outcome: str = Outcome.SERVED
    session_kind: str | None = None
    visited_at: dt.datetime | None = None
    village: Region | None = None
    rw: str = ""
    rt: str = ""
    line: int | None = None
    event: object | None = None  # an outreach.Event of the point's Pemda
    errors: list[str] = field(default_factory=list)


def _small_number(value: str) -> str:
    """RW/RT as the office writes them ("3", "03", "003") -> "003"; "" stays empty."""
    value = (value or "").strip()
    if value and value.isdigit() and len(value) <= 3:
        return value.zfill(3)
    return value


def _check_row(row: VisitRow, point, now: dt.datetime, guess: SessionGuesser) -> Visit:
    """Build the unsaved Visit of `row`, appending what is wrong to `row.errors`."""
    pemda = point.pemda
    if not row.services:
        row.errors.append(_("Choose at least one service."))
    for service in row.services:
        if service.pemda_id != pemda.pk:
            row.errors.append(_("Service %(code)s is not this Pemda's.") % {"code": service.code})
    if row.village is not None and (
        row.village.level != Level.DESA_KELURAHAN
        or not row.village.code.startswith(pemda.region_id + ".")
    ):
        row.errors.append(
            _("%(code)s is not a desa/kelurahan of %(pemda)s.")
            % {"code": row.village.code, "pemda": pemda.name}
        )
    if row.event is not None and row.event.pemda_id != pemda.pk:
        row.errors.append(_("This outreach event belongs to another Pemda."))
    visited_at = row.visited_at or now
    if visited_at > now + FUTURE_TOLERANCE:
        row.errors.append(_("The time of the visit is in the future."))
    visit = Visit(
        pemda=pemda,
        point=point,
        visited_at=visited_at,
        session_kind=row.session_kind or guess(visited_at),
        event=row.event,
        village=row.village,
        rw=_small_number(row.rw),
        rt=_small_number(row.rt),
        occupation=row.occupation,
        outcome=row.outcome or Outcome.SERVED,
    )
    try:
        # Foreign keys are objects checked above; full_clean would query each one again.
        visit.full_clean(exclude=["pemda", "point", "village", "entered_by", "event"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = Visit._meta.get_field(name).verbose_name if name != "__all__" else ""
            for message in messages:
                row.errors.append(f"{label}: {message}" if label else message)
    return visit


def _save(visits: Sequence[Visit], rows: Sequence[VisitRow], actor) -> list[Visit]:
    for visit in visits:
        visit.entered_by = actor if actor is not None and actor.is_authenticated else None
    saved = Visit.objects.bulk_create(visits)
    through = Visit.services.through
    through.objects.bulk_create(
        [
            through(visit_id=visit.pk, service_id=service.pk)
            for visit, row in zip(saved, rows, strict=True)
            for service in dict.fromkeys(row.services)
        ]
    )
    pemda_data_changed_send(visit.pemda_id for visit in saved)
    return saved


def _authorize(actor, point) -> None:
    if not visit_may_log(actor, point):
        raise PermissionDenied(_("You may not log visits at this service point."))


@transaction.atomic
def visit_log(
    *,
    actor,
    point,
    services: Iterable[Service],
    occupation: str,
    outcome: str = Outcome.SERVED,
    session_kind: str | None = None,
    visited_at: dt.datetime | None = None,
    village: Region | None = None,
    rw: str = "",
    rt: str = "",
    event=None,
) -> Visit:
    """Log one visit at `point`; the session is guessed from the point's hours when not given.

    `event`: the outreach event (of the same Pemda) where the visitor came, if any.
    """
    _authorize(actor, point)
    row = VisitRow(
        services=list(services),
        occupation=occupation,
        outcome=outcome,
        session_kind=session_kind,
        visited_at=visited_at,
        village=village,
        rw=rw,
        rt=rt,
        event=event,
    )
    visit = _check_row(row, point, timezone.now(), SessionGuesser(point))
    if row.errors:
        raise ValidationError(row.errors)
    (visit,) = _save([visit], [row], actor)
    audit_record(
        actor=actor,
        action="visit.log",
        target=visit,
        changes={
            "point": point.slug,
            "session": visit.session_kind,
            **({"event": visit.event_id} if visit.event_id else {}),
        },
    )
    return visit


def _row_errors(rows: Sequence[VisitRow], label: str) -> list[str]:
    return [
        _("%(where)s %(line)s: %(error)s") % {"where": label, "line": row.line, "error": error}
        for row in rows
        for error in row.errors
    ]


@transaction.atomic
def visits_log_batch(
    *, actor, point, rows: Sequence[VisitRow], source: str = "batch", line_label: str = ""
) -> list[Visit]:
    """Log many visits (a paper logbook page, a CSV file) at `point`: all or nothing.

    Raises ValidationError with one message per problem, each naming its row's `line`.
    """
    _authorize(actor, point)
    now = timezone.now()
    for number, row in enumerate(rows, start=1):
        if row.line is None:
            row.line = number
    guess = SessionGuesser(point)
    visits = [_check_row(row, point, now, guess) for row in rows]
    errors = _row_errors(rows, line_label or _("Row"))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("There is nothing to log."))
    saved = _save(visits, rows, actor)
    audit_record(
        actor=actor,
        action=f"visit.{source}",
        target=point,
        pemda=point.pemda,
        changes={"count": len(saved), "first": saved[0].pk, "last": saved[-1].pk},
    )
    return saved


# -- CSV import --------------------------------------------------------------------------------
SESSION_WORDS = {
    "regular": SessionKind.REGULAR,
    "biasa": SessionKind.REGULAR,
    "night": SessionKind.NIGHT,
    "malam": SessionKind.NIGHT,
    "event": SessionKind.EVENT,
    "acara": SessionKind.EVENT,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    return None


def _parse_csv(point, text: str) -> list[VisitRow]:
    """Rows of the file with the problems each line has (unknown codes, bad dates...)."""
    tz = ZoneInfo(point.pemda.timezone)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise ValidationError(_("The file is empty."))
    if [h.strip().lower() for h in header] != CSV_HEADER:
        raise ValidationError(
            _("Line 1: the header must be: %(header)s") % {"header": ",".join(CSV_HEADER)}
        )
    raw: list[tuple[int, list[str]]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        raw.append((reader.line_num, [cell.strip() for cell in cells]))
        if len(raw) > MAX_CSV_LINES:
            raise ValidationError(
                _("The file has more than %(max)s visits; split it.") % {"max": MAX_CSV_LINES}
            )
    codes = {code for _line, cells in raw if len(cells) > 3 for code in _codes(cells[3])}
    services = {
        s.code.lower(): s for s in Service.objects.filter(pemda=point.pemda, code__in=codes)
    }
    village_codes = {cells[4] for _line, cells in raw if len(cells) > 4 and cells[4]}
    villages = {r.code: r for r in Region.objects.filter(code__in=village_codes)}
    occupations = set(Occupation.values)
    outcomes = set(Outcome.values)
    rows = []
    for line, cells in raw:
        row = VisitRow(services=[], occupation="", line=line)
        rows.append(row)
        if len(cells) != len(CSV_HEADER):
            row.errors.append(
                _("expected %(expected)s columns, found %(found)s.")
                % {"expected": len(CSV_HEADER), "found": len(cells)}
            )
            continue
        date, time, session, codes_text, village, rw, rt, occupation, outcome = cells
        day = _parse_date(date)
        if day is None:
            row.errors.append(_("date %(value)r is not a date (YYYY-MM-DD).") % {"value": date})
        match = TIME_PATTERN.match(time)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            row.errors.append(_("time %(value)r is not a time (HH:MM).") % {"value": time})
        elif day is not None:
            row.visited_at = dt.datetime.combine(day, dt.time(int(match[1]), int(match[2])), tz)
        if session:
            row.session_kind = SESSION_WORDS.get(session.lower())
            if row.session_kind is None:
                row.errors.append(
                    _("session %(value)r is not regular, night or event.") % {"value": session}
                )
        for code in _codes(codes_text):
            if code in services:
                row.services.append(services[code])
            else:
                row.errors.append(_("unknown service code %(value)r.") % {"value": code})
        if village:
            if village in villages:
                row.village = villages[village]
            else:
                row.errors.append(_("unknown village code %(value)r.") % {"value": village})
        row.rw, row.rt = rw, rt
        row.occupation = occupation.lower()
        if row.occupation not in occupations:
            row.errors.append(
                _("occupation %(value)r is not one of: %(codes)s.")
                % {"value": occupation, "codes": ", ".join(Occupation.values)}
            )
        row.outcome = (outcome or Outcome.SERVED).lower()
        if row.outcome not in outcomes:
            row.errors.append(
                _("outcome %(value)r is not one of: %(codes)s.")
                % {"value": outcome, "codes": ", ".join(Outcome.values)}
            )
    return rows


def _codes(text: str) -> list[str]:
    return [code.strip().lower() for code in text.split(";") if code.strip()]


@transaction.atomic
def visits_import_csv(*, actor, point, text: str) -> list[Visit]:
    """Import a CSV of visits at `point` (header `CSV_HEADER`; services as codes joined by
    ";"; local date and time of the Pemda). All or nothing: any wrong line raises a
    ValidationError naming every wrong line, and nothing is written."""
    _authorize(actor, point)
    rows = _parse_csv(point, text)
    if not rows:
        raise ValidationError(_("The file has no visits."))
    parse_errors = _row_errors([r for r in rows if r.errors], _("Line"))
    if parse_errors:
        raise ValidationError(parse_errors)
    return visits_log_batch(
        actor=actor, point=point, rows=rows, source="import", line_label=_("Line")
    )


# -- undo --------------------------------------------------------------------------------------
def visit_can_undo(visit: Visit, actor, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        actor is not None
        and visit.entered_by_id == actor.pk
        and now - visit.created_at <= UNDO_WINDOW
    )


@transaction.atomic
def visit_undo(*, actor, visit: Visit) -> None:
    """Remove a visit logged by mistake: only its author, only within ten minutes."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("point").get(pk=visit.pk)
    if not visit_can_undo(visit, actor):
        raise PermissionDenied(
            _("Only who logged a visit can undo it, within %(minutes)s minutes.")
            % {"minutes": int(UNDO_WINDOW.total_seconds() // 60)}
        )
    audit_record(
        actor=actor,
        action="visit.undo",
        target=visit,
        changes={
            "visited_at": visit.visited_at.isoformat(),
            "session": visit.session_kind,
            "occupation": visit.occupation,
            "outcome": visit.outcome,
            "services": list(visit.services.values_list("code", flat=True)),
        },
    )
    visit.delete()


# -- the survey --------------------------------------------------------------------------------
class AlreadyAnsweredError(ValidationError):
    pass


@transaction.atomic
def survey_response_submit(
    *,
    point,
    answers: dict[str, int],
    channel: str,
    service: Service | None = None,
    answered_at: dt.datetime | None = None,
    age: int | None = None,
    sex: str = "",
    education: str = "",
    occupation: str = "",
    token: str | None = None,
    actor=None,
) -> SurveyResponse:
    """Record one SKM questionnaire for `point` (the unit surveyed is the point's unit).

    Paper answers are entered by staff who may do so at the point; a WhatsApp link's `token`
    is accepted once.
    """
    if channel == SurveyChannel.PAPER and not survey_may_enter(actor, point):
        raise PermissionDenied(_("You may not enter survey answers for this service point."))
    if service is not None and service.pemda_id != point.pemda_id:
        raise ValidationError(_("That service is not this Pemda's."))
    hashed = token_hash(token) if token else None
    if hashed and SurveyResponse.objects.filter(token_hash=hashed).exists():
        raise AlreadyAnsweredError(_("This link has already been used to answer."))
    response = SurveyResponse(
        pemda=point.pemda,
        point=point,
        unit=point.unit,
        service=service,
        channel=channel,
        answered_at=answered_at or timezone.now(),
        age=age,
        sex=sex or "",
        education=education or "",
        occupation=occupation or "",
        token_hash=hashed,
        entered_by=actor if actor is not None and actor.is_authenticated else None,
        **{name: answers.get(name) for name in ELEMENTS},
    )
    response.full_clean(exclude=["pemda", "point", "unit", "service", "entered_by", "token_hash"])
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:
        raise AlreadyAnsweredError(_("This link has already been used to answer.")) from error
    audit_record(actor=actor, action="skm.answer", target=response, changes={"channel": channel})
    return response
