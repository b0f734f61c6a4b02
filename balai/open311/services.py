"""Writes of the Open311 app: issuing client keys and taking service requests."""

from __future__ import annotations

from django.db import transaction

from balai.accounts.models import User
from balai.core.audit import audit_record

from .models import Open311Client


@transaction.atomic
def open311_client_create(*, pemda, name: str, actor: User | None) -> tuple[Open311Client, str]:
    """A new client of the Pemda's Open311 endpoint. Returns it and its key, shown only once."""
    raw = Open311Client.new_key()
    client = Open311Client(
        pemda=pemda,
        name=name.strip(),
        key_prefix=raw[: len(Open311Client.PREFIX) + 6],
        key_hash=Open311Client.hash_key(raw),
    )
    client.full_clean()
    client.save()
    audit_record(actor=actor, action="open311.client_create", target=client)
    return client, raw
