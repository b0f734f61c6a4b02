"""The privacy pages: pemda_admin only, search by POST, export, erasure with confirmation."""

import io
import json
import zipfile

import pytest
import time_machine
from django.apps import apps

if not apps.is_installed("balai.privacy"):  # until the app is in INSTALLED_APPS and the URLs
    pytest.skip("balai.privacy is not installed yet", allow_module_level=True)

from django.core.management import call_command
from django.urls import reverse

from balai.accounts.choices import Role
from balai.complaints.models import Complaint
from balai.core.models import AuditLog
from balai.privacy.models import RetentionPolicy
from balai.privacy.services import retention_days
from balai.privacy.tasks import purge_personal_data

from .conftest import OTHER_PHONE, PHONE, at, close, submit


def url(name, pemda):
    return reverse(f"staff:{name}", args=[pemda.slug])


@pytest.fixture
def closed(bontang, operator):
    complaint = submit(bontang, at(2024, 1, 5), reporter_name="Made", reporter_phone=PHONE)
    close(complaint, operator, at(2024, 1, 6))
    other = submit(bontang, at(2024, 1, 5), reporter_name="Ketut", reporter_phone=OTHER_PHONE)
    close(other, operator, at(2024, 1, 6))
    return complaint


@pytest.mark.parametrize("name", ["privacy_home", "privacy_purge_preview", "privacy_person"])
def test_pages_are_for_the_pemda_admin_only(client, bontang, bangli_pemda, make_member, name):
    for user, status in [
        (make_member(bontang, Role.OPERATOR), 403),
        (make_member(bangli_pemda, Role.PEMDA_ADMIN), 403),  # another Pemda's admin
        (make_member(bontang, Role.PEMDA_ADMIN), 200),
    ]:
        client.force_login(user)
        assert client.get(url(name, bontang)).status_code == status


def test_another_pemdas_admin_cannot_export_or_erase(client, bontang, bangli_pemda, make_member):
    client.force_login(make_member(bangli_pemda, Role.PEMDA_ADMIN))
    submit(bontang, at(2024, 1, 5), reporter_name="Made", reporter_phone=PHONE)
    assert client.post(url("privacy_export", bontang), {"phone": PHONE}).status_code == 403
    erase = {"phone": PHONE, "reason": "x", "confirm": "on"}
    assert client.post(url("privacy_erase", bontang), erase).status_code == 403
    assert not AuditLog.objects.filter(action__startswith="privacy.").exists()
    assert Complaint.objects.get().reporter_name == "Made"


def test_retention_periods_are_saved_per_pemda(
    client, bontang, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        page = client.get(url("privacy_home", bontang))
    assert "Identitas pengadu" in page.content.decode() or "Complainants" in page.content.decode()
    bad = client.post(url("privacy_home", bontang), {"complaints.reporter": "5"})
    assert bad.status_code == 200 and not RetentionPolicy.objects.exists()
    response = client.post(
        url("privacy_home", bontang), {"complaints.reporter": "365", "messaging.inbound": ""}
    )
    assert response.status_code == 302
    assert retention_days(bontang)["complaints.reporter"] == 365
    assert retention_days(bontang)["messaging.inbound"] == 365  # the default
    audit = AuditLog.objects.get(action="privacy.retention")
    assert audit.changes == {"days": {"complaints.reporter": 365}}
    client.post(url("privacy_home", bontang), {"complaints.reporter": ""})
    assert not RetentionPolicy.objects.exists()


def test_purge_preview_counts_and_runs(client, bontang, admin, closed):
    with time_machine.travel(at(2027, 1, 1), tick=False):
        client.force_login(admin)
        page = client.get(url("privacy_purge_preview", bontang))
        assert page.context["total"] == 2
        assert Complaint.objects.filter(reporter_name="Made").exists()  # a dry run
        client.post(url("privacy_purge_preview", bontang))
    assert not Complaint.objects.exclude(reporter_name="").exists()
    assert AuditLog.objects.get(action="privacy.purge").actor == admin


def test_search_export_and_erase_through_the_pages(client, bontang, admin, closed):
    client.force_login(admin)
    found = client.post(url("privacy_person", bontang), {"phone": "0812 3456 7890"})
    body = found.content.decode()
    assert found.context["total"] == 1 and "+62812****7890" in body
    assert PHONE not in body.replace('value="0812 3456 7890"', "")
    assert AuditLog.objects.filter(action="privacy.search").count() == 1

    export = client.post(url("privacy_export", bontang), {"phone": "0812 3456 7890"})
    assert export["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        data = json.loads(archive.read("data.json"))
    assert [c["tracking_code"] for c in data["data"]["complaints.reporter"]["rows"]] == [
        closed.tracking_code
    ]

    confirm = client.post(url("privacy_erase", bontang), {"phone": "0812 3456 7890"})
    assert confirm.status_code == 200 and confirm.context["total"] == 1
    assert Complaint.objects.get(pk=closed.pk).reporter_name == "Made"  # not yet
    missing = client.post(url("privacy_erase", bontang), {"phone": PHONE, "reason": "Permintaan"})
    assert missing.status_code == 200  # the confirmation box was not ticked
    assert Complaint.objects.get(pk=closed.pk).reporter_name == "Made"
    done = client.post(
        url("privacy_erase", bontang),
        {"phone": PHONE, "reason": "Permintaan tertulis 3 Maret", "confirm": "on"},
    )
    assert done.status_code == 302
    assert Complaint.objects.get(pk=closed.pk).reporter_name == ""
    assert Complaint.objects.filter(reporter_name="Ketut").exists()
    assert AuditLog.objects.get(action="privacy.erase").changes["reason"].startswith("Permintaan")


def test_bad_search_changes_nothing(client, bontang, admin):
    client.force_login(admin)
    page = client.post(url("privacy_person", bontang), {"phone": "abc"})
    assert page.status_code == 200 and page.context["rows"] is None
    assert not AuditLog.objects.filter(action__startswith="privacy.").exists()


def test_command_and_task(bontang, closed, capsys):
    with time_machine.travel(at(2027, 1, 1), tick=False):
        call_command("privacy-purge", "--dry-run")
        assert "2 rows would be" in capsys.readouterr().out
        assert Complaint.objects.filter(reporter_name="Made").exists()
        call_command("privacy-purge", "--batch-size", "1")
        out = capsys.readouterr().out
        assert "complaints.reporter: 2 (anonymise" in out
        assert purge_personal_data.call()[bontang.slug]["complaints.reporter"] == 0
    assert not Complaint.objects.exclude(reporter_phone="").exists()


def test_staff_home_links_the_pages_for_the_admin(client, bontang, admin, make_member):
    client.force_login(admin)
    target = url("privacy_home", bontang)
    assert target in client.get(reverse("staff:home")).content.decode()
    client.force_login(make_member(bontang, Role.OPERATOR))
    assert target not in client.get(reverse("staff:home")).content.decode()


def test_person_search_queries_do_not_grow(
    client, bontang, admin, operator, django_assert_max_num_queries
):
    client.force_login(admin)
    for n in range(6):
        complaint = submit(bontang, at(2024, 1, 5), reporter_name="Made", reporter_phone=PHONE)
        if n % 2:
            close(complaint, operator, at(2024, 1, 6))
    with django_assert_max_num_queries(25):  # about two per kind, whatever the rows
        page = client.post(url("privacy_person", bontang), {"phone": PHONE})
    assert page.context["total"] == 6
    assert len(page.context["blocked"][0][1]) == 3
