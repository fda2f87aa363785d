"""What every command shares: exit codes, the one-line error, opening the database, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from desk.db.store import Store

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_PROBLEM):
        super().__init__(message)
        self.code = code


def database_url(args: argparse.Namespace) -> str:
    from desk.db.urls import UnsupportedDatabaseUrl, check_scheme, resolve_database_url
    from desk.settings import PASSWORD_IN_SETTINGS, Settings, SettingsError, has_password

    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise CliError(str(exc)) from exc
    try:
        url = check_scheme(resolve_database_url(cli_db=args.db, setting=settings.get("database_url")))
    except UnsupportedDatabaseUrl as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    if url == settings.get("database_url") and has_password(url):   # the file keeps it in plain text
        print(f"desk: 警告: {PASSWORD_IN_SETTINGS}", file=sys.stderr)
    if settings.get("use_keyring") and not url.startswith("sqlite"):
        from desk.db import passwords

        try:
            passwords.check_keyring()
            passwords.use_keyring(True)
        except passwords.PasswordStoreError as exc:   # libpq's password file is still read
            print(f"desk: 警告: {exc}", file=sys.stderr)
    return url


def open_store(args: argparse.Namespace, *, behind_ok: bool = False, quick_log: bool = False) -> Store:
    """The database for the quick commands (match, referral, the app): see desk.db.store.
    ``behind_ok`` is the app's: a server behind this desk that this role may not upgrade opens
    held back (Store.held_back: it says so, matches on the kept catalogue, writes nothing).
    ``quick_log`` (`desk log search`): the log's pages from a server without SQLAlchemy too."""
    from desk.db.store import Store

    with opening_database():
        url = database_url(args)
        _close_data_dir()
        store = Store.open(url, behind_ok=behind_ok, quick_log=quick_log)
    for warning in store.warnings:
        print(f"desk: 警告: {warning}", file=sys.stderr)
    if store.schema_behind is not None:
        # The same line as `desk db upgrade`; the interrupted sheets' notes wait for a start that may
        # write (settling them deletes records from the log).
        print(f"desk: 警告: {store.schema_behind.line}", file=sys.stderr)
        return store
    _settle_interrupted_sheets(store)
    return store


def _settle_interrupted_sheets(store: Store) -> None:
    """Records whose sheet a killed `desk referral` never wrote are removed (desk.sheets.pending)."""
    import os

    from desk import paths

    try:   # the usual case, on the app's start path: no folder, or an empty one
        with os.scandir(paths.get().data_dir / "pending-sheets") as entries:
            if not any(entry.name.endswith(".json") for entry in entries):
                return
    except OSError:
        return
    from desk.sheets.pending import recover

    removed = recover(store.url, store.log_writer.delete)
    if removed:
        print(f"desk: 中断された案内書の相談記録 {len(removed)} 件を取り消しました（案内書が作られていなかったため）",
              file=sys.stderr)


def open_database(args: argparse.Namespace, *, ready: bool = True) -> Store:
    """The database through the ORM, for the commands that list, import and administer
    (``ready``: migrated and filled on first run)."""
    from desk.db import setup
    from desk.db.store import Store

    with opening_database():
        url = database_url(args)
        _refuse_unusable_file(url)
        store = Store(url)
        _close_data_dir()
        if ready:
            setup.ensure_ready(store.engine)
    if ready:
        _settle_interrupted_sheets(store)
    return store


def _refuse_unusable_file(url: str) -> None:
    # Before the engine connects (it sets WAL, changing the file): desk.db.guard.
    from desk.db.guard import check_sqlite_file
    from desk.db.urls import plain_sqlite_file

    path = plain_sqlite_file(url)
    if path is not None:
        check_sqlite_file(path)


def _close_data_dir() -> None:
    """The data folder holds the consultations and their caches whatever the database: closed to
    others when a command uses it (issue 15, item 13)."""
    from desk import paths

    paths.tighten_private_dir(paths.get().data_dir)


@contextmanager
def opening_database() -> Iterator[None]:
    """Opening (and on first run filling) the database: a locked file or a broken bundled pack
    is a one-line message."""
    try:
        yield
    except OSError as exc:
        raise CliError(f"データベースを開けません（{short(exc)}）") from exc
    except Exception as exc:
        from desk.db.guard import DatabaseRefused
        from desk.db.packs.schema import PackInvalid  # the pack reader: not on the quick path

        if isinstance(exc, DatabaseRefused):
            raise CliError(str(exc), exc.code) from exc
        if isinstance(exc, PackInvalid):
            raise CliError(f"同梱データパックを読めません:\n{exc}") from exc
        raise


def database_problem(exc: BaseException) -> str:
    """What went wrong with the database, in one line: another process holding it past the
    busy timeout, a record clashing with one already there, or a database that cannot be opened
    (all three were "cannot open the database" before)."""
    import sqlite3

    sa_exc = sys.modules.get("sqlalchemy.exc")  # imported only where SQLAlchemy already is
    services = sys.modules.get("desk.db.services")
    if services is not None and isinstance(exc, services.DatabaseUnreachable):
        exc = exc.__cause__ or exc   # the driver's error: its words, and whether the server refused
    text = short(exc)
    if refused_by_server(exc):
        return REFUSED_BY_SERVER
    if isinstance(exc, sqlite3.IntegrityError) or (sa_exc is not None and isinstance(exc, sa_exc.IntegrityError)):
        return f"データベースに書き込めません: 既にある記録と重なります（{text}）。データベースは変わっていません"
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        from desk.db.quick import BUSY_TIMEOUT_MS

        return (f"データベースがほかの desk の処理に使われていて、{BUSY_TIMEOUT_MS // 1000} 秒待っても空きませんでした"
                f"（{text}）。しばらくしてからもう一度実行してください")
    return f"データベースを開けません（{text}）"


# PostgreSQL's "insufficient privilege": a window's role asked to do what only desk_admin may.
_INSUFFICIENT_PRIVILEGE = "42501"
REFUSED_BY_SERVER = ("サーバーがこの操作を断りました: 接続しているロールには権限がありません"
                     "（カタログの変更とデータパックの取り込みはサーバーの管理者が行います。データベースは変わっていません）")


def refused_by_server(exc: BaseException) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == _INSUFFICIENT_PRIVILEGE


def output_file(path: Path) -> Path:
    """A file the user named for desk to write: an existing regular file or a new name in an
    existing folder; a device, a FIFO or a folder is bad input (exit 2), said before any work."""
    from desk.fileio import check_output_path

    try:
        return check_output_path(path)
    except OSError as exc:
        raise file_error(path, exc) from exc


def input_files(paths: Iterable[Path]) -> None:
    """Files the user named for desk to read: a device, a FIFO or a folder is bad input (exit 2)
    before anything is read (the readers refuse them too, for the app; this gives the exit code)."""
    from desk.fileio import FileRefused, check_input_path

    for path in paths:
        try:
            check_input_path(path)
        except FileRefused as exc:
            raise CliError(str(exc), EXIT_USAGE) from exc


def file_error(path: Path, exc: OSError, failed: str = "に書き込めません") -> CliError:
    """A file desk could not write as one line: refused (a device, a FIFO) is bad input, exit 2;
    a full disk or a size limit exit 1."""
    from desk.fileio import FileRefused, describe

    if isinstance(exc, FileRefused):
        return CliError(str(exc), EXIT_USAGE)
    return CliError(f"{path} {failed}（{describe(exc)}）")


def short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def print_json(data: Any) -> None:
    # One write, not json.dump's one per token: each write passes desk.cli.terminal's filter.
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def refresh_snapshot(store: Store) -> None:
    """Make the catalogue's copy on disk now, so the next start and referral are quick (the store
    keys the copy by the URL the next command opens, and rewrites it when stale)."""
    store.matcher.loaded()
