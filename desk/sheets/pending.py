"""A note on disk of each referral sheet being made, so that a consultation is logged exactly
when its sheet exists, even when the process making it is killed.

The record must be committed before the sheet is written (the sheet prints its reference
number), and a process can die in between: SIGKILL, a power cut, or a record that cannot be
removed because another process holds the database. So before the record is made, a note
naming it and the sheet's path is written and held locked (an OS lock, released when the
process dies, however it dies); once the PDF is made, its SHA-256 is added. The note is
removed when the sheet is in place, or when the record has been removed again.

:func:`recover` looks at the notes no live process holds: if the sheet at the noted path
is the one noted (same SHA-256), it was delivered and its record stays; otherwise the
record is removed. It runs when the log is next opened for writing (desk.cli.common).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from desk import paths
from desk.fileio import atomic_write_text, try_lock

MAX_SHEET_BYTES = 64 * 1024 * 1024    # a referral sheet is a few hundred kB: anything larger is not ours


def notes_dir() -> Path:
    return paths.get().data_dir / "pending-sheets"


class SheetInProgress:
    """The note of one sheet being made, held locked while this process makes it."""

    def __init__(self, folder: Path, record_id: str, target: Path | None, database: str, lock_fd: int):
        self.folder, self.record_id, self.target, self.database = folder, record_id, target, database
        self._lock_fd = lock_fd
        self.note = folder / f"{record_id}.json"

    @classmethod
    def begin(cls, *, record_id: str, target: Path | None, database: str,
              folder: Path | None = None) -> SheetInProgress:
        """Write and lock the note; call before the record is made. ``target``: the sheet's file,
        None for a sheet printed or saved from the app's preview (closed on delivery)."""
        folder = paths.ensure_private_dir(folder or notes_dir())
        lock_fd = os.open(folder / f"{record_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        if not try_lock(lock_fd):   # a fresh UUID: nobody else can hold it
            os.close(lock_fd)
            raise OSError(f"pending sheet {record_id} is held by another process")
        note = cls(folder, record_id, Path(os.path.abspath(target)) if target is not None else None, database,
                   lock_fd)
        note._write(sha256=None)
        return note

    def rendered(self, pdf: bytes) -> None:
        """The sheet is made: note its fingerprint before it is put in place."""
        self._write(sha256=hashlib.sha256(pdf).hexdigest())

    def close(self) -> None:
        """The sheet is in place, or the record removed: the note goes."""
        self.note.unlink(missing_ok=True)
        self._release(remove_lock=True)

    def leave_for_recovery(self) -> None:
        """The record could not be removed now: the note stays for :func:`recover`."""
        self._release(remove_lock=False)

    def _write(self, *, sha256: str | None) -> None:
        atomic_write_text(self.note, json.dumps({"id": self.record_id, "database": self.database,
                                                 "target": str(self.target) if self.target else None,
                                                 "sha256": sha256}))

    def _release(self, *, remove_lock: bool) -> None:
        if self._lock_fd < 0:
            return
        if remove_lock:
            (self.folder / f"{self.record_id}.lock").unlink(missing_ok=True)
        os.close(self._lock_fd)    # releases the lock
        self._lock_fd = -1


def recover(database: str, delete_record: Callable[[str], None], folder: Path | None = None) -> list[str]:
    """Settle the notes of sheets of ``database`` whose process is gone; returns the ids of the
    records removed (their sheet never reached its path). A record that cannot be removed now
    (the database is held) keeps its note for the next time."""
    folder = folder or notes_dir()
    try:
        notes = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        return []
    removed = []
    for note in notes:
        lock_fd = _lock_if_abandoned(folder / f"{note.stem}.lock")
        if lock_fd is None:
            continue
        try:
            noted = _read(note)
            if noted is None or noted[1] != database:
                continue     # another database's sheet: settled when that one is opened
            record_id, _database, target, sha256 = noted
            if target is not None:
                _remove_temporaries(target)
            if target is None or not _delivered(target, sha256):
                delete_record(record_id)
                removed.append(record_id)
            note.unlink(missing_ok=True)
            (folder / f"{note.stem}.lock").unlink(missing_ok=True)
        except Exception:   # the database held, a note unreadable: tried again next time
            continue
        finally:
            os.close(lock_fd)
    return removed


def _lock_if_abandoned(lock_file: Path) -> int | None:
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    if try_lock(fd):
        return fd
    os.close(fd)   # a live process is making that sheet
    return None


def _read(note: Path) -> tuple[str, str, Path | None, str | None] | None:
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
        record_id, database, sha256 = data["id"], data["database"], data.get("sha256")
        target = Path(data["target"]) if data["target"] is not None else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(record_id, str) or record_id != note.stem or not isinstance(database, str):
        return None
    return record_id, database, target, sha256 if isinstance(sha256, str) else None


def _delivered(target: Path, sha256: str | None) -> bool:
    if sha256 is None:
        return False    # killed before the sheet was made: it cannot be there
    try:
        if not target.is_file() or target.stat().st_size > MAX_SHEET_BYTES:
            return False
        return hashlib.sha256(target.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def _remove_temporaries(target: Path) -> None:
    # desk.fileio.atomic_write_bytes' temporary file, left by a process killed while writing:
    # it holds the visitor's name and is never a sheet.
    try:
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):
            leftover.unlink(missing_ok=True)
    except OSError:
        pass
