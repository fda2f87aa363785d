"""Another process holding the database past the busy timeout, a write clashing with a
constraint: each says what happened, not "cannot open the database" (issue 15, item 10)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk import cli
from desk.cli.common import database_problem
from desk.db import engine as db_engine
from desk.db import quick

HOLD = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE data_pack SET id = id")
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture
def held_database(tmp_path, _catalogue_file):
    """A database whose write lock another process holds (until the test ends)."""
    db = tmp_path / "desk.sqlite3"
    shutil.copyfile(_catalogue_file, db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield db
    holder.kill()
    holder.wait()


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(quick, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(db_engine, "BUSY_TIMEOUT_MS", 300)


def test_a_lock_held_past_the_timeout_says_so(held_database, short_busy_timeout, capsys):
    code = cli.main(["--db", str(held_database), "log", "purge", "--older-than", "0"])
    err = capsys.readouterr().err
    assert code == 1 and "ほかの desk の処理に使われていて" in err and "開けません" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_constraint_error_says_so(tmp_path):
    with sqlite3.connect(tmp_path / "x.sqlite3") as c:
        c.execute("CREATE TABLE t (n TEXT UNIQUE)")
        c.execute("INSERT INTO t VALUES ('1')")
        with pytest.raises(sqlite3.IntegrityError) as raised:
            c.execute("INSERT INTO t VALUES ('1')")
    said = database_problem(raised.value)
    assert "既にある記録と重なります" in said and "UNIQUE" in said and "開けません" not in said


def test_a_file_that_is_not_a_database_still_cannot_be_opened(tmp_path, capsys):
    junk = Path(tmp_path / "junk.sqlite3")
    junk.write_bytes(b"not a database" * 100)
    assert cli.main(["--db", str(junk), "programs"]) == 1
    assert "データベースを開けません" in capsys.readouterr().err
