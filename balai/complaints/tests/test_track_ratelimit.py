"""Public tracking (lookup by code, the tracking page, rating and reopening there) is limited to
60 requests a minute per address: past it the citizen gets a clear 429 and nothing is saved."""

import time_machine
from django.urls import reverse
from django.utils import timezone

from balai.complaints import services as svc
from balai.complaints.choices import Channel, Status
from balai.complaints.models import Complaint, ComplaintEvent, Rating
from balai.core.models import AuditLog

LIMIT = 60
MESSAGE = "Terlalu banyak permintaan. Silakan tunggu sebentar, lalu coba lagi."


def resolved_complaint(bangli, categories, staff):
    complaint = svc.complaint_submit(
        pemda=bangli, channel=Channel.PORTAL, description="Jalan rusak"
    )
    complaint = svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=True,
        is_anonymous=True,
    )
    svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Diterima")
    svc.complaint_resolve(
        complaint=complaint, actor=staff["trc"], actions="Ditambal", done_on=timezone.localdate()
    )
    return svc.complaint_approve(complaint=complaint, actor=staff["head"])


def test_tracking_lookup_is_limited_per_address(client, bangli, categories, staff):
    code = resolved_complaint(bangli, categories, staff).tracking_code
    lookup = reverse("portal:complaint_lookup")
    with time_machine.travel(timezone.now(), tick=False):  # one rate window for the whole test
        for _ in range(LIMIT):
            assert client.get(lookup, {"code": code}).status_code == 302
        refused = client.get(lookup, {"code": code})
        assert refused.status_code == 429
        assert refused["Retry-After"]
        assert MESSAGE in refused.content.decode()
        assert "Location" not in refused
        # The tracking page shares the limit (guessing codes there is the same abuse) ...
        page = client.get(reverse("portal:complaint_track", args=[code]))
        assert page.status_code == 429 and MESSAGE in page.content.decode()
        assert "complaints/portal_track.html" not in [t.name for t in page.templates]
        # ... and another address is still served.
        assert client.get(lookup, {"code": code}, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_refused_rating_or_reopening_saves_nothing(client, bangli, categories, staff):
    complaint = resolved_complaint(bangli, categories, staff)
    url = reverse("portal:complaint_track", args=[complaint.tracking_code])
    events, audit = ComplaintEvent.objects.count(), AuditLog.objects.count()
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(LIMIT):
            assert client.get(url).status_code == 200
        rated = client.post(url, {"score": "1", "comment": "Tidak puas"})
        reopened = client.post(url, {"reason": "Lubang muncul lagi"})
    for response in (rated, reopened):
        assert response.status_code == 429
        assert MESSAGE in response.content.decode()
    assert not Rating.objects.exists()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.APPROVED
    assert ComplaintEvent.objects.count() == events
    assert AuditLog.objects.count() == audit
