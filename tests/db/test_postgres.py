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
    from desk.db.store import Store
    from desk.intake.reader import read_intake
    from desk.log import records

    store = Store.open(pg_url)
    assert not store.is_quick
    intake = read_intake({"municipality": "横須賀市", "industry": "manufacturing", "causes": ["nissan"],
                          "visitor_name": "山田"}).intake
    result = store.matcher.match(intake, on=dt.date(2026, 11, 22))
    assert result.fund("kanagawa.nissan.main") is not None
    first = records.record(store.log_writer, intake=intake, report=result,
                           device="6f1c2a9e-0000-4000-8000-000000000000", window_name="窓口", staff_name=None)
    second = records.record(store.log_writer, intake=intake, report=result,
                            device="6f1c2a9e-0000-4000-8000-000000000000", window_name="窓口", staff_name=None)
    assert first.reference_no[-3:] == "001" and second.reference_no[-3:] == "002"
    from desk.db.consultations import search_consultations

    rows = search_consultations(store.make_session, text="横須賀")
    assert {r["reference_no"] for r in rows} == {first.reference_no, second.reference_no}
    assert store.purge_personal_details(older_than_days=0) == 2
    store.close()


def test_the_catalogue_travels_from_the_server_to_a_laptop_unchanged(pg_url, tmp_path):
    """`desk export` on the shared database, `desk import` on the laptop: the same packs, byte for byte."""
    from sqlalchemy.orm import Session

    from desk.db.packs import exporter

    server = db_engine.make_engine(pg_url)
    setup.ensure_ready(server)
    with Session(server) as session:
        from_server = exporter.export_packs(session, tmp_path / "from-server")
    laptop = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "laptop.sqlite3"))
    setup.upgrade(laptop)
    setup.import_files(laptop, from_server)
    with Session(laptop) as session:
        from_laptop = exporter.export_packs(session, tmp_path / "from-laptop")
    assert [p.name for p in from_server] == [p.name for p in from_laptop]
    for a, b in zip(from_server, from_laptop, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    server.dispose()
    laptop.dispose()


def test_the_cli_runs_on_the_server(pg_url, tmp_path, capsys):
    import json

    from desk.cli import main

    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"municipality": "横須賀市", "industry": "manufacturing", "causes": ["nissan"]}),
                      encoding="utf-8")
    assert main(["--db", pg_url, "db", "upgrade"]) == 0
    assert main(["--db", pg_url, "db", "check"]) == 0
    capsys.readouterr()
    assert main(["--db", pg_url, "match", "--json", str(intake), "--date", "2026-11-22"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {p["id"]: p["status"] for p in result["programs"]}["kanagawa.nissan.main"] in ("eligible", "conditional")
    assert main(["--db", pg_url, "referral", str(intake), "-o", str(tmp_path / "s.pdf"), "--date", "2026-11-22"]) == 0
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--db", pg_url, "db", "backup"]) == 1          # the server's own tools do that
    assert "pg_dump" in capsys.readouterr().err


def test_the_catalogue_copy_of_a_server_database_is_read_back(pg_url):
    """The copy on disk serves the next start on a server too: psycopg's times (a ZoneInfo, which
    pickles through getattr) made every copy of a server's catalogue unreadable to the copy's
    unpickler, so each start loaded it through the ORM again."""
    from desk.cli.common import refresh_snapshot
    from desk.db import cache, snapshot
    from desk.db.store import Store

    store = Store.open(pg_url)
    refresh_snapshot(store)
    fingerprint = store.fingerprint()
    assert cache.is_ready(fingerprint)
    copy = snapshot.load(cache.catalogue_file(pg_url), fingerprint)
    assert copy is not None and copy.fingerprint == fingerprint and copy.packs
    kept = snapshot.KeptCopy.read(cache.catalogue_file(pg_url))
    assert kept is not None and kept.fingerprint() == fingerprint
    store.close()


def test_the_app_runs_on_the_server(pg_url, qtbot, tmp_path):
    from desk.db.store import Store
    from desk.settings import Settings
    from desk.ui.main_window import MainWindow

    store = Store.open(pg_url)
    window = MainWindow(store=store, settings=Settings(tmp_path / "s.json"), today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.engine_loaded, timeout=10_000):   # the first view, then the engine
        window.show()
    from desk.ui.results_model import GROUPS

    assert window.results.model.rowCount() == len(GROUPS) and "データ" in window.data_status.text()
    window.close()
    store.close()


def test_the_log_service_pages_and_counts_on_the_server(pg_url):
    """The per-day grouping and the eligible counts are SQL of each dialect: the same answers as on SQLite."""
    from desk.db.store import Store
    from tests.db.test_log_service import fill

    store = Store.open(pg_url)
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM consultation"))
    made = fill(store)
    counts = store.log.counts()
    assert counts.total == 5 and counts.per_day == {"2026-11-21": 2, "2026-11-22": 3}
    first = store.log.page(limit=3)
    rest = store.log.page(limit=3, after=first.next)
    assert rest.next is None and len(first.rows + rest.rows) == 5
    assert first.rows[0]["eligible"] == 1 and first.rows[0]["conditional"] == 2
    assert store.log.stored_result(made[0].id)["eligible"] == ["kanagawa.nissan.main"]
    store.close()
