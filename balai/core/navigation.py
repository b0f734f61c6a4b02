"""The staff home's links per role, contributed by each app from its ``AppConfig.ready()``.

An app registers the pages its roles work with; the staff home shows, for each membership,
the links whose roles include the membership's role, ordered by ``order`` (then by label).
Every registered URL name takes the Pemda's slug as its only argument.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class StaffLink:
    url_name: str
    label: str
    roles: frozenset[str]
    order: int


_LINKS: dict[str, StaffLink] = {}


def register_staff_link(url_name: str, label, roles, *, order: int = 100) -> None:
    """Add (or replace) a link on the staff home for the given roles."""
    _LINKS[url_name] = StaffLink(url_name, label, frozenset(roles), order)


def staff_links(role: str, pemda_slug: str) -> list[tuple[str, str]]:
    """(label, url) pairs for one membership's role, in display order."""
    links = sorted(
        (link for link in _LINKS.values() if role in link.roles),
        key=lambda link: (link.order, str(link.label)),
    )
    return [(link.label, reverse(link.url_name, args=[pemda_slug])) for link in links]
