"""Texts sent to reporters (Bahasa Indonesia: reporters read them on WhatsApp or e-mail)."""

from django.utils import translation
from django.utils.translation import gettext as _

from .choices import EventKind


def reporter_message(complaint, event) -> str:
    with translation.override("id"):
        head = _("Complaint %(code)s") % {"code": complaint.tracking_code}
        body = {
            EventKind.RESPONDED: event.text,
            EventKind.REJECTED: _("Your report was not processed: %(reason)s.")
            % {"reason": event.data.get("reason", "")},
            EventKind.FORWARDED: _("Your report was forwarded to %(to)s.")
            % {"to": event.data.get("to", "")},
            EventKind.PAUSED: _("Handling is waiting (%(reason)s) until about %(date)s.")
            % {
                "reason": event.data.get("reason", ""),
                "date": event.data.get("expected_until", ""),
            },
            EventKind.APPROVED: _("Your complaint has been resolved: %(text)s")
            % {"text": event.text},
        }.get(event.kind, event.text or event.get_kind_display())
        tail = _("Reply 'cek %(code)s' to see its status.") % {"code": complaint.tracking_code}
    return f"{head}\n{body}\n{tail}"
