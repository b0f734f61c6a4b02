"""The call center records a phone complaint; the caller's number is normalised."""

from balai.complaints.choices import Channel
from balai.complaints.models import Complaint
from balai.core.models import AuditLog


def test_operator_records_a_phone_complaint(client, bangli, categories, staff):
    url = f"/staf/{bangli.slug}/aduan/telepon/baru/"
    client.force_login(staff["operator"])
    inbox = client.get(f"/staf/{bangli.slug}/aduan/").content.decode()
    assert url in inbox
    response = client.post(
        url,
        {
            "caller_phone": "0812-3456-7890",
            "caller_name": "Pak Nyoman",
            "description": "Lampu jalan mati di Jalan Nusantara",
            "kind": "pengaduan",
            "category": categories["jalan"].pk,
            "village": "51.06.02.1004",
            "address": "",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.tracking_code in response["Location"]
    assert complaint.channel == Channel.PHONE
    assert complaint.reporter_phone == "+6281234567890"
    assert AuditLog.objects.get(action="complaint.submit").actor == staff["operator"]


def test_a_bad_number_changes_nothing_and_other_roles_are_refused(client, bangli, staff):
    url = f"/staf/{bangli.slug}/aduan/telepon/baru/"
    client.force_login(staff["operator"])
    response = client.post(url, {"caller_phone": "12", "description": "Uji", "kind": "pengaduan"})
    assert response.status_code == 200 and response.context["form"].errors["caller_phone"]
    assert not Complaint.objects.exists()
    client.force_login(staff["trc"])
    assert client.get(url).status_code == 403
