"""相談事業者数 on SQLite and PostgreSQL: one business with and without the town its postal code gave
(or its designated city's ward) is one business in every count, two businesses of one name in two
cities stay two, revision 0011 re-keys a log made before it, and a laptop's file is keyed on import."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from desk.db import engine as db_engine
from desk.db import logsync, setup
from desk.db.consultations import OrmLogWriter
from desk.db.services import LogFilter
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.log import records
from desk.log.business import normalised_name
from tests import answers, synthetic_log
from tests.conftest import empty_database_url
from tests.synthetic_log import FORMS, made

TOKYO = ZoneInfo("Asia/Tokyo")
DIMENSIONS = ("month", "industry", "window", "cause", "fund", "municipality")


def placed_variously(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """The records' places as desk stores them when a postal code was given: a third with a town, and
    a third of the designated cities' with a ward and a town (the synthetic log stores the bare
    municipality). What each record is, counted by hand: its business (the name without its legal
    form, the municipality it was made with) and its 所在地 group (the municipality, or the ward)."""
    truth = {}
    for n, row in enumerate(rows):
        home = row["municipality"]
        name = row["business_name"]
        business = next((name.removeprefix(form) for form in FORMS if form and name.startswith(form)), name) \
            if name else row["id"]
        group = home
        if n % 3 == 1:
            row["municipality"] = f"{home}本町"
        elif n % 3 == 2 and home in ("神奈川県横浜市", "神奈川県川崎市", "神奈川県相模原市"):
            group = f"{home}中央区" if home == "神奈川県相模原市" else f"{home}中区"
            row["municipality"] = f"{group}本町"
        truth[row["id"]] = (f"{business}@{home}" if name else business, group)
    return truth


def naive_day(moment: dt.datetime) -> str:
    return moment.astimezone(TOKYO).date().isoformat()


def test_businesses_with_and_without_their_town_are_counted_once_as_by_hand(log_engine):
    rows = made(450)
    truth = placed_variously(rows)
    assert sum("本町" in r["municipality"] for r in rows) > 150 and sum("区本町" in r["municipality"] for r in rows) > 5
    synthetic_log.fill_engine(log_engine, rows)
    log = Store.for_engine(log_engine).log
    days = sorted(naive_day(r["created_at"]) for r in rows)
    for where in (LogFilter(), LogFilter(since=dt.date.fromisoformat(days[60]), until=dt.date.fromisoformat(days[380])),
                  LogFilter(text="工業")):
        chosen = [r for r in rows if (where.since is None or where.since.isoformat() <= naive_day(r["created_at"]))
                  and (where.until is None or naive_day(r["created_at"]) <= where.until.isoformat())
                  and (where.text is None or where.text in (r["business_name"] or ""))]
        groups: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for r in chosen:
            business, place = truth[r["id"]]
            for by, keys in (("month", [naive_day(r["created_at"])[:7]]), ("industry", [r["industry"]]),
                             ("window", [r["window_name"]]), ("cause", r["causes"]), ("municipality", [place]),
                             ("fund", r["result"]["eligible"] + r["result"]["conditional"])):
                for key in keys:
                    groups[by][key].add(business)
        counts = log.counts(where)
        assert counts.businesses == len({truth[r["id"]][0] for r in chosen}) < len(chosen), where
        for by in DIMENSIONS:
            counted = {s.key: s.businesses for s in log.stats(where, by=by) if s.consultations}
            assert counted == {k: len(v) for k, v in groups[by].items()}, (where, by)


def _record(make_session: Any, name: str, place: str, *, device: str = "6f1c2a9e-0000-4000-8000-000000000000",
            **extra: Any) -> records.Recorded:
    return records.record(OrmLogWriter(make_session), intake=read_intake({"business_name": name, **extra}).intake,
                          report=answers.report(place=place), device=device, window_name="出張相談",
                          staff_name=None, now=dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC))


def test_one_name_in_two_cities_is_two_businesses_with_or_without_a_town(log_engine):
    make_session = db_engine.session_factory(log_engine)
    for name, place in (("株式会社追浜精工", "神奈川県横須賀市"), ("㈱追浜精工", "神奈川県横須賀市夏島町"),
                        ("追浜精工", "神奈川県横須賀市夏島町2-1"), ("追浜精工", "神奈川県横浜市"),
                        ("追浜精工", "神奈川県横浜市金沢区釜利谷東"), ("追浜精工", "東京都大田区"),
                        ("追浜精工", "東京都大田区")):
        _record(make_session, name, place)
    log = Store.for_engine(log_engine).log
    assert (log.counts().total, log.counts().businesses) == (7, 3)
    assert {s.key: (s.consultations, s.businesses) for s in log.stats(by="municipality")} == {
        "神奈川県横須賀市": (3, 1), "神奈川県横浜市": (1, 1), "神奈川県横浜市金沢区": (1, 1), "東京都大田区": (2, 1)}


# --- revision 0011 -------------------------------------------------------------------------------

def key_of_0010(name: str | None, place: str | None, record_id: str) -> str:
    """The key as revision 0010 made it (by hand): the name and the whole stored place."""
    if not name or not normalised_name(name):
        return record_id
    stored = "".join(unicodedata.normalize("NFKC", place or "").split())
    return hashlib.sha256(f"{normalised_name(name)}\x1f{stored}".encode()).hexdigest()[:16]


def stored_keys(engine: Any) -> dict[str, dict[str, str]]:
    with engine.connect() as connection:
        return {table: {record_id: key for record_id, key in connection.execute(
            text(f"SELECT DISTINCT consultation_id, business_key FROM {table}"))}
                for table in ("log_entry", "log_cause", "log_fund")}


def downgrade(engine: Any, revision: str) -> None:
    from alembic import command

    config = setup._alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@pytest.fixture
def at_0010(request, tmp_path):
    """An empty database of each kind at revision 0010, before the keys were made from the municipality."""
    engine = db_engine.make_engine(empty_database_url(request, tmp_path))
    setup.upgrade(engine, "0010")
    yield engine
    engine.dispose()


@pytest.mark.parametrize("at_0010", ["sqlite", "postgresql"], indirect=True)
def test_revision_0011_keys_a_log_made_before_it_on_the_municipality_and_back(at_0010, monkeypatch):
    from desk.db import migrations

    rows = made(300)
    rows[3]["business_name"] = None
    truth = placed_variously(rows)
    monkeypatch.setattr(migrations, "DATA_BATCH", 40)   # several batches
    synthetic_log.fill_engine(at_0010, rows)
    old = {r["id"]: key_of_0010(r["business_name"], r["municipality"], r["id"]) for r in rows}
    # What 0010's desk wrote: the keys of its rule, on the list rows, the causes and the funds.
    with at_0010.begin() as connection:
        for table in ("log_entry", "log_cause", "log_fund"):
            connection.execute(text(f"UPDATE {table} SET business_key = :key WHERE consultation_id = :id"),
                               [{"key": key, "id": record_id} for record_id, key in old.items()])
    before = stored_keys(at_0010)
    assert len(set(before["log_entry"].values())) > len({business for business, _ in truth.values()})
    setup.upgrade(at_0010)
    assert setup.current_revision(at_0010) == "0011"
    new = {r["id"]: records.entry_rows(r["id"], r["reference_no"], r).entry["business_key"] for r in rows}
    after = stored_keys(at_0010)
    assert after["log_entry"] == new and new[rows[3]["id"]] == rows[3]["id"]
    for table in ("log_cause", "log_fund"):
        assert after[table] and after[table] == {i: new[i] for i in after[table]}
    assert Store.for_engine(at_0010).log.counts().businesses == len({business for business, _ in truth.values()})
    downgrade(at_0010, "0010")
    assert stored_keys(at_0010) == before


def test_a_laptops_file_is_keyed_on_import_as_the_shared_log_is(empty_engine, log_engine, tmp_path):
    """A log file carries no key (desk-log/1 never did, so files from laptops on older desks are the
    same): the import makes each record's key with desk.log.records.entry_rows, by today's rule."""
    laptop, shared = db_engine.session_factory(empty_engine), db_engine.session_factory(log_engine)
    _record(shared, "追浜精工", "神奈川県横須賀市")
    _record(laptop, "株式会社 追浜精工", "神奈川県横須賀市夏島町", device="7a2d3b0f-0000-4000-8000-000000000000")
    _record(laptop, "追浜精工", "神奈川県横浜市金沢区釜利谷東", device="7a2d3b0f-0000-4000-8000-000000000000")
    file = tmp_path / "laptop.json"
    assert logsync.export_log(laptop, file, device="7a2d3b0f-0000-4000-8000-000000000000") == 2
    assert "business_key" not in file.read_text(encoding="utf-8")
    assert len(logsync.import_log(shared, file).added) == 2
    log = Store.for_engine(log_engine).log
    assert (log.counts().total, log.counts().businesses) == (3, 2)
    with log_engine.connect() as connection:
        key_of = dict(connection.execute(text("SELECT municipality, business_key FROM log_entry")).all())
    assert key_of["神奈川県横須賀市"] == key_of["神奈川県横須賀市夏島町"] != key_of["神奈川県横浜市金沢区釜利谷東"]
