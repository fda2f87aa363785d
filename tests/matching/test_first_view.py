"""The window's first view: the engine's own result for an untouched form, kept per catalogue, day and desk."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest

from desk.db import cache
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.matching import first_view

ON = dt.date(2026, 11, 22)


@pytest.fixture
def store(catalogue_engine):
    store = Store.for_engine(catalogue_engine)
    yield store
    store.close()


def test_the_first_view_is_the_match_of_an_untouched_form(store):
    view = first_view.compute(store.matcher, ON)
    read = read_intake(first_view.UNTOUCHED)
    assert view.result == store.matcher.match(read.intake, on=ON, warnings=read.warnings)
    # Nothing known: every fund waits on facts, but those made for a plan or a situation not
    # mentioned are closed (plans and situations are complete lists).
    assert view.result.funds and {f.status for f in view.result.funds} == {"conditional", "ineligible"}
    choices = view.choices
    assert choices.fingerprint == store.fingerprint()
    assert "横須賀市" in choices.municipalities and choices.plans and choices.questions
    assert any(p["stale"] for p in choices.packs)          # Sagamihara's FY2025 guide, on a FY2026 day


def test_a_kept_view_comes_back_equal(store, tmp_path):
    view = first_view.compute(store.matcher, ON)
    path = tmp_path / "cache" / "first-view-1.pickle"
    first_view.save(path, view, ON)
    assert first_view.load(path, store.fingerprint(), ON) == view
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_kept_view_is_only_for_its_catalogue_its_day_and_its_desk(store, tmp_path, monkeypatch):
    view = first_view.compute(store.matcher, ON)
    path = tmp_path / "first-view-1.pickle"
    first_view.save(path, view, ON)
    fingerprint = store.fingerprint()
    assert first_view.load(path, fingerprint, ON + dt.timedelta(days=1)) is None       # rules read the day
    assert first_view.load(path, (*fingerprint, ("edit", "office", None, "2026-11-22 10:00")), ON) is None
    monkeypatch.setattr(cache, "code_stamp", lambda: "0.1.0:70:another-build")
    assert first_view.load(path, fingerprint, ON) is None


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"key": 1}', b"\xff\xfe\x00", b"null"])
def test_a_damaged_or_missing_view_only_costs_speed(store, tmp_path, content):
    path = tmp_path / "first-view-1.pickle"
    path.write_bytes(content)
    assert first_view.load(path, store.fingerprint(), ON) is None
    assert first_view.load(tmp_path / "missing.pickle", store.fingerprint(), ON) is None


def test_a_tampered_view_fails_to_load_and_runs_nothing(store, tmp_path):
    """The kept view is a pickle: one that names any class but the answer's is refused."""
    path = tmp_path / "first-view-1.pickle"
    first_view.save(path, first_view.compute(store.matcher, ON), ON)
    key = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    marker = tmp_path / "ran"
    path.write_bytes(key + pickle.dumps(_Runs(str(marker))))
    assert first_view.load(path, store.fingerprint(), ON) is None
    assert not marker.exists()
    path.write_bytes(key + pickle.dumps(("a", "tuple", "of", "the", "wrong shape")))
    assert first_view.load(path, store.fingerprint(), ON) is None


class _Runs:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_view_kept_as_json_by_an_earlier_desk_is_made_anew(store, tmp_path):
    path = tmp_path / "first-view-1.pickle"
    key = f"1|{cache.code_stamp()}|{ON.isoformat()}|{store.fingerprint()!r}"
    path.write_text(f'{{"key": {key!r}, "choices": {{}}, "result": {{}}}}', encoding="utf-8")
    assert first_view.load(path, store.fingerprint(), ON) is None


def test_a_view_with_the_right_key_but_a_broken_body_is_ignored(store, tmp_path):
    view = first_view.compute(store.matcher, ON)
    path = tmp_path / "first-view-1.pickle"
    first_view.save(path, view, ON)
    whole = path.read_bytes()
    path.write_bytes(whole[:len(whole) // 2])
    assert first_view.load(path, store.fingerprint(), ON) is None


def test_the_code_stamp_follows_any_change_to_desk(tmp_path, monkeypatch):
    package = tmp_path / "desk"
    (package / "matching").mkdir(parents=True)
    module = package / "matching" / "engine.py"
    module.write_text("RULE = 1\n")
    (package / "__pycache__").mkdir()
    monkeypatch.setattr(cache, "_PACKAGE", package)
    before = cache.code_stamp()
    assert cache.code_stamp() == before
    (package / "__pycache__" / "engine.cpython-312.pyc").write_bytes(b"x")   # byte-code is not code
    assert cache.code_stamp() == before
    module.write_text("RULE = 22\n")
    assert cache.code_stamp() != before


def test_views_of_other_databases_unused_for_a_month_are_removed_when_one_is_kept(store, tmp_path):
    import time

    folder = tmp_path / "cache"
    folder.mkdir()
    old, recent = folder / "first-view-0ld.json", folder / "first-view-1.pickle"   # old: an earlier format
    other_kind = folder / "catalogue-0ld.pickle"
    month_ago = time.time() - 31 * 86400
    for path in (old, recent, other_kind):
        path.write_text("{}")
    for path in (old, other_kind):
        os.utime(path, (month_ago, month_ago))
    first_view.save(folder / "first-view-2.pickle", first_view.compute(store.matcher, ON), ON)
    assert not old.exists() and recent.exists() and other_kind.exists()


def test_the_code_stamp_covers_the_whole_desk_package():
    # cache.py lives in desk/db: the stamp must still see the engine's and the window's code.
    import desk

    assert cache._PACKAGE == Path(desk.__file__).resolve().parent
