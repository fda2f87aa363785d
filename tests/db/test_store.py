"""The store: the quick path for a ready SQLite file, the ORM for everything else."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from desk.db import admin, cache, urls
from desk.db.store import Store
from desk.intake.reader import read_intake

REPO = Path(__file__).resolve().parents[2]
ON = dt.date(2026, 11, 22)


def test_a_ready_sqlite_file_runs_quick_and_sees_admin_edits(catalogue_engine):
    store = Store.for_engine(catalogue_engine)
    assert store.is_quick
    intake = read_intake({"municipality": "横須賀市"}).intake
    first = store.matcher.match(intake, on=ON)
    admin.update_office(store.make_session, "kanagawa-cgc.yokosuka", {"phone": "046-822-9999"})
    second = store.matcher.match(intake, on=ON)
    phone = {c.id: c.phone for c in second.contacts}["kanagawa-cgc.yokosuka"]
    assert phone == "046-822-9999" and first.contacts != second.contacts
    store.close()


def test_a_new_database_is_made_then_runs_quick(tmp_path):
    url = urls.sqlite_url(tmp_path / "new.sqlite3")
    store = Store.open(url)              # migrates and fills from the bundled packs
    assert store.is_quick
    assert store.matcher.loaded().catalogue.variant("kanagawa.nissan.main") is not None
    store.close()
    assert (tmp_path / "new.sqlite3").stat().st_mode & 0o777 == 0o600


def _run(*argv: str, basedir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DESK_BASEDIR": str(basedir)}
    probe = ("import runpy, sys; sys.argv = ['desk', *sys.argv[1:]];\n"
             "try:\n    runpy.run_module('desk', run_name='__main__')\n"
             "finally:\n"
             "    print('web:', [m for m in ('urllib.request', 'http.client') if m in sys.modules], file=sys.stderr)\n"
             "    print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'NO-SQLALCHEMY', file=sys.stderr)")
    return subprocess.run([sys.executable, "-c", probe, *argv], cwd=REPO, env=env, capture_output=True, text=True)


def test_referral_takes_the_quick_path_once_the_copy_is_made(tmp_path):
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"municipality": "横須賀市", "industry": "manufacturing"}), encoding="utf-8")
    base = tmp_path / "base"
    first = _run("referral", str(intake), "-o", str(tmp_path / "a.pdf"), "--date", "2026-11-22", basedir=base)
    assert first.returncode == 0, first.stderr
    assert "SQLALCHEMY" in first.stderr.splitlines()[-1]        # first run: migrate, fill, make the copy
    second = _run("referral", str(intake), "-o", str(tmp_path / "b.pdf"), "--date", "2026-11-22", basedir=base)
    assert second.returncode == 0, second.stderr
    assert second.stderr.splitlines()[-2:] == ["web: []", "NO-SQLALCHEMY"]   # nor a web client (21 ms)
    assert "-002）" in second.stdout                              # logged after the first
    log = _run("match", str(intake), "--json", "--date", "2026-11-22", basedir=base)
    assert log.stderr.splitlines()[-1] == "NO-SQLALCHEMY" and json.loads(log.stdout)["programs"]


def test_db_upgrade_and_import_leave_a_current_copy(tmp_path):
    from desk.cli import main
    from desk.db import snapshot
    from desk.db.store import Store

    db = tmp_path / "d.sqlite3"
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    store = Store.open(urls.sqlite_url(db))
    fingerprint = store.fingerprint()
    assert snapshot.load(cache.catalogue_file(store.url), fingerprint) is not None
    store.close()


def test_the_app_is_ready_before_the_engine_is_loaded(tmp_path):
    """`desk` shows its window and first results without the catalogue or the engine (the
    first view), and loads them right after; the first start of a day makes the view. With no
    draft of an earlier form, the start only looked for its file (desk.intake.draft reads one).
    Resolving places waits for the first place typed, and no QStyle reaches Python (its enums
    alone were 8 ms of the start)."""
    base = tmp_path / "base"
    script = ("import sys\nfrom desk.cli import main\ncode = main(sys.argv[1:])\n"
              "import PySide6.QtWidgets as widgets\n"
              "print(sorted(m for m in ('desk.matching.engine', 'desk.db.snapshot', 'sqlalchemy', 'desk.intake.draft',"
              " 'desk.intake.places') if m in sys.modules) + ['QStyle'] * ('QStyle' in vars(widgets)))\n"
              "sys.exit(code)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def start(flag: str) -> str:
        run = subprocess.run([sys.executable, "-c", script, "--basedir", str(base), flag], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert _run("db", "upgrade", basedir=base).returncode == 0
    made = "['desk.db.snapshot', 'desk.intake.places', 'desk.matching.engine']"
    assert start("--exit-when-ready") == made   # the day's first
    assert start("--exit-when-ready") == "[]"
    assert start("--exit-when-loaded") == made


def test_a_catalogue_broken_outside_desk_is_one_line_not_a_key_error(tmp_path, _catalogue_file, capsys):
    # A program whose provider was deleted with foreign keys off: every match ended in KeyError
    # (issue 15, item 12).
    import shutil
    import sqlite3

    from desk import cli
    from tests.conftest import REPO

    db = tmp_path / "broken.sqlite3"
    shutil.copyfile(_catalogue_file, db)
    with sqlite3.connect(db) as c:
        c.execute("UPDATE program SET provider_id = 'gone' WHERE rowid = (SELECT min(rowid) FROM program)")
    code = cli.main(["--db", str(db), "match", str(REPO / "examples" / "intakes" / "sagamihara-shop.json")])
    err = capsys.readouterr().err
    assert code == 1 and "カタログが壊れています" in err and "'gone'" in err and "KeyError" not in err
