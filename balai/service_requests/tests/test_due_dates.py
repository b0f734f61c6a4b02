"""Due dates from the standard's processing time, on each Pemda's calendar and in its zone.

2025 holidays used here (holidays, categories public + government): Nyepi cuti bersama Fri
28 Mar, Nyepi Sat 29 Mar, Idul Fitri Mon 31 Mar - Tue 1 Apr with cuti bersama Wed 2 - Fri 4 and
Mon 7 Apr; Waisak Mon 12 May with cuti bersama Tue 13 May. Perpres 21/2023 hours: Mon-Thu
07.30-12.00 and 13.00-16.00, Fri 07.30-11.30 and 13.00-16.30.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from balai.catalog.choices import DurationUnit
from balai.organizations.services import calendar_day_set
from balai.service_requests.choices import Channel, Status
from balai.service_requests.services import service_request_submit

from .conftest import full

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
UTC = dt.UTC


def submit(pemda, service, at):
    standard = service.standards.get()
    return service_request_submit(
        pemda=pemda, service=service, channel=Channel.COUNTER, checklist=full(standard), at=at
    )


# -- WITA: Kota Bontang ----------------------------------------------------------------------
def test_working_days_skip_nyepi_idul_fitri_and_cuti_bersama_wita(bontang, make_service):
    assert bontang.timezone == "Asia/Makassar"
    service = make_service(bontang, time=3, unit=DurationUnit.WORKING_DAYS)
    request = submit(bontang, service, dt.datetime(2025, 3, 27, 10, 0, tzinfo=WITA))
    # Thu 27 Mar -> Tue 8 (1), Wed 9 (2), Thu 10 Apr (3), close of business 16.00 WITA.
    assert request.status == Status.IN_PROCESS
    assert request.due_at == dt.datetime(2025, 4, 10, 16, 0, tzinfo=WITA)
    assert request.due_at == dt.datetime(2025, 4, 10, 8, 0, tzinfo=UTC)


def test_working_hours_cross_a_weekend_wita(bontang, make_service):
    service = make_service(bontang, time=8, unit=DurationUnit.WORKING_HOURS)
    request = submit(bontang, service, dt.datetime(2025, 3, 21, 15, 0, tzinfo=WITA))
    # Fri 15.00-16.30 = 1.5 h; Mon 24 Mar 07.30-12.00 = 4.5 h; 13.00 + 2 h.
    assert request.due_at == dt.datetime(2025, 3, 24, 15, 0, tzinfo=WITA)


def test_minutes_run_around_the_clock_even_on_cuti_bersama_wita(bontang, make_service):
    service = make_service(bontang, time=90, unit=DurationUnit.MINUTES)
    request = submit(bontang, service, dt.datetime(2025, 4, 5, 23, 0, tzinfo=WITA))
    assert request.due_at == dt.datetime(2025, 4, 6, 0, 30, tzinfo=WITA)


def test_a_local_closed_day_of_the_pemda_counts_too(bontang, make_service):
    service = make_service(bontang, time=1, unit=DurationUnit.WORKING_DAYS)
    at = dt.datetime(2025, 6, 10, 9, 0, tzinfo=WITA)  # Tuesday
    assert submit(bontang, service, at).due_at == dt.datetime(2025, 6, 11, 16, 0, tzinfo=WITA)
    calendar_day_set(
        actor=None, pemda=bontang, date=dt.date(2025, 6, 11), kind="closed", name="Hari jadi"
    )
    assert submit(bontang, service, at).due_at == dt.datetime(2025, 6, 12, 16, 0, tzinfo=WITA)


# -- WIB: Kabupaten Bengkulu Selatan -----------------------------------------------------------
def test_working_days_skip_waisak_and_its_cuti_bersama_wib(bengkulu_selatan, make_service):
    assert bengkulu_selatan.timezone == "Asia/Jakarta"
    service = make_service(bengkulu_selatan, time=1, unit=DurationUnit.WORKING_DAYS)
    request = submit(bengkulu_selatan, service, dt.datetime(2025, 5, 9, 14, 0, tzinfo=WIB))
    # Fri 9 May -> Mon 12 Waisak, Tue 13 cuti bersama -> Wed 14 May 16.00 WIB.
    assert request.due_at == dt.datetime(2025, 5, 14, 9, 0, tzinfo=UTC)


def test_working_hours_wait_out_idul_fitri_wib(bengkulu_selatan, make_service):
    service = make_service(bengkulu_selatan, time=4, unit=DurationUnit.WORKING_HOURS)
    request = submit(bengkulu_selatan, service, dt.datetime(2025, 3, 27, 15, 0, tzinfo=WIB))
    # Thu 15.00-16.00 = 1 h; closed Fri 28 Mar - Mon 7 Apr; Tue 8 Apr 07.30 + 3 h.
    assert request.due_at == dt.datetime(2025, 4, 8, 10, 30, tzinfo=WIB)


def test_minutes_wib(bengkulu_selatan, make_service):
    service = make_service(bengkulu_selatan, time=45, unit=DurationUnit.MINUTES)
    request = submit(bengkulu_selatan, service, dt.datetime(2025, 3, 31, 11, 30, tzinfo=WIB))
    assert request.due_at == dt.datetime(2025, 3, 31, 5, 15, tzinfo=UTC)


# -- WIT: Kota Jayapura -------------------------------------------------------------------------
def test_working_days_across_idul_fitri_wit(jayapura, make_service):
    assert jayapura.timezone == "Asia/Jayapura"
    service = make_service(jayapura, time=5, unit=DurationUnit.WORKING_DAYS)
    request = submit(jayapura, service, dt.datetime(2025, 3, 24, 9, 0, tzinfo=WIT))
    # Tue 25 (1), Wed 26 (2), Thu 27 (3), closed 28 Mar - 7 Apr, Tue 8 (4), Wed 9 Apr (5).
    assert request.due_at == dt.datetime(2025, 4, 9, 16, 0, tzinfo=WIT)
    assert request.due_at == dt.datetime(2025, 4, 9, 7, 0, tzinfo=UTC)


def test_working_hours_filed_after_closing_start_next_morning_wit(jayapura, make_service):
    service = make_service(jayapura, time=2, unit=DurationUnit.WORKING_HOURS)
    # Thu 27 Mar 2025 at 20.00 WIT (a night service): next working time is Tue 8 Apr 07.30.
    request = submit(jayapura, service, dt.datetime(2025, 3, 27, 20, 0, tzinfo=WIT))
    assert request.due_at == dt.datetime(2025, 4, 8, 9, 30, tzinfo=WIT)


def test_minutes_wit(jayapura, make_service):
    service = make_service(jayapura, time=30, unit=DurationUnit.MINUTES)
    request = submit(jayapura, service, dt.datetime(2025, 3, 31, 10, 0, tzinfo=WIT))
    assert request.due_at == dt.datetime(2025, 3, 31, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        # Filed in the morning of a working day: the close of that day.
        (dt.datetime(2025, 6, 10, 9, 0), dt.datetime(2025, 6, 10, 16, 0)),
        # Filed after closing: the close of the next working day.
        (dt.datetime(2025, 6, 10, 17, 0), dt.datetime(2025, 6, 11, 16, 0)),
    ],
)
def test_zero_working_days_means_the_same_day(bontang, make_service, local, expected):
    service = make_service(bontang, time=0, unit=DurationUnit.WORKING_DAYS)
    request = submit(bontang, service, local.replace(tzinfo=WITA))
    assert request.due_at == expected.replace(tzinfo=WITA)
