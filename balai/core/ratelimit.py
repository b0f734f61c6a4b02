"""Rate limits for public endpoints, on Django's cache (fixed windows, atomic increments).

Each limit counts requests per key (the client's address, or a username) in a window; past the
limit the view answers 429 with a clear message and changes nothing. With the default
in-process cache each web process counts on its own; point `BALAI_CACHE_URL` at Redis to share
the counts between processes and machines (docs/operations.md).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/m' -> (10, 60); '20/10m' -> (20, 600)."""
    count, period = rate.split("/")
    number = int(period[:-1] or 1)
    return int(count), number * UNITS[period[-1]]


def client_ip(request: HttpRequest) -> str:
    """The client's address (REMOTE_ADDR; set it from X-Forwarded-For in the proxy, not here)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, rate: str, *, count: bool = True) -> bool:
    """Record one hit (when `count`) and say whether the key is still within its limit."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    cache_key = f"rl:{scope}:{digest}:{bucket}"
    if not count:
        return (cache.get(cache_key) or 0) < limit
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        current = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        current = 1
    return current <= limit


def too_many(request: HttpRequest, *, kind: str = "html") -> HttpResponse:
    message = _("Too many requests. Please wait a moment and try again.")
    if kind == "open311":
        response = JsonResponse([{"code": 429, "description": message}], safe=False, status=429)
    elif kind == "json":
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def ratelimit(
    scope: str,
    rate: str,
    *,
    methods: tuple[str, ...] = ("POST",),
    key: Callable[[HttpRequest], str] = client_ip,
    kind: str = "html",
):
    """Limit a view: at most `rate` requests with `methods` per key."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and not hit(scope, key(request), rate):
                return too_many(request, kind=kind)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
