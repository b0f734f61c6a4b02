"""Texts sent to reporters (Bahasa Indonesia: reporters read them on WhatsApp or e-mail).

Rendered in Indonesian whatever language the staff member who took the step uses on screen;
the reasons and dates are written out in words, not as stored codes.
"""

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import gettext as _

from .choices import EventKind, PauseReason, RejectReason


def _label(choices, value: str) -> str:
    """The Indonesian label of a stored reason, starting lowercase (it runs inside a sentence)."""
    label = str(dict(choices).get(value, value))
    return label[:1].lower() + label[1:]


def _date(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return value or ""


def reporter_message(complaint, event) -> str:
    with translation.override("id"):
        head = _("Complaint %(code)s") % {"code": complaint.tracking_code}
        body = {
            EventKind.RESPONDED: event.text,
            EventKind.REJECTED: _("Your report was not processed: %(reason)s.")
            % {"reason": _label(RejectReason.choices, event.data.get("reason", ""))},
            EventKind.FORWARDED: _("Your report was forwarded to %(to)s.")
            % {"to": event.data.get("to", "")},
            EventKind.PAUSED: _("Handling is waiting (%(reason)s) until about %(date)s.")
            % {
                "reason": _label(PauseReason.choices, event.data.get("reason", "")),
                "date": _date(event.data.get("expected_until", "")),
            },
            EventKind.APPROVED: _("Your complaint has been resolved: %(text)s")
            % {"text": event.text},
        }.get(event.kind, event.text or event.get_kind_display())
        tail = _("Reply 'cek %(code)s' to see its status.") % {"code": complaint.tracking_code}
    return f"{head}\n{body}\n{tail}"
