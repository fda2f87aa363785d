"""`MatchService`: one call from an intake to the JSON of INTAKE.md.

The catalogue, the directory and the places are loaded once (see
:mod:`desk.db.snapshot`) and kept until a pack is re-imported or an admin edit
lands (a one-query fingerprint decides), so a live update in the app re-runs only
the in-memory evaluation. Where the catalogue comes from is a *source*:
:class:`desk.db.loaders.OrmSource` (SQLAlchemy, any database) or
:class:`desk.db.quick.QuickSource` (stdlib sqlite3 and the copy on disk).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any, Protocol

from desk.db.snapshot import Loaded
from desk.intake.places import Place, PlaceError, PlaceLookup, resolve_place
from desk.intake.reader import Intake, IntakeError
from desk.intake.sales import compute_sales_change, merge_sales_change
from desk.matching import engine
from desk.matching.contacts import contacts_for, todo_where


class CatalogueSource(Protocol):
    def fingerprint(self) -> tuple: ...
    def load(self, fingerprint: tuple) -> Loaded: ...


class MatchService:
    """Runs matches against one database; safe to share between threads."""

    def __init__(self, source: CatalogueSource):
        self._source = source
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    def fingerprint(self) -> tuple:
        return self._source.fingerprint()

    def loaded(self) -> Loaded:
        fingerprint = self._source.fingerprint()
        with self._lock:
            if self._loaded is None or self._loaded.fingerprint != fingerprint:
                self._loaded = self._source.load(fingerprint)
            return self._loaded

    def match(self, intake: Intake, *, on: dt.date, warnings: list[str] | None = None) -> dict[str, Any]:
        loaded = self.loaded()
        return run(loaded, intake, resolve_intake_place(loaded.places, intake), on=on, warnings=warnings)


def resolve_intake_place(places: PlaceLookup, intake: Intake) -> Place:
    """The intake's place; an unknown municipality or postal code is an IntakeError."""
    try:
        return resolve_place(places, prefecture=intake.prefecture, municipality=intake.municipality,
                             postal_code=intake.postal_code)
    except PlaceError as exc:
        raise IntakeError(exc.field, str(exc)) from exc


def run(loaded: Loaded, intake: Intake, place: Place, *, on: dt.date,
        warnings: list[str] | None = None) -> dict[str, Any]:
    warnings = list(warnings or [])
    sales = intake.sales_change
    if intake.monthly_sales:
        sales, disagreements = merge_sales_change(sales, compute_sales_change(intake.monthly_sales, on))
        warnings.extend(disagreements)
    result = engine.match(loaded.catalogue, intake, on=on, sales=sales, prefecture=place.prefecture,
                          municipality=place.municipality, city=place.city, warnings=warnings)
    contacts = contacts_for(loaded.offices, place, result.programs)
    offices_by_id = {o.id: o for o in loaded.offices}
    return {
        "as_of": on.isoformat(),
        "place": place.label,
        "sme": {"is_sme": result.sme.is_sme, "size_class": result.sme.size_class, "reason": result.sme.reason},
        "sales_change": _sales_dict(sales),
        "programs": [_program_dict(r, intake, offices_by_id, contacts) for r in result.programs],
        "contacts": contacts,
        "warnings": result.warnings,
        "pack_versions": loaded.catalogue.pack_versions,
    }


def _program_dict(r: engine.ProgramResult, intake: Intake, offices_by_id: dict, contacts: list) -> dict[str, Any]:
    v, t = r.variant, r.terms
    todos = []
    for todo in r.todos:
        where, contact_id = todo_where(todo.where, offices_by_id, contacts, todo.certification)
        entry = {"what": todo.what, "where": where, "contact_id": contact_id, "kind": todo.kind}
        if todo.question:
            entry["question"] = todo.question
        todos.append(entry)
    return {
        "id": v.id,
        "name": v.name,
        "program": v.program_name,
        "provider": r.provider.name,
        "kind": v.kind,
        "status": r.status,
        "reasons": list(r.reasons),
        "todo": todos,
        "uses": list(v.uses),
        "limit_yen": v.limit_yen,
        "remaining_limit_yen": t.remaining_limit_yen,
        "separate_limit": v.limit_separate,
        "rate_pct": t.rate_pct if intake.term_months is not None or len(v.tiers) == 1 else None,
        "rate_tiers": [{"max_months": tier.max_months, "rate_pct": tier.rate_pct} for tier in v.tiers],
        "city_share_pct": t.city_share_pct,
        "own_rate_pct": t.own_rate_pct,
        "guarantee_fee_pct": list(t.fee_range_pct) if t.fee_range_pct else None,
        "max_term_months": v.term_max_months,
        "grace_months": v.grace_months,
        "source": {"file": v.source_file, "section": v.source_section},
        "data_as_of": v.as_of.isoformat() if v.as_of else None,
        "stale": r.stale,
        "notes": list(v.interpretations) + list(v.notes),
        "target_text": v.target_text,
        "use_notes": list(v.use_notes),
    }


def _sales_dict(sales) -> dict[str, Any]:
    return {
        "last_1m_pct": list(sales.last_1m), "last_3m_pct": list(sales.last_3m), "last_6m_pct": list(sales.last_6m),
        "next_3m_forecast_pct": list(sales.next_3m_forecast), "last_fy_pct": sales.last_fy,
    }
