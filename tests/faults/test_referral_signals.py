"""A consultation is logged exactly when its sheet exists (issue 15, item 16): `desk referral`
processes get a real SIGTERM, SIGHUP or SIGKILL at each point of their work (before and after
the record's commit, while the PDF is made, before and after the sheet's rename); a sheet that
cannot be written while another process holds the database keeps no record either.

SIGTERM and SIGHUP are a clean interruption (no record, no sheet, exit 128+N) unless the sheet
was already being put in place (then both, exit 0). After a SIGKILL the next desk command
settles the note the killed process left (desk.sheets.pending). `-m slow` tries every pair."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INTAKE = REPO / "examples" / "intakes" / "sagamihara-shop.json"
POINTS = ("recording", "recorded", "rendering", "writing", "replacing", "renamed", "written")
SIGNALS = ("TERM", "HUP", "KILL")
QUICK = [("recorded", "TERM"), ("rendering", "HUP"), ("replacing", "KILL")]
# The next command that opens the log for writing settles what a killed referral left: this one
# is the quickest (no catalogue loaded), and clears nothing (no record is a century old).
SETTLE = ["log", "purge", "--older-than", "36500"]


def _env(base: Path) -> dict[str, str]:
    return {**os.environ, "DESK_BASEDIR": str(base), "PYTHONPATH": str(REPO)}


def _records(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM consultation").fetchone()[0]


def _temporaries(sheet: Path) -> list[str]:
    # The atomic write's temporary file holds the visitor's name: never left behind.
    return [p.name for p in sheet.parent.glob("*.tmp")] if sheet.parent.is_dir() else []


def _one(template: Path, folder: Path, point: str, name: str) -> dict:
    folder.mkdir()
    db, out = folder / "desk.sqlite3", folder / "out" / "sheet.pdf"
    shutil.copyfile(template, db)
    out.parent.mkdir()
    run = subprocess.run([sys.executable, "-m", "tests.faults.referral_driver", str(db), str(INTAKE), str(out), point,
                          name], cwd=REPO, env=_env(folder / "base"), capture_output=True, text=True, timeout=120)
    state = {"code": run.returncode, "stderr": run.stderr, "sheet": out.exists(), "records": _records(db),
             "temporaries": _temporaries(out)}
    # The next command (any that opens the log) settles what a killed referral left.
    later = subprocess.run([sys.executable, "-m", "desk", "--db", str(db), *SETTLE], cwd=REPO,
                           env=_env(folder / "base"), capture_output=True, text=True, timeout=120)
    state.update(later_code=later.returncode, later_records=_records(db), later_stderr=later.stderr,
                 later_temporaries=_temporaries(out),
                 notes=sorted(p.name for p in (folder / "base" / "data" / "pending-sheets").glob("*.json")))
    return state


def _check(point: str, name: str, state: dict) -> None:
    where = f"{name} at {point}: {state['stderr'][-300:]}"
    assert "Traceback" not in state["stderr"], where
    assert state["later_temporaries"] == [], where
    if name != "KILL":
        assert state["temporaries"] == [], where
        signum = getattr(signal, f"SIG{name}")
        assert state["code"] in (0, 128 + signum), where
        # Consistent at once: the record exactly when the sheet.
        assert state["records"] == int(state["sheet"]), where
        if state["code"]:
            assert "中断しました" in state["stderr"] and len(state["stderr"].strip().splitlines()) == 1, where
    else:
        assert state["code"] == -signal.SIGKILL, where
    assert state["later_code"] == 0, state["later_stderr"]
    assert state["later_records"] == int(state["sheet"]), where
    assert state["notes"] == [], where


@pytest.mark.parametrize("cases", [pytest.param(QUICK, id="spread"),
                                   pytest.param(list(itertools.product(POINTS, SIGNALS)), id="every",
                                                marks=pytest.mark.slow)])
def test_a_signal_at_any_point_leaves_a_sheet_and_its_record_or_neither(_catalogue_file, tmp_path, reliability,
                                                                        cases):
    with ThreadPoolExecutor(max_workers=2) as pool:
        states = list(pool.map(lambda case: _one(_catalogue_file, tmp_path / f"{case[0]}-{case[1]}", *case), cases))
    for (point, name), state in zip(cases, states, strict=True):
        _check(point, name, state)
    reliability.add("referrals signalled (SIGTERM, SIGHUP, SIGKILL) at each point", runs=len(cases),
                    inconsistent=0)


def test_a_sheet_not_written_while_the_database_is_held_keeps_no_record(_catalogue_file, tmp_path):
    folder = tmp_path / "held"
    folder.mkdir()
    db = folder / "desk.sqlite3"
    shutil.copyfile(_catalogue_file, db)
    # The driver's HOLD: another process takes the write lock while the PDF is made, and the
    # sheet's write then fails as on a full disk (ENOSPC).
    run = subprocess.run([sys.executable, "-m", "tests.faults.referral_driver", str(db), str(INTAKE),
                          str(folder / "sheet.pdf"), "rendering", "HOLD"], cwd=REPO, env=_env(folder / "base"),
                         capture_output=True, text=True, timeout=120)
    holder = int(run.stdout.split("holder ")[1].split()[0])
    try:
        assert run.returncode == 1 and "Traceback" not in run.stderr
        assert "書き込めません" in run.stderr and "次に desk を使うときに取り消します" in run.stderr
        assert not (folder / "sheet.pdf").exists()
        assert "database is locked" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    finally:
        os.kill(holder, signal.SIGKILL)
    later = subprocess.run([sys.executable, "-m", "desk", "--db", str(db), *SETTLE], cwd=REPO,
                           env=_env(folder / "base"), capture_output=True, text=True, timeout=120)
    assert later.returncode == 0 and "1 件を取り消しました" in later.stderr
    assert _records(db) == 0


@pytest.mark.parametrize("name", ["TERM", "KILL"])
def test_an_app_ended_with_the_preview_open_leaves_no_record_after_the_next_start(_catalogue_file, tmp_path, name):
    # The app logs the consultation when the preview opens and keeps it once printed or saved; a
    # preview nobody printed, in an app ended by a signal, must not stay logged.
    db = tmp_path / "desk.sqlite3"
    shutil.copyfile(_catalogue_file, db)
    env = {**_env(tmp_path / "base"), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "tests.faults.app_preview_driver", str(db), str(INTAKE), name],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert "preview open" in run.stdout and run.returncode == -getattr(signal, f"SIG{name}"), run.stderr
    assert _records(db) == 1          # the process is gone with its record
    later = subprocess.run([sys.executable, "-m", "desk", "--db", str(db), *SETTLE], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    assert later.returncode == 0 and "1 件を取り消しました" in later.stderr
    assert _records(db) == 0
