"""Whether a database is one desk may open and migrate: not another application's, not a newer desk's.

desk migrates an empty database and fills it on first use. Two databases must be refused
before anything is written to them: another application's SQLite file given by mistake
(desk would add its sixty tables beside the other's), and a database a newer desk has
migrated past the revisions this desk knows (Alembic would fail on every command). A
SQLite file is looked at read-only with the standard library before any connection sets
WAL on it, so the file is left exactly as it was; any database (PostgreSQL too) is looked
at again by :func:`desk.db.setup.ensure_ready` before migrating.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from desk.db.migrations import HEAD_REVISION

# Tables a database may hold without being another application's: SQLite's own.
_SQLITE_INTERNAL = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})


class DatabaseRefused(Exception):
    """A database desk will not open; the message says why and what to do. ``code`` is the
    exit code (2: the wrong file was given; 1: this desk is too old for it)."""

    code = 1


class ForeignDatabase(DatabaseRefused):
    code = 2


class NewerDatabase(DatabaseRefused):
    code = 1


class MigrationNotAllowed(DatabaseRefused):
    """A schema behind this desk's, on a server whose connected role may not migrate it (a window's):
    the administrator upgrades it, as ``owner`` (desk_admin on a server secured by `desk server init`,
    else the role owning desk's tables; None when not known) (issue 17).

    Exit 2 for every command, as for a database that is not desk's: nothing this desk or its user can
    do from this role helps; the server has to be brought up to date first. The app alone opens all the
    same, on this counter's kept catalogue, says this line and logs nothing (desk.db.store.Store.open)."""

    code = 2

    def __init__(self, role: str, revision: str | None, owner: str | None = None):
        self.role, self.revision, self.owner = role, revision, owner
        who = f"サーバーの管理者が {owner[:63]} のロールで" if owner else "サーバーの管理者が"
        super().__init__(f"共有サーバーのデータベースが古い版です（現在 {revision or 'なし'}、"
                         f"この desk は {HEAD_REVISION}）。接続しているロール {role[:63]} では更新できません:"
                         f" {who} desk db upgrade を実行してから、もう一度開いてください")


def check_sqlite_file(path: Path) -> None:
    """Raise DatabaseRefused for a SQLite file that is neither empty nor one this desk can use.
    A file that is missing, empty or not SQLite at all is left to the opening (which creates
    the one and reports the other)."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except (OSError, sqlite3.Error):
        return
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.Error:
        return
    finally:
        connection.close()
    check_tables(str(path), tables, revision)


def check_tables(where: str, tables: Iterable[str], revision: str | None) -> None:
    """Raise DatabaseRefused when ``tables`` and ``revision`` are not those of an empty
    database or of a desk database at a revision this desk knows."""
    if revision == HEAD_REVISION:
        return
    if revision is None:
        others = sorted(set(tables) - _SQLITE_INTERNAL - {"alembic_version"})
        if others:
            named = "、".join(others[:5]) + (f" ほか {len(others) - 5} 個" if len(others) > 5 else "")
            raise ForeignDatabase(f"{where}: desk のデータベースではありません（ほかのアプリケーションの表: {named}）。"
                                  "空のファイルか desk のデータベースを指定してください（ファイルは変えていません）")
        return
    from desk.db.setup import known_revisions  # Alembic's scripts: only for a database not at the head

    if revision not in known_revisions():
        shown = str(revision)[:40]
        raise NewerDatabase(f"{where}: このデータベースは新しい版の desk で書かれています（スキーマの版 {shown!r}、"
                            f"この desk は {HEAD_REVISION} まで）。新しい desk に更新して開いてください"
                            "（データベースは変えていません）")
