"""The catalogue snapshot: the copy on disk gives the same matches, and nothing but a snapshot."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from pathlib import Path

import pytest

from desk.db import snapshot
from desk.db.engine import session_factory
from desk.db.loaders import OrmSource
from desk.intake.reader import read_intake
from desk.matching.answer import MatchReport
from desk.matching.service import MatchService

REPO = Path(__file__).resolve().parents[2]
ON = dt.date(2026, 11, 22)
INTAKES = sorted((REPO / "examples" / "intakes").glob("*.json"))


@pytest.fixture
def cache_file(tmp_path) -> Path:
    return tmp_path / "cache" / "catalogue.pickle"


def _results(service: MatchService) -> list[MatchReport]:
    out = []
    for path in INTAKES:
        intake = read_intake(json.loads(path.read_text(encoding="utf-8"))).intake
        out.append(service.match(intake, on=ON))
    return out


def test_the_copy_on_disk_matches_exactly_like_the_database(catalogue_engine, cache_file):
    source = OrmSource(session_factory(catalogue_engine), cache_file)
    from_database = _results(MatchService(source))
    assert cache_file.is_file() and (cache_file.stat().st_mode & 0o777) == 0o600
    fingerprint = source.fingerprint()
    copy = snapshot.load(cache_file, fingerprint)
    assert copy is not None and copy.fingerprint == fingerprint

    class CopyOnly:
        def fingerprint(self):
            return fingerprint

        def load(self, fp):
            return snapshot.load(cache_file, fp)

    assert _results(MatchService(CopyOnly())) == from_database
    # The sharing the engine's shape keys and memos rely on survives the round trip.
    def sharing(catalogue):
        groups: dict = {}
        for v in catalogue.variants:
            groups.setdefault((v.shape_key, id(v.conditions)), []).append(v.id)
        return sorted(groups.values()), len({id(v.documents) for v in catalogue.variants})

    assert sharing(copy.catalogue) == sharing(OrmSource(session_factory(catalogue_engine)).load(fingerprint).catalogue)


def test_a_copy_from_another_fingerprint_is_ignored(catalogue_engine, cache_file):
    source = OrmSource(session_factory(catalogue_engine), cache_file)
    MatchService(source).loaded()
    assert snapshot.load(cache_file, (("pack", "other", "x", "y"),)) is None


def test_an_admin_edit_makes_a_new_copy(catalogue_engine, cache_file):
    from desk.db import admin

    make = session_factory(catalogue_engine)
    service = MatchService(OrmSource(make, cache_file))
    before = service.loaded().fingerprint
    admin.update_variant(make, "kanagawa.nissan.main", {"limit_yen": 90_000_000, "term_max_months": 120,
                                                        "grace_months": 12})
    after = service.loaded()
    assert after.fingerprint != before
    assert after.catalogue.variant("kanagawa.nissan.main").limit_yen == 90_000_000
    assert snapshot.load(cache_file, after.fingerprint) is not None


class _Boom:
    def __reduce__(self):
        return (os.system, ("touch /tmp/desk-snapshot-pwned",))


def test_a_tampered_copy_cannot_run_code(tmp_path):
    path = tmp_path / "copy.pickle"
    fingerprint = (("pack", "p", "c", "t"),)
    path.write_bytes(snapshot.MAGIC + snapshot.snapshot_key(fingerprint) + b"\n" + pickle.dumps(_Boom()))
    marker = Path("/tmp/desk-snapshot-pwned")
    marker.unlink(missing_ok=True)
    assert snapshot.load(path, fingerprint) is None
    assert not marker.exists()


def test_damaged_or_missing_copies_only_cost_speed(tmp_path):
    fingerprint = (("pack", "p", "c", "t"),)
    path = tmp_path / "copy.pickle"
    assert snapshot.load(path, fingerprint) is None
    path.write_bytes(snapshot.MAGIC + snapshot.snapshot_key(fingerprint) + b"\n\x80\x05garbage")
    assert snapshot.load(path, fingerprint) is None


def test_the_key_follows_the_classes_layout(monkeypatch):
    fingerprint = (("pack", "p", "c", "t"),)
    before = snapshot.snapshot_key(fingerprint)
    monkeypatch.setattr(snapshot, "_LAYOUT", "another layout")
    assert snapshot.snapshot_key(fingerprint) != before


def test_copies_unused_for_a_month_are_removed_when_a_copy_is_written(catalogue_engine, cache_file):
    cache_file.parent.mkdir(parents=True)
    old, recent = cache_file.parent / "catalogue-old.pickle", cache_file.parent / "catalogue-recent.pickle"
    old.write_bytes(b"x")
    recent.write_bytes(b"x")
    month_ago = __import__("time").time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    MatchService(OrmSource(session_factory(catalogue_engine), cache_file)).loaded()
    assert cache_file.exists() and recent.exists() and not old.exists()
