"""The database of one desk process: quick where it can be, SQLAlchemy where it must.

A :class:`Store` hands out what the app and the commands need: the match service, the
consultation-log writer, and the services of :mod:`desk.db.services` for everything else
(the admin screens, the log, pack imports): it is the window's ``DeskServices``. For a
SQLite file at the current revision the first two run on the stdlib quick path
(:mod:`desk.db.quick`) and SQLAlchemy is imported only when a session is first asked
for; otherwise everything goes through the ORM. The engine itself (the catalogue and the
matching modules) loads on the first match.
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

from desk.db import cache
from desk.db.location import network_share_warning
from desk.db.quick import QuickSource, QuickSqlite
from desk.db.urls import plain_sqlite_file

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from desk.db.backup import BackupPurge
    from desk.db.guard import MigrationNotAllowed
    from desk.db.loaders import OrmSource
    from desk.db.log_quick import QuickPages
    from desk.db.service_impl import OrmAdminService, OrmCatalogueQueries, OrmPackService
    from desk.db.services import LogService, SchemaBehind
    from desk.db.sharing import OrmServerService
    from desk.db.snapshot import KeptCopy
    from desk.log.records import LogWriter
    from desk.matching.service import MatchService


class Purged(NamedTuple):
    records: int                          # in the database
    backups: BackupPurge | None           # None: not looked at (a server's backups are its own)


class Store:
    def __init__(self, url: str, *, engine: Engine | None = None, quick: QuickSqlite | None = None,
                 cache_file: Path | None = None):
        self.url = url
        self._engine = engine
        self._quick = quick
        self._cache_file = cache_file or cache.catalogue_file(url)
        self._lock = threading.Lock()
        self._sessionmaker: Callable[[], Session] | None = None
        path = plain_sqlite_file(url)
        warning = network_share_warning(path) if path is not None else None
        self.warnings: list[str] = [warning] if warning else []
        self.schema_behind: SchemaBehind | None = None
        self._refused: MigrationNotAllowed | None = None   # with schema_behind: every use of the database
        self._kept: KeptCopy | None = None
        self._server_pages: QuickPages | None = None   # the log's pages on a server, read through libpq
        self._pages: QuickPages | None = None

    @classmethod
    def open(cls, url: str, *, behind_ok: bool = False, quick_log: bool = False) -> Store:
        """The database at ``url``, migrated and filled on first run (raises the errors of
        :func:`desk.db.setup.ensure_ready`). ``behind_ok`` (the app): a schema behind this desk's
        that the connected role may not migrate gives a store held back from it (:meth:`held_back`)
        instead of desk.db.guard.MigrationNotAllowed; every other refusal stands. ``quick_log``
        (`desk log search`): a server at this desk's revision, filled, is not looked at through
        SQLAlchemy; the log's pages are read through libpq (desk.db.log_quick), the rest as usual."""
        path = plain_sqlite_file(url)
        if quick_log and path is None and url.startswith("postgresql"):
            from desk.db.log_quick import server_pages

            pages = server_pages(url)
            if pages is not None:
                store = cls(url)
                store._server_pages = pages
                return store
        quick = QuickSqlite.open(path) if path else None
        if quick is not None and quick.has_packs():
            return cls(url, quick=quick)
        if quick is not None:
            quick.close()
        if path is not None:
            from desk.db.guard import check_sqlite_file

            check_sqlite_file(path)   # another application's file, a newer desk's: refused untouched
        store = cls(url)
        from desk.db import setup
        from desk.db.guard import MigrationNotAllowed

        try:
            setup.ensure_ready(store.engine)
        except MigrationNotAllowed as refused:   # raised before anything is written (setup.upgrade)
            store.close()
            if not behind_ok:
                raise
            return cls.held_back(url, refused)
        store._quick = QuickSqlite.open(path) if path else None
        return store

    @classmethod
    def held_back(cls, url: str, refused: MigrationNotAllowed) -> Store:
        """A store for a counter whose server is behind this desk's revision and may not be upgraded
        from its role (issue 17): it matches on the catalogue copy this counter kept on disk, when
        there is one (desk.db.snapshot.KeptCopy says why that copy and nothing read from the old
        schema), and it never reaches the database again: its engine, and so the log writer, the
        admin, log, pack and server services, raise ``refused`` anew. The old schema's log tables
        cannot be trusted to be what this desk writes, so nothing is written to them; its catalogue
        tables are not what this desk's models read."""
        from desk.db.services import SchemaBehind
        from desk.db.snapshot import KeptCopy

        store = cls(url)
        store._refused = refused
        store._kept = KeptCopy.read(store._cache_file)
        store.schema_behind = SchemaBehind(str(refused), store._kept.saved_at if store._kept else None)
        return store

    @classmethod
    def for_engine(cls, engine: Engine) -> Store:
        """A store on an engine made elsewhere (tests, tools); quick too when it is a SQLite file."""
        url = engine.url.render_as_string(hide_password=False)
        path = plain_sqlite_file(url)
        return cls(url, engine=engine, quick=QuickSqlite.open(path) if path else None)

    @property
    def is_quick(self) -> bool:
        return self._quick is not None

    @property
    def engine(self) -> Engine:
        if self._refused is not None:
            self._refuse()
        with self._lock:
            if self._engine is None:
                from desk.db.engine import make_engine

                self._engine = make_engine(self.url)
            return self._engine

    def _refuse(self) -> NoReturn:
        from desk.db.guard import MigrationNotAllowed

        refused = self._refused
        assert refused is not None
        raise MigrationNotAllowed(refused.role, refused.revision, refused.owner)

    def make_session(self) -> Session:
        if self._sessionmaker is None:
            from desk.db.engine import session_factory

            self._sessionmaker = session_factory(self.engine)
        return self._sessionmaker()

    def _orm_source(self) -> OrmSource:
        from desk.db.loaders import OrmSource

        return OrmSource(self.make_session, self._cache_file)

    @property
    def first_view_file(self) -> Path:
        return cache.first_view_file(self.url)

    def fingerprint(self) -> tuple[object, ...]:
        """The catalogue's fingerprint now (one query; it changes with an import or an admin edit);
        DatabaseUnreachable when the database does not answer (the window asks every 30 s)."""
        try:
            return self._fingerprint()
        except Exception as exc:
            from desk.db.reach import raise_if_unreachable  # only then: off the start's path

            raise_if_unreachable(exc)
            raise

    def _fingerprint(self) -> tuple[object, ...]:
        if self._quick is not None:
            return self._quick.fingerprint()
        if self.schema_behind is not None:   # the kept copy's for ever: nothing else is looked at
            return self._kept.fingerprint() if self._kept is not None else ()
        return self.matcher.fingerprint()

    @cached_property
    def matcher(self) -> MatchService:
        from desk.matching.service import MatchService

        if self._refused is not None:
            if self._kept is None:   # nothing to match with: the window shows no results
                self._refuse()
            return MatchService(self._kept)
        if self._quick is not None:
            return MatchService(QuickSource(self._quick, self._cache_file, self._orm_source))
        return MatchService(self._orm_source())

    @cached_property
    def log_writer(self) -> LogWriter:
        if self._quick is not None:
            return self._quick
        from desk.db.consultations import OrmLogWriter

        return OrmLogWriter(self.make_session)

    @cached_property
    def admin(self) -> OrmAdminService:
        from desk.db.service_impl import OrmAdminService

        return OrmAdminService(self.make_session)

    @cached_property
    def log(self) -> LogService:
        """The log's service; its pages by the quick path where there is one (desk.db.log_quick)."""
        self._pages = self._server_pages
        if self._pages is None and self._quick is not None:
            from desk.db.log_quick import sqlite_pages

            self._pages = sqlite_pages(self._quick.path)
        elif self._pages is None and self._refused is None and self.url.startswith("postgresql"):
            # The log window on a shared server: its pages through libpq too (0.21 s to the first
            # page at 10^6 through the ORM, whose first query of the log is compiled then). A server
            # libpq cannot reach now is left to the ORM (both say DatabaseUnreachable, desk.db.reach).
            from desk.db.libpq import LibpqError
            from desk.db.log_quick import server_pages

            try:
                self._pages = server_pages(self.url)
            except LibpqError:
                self._pages = None
        from desk.db.log_quick import QuickLogService

        return QuickLogService(self._pages, self._orm_log)   # (None: the ORM's pages)

    def _orm_log(self) -> LogService:
        from desk.db.log_service import OrmLogService

        return OrmLogService(self.make_session)

    @cached_property
    def packs(self) -> OrmPackService:
        from desk.db.service_impl import OrmPackService

        return OrmPackService(self.engine, self.make_session)

    @cached_property
    def server(self) -> OrmServerService:
        """What a secured shared server adds (desk.db.sharing)."""
        from desk.db.sharing import OrmServerService

        return OrmServerService(self.make_session)

    @cached_property
    def queries(self) -> OrmCatalogueQueries:
        """The catalogue and the directory as lists, for the commands."""
        from desk.db.service_impl import OrmCatalogueQueries

        return OrmCatalogueQueries(self.make_session)

    def purge_personal_details(self, *, older_than_days: int) -> int:
        """Clear visitors' names and phones from records older than the given days (the database
        only: the app then clears the backups off its GUI thread, :meth:`purge_backups`)."""
        from desk.log.records import purge_cutoff

        return self.log_writer.purge_personal(purge_cutoff(older_than_days))

    def purge_backups(self, *, older_than_days: int) -> BackupPurge | None:
        """The same in every backup of a SQLite file (rewritten; a VACUUM each, so some time);
        None for a server, whose backups are its own (pg_dump)."""
        if plain_sqlite_file(self.url) is None:
            return None
        from desk.db import backup
        from desk.log.records import purge_cutoff

        return backup.purge_backups(purge_cutoff(older_than_days))

    def purge(self, *, older_than_days: int) -> Purged:
        """`desk log purge`: the database, then the backups (always: a backup may predate an
        earlier purge that cleared the database)."""
        cleared = self.purge_personal_details(older_than_days=older_than_days)
        return Purged(cleared, self.purge_backups(older_than_days=older_than_days))

    def close(self) -> None:
        if self._quick is not None:
            self._quick.close()
        pages = self._pages or self._server_pages   # the same when the log was asked for on a server
        if pages is not None:
            pages.close()
        if self._engine is not None:
            self._engine.dispose()
