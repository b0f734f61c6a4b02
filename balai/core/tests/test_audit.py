"""The audit log: append-only, and visible to the Pemda admin only."""

import pytest

from balai.accounts.choices import Role
from balai.core.audit import audit_record
from balai.core.models import AuditLog


def test_audit_rows_cannot_be_changed_or_removed(bontang):
    entry = audit_record(actor=None, action="x.test", target=bontang)
    entry.action = "tampered"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditLog.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(TypeError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    assert AuditLog.objects.get(pk=entry.pk).action == "x.test"


def test_audit_records_who_and_from_where(client, bontang, make_member):
    admin = make_member(bontang, Role.PEMDA_ADMIN)
    client.force_login(admin)
    client.post("/akun/token/", {"name": "laporan"}, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="UA/1")
    entry = AuditLog.objects.get(action="token.create")
    assert (entry.actor, entry.ip_address, entry.user_agent) == (admin, "10.1.2.3", "UA/1")


def test_audit_page_for_admin_only_and_filterable(
    client, bontang, make_member, django_assert_max_num_queries
):
    admin = make_member(bontang, Role.PEMDA_ADMIN)
    for n in range(60):
        audit_record(actor=admin, action="demo.row" if n % 2 else "other.row", target=bontang)
    url = f"/staf/{bontang.slug}/audit/"
    client.force_login(make_member(bontang, Role.LEADERSHIP))
    assert client.get(url).status_code == 403
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        response = client.get(url, {"action": "demo"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 30
    assert {e.action for e in page.object_list} == {"demo.row"}
