"""The services of :mod:`desk.db.services` on SQLAlchemy: each opens its own short sessions.

A :class:`desk.db.store.Store` builds them on first use (``store.admin``, ``store.log``,
``store.packs``, ``store.queries``), so SQLAlchemy loads when a screen or a command first
needs it, never at the app's start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from desk.db import admin, consultations
from desk.db.services import (
    EVERYTHING,
    ConsultationRecord,
    EditsAtStake,
    LogCounts,
    LogCursor,
    LogFilter,
    LogPage,
    LogStat,
    PacksRejected,
    RemovalsAtStake,
)

if TYPE_CHECKING:
    from desk.db.packs.importer import ImportSummary


class OrmAdminService:
    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session

    def program_rows(self) -> list[dict[str, Any]]:
        with self._make_session() as session:
            return admin.program_rows(session)

    def office_rows(self) -> list[dict[str, Any]]:
        with self._make_session() as session:
            return admin.office_rows(session)

    def office_values(self, office_id: str) -> dict[str, Any]:
        with self._make_session() as session:
            return admin.office_values(session, office_id)

    def variant_values(self, variant_id: str) -> dict[str, Any]:
        with self._make_session() as session:
            return admin.variant_values(session, variant_id)

    def variant_labels(self, variant_id: str) -> dict[str, str]:
        with self._make_session() as session:
            return admin.variant_labels(session, variant_id)

    def variant_title(self, variant_id: str) -> str:
        with self._make_session() as session:
            return admin.variant_title(session, variant_id)

    def update_office(self, office_id: str, changes: dict[str, Any]) -> None:
        admin.update_office(self._make_session, office_id, changes)

    def update_variant(self, variant_id: str, changes: dict[str, Any]) -> None:
        admin.update_variant(self._make_session, variant_id, changes)


class OrmLogService:
    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session

    def page(self, where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage:
        return consultations.log_page(self._make_session, where, limit=limit, after=after)

    def record(self, record_id: str) -> ConsultationRecord | None:
        return consultations.get_record(self._make_session, record_id)

    def stored_result(self, record_id: str) -> dict[str, Any] | None:
        return consultations.stored_result(self._make_session, record_id)

    def record_reprint(self, record_id: str, *, now: dt.datetime | None = None) -> int | None:
        return consultations.record_reprint(self._make_session, record_id, now=now or dt.datetime.now(dt.UTC))

    def pack_titles(self) -> dict[str, str]:
        return consultations.pack_titles(self._make_session)

    def set_follow_up(self, reference_no: str, *, status: str | None, day: dt.date | None = None) -> bool:
        return consultations.set_follow_up(self._make_session, reference_no, status=status, day=day,
                                           now=dt.datetime.now(dt.UTC))

    def counts(self, where: LogFilter = EVERYTHING) -> LogCounts:
        return consultations.log_counts(self._make_session, where)

    def stats(self, where: LogFilter = EVERYTHING, *, by: str) -> list[LogStat]:
        return consultations.log_stats(self._make_session, where, by=by)

    def export_csv(self, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> bytes:
        from desk.db import log_csv

        return log_csv.export_csv(self._make_session, where, include_personal=include_personal)

    def write_csv(self, path: Path, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> int:
        from desk.db import log_csv

        return log_csv.write_csv(self._make_session, path, where, include_personal=include_personal)

    def record_consent(self, reference_no: str, *, consent: bool, referred_window: str | None) -> None:
        from desk.db import sharing

        sharing.record_consent(self._make_session, reference_no, consent=consent, referred_window=referred_window)

    def shared_record(self, reference_no: str) -> ConsultationRecord | None:
        from desk.db import sharing

        return sharing.shared_record(self._make_session, reference_no)


class OrmPackService:
    """Imports in one transaction on the engine (with a backup of a SQLite file first)."""

    def __init__(self, engine: Engine, make_session: Callable[[], Session]):
        self._engine = engine
        self._make_session = make_session

    def import_files(self, files: Sequence[Path], *, overwrite_edits: bool = False,
                     allow_removals: bool = False) -> list[ImportSummary]:
        from desk.db import setup
        from desk.db.packs.importer import EditsWouldBeLost, RemovalsNeedConsent
        from desk.db.packs.schema import PackInvalid

        try:
            return list(setup.import_files(self._engine, list(files), overwrite_edits=overwrite_edits,
                                           allow_removals=allow_removals))
        except PackInvalid as exc:
            raise PacksRejected(str(exc)) from exc
        except EditsWouldBeLost as exc:
            raise EditsAtStake(str(exc)) from exc
        except RemovalsNeedConsent as exc:
            raise RemovalsAtStake(str(exc)) from exc

    def export(self, directory: Path) -> list[Path]:
        from desk.db.packs import exporter

        with self._make_session() as session:
            return exporter.export_packs(session, directory)


class OrmCatalogueQueries:
    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session

    def provider_ids(self) -> list[str]:
        from desk.db import catalogue

        with self._make_session() as session:
            return catalogue.provider_ids(session)

    def programs(self, *, provider: str | None, on: dt.date) -> list[dict[str, Any]]:
        from desk.db import catalogue

        with self._make_session() as session:
            return catalogue.list_programs(session, provider=provider, on=on)

    def contacts(self, *, role: str | None, prefecture: str | None, municipality: str | None,
                 postal_code: str | None) -> tuple[str | None, list[dict[str, Any]]]:
        from desk.db import directory

        with self._make_session() as session:
            place = None
            if municipality or postal_code or prefecture:
                place = directory.resolve_place(session, prefecture=prefecture, municipality=municipality,
                                                postal_code=postal_code)
            return (place.label if place else None), directory.list_contacts(session, role=role, place=place)
