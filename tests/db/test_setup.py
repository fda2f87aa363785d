"""Bringing a database up: migrations, the first-run fill, the checks."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import engine as db_engine
from desk.db import models as m
from desk.db import setup


def test_head_revision_constant_matches_the_migration_scripts():
    assert setup.head_revision() == setup.script_head_revision()


def test_the_migrated_schema_matches_the_models(empty_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with empty_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), m.Base.metadata)
    assert diff == []


def test_ensure_ready_migrates_and_fills_once(tmp_path):
    engine = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "new.sqlite3"))
    assert setup.current_revision(engine) is None
    first = setup.ensure_ready(engine)
    assert {s.pack_id for s in first} >= {"kanagawa-fy2026", "sagamihara-fy2025", "national-directory"}
    assert setup.current_revision(engine) == setup.head_revision()
    assert setup.ensure_ready(engine) == []  # nothing re-imported on the next start
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Program)) > 40
    assert setup.check(engine).ok


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    engine = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "p.sqlite3"))
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_database_url_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("DESK_DATABASE_URL", "sqlite:///from-env.sqlite3")
    assert db_engine.resolve_database_url(cli_db="cli.sqlite3", setting="sqlite:///s") .endswith("/cli.sqlite3")
    assert db_engine.resolve_database_url(setting="sqlite:///s") == "sqlite:///from-env.sqlite3"
    monkeypatch.delenv("DESK_DATABASE_URL")
    assert db_engine.resolve_database_url(setting="sqlite:///s") == "sqlite:///s"
    assert db_engine.resolve_database_url().endswith("/data/desk.sqlite3")
