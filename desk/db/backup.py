"""Backups of a SQLite database: made before every migration and import, rotated, restorable.

A backup is a consistent copy taken with SQLite's online backup API (other desk
processes may keep reading and writing meanwhile), written to a temporary file and
renamed into ``<data dir>/backups`` (private: 0700 folder, 0600 files), so a crash
leaves a whole backup or none. The newest ``KEEP`` backups are kept. Restoring one:
:mod:`desk.db.restore`.

A shared PostgreSQL database is backed up with the server's own tools (pg_dump),
see the README; these functions refuse other URLs with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desk import paths
from desk.db.urls import plain_sqlite_file
from desk.fileio import locked

KEEP = 10
SUFFIX = ".sqlite3"
LOCK_NAME = ".lock"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Japanese."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    reason: str
    created: dt.datetime


def backups_dir() -> Path:
    return paths.get().data_dir / "backups"


def _database_file(url: str) -> Path:
    path = plain_sqlite_file(url)
    if path is None:
        raise BackupError("SQLite 以外のデータベース（共有サーバー）は"
                          "サーバーの機能（pg_dump など）でバックアップしてください")
    return path


def backup(url: str, reason: str, *, keep: int = KEEP, folder: Path | None = None) -> Path | None:
    """Copy the database at ``url`` to the backup folder; None when there is no database yet.

    Under the backup folder's lock (:func:`backup_lock`): a backup, the cleaning of the
    temporary files killed backups left and the rotation are one at a time, so no process
    removes the temporary file another is still writing."""
    source_path = _database_file(url)
    if not source_path.is_file() or source_path.stat().st_size == 0:
        return None
    folder = paths.ensure_private_dir(folder or backups_dir())
    with backup_lock(folder):
        _clean_temporaries(folder)
        target = _new_name(folder, reason)
        # mkstemp: a name no other process has, created 0600 before a byte is written.
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        temporary = Path(name)
        try:
            source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=10)
            try:
                destination = sqlite3.connect(temporary)
                try:
                    source.backup(destination)
                    destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                finally:
                    destination.close()
            finally:
                source.close()
            with open(temporary, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _rotate(folder, keep)
    return target


@contextmanager
def backup_lock(folder: Path | None = None) -> Iterator[None]:
    """The backup folder to one process at a time (backups, rotation, rewriting backups)."""
    folder = paths.ensure_private_dir(folder or backups_dir())
    with locked(folder / LOCK_NAME):
        yield


def _new_name(folder: Path, reason: str) -> Path:
    # Two backups in one microsecond (tests, a fast machine) must not share a name.
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"desk-{stamp}-{_safe(reason)}{SUFFIX}"
    while target.exists():
        stamp = (dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f") + dt.timedelta(microseconds=1)).strftime(
            "%Y%m%d-%H%M%S-%f")
        target = folder / f"desk-{stamp}-{_safe(reason)}{SUFFIX}"
    return target


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    """Backups, newest first."""
    folder = folder or backups_dir()
    out = []
    for path in folder.glob(f"desk-*{SUFFIX}") if folder.is_dir() else ():
        parts = path.stem.split("-", 4)   # desk, date, time, microseconds, reason
        try:
            created = dt.datetime.strptime("-".join(parts[1:4]), "%Y%m%d-%H%M%S-%f")
        except (ValueError, IndexError):
            continue
        out.append(BackupInfo(path, parts[4] if len(parts) > 4 else "", created))
    return sorted(out, key=lambda b: b.created, reverse=True)


@dataclass(frozen=True)
class BackupPurge:
    files: int          # backups looked at
    rewritten: int      # backups that held details to clear, rewritten without them
    records: int        # records cleared across them


def purge_backups(before: dt.datetime, folder: Path | None = None) -> BackupPurge:
    """Clear visitors' names and phones from the records made before ``before`` in every backup,
    as `desk log purge` does in the database, and rewrite each changed backup (VACUUM) so the
    cleared values do not stay in its free pages. Under the backup folder's lock."""
    folder = folder or backups_dir()
    if not folder.is_dir():
        return BackupPurge(0, 0, 0)
    rewritten = records = 0
    with backup_lock(folder):
        found = list_backups(folder)
        for made in found:
            cleared = _purge_one(made.path, before)
            rewritten += cleared > 0
            records += cleared
    return BackupPurge(len(found), rewritten, records)


def _purge_one(path: Path, before: dt.datetime) -> int:
    from desk.db.quick import stored_time

    connection = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(consultation)")}
        if not {"visitor_name", "visitor_phone", "created_at"} <= columns:
            return 0     # a backup from before the log: nothing personal in it
        # The purged flags exist from revision 0006 on; an older backup has the details only.
        flags = ("visitor_name_purged = (visitor_name_purged OR visitor_name IS NOT NULL), "
                 "visitor_phone_purged = (visitor_phone_purged OR visitor_phone IS NOT NULL), "
                 if "visitor_name_purged" in columns else "")
        cleared = connection.execute(
            f"UPDATE consultation SET {flags}visitor_name = NULL, visitor_phone = NULL WHERE created_at < ?"
            " AND (visitor_name IS NOT NULL OR visitor_phone IS NOT NULL)", (stored_time(before),)).rowcount
        if cleared:
            connection.execute("VACUUM")
        return cleared
    finally:
        connection.close()


def _rotate(folder: Path, keep: int) -> None:
    for old in list_backups(folder)[keep:]:
        old.path.unlink(missing_ok=True)


def _clean_temporaries(folder: Path) -> None:
    # A backup killed half-way leaves its temporary file: it is never a backup, remove it.
    # Called under the lock: no other backup is running, so every temporary file is stale.
    for stale in folder.glob(".desk-*.tmp"):
        stale.unlink(missing_ok=True)


def _safe(reason: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in reason)[:40] or "manual"
