"""Properties of the parsers at Balai's edges (hypothesis): phone numbers and webhook payloads.

- `normalize_phone` (portal, call center, service requests) and `e164` (WhatsApp ids) take any
  text: they answer E.164 or nothing (a ValidationError for the form one), never crash, and
  are idempotent; every way of writing an Indonesian mobile number gives the same E.164.
- `parse_payload` takes any JSON: it answers a parse or `PayloadError`, nothing else; a valid
  generated delivery becomes exactly one InboundMessage per message id, however often Meta
  sends it.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balai.complaints.forms_public import normalize_phone
from balai.messaging.choices import ChannelKind
from balai.messaging.models import InboundMessage
from balai.messaging.services import e164
from balai.messaging.webhooks import PayloadError, parse_payload

from .conftest import PAGE_ID, PHONE_NUMBER_ID, now_ts, wa_message, wa_payload

E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")  # E.164: at most 15 digits
PROPERTY = settings(max_examples=200, deadline=None)
phone_like = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789 +-().", max_size=25),
    st.from_regex(r"\A\+?[0-9 ()\-.]{0,20}\Z"),
)


# -- phone numbers ------------------------------------------------------------------------------
@PROPERTY
@given(text=phone_like)
def test_normalize_phone_answers_e164_or_a_validation_error(text):
    try:
        number = normalize_phone(text)
    except ValidationError:
        return
    assert number == "" or E164.match(number), number
    assert normalize_phone(number) == number  # idempotent


@PROPERTY
@given(text=phone_like)
def test_e164_never_raises_and_is_idempotent(text):
    number = e164(text)
    assert number == "" or E164.match(number), number
    assert e164(number) == number
    assert e164(number.lstrip("+")) == number  # a wa_id is the number without "+"


mobile = st.tuples(
    st.sampled_from(["811", "812", "813", "821", "822", "852", "853", "857", "877", "895"]),
    st.text(alphabet="0123456789", min_size=7, max_size=8),
)
separator = st.sampled_from(["", " ", "-", "."])


@PROPERTY
@given(number=mobile, sep=separator, style=st.sampled_from(["0", "+62", "+62 ", "(0"]))
def test_every_way_of_writing_an_indonesian_mobile_gives_one_e164(number, sep, style):
    prefix, rest = number
    head = f"{style}{prefix})" if style == "(0" else f"{style}{prefix}"
    written = sep.join([head, rest[:4], rest[4:]])
    expected = f"+62{prefix}{rest}"
    assert normalize_phone(written) == expected
    assert e164(f"62{prefix}{rest}") == expected


# -- webhook payloads ---------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "object",
                    "entry",
                    "changes",
                    "value",
                    "messages",
                    "statuses",
                    "metadata",
                    "id",
                    "from",
                    "type",
                    "text",
                    "body",
                    "timestamp",
                    "messaging",
                    "message",
                    "mid",
                    "sender",
                    "postback",
                    "phone_number_id",
                    "field",
                    "contacts",
                    "status",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)
envelopes = st.fixed_dictionaries(
    {
        "object": st.sampled_from(["whatsapp_business_account", "page", "x"]),
        "entry": json_values,
    }
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from([ChannelKind.WHATSAPP, ChannelKind.MESSENGER]),
    data=st.one_of(json_values, envelopes),
)
def test_any_json_parses_or_is_refused_with_payload_error(kind, data):
    try:
        parsed = parse_payload(kind, data)
    except PayloadError:
        return
    assert parsed.malformed >= 0 and parsed.skipped >= 0
    for item in parsed.messages:
        assert item.external_id and item.sender_id and item.sent_at.tzinfo is not None


words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60
).filter(str.strip)


@st.composite
def whatsapp_deliveries(draw):
    n = draw(st.integers(min_value=1, max_value=3))
    batch = draw(st.uuids()).hex
    messages = [
        {
            "from": draw(st.sampled_from(["6281234567890", "6285298765432"])),
            "id": f"wamid.{batch}{i}",
            "timestamp": str(now_ts() - draw(st.integers(min_value=0, max_value=3600))),
            "type": "text",
            "text": {"body": draw(words)},
        }
        for i in range(n)
    ]
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": PHONE_NUMBER_ID},
                            "messages": messages,
                        },
                    }
                ],
            }
        ],
    }


@st.composite
def messenger_deliveries(draw):
    n = draw(st.integers(min_value=1, max_value=3))
    batch = draw(st.uuids()).hex
    events = [
        {
            "sender": {"id": draw(st.sampled_from(["6789012345", "5432109876"]))},
            "recipient": {"id": PAGE_ID},
            "timestamp": (now_ts() - draw(st.integers(min_value=0, max_value=3600))) * 1000,
            "message": {"mid": f"m_{batch}{i}", "text": draw(words)},
        }
        for i in range(n)
    ]
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ts(), "messaging": events}]}


def ids_of(payload) -> list[str]:
    entry = payload["entry"][0]
    if payload["object"] == "page":
        return [e["message"]["mid"] for e in entry["messaging"]]
    return [m["id"] for m in entry["changes"][0]["value"]["messages"]]


@pytest.mark.parametrize(
    ("kind", "deliveries"),
    [("whatsapp", whatsapp_deliveries()), ("messenger", messenger_deliveries())],
)
def test_valid_deliveries_store_each_message_exactly_once(
    deliver, wa_account, ms_account, kind, deliveries
):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=deliveries, repeats=st.integers(min_value=1, max_value=3))
    def run(payload, repeats):
        fresh(payload)
        ids = ids_of(payload)
        for _ in range(repeats):  # Meta delivers at least once
            assert deliver(kind, payload).status_code == 200
        stored = InboundMessage.objects.filter(external_id__in=ids)
        assert sorted(stored.values_list("external_id", flat=True)) == sorted(ids)
        texts = {m.external_id: m.text for m in stored}
        for message_id, text in zip(ids, texts_of(payload), strict=True):
            assert texts[message_id] == text

    run()


_serial = itertools.count(1)


def fresh(payload) -> None:
    """Ids unique to this example (hypothesis replays values: a repeat would be a duplicate)."""
    serial = next(_serial)
    entry = payload["entry"][0]
    if payload["object"] == "page":
        for event in entry["messaging"]:
            event["message"]["mid"] += f"-{serial}"
    else:
        for message in entry["changes"][0]["value"]["messages"]:
            message["id"] += f"-{serial}"


def texts_of(payload) -> list[str]:
    entry = payload["entry"][0]
    if payload["object"] == "page":
        return [e["message"]["text"] for e in entry["messaging"]]
    return [m["text"]["body"] for m in entry["changes"][0]["value"]["messages"]]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=st.sampled_from(["whatsapp", "messenger"]), data=st.one_of(json_values, envelopes))
def test_signed_arbitrary_json_is_answered_200_or_400_never_5xx(
    deliver, wa_account, ms_account, kind, data
):
    response = deliver(kind, json.dumps(data).encode())
    assert response.status_code in (200, 400)


# What the generated payloads found, kept as plain regressions.
def test_a_message_with_nul_characters_is_stored_without_them(deliver, wa_account):
    payload = wa_payload(wa_message("Lampu\x00 mati", id="wamid.NUL\x001"))
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["x\x00"] = "\x00"
    response = deliver("whatsapp", payload)
    assert response.status_code == 200  # PostgreSQL: 503 on every delivery before the fix
    message = InboundMessage.objects.get()
    assert (message.text, message.external_id) == ("Lampu mati", "wamid.NUL1")
    assert message.payload["x"] == ""


def test_deeply_nested_json_is_refused_with_400(deliver, wa_account):
    body = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 100_000 + b"]" * 100_000
    assert deliver("whatsapp", body + b"}").status_code == 400  # was RecursionError: 500
