import datetime as dt

import pytest

from balai.catalog.choices import ServiceCategory
from balai.catalog.selectors import service_list_public, standard_history, standard_in_force
from balai.catalog.services import standard_publish

from .builders import draft, make_service, published

V1, V2 = dt.date(2025, 1, 1), dt.date(2025, 7, 1)


@pytest.fixture
def ktp(bontang):
    service = make_service(bontang)
    published(service, V1, fee=0)
    published(service, V2, fee=0, time=7)
    draft(service, dt.date(2025, 3, 1), time=1)  # a draft in between: never in force
    draft(service, dt.date(2025, 9, 1), time=2)  # a later draft: never in force either
    return service


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2024, 12, 31), None),
        (V1, 1),
        (dt.date(2025, 3, 15), 1),
        (dt.date(2025, 6, 30), 1),
        (V2, 2),
        (dt.date(2025, 10, 1), 2),
    ],
)
def test_standard_in_force_across_versions(ktp, on, expected):
    standard = standard_in_force(service=ktp, on=on)
    assert (standard.version if standard else None) == expected


def test_drafts_are_numbered_but_never_in_force(ktp):
    assert sorted(ktp.standards.values_list("version", "status")) == [
        (1, "published"),
        (2, "published"),
        (3, "draft"),
        (4, "draft"),
    ]
    assert standard_in_force(service=ktp, on=dt.date(2025, 9, 2)).processing_time == 7


def test_a_draft_published_later_takes_over_from_its_date(ktp):
    later = ktp.standards.get(version=4)
    standard_publish(standard=later, actor=None, backdate=True)
    assert standard_in_force(service=ktp, on=dt.date(2025, 8, 31)).version == 2
    assert standard_in_force(service=ktp, on=dt.date(2025, 9, 1)).version == 4


def test_standard_in_force_carries_its_requirements_in_order(ktp, django_assert_num_queries):
    with django_assert_num_queries(2):
        standard = standard_in_force(service=ktp, on=V2)
        texts = [r.text for r in standard.requirements.all()]
    assert texts == ["Kartu Keluarga (KK)", "Surat pengantar RT/RW", "Akta kelahiran"]


def test_history_lists_published_versions_newest_first(ktp):
    assert [v.version for v in standard_history(service=ktp)] == [2, 1]


@pytest.fixture
def catalog(bontang, ktp):
    akta = make_service(
        bontang,
        "akta-kelahiran",
        name="Akta Kelahiran",
        summary="Pencatatan kelahiran bayi.",
        keywords="lahir bayi",
    )
    published(akta, V1)
    usaha = make_service(
        bontang,
        "sku",
        name="Surat Keterangan Usaha",
        summary="Untuk usaha mikro.",
        keywords="umkm dagang",
        category=ServiceCategory.LETTERS,
    )
    published(usaha, V1, fee=15000)
    unpublished = make_service(bontang, "kia", name="Kartu Identitas Anak", keywords="anak ktp")
    draft(unpublished, V1)
    closed = make_service(bontang, "lama", name="KTP lama", keywords="ktp")
    published(closed, V1)
    closed.is_active = False
    closed.save()
    return bontang


def codes(services):
    return [s.code for s in services]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("", ["akta-kelahiran", "ktp-el", "sku"]),
        ("ktp", ["ktp-el"]),  # name/keywords; the draft-only and inactive services are hidden
        ("KTP", ["ktp-el"]),
        ("bayi", ["akta-kelahiran"]),  # keywords
        ("usaha mikro", ["sku"]),  # every word, in the name or the summary
        ("usaha bayi", []),
        ("paspor", []),
    ],
)
def test_service_list_public_search(catalog, q, expected):
    with_time = dt.date(2025, 8, 1)
    assert codes(service_list_public(pemda=catalog, q=q, on=with_time)) == expected


def test_service_list_public_filters_by_category_and_carries_the_current_fee(catalog):
    rows = list(service_list_public(pemda=catalog, category="surat", on=dt.date(2025, 8, 1)))
    assert codes(rows) == ["sku"]
    assert rows[0].current_fee == 15000


def test_service_list_public_only_services_in_force_on_the_day(catalog):
    assert codes(service_list_public(pemda=catalog, on=dt.date(2024, 12, 31))) == []
