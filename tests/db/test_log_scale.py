"""The log at scale, on SQLite and PostgreSQL: pages that hold while records arrive, counts by the
database equal to a count by hand, the migration's backfill equal to what the writers write."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from desk import vocab
from desk.db import engine as db_engine
from desk.db import models as m
from desk.db import setup
from desk.db.engine import session_factory
from desk.db.services import LogFilter
from desk.db.store import Store
from tests import synthetic_log
from tests.synthetic_log import made

TOKYO = ZoneInfo("Asia/Tokyo")


def test_paging_lists_every_record_there_at_the_start_once_while_records_arrive(log_engine):
    store = Store.for_engine(log_engine)
    first = made(120)
    # Some at exactly the same moment: the order falls back on the id.
    for row in first[10:16]:
        row["created_at"] = first[10]["created_at"]
    synthetic_log.fill_engine(log_engine, first)
    present = {row["id"] for row in first}
    arriving = iter(made(400, seed=7, shift=dt.timedelta(days=-200)) + made(400, seed=8, shift=dt.timedelta(days=400)))
    seen: list[str] = []
    page = store.log.page(limit=9)
    while True:
        seen += [row["id"] for row in page.rows]
        if page.next is None:
            break
        # Between two pages: older records from a laptop, newer ones from a window, and one at the
        # very moment the page ended.
        late, new = next(arriving), next(arriving)
        late["created_at"] = page.next.created_at.replace(tzinfo=page.next.created_at.tzinfo or dt.UTC)
        synthetic_log.fill_engine(log_engine, [late, new, next(arriving)])
        page = store.log.page(limit=9, after=page.next)
    assert len(seen) == len(set(seen))                       # nothing twice
    assert present <= set(seen)                               # everything there at the start
    listed = [r["id"] for r in store.log.page().rows if r["id"] in present]
    assert listed == [i for i in seen if i in present]       # newest first, as one listing


def naive_day(moment: dt.datetime) -> str:
    return moment.astimezone(TOKYO).date().isoformat()


def test_counts_by_the_database_equal_a_count_by_hand(log_engine):
    rows = made(400)
    synthetic_log.fill_engine(log_engine, rows)
    service = Store.for_engine(log_engine).log
    days = sorted(naive_day(r["created_at"]) for r in rows)
    since, until = dt.date.fromisoformat(days[50]), dt.date.fromisoformat(days[300])
    for where in (LogFilter(), LogFilter(since=since, until=until), LogFilter(text="精工"),
                  LogFilter(text="横須賀", since=since)):
        chosen = [r for r in rows if (where.since is None or naive_day(r["created_at"]) >= where.since.isoformat())
                  and (where.until is None or naive_day(r["created_at"]) <= where.until.isoformat())
                  and (where.text is None or any(where.text in (r[k] or "") for k in (
                      "reference_no", "business_name", "municipality", "staff_name")))]
        assert chosen, where
        by_hand = {
            "day": Counter(naive_day(r["created_at"]) for r in chosen),
            "month": Counter(naive_day(r["created_at"])[:7] for r in chosen),
            "cause": Counter(code for r in chosen for code in r["causes"]),
            "industry": Counter(r["industry"] for r in chosen),
            "municipality": Counter(r["municipality"] for r in chosen),
            "window": Counter(r["window_name"] for r in chosen),
            "fund": Counter(f for r in chosen for f in r["result"]["eligible"] + r["result"]["conditional"]),
        }
        for by, expected in by_hand.items():
            counted = {s.key: s.consultations for s in service.stats(where, by=by) if s.consultations}
            assert counted == dict(expected), (where, by)
        counts = service.counts(where)
        assert counts.total == len(chosen) and counts.per_day == dict(sorted(by_hand["day"].items()))
        assert counts.per_cause == {label: by_hand["cause"][code] for code, label in vocab.CAUSES.items()}
        assert len(service.page(where).rows) == len(chosen)


def test_stats_are_ordered_and_named(log_engine):
    synthetic_log.fill_engine(log_engine, made(200))
    service = Store.for_engine(log_engine).log
    months = [s.key for s in service.stats(by="month")]
    assert months == sorted(months) and len(months) >= 2
    causes = service.stats(by="cause")
    assert [s.key for s in causes] == list(vocab.CAUSES) and causes[0].label == vocab.CAUSES["nissan"]
    windows = service.stats(by="window")
    assert [s.consultations for s in windows] == sorted((s.consultations for s in windows), reverse=True)
    industries = service.stats(by="industry")
    assert industries[0].key == "manufacturing" and industries[0].label == "製造業"


def table_rows(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        out = {}
        for table, key in (("log_entry", "consultation_id"), ("log_cause", "consultation_id, cause"),
                           ("log_fund", "consultation_id, fund_id")):
            out[table] = [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY {key}"))]
        return out


def test_the_migration_backfills_what_the_writers_write(log_engine):
    from alembic import command

    from desk.db.consultations import OrmLogWriter
    from desk.db.quick import QuickSqlite

    rows = made(150)
    # What desk itself never writes but a log file may bring: a cause twice, a fund both eligible
    # and conditional (eligible wins), a record with no result lists.
    rows[0]["causes"] = ["nissan", "nissan", "materials"]
    rows[1]["result"] = {**rows[1]["result"], "eligible": ["a.fund"], "conditional": ["a.fund", "b.fund"]}
    rows[2]["result"] = {"programs": {}}
    synthetic_log.fill_engine(log_engine, rows)
    # And through each writer.
    writers = [OrmLogWriter(session_factory(log_engine))]
    if log_engine.dialect.name == "sqlite":
        writers.append(QuickSqlite.open(db_engine.sqlite_path(str(log_engine.url))))
    for i, writer in enumerate(writers):
        values = {k: v for k, v in made(1, seed=30 + i)[0].items() if k not in ("id", "reference_no")}
        assert writer.try_insert(values, f"20990101-W{i}-") is not None
    written = table_rows(log_engine)
    assert len(written["log_entry"]) == 150 + len(writers)
    config = setup._alembic_config()
    with log_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    with log_engine.connect() as connection:
        assert connection.execute(select(m.Consultation.id)).first() is not None
    setup.upgrade(log_engine)
    assert table_rows(log_engine) == written


def test_the_csv_streams_what_the_list_shows(log_engine, tmp_path):
    rows = made(300)
    synthetic_log.fill_engine(log_engine, rows)
    service = Store.for_engine(log_engine).log
    target = tmp_path / "log.csv"
    assert service.write_csv(target, include_personal=True) == 300
    assert target.read_bytes() == service.export_csv(include_personal=True)
    lines = target.read_bytes().decode("utf-8-sig").split("\r\n")
    listed = service.page().rows
    assert [line.split(",")[0] for line in lines[1:-1]] == [r["reference_no"] for r in listed]
    by_number = {r["reference_no"]: r for r in rows}
    assert all((by_number[line.split(",")[0]]["visitor_phone"] or "") == line.split(",")[-1] for line in lines[1:-1])
    plain = service.export_csv(LogFilter(text="精工")).decode("utf-8-sig")
    assert "来訪者" not in plain and plain.count("\r\n") - 1 == sum(
        "精工" in (r["business_name"] or "") or "精工" in (r["staff_name"] or "") for r in rows)


def test_deleting_a_record_deletes_its_rows(log_engine):
    from desk.db.consultations import OrmLogWriter

    rows = made(3)
    synthetic_log.fill_engine(log_engine, rows)
    OrmLogWriter(session_factory(log_engine)).delete(rows[0]["id"])
    remaining = table_rows(log_engine)
    assert all(r[1] != rows[0]["id"] for r in remaining["log_entry"])
    assert all(r[0] != rows[0]["id"] for r in itertools.chain(remaining["log_cause"], remaining["log_fund"]))
    assert len(remaining["log_entry"]) == 2
