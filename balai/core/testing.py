"""Helpers for tests that look inside what Balai prints: the QR codes on a PDF page.

Used by the tests only (zxing-cpp is a development dependency)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def qr_codes_in_pdf(pdf: bytes, *, dpi: int = 150) -> list[str]:
    """The text of every QR code on every page of a PDF, as a phone camera would read it.

    The pages are rendered to PNG by poppler's pdftoppm (installed by `.ci/run`), then decoded
    by zxing-cpp. Skips the calling test when pdftoppm is missing."""
    import pytest
    import zxingcpp
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 (our own arguments)
            ["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(tmp) / "page")],  # noqa: S607
            check=True,
            capture_output=True,
        )
        texts = []
        for page in sorted(Path(tmp).glob("page*.png")):
            with Image.open(page) as image:
                texts.extend(
                    found.text
                    for found in zxingcpp.read_barcodes(image.convert("L"))
                    if found.format == zxingcpp.BarcodeFormat.QRCode
                )
    return texts
