"""Open311 client keys: stored hashed, issued by the Pemda administrator, shown once."""

import pytest

from balai.accounts.choices import Role
from balai.core.models import AuditLog
from balai.open311.models import Open311Client
from balai.open311.services import open311_client_create


def test_key_is_stored_hashed_with_a_prefix(bangli, make_member):
    admin = make_member(bangli, Role.PEMDA_ADMIN)
    client, raw_key = open311_client_create(pemda=bangli, name="  Aplikasi warga ", actor=admin)
    assert raw_key.startswith("o311_") and len(raw_key) > 30
    assert client.name == "Aplikasi warga"
    assert client.key_hash == Open311Client.hash_key(raw_key) != raw_key
    assert raw_key.startswith(client.key_prefix) and len(client.key_prefix) == 11
    assert not Open311Client.objects.filter(key_hash=raw_key).exists()
    assert AuditLog.objects.filter(action="open311.client_create", pemda=bangli).count() == 1


def test_pemda_admin_issues_a_key_in_the_admin_and_sees_it_once(client, bangli, make_member):
    admin = make_member(bangli, Role.PEMDA_ADMIN, is_staff=True)
    client.force_login(admin)
    response = client.post(
        "/admin/open311/open311client/add/",
        {"pemda": bangli.pk, "name": "LAPOR! bridge"},
        follow=True,
    )
    assert response.status_code == 200
    created = Open311Client.objects.get(name="LAPOR! bridge")
    shown = [str(m) for m in response.context["messages"]]
    keys = [word.rstrip(".") for m in shown for word in m.split() if word.startswith("o311_")]
    assert len(keys) == 1
    assert Open311Client.hash_key(keys[0]) == created.key_hash
    assert keys[0] in response.content.decode()
    again = client.get(f"/admin/open311/open311client/{created.pk}/change/")
    assert again.status_code == 200
    assert keys[0] not in again.content.decode()


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.OPD_HEAD])
def test_other_roles_cannot_manage_keys(client, bangli, make_member, role):
    from balai.organizations.models import OPD

    opd = OPD.objects.filter(pemda=bangli).first() if role == Role.OPD_HEAD else None
    user = make_member(bangli, role, opd=opd, is_staff=True)
    open311_client_create(pemda=bangli, name="X", actor=None)
    client.force_login(user)
    assert client.get("/admin/open311/open311client/").status_code == 403
    assert client.post("/admin/open311/open311client/add/", {"pemda": bangli.pk, "name": "Y"})
    assert not Open311Client.objects.filter(name="Y").exists()
