"""desk.fileio: reads only regular files within a limit, writes only onto regular files or new
names, and a failed write leaves nothing behind (issue 15, items 3 and 7).

Device nodes are made with mknod in the test's folder (we run as root; skipped where we cannot);
/dev/zero, /dev/urandom and /dev/full themselves are used where present; the FIFO is real and
its test fails after a few seconds instead of hanging when the reader blocks."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desk.fileio import FileRefused, atomic_write_bytes, check_output_path, describe, read_regular_file

REPO = Path(__file__).resolve().parent.parent


def char_device(folder: Path, name: str = "zero", major: int = 1, minor: int = 5) -> Path:
    """A character device node in ``folder`` (1,5 is /dev/zero; 1,7 /dev/full; 1,3 /dev/null)."""
    node = folder / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except (PermissionError, AttributeError) as exc:
        pytest.skip(f"cannot make a device node here ({exc}): mknod needs root")
    return node


def outcome_within(seconds: float, read, path: Path) -> BaseException | object:
    """What ``read(path)`` returns or raises; a read that blocks (a FIFO without a writer) fails
    the test instead of hanging it. (A device like /dev/zero is read in a child process under a
    memory limit, tests/faults/test_files.py: a regression here would fill the test's memory.)"""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(read(path))
        except BaseException as exc:   # handed to the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    if worker.is_alive():   # blocked in open(): free it so the suite goes on, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        pytest.fail(f"reading {path.name} blocked")
    return outcome[0]


def test_a_device_is_refused_at_once_whatever_it_would_give(tmp_path):
    for node in (char_device(tmp_path, "zero", 1, 5), char_device(tmp_path, "urandom", 1, 9),
                 *(Path(p) for p in ("/dev/zero", "/dev/urandom") if os.path.exists(p))):
        started = time.perf_counter()
        with pytest.raises(FileRefused) as caught:
            read_regular_file(node, limit=1024 * 1024)
        assert time.perf_counter() - started < 1.0
        assert str(caught.value) == f"{node}: 通常のファイルではないため読みません（文字デバイス）"


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(FileRefused, match="フォルダ"):
        read_regular_file(tmp_path, limit=10)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "intake.json"
    os.mkfifo(fifo)
    refused = outcome_within(5, lambda path: read_regular_file(path, limit=1024), fifo)
    assert isinstance(refused, FileRefused) and "FIFO" in str(refused)


def test_the_limit_is_counted_on_what_is_read(tmp_path):
    exact, over = tmp_path / "exact", tmp_path / "over"
    exact.write_bytes(b"x" * 1000)
    over.write_bytes(b"x" * 1001)
    assert read_regular_file(exact, limit=1000) == b"x" * 1000
    with pytest.raises(FileRefused, match="大きすぎます"):
        read_regular_file(over, limit=1000)


def test_a_huge_sparse_file_is_refused_without_reading_it_whole(tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(20 * 1024 ** 3)   # 20 GB of holes: nothing on disk, everything to a reader
    started = time.perf_counter()
    with pytest.raises(FileRefused):
        read_regular_file(huge, limit=1024 * 1024)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("kind", ["char device", "fifo", "folder", "no folder"])
def test_an_output_must_be_a_regular_file_or_a_new_name_in_a_folder(tmp_path, kind):
    target = {"char device": lambda: char_device(tmp_path, "null", 1, 3),
              "fifo": lambda: (os.mkfifo(tmp_path / "fifo"), tmp_path / "fifo")[1],
              "folder": lambda: tmp_path,
              "no folder": lambda: tmp_path / "missing" / "sheet.pdf"}[kind]()
    with pytest.raises(FileRefused):
        check_output_path(target)
    (tmp_path / "old.pdf").write_bytes(b"old")
    assert check_output_path(tmp_path / "old.pdf") == tmp_path / "old.pdf"
    assert check_output_path(tmp_path / "new.pdf") == tmp_path / "new.pdf"


def test_an_atomic_write_never_replaces_a_device_node(tmp_path):
    node = char_device(tmp_path, "null", 1, 3)
    link = tmp_path / "sheet.pdf"
    link.symlink_to(node)   # a link to a device is the device
    for target in (node, link):
        with pytest.raises(FileRefused, match="文字デバイス"):
            atomic_write_bytes(target, b"%PDF")
    assert stat.S_ISCHR(node.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "sheet.pdf"]   # no temporary left


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_dev_full_itself_is_refused_and_stays_a_device(tmp_path):
    # Through a link: a regression replaces the link, not the machine's /dev/full.
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    with pytest.raises(FileRefused):
        atomic_write_bytes(link, b"x" * 100)
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)


def _write_under_fsize_limit(target: Path, size: int, limit: int) -> subprocess.CompletedProcess[str]:
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
            "from desk.fileio import atomic_write_bytes, describe\n"
            "try:\n"
            f"    atomic_write_bytes({str(target)!r}, b'x' * {size})\n"
            "except OSError as exc:\n"
            "    print(describe(exc)); sys.exit(1)\n")
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_a_write_over_the_file_size_limit_leaves_the_old_file_and_no_partial_one(tmp_path):
    target = tmp_path / "export.json"
    target.write_bytes(b"old")
    done = _write_under_fsize_limit(target, size=200_000, limit=50_000)
    assert done.returncode == 1 and done.stdout.strip() == "ファイルの大きさの上限を超えました", done.stderr
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_a_full_disk_leaves_the_old_file_and_no_partial_one(small_tmpfs):
    target = small_tmpfs / "sheet.pdf"
    target.write_bytes(b"old")
    with pytest.raises(OSError) as caught:
        atomic_write_bytes(target, b"x" * (2 * 1024 * 1024))
    assert describe(caught.value) == "ディスクの空きがありません"
    assert target.read_bytes() == b"old"
    assert [p.name for p in small_tmpfs.iterdir()] == ["sheet.pdf"]


def test_memory_stays_small_when_reading_dev_zero(tmp_path):
    """In a child (VmHWM, its peak resident memory since exec, is its own): refused, under 100 MB."""
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc to read the peak memory from")
    node = char_device(tmp_path, "zero", 1, 5)
    code = ("from desk.fileio import FileRefused, read_regular_file\n"
            "try:\n"
            f"    read_regular_file({str(node)!r}, limit=200 * 1024 * 1024)\n"
            "except FileRefused:\n"
            "    print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)},
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)))
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 100 * 1024   # kB
