"""Fixtures for privacy: two Pemda with complainants, messages and service requests."""

import datetime as dt

import pytest
import time_machine

from balai.accounts.choices import Role
from balai.complaints import services as complaints
from balai.complaints.choices import Channel, RejectReason
from balai.messaging.choices import ChannelKind, OutboundStatus
from balai.messaging.models import ChannelAccount, Conversation, InboundMessage, OutboundMessage
from balai.organizations.services import pemda_create
from balai.privacy.registry import register_builtin_kinds
from balai.regions.models import Region
from balai.regions.services import regions_import
from balai.service_requests import services as requests_svc
from balai.service_requests.tests.conftest import add_standard

UTC = dt.UTC
PHONE = "+6281234567890"  # Made, who complained in Bontang
WA_ID = "6281234567890"
OTHER_PHONE = "+6285700001111"


@pytest.fixture(autouse=True)
def _kinds():
    register_builtin_kinds()  # normally from PrivacyConfig.ready()


@pytest.fixture
def bangli_pemda(db):
    regions_import(only="51.06")
    return pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")


@pytest.fixture
def admin(bontang, make_member):
    return make_member(bontang, Role.PEMDA_ADMIN)


@pytest.fixture
def operator(bontang, make_member):
    return make_member(bontang, Role.OPERATOR)


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def submit(pemda, when, **kwargs):
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Lampu jalan mati di depan sekolah")
    with time_machine.travel(when, tick=False):
        return complaints.complaint_submit(pemda=pemda, **kwargs)


def close(complaint, actor, when):
    with time_machine.travel(when, tick=False):
        return complaints.complaint_reject(
            complaint=complaint, actor=actor, reason=RejectReason.NOT_COMPLAINT
        )


@pytest.fixture
def account(bontang):
    return ChannelAccount.objects.create(
        pemda=bontang, kind=ChannelKind.WHATSAPP, external_id="1065", verify_token="t"
    )


def whatsapp_complaint(account, when, *, wa_id=WA_ID, name="Made", text="Sampah menumpuk"):
    """A complaint from WhatsApp with its conversation, message in and reply out."""
    complaint = submit(
        account.pemda,
        when,
        channel=Channel.WHATSAPP,
        description=text,
        reporter_name=name,
        reporter_phone="+" + wa_id,
        reporter_channel_id=wa_id,
    )
    conversation = Conversation.objects.create(
        account=account, sender_id=wa_id, started_at=when, last_message_at=when, complaint=complaint
    )
    InboundMessage.objects.create(
        account=account,
        channel=ChannelKind.WHATSAPP,
        external_id=f"wamid.{complaint.pk}",
        sender_id=wa_id,
        sender_name=name,
        message_type="text",
        text=text,
        payload={"contacts": [{"wa_id": wa_id, "profile": {"name": name}}]},
        sent_at=when,
        received_at=when,
        processed_at=when,
        conversation=conversation,
        complaint=complaint,
    )
    OutboundMessage.objects.create(
        pemda=account.pemda,
        account=account,
        channel=ChannelKind.WHATSAPP,
        recipient=wa_id,
        text=f"Terima kasih, kode {complaint.tracking_code}",
        idempotency_key=f"complaint-{complaint.pk}-received",
        status=OutboundStatus.SENT,
        created_at=when,
        sent_at=when,
    )
    return complaint


@pytest.fixture
def service(bontang):
    from balai.catalog.choices import ServiceCategory
    from balai.catalog.models import Service
    from balai.organizations.models import OPD

    service = Service.objects.create(
        pemda=bontang,
        code="skck",
        name="Surat keterangan",
        category=ServiceCategory.LETTERS,
        opd=OPD.objects.filter(pemda=bontang).order_by("pk").first(),
    )
    add_standard(service)
    return service


def file_request(service, when, *, phone=PHONE, name="Made"):
    with time_machine.travel(when, tick=False):
        return requests_svc.service_request_submit(
            pemda=service.pemda,
            service=service,
            channel="counter",
            applicant_name=name,
            applicant_phone=phone,
            checklist={r.pk: True for r in service.standards.get().requirements.all()},
        )
