"""Rate limits for public endpoints, on Django's cache (fixed windows, atomic increments).

Each limit counts requests per key (the client's address, or a username) in a window; past the
limit the view answers 429 with a clear message and changes nothing. With the default
in-process cache each web process counts on its own; point `BALAI_CACHE_URL` at Redis to share
the counts between processes and machines (docs/operations.md).

Lockouts (`lock_failure`, `lock_remaining`) are different: the failures of a key are counted from
its first failure, and the one that reaches the limit locks the key for the whole period from
that moment (a lock-until time in the cache), so a lock never ends early at a window's edge.
"""

from __future__ import annotations

import functools
import hashlib
import math
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


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def hit(scope: str, key: str, rate: str, *, count: bool = True) -> bool:
    """Record one hit (when `count`) and say whether the key is still within its limit."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"rl:{scope}:{_digest(key)}:{bucket}"
    if not count:
        return (cache.get(cache_key) or 0) < limit
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        current = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        current = 1
    return current <= limit


def lock_remaining(scope: str, key: str) -> int:
    """Seconds left of the key's lock in `scope`; 0 when it is not locked."""
    until = cache.get(f"rl-lock:{scope}:{_digest(key)}")
    if until is None:
        return 0
    return max(0, math.ceil(until - time.time()))


def lock_failure(scope: str, key: str, rate: str) -> int:
    """Record one failure of the key; the `limit`-th within `period` of the first one locks the
    key for `period` from now. Returns the seconds of the new lock (0: not locked)."""
    limit, period = parse_rate(rate)
    digest = _digest(key)
    count_key = f"rl-fail:{scope}:{digest}"
    cache.add(count_key, 0, timeout=period)  # the count lives `period` from the first failure
    try:
        current = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.add(count_key, 1, timeout=period)
        current = 1
    if current < limit:
        return 0
    cache.set(f"rl-lock:{scope}:{digest}", time.time() + period, timeout=period + 60)
    cache.delete(count_key)  # after the lock, counting starts again
    return period


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
