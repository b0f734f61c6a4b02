"""Template tags for the staff layout: complaint inboxes and unread notifications in the navbar."""

from django import template

from balai.complaints import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_complaint_nav(context) -> dict:
    """{"pemdas": [...], "unread": n} for the signed-in user, computed once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return {"pemdas": [], "unread": 0}
    cached = getattr(request, "_balai_complaint_nav", None)
    if cached is None:
        cached = {
            "pemdas": list(selectors.complaint_pemdas(user=user)),
            "unread": selectors.notification_unread_count(user=user),
        }
        request._balai_complaint_nav = cached
    return cached
