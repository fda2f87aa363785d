"""The log's CSV, on SQLite and PostgreSQL: the fast export (times formatted by the database, batches
of tuples) writes the very bytes of the plain one (a row at a time through csv_safe), formula starts
and all, and never the visitor's details unless asked."""

from __future__ import annotations

import csv
import io

import pytest

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
    synthetic_log.fill_engine(log_engine, hostile(120) + made(80))
    make = session_factory(log_engine)
    service = Store.for_engine(log_engine).log
    for where in (LogFilter(), LogFilter(text="精工")):
        fast = service.export_csv(where, include_personal=include_personal)
        plain = to_csv(csv_rows(make, where, include_personal=include_personal), include_personal=include_personal)
        assert fast == plain, where
    text = service.export_csv(include_personal=include_personal).decode("utf-8-sig")
    header, *written = list(csv.reader(io.StringIO(text, newline="")))
    assert len(written) == 200
    assert ("来訪者氏名（個人情報）" in header) == include_personal
    for cell in FORMULA_CELLS:            # each stored somewhere, each written as text
        assert any("'" + cell in row for row in written), cell
    assert all(not value or value[0] not in "=+-@＝＋－＠" for row in written for value in row)


def test_the_csv_comes_in_batches(log_engine, monkeypatch):
    from desk.db import log_csv

    monkeypatch.setattr(log_csv, "CSV_BATCH", 7)
    synthetic_log.fill_engine(log_engine, made(30))
    batches = list(csv_batches(session_factory(log_engine), include_personal=True))
    assert [len(b) for b in batches] == [7, 7, 7, 7, 2]
    assert all(isinstance(row, tuple) and len(row) == 12 for b in batches for row in b)
