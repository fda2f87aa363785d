"""Files kept under ``<data>/cache`` so the next start is quicker, and what keys them.

Two kinds live there, one file of each per database: the catalogue copy
(:mod:`desk.db.snapshot`) and the window's first view (:mod:`desk.matching.first_view`).
Both are only ever a faster way to what the database and the engine would give; a
file whose key does not match is ignored and rewritten. This module stays light (no
engine, no SQLAlchemy): the app reads the keys before anything else is loaded.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from desk import __version__, paths

# What makes a catalogue "the same": packs as imported, and the latest admin edit.
# Plain SQL both for SQLAlchemy (text()) and for the stdlib sqlite3 quick path, so the
# two compute the same fingerprint for the same SQLite file.
FINGERPRINT_SQL = (
    "SELECT 'pack', id, checksum, imported_at FROM data_pack"
    " UNION ALL SELECT 'edit', 'program', NULL, max(edited_at) FROM program"
    " UNION ALL SELECT 'edit', 'variant', NULL, max(edited_at) FROM variant"
    " UNION ALL SELECT 'edit', 'office', NULL, max(edited_at) FROM office"
    " ORDER BY 1, 2")

UNUSED_DAYS = 30
_PACKAGE = Path(__file__).resolve().parents[1]   # all of desk, not only desk/db


def is_ready(fingerprint: tuple[Any, ...]) -> bool:
    """A catalogue fingerprint of a database that holds packs."""
    return any(row[0] == "pack" for row in fingerprint)


def catalogue_file(database_url: str) -> Path:
    """Where the copy of this database's catalogue lives."""
    return _cache_file(database_url, "catalogue", ".pickle")


def first_view_file(database_url: str) -> Path:
    """Where the window's first view for this database lives."""
    return _cache_file(database_url, "first-view", ".pickle")


def _cache_file(database_url: str, kind: str, suffix: str) -> Path:
    import zlib

    name = f"{zlib.crc32(database_url.encode()):08x}"   # the files' keys tell databases apart; this keeps them apart
    return paths.get().data_dir / "cache" / f"{kind}-{name}{suffix}"


def write(path: Path, data: bytes) -> None:
    """Keep a file (private, atomic) and remove others of its kind no start has read for a
    month; a failure only costs the next start its speed."""
    from desk.fileio import atomic_write_bytes

    try:
        paths.ensure_private_dir(path.parent)
        atomic_write_bytes(path, data, mode=0o600)
        _remove_unused(path)
    except OSError:
        pass


def _remove_unused(keep: Path) -> None:
    # Copies of other databases: a --db used once, a renamed folder.
    # Copies in a format desk no longer reads (first-view-….json) go the same way.
    kind = keep.stem.rsplit("-", 1)[0]   # first-view-1a2b3c4d.pickle: first-view
    cutoff = time.time() - UNUSED_DAYS * 86400
    for other in keep.parent.glob(f"{kind}-*"):
        try:
            if other != keep and other.stat().st_atime < cutoff and other.stat().st_mtime < cutoff:
                other.unlink()
        except OSError:
            pass


def load_restricted(fh: BinaryIO, allowed: Mapping[tuple[str, str], Any], what: str) -> Any:
    """A pickle read by an unpickler that knows only ``allowed`` classes ((module, qualname) ->
    class): a tampered file can fail to load, never run code."""
    import pickle

    class Restricted(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            try:
                return allowed[module, name]
            except KeyError:
                raise pickle.UnpicklingError(f"{module}.{name} is not part of {what}") from None

    return Restricted(fh).load()


def code_stamp() -> str:
    """desk's version and its modules' sizes and times: results kept by one desk are not
    shown by another, also in a working copy whose code changes without a new version."""
    total = 0
    count = 0
    folders = [_PACKAGE]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    st = entry.stat()
                    # A sum: the same whatever order the folder lists its files in.
                    total = (total + st.st_mtime_ns * 1_000_003 + st.st_size) % (1 << 61)
                    count += 1
    return f"{__version__}:{count}:{total:x}"
