"""The log's pages without SQLAlchemy: `desk log search` and the log window's pages on the quick path.

A search of the log reads one page of log_entry in a few milliseconds; importing SQLAlchemy and
the models to ask for it took 0.5 s of the process, psycopg alone a quarter of one. So a page is
read here: on a SQLite file through the standard library's sqlite3, on a server through libpq
(desk.db.libpq), with the same SQL the ORM's :func:`desk.db.consultations.log_page` sends, the
same parameters (the text escaped as SQLAlchemy's ``contains(autoescape=True)`` escapes it, times
as it stores them) and the same row maker (desk.db.log_rows): the same rows in the same order,
the same cursor. Tests compare the two page by page.

Both readers are opened only on a database at this desk's revision (:data:`HEAD_REVISION`) that
is filled; anything else takes the full path, which migrates, refuses or holds back as it does.
Everything else of the log's service goes to the ORM's, made when first asked for.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.db.log_rows import ENTRY_COLUMNS, log_row
from desk.db.migrations import HEAD_REVISION
from desk.db.quick import connect, stored_time
from desk.db.reach import said_unreachable
from desk.db.services import EVERYTHING, LogCursor, LogFilter, LogPage
from desk.fiscal import JAPAN, as_utc

if TYPE_CHECKING:
    from desk.db.services import ConsultationRecord, LogCounts, LogService, LogStat

Rows = list[tuple[Any, ...]]
_READY_SQL = ("SELECT (SELECT version_num FROM alembic_version),"
              " (SELECT EXISTS (SELECT 1 FROM data_pack))")


def _escaped(text: str) -> str:
    """``text`` as a LIKE pattern's literal part, as SQLAlchemy's autoescape writes it ('/' escapes)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def page_sql(where: LogFilter, *, limit: int | None, after: bool, created_at: str) -> tuple[str, list[str]]:
    """The ORM's page query (desk.db.consultations.log_page) with ``?`` for its parameters and
    ``created_at`` for how the time column is read; the parameters' roles in order."""
    columns = [f"log_entry.{name}" for name in ENTRY_COLUMNS]
    columns[ENTRY_COLUMNS.index("created_at")] = created_at
    sql = (f"SELECT {', '.join(columns)}, log_follow_up.status, log_follow_up.day FROM log_entry"
           " LEFT OUTER JOIN log_follow_up ON log_follow_up.consultation_id = log_entry.consultation_id")
    conditions: list[str] = []
    roles: list[str] = []
    if where.text:
        conditions.append("(" + " OR ".join(f"log_entry.{name} LIKE ? ESCAPE '/'" for name in (
            "reference_no", "business_name", "municipality", "staff_name")) + ")")
        roles += ["text"] * 4
    if where.since:
        conditions.append("log_entry.created_at >= ?")
        roles.append("since")
    if where.until:
        conditions.append("log_entry.created_at < ?")
        roles.append("until")
    if after:
        conditions.append("(log_entry.created_at, log_entry.consultation_id) < (?, ?)")
        roles += ["after_time", "after_id"]
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY log_entry.created_at DESC, log_entry.consultation_id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        roles.append("limit")
    return sql, roles


def _bounds(where: LogFilter) -> dict[str, dt.datetime]:
    """The Japanese days of ``where`` as the UTC times they span (the ORM's `filtered`)."""
    bounds: dict[str, dt.datetime] = {}
    if where.since:
        bounds["since"] = as_utc(dt.datetime.combine(where.since, dt.time(), JAPAN))
    if where.until:
        bounds["until"] = as_utc(dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time(), JAPAN))
    return bounds


class QuickPages:
    """Pages of the log through one connection (used by one thread at a time)."""

    def __init__(self, run: Callable[[str, Sequence[Any]], Rows], close: Callable[[], None], *, server: bool):
        self._run = run
        self.close = close
        self._server = server
        self._lock = threading.Lock()

    def _time(self, moment: dt.datetime) -> str:
        # SQLite compares the UTC wall time as stored; the server an aware time.
        return as_utc(moment).isoformat() if self._server else stored_time(moment)

    def page(self, where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage:
        created_at = ("to_char(log_entry.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
                      if self._server else "log_entry.created_at")
        sql, roles = page_sql(where, limit=limit, after=after is not None, created_at=created_at)
        given: dict[str, Any] = {"text": f"%{_escaped(where.text)}%" if where.text else None,
                                 **{k: self._time(v) for k, v in _bounds(where).items()},
                                 "limit": None if limit is None else limit + 1}   # one more: another page?
        if after is not None:
            given["after_time"], given["after_id"] = self._time(after.created_at), after.id
        params = [given[role] for role in roles]
        if self._server:
            for number in range(1, len(params) + 1):
                sql = sql.replace("?", f"${number}", 1)
            params = [str(p) if isinstance(p, int) else p for p in params]
        with self._lock:
            found = self._run(sql, params)
        more = limit is not None and len(found) > limit
        found = found[:limit] if limit is not None else found
        rows = [log_row(*self._values(row)) for row in found]
        last = self._values(found[-1]) if more else None
        return LogPage(rows, LogCursor(last[2], last[0]) if last is not None else None)

    def _values(self, row: tuple[Any, ...]) -> list[Any]:
        """A row's values as the ORM gives them: the time (naive UTC from SQLite, aware from a
        server), the causes as a list, the counts as numbers."""
        values = list(row)
        moment = dt.datetime.fromisoformat(values[2])
        values[2] = moment.replace(tzinfo=dt.UTC) if self._server else moment
        values[8] = json.loads(values[8]) if values[8] is not None else None
        values[9], values[10] = int(values[9]), int(values[10])
        return values


def sqlite_pages(path: Path) -> QuickPages | None:
    """Pages of the SQLite file at ``path`` on its own connection (the writer's stays the writer's),
    None when it is not at this desk's revision or not filled."""
    connection = connect(path)
    if connection is None:
        return None
    try:
        ready = connection.execute(_READY_SQL).fetchone()
    except sqlite3.Error:
        ready = None
    if ready is None or ready[0] != HEAD_REVISION or ready[1] != 1:
        connection.close()
        return None

    def run(sql: str, params: Sequence[Any]) -> Rows:
        return connection.execute(sql, params).fetchall()

    return QuickPages(run, connection.close, server=False)


def server_pages(url: str) -> QuickPages | None:
    """Pages of the server at ``url`` through libpq, None when libpq is not at hand, the URL is one
    the full path reads better, or the server is not ready; raises desk.db.libpq.LibpqError when
    the server cannot be reached."""
    from desk.db import passwords
    from desk.db.libpq import LibpqError, PgConnection

    if passwords.keyring_in_use() and not _has_password(url):
        return None   # the password is the keyring's: the full path asks it (desk.db.passwords)
    connection = PgConnection.open(url)
    if connection is None:
        return None
    try:
        ready = connection.rows(_READY_SQL)
    except LibpqError:
        ready = []
    if not ready or ready[0][0] != HEAD_REVISION or ready[0][1] != "t":
        connection.close()
        return None
    held: list[PgConnection | None] = [connection]   # None once the store closed it

    def run(sql: str, params: Sequence[Any]) -> Rows:
        # The log window stays open all day: a connection the server dropped (a restart, an idle
        # timeout) is made again once, as the ORM's pool_pre_ping would, before a page fails.
        now = held[0]
        if now is None:
            raise LibpqError("connection closed", connection=True)
        try:
            return now.rows(sql, params)
        except LibpqError:
            if not now.is_broken():
                raise
            now.close()
            again = PgConnection.open(url)
            if again is None:
                raise
            held[0] = again
            return again.rows(sql, params)

    def close() -> None:
        if held[0] is not None:
            held[0].close()
            held[0] = None

    return QuickPages(run, close, server=True)


def _has_password(url: str) -> bool:
    authority = url.partition("://")[2].partition("/")[0].partition("?")[0]
    user, at, _host = authority.rpartition("@")
    return bool(at) and ":" in user


class QuickLogService:
    """The log's service (:class:`desk.db.services.LogService`) whose pages come from
    :class:`QuickPages` where there are some; every other question goes to the ORM's service,
    made when first asked. A database that does not answer raises DatabaseUnreachable, whichever
    path asked it (desk.db.reach)."""

    def __init__(self, pages: QuickPages | None, full: Callable[[], LogService]):
        self._pages = pages
        self._make_full = full

    @cached_property
    def _full(self) -> LogService:
        return self._make_full()

    @said_unreachable
    def page(self, where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage:
        if self._pages is None:
            return self._full.page(where, limit=limit, after=after)
        return self._pages.page(where, limit=limit, after=after)

    @said_unreachable
    def record(self, record_id: str) -> ConsultationRecord | None:
        return self._full.record(record_id)

    @said_unreachable
    def stored_result(self, record_id: str) -> dict[str, Any] | None:
        return self._full.stored_result(record_id)

    @said_unreachable
    def record_reprint(self, record_id: str, *, now: dt.datetime | None = None) -> int | None:
        return self._full.record_reprint(record_id, now=now)

    @said_unreachable
    def counts(self, where: LogFilter = EVERYTHING) -> LogCounts:
        return self._full.counts(where)

    @said_unreachable
    def stats(self, where: LogFilter = EVERYTHING, *, by: str) -> list[LogStat]:
        return self._full.stats(where, by=by)

    @said_unreachable
    def set_follow_up(self, reference_no: str, *, status: str | None, day: dt.date | None = None) -> bool:
        return self._full.set_follow_up(reference_no, status=status, day=day)

    @said_unreachable
    def pack_titles(self) -> dict[str, str]:
        return self._full.pack_titles()

    @said_unreachable
    def export_csv(self, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> bytes:
        return self._full.export_csv(where, include_personal=include_personal)

    @said_unreachable
    def write_csv(self, path: Path, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> int:
        return self._full.write_csv(path, where, include_personal=include_personal)

    @said_unreachable
    def record_consent(self, reference_no: str, *, consent: bool, referred_window: str | None) -> None:
        self._full.record_consent(reference_no, consent=consent, referred_window=referred_window)

    @said_unreachable
    def shared_record(self, reference_no: str) -> ConsultationRecord | None:
        return self._full.shared_record(reference_no)
