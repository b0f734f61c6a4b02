"""A task for the fault tests only: it blocks while a flag file exists, then delivers a campaign.

The worker subprocess imports it by path (`balai.announcements.tests.fault_tasks`); nothing else
uses it. `where` says at which point of a delivery it blocks (and so where the test kills it):

- "claimed": the row is claimed ("sending") and the provider has not been called yet;
- "provider_accepted": the Graph API accepted the WhatsApp template and the row is not marked
  sent yet.

On a later run (the flag file gone) the task is a plain `campaign_deliver`.
"""

from unittest import mock

from django_tasks import task

from balai.announcements import sending
from balai.announcements.adapters import TemplateGraphClient
from balai.messaging.tests.fault_tasks import _block


@task()
def deliver_campaign_when_released(campaign_id: int, flag: str, where: str) -> dict:
    if where == "claimed":
        real_check = sending.address_opted_out  # runs after the claim, before the hand-over

        def blocking_check(pemda_id, address):
            _block(flag)
            return real_check(pemda_id, address)

        with mock.patch.object(sending, "address_opted_out", blocking_check):
            return sending.campaign_deliver(campaign_id=campaign_id)
    if where == "provider_accepted":
        real_call = TemplateGraphClient.send_whatsapp_template

        def call_then_block(self, **kwargs):
            message_id = real_call(self, **kwargs)
            _block(flag)
            return message_id

        with mock.patch.object(TemplateGraphClient, "send_whatsapp_template", call_then_block):
            return sending.campaign_deliver(campaign_id=campaign_id)
    raise ValueError(where)
