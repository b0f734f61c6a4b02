"""Webhook endpoints for Meta: the GET handshake and signed POST deliveries.

Only parsing and answering happen here; see `webhooks.py` for the rules.
"""

import logging

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from balai.core.ratelimit import ratelimit

from .choices import ChannelKind
from .webhooks import PayloadError, SignatureError, webhook_receive, webhook_verify_token_ok

logger = logging.getLogger(__name__)


def _webhook(request, kind: str) -> HttpResponse:
    try:
        if request.method == "GET":
            return _handshake(request, kind)
        result = webhook_receive(
            kind=kind,
            body=request.body,
            signature=request.headers.get("X-Hub-Signature-256", ""),
        )
    except SignatureError as exc:
        logger.warning("%s webhook refused: %s", kind, exc)
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    except PayloadError as exc:
        logger.warning("%s webhook malformed: %s", kind, exc)
        return HttpResponse("malformed payload", status=400, content_type="text/plain")
    except DatabaseError:
        # Not acknowledged: Meta delivers again later.
        logger.exception("%s webhook: database unavailable", kind)
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    if not result.acceptable:
        return HttpResponse("malformed messages", status=400, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def _handshake(request, kind: str) -> HttpResponse:
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    if mode == "subscribe" and webhook_verify_token_ok(kind=kind, token=token):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("forbidden", content_type="text/plain")


@csrf_exempt
@ratelimit("webhook", "1200/m", methods=("GET", "POST"), kind="json")
@never_cache
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    return _webhook(request, ChannelKind.WHATSAPP)


@csrf_exempt
@ratelimit("webhook", "1200/m", methods=("GET", "POST"), kind="json")
@never_cache
@require_http_methods(["GET", "POST"])
def messenger_webhook(request):
    return _webhook(request, ChannelKind.MESSENGER)
