"""What became of each visitor and how many businesses came, on SQLite and PostgreSQL: follow-ups
entered later, counts of businesses by the database equal to a count by hand."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from desk import vocab
from desk.db.services import NO_FOLLOW_UP, FollowUpTooEarly, LogFilter
from desk.db.store import Store
from desk.log.business import business_key
from tests import synthetic_log
from tests.synthetic_log import made

TOKYO = ZoneInfo("Asia/Tokyo")


def test_a_follow_up_is_entered_replaced_and_cleared(log_engine):
    rows = made(5)
    synthetic_log.fill_engine(log_engine, rows)
    log = Store.for_engine(log_engine).log
    number = rows[2]["reference_no"]
    assert log.set_follow_up(number, status="applied", day=dt.date(2026, 12, 1))
    shown = {r["reference_no"]: r for r in log.page().rows}
    assert shown[number]["follow_up"] == "申込済（2026-12-01）" and shown[number]["follow_up_status"] == "applied"
    assert all(r["follow_up"] == "" for n, r in shown.items() if n != number)
    assert log.set_follow_up(number, status="executed", day=None)          # the latest replaces it
    assert {r["reference_no"]: r["follow_up"] for r in log.page().rows}[number] == "実行"
    assert log.set_follow_up(number, status=None)
    assert {r["reference_no"]: r["follow_up"] for r in log.page().rows}[number] == ""
    assert not log.set_follow_up("20990101-XXXXX-001", status="declined")
    with pytest.raises(ValueError):
        log.set_follow_up(number, status="approved")


def test_a_follow_up_before_the_consultations_own_day_is_refused(log_engine):
    rows = made(1)
    synthetic_log.fill_engine(log_engine, rows)
    log = Store.for_engine(log_engine).log
    number = rows[0]["reference_no"]
    consulted_on = rows[0]["created_at"].astimezone(TOKYO).date()     # the Japanese day, not UTC's
    with pytest.raises(FollowUpTooEarly) as refused:
        log.set_follow_up(number, status="applied", day=consulted_on - dt.timedelta(days=1))
    assert refused.value.consulted_on == consulted_on
    assert str(refused.value) == f"その日（{consulted_on - dt.timedelta(days=1)}）は相談日（{consulted_on}）より前です"
    assert log.page().rows[0]["follow_up"] == ""
    assert log.set_follow_up(number, status="applied", day=consulted_on)        # the same day is fine
    assert log.set_follow_up(number, status=None)


def test_a_record_deleted_takes_its_follow_up(log_engine):
    from desk.db.consultations import OrmLogWriter
    from desk.db.engine import session_factory

    rows = made(2)
    synthetic_log.fill_engine(log_engine, rows)
    Store.for_engine(log_engine).log.set_follow_up(rows[0]["reference_no"], status="declined")
    OrmLogWriter(session_factory(log_engine)).delete(rows[0]["id"])
    with log_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM log_follow_up")).scalar() == 0


def naive_day(moment: dt.datetime) -> str:
    return moment.astimezone(TOKYO).date().isoformat()


def test_businesses_and_follow_ups_counted_by_the_database_equal_a_count_by_hand(log_engine):
    rows = made(400)
    synthetic_log.fill_engine(log_engine, rows)
    log = Store.for_engine(log_engine).log
    statuses = [*vocab.FOLLOW_UPS, None]
    follow_up = {r["id"]: statuses[n % 5] for n, r in enumerate(rows)}
    for r in rows:
        if follow_up[r["id"]]:
            log.set_follow_up(r["reference_no"], status=follow_up[r["id"]], day=dt.date(2026, 1, 5))
    keys = {r["id"]: business_key(r["business_name"], r["municipality"]) or r["id"] for r in rows}
    assert len(set(keys.values())) < len(rows) * 0.8          # the synthetic visitors come back
    days = sorted(naive_day(r["created_at"]) for r in rows)
    since, until = dt.date.fromisoformat(days[40]), dt.date.fromisoformat(days[330])
    for where in (LogFilter(), LogFilter(since=since, until=until), LogFilter(text="精工", since=since)):
        chosen = [r for r in rows if (where.since is None or naive_day(r["created_at"]) >= where.since.isoformat())
                  and (where.until is None or naive_day(r["created_at"]) <= where.until.isoformat())
                  and (where.text is None or any(where.text in (r[k] or "") for k in (
                      "reference_no", "business_name", "municipality", "staff_name")))]
        groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for r in chosen:
            groups["month"][naive_day(r["created_at"])[:7]].append(r["id"])
            groups["industry"][r["industry"]].append(r["id"])
            groups["window"][r["window_name"]].append(r["id"])
            groups["follow_up"][follow_up[r["id"]] or ""].append(r["id"])
            for code in r["causes"]:
                groups["cause"][code].append(r["id"])
            for fund in r["result"]["eligible"] + r["result"]["conditional"]:
                groups["fund"][fund].append(r["id"])
        counts = log.counts(where)            # the log window's line: 相談件数 and 相談事業者数
        assert (counts.total, counts.businesses) == (len(chosen), len({keys[r["id"]] for r in chosen})), where
        for by, expected in groups.items():
            counted = {s.key: (s.consultations, s.businesses) for s in log.stats(where, by=by) if s.consultations}
            assert counted == {k: (len(ids), len({keys[i] for i in ids})) for k, ids in expected.items()}, (where, by)
    labels = [s.label for s in log.stats(by="follow_up")]
    assert labels == [*vocab.FOLLOW_UPS.values(), NO_FOLLOW_UP]


def test_each_list_row_and_its_causes_and_funds_have_its_business_key(log_engine):
    rows = made(30)
    rows[0]["business_name"] = None
    synthetic_log.fill_engine(log_engine, rows)
    with log_engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT consultation_id, business_key FROM log_entry")).all())
        for table in ("log_cause", "log_fund"):
            found = connection.execute(text(f"SELECT consultation_id, business_key FROM {table}")).all()
            assert found and all(stored[record_id] == key for record_id, key in found)
    assert stored == {r["id"]: business_key(r["business_name"], r["municipality"]) or r["id"] for r in rows}
    assert stored[rows[0]["id"]] == rows[0]["id"]        # no name: a business of its own
