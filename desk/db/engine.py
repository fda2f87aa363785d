"""Which database desk uses and how it connects.

Precedence of the database location: ``--db PATH`` > ``DESK_DATABASE_URL`` > the
``database_url`` setting > the default SQLite file in the user data folder.
SQLite runs with foreign keys on, WAL and a busy timeout; the file is created
readable by the user alone because it holds consultation records.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desk import paths

BUSY_TIMEOUT_MS = 10_000


def resolve_database_url(*, cli_db: str | None = None, setting: str | None = None) -> str:
    """The database URL from the command line, the environment, the settings or the default."""
    for candidate in (cli_db, os.environ.get("DESK_DATABASE_URL"), setting):
        if candidate:
            return candidate if "://" in candidate else sqlite_url(Path(candidate))
    return sqlite_url(paths.get().default_database)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files are created private and tuned for a desktop."""
    db_path = sqlite_path(url)
    if db_path is not None:
        _create_private_file(db_path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> Callable[[], Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # A plain cursor rather than the documented `autocommit` snippet, which
    # needs Python 3.12's sqlite3 and breaks on 3.11.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()
        if mode and mode[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _create_private_file(path: Path) -> None:
    paths.ensure_private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
