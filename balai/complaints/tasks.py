"""Background work for complaints (run by `balai worker`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)


@task()
def check_clock(complaint_id: int) -> list[str]:
    """Runs at an escalation time; fires what is due (each step once)."""
    from .models import Complaint
    from .services import complaint_escalate

    complaint = Complaint.objects.select_related("pemda").filter(pk=complaint_id).first()
    if complaint is None:
        return []
    return complaint_escalate(complaint=complaint)


def schedule_escalations(complaint_id: int) -> int:
    """Enqueue a clock check at each future escalation time of the running clock.

    Backends that cannot defer (the immediate one in tests) schedule nothing; `balai sla-sweep`
    reconciles in every case.
    """
    from .models import Complaint
    from .services import escalation_times

    if not default_task_backend.supports_defer:
        return 0
    complaint = Complaint.objects.select_related("pemda").get(pk=complaint_id)
    now = timezone.now()
    scheduled = 0
    for _clock, _step, when in escalation_times(complaint):
        if when > now:
            check_clock.using(run_after=when).enqueue(complaint_id)
            scheduled += 1
    return scheduled


@task()
def notify_reporter(complaint_id: int, event_id: int) -> str:
    """Tell the reporter about a public step on the channel they used (or by e-mail)."""
    from .models import Complaint, ComplaintEvent
    from .notify import reporter_message

    complaint = Complaint.objects.select_related("pemda").get(pk=complaint_id)
    event = ComplaintEvent.objects.get(pk=event_id, complaint=complaint)
    text = reporter_message(complaint, event)
    if complaint.channel in ("whatsapp", "messenger") and complaint.reporter_channel_id:
        from balai.messaging.outbound import outbox_enqueue

        outbox_enqueue(
            pemda=complaint.pemda,
            channel=complaint.channel,
            recipient=complaint.reporter_channel_id,
            text=text,
            idempotency_key=f"complaint-event-{event.pk}",
        )
        return complaint.channel
    if complaint.reporter_email:
        send_mail(
            subject=f"[{complaint.pemda.name}] {complaint.tracking_code}",
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[complaint.reporter_email],
        )
        return "email"
    return "none"


@task()
def send_notification_email(emails: list[str], text: str) -> int:
    return send_mail(
        subject=text[:120],
        message=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=emails,
    )
