"""Several desk processes of one user writing consultations into one SQLite file at once:
no "database is locked" reaches anyone, no record is lost, no number is issued twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.db import urls

REPO = Path(__file__).resolve().parents[2]


def start_writers(url: str, kinds: list[str], count: int, basedir: Path) -> list[subprocess.Popen]:
    env = {**os.environ, "DESK_BASEDIR": str(basedir)}
    start_at = time.time() + 1.5     # every process imported and waiting before the first write
    return [subprocess.Popen([sys.executable, "-m", "tests.faults.log_writer", url, str(count), kind, str(start_at)],
                             cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for kind in kinds]


@pytest.mark.parametrize("count", [pytest.param(40, id="short"), pytest.param(400, id="soak", marks=pytest.mark.slow)])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_four_processes_log_at_once_and_nothing_is_lost(backend, _catalogue_file, tmp_path, reliability, count,
                                                        request):
    if backend == "sqlite":
        db = tmp_path / "desk.sqlite3"
        shutil.copyfile(_catalogue_file, db)
        url = urls.sqlite_url(db)
        kinds = ["quick", "orm", "quick", "orm"]      # the app and the CLI (quick), the log screens (ORM)
    else:
        from desk.db import engine as db_engine
        from desk.db import setup

        url = request.getfixturevalue("pg_server").create_database()
        engine = db_engine.make_engine(url)
        setup.upgrade(engine)
        engine.dispose()
        kinds = ["orm"] * 4                           # counters sharing one server
    processes = start_writers(url, kinds, count, tmp_path / "base")
    errors = []
    for process in processes:
        _out, err = process.communicate(timeout=300)
        if process.returncode != 0 or err.strip():
            errors.append(err.strip())
    assert errors == []
    numbers = _reference_numbers(url)
    assert len(numbers) == len(kinds) * count
    assert len(set(numbers)) == len(numbers)
    where = "one SQLite file" if backend == "sqlite" else "one PostgreSQL server"
    reliability.add(f"concurrent writers (4 processes, {where})", writes=len(numbers),
                    errors=len(errors), records_lost=len(kinds) * count - len(numbers))


def _reference_numbers(url: str) -> list[str]:
    from sqlalchemy import text

    from desk.db import engine as db_engine

    engine = db_engine.make_engine(url)
    with engine.connect() as c:
        numbers = list(c.execute(text("SELECT reference_no FROM consultation")).scalars())
    engine.dispose()
    return numbers
