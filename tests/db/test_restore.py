"""`desk db restore`: only a desk database that opens, checks and reads; the retention rule
applied before it is used (issue 15, item 5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3

import pytest

from desk import paths
from desk.cli import main
from desk.db import backup, setup
from desk.db.migrations import HEAD_REVISION
from desk.db.restore import RestoreRefused, restore
from desk.db.urls import plain_sqlite_file
from desk.intake.reader import read_intake
from desk.log import records
from tests import answers

DEVICE = "6f1c2a9e-0000-4000-8000-000000000000"


def _url(engine) -> str:
    return engine.url.render_as_string()


def _count(engine, table: str) -> int:
    with sqlite3.connect(plain_sqlite_file(_url(engine))) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _digest(engine) -> str:
    return hashlib.sha256(plain_sqlite_file(_url(engine)).read_bytes()).hexdigest()


def _log(engine, name: str, days_ago: int) -> None:
    from desk.db.consultations import OrmLogWriter
    from desk.db.engine import session_factory

    records.record(OrmLogWriter(session_factory(engine)), report=answers.report(), device=DEVICE,
                   intake=read_intake({"business_name": "事業者", "visitor_name": name, "visitor_phone": "090"}).intake,
                   window_name=None, staff_name=None, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago))


def test_restore_puts_the_content_back_and_keeps_what_was_there(catalogue_engine):
    url = _url(catalogue_engine)
    saved = backup.backup(url, "manual")
    with sqlite3.connect(plain_sqlite_file(url)) as c:
        c.execute("DELETE FROM office")
    done = restore(url, saved, retention_days=0)
    assert _count(catalogue_engine, "office") > 700
    with sqlite3.connect(done.safety) as c:
        assert c.execute("SELECT count(*) FROM office").fetchone()[0] == 0     # what was there, kept
    assert setup.check(catalogue_engine).ok
    assert [p.name for p in plain_sqlite_file(url).parent.glob(".*restore*")] == []   # no working copy left


def _fakes(tmp_path, _catalogue_file) -> dict:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    shell = tmp_path / "shell.sqlite3"          # the adversarial run's fake: a version table only
    with sqlite3.connect(shell) as c:
        c.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        c.execute("INSERT INTO alembic_version VALUES (?)", (HEAD_REVISION,))
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(_catalogue_file, newer)
    with sqlite3.connect(newer) as c:
        c.execute("UPDATE alembic_version SET version_num = '0999'")
    empty_desk = tmp_path / "empty-desk.sqlite3"
    shutil.copyfile(_catalogue_file, empty_desk)
    with sqlite3.connect(empty_desk) as c:
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("DELETE FROM data_pack")
    broken = tmp_path / "broken-refs.sqlite3"
    shutil.copyfile(_catalogue_file, broken)
    with sqlite3.connect(broken) as c:
        c.execute("UPDATE program SET provider_id = 'gone' WHERE rowid = (SELECT min(rowid) FROM program)")
    bad_json = tmp_path / "bad-json.sqlite3"
    shutil.copyfile(_catalogue_file, bad_json)
    with sqlite3.connect(bad_json) as c:
        c.execute("UPDATE provider SET general_conditions = 'not json {'")
    return {junk: "SQLite のデータベースとして読めません", other: "desk のデータベースではありません",
            shell: "desk の表がありません", newer: "新しい版の desk", empty_desk: "カタログがありません",
            broken: "provider 'gone'", bad_json: "読(み込)?めません",
            tmp_path / "missing.sqlite3": "ファイルがありません"}


def test_restore_refuses_what_is_not_a_usable_desk_database(catalogue_engine, tmp_path, _catalogue_file):
    url = _url(catalogue_engine)
    before = _digest(catalogue_engine)
    for path, words in _fakes(tmp_path, _catalogue_file).items():
        with pytest.raises(RestoreRefused, match=words):
            restore(url, path, retention_days=0)
        assert _digest(catalogue_engine) == before, path.name
    assert backup.list_backups() == []          # nothing backed up for a refusal either


def test_cli_restore_of_the_fake_is_one_line_exit_2(catalogue_engine, tmp_path, _catalogue_file, capsys):
    fakes = _fakes(tmp_path, _catalogue_file)
    shell = next(p for p in fakes if p.name == "shell.sqlite3")
    assert main(["--db", _url(catalogue_engine), "db", "restore", str(shell)]) == 2
    err = capsys.readouterr().err
    assert "desk の表がありません" in err and "データベースは変わっていません" in err
    assert len(err.strip().splitlines()) == 1 and _count(catalogue_engine, "program") > 40


def test_a_backup_from_before_a_purge_does_not_bring_names_back(catalogue_engine, capsys):
    url = _url(catalogue_engine)
    _log(catalogue_engine, "来訪者甲乙丙", days_ago=400)
    _log(catalogue_engine, "佐藤", days_ago=10)
    saved = backup.backup(url, "manual")
    settings = paths.get().settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"personal_retention_days": 365}), encoding="utf-8")
    assert main(["--db", url, "db", "restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "保存期間（365 日）を過ぎた 1 件の記録" in out
    with sqlite3.connect(plain_sqlite_file(url)) as c:
        names = sorted(r[0] or "" for r in c.execute("SELECT visitor_name FROM consultation"))
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")     # the restored pages into the file itself
    assert names == ["", "佐藤"]
    assert "来訪者甲乙丙".encode() not in plain_sqlite_file(url).read_bytes()     # not in a freed page either


def test_an_older_desks_backup_is_migrated_on_the_copy(catalogue_engine, tmp_path, _catalogue_file):
    from alembic import command

    from desk.db import engine as db_engine

    old = tmp_path / "old.sqlite3"            # the catalogue as the desk before the last revision kept it
    shutil.copyfile(_catalogue_file, old)
    engine = db_engine.make_engine(db_engine.sqlite_url(old))
    config = setup._alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    assert setup.current_revision(engine) != HEAD_REVISION
    engine.dispose()
    before = len(backup.list_backups())
    restore(_url(catalogue_engine), old, retention_days=0)
    assert setup.current_revision(catalogue_engine) == HEAD_REVISION and setup.check(catalogue_engine).ok
    assert len(backup.list_backups()) == before + 1      # the safety backup only, no backup of the copy


def test_restore_does_not_overwrite_another_applications_file(catalogue_engine, tmp_path):
    saved = backup.backup(_url(catalogue_engine), "manual")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE notes (body TEXT)")
    before = other.read_bytes()
    with pytest.raises(RestoreRefused, match="desk のデータベースではありません"):
        restore(f"sqlite:///{other}", saved, retention_days=0)
    assert other.read_bytes() == before
