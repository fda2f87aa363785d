"""Shared mode: the same models, migrations, matching and log on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from desk.db import engine as db_engine
from desk.db import setup


def test_migrations_and_the_bundled_catalogue(pg_url):
    engine = db_engine.make_engine(pg_url)
    imported = setup.ensure_ready(engine)
    assert {s.pack_id for s in imported} >= {"kanagawa-fy2026", "kanagawa-contacts"}
    assert setup.current_revision(engine) == setup.head_revision()
    result = setup.check(engine)
    assert result.ok, result.problems
    assert result.counts["variants"] > 60 and result.counts["offices"] > 700
    with engine.connect() as c:
        assert c.execute(text("SELECT version()")).scalar().startswith("PostgreSQL")
    engine.dispose()


def test_matching_and_logging_through_the_store(pg_url):
    from desk import logbook
    from desk.intake import read_intake
    from desk.store import Store

    store = Store.open(pg_url)
    assert not store.is_quick
    intake = read_intake({"municipality": "横須賀市", "industry": "manufacturing", "causes": ["nissan"],
                          "visitor_name": "山田"}).intake
    result = store.matcher.match(intake, on=dt.date(2026, 11, 22))
    assert any(p["id"] == "kanagawa.nissan.main" for p in result["programs"])
    first = logbook.record(store.log_writer, intake=intake, result=result,
                           device="6f1c2a9e-0000-4000-8000-000000000000", window_name="窓口", staff_name=None)
    second = logbook.record(store.log_writer, intake=intake, result=result,
                            device="6f1c2a9e-0000-4000-8000-000000000000", window_name="窓口", staff_name=None)
    assert first.reference_no[-3:] == "001" and second.reference_no[-3:] == "002"
    from desk.consultations import search_consultations

    rows = search_consultations(store.make_session, text="横須賀")
    assert {r["reference_no"] for r in rows} == {first.reference_no, second.reference_no}
    assert store.purge_personal_details(older_than_days=0) == 2
    store.close()
