"""The log's CSV, on SQLite and PostgreSQL: the fast export (times formatted by the database, batches
of tuples) writes the very bytes of the plain one (a row at a time through csv_safe), formula starts
and all, and never the visitor's details unless asked."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from desk import vocab
from desk.db import models as m
from desk.db.consultations import csv_rows
from desk.db.engine import session_factory
from desk.db.log_csv import csv_batches, to_csv
from desk.db.services import LogFilter
from desk.db.store import Store
from tests import synthetic_log
from tests.db.test_consultations import FORMULA_CELLS
from tests.synthetic_log import made

TYPED = ("window_name", "staff_name", "business_name", "municipality", "visitor_name", "visitor_phone")


def hostile(count: int) -> list[dict]:
    """Records whose typed fields start like formulas (each cell of FORMULA_CELLS somewhere), or
    are plain, or empty; one cause the vocabulary does not know."""
    rows = made(count, seed=5)
    plain = ["追浜精工", "a=b", "メール a@b.jp", "", None, "'quoted", "+81 90-1234-5678"]
    cells = FORMULA_CELLS + plain
    for n, row in enumerate(rows):
        for k, key in enumerate(TYPED):
            row[key] = cells[(n + 5 * k) % len(cells)]   # every cell in every column
    rows[0]["causes"] = ["=unknown-cause"]
    return rows


@pytest.mark.parametrize("include_personal", [False, True])
def test_the_fast_csv_writes_the_bytes_of_the_plain_one(log_engine, include_personal):
    rows = hostile(120) + made(80)
    synthetic_log.fill_engine(log_engine, rows)
    make = session_factory(log_engine)
    service = Store.for_engine(log_engine).log
    followed = follow_up_some(log_engine, service, rows)
    for where in (LogFilter(), LogFilter(text="精工")):
        fast = service.export_csv(where, include_personal=include_personal)
        plain = to_csv(csv_rows(make, where, include_personal=include_personal), include_personal=include_personal)
        assert fast == plain, where
    text = service.export_csv(include_personal=include_personal).decode("utf-8-sig")
    header, *written = list(csv.reader(io.StringIO(text, newline="")))
    assert len(written) == 200
    said, day = header.index("その後"), header.index("その後の日付")
    assert header[-4 if include_personal else -2:][:2] == ["その後", "その後の日付"]
    shown = {row[0]: (row[said], row[day]) for row in written}
    assert shown == {r["reference_no"]: followed.get(r["reference_no"], ("", "")) for r in rows}
    assert ("来訪者氏名（個人情報）" in header) == include_personal
    for cell in FORMULA_CELLS:            # each stored somewhere, each written as text
        assert any("'" + cell in row for row in written), cell
    assert all(not value or value[0] not in "=+-@＝＋－＠" for row in written for value in row)


def follow_up_some(engine, service, rows) -> dict[str, tuple[str, str]]:
    """Every third record followed up (every status, with a day and without); one stored by hand with a
    code desk does not know and a day that starts like a formula. What the CSV should show of each."""
    expected = {}
    statuses = list(vocab.FOLLOW_UPS)
    for n, row in enumerate(rows[::3]):
        status, day = statuses[n % len(statuses)], dt.date(2026, 12, 1 + n % 28) if n % 2 else None
        assert service.set_follow_up(row["reference_no"], status=status, day=day)
        expected[row["reference_no"]] = (vocab.FOLLOW_UPS[status], day.isoformat() if day else "")
    odd = rows[1]
    with session_factory(engine)() as session, session.begin():
        session.add(m.LogFollowUp(consultation_id=odd["id"], status="=odd", day="=1+1",
                                  recorded_at=dt.datetime.now(dt.UTC)))
    expected[odd["reference_no"]] = ("'=odd", "'=1+1")
    return expected


def test_the_csv_comes_in_batches(log_engine, monkeypatch):
    from desk.db import log_csv

    monkeypatch.setattr(log_csv, "CSV_BATCH", 7)
    synthetic_log.fill_engine(log_engine, made(30))
    batches = list(csv_batches(session_factory(log_engine), include_personal=True))
    assert [len(b) for b in batches] == [7, 7, 7, 7, 2]
    assert all(isinstance(row, tuple) and len(row) == 14 for b in batches for row in b)
