"""The UI is in Bahasa Indonesia unless the visitor chose English."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation


def test_indonesian_first_whatever_the_browser_says(client, db):
    english_browser = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english_browser.headers["Content-Language"] == "id"
    client.cookies["django_language"] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="id").headers["Content-Language"] == "en"


# Strings that read the same in Bahasa Indonesia: legal terms kept as they are (the Standar
# Pelayanan components of PermenPAN-RB 15/2014, Maklumat Pelayanan), abbreviations and words
# Indonesian shares with English.
SAME_IN_INDONESIAN = {
    "Persyaratan",
    "Sistem, mekanisme dan prosedur",
    "Jangka waktu penyelesaian",
    "Biaya/tarif",
    "Biaya/tarif (Rp)",
    "Produk pelayanan",
    "Penanganan pengaduan, saran dan masukan",
    "Dasar hukum",
    "Sarana, prasarana dan/atau fasilitas",
    "Kompetensi pelaksana",
    "Pengawasan internal",
    "Jumlah pelaksana",
    "Jaminan pelayanan",
    "Jaminan keamanan dan keselamatan pelayanan",
    "Evaluasi kinerja pelaksana",
    "Maklumat Pelayanan",
    "status",
    "Status",
    "unit",
    "demo",
    "Poster A4 (PDF)",
    "Solver",
    "Target",
    "Kec.",
}

PO_ENTRY = re.compile(
    r'((?:#.*\n)*)(?:msgctxt "((?:[^"\\]|\\.)*)"\n)?msgid "((?:[^"\\]|\\.)*)"\n'
    r'((?:"(?:[^"\\]|\\.)*"\n)*)(?:msgid_plural "(?:[^"\\]|\\.)*"\n(?:".*"\n)*)?'
    r'(msgstr(?:\[\d\])? "(?:[^"\\]|\\.)*"\n(?:".*"\n)*)'
)


def _unquote(text: str) -> str:
    return ast.literal_eval(f'"{text}"')


def _needing_translation(po: Path):
    """(context, msgid) of the entries makemessages left untranslated or fuzzy."""
    for comments, context, first, more, msgstr in PO_ENTRY.findall(po.read_text("utf-8")):
        msgid = _unquote(first) + "".join(_unquote(line[1:-1]) for line in more.splitlines())
        if not msgid:
            continue  # the header
        if "fuzzy" in comments or re.fullmatch(r'msgstr(\[\d\])? ""\n', msgstr):
            yield _unquote(context) if context else None, msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_every_string_of_the_interface_reads_in_indonesian(tmp_path, settings):
    """Extract every translatable string from the sources (as `make messages` does, in a copy of
    the project) and check each one renders in Indonesian through the compiled catalogs."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "balai-copy"
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "*.png", "*.pdf", "tests")
    for name in ("balai", "templates", "locale", "config"):
        shutil.copytree(root / name, copy / name, ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "id", "--ignore=balai/devtools/*"],
        cwd=copy,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": str(copy),
        },
        check=True,
        capture_output=True,
    )
    english = []
    with translation.override("id"):
        for po in copy.glob("**/locale/id/LC_MESSAGES/django.po"):
            for context, msgid in _needing_translation(po):
                shown = (
                    translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                )
                if shown == msgid and msgid not in SAME_IN_INDONESIAN:
                    english.append(f"{po.relative_to(copy)}: {msgid!r}")
    assert not english, "Not translated into Indonesian:\n" + "\n".join(sorted(english))
