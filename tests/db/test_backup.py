"""Backups: before migrations and imports, rotated, private; restore puts the content back."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import SQLAlchemyError

from desk.cli import main
from desk.db import backup, setup
from desk.db.urls import plain_sqlite_file
from tests.conftest import PACKS_DIR


def _url(engine) -> str:
    return engine.url.render_as_string()


def _count(engine, table: str) -> int:
    with sqlite3.connect(plain_sqlite_file(_url(engine))) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_an_import_is_preceded_by_a_private_backup(catalogue_engine):
    assert backup.list_backups() == []
    setup.import_files(catalogue_engine, [PACKS_DIR / "common.yaml"])
    (made,) = backup.list_backups()
    assert made.reason == "before-import"
    assert made.path.stat().st_mode & 0o777 == 0o600 and made.path.parent.stat().st_mode & 0o777 == 0o700
    with sqlite3.connect(made.path) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM data_pack").fetchone()[0] == _count(catalogue_engine, "data_pack")


def test_a_first_fill_needs_no_backup(empty_engine):
    setup.ensure_ready(empty_engine)
    assert backup.list_backups() == []


def test_a_migration_of_an_older_database_is_preceded_by_a_backup(catalogue_engine):
    with sqlite3.connect(plain_sqlite_file(_url(catalogue_engine))) as c:
        c.execute("UPDATE alembic_version SET version_num = '0005'")
    with pytest.raises(SQLAlchemyError):   # 0006 adds columns that are there already
        setup.upgrade(catalogue_engine)        # the migration fails and rolls back, after the backup
    assert [b.reason for b in backup.list_backups()] == ["before-migration-0005"]


def test_backups_rotate(catalogue_engine):
    for _ in range(backup.KEEP + 3):
        backup.backup(_url(catalogue_engine), "manual")
    assert len(backup.list_backups()) == backup.KEEP


def test_cli_backup_list_and_restore(catalogue_engine, capsys):
    url = _url(catalogue_engine)
    assert main(["--db", url, "db", "backup"]) == 0
    path = capsys.readouterr().out.strip()
    assert main(["--db", url, "db", "backups"]) == 0 and path in capsys.readouterr().out
    assert main(["--db", url, "db", "restore", path]) == 0
    assert "から戻しました" in capsys.readouterr().out
    assert main(["--db", "postgresql+psycopg://u@localhost/x", "db", "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err
