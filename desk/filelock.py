"""An advisory lock between desk processes of one user: a lock file, held for a block.

Two things on disk are read, changed and written back by whichever process comes first:
the backup folder (a backup writes a temporary file, renames it, rotates the old ones) and
the device id in the settings (created once on first use). Without a lock two processes
each remove the other's temporary file, or each save their own device id. The lock is the
operating system's (``fcntl.flock``; ``msvcrt.locking`` on Windows), so it goes with the
process: a process killed while holding it never leaves it held.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
