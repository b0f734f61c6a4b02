"""For every indicator: the dashboard number, the drill-down list and the export agree."""

import pytest

from balai.evaluation.indicators import INDICATORS, Scope

from .conftest import NOVEMBER, NOW


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_number_list_and_export_agree(bontang, everything, key):
    indicator = INDICATORS[key]
    scope = Scope(pemda=bontang, now=NOW)
    value = indicator.compute(scope, NOVEMBER)
    listed = list(indicator.rows(scope, NOVEMBER))
    exported = list(indicator.export_rows(scope, NOVEMBER))
    assert value.count > 0
    assert value.count == len(listed) == len(exported)
    assert all(len(row) == len(indicator.columns) for row in exported)
    if indicator.is_count:
        assert value.number == value.count
    if value.part is not None:  # a share: the yes column counts the numerator
        assert sum(1 for row in exported if row[-1] == "Ya") == value.part


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_export_holds_no_personal_data(bontang, everything, key):
    indicator = INDICATORS[key]
    scope = Scope(pemda=bontang, now=NOW)
    text = repr(list(indicator.export_rows(scope, NOVEMBER)))
    for secret in ("Rahasia", "+62812", "(isi aduan)"):
        assert secret not in text
