"""The quick sqlite3 path: same fingerprint, same stored rows as the ORM, safe numbering."""

from __future__ import annotations

import datetime as dt
import sqlite3

from desk.db.consultations import OrmLogWriter
from desk.db.engine import session_factory
from desk.db.loaders import fingerprint as orm_fingerprint
from desk.db.quick import CONSULTATION_COLUMNS, QuickSqlite
from desk.db.urls import plain_sqlite_file
from desk.intake.reader import read_intake
from desk.log import records
from tests import answers

REPORT = answers.report(funds=(("kanagawa.nissan.main", "eligible"),), contacts=("kanagawa-cgc.yokosuka",),
                        warnings=("注意",), pack_versions={"kanagawa-fy2026": "x"})
NOW = dt.datetime(2026, 11, 22, 3, 4, 5, 678901, tzinfo=dt.UTC)
DEVICE = "6f1c2a9e-0000-4000-8000-000000000000"


def _path(engine):
    return plain_sqlite_file(engine.url.render_as_string())


def test_opens_only_a_database_at_the_current_revision(catalogue_engine, tmp_path):
    quick = QuickSqlite.open(_path(catalogue_engine))
    assert quick is not None
    quick.close()
    assert QuickSqlite.open(tmp_path / "missing.sqlite3") is None
    with sqlite3.connect(_path(catalogue_engine)) as c:
        c.execute("UPDATE alembic_version SET version_num = 'older'")
    assert QuickSqlite.open(_path(catalogue_engine)) is None


def test_fingerprint_is_the_orm_fingerprint(catalogue_engine):
    quick = QuickSqlite.open(_path(catalogue_engine))
    with session_factory(catalogue_engine)() as session:
        assert quick.fingerprint() == orm_fingerprint(session)
    assert any(row[0] == "pack" for row in quick.fingerprint())


def test_has_packs_says_what_the_fingerprint_says(catalogue_engine, empty_engine):
    from desk.db import cache

    for engine, filled in ((catalogue_engine, True), (empty_engine, False)):
        quick = QuickSqlite.open(_path(engine))
        assert quick.has_packs() is filled is cache.is_ready(quick.fingerprint())
        quick.close()


def test_stores_exactly_what_the_orm_stores(catalogue_engine):
    intake = read_intake({"business_name": "追浜<精工>&", "visitor_name": "山田", "industry": "manufacturing",
                          "causes": ["nissan"], "amount_yen": "2,000万円"}).intake
    values = records.consultation_values(intake=intake, report=REPORT, device=DEVICE, window_name="窓口",
                                         staff_name="担当", now=NOW)
    by_orm = OrmLogWriter(session_factory(catalogue_engine)).try_insert(values, "20261122-AAAAA-")
    by_quick = QuickSqlite.open(_path(catalogue_engine)).try_insert(values, "20261122-AAAAA-")
    assert by_orm.reference_no.endswith("-001") and by_quick.reference_no.endswith("-002")
    with sqlite3.connect(_path(catalogue_engine)) as c:
        rows = {r[0]: r[2:] for r in c.execute(f"SELECT {', '.join(CONSULTATION_COLUMNS)} FROM consultation")}
    assert rows[by_orm.id] == rows[by_quick.id]
    with sqlite3.connect(_path(catalogue_engine)) as c:     # and the list's row, causes and funds alike
        for table in ("log_entry", "log_cause", "log_fund"):
            written = {}
            for row in c.execute(f"SELECT * FROM {table} ORDER BY consultation_id"):
                written.setdefault(row[1] if table == "log_entry" else row[0], []).append(
                    tuple(v for v in row if v not in (by_orm.id, by_orm.reference_no, by_quick.id,
                                                      by_quick.reference_no)))
            assert written[by_orm.id] == written[by_quick.id] and written[by_orm.id], table
    # Read back through the ORM, the quick record is a record like any other.
    from desk.db.consultations import search_consultations

    found = search_consultations(session_factory(catalogue_engine), text="追浜<精工>&")
    assert {r["reference_no"] for r in found} == {by_orm.reference_no, by_quick.reference_no}
    assert len({r["created_at"] for r in found}) == 1


def test_numbers_follow_the_highest_even_after_a_gap(catalogue_engine):
    quick = QuickSqlite.open(_path(catalogue_engine))
    orm = OrmLogWriter(session_factory(catalogue_engine))
    intake = read_intake({}).intake

    def record(writer):
        return records.record(writer, intake=intake, report=REPORT, device=DEVICE, window_name=None,
                              staff_name=None, now=NOW)

    first, second = record(quick), record(orm)
    quick.delete(first.id)          # 001's sheet never reached its visitor; 002's did
    third, fourth = record(orm), record(quick)
    assert [r.reference_no[-3:] for r in (first, second, third, fourth)] == ["001", "002", "003", "004"]
    with sqlite3.connect(_path(catalogue_engine)) as c:
        assert c.execute("SELECT count(*) FROM consultation WHERE id = ?", (first.id,)).fetchone()[0] == 0


def test_the_thousandth_number_follows_the_999th():
    assert records.next_ids("P-", "P-999").reference_no == "P-1000"
    assert records.next_ids("P-", None).reference_no == "P-001"
