"""One hostile-input harness over every command of `desk` and every file it reads (issue 15).

The commands are read from the real parser (desk.cli.parser), so a command a later issue adds
is attacked as it lands: every path argument it takes is an input here unless it is listed in
OUTPUTS, whose attacks live in tests/faults/test_files.py. Each run is a real process; each must
end within its time, with exit 0, 1 or 2, no traceback, and any refusal as lines beginning with
「desk:」; the database it was given is byte for byte as it was.

Hostile things: the input files (missing, empty, garbage, not UTF-8, nested 100,000 deep, 2 MB of
one line, a folder, a FIFO, a character device, a symlink loop), the settings file (empty,
broken, not UTF-8, not an object, a FIFO), and the database (garbage, another application's
SQLite file, a folder, a FIFO; an empty file is a new database, not an attack). The default run
tries a representative few of each; `-m slow` every one against every command.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk.cli.parser import build_parser

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60
# Path arguments that are written, not read: attacked as outputs in tests/faults/test_files.py.
OUTPUTS = {("referral", "output"), ("handout", "output"), ("export", "directory"), ("log export", "file"),
           ("log csv", "file")}
# What each command needs beside the file under attack, to reach the point where it reads it.
EXTRA = {"referral": ["-o", "{tmp}/out.pdf"], "log purge": ["--older-than", "30"],
         "log export": ["{tmp}/log-export.json"], "handout": ["-o", "{tmp}/handout.pdf"],
         "export": ["{tmp}/exported"], "log csv": ["{tmp}/log.csv"],
         "log consent": ["20261201-ABCDE-001", "--no"], "log shared": ["20261201-ABCDE-001"],
         "log follow-up": ["20261201-ABCDE-001", "--status", "未定"],
         "log report": ["--month", "2026-11", "-o", "{tmp}/report.pdf"],
         "server add-window": ["window_x", "--title", "窓口"], "server remove-window": ["window_x"]}


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]                 # 「db restore」 is ("db", "restore")
    inputs: tuple[str, ...]                # its path arguments that are read

    @property
    def name(self) -> str:
        return " ".join(self.words)


def commands() -> list[Command]:
    """Every command of the parser, with the path arguments it reads."""
    found: list[Command] = []

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs and words:
            name = " ".join(words)
            paths = tuple(a.dest for a in parser._actions
                          if a.type is Path and (name, a.dest) not in OUTPUTS and not a.option_strings)
            found.append(Command(words, paths))
        for sub in subs:
            for word, child in sub.choices.items():
                walk(child, (*words, word))

    walk(build_parser(), ())
    return found


COMMANDS = commands()
READERS = [c for c in COMMANDS if c.inputs]


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def _make_input(kind: str, folder: Path, name: str) -> Path:
    path = folder / name
    if kind == "missing":
        return path
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        _garbage(path)
    elif kind == "not utf-8":
        path.write_bytes(b'{"business_name": "\xff\xfe\x80"}')
    elif kind == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif kind == "long line":
        path.write_text('{"x": "' + "あ" * 700_000 + '"}', encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.mknod(path, 0o600 | 0o020000, os.makedev(1, 5))   # /dev/zero's numbers
    elif kind == "symlink loop":
        path.symlink_to(path)
    return path


INPUT_KINDS = ("missing", "empty", "garbage", "not utf-8", "deep", "long line", "folder", "fifo", "device",
               "symlink loop")
QUICK_INPUT_KINDS = ("deep", "fifo")
SETTINGS_KINDS = ("empty", "broken", "not utf-8", "not an object", "fifo")
# An empty file is not hostile: it is a new database (issue 15: refuse a file that is "not empty and not desk's").
DATABASE_KINDS = ("garbage", "another application's", "folder", "fifo")


def _settings(kind: str, config: Path) -> None:
    config.mkdir(parents=True, exist_ok=True)
    path = config / "settings.json"
    if kind == "fifo":
        os.mkfifo(path)
        return
    path.write_bytes({"empty": b"", "broken": b'{"window_name": ', "not utf-8": b'{"staff_name": "\xff"}',
                      "not an object": b"[1, 2, 3]"}[kind])


def _database(kind: str, folder: Path) -> Path:
    path = folder / "hostile.sqlite3"
    if kind == "garbage":
        _garbage(path)
    elif kind == "another application's":
        with sqlite3.connect(path) as c:
            c.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
            c.execute("INSERT INTO recipes (name) VALUES ('肉じゃが')")
        c.close()
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    return path


def _fingerprint(path: Path) -> str:
    if path.is_fifo() or path.is_dir() or not path.exists():
        return f"{path.exists()}:{path.is_fifo()}:{path.is_dir()}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _args(command: Command, tmp: Path, attacked: Path | None) -> list[str]:
    args = [*command.words]
    args += [a.format(tmp=tmp) for a in EXTRA.get(command.name, [])]
    if attacked is not None:
        args += [str(attacked)] * len(command.inputs)
    elif command.inputs:   # a readable, valid input, so the command reaches what is under attack
        args += [str(_valid_input(command, tmp))] * len(command.inputs)
    return args


def _valid_input(command: Command, tmp: Path) -> Path:
    if command.name in ("match", "referral"):
        path = tmp / "intake.json"
        path.write_text('{"municipality": "横須賀市", "industry": "manufacturing"}', encoding="utf-8")
        return path
    if command.name in ("import", "validate"):
        return REPO / "resources" / "data" / "common.yaml"
    path = tmp / "empty-log.json"
    path.write_text('{"format": "desk-log/1", "records": []}', encoding="utf-8")
    return path


def _run(args: list[str], base: Path, db: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "desk", "--basedir", str(base), "--db", str(db), *args],
                          cwd=REPO, env=env, capture_output=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)


def _judge(what: str, done: subprocess.CompletedProcess[bytes]) -> list[str]:
    """What is wrong with how a command ended (nothing: an empty list)."""
    err = done.stderr.decode("utf-8", errors="replace")
    problems = []
    if done.returncode not in (0, 1, 2):
        problems.append(f"{what}: exit {done.returncode}")
    if "Traceback" in err:
        problems.append(f"{what}: a traceback: {err[-400:]}")
    if done.returncode != 0:
        lines = [line for line in err.splitlines() if line.strip()]
        if not lines or not lines[0].startswith("desk"):
            problems.append(f"{what}: exit {done.returncode} without a 「desk:」 line: {err[:200]!r}")
    return problems


def _scratch(tmp_path: Path, command: Command, kind: str, good_db: Path | None = None) -> tuple[Path, Path]:
    """A folder of one run's own (its base folder, its files), and a copy of the good database."""
    folder = tmp_path / f"{command.name.replace(' ', '-')}-{kind.replace(' ', '-')}"
    folder.mkdir()
    db = folder / "desk.sqlite3"
    if good_db is not None:
        shutil.copyfile(good_db, db)
    return folder, db


def _attack_inputs(kinds: tuple[str, ...], good_db: Path, tmp_path: Path, reliability) -> None:
    jobs = []
    for command in READERS:
        for kind in kinds:
            folder, db = _scratch(tmp_path, command, kind, good_db)
            attacked = _make_input(kind, folder, "input.json" if command.name in ("match", "referral") else "file")
            jobs.append((f"{command.name} ← {kind}", _args(command, folder, attacked), folder / "base", db))
    problems = _run_all(jobs)
    reliability.add("hostile harness: every command's input files", runs=len(jobs), tracebacks=0,
                    commands=len(READERS), kinds=len(kinds))
    assert problems == []


def _run_all(jobs: list[tuple[str, list[str], Path, Path]]) -> list[str]:
    def one(job: tuple[str, list[str], Path, Path]) -> list[str]:
        what, args, base, db = job
        before = _fingerprint(db)
        try:
            done = _run(args, base, db)
        except subprocess.TimeoutExpired:
            return [f"{what}: still running after {TIMEOUT_S} s"]
        problems = _judge(what, done)
        if _fingerprint(db) != before and not _writes_the_database(args):
            problems.append(f"{what}: the database changed")
        return problems

    with ThreadPoolExecutor(max_workers=2) as pool:   # the suite's machine has two cores
        return [p for found in pool.map(one, jobs) for p in found]


def _writes_the_database(args: list[str]) -> bool:
    """Commands whose job is to change the database (given a good one, an input that fails must
    still leave it unchanged: those are judged by their own tests)."""
    return args[:1] == ["referral"] or args[:2] in (["db", "upgrade"], ["db", "backup"], ["db", "restore"],
                                                    ["log", "purge"], ["log", "import"], ["log", "export"])


def test_the_harness_knows_every_command_and_its_inputs():
    """A command added later is attacked as it lands: the parser is the list."""
    names = {c.name for c in COMMANDS}
    assert {"match", "referral", "import", "validate", "db restore", "log import", "programs", "contacts",
            "handout", "export", "db check", "log purge", "log export"} <= names
    assert {c.name for c in READERS} >= {"match", "referral", "import", "validate", "db restore", "log import"}


def test_every_command_refuses_hostile_input_files(_catalogue_file, tmp_path, reliability):
    _attack_inputs(QUICK_INPUT_KINDS, _catalogue_file, tmp_path, reliability)


@pytest.mark.slow
def test_every_command_refuses_every_kind_of_hostile_input_file(_catalogue_file, tmp_path, reliability):
    _attack_inputs(INPUT_KINDS, _catalogue_file, tmp_path, reliability)


def _attack_settings(kinds: tuple[str, ...], good_db: Path, tmp_path: Path, reliability) -> None:
    jobs = []
    for command in COMMANDS:
        for kind in kinds:
            folder, db = _scratch(tmp_path, command, kind, good_db)
            _settings(kind, folder / "base" / "config")
            jobs.append((f"{command.name} with settings {kind}", _args(command, folder, None), folder / "base", db))
    problems = _run_all(jobs)
    reliability.add("hostile harness: a broken settings file under every command", runs=len(jobs), tracebacks=0,
                    commands=len(COMMANDS), kinds=len(kinds))
    assert problems == []


def test_every_command_says_what_is_wrong_with_a_broken_settings_file(_catalogue_file, tmp_path, reliability):
    _attack_settings(("broken",), _catalogue_file, tmp_path, reliability)


@pytest.mark.slow
def test_every_command_with_every_kind_of_broken_settings_file(_catalogue_file, tmp_path, reliability):
    _attack_settings(SETTINGS_KINDS, _catalogue_file, tmp_path, reliability)


# `validate` reads packs, never the database; `db backups` lists the backup folder and opens the
# database only to tell another application's SQLite file (which it refuses): exit 0 is right for
# them on garbage, a folder or a FIFO, and the file must still be as it was.
def _attack_database(kinds: tuple[str, ...], tmp_path: Path, reliability) -> None:
    jobs = []
    for command in COMMANDS:
        for kind in kinds:
            folder, _ = _scratch(tmp_path, command, kind)
            db = _database(kind, folder)
            jobs.append((f"{command.name} on a database: {kind}", _args(command, folder, None), folder / "base", db))
    problems = []
    for what, args, base, db in jobs:   # every one must leave the hostile file exactly as it was
        before = _fingerprint(db)
        try:
            done = _run(args, base, db)
        except subprocess.TimeoutExpired:
            problems.append(f"{what}: still running after {TIMEOUT_S} s")
            continue
        problems += _judge(what, done)
        lists_only = args[:2] == ["db", "backups"] and kind != "another application's"
        if done.returncode == 0 and args[:1] != ["validate"] and not lists_only:
            problems.append(f"{what}: exit 0 on a database that is not desk's")
        if _fingerprint(db) != before:
            problems.append(f"{what}: the file given as the database changed")
    reliability.add("hostile harness: a database that is not desk's under every command", runs=len(jobs),
                    tracebacks=0, commands=len(COMMANDS), kinds=len(kinds))
    assert problems == []


def test_every_command_refuses_a_database_that_is_not_desks(tmp_path, reliability):
    _attack_database(("another application's",), tmp_path, reliability)


@pytest.mark.slow
def test_every_command_refuses_every_kind_of_database_that_is_not_desks(tmp_path, reliability):
    _attack_database(DATABASE_KINDS, tmp_path, reliability)
