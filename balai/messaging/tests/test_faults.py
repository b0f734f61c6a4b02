"""Fault tests: the database failing during a webhook POST, a worker killed inside a task."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from balai.complaints.models import Complaint, ComplaintEvent
from balai.messaging.choices import ChannelKind, OutboundStatus
from balai.messaging.models import Conversation, InboundMessage, OutboundMessage
from balai.messaging.reclaim import tasks_reclaim
from balai.messaging.services import inbound_retry

from .conftest import WA_TOKEN, wa_message, wa_payload

ROOT = Path(__file__).resolve().parents[3]


# -- (a) the database goes away in the middle of a webhook POST --------------------------------
def failing_insert(table: str):
    """A cursor wrapper that raises OperationalError at the INSERT into `table`, as a dropped
    PostgreSQL connection or a locked SQLite file would."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and f'"{table}"' in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


def counts() -> dict[str, int]:
    return {
        "messages": InboundMessage.objects.count(),
        "complaints": Complaint.objects.count(),
        "events": ComplaintEvent.objects.count(),
        "conversations": Conversation.objects.count(),
        "outbox": OutboundMessage.objects.count(),
    }


@pytest.mark.parametrize("table", ["messaging_inboundmessage", "complaints_complaint"])
def test_database_failing_during_a_webhook_is_not_acknowledged_and_the_retry_stores_once(
    deliver, wa_account, graph, table
):
    payload = wa_payload(wa_message("Lampu jalan mati di Jl. Ahmad Yani", id="wamid.FAULT1"))
    before = counts()
    with connection.execute_wrapper(failing_insert(table)):
        response = deliver("whatsapp", payload)
    if table == "messaging_inboundmessage":
        # The insert itself failed: 503, so Meta delivers again; nothing written.
        assert response.status_code == 503
        assert counts() == before
    else:
        # Stored, then processing (a task after commit) failed: the message is kept, unprocessed,
        # and no half complaint exists; `balai inbound-retry` or the retry below finishes it.
        assert response.status_code in (200, 503)
        assert Complaint.objects.count() == before["complaints"]
        assert ComplaintEvent.objects.count() == before["events"]
        assert OutboundMessage.objects.count() == before["outbox"]
        assert InboundMessage.objects.filter(processed_at__isnull=False).count() == 0

    # Meta delivers the same message again, the database is back: stored and processed once.
    response = deliver("whatsapp", payload)
    assert response.status_code == 200
    if table == "complaints_complaint":
        inbound_retry(older_than=dt.timedelta(0))
    message = InboundMessage.objects.get(external_id="wamid.FAULT1")
    assert message.processed_at is not None
    assert Complaint.objects.count() == before["complaints"] + 1
    assert OutboundMessage.objects.filter(recipient=message.sender_id).count() == 1
    # A third delivery changes nothing.
    assert deliver("whatsapp", payload).status_code == 200
    assert InboundMessage.objects.filter(external_id="wamid.FAULT1").count() == 1
    assert Complaint.objects.count() == before["complaints"] + 1


def test_database_unavailable_for_the_signature_lookup_answers_503(deliver, wa_account):
    with mock.patch(
        "balai.messaging.webhooks.ChannelAccount.objects.filter",
        side_effect=OperationalError("connection refused"),
    ):
        response = deliver("whatsapp", wa_payload(wa_message()))
    assert response.status_code == 503
    assert InboundMessage.objects.count() == 0


# -- (b) a worker killed in the middle of a task ------------------------------------------------
def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "balai", "worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_env(graph) -> dict[str, str]:
    """The environment of a `balai worker` subprocess on the test database and fake Graph API."""
    db = django_settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "balai.messaging.tests.worker_settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "BALAI_TEST_GRAPH_API_BASE": graph.base_url,
        "BALAI_WHATSAPP_ACCESS_TOKEN": WA_TOKEN,
        "BALAI_SECRET_KEY": "test-only-not-secret",
    }


def wait_for(condition, *, timeout: float = 90, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def task_status(task_id) -> str:
    return DBTaskResult.objects.values_list("status", flat=True).get(pk=task_id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker subprocess needs a database it can open (the SQLite test one is in memory)",
)
def test_a_worker_killed_inside_a_task_leads_to_a_retry_and_one_notification(
    wa_account, graph, settings, tmp_path
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from .fault_tasks import deliver_when_released

    outbox = OutboundMessage.objects.create(
        pemda=wa_account.pemda,
        account=wa_account,
        channel=ChannelKind.WHATSAPP,
        recipient="6281234567890",
        text="Pengaduan Anda diterima dengan kode ABCD-EFGH.",
        idempotency_key="complaint-1-received",
    )
    flag = tmp_path / "block"
    flag.touch()
    result = deliver_when_released.enqueue(outbox.pk, str(flag))

    env = worker_env(graph)
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        wait_for(Path(f"{flag}.started").exists, what="the first worker to start the task")
        assert task_status(result.id) == TaskResultStatus.RUNNING
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    # django-tasks-db never picks a RUNNING task up again: without a reclaim it stays there.
    assert task_status(result.id) == TaskResultStatus.RUNNING
    assert graph.sent == []

    flag.unlink()
    assert tasks_reclaim(lease=dt.timedelta(0)) == 1
    assert task_status(result.id) == TaskResultStatus.READY

    second = start_worker(env, log)
    try:
        wait_for(
            lambda: task_status(result.id) == TaskResultStatus.SUCCESSFUL,
            what="the second worker to run the task again: " + log.read_text()[-2000:],
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)

    task = DBTaskResult.objects.get(pk=result.id)
    assert len(task.worker_ids) == 2  # claimed by the killed worker, then by the second
    assert task.return_value == "sent"
    outbox.refresh_from_db()
    assert outbox.status == OutboundStatus.SENT and outbox.attempts == 1
    assert [m["to"] for m in graph.sent] == ["6281234567890"]

    # Running the same delivery again, or the outbox sweep, sends nothing more.
    from balai.messaging.outbound import outbound_deliver, outbox_retry

    assert outbound_deliver(message_id=outbox.pk) == "skipped"
    assert outbox_retry()["sent"] == 0
    assert len(graph.sent) == 1
    assert graph.sent[0]["text"]["body"] == outbox.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker subprocess needs a database it can open (the SQLite test one is in memory)",
)
@pytest.mark.parametrize("where", ["claimed", "provider_accepted"])
def test_a_worker_killed_around_the_provider_call_never_sends_twice_nor_loses_silently(
    wa_account, graph, settings, tmp_path, where
):
    """SIGKILL (1) after the outbox claim, before Meta is called: the row is sent once by the
    task run again; (2) after Meta accepted the text, before the row is marked sent: the row
    becomes "unknown" for staff and is never resent, so the citizen has exactly one text."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from balai.messaging.outbound import (
        STALE_SENDING,
        outbound_deliver,
        outbox_retry,
        outbox_unknown_count,
    )

    from .fault_tasks import deliver_when_released

    outbox = OutboundMessage.objects.create(
        pemda=wa_account.pemda,
        account=wa_account,
        channel=ChannelKind.WHATSAPP,
        recipient="6281234567890",
        text="Pengaduan Anda diterima dengan kode ABCD-EFGH.",
        idempotency_key=f"complaint-1-received-{where}",
    )
    flag = tmp_path / "block"
    flag.touch()
    result = deliver_when_released.enqueue(outbox.pk, str(flag), where)
    env = worker_env(graph)
    log = tmp_path / "worker.log"

    first = start_worker(env, log)
    try:
        wait_for(
            Path(f"{flag}.started").exists,
            what="the first worker to reach the point: " + where,
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    outbox.refresh_from_db()
    assert outbox.status == OutboundStatus.SENDING and outbox.attempts == 1
    assert outbox.external_id == ""  # Meta's answer, if any, was never recorded
    if where == "claimed":
        assert outbox.provider_called_at is None
        assert graph.sent == []
    else:
        assert outbox.provider_called_at is not None
        assert len(graph.sent) == 1  # the citizen already has the text
    assert task_status(result.id) == TaskResultStatus.RUNNING

    # The lease passes: `tasks-reclaim` queues the task again and the row's claim is stale
    # (moved back in time here rather than waiting 15 minutes).
    flag.unlink()
    assert tasks_reclaim(lease=dt.timedelta(0)) == 1
    OutboundMessage.objects.filter(pk=outbox.pk).update(
        claimed_at=F("claimed_at") - STALE_SENDING - dt.timedelta(seconds=1)
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

    task = DBTaskResult.objects.get(pk=result.id)
    assert len(task.worker_ids) == 2
    outbox.refresh_from_db()
    if where == "claimed":
        assert task.return_value == "sent"
        assert outbox.status == OutboundStatus.SENT and outbox.attempts == 2
        assert outbox.external_id == "wamid.OUT1"
        assert outbox_unknown_count() == 0
    else:
        assert task.return_value == "unknown"
        assert outbox.status == OutboundStatus.UNKNOWN and outbox.attempts == 1
        assert "may or may not" in outbox.last_error
        assert outbox_unknown_count() == 1  # on the staff outbox page, in `outbox-retry`
    assert [m["to"] for m in graph.sent] == ["6281234567890"]

    # Nothing more is ever sent on its own: the task again, the sweep, a day later.
    assert outbound_deliver(message_id=outbox.pk) == "skipped"
    counts = outbox_retry(now=timezone.now() + dt.timedelta(days=1))
    assert counts["sent"] == 0 and counts["requeued"] == 0
    assert len(graph.sent) == 1
    assert graph.sent[0]["text"]["body"] == outbox.text


def test_reclaim_requeues_only_tasks_running_past_the_lease(db, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from balai.messaging.tasks import deliver_outbound

    now = timezone.now()
    old, recent, done = (deliver_outbound.enqueue(n) for n in (1, 2, 3))
    DBTaskResult.objects.filter(pk=old.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - dt.timedelta(minutes=20)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - dt.timedelta(minutes=1)
    )
    DBTaskResult.objects.filter(pk=done.id).update(
        status=TaskResultStatus.SUCCESSFUL, started_at=now - dt.timedelta(hours=1)
    )
    assert tasks_reclaim(now=now) == 1
    assert task_status(old.id) == TaskResultStatus.READY
    assert task_status(recent.id) == TaskResultStatus.RUNNING
    assert task_status(done.id) == TaskResultStatus.SUCCESSFUL
    call_command("tasks-reclaim", "--lease-minutes", "0.5", stdout=io.StringIO())
    assert task_status(recent.id) == TaskResultStatus.READY
