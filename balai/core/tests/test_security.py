"""Security headers: a content security policy with no inline script anywhere."""

import re
from pathlib import Path

from django.conf import settings

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def test_csp_header_forbids_inline_script(client, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_with_scripts_load_them_from_files_only(client, db, bontang):
    for url in ("/", f"/{bontang.slug}/", f"/{bontang.slug}/aduan/baru/", "/api/v1/docs/"):
        body = client.get(url).content
        assert not INLINE_SCRIPT.search(body), url


def test_no_template_contains_an_inline_script():
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if INLINE_SCRIPT.search(template.read_bytes()):
            offenders.append(str(template))
    assert offenders == []
