"""From stored messages to complaints: conversations, media, locations, "cek <kode>"."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from balai.complaints import services as complaint_services
from balai.complaints.choices import EventKind
from balai.complaints.clocks import complaint_settings
from balai.complaints.models import Attachment, Category, Complaint
from balai.messaging.models import Conversation, InboundMessage, OutboundMessage
from balai.messaging.services import e164, inbound_process, inbound_retry, status_reply

from .conftest import WA_TOKEN, ms_event, ms_payload, now_ts, wa_message, wa_payload

pytestmark = pytest.mark.django_db


def photo_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0131] = "Perangkat Pelapor"  # Software
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


# -- conversations -----------------------------------------------------------------------------
def test_two_messages_within_the_window_make_one_complaint(deliver, wa_account):
    start = now_ts() - 3600
    deliver("whatsapp", wa_payload(wa_message("Jalan berlubang", timestamp=start)))
    deliver("whatsapp", wa_payload(wa_message("di depan SD 005", timestamp=start + 600)))
    complaint = Complaint.objects.get()
    events = list(complaint.events.values_list("kind", "text"))
    assert events == [(EventKind.RECEIVED, ""), (EventKind.MESSAGE, "di depan SD 005")]
    conversation = Conversation.objects.get()
    assert conversation.complaint == complaint
    assert conversation.messages.count() == 2
    assert conversation.last_message_at.timestamp() == start + 600


def test_a_message_after_the_window_starts_a_second_complaint(deliver, wa_account):
    start = now_ts() - 7200
    deliver("whatsapp", wa_payload(wa_message("Jalan berlubang", timestamp=start)))
    deliver("whatsapp", wa_payload(wa_message("Dekat pasar", timestamp=start + 600)))
    # 31 minutes after the last message: the default window is 30 minutes.
    deliver("whatsapp", wa_payload(wa_message("Lampu mati", timestamp=start + 600 + 31 * 60)))
    assert Complaint.objects.count() == 2
    assert Conversation.objects.count() == 2
    assert Complaint.objects.order_by("received_at").last().description == "Lampu mati"


def test_the_window_is_the_pemdas_setting(deliver, wa_account):
    settings = complaint_settings(wa_account.pemda)
    settings.conversation_window_minutes = 5
    settings.save()
    start = now_ts() - 3600
    deliver("whatsapp", wa_payload(wa_message("Satu", timestamp=start)))
    deliver("whatsapp", wa_payload(wa_message("Dua", timestamp=start + 6 * 60)))
    assert Complaint.objects.count() == 2


def test_a_late_delivery_joins_the_conversation_it_belongs_to(deliver, wa_account):
    start = now_ts() - 3600
    deliver("whatsapp", wa_payload(wa_message("Pertama", timestamp=start)))
    deliver("whatsapp", wa_payload(wa_message("Ketiga", timestamp=start + 1200)))
    deliver("whatsapp", wa_payload(wa_message("Kedua", timestamp=start + 600)))  # out of order
    complaint = Complaint.objects.get()
    assert complaint.events.filter(kind=EventKind.MESSAGE).count() == 2
    assert Conversation.objects.get().last_message_at.timestamp() == start + 1200


def test_senders_do_not_share_conversations(deliver, wa_account):
    deliver("whatsapp", wa_payload(wa_message("Satu", sender="6281111111111")))
    deliver("whatsapp", wa_payload(wa_message("Dua", sender="6282222222222")))
    assert Complaint.objects.count() == 2


def test_a_closed_complaint_is_not_extended(deliver, wa_account, make_member):
    from balai.accounts.choices import Role

    deliver("whatsapp", wa_payload(wa_message("Satu")))
    complaint = Complaint.objects.get()
    operator = make_member(wa_account.pemda, Role.OPERATOR)
    complaint_services.complaint_reject(complaint=complaint, actor=operator, reason="spam")
    deliver("whatsapp", wa_payload(wa_message("Dua")))
    assert Complaint.objects.count() == 2


def test_processing_twice_does_nothing_more(deliver, wa_account, commit):
    deliver("whatsapp", wa_payload(wa_message("Satu")))
    message = InboundMessage.objects.get()
    processed_at = message.processed_at
    with commit():
        assert inbound_process(message_id=message.pk) == "done before"
    message.refresh_from_db()
    assert message.processed_at == processed_at
    assert Complaint.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_a_failed_processing_is_recorded_and_retried(deliver, wa_account, commit):
    real_submit = complaint_services.complaint_submit
    with mock.patch(
        "balai.messaging.services.complaint_submit",
        side_effect=ValidationError("database hiccup"),
    ):
        assert deliver("whatsapp", wa_payload(wa_message("Satu"))).status_code == 200
    message = InboundMessage.objects.get()
    assert message.processed_at is None
    assert "database hiccup" in message.error
    assert Complaint.objects.count() == 0
    assert real_submit is complaint_services.complaint_submit
    with commit():
        assert inbound_retry(older_than=dt.timedelta(0)) == {"complaint": 1}
    message.refresh_from_db()
    assert message.processed_at is not None and message.error == ""
    assert message.attempts == 2
    assert Complaint.objects.count() == 1


# -- media and locations -----------------------------------------------------------------------
def test_an_image_is_fetched_through_the_graph_api(deliver, wa_account, graph):
    graph.media["1037543291543636"] = (photo_with_exif(), "image/jpeg")
    image = wa_message(
        type="image",
        body={"id": "1037543291543636", "mime_type": "image/jpeg", "caption": "Banjir"},
    )
    assert deliver("whatsapp", wa_payload(image)).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.description == "Banjir"
    attachment = Attachment.objects.get(complaint=complaint)
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as f, Image.open(f) as stored:
        assert stored.size == (64, 48)
        assert not stored.getexif()  # metadata stripped by complaint_submit
    gets = [r for r in graph.requests if r["method"] == "GET"]
    assert [r["path"] for r in gets] == ["/v21.0/1037543291543636", "/download/1037543291543636"]
    assert all(r["authorization"] == f"Bearer {WA_TOKEN}" for r in gets)


def test_an_image_without_caption_gets_a_placeholder(deliver, wa_account, graph):
    graph.media["m1"] = (photo_with_exif(), "image/jpeg")
    deliver("whatsapp", wa_payload(wa_message(type="image", body={"id": "m1"})))
    complaint = Complaint.objects.get()
    assert complaint.description  # never empty
    assert complaint.attachments.count() == 1


def test_an_image_later_in_the_conversation_is_attached_to_its_message(deliver, wa_account, graph):
    graph.media["m2"] = (photo_with_exif(), "image/jpeg")
    start = now_ts() - 600
    deliver("whatsapp", wa_payload(wa_message("Pohon tumbang", timestamp=start)))
    deliver(
        "whatsapp", wa_payload(wa_message(type="image", body={"id": "m2"}, timestamp=start + 60))
    )
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    assert attachment.event.kind == EventKind.MESSAGE


def test_an_unknown_media_id_does_not_block_the_complaint_forever(deliver, wa_account, commit):
    image = wa_message(type="image", body={"id": "gone", "caption": "Lihat foto"})
    deliver("whatsapp", wa_payload(image))  # 404 from the Graph API: not retriable
    complaint = Complaint.objects.get()
    assert "Lihat foto" in complaint.description
    assert complaint.attachments.count() == 0


def test_a_retriable_media_error_waits_for_a_retry(deliver, wa_account, graph, commit):
    image = wa_message(type="image", body={"id": "later", "caption": "Foto"})
    with mock.patch(
        "balai.messaging.graph.GraphClient.whatsapp_media",
        side_effect=__import__("balai.messaging.graph", fromlist=["GraphError"]).GraphError(
            "timed out"
        ),
    ):
        deliver("whatsapp", wa_payload(image))
    message = InboundMessage.objects.get()
    assert message.processed_at is None and "timed out" in message.error
    graph.media["later"] = (photo_with_exif(), "image/jpeg")
    with commit():
        inbound_retry(older_than=dt.timedelta(0))
    assert Complaint.objects.get().attachments.count() == 1


def test_audio_is_noted_not_attached(deliver, wa_account, graph):
    audio = wa_message(type="audio", body={"id": "voice-1", "mime_type": "audio/ogg"})
    deliver("whatsapp", wa_payload(audio))
    complaint = Complaint.objects.get()
    assert "audio" in complaint.description
    assert complaint.attachments.count() == 0
    assert not [r for r in graph.requests if r["method"] == "GET"]  # nothing downloaded


def test_a_location_sets_lat_and_lng(deliver, wa_account):
    location = wa_message(
        type="location",
        body={
            "latitude": 0.1326,
            "longitude": 117.4853,
            "name": "Pasar Rawa Indah",
            "address": "Jl. Pattimura, Bontang",
        },
    )
    deliver("whatsapp", wa_payload(location))
    complaint = Complaint.objects.get()
    assert (complaint.lat, complaint.lng) == (0.1326, 117.4853)
    assert "Pasar Rawa Indah" in complaint.description


def test_messenger_image_and_location(deliver, ms_account, graph):
    graph.media["cdn-photo"] = (photo_with_exif(), "image/jpeg")
    event = ms_event(
        "Got tersumbat",
        attachments=[
            {"type": "image", "payload": {"url": f"{graph.root}/cdn/cdn-photo"}},
            {"type": "location", "payload": {"coordinates": {"lat": 0.14, "long": 117.5}}},
        ],
    )
    deliver("messenger", ms_payload(event))
    complaint = Complaint.objects.get()
    assert complaint.attachments.count() == 1
    assert (complaint.lat, complaint.lng) == (0.14, 117.5)
    (download,) = [r for r in graph.requests if r["method"] == "GET"]
    assert download["path"] == "/cdn/cdn-photo"
    assert download["authorization"] == ""  # the page token is not sent to a CDN URL


def test_reactions_are_ignored(deliver, wa_account):
    reaction = wa_message(type="reaction", body={"message_id": "wamid.X", "emoji": "👍"})
    deliver("whatsapp", wa_payload(reaction))
    message = InboundMessage.objects.get()
    assert message.processed_at is not None and message.complaint is None
    assert Complaint.objects.count() == 0


# -- "cek <kode>" ------------------------------------------------------------------------------
def test_cek_replies_with_the_public_status_only(deliver, wa_account, graph, make_member):
    from balai.accounts.choices import Role

    deliver("whatsapp", wa_payload(wa_message("Air PDAM mati tiga hari", sender="6281234567890")))
    complaint = Complaint.objects.get()
    operator = make_member(wa_account.pemda, Role.OPERATOR)
    complaint_services.complaint_note(complaint=complaint, actor=operator, text="RAHASIA INTERNAL")
    code = complaint.tracking_code.replace("-", "").lower()
    deliver("whatsapp", wa_payload(wa_message(f"CEK {code}", sender="6289999999999")))
    assert Complaint.objects.count() == 1  # a status question is not a complaint
    reply = OutboundMessage.objects.get(idempotency_key__endswith="-status")
    with translation.override("id"):
        label = complaint.get_status_display()
    assert complaint.tracking_code in reply.text and label in reply.text
    assert "WITA" in reply.text  # the response due time, in Bontang's zone
    for private in ("Budi", "Santoso", "6281234567890", "Air PDAM", "RAHASIA"):
        assert private not in reply.text
    assert reply.recipient == "6289999999999" and reply.status == "sent"
    assert graph.sent[-1]["text"]["body"] == reply.text


def test_a_complaint_that_starts_with_cek_is_a_complaint(deliver, wa_account):
    deliver("whatsapp", wa_payload(wa_message("Cek lampu jalan di depan rumah saya, mati")))
    assert Complaint.objects.get().description.startswith("Cek lampu")


def test_bare_cek_explains_itself(deliver, wa_account):
    deliver("whatsapp", wa_payload(wa_message("cek")))
    assert Complaint.objects.count() == 0
    assert "ABCD-EFGH" in OutboundMessage.objects.get().text


def test_cek_an_unknown_code(deliver, wa_account):
    deliver("whatsapp", wa_payload(wa_message("cek ACDE-FGHJ")))
    assert Complaint.objects.count() == 0
    reply = OutboundMessage.objects.get()
    assert "ACDE-FGHJ" in reply.text


def test_cek_does_not_see_other_pemdas_complaints(wa_account):
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="64.71")
    other = pemda_create(actor=None, region=Region.objects.get(code="64.71"), seat_name="X")
    complaint = complaint_services.complaint_submit(
        pemda=other, channel="portal", description="Di kota lain"
    )
    text = status_reply(pemda=wa_account.pemda, code_text=complaint.tracking_code)
    assert "Di kota lain" not in text
    assert text == status_reply(pemda=wa_account.pemda, code_text="ACDE-FGHJ").replace(
        "ACDE-FGHJ", complaint.tracking_code
    )


def test_cek_after_a_response_shows_the_resolution_due_time(wa_account, make_member, commit):
    from balai.accounts.choices import Role

    pemda = wa_account.pemda
    category = Category.objects.create(
        pemda=pemda, code="air", name="Air", default_opd=pemda.opds.first()
    )
    operator = make_member(pemda, Role.OPERATOR)
    with commit():
        complaint = complaint_services.complaint_submit(
            pemda=pemda, channel="portal", description="Air mati"
        )
        complaint_services.complaint_verify(
            complaint=complaint,
            actor=operator,
            category=category,
            is_secret=True,
            is_anonymous=True,
        )
    text = status_reply(pemda=pemda, code_text=complaint.tracking_code)
    assert "WITA" in text and len(text.splitlines()) == 2


def test_e164():
    assert e164("6281234567890") == "+6281234567890"
    assert e164("12") == ""
    assert e164("not-a-number") == ""


# -- replies from staff ------------------------------------------------------------------------
def test_a_staff_response_reaches_the_reporter_on_whatsapp(
    deliver, wa_account, graph, make_member, commit
):
    from balai.accounts.choices import Role

    pemda = wa_account.pemda
    deliver("whatsapp", wa_payload(wa_message("Air mati", sender="6281234567890")))
    complaint = Complaint.objects.get()
    category = Category.objects.create(
        pemda=pemda, code="air", name="Air", default_opd=pemda.opds.first()
    )
    operator = make_member(pemda, Role.OPERATOR)
    with commit():
        complaint_services.complaint_verify(
            complaint=complaint,
            actor=operator,
            category=category,
            is_secret=True,
            is_anonymous=True,
        )
    with commit():
        complaint_services.complaint_respond(
            complaint=complaint, actor=operator, text="Petugas menuju lokasi besok pagi."
        )
    last = graph.sent[-1]
    assert last["to"] == "6281234567890"
    assert "Petugas menuju lokasi besok pagi." in last["text"]["body"]
