"""Posters and flyers (A4 or A5 PDF, WeasyPrint) with a QR code to the announcement page,
for RT notice boards, mosques and markets."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from .models import Campaign
from .sending import campaign_public_url

SIZES = {"a4": "A4", "a5": "A5"}


def poster_pdf(campaign: Campaign, *, size: str = "a4", targets=()) -> bytes:
    import segno
    from weasyprint import HTML, URLFetcher  # heavy: imported only when a poster is asked for

    url = campaign_public_url(campaign)
    image = ""
    if campaign.attachment and campaign.attachment_type.startswith("image/"):
        with campaign.attachment.open("rb") as handle:
            image = f"data:{campaign.attachment_type};base64," + base64.b64encode(
                handle.read()
            ).decode("ascii")
    html = render_to_string(
        "announcements/poster.html",
        {
            "campaign": campaign,
            "pemda": campaign.pemda,
            "size": SIZES.get(size, "A4"),
            "small": size == "a5",
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000"),
            "image": image,
            "targets": targets,
        },
    )
    # Everything is embedded (data: URIs): never fetch anything from the network.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
