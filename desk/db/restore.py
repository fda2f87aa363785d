"""Putting a backup back: only a desk database that opens, checks and reads, purged first.

`desk db restore FILE` used to check only that FILE held a known schema revision, so a
SQLite file holding nothing but a version table replaced the database with an empty shell,
and a backup from before a purge brought visitors' names back. Now the backup is copied
to a private working file first and everything is done there: the schema migrated to this
desk's, `desk db check`'s checks, the catalogue and every consultation record read, a
catalogue present, the retention rule (``personal_retention_days``) applied and the freed
pages wiped. Only then is the current database backed up and replaced, in one transaction
(SQLite's backup API), by the checked copy. A refusal leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from desk import paths
from desk.catalogue.domain import BrokenCatalogue
from desk.db import backup, setup
from desk.db import models as m
from desk.db.guard import DatabaseRefused, ForeignDatabase, check_sqlite_file, check_tables
from desk.fileio import create_private_file


class RestoreRefused(backup.BackupError):
    """The file given is not a desk database this desk can use; the database is unchanged."""


@dataclass(frozen=True)
class Restored:
    safety: Path | None          # the backup of what was there before
    cleared: int                 # records whose visitor's name or phone the retention rule cleared
    retention_days: int          # the rule applied (0: names are kept)


def restore(url: str, backup_file: Path, *, retention_days: int, now: dt.datetime | None = None) -> Restored:
    """Replace the database at ``url`` with ``backup_file`` once the copy has been checked and
    purged of names older than ``retention_days`` (0: none). Raises RestoreRefused naming the
    problem."""
    target = backup._database_file(url)
    try:
        check_sqlite_file(target)    # --db naming another application's file: not overwritten
    except ForeignDatabase as exc:
        raise RestoreRefused(str(exc)) from None
    except DatabaseRefused:
        pass                         # a newer desk's database: going back to an older backup is the way out
    if not backup_file.is_file():
        raise RestoreRefused(f"{backup_file}: ファイルがありません（データベースは変わっていません）")
    folder = paths.ensure_private_dir(target.parent)
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.restore.", suffix=".tmp")   # 0600
    os.close(fd)
    working = Path(name)
    try:
        _copy(backup_file, working, backup_file)
        cleared = _check_and_purge(working, backup_file, retention_days=retention_days, now=now)
        safety = backup.backup(url, "before-restore")
        create_private_file(target)
        destination = sqlite3.connect(target, timeout=10)
        try:
            source = sqlite3.connect(f"file:{working}?mode=ro", uri=True)
            try:
                # The pages in one transaction: other processes see the old database or the
                # restored one, never a mix.
                source.backup(destination)
            finally:
                source.close()
        finally:
            destination.close()
    finally:
        for leftover in (working, Path(f"{working}-wal"), Path(f"{working}-shm"), Path(f"{working}-journal")):
            leftover.unlink(missing_ok=True)
    return Restored(safety, cleared, retention_days)


def _copy(source_path: Path, working: Path, shown: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=10)
        try:
            destination = sqlite3.connect(working)
            try:
                source.backup(destination)
                destination.execute("PRAGMA journal_mode=DELETE")
            finally:
                destination.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise _refused(shown, f"SQLite のデータベースとして読めません（{exc}）") from None


def _check_and_purge(working: Path, shown: Path, *, retention_days: int, now: dt.datetime | None) -> int:
    from desk.db import engine as db_engine
    from desk.db.consultations import OrmLogWriter
    from desk.db.loaders import load_all
    from desk.log.records import purge_cutoff

    _check_file(working, shown)
    engine = db_engine.make_engine(db_engine.sqlite_url(working))
    try:
        try:
            if setup.current_revision(engine) != setup.head_revision():
                # An older desk's backup: migrated here, not in the live file; no backup of this
                # copy (it would keep the names the purge below clears).
                setup.upgrade(engine, backup_first=False)
            missing = sorted(set(m.Base.metadata.tables) - set(inspect(engine).get_table_names()))
            if missing:
                raise _refused(shown, f"desk の表がありません（{'、'.join(missing[:5])}）")
            problems = setup.check(engine).problems
            if problems:
                raise _refused(shown, f"検査で問題が見つかりました（{problems[0]}）")
            with Session(engine) as session:
                if not session.scalar(select(func.count()).select_from(m.DataPack)):
                    raise _refused(shown, "制度のカタログがありません（空のデータベースです）")
                load_all(session, ())                     # the catalogue as the match reads it
                for _record in session.scalars(select(m.Consultation)).yield_per(500):
                    pass                                  # every record as the log reads it
            cleared = 0
            if retention_days > 0:
                cleared = OrmLogWriter(db_engine.session_factory(engine)).purge_personal(
                    purge_cutoff(retention_days, now))
        except DatabaseRefused as exc:
            raise _refused(shown, str(exc).removeprefix(f"{working}: ")) from None
        except (SQLAlchemyError, BrokenCatalogue, ValueError, TypeError, KeyError) as exc:
            raise _refused(shown, f"desk のデータベースとして読めません（{_first_line(exc)}）") from None
    finally:
        engine.dispose()
    _wipe_free_pages(working)
    return cleared


def _check_file(working: Path, shown: Path) -> None:
    connection = sqlite3.connect(f"file:{working}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise _refused(shown, f"SQLite のデータベースとして読めません（{exc}）") from None
    finally:
        connection.close()
    if result != "ok":
        raise _refused(shown, "ファイルが壊れています（integrity_check）")
    if revision is None:
        raise _refused(shown, "desk のデータベースではありません（スキーマの版がありません）")
    try:
        check_tables(str(shown), tables, revision)
    except DatabaseRefused as exc:
        raise _refused(shown, str(exc).removeprefix(f"{shown}: ")) from None


def _wipe_free_pages(working: Path) -> None:
    # The purged names are still in the freed pages until they are overwritten: VACUUM rewrites
    # the file without them, so the restored database does not carry them either.
    connection = sqlite3.connect(working, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _refused(shown: Path, problem: str) -> RestoreRefused:
    return RestoreRefused(f"{shown}: {problem}（データベースは変わっていません）")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__
