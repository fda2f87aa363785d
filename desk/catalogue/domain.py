"""The catalogue as plain, immutable domain objects for the engine.

:func:`desk.db.loaders.load_catalogue` reads every table once, in one short
session, and returns a :class:`Catalogue` the engine evaluates without touching the
database again (a match over the whole catalogue is pure in-memory work). These
objects are also what a catalogue snapshot holds (:mod:`desk.db.snapshot`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from desk.costs.guarantee_fee import CoefficientTable


@dataclass(frozen=True)
class Tier:
    max_months: int | None
    rate_pct: float | None
    city_share_pct: float | None = None
    own_rate_pct: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Fee:
    min_pct: float
    max_pct: float
    label: str | None = None
    subsidised: bool = False
    when: dict[str, Any] | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class FeeAdjustment:
    kind: str
    label: str
    min_pct: float | None = None
    max_pct: float | None = None
    add_min_pct: float | None = None
    add_max_pct: float | None = None
    how: str | None = None
    when: dict[str, Any] | None = None


@dataclass(frozen=True)
class DocumentInfo:
    key: str
    name: str
    kind: str
    issuer: str | None
    confirms_only: bool
    when: dict[str, Any] | None = None
    paper: str | None = None        # vocab.PAPERS: picks the office among the municipality's sections


@dataclass(frozen=True)
class Variant:
    """One matchable entry: a program's variant with the program's fields it needs."""

    id: str
    program_id: str
    program_name: str
    label: str | None
    provider_id: str
    kind: str
    category: str | None
    guarantee: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    program_as_of: dt.date | None
    target_text: str | None
    conditions: tuple[dict[str, Any], ...]
    general_exceptions: tuple[dict[str, Any], ...]
    uses: tuple[str, ...]
    use_notes: tuple[str, ...]
    limit_yen: int | None
    limit_separate: bool
    limit_includes_existing: bool
    limit_shared_with: tuple[str, ...]
    limit_text: str | None
    rate_kind: str | None
    tiers: tuple[Tier, ...]
    city_share_pct: float | None
    own_rate_pct: float | None
    term_min_months: int | None
    term_max_months: int | None
    term_by_use: dict[str, int]
    grace_months: int | None
    bullet_max_months: int | None
    repayment: tuple[str, ...]
    fees: tuple[Fee, ...]
    fee_adjustments: tuple[FeeAdjustment, ...]
    documents: tuple[DocumentInfo, ...]
    source_file: str | None
    source_section: str | None
    as_of: dt.date | None
    notes: tuple[str, ...]
    interpretations: tuple[str, ...]
    position: int = 0
    # Partners in a shared limit that count existing guaranteed balances: this variant's
    # remaining amount is capped by theirs (小口零細's 500万円 row inside its 2,000万円).
    limit_cap_partners: tuple[str, ...] = ()
    # What a match can evaluate once for every variant of the same shape (see engine).
    shape_key: tuple[Any, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.program_name}（{self.label}）" if self.label else self.program_name


@dataclass(frozen=True)
class SmeRow:
    industry: str
    capital_max_yen: int | None
    employees_max: int | None
    text: str | None = None


@dataclass(frozen=True)
class SmeTable:
    id: str
    rows: dict[str, SmeRow]
    entity_rules: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    kind: str
    prefecture: str
    municipality: str | None
    sme_table: SmeTable | None
    general_conditions: tuple[dict[str, Any], ...]
    documents: tuple[DocumentInfo, ...]
    fiscal_year: int | None = None
    fee_table: CoefficientTable | None = None   # the guarantee association's, for its funds' costs


@dataclass(frozen=True)
class PlanInfo:
    id: str
    name: str
    issuer: str | None
    how: str | None
    contact: str | None = None      # the office to start at, where the packs name one


@dataclass(frozen=True)
class SituationInfo:
    """A circumstance some funds are made for (INTAKE.md `situations`)."""

    id: str
    name: str                       # the form's short label
    choosable: bool                 # the business can decide to undertake it (then a route opens its funds)
    step: str | None = None         # what it would do, for a route's sentence
    contact: str | None = None      # the office to start at
    text: str | None = None


@dataclass(frozen=True)
class Settlement:
    """An answer the stated facts give: ``value`` whenever ``when`` holds on the intake."""

    when: dict[str, Any]
    value: bool | float
    reason: str


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    text: str
    type: str
    help: str | None
    kind: str = "question"                  # plan | situation | question
    implies: str | None = None              # the plan or situation id a plan's or situation's question stands for
    family: tuple[str, ...] = ()            # a detail's situations, plans, purposes or causes: asked when one is stated
    settled_by: tuple[Settlement, ...] = ()


class BrokenCatalogue(ValueError):
    """The catalogue in the database refers to rows it does not hold (edited outside desk, with
    foreign keys off): the message names the first such reference, in Japanese."""


@dataclass(frozen=True)
class Catalogue:
    variants: tuple[Variant, ...]
    providers: dict[str, Provider]
    plans: dict[str, PlanInfo]
    questions: dict[str, QuestionInfo]
    situations: dict[str, SituationInfo] = field(default_factory=dict)
    pack_versions: dict[str, str] = field(default_factory=dict)
    # A seed file -> the document's title (its pack's): what people read instead of the file name.
    source_titles: dict[str, str] = field(default_factory=dict)
    _by_id: dict[str, Variant] = field(init=False, repr=False, compare=False)
    # The highest upper fee bound of the guaranteed funds, on any date: what a guaranteed fund
    # whose fee the seeds do not give is ranked at (INTAKE.md's order). None without fees.
    highest_guarantee_fee_pct: float | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # An index by id, built once per catalogue (also after dataclasses.replace).
        object.__setattr__(self, "_by_id", {v.id: v for v in self.variants})
        bounds = [f.max_pct for v in self.variants if v.guarantee == "required" for f in v.fees]
        object.__setattr__(self, "highest_guarantee_fee_pct", max(bounds, default=None))

    def variant(self, variant_id: str) -> Variant | None:
        return self._by_id.get(variant_id)

    def partners(self, variant: Variant) -> tuple[Variant, ...]:
        if not variant.limit_cap_partners:
            return ()
        return tuple(self._by_id[p] for p in variant.limit_cap_partners if p in self._by_id)


class _Interner:
    """One shared object per distinct condition, so the engine's per-match memo (keyed by
    object) evaluates a condition that many variants repeat only once."""

    def __init__(self) -> None:
        self._pool: dict[str, Any] = {}

    def __call__(self, condition: Any) -> Any:
        if condition is None:
            return None
        key = json.dumps(condition, sort_keys=True, ensure_ascii=False, default=str)
        return self._pool.setdefault(key, condition)

    def many(self, conditions: Any) -> tuple[Any, ...]:
        return self.shared(tuple(self(c) for c in conditions))

    def shared(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        """The same tuple object for equal contents (conditions, tiers, fees, documents)."""
        same: tuple[Any, ...] = self._pool.setdefault("tuple:" + repr(items), items)
        return same


def shape_key(v: Variant) -> tuple[Any, ...]:
    """Equal for variants whose conditions, purposes, pricing, documents and dates are the same
    objects (the interner makes equal content one object), so their evaluation can be shared."""
    # The guarantee too: pricing ranks a guaranteed fund without a fee at the highest fee, so two
    # variants alike but for it must not share one pricing.
    return (v.provider_id, id(v.general_exceptions), id(v.conditions), id(v.uses), id(v.tiers), id(v.fees),
            id(v.fee_adjustments), v.city_share_pct, v.own_rate_pct, v.guarantee, id(v.documents), v.valid_to,
            v.program_as_of)
