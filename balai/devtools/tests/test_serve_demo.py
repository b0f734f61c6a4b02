"""`balai serve-demo` skips reloading a demo that was loaded today by the same demo code and is
still in the database, and reloads it in every other case."""

import datetime as dt
import importlib
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine

from balai.devtools.demo import DemoLogin

WIB = ZoneInfo("Asia/Jakarta")
serve_demo = importlib.import_module("balai.devtools.management.commands.serve-demo")

LOGINS = [
    DemoLogin(pemda="Kota Bontang", role="Administrator Pemda", username="bontang.admin", scope="")
]


@pytest.fixture
def one_demo_pemda(bontang, monkeypatch):
    bontang.is_demo = True
    bontang.save()
    monkeypatch.setattr(serve_demo, "SEED_PEMDA", ("bontang",))
    return bontang


@time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=WIB), tick=False)
def test_a_demo_loaded_today_is_served_as_it_is(tmp_path, one_demo_pemda):
    state = tmp_path / "demo-state.json"
    assert serve_demo.loaded_logins(state) is None  # never loaded
    serve_demo.remember(state, LOGINS)
    assert serve_demo.loaded_logins(state) == LOGINS


def test_a_new_day_new_demo_code_or_a_wiped_database_reload_it(
    tmp_path, one_demo_pemda, monkeypatch
):
    state = tmp_path / "demo-state.json"
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=WIB), tick=False):
        serve_demo.remember(state, LOGINS)
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=WIB), tick=False):
        assert serve_demo.loaded_logins(state) is None  # the simulated weeks move with the days
    with time_machine.travel(dt.datetime(2026, 11, 26, 18, 0, tzinfo=WIB), tick=False):
        assert serve_demo.loaded_logins(state) == LOGINS
        monkeypatch.setattr(serve_demo, "demo_fingerprint", lambda: "changed")
        assert serve_demo.loaded_logins(state) is None
        monkeypatch.undo()
        monkeypatch.setattr(serve_demo, "SEED_PEMDA", ("bontang",))
        one_demo_pemda.is_demo = False  # as if the database were new
        one_demo_pemda.save()
        assert serve_demo.loaded_logins(state) is None


def test_a_damaged_state_file_means_reload(tmp_path, one_demo_pemda):
    state = tmp_path / "demo-state.json"
    state.write_text("{not json")
    assert serve_demo.loaded_logins(state) is None
    state.write_text(json.dumps({"date": "2026-11-26"}))
    assert serve_demo.loaded_logins(state) is None


def test_the_fingerprint_follows_the_demo_code():
    assert serve_demo.demo_fingerprint() == serve_demo.demo_fingerprint()
    assert len(serve_demo.demo_fingerprint()) == 16
