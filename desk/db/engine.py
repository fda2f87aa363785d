"""Which database desk uses and how it connects.

Where the URL comes from: :mod:`desk.db.urls`.
SQLite runs with foreign keys on, WAL and a busy timeout; the file is created
readable by the user alone because it holds consultation records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desk.db import passwords
from desk.db.quick import BUSY_TIMEOUT_MS, apply_pragmas
from desk.db.reach import CONNECTION_OPTIONS
from desk.db.urls import resolve_database_url, sqlite_url
from desk.fileio import create_private_file

__all__ = ["BUSY_TIMEOUT_MS", "make_engine", "resolve_database_url", "session_factory", "sqlite_path", "sqlite_url"]

def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files are created private and tuned for a desktop."""
    db_path = sqlite_path(url)
    if db_path is not None:
        create_private_file(db_path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    elif url.startswith("sqlite"):
        engine = create_engine(url)
    else:
        # desk's timeouts for a server gone (desk.db.reach), where the URL does not set its own.
        given = set(make_url(url).query)
        server = create_engine(url, pool_pre_ping=True,
                               connect_args={k: v for k, v in CONNECTION_OPTIONS.items() if k not in given})
        if passwords.keyring_in_use() and server.url.password is None:
            passwords.fill_from_keyring(server, url)
        return server
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def session_factory(engine: Engine) -> Callable[[], Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # A plain cursor rather than the documented `autocommit` snippet, which
    # needs Python 3.12's sqlite3 and breaks on 3.11.
    apply_pragmas(dbapi_connection)
    # The driver's own transaction handling leaves DDL outside any transaction (a migration
    # killed half-way would stay half-done) and begins only at the first write: SQLAlchemy
    # begins instead (SQLAlchemy's "pysqlite serializable" recipe).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE: the write lock is taken at BEGIN, waiting (busy timeout) for another writer,
    # so a read-then-write transaction can never fail half-way with "database is locked" when
    # another process wrote in between. Readers are not blocked (WAL).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


