"""`MatchService`: one call from an intake to its :class:`~desk.matching.answer.MatchReport`.

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
from typing import Any, NamedTuple, Protocol

from desk import textfmt, vocab
from desk.catalogue.domain import Catalogue, Tier, Variant
from desk.catalogue.offices import OfficeInfo
from desk.db.snapshot import Loaded
from desk.intake.places import Place, PlaceError, PlaceLookup, resolve_place
from desk.intake.reader import Intake, IntakeError
from desk.intake.sales import compute_sales_change, merge_sales_change
from desk.matching import engine, wording
from desk.matching.answer import Contact, FundResult, FundTodo, MatchReport, RateTier, SalesFigures, SourceRef
from desk.matching.contacts import contacts_for, todo_where
from desk.matching.remember import by_identity
from desk.matching.terms import ASSUMED_FEE_NOTE
from desk.rules.outcome import Todo


class CatalogueSource(Protocol):
    def fingerprint(self) -> tuple[Any, ...]: ...
    def load(self, fingerprint: tuple[Any, ...]) -> Loaded: ...


class MatchService:
    """Runs matches against one database; safe to share between threads."""

    def __init__(self, source: CatalogueSource):
        self._source = source
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()

    def fingerprint(self) -> tuple[Any, ...]:
        return self._source.fingerprint()

    def loaded(self) -> Loaded:
        fingerprint = self._source.fingerprint()
        with self._lock:
            if self._loaded is None or self._loaded.fingerprint != fingerprint:
                self._loaded = self._source.load(fingerprint)
            return self._loaded

    def match(self, intake: Intake, *, on: dt.date, warnings: list[str] | None = None) -> MatchReport:
        loaded = self.loaded()
        return run(loaded, intake, resolve_intake_place(loaded.places, intake), on=on, warnings=warnings)

    def input_errors(self, data: dict[str, Any]) -> list[IntakeError]:
        """Every input of ``data`` refused, by the reader or the place lookup: reading and matching
        stop at the first; the form names them all."""
        from desk.intake.reader import read_all

        read, errors = read_all(data)
        try:
            resolve_intake_place(self.loaded().places, read.intake)
        except IntakeError as exc:
            errors.append(exc)
        return errors


def resolve_intake_place(places: PlaceLookup, intake: Intake) -> Place:
    """The intake's place; an unknown municipality or postal code is an IntakeError."""
    try:
        return resolve_place(places, prefecture=intake.prefecture, municipality=intake.municipality,
                             postal_code=intake.postal_code)
    except PlaceError as exc:
        raise IntakeError(exc.field, str(exc)) from exc


def run(loaded: Loaded, intake: Intake, place: Place, *, on: dt.date,
        warnings: list[str] | None = None) -> MatchReport:
    warnings = list(warnings or [])
    catalogue = loaded.catalogue
    for key, known in (("plans", catalogue.plans), ("situations", catalogue.situations)):
        unknown = [i for i in getattr(intake, key) if i not in known]
        if unknown:   # ids a newer pack may declare: a warning, as an unknown key is (INTAKE.md)
            # The first few by name: an intake may list hundreds (one line on the sheet, not a page).
            named = ", ".join(i if len(i) <= 40 else i[:39] + "…" for i in unknown[:5])
            more = f" ほか {len(unknown) - 5} 個" if len(unknown) > 5 else ""
            warnings.append(f"{key}: このデータにない {named}{more} は判定に使っていません")
    warnings.extend(_list_warnings(intake, catalogue, on))
    sales = intake.sales_change
    if intake.monthly_sales:
        sales, disagreements = merge_sales_change(sales, compute_sales_change(intake.monthly_sales, on))
        warnings.extend(disagreements)
    result = engine.match(loaded.catalogue, intake, on=on, sales=sales, prefecture=place.prefecture,
                          municipality=place.municipality, city=place.city, warnings=warnings)
    contacts = contacts_for(loaded.offices, place, result.programs)
    has_term = intake.term_months is not None
    todos = _TodoWords(_offices_by_id(loaded.offices), contacts)
    return MatchReport(
        as_of=on,
        place=place.label,
        sme=result.sme,
        sales_change=SalesFigures(sales.last_1m, sales.last_3m, sales.last_6m, sales.next_3m_forecast, sales.last_fy),
        funds=tuple([_fund(r, has_term, todos, catalogue.source_titles) for r in result.programs]),
        contacts=contacts,
        warnings=tuple(result.warnings),
        pack_versions=loaded.catalogue.pack_versions,
    )


def _list_warnings(intake: Intake, catalogue: Catalogue, on: dt.date) -> list[str]:
    """What staff should hear about the complete lists (desk.rules.questions.list_warnings)."""
    if not (intake.answers or intake.situations or intake.plans) or not catalogue.providers:
        return []
    from desk.rules.questions import list_warnings

    provider = catalogue.providers.get(vocab.HOME_PROVIDER_ID) or next(iter(catalogue.providers.values()))
    return list_warnings(engine.facts_for(catalogue, intake, sales=intake.sales_change, on=on, provider=provider))


# Some seven hundred offices, indexed once per load.
_BY_ID: dict[int, tuple[tuple[OfficeInfo, ...], dict[str, OfficeInfo]]] = {}


def _offices_by_id(offices: tuple[OfficeInfo, ...]) -> dict[str, OfficeInfo]:
    return by_identity(_BY_ID, offices, lambda all_: {o.id: o for o in all_}, size=16)


_NO_ROUTE: tuple[str | None, str | None] = (None, None)


class _TodoWords:
    """The engine's to-dos with the contact each points to, for one match. Variants of one
    provider share their to-do lists (documents, certificates): each list is resolved once."""

    def __init__(self, offices_by_id: dict[str, OfficeInfo], contacts: tuple[Contact, ...]):
        self._offices_by_id = offices_by_id
        self._contacts = contacts
        self._lists: dict[tuple[Todo, ...], tuple[FundTodo, ...]] = {}
        self._one: dict[Todo, FundTodo] = {}
        self._routes: dict[tuple[Todo, ...], tuple[str | None, str | None]] = {}

    def __call__(self, todos: tuple[Todo, ...]) -> tuple[FundTodo, ...]:
        found = self._lists.get(todos)
        if found is None:
            found = self._lists[todos] = tuple([self._todo(t) for t in todos])
        return found

    def route(self, steps: tuple[Todo, ...]) -> tuple[str | None, str | None]:
        """A closed fund's route as one sentence, and the office to start at (one plan opens
        several funds: each route is worded once)."""
        if not steps:
            return _NO_ROUTE
        found = self._routes.get(steps)
        if found is None:
            words = self(steps)
            found = self._routes[steps] = (wording.route(words),
                                           next((w.contact_id for w in words if w.contact_id), None))
        return found

    def _todo(self, todo: Todo) -> FundTodo:
        found = self._one.get(todo)
        if found is None:
            where, contact_id = todo_where(todo.where, self._offices_by_id, self._contacts, todo.certification)
            found = self._one[todo] = FundTodo(todo.what, where, contact_id, todo.kind, todo.question or None)
        return found


def _fund(r: engine.ProgramResult, has_term: bool, todos: _TodoWords, titles: dict[str, str]) -> FundResult:
    v, p = r.variant, r.pricing
    f = _fixed(v, r.provider.name, titles)
    # Positional, in FundResult's field order: keywords would triple the cost of building a fund
    # (3 µs more each, 0.2 ms a match). tests/matching/test_service.py checks every field by name.
    return FundResult(
        v.id,                                   # id
        f.name,                                 # name
        v.program_name,                         # program
        f.provider,                             # provider
        v.kind,                                 # kind
        r.status,                               # status
        r.reasons,                              # reasons
        todos(r.todos),                         # todos
        v.uses,                                 # uses
        v.limit_yen,                            # limit_yen
        r.remaining_limit_yen,                  # remaining_limit_yen
        v.limit_separate,                       # separate_limit
        # Without a wanted term, a rate only where the fund has one (else the tiers say it).
        p.rate_pct if has_term or len(v.tiers) == 1 else None,   # rate_pct
        f.rate_tiers,                           # rate_tiers
        p.city_share_pct,                       # city_share_pct
        p.own_rate_pct,                         # own_rate_pct
        p.fee_range_pct,                        # guarantee_fee_pct
        v.term_max_months,                      # max_term_months
        v.grace_months,                         # grace_months
        f.source,                               # source
        f.data_as_of,                           # data_as_of
        r.stale,                                # stale
        f.notes if p.assumed_fee_pct is None else _assumed_fee_notes(f.notes, p.assumed_fee_pct),   # notes
        v.target_text,                          # target_text
        v.use_notes,                            # use_notes
        *todos.route(r.route),                  # route, route_contact_id
        f.term_by_use,                          # term_by_use
        r.cost,                                 # cost
    )


class _Fixed(NamedTuple):
    """A fund's fields of the answer that only the catalogue decides: worked out once per
    variant, not in every match."""

    name: str
    provider: str
    rate_tiers: tuple[RateTier, ...]
    source: SourceRef
    data_as_of: str | None
    notes: tuple[str, ...]
    term_by_use: tuple[tuple[str, int], ...]


# id(variant) -> (variant, source titles, its fixed fields). Kept beside their answer, so an
# id is never reused while it is a key.
_FIXED: dict[int, tuple[Variant, dict[str, str], _Fixed]] = {}


def _fixed(v: Variant, provider: str, titles: dict[str, str]) -> _Fixed:
    found = _FIXED.get(id(v))
    if found is None or found[0] is not v or found[1] is not titles or found[2].provider != provider:
        if len(_FIXED) > 65_536:   # catalogues reloaded many times in one process
            _FIXED.clear()
        fixed = _Fixed(v.name, provider, _rate_tiers(v.tiers),
                       SourceRef(v.source_file, v.source_section, titles.get(v.source_file or "")),
                       v.as_of.isoformat() if v.as_of else None, v.interpretations + v.notes,
                       tuple(v.term_by_use.items()) if v.term_by_use else ())
        found = _FIXED[id(v)] = (v, titles, fixed)
    return found[2]


def _assumed_fee_notes(notes: tuple[str, ...], assumed_fee_pct: float) -> tuple[str, ...]:
    return (*notes, ASSUMED_FEE_NOTE.format(pct=textfmt.pct(assumed_fee_pct).removesuffix("%")))


# A variant's tiers as the answer gives them, made once per tier table: the catalogue interns
# its tables, so a few dozen objects serve every match.
_TIERS: dict[int, tuple[tuple[Tier, ...], tuple[RateTier, ...]]] = {}


def _rate_tiers(tiers: tuple[Tier, ...]) -> tuple[RateTier, ...]:
    return by_identity(_TIERS, tiers, lambda table: tuple(RateTier(t.max_months, t.rate_pct) for t in table),
                       size=4096)
