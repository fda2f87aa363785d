"""A database that does not answer, said as the one error the windows know.

The log window met a stopped server as SQLAlchemy's OperationalError from one path and
libpq's error from the other, raised out of Qt's slots: a traceback on stderr, nothing
on screen, and the rows of the last search left under the new one. The services the
windows use raise :class:`desk.db.services.DatabaseUnreachable` instead, which they say
in Japanese; an error that is not about reaching the database (a bug, a refused query)
goes on as it was.

The connection options bound how long a window waits for a server that is gone: libpq
(and so psycopg) waits for ever by default for a connection, and for the network's own
timeouts (many minutes) for an answer that never comes.
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from desk.db.services import DatabaseUnreachable

# libpq's names; each is given only where the URL does not set it.
CONNECTION_OPTIONS = {
    "connect_timeout": "10",          # seconds to reach the server
    "keepalives": "1",                # a connection the network dropped is found out ...
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
    "tcp_user_timeout": "30000",      # ... and so is data the server never acknowledged (ms)
}

P = ParamSpec("P")
R = TypeVar("R")


def is_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database did not answer, rather than that it refused a question."""
    from desk.db.libpq import LibpqError

    if isinstance(exc, DatabaseUnreachable):
        return True
    if isinstance(exc, LibpqError):
        return exc.connection
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return "locked" in str(exc) or "unable to open" in str(exc)
    sa_exc = sys.modules.get("sqlalchemy.exc")   # loaded only where the ORM is
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            driver_error = exc.orig
            # psycopg's OperationalError is the server gone, a connection lost or refused; SQLite's
            # OperationalError is also a missing table, which is not a matter of reaching it.
            return type(driver_error).__module__.startswith("psycopg") or is_unreachable(driver_error)
    return False


def said_unreachable(ask: Callable[P, R]) -> Callable[P, R]:
    """``ask``, raising DatabaseUnreachable where the database did not answer it."""

    @functools.wraps(ask)
    def asking(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return ask(*args, **kwargs)
        except Exception as exc:
            raise_if_unreachable(exc)
            raise

    return asking


def raise_if_unreachable(exc: Exception) -> None:
    """DatabaseUnreachable in place of ``exc`` where it says the database did not answer (in an
    ``except`` block, before its bare ``raise``)."""
    if isinstance(exc, DatabaseUnreachable) or not is_unreachable(exc):
        return
    words = str(exc).strip()
    raise DatabaseUnreachable(words.splitlines()[0] if words else type(exc).__name__) from exc

