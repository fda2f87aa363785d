"""Which database desk uses, decided without importing SQLAlchemy.

Precedence of the database location: ``--db PATH`` > ``DESK_DATABASE_URL`` > the
``database_url`` setting > the default SQLite file in the user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from desk import paths


def resolve_database_url(*, cli_db: str | None = None, setting: str | None = None) -> str:
    """The database URL from the command line, the environment, the settings or the default."""
    for candidate in (cli_db, os.environ.get("DESK_DATABASE_URL"), setting):
        if candidate:
            return candidate if "://" in candidate else sqlite_url(Path(candidate))
    return sqlite_url(paths.get().default_database)


# The databases desk runs on, as URL schemes: SQLite files and a shared PostgreSQL server
# through psycopg (SQLAlchemy 2.1's default driver for postgresql://).
SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")


class UnsupportedDatabaseUrl(ValueError):
    """A database URL desk cannot use; the message names it and the schemes it can."""


def check_scheme(url: str) -> str:
    """``url`` when its scheme is one desk runs on, else UnsupportedDatabaseUrl (before SQLAlchemy
    looks for a driver it does not have: `mysql://` and `nonsense://` ended in a traceback)."""
    scheme = url.split("://", 1)[0].strip().lower()
    if scheme not in SCHEMES:
        shown = url.split("://", 1)[0][:40]
        raise UnsupportedDatabaseUrl(f"データベースの URL の種類 {shown!r} には対応していません"
                                     "（SQLite のファイルか postgresql+psycopg://… を指定してください）")
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (no driver, no query), else None."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix):]
    return Path(path) if path and path != ":memory:" else None
