"""Hostile files given to real desk processes: device nodes, FIFOs, a full disk, a size limit,
a read-only folder, broken settings (issue 15, items 3, 7, 11 and 13).

Each run is a child process with a time limit (a FIFO that blocks fails the test instead of
hanging it) and an address-space limit (a read of /dev/zero that grows fails instead of eating
the machine). What must hold: one Japanese line on stderr naming the file, no traceback, the
exit code (2 bad input, 1 other problems), the device still a device, no partial file, and
the database and the settings as they were."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import mount_tmpfs, unmount
from tests.test_fileio import char_device

REPO = Path(__file__).resolve().parents[2]
TIME_LIMIT_S = 60
MEMORY_LIMIT = 3 << 30   # address space, not resident memory: Python and SQLAlchemy map ~1 GB
INTAKE = {"business_name": "追浜精工", "visitor_name": "山田 太郎", "visitor_phone": "090-0000-0000",
          "industry": "manufacturing", "employees": 18, "municipality": "横須賀市", "causes": ["nissan"]}


# Limits are set in the child itself before desk starts (no preexec_fn: a forked copy of pytest
# would count in the child's memory), and the child writes its peak resident memory since exec
# (VmHWM) when it ends, so the figure is desk's own.
LAUNCH = """
import atexit, json, os, resource, runpy, sys
limits, peak_file = json.loads(sys.argv[1]), sys.argv[2]
resource.setrlimit(resource.RLIMIT_AS, (limits["as"], limits["as"]))
if limits["fsize"] is not None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
if limits["umask"] is not None:
    os.umask(limits["umask"])

def peak():
    try:
        with open("/proc/self/status") as status:
            kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
        with open(peak_file, "w") as out:
            out.write(kb)
    except (OSError, StopIteration):
        pass

atexit.register(peak)
sys.argv = ["desk", *sys.argv[3:]]
runpy.run_module("desk", run_name="__main__", alter_sys=True)
"""


class Run:
    def __init__(self, done: subprocess.CompletedProcess[str], seconds: float, peak_kb: int | None):
        self.code, self.out, self.err = done.returncode, done.stdout, done.stderr
        self.seconds, self.peak_kb = seconds, peak_kb

    def one_line(self) -> str:
        lines = [line for line in self.err.splitlines() if not line.startswith("desk: 注意: ")]
        assert len(lines) == 1 and "Traceback" not in self.err, self.err
        return lines[0]


def desk(base: Path, db: Path, *args: str | Path, umask: int | None = None, fsize: int | None = None) -> Run:
    """``desk --basedir base --db db ARGS`` in a child process of its own, within the limits."""
    peak_file = base.parent / f"peak-{time.monotonic_ns()}"
    limits = json.dumps({"as": MEMORY_LIMIT, "fsize": fsize, "umask": umask})
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, limits, str(peak_file), "--basedir", str(base),
                             "--db", str(db), *map(str, args)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")
    try:
        out, err = proc.communicate(timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"desk {' '.join(map(str, args))} still running after {TIME_LIMIT_S} s")
    seconds = time.perf_counter() - started
    peak = int(peak_file.read_text()) if peak_file.exists() else None
    peak_file.unlink(missing_ok=True)
    return Run(subprocess.CompletedProcess(proc.args, proc.returncode, out, err), seconds, peak)



@pytest.fixture
def base(tmp_path) -> Path:
    return tmp_path / "base"


def _intake(tmp_path: Path, data: dict | None = None) -> Path:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data or INTAKE, ensure_ascii=False), encoding="utf-8")
    return path


def _consultations(db: Path) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM consultation").fetchone()[0]


# --- item 7: what a command reads -------------------------------------------------------------

def _readers(tmp_path: Path) -> dict[str, tuple[str, ...]]:
    return {"match": ("match",), "referral": ("referral", "-o", str(tmp_path / "sheet.pdf")),
            "validate": ("validate",), "import": ("import",), "log import": ("log", "import")}


def matrix(first: list[str], second: list[str]) -> list[object]:
    """Every pair; the default run takes each of ``first`` once and each of ``second`` once (a
    desk process is about a second), the slow run all of them."""
    quick = {(a, second[0]) for a in first} | {(first[0], b) for b in second}
    return [pytest.param(a, b, id=f"{a}-{b}", marks=() if (a, b) in quick else pytest.mark.slow)
            for a in first for b in second]


@pytest.mark.parametrize(("command", "kind"), matrix(["match", "referral", "validate", "import", "log import"],
                                                     ["fifo", "zero", "urandom"]))
def test_a_device_or_a_fifo_as_input_is_one_line_and_exit_2(tmp_path, base, db, command, kind, reliability):
    source = tmp_path / "in"
    source.mkdir()
    if kind == "fifo":
        node = source / "fifo.json"
        os.mkfifo(node)
    else:
        node = char_device(source, kind, 1, 5 if kind == "zero" else 9)
    run = desk(base, db, *_readers(tmp_path)[command], node)
    assert run.code == 2, run.err
    line = run.one_line()
    assert str(node) in line and "通常のファイルではないため読みません" in line
    assert _consultations(db) == 0 and not (tmp_path / "sheet.pdf").exists()
    reliability.add("device and FIFO as input (issue 15)", tried=1, refused_exit_2=1)


def test_refusing_dev_zero_is_quick_and_small(tmp_path, base, db, record_property):
    """The figure for RELIABILITY.md: the whole process, start to exit."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    run = desk(base, db, "match", "/dev/zero")
    assert run.code == 2 and run.seconds < 10
    if run.peak_kb is not None:   # Linux: the peak resident memory of the whole command
        assert run.peak_kb < 200 * 1024
        record_property("dev_zero_peak_kb", run.peak_kb)
    record_property("dev_zero_refused_s", round(run.seconds, 3))


def test_an_oversized_intake_is_refused_by_its_size(tmp_path, base, db):
    big = tmp_path / "big.json"
    big.write_bytes(b'{"business_name": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    run = desk(base, db, "match", big)
    assert run.code == 2 and "大きすぎます" in run.one_line()


# --- item 3: what a command writes ------------------------------------------------------------

def test_a_sheet_onto_a_device_node_is_refused_before_anything_is_logged(tmp_path, base, db):
    node = char_device(tmp_path, "null", 1, 3)
    run = desk(base, db, "referral", _intake(tmp_path), "-o", node)
    assert run.code == 2
    assert run.one_line() == f"desk: {node}: 通常のファイルではないため書き込みません（文字デバイス）"
    assert stat.S_ISCHR(node.stat().st_mode) and _consultations(db) == 0


@pytest.mark.parametrize("command", ["handout", "log export", "export"])
def test_every_writer_refuses_a_device_node(tmp_path, base, db, command):
    node = char_device(tmp_path, "null", 1, 3)
    args = {"handout": ("handout", "-o", node), "log export": ("log", "export", "--all", node),
            "export": ("export", node)}[command]
    run = desk(base, db, *args)
    assert run.code == 2 and str(node) in run.one_line()
    assert stat.S_ISCHR(node.stat().st_mode)


def test_an_output_in_a_missing_folder_is_refused_and_no_folder_made(tmp_path, base, db):
    missing = tmp_path / "missing"
    for args in (("export", missing / "packs"), ("log", "export", "--all", missing / "log.json"),
                 ("handout", "-o", missing / "h.pdf")):
        run = desk(base, db, *args)
        assert run.code == 2 and "フォルダがありません" in run.one_line()
    assert not missing.exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_dev_full_is_refused_not_silently_written(tmp_path, base, db):
    """/dev/full itself, through a link: a regression then replaces the link, never the
    machine's /dev/full (which desk before this fix did, in /dev, as root)."""
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    run = desk(base, db, "handout", "-o", link)
    assert run.code == 2 and "通常のファイルではないため書き込みません（文字デバイス）" in run.one_line()
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_sheet_on_a_full_disk_is_one_line_exit_1_and_not_logged(tmp_path, base, db, small_tmpfs):
    (small_tmpfs / "filler").write_bytes(b"x" * (1024 * 1024 - 8192))   # a disk with a few kB left
    run = desk(base, db, "referral", _intake(tmp_path), "-o", small_tmpfs / "sheet.pdf")
    assert run.code == 1
    assert run.one_line() == f"desk: {small_tmpfs / 'sheet.pdf'} に書き込めません（ディスクの空きがありません）"
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["filler"]   # no partial sheet
    assert _consultations(db) == 0                                       # no sheet, no record


RECORDS = 60


def test_a_log_export_over_the_file_size_limit_marks_nothing_exported(tmp_path, base, db):
    from desk.db.consultations import record_consultation
    from desk.db.engine import make_engine, session_factory, sqlite_url
    from desk.intake.reader import read_intake
    from tests import answers

    device = "6f1c2a9e-0000-4000-8000-000000000000"
    (base / "config").mkdir(parents=True)
    (base / "config" / "settings.json").write_text(json.dumps({"device_id": device}), encoding="utf-8")
    engine = make_engine(sqlite_url(db))
    report = answers.report(funds=(("kanagawa.nissan.main", "eligible"),), contacts=("kanagawa-cgc.yokosuka",))
    for _ in range(RECORDS):
        record_consultation(session_factory(engine), intake=read_intake(INTAKE).intake, report=report, device=device,
                            window_name="窓口", staff_name="担当")
    engine.dispose()
    export = tmp_path / "log.json"
    # RLIMIT_FSIZE bounds every file the process writes: above SQLite's 32 kB shared-memory file,
    # below the export (a catalogue cache the limit stops is only a slower next start).
    run = desk(base, db, "log", "export", export, fsize=40 * 1024)
    assert run.code == 1
    assert run.one_line() == f"desk: {export} に書き込めません（ファイルの大きさの上限を超えました）"
    assert [p.name for p in tmp_path.iterdir() if "log.json" in p.name] == []   # no partial file
    again = desk(base, db, "log", "export", export)      # nothing was marked exported: all come out
    assert again.code == 0 and f"{RECORDS} 件" in again.out, again.err
    assert export.stat().st_size > 40 * 1024            # the limit was the export's to meet


# --- item 11: settings ------------------------------------------------------------------------

BROKEN_SETTINGS = {"empty": b"", "invalid": b'{"staff_name": ', "not utf-8": b'{"staff_name": "\xff\xfe"}',
                   "a list": b"[]", "only a BOM": b"\xef\xbb\xbf"}


@pytest.mark.parametrize(("command", "content"), matrix(["referral", "match", "handout", "programs", "log export"],
                                                        list(BROKEN_SETTINGS)))
def test_broken_settings_are_one_line_and_left_as_they_are(tmp_path, base, db, content, command):
    settings = base / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_bytes(BROKEN_SETTINGS[content])
    args = {"match": ("match", _intake(tmp_path)),
            "referral": ("referral", _intake(tmp_path), "-o", tmp_path / "s.pdf"),
            "handout": ("handout", "-o", tmp_path / "h.pdf"), "programs": ("programs",),
            "log export": ("log", "export", tmp_path / "log.json")}[command]
    run = desk(base, db, *args)
    assert run.code == 1
    assert run.one_line().startswith(f"desk: {settings}: 設定ファイルを読めません（")
    assert settings.read_bytes() == BROKEN_SETTINGS[content] and _consultations(db) == 0


def test_a_settings_fifo_does_not_block(tmp_path, base, db):
    settings = base / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    os.mkfifo(settings)
    run = desk(base, db, "programs")
    assert run.code == 1 and "通常のファイルではない" in run.one_line()


def test_a_pdf_font_that_is_not_a_font_is_one_line_and_nothing_is_logged(tmp_path, base, db):
    fake = tmp_path / "font.ttf"
    fake.write_text("not a font", encoding="utf-8")
    (base / "config").mkdir(parents=True)
    (base / "config" / "settings.json").write_text(json.dumps({"pdf_font_path": str(fake)}), encoding="utf-8")
    for args in (("referral", _intake(tmp_path), "-o", tmp_path / "s.pdf"), ("handout", "-o", tmp_path / "h.pdf")):
        run = desk(base, db, *args)
        assert run.code == 1 and f"{fake} は TrueType フォントとして読めません" in run.one_line()
    assert _consultations(db) == 0 and not (tmp_path / "s.pdf").exists() and not (tmp_path / "h.pdf").exists()


@pytest.mark.parametrize("trouble", ["read-only", "full"])
def test_first_referral_with_a_config_folder_that_cannot_be_written(tmp_path, base, db, trouble):
    """The first referral saves the machine's id in settings.json: a read-only or full config
    folder is one line, nothing is logged, and the next run with room works."""
    config = base / "config"
    mount_tmpfs(config, "size=64k,mode=0700" + (",ro" if trouble == "read-only" else ""))
    try:
        if trouble == "full":
            (config / "filler").write_bytes(b"x" * (64 * 1024))
        run = desk(base, db, "referral", _intake(tmp_path), "-o", tmp_path / "s.pdf")
        reason = "読み取り専用の場所です" if trouble == "read-only" else "ディスクの空きがありません"
        assert run.code == 1
        assert run.one_line() == f"desk: {config / 'settings.json'}: 設定を保存できません（{reason}）"
        assert _consultations(db) == 0 and not (tmp_path / "s.pdf").exists()
        assert not (config / "settings.json").exists()
    finally:
        unmount(config)


# --- item 13: permissions whatever the umask --------------------------------------------------

def test_outputs_with_personal_data_are_0600_under_umask_0(tmp_path, base, db):
    sheet, export = tmp_path / "sheet.pdf", tmp_path / "log.json"
    assert desk(base, db, "referral", _intake(tmp_path), "-o", sheet, umask=0).code == 0
    assert desk(base, db, "log", "export", export, umask=0).code == 0
    number = json.loads(export.read_text(encoding="utf-8"))["records"][0]["reference_no"]
    reprint = tmp_path / "reprint.pdf"
    assert desk(base, db, "referral", "--reprint", number, "-o", reprint, umask=0).code == 0
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in (sheet, export, reprint)}
    assert modes == {"sheet.pdf": "0o600", "log.json": "0o600", "reprint.pdf": "0o600"}


def test_open_data_and_config_folders_are_closed_when_desk_uses_them(tmp_path, base, db):
    data, config = base / "data", base / "config"
    for folder in (data, data / "cache", config):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o777)
    (config / "settings.json").write_text("{}", encoding="utf-8")
    assert desk(base, db, "match", _intake(tmp_path), umask=0).code == 0
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in (data, data / "cache", config)}
    assert modes == {"data": "0o700", "cache": "0o700", "config": "0o700"}


def test_the_folder_of_a_db_elsewhere_is_left_alone(tmp_path, base, _catalogue_file):
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    elsewhere.chmod(0o777)
    db = elsewhere / "desk.sqlite3"
    shutil.copyfile(_catalogue_file, db)
    assert desk(base, db, "db", "check").code == 0
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o777
