"""What personal data Balai holds, why, for how long, and what happens to it afterwards.

Each *kind* of personal data names a model (by its label, resolved lazily), the fields that
hold the personal data with the value each field takes once anonymised, the field (or
expression) a row's age is counted from, the default retention period, and the action when the
period has run out: ``anonymise`` (the row stays for statistics; the personal fields are blanked)
or ``delete``.

Other apps add their kinds from their ``AppConfig.ready()``::

    from balai.privacy.registry import PersonalDataKind, register

    register(PersonalDataKind(
        key="announcements.subscription",
        label=_("Announcement subscriptions"),
        model="announcements.Subscription",
        fields={"phone": "", "name": ""},
        age="created_at",
        default_days=365,
        action=DELETE,
        purpose=_("Sending the announcements a citizen subscribed to."),
        legal_basis=_("Consent (UU 27/2022 art. 20(2)(a)), withdrawn by unsubscribing."),
        phone_fields=("phone",),
    ))

``eligible`` limits the rows that may be purged or erased (e.g. only closed complaints): a
person's row that matches but is not eligible blocks an erasure request (see services.py).

``delete_files`` removes what goes with the rows' personal data besides their fields (the
photos a complainant sent); ``pending`` marks rows whose fields are blank but that still hold
some (so a purge catches them up); ``anonymise`` replaces the plain ``update`` (the audit log
accepts only its own path); ``without_pemda`` also purges the rows of no Pemda, with the
installation-wide period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ANONYMISE = "anonymise"
DELETE = "delete"


@dataclass(frozen=True)
class PersonKey:
    """Who an export or erasure is about: phone variants, WhatsApp ids and e-mail addresses."""

    phones: frozenset[str] = frozenset()
    wa_ids: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.phones or self.wa_ids or self.emails)


@dataclass(frozen=True)
class PersonalDataKind:
    key: str
    label: Any
    model: str  # "app_label.ModelName"
    fields: dict[str, Any]  # personal field -> its value once anonymised
    age: str | Callable[[], models.Expression]  # field name, or a function building an expression
    default_days: int
    action: str
    purpose: Any
    legal_basis: Any
    pemda_path: str = "pemda"
    eligible: Callable[[], Q] | None = None  # rows that may be purged or erased
    purge_filter: Callable[[], Q] | None = None  # further rows the purge only may touch
    phone_fields: tuple[str, ...] = ()  # hold E.164 numbers
    wa_id_fields: tuple[str, ...] = ()  # hold WhatsApp ids (E.164 digits without "+")
    email_fields: tuple[str, ...] = ()
    # Extra matching: a function (pemda, PersonKey) -> Q, e.g. rows of the person's complaints.
    match_extra: Callable[[Any, PersonKey], Q | None] | None = None
    # Related rows included in an export: accessor -> fields to show.
    export_related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Which related rows belong in the export (e.g. not the staff's internal notes).
    export_filter: Callable[[str, Any], bool] | None = None
    export_prefetch: tuple[str, ...] = ()
    note: Any = ""  # shown in the inventory, e.g. why it cannot be searched by person
    # Deletes the files that go with these rows (ids) when they are anonymised or erased, e.g.
    # the photos the complainant sent; returns how many. Runs in the same transaction.
    delete_files: Callable[[list], int] | None = None
    # Further rows that still hold personal data though the fields are blank (e.g. a complaint
    # anonymised before its photos were deleted with it): the purge takes them again.
    pending: Callable[[], Q] | None = None
    # Anonymises the rows of a queryset instead of ``update(**fields)``; returns how many.
    anonymise: Callable[[models.QuerySet], int] | None = None
    without_pemda: bool = False  # rows of no Pemda too (installation-wide purge, period)

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def searchable(self) -> bool:
        return bool(self.phone_fields or self.wa_id_fields or self.email_fields or self.match_extra)

    def age_expression(self) -> models.Expression:
        return models.F(self.age) if isinstance(self.age, str) else self.age()

    def not_anonymised(self) -> Q:
        """Rows that still hold some personal data (an anonymised row does not match)."""
        q = Q()
        for name, blank in self.fields.items():
            q |= Q(**{f"{name}__isnull": False}) if blank is None else ~Q(**{name: blank})
        if self.pending is not None:
            q |= self.pending()
        return q

    def for_pemda(self, pemda) -> models.QuerySet:
        """The rows of the Pemda (None: the rows of no Pemda, for ``without_pemda`` kinds)."""
        if pemda is None:
            return self.get_model()._default_manager.filter(**{f"{self.pemda_path}__isnull": True})
        return self.get_model()._default_manager.filter(**{self.pemda_path: pemda})

    def match(self, pemda, person: PersonKey) -> Q | None:
        """The rows of this Pemda about the person (None: nothing can match)."""
        q = Q()
        matched = False
        for name in self.phone_fields:
            if person.phones:
                q |= Q(**{f"{name}__in": sorted(person.phones)})
                matched = True
        for name in self.wa_id_fields:
            if person.wa_ids:
                q |= Q(**{f"{name}__in": sorted(person.wa_ids)})
                matched = True
        for name in self.email_fields:
            for email in sorted(person.emails):
                q |= Q(**{f"{name}__iexact": email})
                matched = True
        if self.match_extra is not None:
            extra = self.match_extra(pemda, person)
            if extra is not None:
                q |= extra
                matched = True
        return q if matched else None


_KINDS: dict[str, PersonalDataKind] = {}


def register(kind: PersonalDataKind, *, replace: bool = True) -> None:
    """Add a kind of personal data (``replace=False``: unless one with its key exists)."""
    if kind.action not in (ANONYMISE, DELETE):
        raise ValueError(f"Unknown action {kind.action!r}")
    if replace or kind.key not in _KINDS:
        _KINDS[kind.key] = kind


def _usable(kind: PersonalDataKind) -> bool:
    """Its app is installed and its model has the fields named (else it is skipped, logged)."""
    if not apps.is_installed(_app_module(kind.model)):
        return False
    try:
        model = kind.get_model()
        for name in (*kind.fields, *kind.phone_fields, *kind.wa_id_fields, *kind.email_fields):
            model._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        logger.warning("privacy: kind %s skipped (model or field missing)", kind.key)
        return False
    return True


def kinds() -> list[PersonalDataKind]:
    """Every registered kind whose model is installed, in registration order."""
    return [k for k in _KINDS.values() if _usable(k)]


def get_kind(key: str) -> PersonalDataKind:
    return _KINDS[key]


def _app_module(model_label: str) -> str:
    app_label = model_label.split(".", 1)[0]
    try:
        return apps.get_app_config(app_label).name
    except LookupError:
        return f"balai.{app_label}"


# -- Balai's own kinds --------------------------------------------------------------------------
def _complaint_closed() -> Q:
    from balai.complaints.choices import OPEN_STATUSES

    return ~Q(status__in=OPEN_STATUSES)


CITIZEN_EVENTS = ("received", "message", "reopened", "rated")


def _complaint_export_filter(accessor: str, child) -> bool:
    """The public timeline and what the citizen sent; not the staff's internal notes."""
    if accessor == "events":
        return child.is_public or child.kind in CITIZEN_EVENTS
    return child.is_public or child.source == "reporter"


def _complaint_age():
    return Coalesce("closed_at", "resolved_at", "received_at")


def _reporter_files_left() -> Q:
    """Complaints that still keep files the reporter sent (their fields may be blank already)."""
    return Q(attachments__source="reporter")


def _reporter_files_delete(ids: list) -> int:
    from balai.complaints.services import reporter_attachments_delete

    return reporter_attachments_delete(ids)


def _audit_ip_clear(rows: models.QuerySet) -> int:
    return rows.clear_ip_addresses()  # the audit log's one permitted change


def _of_complaints(path: str):
    """Rows about the person's complaints (Messenger senders are known only through them)."""

    def extra(pemda, person: PersonKey) -> Q | None:
        ids = person_complaint_ids(pemda, person)
        return Q(**{f"{path}__in": ids}) if ids else None

    return extra


def person_complaint_ids(pemda, person: PersonKey) -> list[int]:
    from balai.complaints.models import Complaint

    q = complaint_kind().match(pemda, person)
    if q is None:
        return []
    return list(Complaint.objects.filter(pemda=pemda).filter(q).values_list("pk", flat=True))


def complaint_kind() -> PersonalDataKind:
    return _KINDS["complaints.reporter"]


def _to_complaint_senders(pemda, person: PersonKey) -> Q | None:
    """Messages sent to the channel ids (e.g. Messenger PSIDs) of the person's complaints."""
    from balai.complaints.models import Complaint

    ids = person_complaint_ids(pemda, person)
    senders = set(
        Complaint.objects.filter(pk__in=ids)
        .exclude(reporter_channel_id="")
        .values_list("reporter_channel_id", flat=True)
    )
    return Q(recipient__in=sorted(senders)) if senders else None


def _message_not_open(path: str) -> Callable[[], Q]:
    def eligible() -> Q:
        from balai.complaints.choices import OPEN_STATUSES

        return Q(**{f"{path}__isnull": True}) | ~Q(**{f"{path}__status__in": OPEN_STATUSES})

    return eligible


def _inbound_eligible() -> Q:
    return Q(processed_at__isnull=False) & _message_not_open("complaint")()


def _outbound_done() -> Q:
    from balai.messaging.choices import OutboundStatus

    return Q(status__in=[OutboundStatus.SENT, OutboundStatus.FAILED])


def _request_done() -> Q:
    from balai.service_requests.choices import Status

    return Q(status__in=[Status.COLLECTED, Status.REJECTED])


def _request_age():
    return Coalesce("collected_at", "ready_at", "submitted_at")


def register_builtin_kinds() -> None:
    register(
        PersonalDataKind(
            key="complaints.reporter",
            label=_("Complainants' identity"),
            model="complaints.Complaint",
            fields={
                "reporter_name": "",
                "reporter_phone": "",
                "reporter_email": "",
                "reporter_channel_id": "",
            },
            age=_complaint_age,
            default_days=730,
            action=ANONYMISE,
            purpose=_("Answering the complainant and telling them how the complaint is handled."),
            legal_basis=_(
                "A public task (UU 25/2009 on public services; UU 27/2022 art. 20(2)(e))."
            ),
            eligible=_complaint_closed,
            phone_fields=("reporter_phone",),
            wa_id_fields=("reporter_channel_id",),
            email_fields=("reporter_email",),
            export_related={
                "events": ("created_at", "kind", "text"),
                "attachments": ("created_at", "file", "content_type", "size"),
            },
            export_filter=_complaint_export_filter,
            export_prefetch=("events", "attachments"),
            delete_files=_reporter_files_delete,
            pending=_reporter_files_left,
            note=_(
                "Counted from closure. The photos and files the complainant sent are deleted "
                "with the identity; the complaint itself (text, category, area, times) and the "
                "handling-report photos stay."
            ),
        )
    )
    register(
        PersonalDataKind(
            key="messaging.conversation",
            label=_("WhatsApp and Messenger conversations"),
            model="messaging.Conversation",
            fields={"sender_id": ""},
            age="last_message_at",
            default_days=365,
            action=ANONYMISE,
            purpose=_("Joining a citizen's messages into one complaint and answering them."),
            legal_basis=_("A public task (UU 27/2022 art. 20(2)(e))."),
            pemda_path="account__pemda",
            eligible=_message_not_open("complaint"),
            wa_id_fields=("sender_id",),
            match_extra=_of_complaints("complaint"),
        )
    )
    register(
        PersonalDataKind(
            key="messaging.inbound",
            label=_("Messages received (WhatsApp, Messenger)"),
            model="messaging.InboundMessage",
            fields={"sender_id": "", "sender_name": "", "payload": {}},
            age="received_at",
            default_days=365,
            action=ANONYMISE,
            purpose=_("Receiving complaints by message; the raw payload for troubleshooting."),
            legal_basis=_("A public task (UU 27/2022 art. 20(2)(e))."),
            pemda_path="account__pemda",
            eligible=_inbound_eligible,
            wa_id_fields=("sender_id",),
            match_extra=_of_complaints("complaint"),
            note=_("The sender's id and name and the raw payload are removed; the text stays."),
        )
    )
    register(
        PersonalDataKind(
            key="messaging.outbound",
            label=_("Messages sent to citizens"),
            model="messaging.OutboundMessage",
            fields={"recipient": "", "text": ""},
            age="created_at",
            default_days=365,
            action=DELETE,
            purpose=_("Telling citizens about their complaints."),
            legal_basis=_("A public task (UU 27/2022 art. 20(2)(e))."),
            eligible=_outbound_done,
            wa_id_fields=("recipient",),
            match_extra=_to_complaint_senders,
        )
    )
    register(
        PersonalDataKind(
            key="service_requests.applicant",
            label=_("Applicants of service requests"),
            model="service_requests.ServiceRequest",
            fields={"applicant_name": "", "applicant_phone": ""},
            age=_request_age,
            default_days=730,
            action=ANONYMISE,
            purpose=_("Calling the applicant when the result is ready."),
            legal_basis=_("A public task (UU 25/2009; UU 27/2022 art. 20(2)(e))."),
            eligible=_request_done,
            phone_fields=("applicant_phone",),
            note=_("Counted from collection (or filing, when rejected)."),
        )
    )
    register(
        PersonalDataKind(
            key="visits.residence",
            label=_("Visitors' RW/RT"),
            model="visits.Visit",
            fields={"rw": "", "rt": ""},
            age="visited_at",
            default_days=730,
            action=ANONYMISE,
            purpose=_("Where visitors come from, for the uptake of services per area."),
            legal_basis=_("A public task (UU 25/2009 art. 18: evaluating public services)."),
            note=_(
                "No name, NIK or phone is recorded, so a visit cannot be found by person; the "
                "desa/kelurahan and occupation stay for statistics."
            ),
        )
    )
    register(
        PersonalDataKind(
            key="visits.skm_profile",
            label=_("SKM respondents' profile"),
            model="visits.SurveyResponse",
            fields={"age": None, "sex": "", "education": "", "occupation": "", "token_hash": None},
            age="answered_at",
            default_days=1095,
            action=ANONYMISE,
            purpose=_("The IKM per respondent group (PermenPAN-RB 14/2017)."),
            legal_basis=_("A public task (UU 25/2009 art. 18; PermenPAN-RB 14/2017)."),
            note=_(
                "Answers are not linked to a person (the survey link names only the service "
                "point), so they cannot be found by person; the nine scores stay for the IKM."
            ),
        )
    )
    register(
        PersonalDataKind(
            key="core.audit_ip",
            label=_("IP addresses in the audit log"),
            model="core.AuditLog",
            fields={"ip_address": None},
            age="created_at",
            default_days=365,
            action=ANONYMISE,
            purpose=_("Investigating misuse of an account or of a public form (security)."),
            legal_basis=_(
                "A public task and the security of the processing (UU 27/2022 art. 20(2)(e), "
                "art. 35)."
            ),
            anonymise=_audit_ip_clear,
            without_pemda=True,
            note=_(
                "Only the address is blanked; the audit entry itself stays (append-only). Not "
                "searchable by person. Entries of no Pemda follow the installation-wide period."
            ),
        )
    )
    register_fallback_kinds()


# -- kinds of apps built alongside (announcements, community) -------------------------------
# Registered here only when the app has not registered its own under the same key, and used
# only while the model has the fields named (see `_usable`).
def _opted_out() -> Q:
    return Q(opted_out_at__isnull=False)


def _delivery_done() -> Q:
    return Q(status__in=["sent", "delivered", "read", "failed"])


def _booking_done() -> Q:
    return ~Q(status="requested")


def register_fallback_kinds() -> None:
    register(
        PersonalDataKind(
            key="announcements.subscription",
            label=_("Announcement subscriptions"),
            model="announcements.Subscription",
            fields={"phone": "", "email": ""},
            age="opted_out_at",
            default_days=30,
            action=DELETE,
            purpose=_("Sending the announcements a citizen asked for."),
            legal_basis=_("Consent (UU 27/2022 art. 20(2)(a)), withdrawn by unsubscribing."),
            purge_filter=_opted_out,
            phone_fields=("phone",),
            email_fields=("email",),
            note=_("Kept while subscribed; deleted this long after unsubscribing."),
        ),
        replace=False,
    )
    register(
        PersonalDataKind(
            key="announcements.contact",
            label=_("Announcement contacts (RT/RW heads, community figures)"),
            model="announcements.Contact",
            fields={"name": "", "phone": "", "email": ""},
            age="opted_out_at",
            default_days=30,
            action=DELETE,
            purpose=_("Passing announcements on to the residents of an area."),
            legal_basis=_("Consent (UU 27/2022 art. 20(2)(a)), withdrawn by opting out."),
            purge_filter=_opted_out,
            phone_fields=("phone",),
            email_fields=("email",),
            note=_("Kept while active; deleted this long after opting out."),
        ),
        replace=False,
    )
    register(
        PersonalDataKind(
            key="announcements.delivery",
            label=_("Announcement deliveries"),
            model="announcements.Delivery",
            fields={"address": ""},
            age="created_at",
            default_days=365,
            action=DELETE,
            purpose=_("Sending announcements once and knowing whether they arrived."),
            legal_basis=_("Consent (UU 27/2022 art. 20(2)(a))."),
            pemda_path="campaign__pemda",
            eligible=_delivery_done,
            phone_fields=("address",),
            wa_id_fields=("address",),
            email_fields=("address",),
        ),
        replace=False,
    )
    register(
        PersonalDataKind(
            key="community.booking_contact",
            label=_("Contact persons of space bookings"),
            model="community.Booking",
            fields={"contact_name": "", "contact_phone": ""},
            age="ends_at",
            default_days=365,
            action=ANONYMISE,
            purpose=_("Answering a group's request to use a community space."),
            legal_basis=_("A public task (UU 27/2022 art. 20(2)(e))."),
            eligible=_booking_done,
            phone_fields=("contact_phone",),
            note=_("Counted from the end of the booking; the booking stays for statistics."),
        ),
        replace=False,
    )
