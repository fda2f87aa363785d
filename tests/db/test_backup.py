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


def _log(engine, name: str, days_ago: int) -> None:
    import datetime as dt

    from desk.db.consultations import OrmLogWriter
    from desk.db.engine import session_factory
    from desk.intake.reader import read_intake
    from desk.log import records
    from tests import answers

    intake = read_intake({"business_name": "事業者", "visitor_name": name, "visitor_phone": "090-1"}).intake
    records.record(OrmLogWriter(session_factory(engine)), report=answers.report(),
                   device="6f1c2a9e-0000-4000-8000-000000000000", window_name=None, staff_name=None, intake=intake,
                   now=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago))


def _names_in(path) -> list[str]:
    with sqlite3.connect(path) as c:
        return sorted(r[0] or "" for r in c.execute("SELECT visitor_name FROM consultation"))


def test_log_purge_clears_the_backups_too_and_says_so(catalogue_engine, capsys):
    # Backups kept names and phones after `desk log purge` (issue 15, item 13).
    url = _url(catalogue_engine)
    _log(catalogue_engine, "来訪者甲乙丙", days_ago=400)
    _log(catalogue_engine, "来訪者丁戊", days_ago=10)
    made = [backup.backup(url, "manual"), backup.backup(url, "before-import")]
    assert main(["--db", url, "log", "purge", "--older-than", "365"]) == 0
    out = capsys.readouterr().out
    assert "1 件の記録から個人情報を消しました" in out
    assert "バックアップ 2 個も確かめ、2 個から 2 件の記録の個人情報を消して書き直しました" in out
    for path in made:
        assert _names_in(path) == ["", "来訪者丁戊"]
        assert "来訪者甲乙丙".encode() not in path.read_bytes()       # not in a free page either
        assert path.stat().st_mode & 0o777 == 0o600
    # Again: nothing left anywhere, and it says so.
    assert main(["--db", url, "log", "purge", "--older-than", "365"]) == 0
    assert "0 個から 0 件" in capsys.readouterr().out


def test_the_store_clears_the_backups_on_request(catalogue_engine):
    from desk.db.store import Store

    url = _url(catalogue_engine)
    _log(catalogue_engine, "来訪者甲乙丙", days_ago=400)
    saved = backup.backup(url, "manual")
    store = Store.open(url)
    assert store.purge_personal_details(older_than_days=365) == 1
    assert _names_in(saved) == ["来訪者甲乙丙"]          # the database only: the app does the rest off its thread
    done = store.purge_backups(older_than_days=365)
    assert done is not None and done.records == 1 and _names_in(saved) == [""]


def test_a_backup_from_before_the_purge_flags_is_cleared_too(catalogue_engine):
    import datetime as dt

    url = _url(catalogue_engine)
    _log(catalogue_engine, "来訪者甲乙丙", days_ago=400)
    saved = backup.backup(url, "manual")
    with sqlite3.connect(saved) as c:       # revision 0005's table: no purged flags
        c.execute("ALTER TABLE consultation DROP COLUMN visitor_name_purged")
        c.execute("ALTER TABLE consultation DROP COLUMN visitor_phone_purged")
    done = backup.purge_backups(dt.datetime.now(dt.UTC) - dt.timedelta(days=365))
    assert (done.files, done.rewritten, done.records) == (1, 1, 1) and _names_in(saved) == [""]
