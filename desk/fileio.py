"""Files in and out: reads bounded to regular files, atomic writes onto regular files only.

A write leaves the old file or the new one, never half of one (a crash, a full disk, a size
limit); a read never waits on a FIFO nor fills the memory from ``/dev/zero``. The readers of
the files a user gives or keeps (intakes, packs, log files, settings, drafts, the PDF font) and
every writer go through here, so the checks live in one place.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TypeVar

Written = TypeVar("Written")


class FileRefused(OSError):
    """A file desk will not read or write (not a regular file, or too large); its text is one
    Japanese line naming the file. An OSError, so every handler of file errors meets it too."""

    def __init__(self, path: str | os.PathLike[str], reason: str):
        super().__init__(errno.EINVAL, reason, os.fspath(path))
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "フォルダ"), (stat.S_ISCHR, "文字デバイス"), (stat.S_ISBLK, "ブロックデバイス"),
                       (stat.S_ISFIFO, "名前付きパイプ（FIFO）"), (stat.S_ISSOCK, "ソケット")):
        if test(mode):
            return name
    return "特殊なファイル"


def read_regular_file(path: str | os.PathLike[str], *, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is FileRefused
    (other failures stay OSError). The size is checked on what is read, not on what stat says:
    a device or a file still growing tells stat nothing true."""
    # O_NONBLOCK: opening a FIFO waits for a writer, for ever if none comes; a regular file ignores it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(path, f"通常のファイルではないため読みません（{_kind(mode)}）")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileRefused(path, f"ファイルが大きすぎます（上限 {limit:,} バイト）")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_input_path(path: str | os.PathLike[str]) -> None:
    """Refuse (FileRefused) a ``path`` that exists and is not a regular file, without opening it
    (opening a FIFO waits); :func:`read_regular_file` checks again what it reads."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return   # the reader says what is wrong (no such file, no permission)
    if not stat.S_ISREG(mode):
        raise FileRefused(path, f"通常のファイルではないため読みません（{_kind(mode)}）")


def check_output_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a place to write a file named by the user: an existing regular file (replaced)
    or a new name in an existing folder; a device, a FIFO or a folder is FileRefused (replacing
    ``/dev/null`` with a regular file, or "writing" to ``/dev/full`` without a word, is what
    an atomic write would otherwise do)."""
    target = Path(path)
    _refuse_special(target)
    if not target.parent.is_dir():
        raise FileRefused(target, "書き込み先のフォルダがありません")
    return target


def _refuse_special(target: Path) -> None:
    try:
        mode = os.stat(target).st_mode   # through a symbolic link: what it points at is what is replaced
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(mode):
        raise FileRefused(target, f"通常のファイルではないため書き込みません（{_kind(mode)}）")


_WRITE_ERRORS = {
    errno.ENOSPC: "ディスクの空きがありません",
    getattr(errno, "EDQUOT", errno.ENOSPC): "ディスクの使用量の上限に達しました",   # not on Windows
    errno.EFBIG: "ファイルの大きさの上限を超えました",
    errno.EACCES: "書き込む権限がありません",
    errno.EPERM: "書き込む権限がありません",
    errno.EROFS: "読み取り専用の場所です",
    errno.ENOENT: "フォルダがありません",
    errno.EIO: "入出力エラー",
}


def describe(exc: OSError) -> str:
    """A file error in a few Japanese words (the system's own words when there are none here)."""
    if isinstance(exc, FileRefused):
        return exc.reason
    return _WRITE_ERRORS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int = 0o600) -> Path:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it over; a
    ``path`` that is not a regular file is FileRefused, and a failed write (a full disk, a size
    limit) leaves no temporary file behind."""
    return atomic_write_with(path, lambda fh: fh.write(data), mode=mode)[0]


def atomic_write_with(path: str | os.PathLike[str], write: Callable[[BinaryIO], Written], *,
                      mode: int = 0o600) -> tuple[Path, Written]:
    """:func:`atomic_write_bytes` for what is written a piece at a time (an export of the whole
    log): ``write`` writes into the temporary file; its answer is handed back with the path."""
    import tempfile  # only when writing: not on the start-up path

    target = Path(path)
    _refuse_special(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):  # POSIX (Windows has it from Python 3.13; there the folder's ACL decides)
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            written = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target, written


def create_private_file(path: Path) -> None:
    """An empty file readable by the user alone, in a private folder, unless it exists."""
    from desk.paths import ensure_private_dir

    ensure_private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def private_file(path: Path) -> Path:
    """``path`` readable by the user alone: created empty 0600, or an existing one closed to others
    (for files another library rewrites in place of desk: QSettings keeps the file's mode)."""
    create_private_file(path)
    if os.name == "posix" and os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)
    return path


def atomic_write_text(path: str | os.PathLike[str], text: str, *, mode: int = 0o600) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(directory: Path) -> None:
    # The rename itself is durable only once the directory entry is on disk.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- locks between desk's processes ----------------------------------------------------------
# An advisory lock between desk processes of one user: a lock file, held for a block.
#
# Two things on disk are read, changed and written back by whichever process comes first:
# the backup folder (a backup writes a temporary file, renames it, rotates the old ones) and
# the device id in the settings (created once on first use). Without a lock two processes
# each remove the other's temporary file, or each save their own device id. The lock is the
# operating system's (``fcntl.flock``; ``msvcrt.locking`` on Windows), so it goes with the
# process: a process killed while holding it never leaves it held.


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created 0600, in a private folder) for the block;
    waits for another process holding it."""
    from desk.paths import ensure_private_dir

    ensure_private_dir(lock_file.parent)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(fd)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def try_lock(fd: int) -> bool:
    """Take the exclusive lock on an open file without waiting: False when a live process holds it."""
    try:
        _acquire(fd, wait=False)
    except OSError:
        return False
    return True


if sys.platform == "win32":   # pragma: no cover - exercised on Windows only
    import msvcrt

    def _acquire(fd: int, wait: bool = True) -> None:
        if not wait:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)   # retries for 10 s, then raises
                return
            except OSError:
                continue

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _acquire(fd: int, wait: bool = True) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
