"""Demo channel accounts, so the webhooks can be tried with signed requests.

`demo_channels(pemda)` connects a WhatsApp number and a Facebook Page to the Pemda with these
published test values:

- verify token: "balai-demo-verify" (the GET handshake)
- app secret: the environment variable `BALAI_WHATSAPP_APP_SECRET` /
  `BALAI_MESSENGER_APP_SECRET` when set; otherwise, and only for a Pemda flagged `is_demo`, the
  published `DEMO_APP_SECRET` ("balai-demo-app-secret"). Nothing secret is stored.
- phone_number_id / page id: "9" / "8" followed by the Pemda id padded to 14 digits.

Sign a request body with the secret:
`printf %s "$BODY" | openssl dgst -sha256 -hmac balai-demo-app-secret` -> send it as
`X-Hub-Signature-256: sha256=<hex>`. Replies to citizens need a real access token in
`BALAI_WHATSAPP_ACCESS_TOKEN` / `BALAI_MESSENGER_ACCESS_TOKEN`; without one they stay in the
outbox with the error recorded.
"""

from django.urls import reverse

from .choices import ChannelKind
from .models import DEMO_APP_SECRET, ChannelAccount
from .services import channel_account_create

DEMO_VERIFY_TOKEN = "balai-demo-verify"  # noqa: S105 (published test value)


def demo_channels(pemda) -> list[dict[str, str]]:
    """Create (once) the demo WhatsApp and Messenger accounts; returns what to print."""
    rows = []
    for kind, prefix in ((ChannelKind.WHATSAPP, "9"), (ChannelKind.MESSENGER, "8")):
        external_id = f"{prefix}{pemda.pk:014d}"
        account = ChannelAccount.objects.filter(kind=kind, external_id=external_id).first()
        if account is None:
            account = channel_account_create(
                actor=None,
                pemda=pemda,
                kind=kind,
                external_id=external_id,
                verify_token=DEMO_VERIFY_TOKEN,
                label=f"{pemda.name} (demo)",
            )
        secret = account.app_secret()
        rows.append(
            {
                "channel": str(kind.label),
                "webhook": reverse(f"messaging:{kind}"),
                "id": external_id,
                "verify_token": account.verify_token,
                "app_secret_env": account.app_secret_variable,
                "app_secret": DEMO_APP_SECRET
                if secret == DEMO_APP_SECRET
                else "(from the environment)",
            }
        )
    return rows
