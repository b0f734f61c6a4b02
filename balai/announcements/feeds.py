"""Atom feed of a Pemda's published announcements (optionally for one area: ?wilayah=<code>)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from balai.organizations.models import Pemda

from . import selectors
from .sending import summary_of

FEED_LENGTH = 30


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pemda_slug: str):
        pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
        area = None
        if code := request.GET.get("wilayah", ""):
            area = selectors.area_get(pemda, code)
            if area is None:
                raise Http404
        return pemda, area

    def title(self, obj):
        pemda, area = obj
        if area is not None:
            return _("Announcements of %(pemda)s for %(area)s") % {
                "pemda": pemda.name,
                "area": area.name,
            }
        return _("Announcements of %(pemda)s") % {"pemda": pemda.name}

    def link(self, obj):
        pemda, area = obj
        url = reverse("portal:announcement_list", args=[pemda.slug])
        return url + (f"?wilayah={area.code}" if area else "")

    def subtitle(self, obj):
        return _("Public announcements: services, hours, service days, community activities.")

    def items(self, obj):
        pemda, area = obj
        return selectors.announcements_published(pemda, area=area).select_related("pemda")[
            :FEED_LENGTH
        ]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return summary_of(item.body, 600)

    def item_link(self, item):
        return reverse("portal:announcement_detail", args=[item.pemda.slug, item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
