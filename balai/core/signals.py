"""Signals other apps listen to without the senders knowing them."""

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

# Rows of a Pemda changed without model signals (bulk_create, QuerySet.update): sent once per
# Pemda after the transaction commits, with `pemda_id`. The evaluation cache listens.
pemda_data_changed = Signal()


def pemda_data_changed_send(pemda_ids: Iterable[int | None]) -> None:
    """Announce, after commit, that the given Pemda's data changed in bulk."""
    for pemda_id in {pk for pk in pemda_ids if pk is not None}:
        transaction.on_commit(
            lambda pemda_id=pemda_id: pemda_data_changed.send(sender=None, pemda_id=pemda_id)
        )
