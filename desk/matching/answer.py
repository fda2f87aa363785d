"""The match's answer as typed, immutable objects: the report, one fund's result, one contact.

The engine and the service build a :class:`MatchReport`; the window, the CLI table and the
referral sheet read its attributes. JSON exists only at the edges (`desk match --json`,
the consultation log, the golden tests; the first-view cache pickles it): :meth:`MatchReport.to_json`
gives INTAKE.md's object with a ``schema`` number, and :meth:`MatchReport.from_json` reads
that schema and every earlier one, since offline laptops lag behind the server and the
log keeps old results for years (tests/matching/records holds a frozen copy of each).

Schemas:
  0  the unversioned JSON of desks before the typed answer (no ``schema`` key);
  1  the same keys and values, with ``"schema": 1`` first;
  2  each program also has ``route`` and ``route_contact_id`` (null in schemas 0 and 1);
  3  each program also has ``term_by_use_months`` (``{"working": 120, "equipment": 180}`` where the
     fund's term depends on the use, else null) and ``source.title`` (the document's title); both
     read as null from earlier schemas;
  4  each program also has ``cost`` (INTAKE.md: the visitor's cost in yen for eligible and
     conditional funds with a fixed rate and a known amount, else null); null from earlier schemas.

Immutable NamedTuples rather than frozen dataclasses, as the engine's own results are,
for two measured reasons (CPU time on the 2-core development machine): the window shows
a kept first view before the engine is loaded, so this module is on the app's start
path, where these seven classes as frozen dataclasses cost 10 ms to define (with the
``dataclasses`` module, otherwise not imported at start) against 4 ms as NamedTuples;
and a match builds a hundred of these objects, where a frozen dataclass's ``__init__``
takes 5.5 µs for a fund against 0.7 µs for a tuple (a quarter of a millisecond of the
2 ms match budget). Read them by attribute; change one with ``_replace``.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from desk.costs.cost import Cost

SCHEMA = 4
ELIGIBLE, CONDITIONAL, INELIGIBLE = "eligible", "conditional", "ineligible"


class SchemaError(ValueError):
    """JSON this desk cannot read as a match report (a newer schema, or damaged)."""


class SmeSummary(NamedTuple):
    is_sme: bool | None
    size_class: str | None       # micro | small | sme | large, None when unknown
    reason: str


class SalesFigures(NamedTuple):
    """The sales change the match used, in percent: each period against 1, 2 and 3 years earlier."""

    last_1m_pct: tuple[float | None, ...]
    last_3m_pct: tuple[float | None, ...]
    last_6m_pct: tuple[float | None, ...]
    next_3m_forecast_pct: tuple[float | None, ...]
    last_fy_pct: float | None


class FundTodo(NamedTuple):
    """Something to obtain, confirm or answer before the fund can be used, and where."""

    what: str
    where: str | None            # the contact's name (or a generic issuer) the visitor goes to
    contact_id: str | None
    kind: str                    # question | confirm | certificate | document
    question: str | None = None  # the question id a `question` to-do waits on


class RateTier(NamedTuple):
    max_months: int | None       # None: the last tier, no upper bound
    rate_pct: float | None       # None: the bank's own rate


class SourceRef(NamedTuple):
    file: str | None
    section: str | None
    title: str | None = None     # the document's title (神奈川県中小企業制度融資 令和8年度), for people


class FundResult(NamedTuple):
    """One program variant's result for this visitor (one entry of INTAKE.md's ``programs``)."""

    id: str
    name: str
    program: str
    provider: str
    kind: str                    # loan | interest_subsidy
    status: str                  # eligible | conditional | ineligible
    reasons: tuple[str, ...]
    todos: tuple[FundTodo, ...]
    uses: tuple[str, ...]
    limit_yen: int | None
    remaining_limit_yen: int | None
    separate_limit: bool
    rate_pct: float | None       # for the wanted term; None without a term when the tiers differ
    rate_tiers: tuple[RateTier, ...]
    city_share_pct: float | None
    own_rate_pct: float | None
    guarantee_fee_pct: tuple[float, float] | None
    max_term_months: int | None
    grace_months: int | None
    source: SourceRef
    data_as_of: str | None
    stale: bool
    notes: tuple[str, ...]
    target_text: str | None
    use_notes: tuple[str, ...]
    route: str | None = None             # ineligible: what the business could choose to do to open it
    route_contact_id: str | None = None  # where to start that step
    term_by_use: tuple[tuple[str, int], ...] = ()   # (use, maximum months) where the term differs by use
    cost: Cost | None = None             # what the loan asked for costs the visitor (desk.costs.estimate)


class Contact(NamedTuple):
    """An office the visitor is referred to, and why (one entry of INTAKE.md's ``contacts``)."""

    id: str
    role: str
    role_label: str
    name: str
    name_in_source: str
    organisation: str | None
    department: str | None
    phone: str | None
    address: str | None
    hours: str | None
    url: str | None
    distance_km: float | None
    why: str
    from_seed: bool
    source: str | None
    data_as_of: str | None


class MatchReport(NamedTuple):
    """Everything one match says about one intake on one day."""

    as_of: dt.date
    place: str
    sme: SmeSummary
    sales_change: SalesFigures
    funds: tuple[FundResult, ...]
    contacts: tuple[Contact, ...]
    warnings: tuple[str, ...]
    pack_versions: Mapping[str, str]

    def fund(self, fund_id: str) -> FundResult | None:
        return next((f for f in self.funds if f.id == fund_id), None)

    def to_json(self) -> dict[str, Any]:
        """INTAKE.md's object, ready for json.dumps: the current schema."""
        sales = self.sales_change
        return {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "place": self.place,
            "sme": {"is_sme": self.sme.is_sme, "size_class": self.sme.size_class, "reason": self.sme.reason},
            "sales_change": {
                "last_1m_pct": list(sales.last_1m_pct), "last_3m_pct": list(sales.last_3m_pct),
                "last_6m_pct": list(sales.last_6m_pct), "next_3m_forecast_pct": list(sales.next_3m_forecast_pct),
                "last_fy_pct": sales.last_fy_pct,
            },
            "programs": [_fund_json(f) for f in self.funds],
            "contacts": [_contact_json(c) for c in self.contacts],
            "warnings": list(self.warnings),
            "pack_versions": dict(self.pack_versions),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "MatchReport":
        """A report from JSON of any schema up to :data:`SCHEMA` (raises SchemaError)."""
        schema = data.get("schema", 0)
        if not isinstance(schema, int) or not 0 <= schema <= SCHEMA:
            raise SchemaError(f"結果の形式 {schema!r} はこのデスクでは読めません（新しい版のデスクで作られました）")
        try:
            # Schemas 0 to 4 differ only in keys added later: one reader serves them all.
            sme, sales = data["sme"], data["sales_change"]
            return cls(
                as_of=dt.date.fromisoformat(data["as_of"]),
                place=data["place"],
                sme=SmeSummary(sme["is_sme"], sme["size_class"], sme["reason"]),
                sales_change=SalesFigures(
                    tuple(sales["last_1m_pct"]), tuple(sales["last_3m_pct"]), tuple(sales["last_6m_pct"]),
                    tuple(sales["next_3m_forecast_pct"]), sales["last_fy_pct"]),
                funds=tuple(_fund_from_json(p) for p in data["programs"]),
                contacts=tuple(Contact(**c) for c in data["contacts"]),
                warnings=tuple(data["warnings"]),
                pack_versions=dict(data["pack_versions"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SchemaError(f"結果を読めません（{exc!r}）") from exc


# Every class a report is made of (desk.matching.first_view keeps reports as pickles of them).
CLASSES = (SmeSummary, SalesFigures, FundTodo, RateTier, SourceRef, FundResult, Contact, MatchReport, Cost)


def _fund_json(f: FundResult) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "program": f.program,
        "provider": f.provider,
        "kind": f.kind,
        "status": f.status,
        "reasons": list(f.reasons),
        "todo": [_todo_json(t) for t in f.todos],
        "uses": list(f.uses),
        "limit_yen": f.limit_yen,
        "remaining_limit_yen": f.remaining_limit_yen,
        "separate_limit": f.separate_limit,
        "rate_pct": f.rate_pct,
        "rate_tiers": [{"max_months": t.max_months, "rate_pct": t.rate_pct} for t in f.rate_tiers],
        "city_share_pct": f.city_share_pct,
        "own_rate_pct": f.own_rate_pct,
        "guarantee_fee_pct": list(f.guarantee_fee_pct) if f.guarantee_fee_pct else None,
        "max_term_months": f.max_term_months,
        "grace_months": f.grace_months,
        "source": {"file": f.source.file, "section": f.source.section, "title": f.source.title},
        "data_as_of": f.data_as_of,
        "stale": f.stale,
        "notes": list(f.notes),
        "target_text": f.target_text,
        "use_notes": list(f.use_notes),
        "route": f.route,
        "route_contact_id": f.route_contact_id,
        "term_by_use_months": dict(f.term_by_use) or None,
        "cost": f.cost.to_json() if f.cost is not None else None,
    }


def _todo_json(t: FundTodo) -> dict[str, Any]:
    entry: dict[str, Any] = {"what": t.what, "where": t.where, "contact_id": t.contact_id, "kind": t.kind}
    if t.question:
        entry["question"] = t.question
    return entry


def _contact_json(c: Contact) -> dict[str, Any]:
    return {
        "id": c.id, "role": c.role, "role_label": c.role_label, "name": c.name, "name_in_source": c.name_in_source,
        "organisation": c.organisation, "department": c.department, "phone": c.phone, "address": c.address,
        "hours": c.hours, "url": c.url, "distance_km": c.distance_km, "why": c.why, "from_seed": c.from_seed,
        "source": c.source, "data_as_of": c.data_as_of,
    }


def _fund_from_json(p: Mapping[str, Any]) -> FundResult:
    fee = p["guarantee_fee_pct"]
    return FundResult(
        id=p["id"], name=p["name"], program=p["program"], provider=p["provider"], kind=p["kind"],
        status=p["status"], reasons=tuple(p["reasons"]),
        todos=tuple(FundTodo(t["what"], t["where"], t["contact_id"], t["kind"], t.get("question"))
                    for t in p["todo"]),
        uses=tuple(p["uses"]), limit_yen=p["limit_yen"], remaining_limit_yen=p["remaining_limit_yen"],
        separate_limit=p["separate_limit"], rate_pct=p["rate_pct"],
        rate_tiers=tuple(RateTier(t["max_months"], t["rate_pct"]) for t in p["rate_tiers"]),
        city_share_pct=p["city_share_pct"], own_rate_pct=p["own_rate_pct"],
        guarantee_fee_pct=(fee[0], fee[1]) if fee else None,
        max_term_months=p["max_term_months"], grace_months=p["grace_months"],
        source=SourceRef(p["source"]["file"], p["source"]["section"], p["source"].get("title")),
        data_as_of=p["data_as_of"],
        stale=p["stale"], notes=tuple(p["notes"]), target_text=p["target_text"], use_notes=tuple(p["use_notes"]),
        route=p.get("route"), route_contact_id=p.get("route_contact_id"),
        term_by_use=tuple((p.get("term_by_use_months") or {}).items()),
        cost=Cost.from_json(p["cost"]) if p.get("cost") is not None else None,
    )
