"""A desk process killed (SIGKILL) in the middle of an import, a migration or a log write
leaves the database as it was before the operation, or as after it, never in between; and
`desk db check` passes. Real subprocesses are killed just before their Nth SQL statement
(BEGIN and COMMIT included), at points spread over the whole operation; `-m slow` tries
every point."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desk.db import engine as db_engine
from desk.db import setup
from desk.db.migrations import HEAD_REVISION
from tests.conftest import PACKS_DIR

REPO = Path(__file__).resolve().parents[2]
QUICK_POINTS = 5


def _drive(operation: str, db: Path, kill_at: int, *packs: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DESK_BASEDIR": str(db.parent / "base")}
    return subprocess.run([sys.executable, "-m", "tests.faults.kill_driver", operation, str(db), str(kill_at),
                           *map(str, packs)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def _points(total: int, every: bool) -> list[int]:
    if every or total <= QUICK_POINTS:
        return list(range(1, total + 1))
    step = (total - 1) / (QUICK_POINTS - 1)
    return sorted({1 + round(i * step) for i in range(QUICK_POINTS)})


EVERY = pytest.mark.parametrize("every", [pytest.param(False, id="spread"),
                                          pytest.param(True, id="every-point", marks=pytest.mark.slow)])


def _check(db: Path) -> setup.CheckResult:
    engine = db_engine.make_engine(db_engine.sqlite_url(db))
    try:
        return setup.check(engine)
    finally:
        engine.dispose()


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchall()


def _statements(template: Path, operation: str, tmp_path: Path, *packs: Path) -> int:
    """How many statements the whole operation runs (a run on a copy, not killed)."""
    probe = tmp_path / f"probe-{operation}"
    probe.mkdir()
    shutil.copyfile(template, probe / "desk.sqlite3")
    done = _drive(operation, probe / "desk.sqlite3", 0, *packs)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def _kill_at_points(template: Path, operation: str, points: list[int], tmp_path: Path, *packs: Path):
    """Copy the database, run the operation killed at each point; yields (point, db, run)."""
    def one(point: int):
        folder = tmp_path / f"kill-{operation}-{point}"
        folder.mkdir()
        db = folder / "desk.sqlite3"
        shutil.copyfile(template, db)
        return point, db, _drive(operation, db, point, *packs)

    with ThreadPoolExecutor(max_workers=2) as pool:
        yield from pool.map(one, points)


@pytest.fixture
def catalogue_file(_catalogue_file, tmp_path) -> Path:
    path = tmp_path / "template.sqlite3"
    shutil.copyfile(_catalogue_file, path)
    return path


def _changed_contacts_pack(folder: Path) -> Path:
    text = (PACKS_DIR / "kanagawa-contacts.yaml").read_text(encoding="utf-8")
    header_version = next(line for line in text.splitlines() if line.strip().startswith("version:"))
    changed = text.replace(header_version, '  version: "kill-test"', 1).replace("046-822-3821", "046-822-0000", 1)
    assert changed != text and "046-822-0000" in changed
    path = folder / "kanagawa-contacts.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


@EVERY
def test_a_killed_import_leaves_the_old_catalogue_or_the_new(every, catalogue_file, tmp_path, reliability):
    pack = _changed_contacts_pack(tmp_path)
    total = _statements(catalogue_file, "import", tmp_path, pack)
    whole = tmp_path / "probe-import"
    version_sql = "SELECT version FROM data_pack WHERE id = 'kanagawa-contacts'"
    phone_sql = "SELECT phone FROM office WHERE id = 'kanagawa-cgc.yokosuka'"
    old = (_rows(catalogue_file, version_sql), _rows(catalogue_file, phone_sql))
    new = (_rows(whole / "desk.sqlite3", version_sql), _rows(whole / "desk.sqlite3", phone_sql))
    assert old != new
    counts_sql = ("SELECT (SELECT count(*) FROM office), (SELECT count(*) FROM service_area),"
                  " (SELECT count(*) FROM data_pack)")
    expected_counts = _rows(catalogue_file, counts_sql)
    points = _points(total, every)
    outcomes = set()
    for point, db, run in _kill_at_points(catalogue_file, "import", points, tmp_path, pack):
        assert run.returncode == -signal.SIGKILL, (point, run.stderr)
        state = (_rows(db, version_sql), _rows(db, phone_sql))
        assert state in (old, new), f"killed before statement {point}: {state}"
        outcomes.add("old" if state == old else "new")
        assert _rows(db, counts_sql) == expected_counts
        result = _check(db)
        assert result.ok, (point, result.problems)
    assert "old" in outcomes
    reliability.add("kill: pack import", points=len(points), statements=total, broken=0)


@EVERY
def test_a_killed_migration_leaves_the_old_schema_or_the_new(every, tmp_path, reliability):
    template = tmp_path / "older.sqlite3"
    engine = db_engine.make_engine(db_engine.sqlite_url(template))
    # A database of the first schema holding a pack: filled at the head, then taken back (the
    # importer speaks the newest schema).
    setup.upgrade(engine)
    setup.import_files(engine, sorted(PACKS_DIR.glob("*.yaml")))   # common's plans name offices of the others
    from alembic import command

    config = setup._alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    engine.dispose()
    total = _statements(template, "migrate", tmp_path)
    index_sql = "SELECT name FROM sqlite_master WHERE name = 'ix_consultation_device_id_created_at'"
    situation_sql = "SELECT name FROM sqlite_master WHERE name = 'situation'"
    reading_sql = "SELECT name FROM pragma_table_info('municipality') WHERE name = 'reading'"
    reprint_sql = "SELECT name FROM pragma_table_info('consultation') WHERE name = 'reprint_count'"
    fee_table_sql = "SELECT name FROM sqlite_master WHERE name = 'fee_table'"
    window_sql = "SELECT name FROM sqlite_master WHERE name = 'service_window'"
    log_entry_sql = "SELECT name FROM sqlite_master WHERE name = 'log_entry'"
    follow_up_sql = "SELECT name FROM sqlite_master WHERE name = 'log_follow_up'"
    points = _points(total, every)
    for point, db, run in _kill_at_points(template, "migrate", points, tmp_path):
        assert run.returncode == -signal.SIGKILL, (point, run.stderr)
        (revision,), = _rows(db, "SELECT version_num FROM alembic_version")
        # Each revision whole or not at all: its marks are there exactly when its number is.
        marks = (bool(_rows(db, index_sql)), bool(_rows(db, situation_sql)), bool(_rows(db, reading_sql)),
                 bool(_rows(db, reprint_sql)), bool(_rows(db, fee_table_sql)), bool(_rows(db, window_sql)),
                 bool(_rows(db, log_entry_sql)), bool(_rows(db, follow_up_sql)))
        assert (revision, *marks) in (
            ("0001", False, False, False, False, False, False, False, False),
            ("0002", True, False, False, False, False, False, False, False),
            ("0003", True, True, False, False, False, False, False, False),
            ("0004", True, True, False, False, False, False, False, False),
            ("0005", True, True, True, False, False, False, False, False),
            ("0006", True, True, True, True, False, False, False, False),
            ("0007", True, True, True, True, True, False, False, False),
            ("0008", True, True, True, True, True, True, False, False),
            ("0009", True, True, True, True, True, True, True, False),
            ("0010", True, True, True, True, True, True, True, True),
            ("0011", True, True, True, True, True, True, True, True)), point   # keys made again: no mark
        assert _rows(db, "SELECT id, version FROM data_pack ORDER BY id") == _rows(
            template, "SELECT id, version FROM data_pack ORDER BY id")
        result = _check(db)
        assert result.ok, (point, result.problems)
        # ... and the next start migrates it.
        engine = db_engine.make_engine(db_engine.sqlite_url(db))
        setup.upgrade(engine)
        assert setup.check(engine).ok and setup.current_revision(engine) == HEAD_REVISION
        engine.dispose()
    reliability.add(f"kill: migration 0001 → {HEAD_REVISION}", points=len(points), statements=total, broken=0)


@EVERY
def test_a_killed_log_write_keeps_every_finished_record_and_no_half_one(every, catalogue_file, tmp_path, reliability):
    total = _statements(catalogue_file, "log", tmp_path)
    points = _points(total, every)
    lost = 0
    for point, db, run in _kill_at_points(catalogue_file, "log", points, tmp_path):
        assert run.returncode == -signal.SIGKILL, (point, run.stderr)
        finished = run.stdout.count("recorded ")
        rows = _rows(db, "SELECT reference_no, business_name, intake, result FROM consultation ORDER BY reference_no")
        lost += max(0, finished - len(rows))
        assert finished <= len(rows) <= finished + 1, (point, finished, rows)
        assert [r[0][-3:] for r in rows] == [f"{i:03d}" for i in range(1, len(rows) + 1)]
        assert all(r[2].startswith("{") and r[3].startswith("{") for r in rows)   # whole JSON, never half
        result = _check(db)
        assert result.ok, (point, result.problems)
    assert lost == 0
    reliability.add("kill: consultation log writes", points=len(points), statements=total, records_lost=lost)
