"""Databases desk must not open: another application's SQLite file (refused untouched, exit 2),
a newer desk's (one line saying so, exit 1), in every command and in the app (issue 15,
items 6 and 17)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from desk import cli
from desk.db import engine as db_engine
from desk.db import setup
from desk.db.guard import ForeignDatabase, NewerDatabase
from tests.conftest import PACKS_DIR, REPO

COMMANDS = [["programs"], ["db", "upgrade"], ["db", "check"], ["import", str(PACKS_DIR / "common.yaml")],
            ["match", str(REPO / "examples" / "intakes" / "sagamihara-shop.json")],
            ["log", "purge", "--older-than", "1"]]


def _digest(path) -> str:
    return "".join(hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.iterdir()))


@pytest.fixture
def other_application(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        c.execute("INSERT INTO notes (body) VALUES ('大事なメモ')")
    return path


@pytest.fixture
def newer(tmp_path, _catalogue_file):
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(_catalogue_file, path)
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA journal_mode=DELETE")
        c.execute("UPDATE alembic_version SET version_num = '0999'")
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_another_applications_file_is_refused_untouched(capsys, other_application, command):
    before = _digest(other_application)
    code = cli.main(["--db", str(other_application), *command])
    err = capsys.readouterr().err
    assert code == 2 and "desk のデータベースではありません" in err and "notes" in err
    assert len(err.strip().splitlines()) == 1
    assert _digest(other_application) == before      # no table, no WAL header, no -wal file


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_newer_desks_database_is_one_line(capsys, newer, command):
    before = _digest(newer)
    code = cli.main(["--db", str(newer), *command])
    err = capsys.readouterr().err
    assert code == 1 and "新しい版の desk で書かれています" in err and "0999" in err
    assert len(err.strip().splitlines()) == 1 and "alembic" not in err.lower()
    assert _digest(newer) == before


def test_the_app_says_so_too(newer):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "desk", "--db", str(newer), "--exit-when-ready"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "新しい版の desk" in done.stderr and "Traceback" not in done.stderr


def test_an_empty_file_and_desks_own_older_database_are_opened(tmp_path, capsys):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert cli.main(["--db", str(empty), "db", "upgrade"]) == 0
    assert setup.current_revision(db_engine.make_engine(db_engine.sqlite_url(empty))) == setup.head_revision()


@pytest.mark.parametrize("tables, revision, refused", [
    ({"notes"}, None, ForeignDatabase), ({"alembic_version"}, "0999", NewerDatabase),
    ({"sqlite_sequence"}, None, None), (set(), None, None), ({"alembic_version"}, "0003", None)])
def test_the_same_rule_for_any_database(tables, revision, refused):
    from desk.db.guard import check_tables

    if refused is None:
        check_tables("db", tables, revision)
    else:
        with pytest.raises(refused):
            check_tables("db", tables, revision)


def test_a_newer_revision_on_postgresql_is_refused_before_migrating(pg_url):
    engine = db_engine.make_engine(pg_url)
    setup.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(NewerDatabase):
        setup.ensure_ready(engine)
    engine.dispose()


def test_the_app_shows_it_in_a_box_when_started_from_a_desktop(newer, monkeypatch, capsys):
    from PySide6.QtWidgets import QMessageBox

    from desk.ui import app

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append((title, text))))
    # Not the real application set-up: its UI font would stay for the rest of the test session.
    monkeypatch.setattr(app, "create_application", lambda: None)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert cli.main(["--db", str(newer)]) == 1
    assert len(shown) == 1 and "新しい版の desk" in shown[0][1]
    assert "新しい版の desk" in capsys.readouterr().err


@pytest.fixture
def behind_for_a_window(tmp_path, monkeypatch):
    """A database a revision behind, opened by a role that may not migrate it (a window's on a
    shared server: what PostgreSQL says is stood in for, so that this runs without a server)."""
    path = tmp_path / "behind.sqlite3"
    engine = db_engine.make_engine(db_engine.sqlite_url(path))
    setup.upgrade(engine, "0009")
    engine.dispose()
    monkeypatch.setattr(setup, "may_migrate", lambda engine: False)
    monkeypatch.setattr(setup, "_role", lambda engine: "w_yokosuka")
    monkeypatch.setattr(setup, "_schema_owner", lambda engine: "desk_admin", raising=False)
    return path


@pytest.mark.parametrize("command", [["db", "upgrade"], ["log", "stats"], ["log", "search"], ["programs"]],
                         ids=lambda c: " ".join(c))
def test_a_window_on_a_schema_behind_is_told_the_administrator_must_upgrade(behind_for_a_window, capsys, command):
    from desk.db.migrations import HEAD_REVISION

    code = cli.main(["--db", str(behind_for_a_window), *command])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert f"（現在 0009、この desk は {HEAD_REVISION}）" in err and "w_yokosuka では更新できません" in err
    assert "サーバーの管理者が desk_admin のロールで desk db upgrade を実行してから" in err
    engine = db_engine.make_engine(db_engine.sqlite_url(behind_for_a_window))
    assert setup.current_revision(engine) == "0009"            # untouched
    engine.dispose()


def test_the_app_opens_held_back_saying_the_same_line(behind_for_a_window, monkeypatch, capsys):
    """Not a box in place of the window (issue 17): the window opens held back from the database, and
    says the line (tests/db/test_server_roles.py drives that window on a real server)."""
    import gc

    import desk.ui.app

    shown: list[str] = []
    started: list[object] = []
    monkeypatch.setattr(desk.ui.app, "show_start_problem", shown.append)
    monkeypatch.setattr(desk.ui.app, "run_app", lambda *, store, **_: gc.enable() or started.append(store) or 0)
    assert cli.main(["--db", str(behind_for_a_window)]) == 0
    err = capsys.readouterr().err
    assert shown == [] and len(started) == 1 and err.startswith("desk: 警告: ") and err.count("\n") == 1
    behind = getattr(started[0], "schema_behind", None)
    assert behind is not None and behind.line in err and "desk_admin のロールで desk db upgrade" in behind.line
    assert behind.catalogue_saved is None      # nothing kept on this disk: the window shows no results
    engine = db_engine.make_engine(db_engine.sqlite_url(behind_for_a_window))
    assert setup.current_revision(engine) == "0009"            # untouched
    engine.dispose()


def test_db_check_tells_a_window_who_can_upgrade(behind_for_a_window, capsys):
    assert cli.main(["--db", str(behind_for_a_window), "db", "check"]) == 0
    err = capsys.readouterr().err
    assert "このロールでは更新できません" in err and "desk_admin のロールで desk db upgrade" in err
