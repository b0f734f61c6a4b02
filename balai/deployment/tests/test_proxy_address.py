"""REMOTE_ADDR from the proxy's header, only when the peer is a trusted proxy."""

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from balai.deployment.middleware import ProxyClientAddressMiddleware


def seen(**meta) -> str:
    middleware = ProxyClientAddressMiddleware(lambda r: HttpResponse(r.META["REMOTE_ADDR"]))
    return middleware(RequestFactory().get("/", **meta)).content.decode()


def test_unused_without_a_header_setting():
    with override_settings(BALAI_PROXY_CLIENT_IP_HEADER=""), pytest.raises(MiddlewareNotUsed):
        ProxyClientAddressMiddleware(lambda r: HttpResponse())


@override_settings(BALAI_PROXY_CLIENT_IP_HEADER="X-Real-IP")
@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # nginx on loopback
        ("", "203.0.113.7", "203.0.113.7"),  # nginx on a unix socket
        ("::1", "2001:db8::1", "2001:db8::1"),
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # not a trusted proxy: ignored
        ("127.0.0.1", "not an address", "127.0.0.1"),
        ("127.0.0.1", "10.0.0.1, 203.0.113.7", "203.0.113.7"),  # the proxy's entry, the last
    ],
)
def test_client_address_from_a_trusted_proxy_only(peer, header, expected):
    assert seen(REMOTE_ADDR=peer, HTTP_X_REAL_IP=header) == expected


@override_settings(
    BALAI_PROXY_CLIENT_IP_HEADER="X-Forwarded-For", BALAI_TRUSTED_PROXIES=["10.0.0.5"]
)
def test_other_header_and_proxies():
    assert seen(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8") == "5.6.7.8"
    assert seen(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8") == "127.0.0.1"
