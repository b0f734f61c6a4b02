"""Background work for announcements (run by `balai worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def start_scheduled_campaign(campaign_id: int) -> str:
    """At the campaign's scheduled time: start sending (nothing if cancelled or moved)."""
    from .services import campaign_start_if_due

    return "started" if campaign_start_if_due(campaign_id=campaign_id) else "not due"


@task()
def deliver_campaign(campaign_id: int) -> dict:
    """Send the due deliveries of one campaign."""
    from .sending import campaign_deliver

    return campaign_deliver(campaign_id=campaign_id)
