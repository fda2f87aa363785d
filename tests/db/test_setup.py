"""Bringing a database up: migrations, the first-run fill, the checks."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk import paths
from desk.db import engine as db_engine
from desk.db import models as m
from desk.db import setup
from tests.conftest import PACKS_DIR


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


def test_upgrade_brings_newer_bundled_packs_but_keeps_admin_edits(tmp_path, monkeypatch):

    resources = tmp_path / "resources"
    shutil.copytree(PACKS_DIR.parent, resources)
    monkeypatch.setenv("DESK_RESOURCES", str(resources))
    paths.init(tmp_path / "base")
    engine = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "u.sqlite3"))
    setup.ensure_ready(engine)
    assert setup.update_bundled_packs(engine) == ([], [])       # nothing newer
    pack = resources / "data" / "kanagawa-contacts.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(re.sub(r'version: "([^"]+)"', 'version: "9999.1"', text, count=1), encoding="utf-8")
    updated, kept = setup.update_bundled_packs(engine)
    assert [(u.pack_id, u.version) for u in updated] == [("kanagawa-contacts", "9999.1")] and kept == []
    with Session(engine) as s, s.begin():
        s.get(m.Office, "yokosuka-cci").edited_at = dt.datetime.now(dt.UTC)
    pack.write_text(re.sub(r'version: "([^"]+)"', 'version: "9999.2"', text, count=1), encoding="utf-8")
    updated, kept = setup.update_bundled_packs(engine)
    assert updated == [] and kept and kept[0].startswith("kanagawa-contacts: 管理画面での編集があるため")
