"""A small client for the parts of Meta's Graph API Balai uses: media and text messages.

The base URL comes from the setting `BALAI_GRAPH_API_BASE` (default
"https://graph.facebook.com/v21.0"); the tests point it at a local fake server.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

DEFAULT_BASE = "https://graph.facebook.com/v21.0"
TIMEOUT_SECONDS = 15
MAX_MEDIA_BYTES = 10 * 1024 * 1024
# Graph error codes that mean "slow down", not "this request is wrong".
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80007, 130429, 131048, 131056})


class GraphError(Exception):
    """A failed Graph API call; `retriable` says whether trying again later may help."""

    def __init__(self, message: str, *, status: int | None = None, retriable: bool = True):
        super().__init__(message)
        self.status = status
        self.retriable = retriable


def graph_base() -> str:
    return getattr(settings, "BALAI_GRAPH_API_BASE", DEFAULT_BASE).rstrip("/")


class GraphClient:
    def __init__(self, *, token: str, base_url: str | None = None):
        self.token = token
        self.base_url = (base_url or graph_base()).rstrip("/")

    # -- media ----------------------------------------------------------------------------
    def media_info(self, media_id: str) -> dict[str, Any]:
        """GET /{media-id}: {"url", "mime_type", "file_size", ...} (WhatsApp)."""
        path = urllib.parse.quote(str(media_id), safe="")
        return self._json("GET", f"{self.base_url}/{path}")

    def download(self, url: str, *, authorized: bool = True) -> bytes:
        """The bytes at a media URL (WhatsApp needs the token; Messenger URLs are signed)."""
        return self._request("GET", url, authorized=authorized, max_bytes=MAX_MEDIA_BYTES)

    def whatsapp_media(self, media_id: str) -> tuple[bytes, str]:
        info = self.media_info(media_id)
        if not isinstance(info.get("url"), str):
            raise GraphError("media lookup returned no url", retriable=False)
        return self.download(info["url"]), str(info.get("mime_type", ""))

    # -- messages -------------------------------------------------------------------------
    def send_whatsapp_text(self, *, phone_number_id: str, to: str, body: str) -> str:
        data = self._json(
            "POST",
            f"{self.base_url}/{urllib.parse.quote(phone_number_id, safe='')}/messages",
            payload={
                "messaging_product": "whatsapp",
                "to": to,
                "type": "text",
                "text": {"body": body},
            },
        )
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise GraphError("no message id in the answer", retriable=False) from exc

    def send_messenger_text(self, *, page_id: str, psid: str, text: str) -> str:
        data = self._json(
            "POST",
            f"{self.base_url}/{urllib.parse.quote(page_id, safe='')}/messages",
            payload={
                "recipient": {"id": psid},
                "messaging_type": "RESPONSE",
                "message": {"text": text},
            },
        )
        if not data.get("message_id"):
            raise GraphError("no message_id in the answer", retriable=False)
        return str(data["message_id"])

    # -- transport ------------------------------------------------------------------------
    def _json(self, method: str, url: str, *, payload: dict | None = None) -> dict[str, Any]:
        raw = self._request(method, url, payload=payload, max_bytes=1024 * 1024)
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise GraphError("the answer is not JSON") from exc
        if not isinstance(data, dict):
            raise GraphError("the answer is not a JSON object")
        return data

    def _request(
        self,
        method: str,
        url: str,
        *,
        payload: dict | None = None,
        authorized: bool = True,
        max_bytes: int,
    ) -> bytes:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise GraphError(f"refusing a non-HTTP URL: {url[:80]}", retriable=False)
        headers = {"Accept": "application/json"}
        if authorized:
            if not self.token:
                raise GraphError("no access token is configured", retriable=False)
            headers["Authorization"] = f"Bearer {self.token}"
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 (scheme checked above)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                data = response.read(max_bytes + 1)
        except urllib.error.HTTPError as exc:
            raise _http_error(exc) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GraphError(f"{method} {_redact(url)}: {exc}") from exc
        if len(data) > max_bytes:
            raise GraphError(f"the answer is larger than {max_bytes} bytes", retriable=False)
        return data


def _http_error(exc: urllib.error.HTTPError) -> GraphError:
    try:
        detail = json.loads(exc.read(64 * 1024) or b"{}").get("error", {})
    except (ValueError, AttributeError, OSError):
        detail = {}
    if not isinstance(detail, dict):
        detail = {}
    code = detail.get("code")
    message = str(detail.get("message") or exc.reason)
    retriable = exc.code >= 500 or exc.code in (408, 429) or code in RATE_LIMIT_CODES
    text = f"HTTP {exc.code}" + (f" (code {code})" if code is not None else "") + f": {message}"
    return GraphError(text[:1000], status=exc.code, retriable=retriable)


def _redact(url: str) -> str:
    """A URL without its query string (media URLs carry signatures)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
