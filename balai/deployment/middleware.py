"""The client's address behind a reverse proxy (nginx), for rate limits and the audit log.

gunicorn puts the proxy's address in REMOTE_ADDR (an empty one on a unix socket), so behind
nginx every citizen would share one rate-limit counter. With `BALAI_PROXY_CLIENT_IP_HEADER` set
(e.g. `X-Real-IP`, which nginx sets to the address it saw: `proxy_set_header X-Real-IP
$remote_addr;`), this middleware replaces REMOTE_ADDR with that header's address, but only for
requests whose direct peer is a trusted proxy (`BALAI_TRUSTED_PROXIES`, default
`127.0.0.1,::1,unix`; `unix` is a unix-socket peer). A list in the header (X-Forwarded-For)
counts from the right: the last address is the one the trusted proxy added. A header that
holds no valid address leaves REMOTE_ADDR as it was.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


class ProxyClientAddressMiddleware:
    def __init__(self, get_response):
        header = getattr(settings, "BALAI_PROXY_CLIENT_IP_HEADER", "")
        if not header:
            raise MiddlewareNotUsed
        self.meta_key = "HTTP_" + header.upper().replace("-", "_")
        trusted = getattr(settings, "BALAI_TRUSTED_PROXIES", ["127.0.0.1", "::1", "unix"])
        self.trusted = {"" if peer == "unix" else peer for peer in trusted}
        self.get_response = get_response

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        value = request.META.get(self.meta_key, "")
        if value and peer in self.trusted:
            client = _valid(value.split(",")[-1])
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
