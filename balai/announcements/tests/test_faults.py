"""A real `balai worker` SIGKILLed in the middle of an announcement delivery (PostgreSQL only):
never two WhatsApp templates, never a silent loss. Counted at the fake Graph API server."""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from balai.announcements import sending, services
from balai.announcements.choices import CampaignStatus, DeliveryStatus
from balai.announcements.models import Delivery
from balai.messaging.reclaim import tasks_reclaim
from balai.messaging.tests.test_faults import start_worker, task_status, wait_for, worker_env

from .conftest import TLI, add_contact, region


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker subprocess needs a database it can open (the SQLite test one is in memory)",
)
@pytest.mark.parametrize("where", ["claimed", "provider_accepted"])
def test_a_worker_killed_around_the_provider_call_never_sends_an_announcement_twice(
    bontang, rts, wa_account, graph, settings, tmp_path, where
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from .fault_tasks import deliver_campaign_when_released

    add_contact(bontang, "Ketua RT 001", "0812-1111-0001", unit=rts["tli"][0])
    campaign = services.campaign_create(
        actor=None, pemda=bontang, title="Layanan malam", body="Senin-Kamis", regions=[region(TLI)]
    )
    with mock.patch.object(services, "_enqueue_delivery"):  # the fault task delivers instead
        services.campaign_send(actor=None, campaign=campaign)
    flag = tmp_path / "block"
    flag.touch()
    result = deliver_campaign_when_released.enqueue(campaign.pk, str(flag), where)
    env = worker_env(graph)
    log = tmp_path / "worker.log"

    first = start_worker(env, log)
    try:
        wait_for(Path(f"{flag}.started").exists, what="the first worker to reach: " + where)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    delivery = Delivery.objects.get(campaign=campaign)
    assert delivery.status == DeliveryStatus.SENDING and delivery.attempts == 1
    assert delivery.provider_message_id == ""  # the answer, if any, was never recorded
    if where == "claimed":
        assert delivery.provider_called_at is None and graph.sent == []
    else:
        assert delivery.provider_called_at is not None and len(graph.sent) == 1

    # The lease passes: `tasks-reclaim` queues the task again and the row's claim is stale
    # (moved back in time here rather than waiting 15 minutes).
    flag.unlink()
    assert tasks_reclaim(lease=dt.timedelta(0)) == 1
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_at=F("claimed_at") - sending.STALE_SENDING - dt.timedelta(seconds=1)
    )
    second = start_worker(env, log)
    try:
        wait_for(
            lambda: task_status(result.id) == TaskResultStatus.SUCCESSFUL,
            what="the second worker to run the task again: " + log.read_text()[-2000:],
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)

    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 2
    delivery.refresh_from_db()
    campaign.refresh_from_db()
    if where == "claimed":
        assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
        assert delivery.provider_message_id == "wamid.OUT1"
        assert campaign.status == CampaignStatus.SENT
    else:
        assert delivery.status == DeliveryStatus.UNKNOWN and delivery.attempts == 1
        assert campaign.status == CampaignStatus.SENDING  # waits for a staff decision
    assert [m["to"] for m in graph.sent] == ["6281211110001"]

    # Nothing more is ever sent on its own: the sweep now and a day later.
    for later in (timezone.now(), timezone.now() + dt.timedelta(days=1)):
        counts = services.campaigns_send_due(now=later)
        assert counts["sent"] == 0 and counts["requeued"] == 0
    assert len(graph.sent) == 1
