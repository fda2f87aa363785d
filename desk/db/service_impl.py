"""The services of :mod:`desk.db.services` on SQLAlchemy: each opens its own short sessions.

A :class:`desk.db.store.Store` builds them on first use (``store.admin``, ``store.packs``,
``store.queries``; the log's is desk.db.log_service), so SQLAlchemy loads when a screen or a
command first needs it, never at the app's start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from desk.db import admin
from desk.db.services import (
    EditsAtStake,
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
