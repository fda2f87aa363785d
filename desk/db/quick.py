"""The quick path to a SQLite database: the standard library's sqlite3, no SQLAlchemy.

`desk referral`, `desk match` and the app's start do three things with the
database: read the catalogue fingerprint, read the catalogue (from the copy on disk
when the fingerprint matches, :mod:`desk.db.snapshot`), and write a
consultation record. Importing SQLAlchemy alone costs more than a one-page PDF, so
for a SQLite file at the current schema revision these three go through sqlite3.
Anything else (a first run, a migration, PostgreSQL, the admin screens) takes the
full path; :class:`QuickSource` falls back to it by itself when the copy is stale.

The values written are exactly what the ORM writes (tests compare the stored rows).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.db.cache import FINGERPRINT_SQL
from desk.db.migrations import HEAD_REVISION

if TYPE_CHECKING:
    from desk.db.snapshot import Loaded
    from desk.log.records import Recorded

BUSY_TIMEOUT_MS = 10_000
CONSULTATION_COLUMNS = ("id", "reference_no", "created_at", "evaluated_on", "device_id", "window_name", "staff_name",
                        "business_name", "visitor_name", "visitor_phone", "industry", "municipality", "causes",
                        "intake", "result", "pack_versions", "report")
_JSON_COLUMNS = frozenset({"causes", "intake", "result", "pack_versions"})


def apply_pragmas(connection: sqlite3.Connection) -> None:
    """Foreign keys, a busy timeout, WAL: the same for the ORM's connections and ours."""
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()
        if mode and mode[0] != "memory":
            if mode[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def connect(path: Path) -> sqlite3.Connection | None:
    """A connection of desk's own to the SQLite file at ``path`` (autocommit, the busy timeout, usable
    from the thread a lock lets in), None when it cannot be opened."""
    try:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None


class QuickSqlite:
    """One SQLite file at the current revision, through sqlite3 (a :class:`~desk.log.records.LogWriter`)."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> QuickSqlite | None:
        """The database at ``path`` if it exists and needs no migration, else None."""
        if not path.is_file():
            return None
        connection = connect(path)
        if connection is None:
            return None
        try:
            # The revision before the pragmas: WAL rewrites the header of a file that may be
            # another application's (desk.db.guard refuses it, unchanged).
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None or row[0] != HEAD_REVISION:
                connection.close()
                return None
            apply_pragmas(connection)
        except sqlite3.Error:
            connection.close()
            return None
        return cls(connection, path)

    def close(self) -> None:
        self._connection.close()

    def fingerprint(self) -> tuple[object, ...]:
        return tuple(self._connection.execute(FINGERPRINT_SQL).fetchall())

    def has_packs(self) -> bool:
        """Filled (desk.db.cache.is_ready of the fingerprint), by a query a tenth of its cost."""
        row = self._connection.execute("SELECT EXISTS (SELECT 1 FROM data_pack)").fetchone()
        return row is not None and row[0] == 1

    # --- the consultation log ---
    def try_insert(self, values: dict[str, Any], prefix: str, record_id: str | None = None) -> Recorded | None:
        from desk.log import records

        c = self._connection
        # IMMEDIATE takes the write lock before reading the last number: two processes cannot
        # read the same one.
        c.execute("BEGIN IMMEDIATE")
        try:
            last = c.execute(records.LAST_REFERENCE_SQL, {"pattern": prefix + "%"}).fetchone()
            ids = records.next_ids(prefix, last[0] if last else None, record_id)
            row = {"id": ids.id, "reference_no": ids.reference_no, **values}
            _insert(c, "consultation", [row], CONSULTATION_COLUMNS)
            entry = records.entry_rows(ids.id, ids.reference_no, values)
            _insert(c, "log_entry", [entry.entry], tuple(entry.entry))
            _insert(c, "log_cause", entry.causes, ("consultation_id", "cause", "day", "business_key"))
            _insert(c, "log_fund", entry.funds, ("consultation_id", "fund_id", "status", "day", "business_key"))
        except sqlite3.IntegrityError:
            c.execute("ROLLBACK")
            return None
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")
        return ids

    def delete(self, consultation_id: str) -> None:
        self._connection.execute("DELETE FROM consultation WHERE id = ?", (consultation_id,))

    def purge_personal(self, before: dt.datetime) -> int:
        # The flags from the values before the update (SQL reads the old row on the right of SET).
        cursor = self._connection.execute(
            "UPDATE consultation SET visitor_name_purged = (visitor_name_purged OR visitor_name IS NOT NULL),"
            " visitor_phone_purged = (visitor_phone_purged OR visitor_phone IS NOT NULL),"
            " visitor_name = NULL, visitor_phone = NULL WHERE created_at < ?"
            " AND (visitor_name IS NOT NULL OR visitor_phone IS NOT NULL)", (_stored("created_at", before),))
        return cursor.rowcount


def _insert(connection: sqlite3.Connection, table: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    if rows:
        connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                               [[_stored(name, row[name]) for name in columns] for row in rows])


def stored_time(moment: dt.datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (UTC wall time, no zone): for comparisons."""
    from desk.fiscal import as_utc

    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stored(name: str, value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (JSON text; UTC datetimes without zone; ISO dates)."""
    if name in _JSON_COLUMNS:
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        return stored_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class QuickSource:
    """The catalogue by the quick path: the fingerprint through sqlite3, the catalogue from the
    copy on disk; when the copy is stale, ``full_source()`` (the ORM) loads it and writes a new copy."""

    def __init__(self, quick: QuickSqlite, cache_file: Path, full_source: Callable[[], Any]):
        self._quick = quick
        self._cache_file = cache_file
        self._full_source = full_source

    def fingerprint(self) -> tuple[object, ...]:
        return self._quick.fingerprint()

    def load(self, fingerprint: tuple[object, ...]) -> Loaded:
        from desk.db import snapshot

        cached = snapshot.load(self._cache_file, fingerprint)
        if cached is not None:
            return cached
        loaded: Loaded = self._full_source().load(fingerprint)
        return loaded
