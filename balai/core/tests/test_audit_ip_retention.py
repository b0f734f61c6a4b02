"""The audit log's IP addresses are blanked after their retention period (kind ``core.audit_ip``);
that is the one change the append-only log accepts."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from balai.core.models import AuditLog
from balai.privacy.models import RetentionPolicy
from balai.privacy.registry import register_builtin_kinds
from balai.privacy.services import privacy_purge, retention_days
from balai.privacy.tasks import purge_personal_data

UTC = dt.UTC
NOW = dt.datetime(2027, 1, 10, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _kinds():
    register_builtin_kinds()


@pytest.fixture
def bangli_pemda(db):
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="51.06")
    return pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")


def entry(pemda, when, ip="10.1.2.3", action="complaint.verify"):
    with time_machine.travel(when, tick=False):
        return AuditLog.objects.create(
            pemda=pemda,
            action=action,
            target_repr="BTG7-K2MX",
            changes={"rahasia": True},
            ip_address=ip,
            user_agent="Mozilla/5.0",
        )


def counts(result):
    return {e.kind.key: e.count for e in result}


def test_a_normal_update_is_still_refused(bontang):
    row = entry(bontang, NOW)
    with pytest.raises(TypeError):
        AuditLog.objects.filter(pk=row.pk).update(ip_address=None)
    with pytest.raises(TypeError):
        AuditLog.objects.filter(pk=row.pk).update(action="tampered", ip_address=None)
    with pytest.raises(TypeError), transaction.atomic():  # its own savepoint
        AuditLog.objects.bulk_update([row], ["ip_address"])
    row.ip_address = None
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.save(update_fields=["ip_address"])
    assert AuditLog.objects.get(pk=row.pk).ip_address == "10.1.2.3"
    # The one permitted path touches the address only.
    assert AuditLog.objects.filter(pk=row.pk).clear_ip_addresses() == 1
    cleared = AuditLog.objects.get(pk=row.pk)
    assert cleared.ip_address is None
    assert (cleared.action, cleared.changes, cleared.user_agent) == (
        "complaint.verify",
        {"rahasia": True},
        "Mozilla/5.0",
    )
    assert cleared.created_at == NOW


def test_purge_blanks_the_ip_of_rows_older_than_a_year(bontang, bangli_pemda):
    assert retention_days(bontang)["core.audit_ip"] == 365
    cutoff = NOW - dt.timedelta(days=365)
    old = entry(bontang, cutoff - dt.timedelta(minutes=1))
    recent = entry(bontang, cutoff + dt.timedelta(minutes=1), ip="2001:db8::7")
    theirs = entry(bangli_pemda, cutoff - dt.timedelta(days=10))
    installation = entry(None, cutoff - dt.timedelta(days=10), action="auth.login")

    with time_machine.travel(NOW, tick=False):
        result = counts(privacy_purge(pemda=bontang))
    assert result["core.audit_ip"] == 1
    old.refresh_from_db()
    assert old.ip_address is None
    assert (old.action, old.target_repr, old.user_agent) == (
        "complaint.verify",
        "BTG7-K2MX",
        "Mozilla/5.0",
    )
    assert AuditLog.objects.get(pk=recent.pk).ip_address == "2001:db8::7"
    assert AuditLog.objects.get(pk=theirs.pk).ip_address == "10.1.2.3"  # another Pemda
    assert AuditLog.objects.get(pk=installation.pk).ip_address == "10.1.2.3"
    purge = AuditLog.objects.get(action="privacy.purge", pemda=bontang)
    assert purge.changes["counts"]["core.audit_ip"] == 1
    assert purge.changes["days"]["core.audit_ip"] == 365

    # The rows of no Pemda: their own pass, with the installation-wide period; only this kind.
    with time_machine.travel(NOW, tick=False):
        result = counts(privacy_purge(pemda=None))
    assert result == {"core.audit_ip": 1}
    assert AuditLog.objects.get(pk=installation.pk).ip_address is None
    assert AuditLog.objects.get(pk=theirs.pk).ip_address == "10.1.2.3"
    with time_machine.travel(NOW, tick=False):  # idempotent
        assert counts(privacy_purge(pemda=bontang))["core.audit_ip"] == 0


def test_period_per_pemda_and_installation_wide(bontang, settings):
    RetentionPolicy.objects.create(pemda=bontang, kind="core.audit_ip", days=90)
    settings.BALAI_PRIVACY_RETENTION_DAYS = {"core.audit_ip": 180}
    assert retention_days(bontang)["core.audit_ip"] == 90
    assert retention_days(None)["core.audit_ip"] == 180
    mine = entry(bontang, NOW - dt.timedelta(days=100))
    installation = entry(None, NOW - dt.timedelta(days=100), action="auth.login")
    with time_machine.travel(NOW, tick=False):
        privacy_purge(pemda=bontang)
        privacy_purge(pemda=None)
    assert AuditLog.objects.get(pk=mine.pk).ip_address is None  # 100 days > 90
    assert AuditLog.objects.get(pk=installation.pk).ip_address == "10.1.2.3"  # < 180


def test_command_and_task_include_the_rows_of_no_pemda(bontang, capsys):
    installation = entry(None, NOW - dt.timedelta(days=400), action="auth.login")
    mine = entry(bontang, NOW - dt.timedelta(days=400))
    with time_machine.travel(NOW, tick=False):
        call_command("privacy-purge", "--dry-run")
        out = capsys.readouterr().out
        assert "(no Pemda): 1 rows would be" in out
        assert AuditLog.objects.get(pk=installation.pk).ip_address == "10.1.2.3"
        call_command("privacy-purge", "--pemda", bontang.slug)
        assert "(no Pemda)" not in capsys.readouterr().out
        assert AuditLog.objects.get(pk=mine.pk).ip_address is None
        assert AuditLog.objects.get(pk=installation.pk).ip_address == "10.1.2.3"
        result = purge_personal_data.call()
    assert result[""] == {"core.audit_ip": 1}
    assert AuditLog.objects.get(pk=installation.pk).ip_address is None
