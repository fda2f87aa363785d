"""The matching engine: for one intake and one date, every program variant in force
with its status (eligible / conditional / ineligible), every reason, the to-dos,
and the terms that apply to this visitor. Pure: no database, no Qt.

Statuses follow INTAKE.md: a failed condition makes a variant ineligible; an
unsettled one (unknown facts, a certificate the stated facts could earn, a
comparison with other years), a request above what is left of the limit, a term
beyond the maximum or purposes only partly covered make it conditional.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from desk import fiscal, textfmt, vocab
from desk.catalogue.domain import Catalogue, DocumentInfo, Provider, Variant, shape_key
from desk.costs.cost import Cost
from desk.costs.estimate import Request
from desk.intake.reader import Intake, SalesChange
from desk.matching import costing, wording
from desk.matching.answer import SmeSummary
from desk.matching.fee_options import missing_warnings
from desk.matching.remember import by_identity
from desk.matching.terms import Pricing, Terms, priced, remaining_limit
from desk.rules.business import sme_verdict
from desk.rules.outcome import FAIL, OPEN, PASS, PASSED, SHUT, SITUATION, STEP, UNKNOWN, Facts, Outcome, Todo, all_of
from desk.rules.questions import held
from desk.rules.registry import evaluate_condition, iter_checks

ELIGIBLE, CONDITIONAL, INELIGIBLE = "eligible", "conditional", "ineligible"
STATUS_ORDER = {ELIGIBLE: 0, CONDITIONAL: 1, INELIGIBLE: 2}
STATUS_LABELS = {ELIGIBLE: "対象", CONDITIONAL: "条件付き", INELIGIBLE: "対象外"}


class ProgramResult(NamedTuple):
    variant: Variant
    provider: Provider
    status: str
    reasons: tuple[str, ...]
    todos: tuple[Todo, ...]
    pricing: Pricing
    remaining_limit_yen: int | None
    stale: bool
    order: tuple[Any, ...] = ()  # status, a route, then cost to the visitor, then the larger remaining limit
    route: tuple[Todo, ...] = ()  # ineligible: the steps the business could choose that would open it
    cost: Cost | None = None      # eligible and conditional funds, where an amount is known

    @property
    def terms(self) -> Terms:
        p = self.pricing
        return Terms(p.rate_pct, p.city_share_pct, p.own_rate_pct, p.fee_range_pct, self.remaining_limit_yen,
                     p.cost_pct)


@dataclass
class MatchResult:
    on: dt.date
    sme: SmeSummary
    programs: list[ProgramResult]
    warnings: list[str] = field(default_factory=list)


def is_stale(variant: Variant, on: dt.date) -> bool:
    return (variant.valid_to is not None and variant.valid_to < on) or fiscal.is_stale(variant.program_as_of, on)


def match(catalogue: Catalogue, intake: Intake, *, on: dt.date, sales: SalesChange, prefecture: str,
          municipality: str | None, city: str | None, warnings: list[str] | None = None) -> MatchResult:
    # A match allocates tens of thousands of short-lived tuples and creates no reference
    # cycles: reference counting frees them all, and the cyclic collector, if it ran, would
    # only walk the long-lived catalogue. It is paused for the match and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _match(catalogue, intake, on=on, sales=sales, prefecture=prefecture, municipality=municipality,
                      city=city, warnings=warnings)
    finally:
        if collecting:
            gc.enable()


def _match(catalogue: Catalogue, intake: Intake, *, on: dt.date, sales: SalesChange, prefecture: str,
           municipality: str | None, city: str | None, warnings: list[str] | None) -> MatchResult:
    warnings = list(warnings or [])
    results: list[ProgramResult] = []
    by_provider: dict[str, _ProviderMatch] = {}
    append = results.append
    held_lists = held(intake, catalogue.questions)
    for variant in catalogue.variants:
        # In force from its start. A program past its fiscal year stays listed (marked stale):
        # its successor is not in the catalogue.
        if variant.valid_from is not None and variant.valid_from > on:
            continue
        state = by_provider.get(variant.provider_id)
        if state is None:
            provider = catalogue.providers[variant.provider_id]
            facts = facts_for(catalogue, intake, sales=sales, on=on, provider=provider, prefecture=prefecture,
                              municipality=municipality, city=city, held_lists=held_lists)
            state = by_provider[provider.id] = _ProviderMatch(facts, catalogue.highest_guarantee_fee_pct)
        partners = catalogue.partners(variant) if variant.limit_cap_partners else ()
        append(evaluate_variant(variant, state.facts.provider, state.facts, state, partners))
    results.sort(key=_BY_ORDER)
    if intake.fee_options:
        warnings.extend(missing_warnings(((r.variant.name, r.pricing.options_missing) for r in results
                                          if r.status != INELIGIBLE), intake.fee_options))
    warnings.extend(_date_warnings(catalogue, on, results, by_provider.keys(), prefecture, municipality))
    return MatchResult(on, summarise_sme(catalogue, intake), results, warnings)


def facts_for(catalogue: Catalogue, intake: Intake, *, sales: SalesChange, on: dt.date, provider: Provider,
              prefecture: str = vocab.HOME_PREFECTURE, municipality: str | None = None, city: str | None = None,
              held_lists: tuple[frozenset[str], frozenset[str]] | None = None) -> Facts:
    """What the checks of one provider's funds look at, for one intake (``held_lists``: the
    situations and plans held, when the caller has them already)."""
    situations_held, plans_held = held_lists or held(intake, catalogue.questions)
    return Facts(intake, sales, on, provider, catalogue.plans, catalogue.questions, prefecture, municipality, city,
                 catalogue.situations, situations_held, plans_held)


class _ProviderMatch:
    """What one match knows about one provider's variants. Outcomes are remembered by the
    object evaluated (conditions, condition lists, documents, tiers and fees are interned
    when the catalogue loads, so equal content is one object); the memo lives only as long
    as the match, while every such object is alive, so an id() is never reused within it."""

    def __init__(self, facts: Facts, unknown_fee_pct: float | None = None):
        self.facts = facts
        self.unknown_fee_pct = unknown_fee_pct
        self.memo: dict[int, Outcome] = {}
        self.lists: dict[int, Outcome] = {}
        self.documents: dict[int, tuple[Todo, ...]] = {}
        self.stale: dict[tuple[Any, ...], bool] = {}
        self.shapes: dict[tuple[Any, ...], tuple[Outcome, Pricing, tuple[Todo, ...], bool]] = {}
        self.closed_funds: dict[tuple[int, int], tuple[tuple[Todo, ...], tuple[Todo, ...]]] = {}
        self.request: Request | None = None
        provider = facts.provider
        self.applies = partial(evaluate_condition, facts=facts, memo=self.memo)   # no frame of its own
        self.located = _located_in_provider_area(provider, facts)
        self.general = [(c.get("check"), evaluate_condition(c, facts, self.memo)) for c in provider.general_conditions]
        self.bases: dict[int, Outcome] = {}
        self.provider_documents = _document_todos(provider.documents, facts, self.memo)

    def base(self, exceptions: tuple[dict[str, Any], ...]) -> Outcome:
        """The provider's location and general conditions, with this variant's exceptions."""
        outcome = self.bases.get(id(exceptions))
        if outcome is None:
            effects = {e["check"]: e for e in exceptions}
            parts = [self.located]
            for check, result in self.general:
                exception = effects.get(check)
                if exception is None:
                    parts.append(result)
                elif exception["effect"] == "conditional" and result.status == FAIL:
                    # 「…でもご利用いただける場合があります」: not a refusal, a question for the bank.
                    note = exception.get("text") or "例外として利用できる場合があります"
                    parts.append(Outcome(UNKNOWN, tuple(f"{r}（{note}）" for r in result.reasons), result.todos))
            outcome = self.bases[id(exceptions)] = all_of(parts)
        return outcome

    def conditions(self, conditions: tuple[dict[str, Any], ...]) -> Outcome:
        outcome = self.lists.get(id(conditions))
        if outcome is None:
            facts, memo = self.facts, self.memo
            outcome = self.lists[id(conditions)] = all_of([evaluate_condition(c, facts, memo) for c in conditions])
        return outcome

    def cost(self, variant: Variant, pricing: Pricing, remaining: int | None) -> tuple[Cost | None, float | None]:
        """The fund's cost for this visitor, and the figure it is ranked by (desk.matching.costing)."""
        if self.request is None:
            self.request = costing.request_of(self.facts.intake)
        return costing.costs(variant, pricing, self.request, self.facts.intake, remaining,
                             self.facts.provider.fee_table, self.facts.on)

    def document_todos(self, documents: tuple[DocumentInfo, ...]) -> tuple[Todo, ...]:
        todos = self.documents.get(id(documents))
        if todos is None:
            todos = self.documents[id(documents)] = tuple(dict.fromkeys(
                self.provider_documents + _document_todos(documents, self.facts, self.memo)))
        return todos

    def shape(self, variant: Variant) -> tuple[Outcome, Pricing, tuple[Todo, ...], bool]:
        """Everything that depends only on what a variant shares with others of the same
        shape: its conditions (with the provider's), purposes, pricing, documents, staleness."""
        key = variant.shape_key or shape_key(variant)
        found = self.shapes.get(key)
        if found is None:
            purposes = _purposes(variant, self.facts.intake)
            outcome = all_of([self.base(variant.general_exceptions), self.conditions(variant.conditions), purposes])
            intake = self.facts.intake
            pricing = priced(variant, intake.term_months, self.facts.on, self.applies, self.unknown_fee_pct,
                             intake.fee_options)
            found = self.shapes[key] = (outcome, pricing, self.document_todos(variant.documents),
                                        self.is_stale(variant))
        return found

    def is_stale(self, variant: Variant) -> bool:
        key = (variant.valid_to, variant.program_as_of)
        stale = self.stale.get(key)
        if stale is None:
            stale = self.stale[key] = is_stale(variant, self.facts.on)
        return stale


def evaluate_variant(variant: Variant, provider: Provider, facts: Facts, state: _ProviderMatch | None = None,
                     partners: tuple[Variant, ...] = ()) -> ProgramResult:
    intake = facts.intake
    state = state or _ProviderMatch(facts)
    shared, pricing, documents, stale = state.shape(variant)
    remaining = variant.limit_yen
    if remaining is not None and variant.limit_includes_existing and intake.guaranteed_balance_yen:
        remaining = max(remaining - intake.guaranteed_balance_yen, 0)  # remaining_limit(), inlined: hot path
    for partner in partners:
        # A sub-limit inside a limit that counts existing balances: the tighter one applies.
        partner_remaining = remaining_limit(partner, intake.guaranteed_balance_yen)
        if remaining is not None and partner_remaining is not None:
            remaining = min(remaining, partner_remaining)
    # A closed fund's outcome keeps only its failures (all_of): for a fund its conditions close,
    # the term, which can only make a fund conditional, is not worked out, nor the amount unless
    # the limit is used up (its only failure).
    closed = shared.status == FAIL
    if variant.limit_yen is None or (intake.amount_yen is None and not partners
                                     and not variant.limit_includes_existing) or (
            closed and remaining is not None and remaining > 0):
        amount = PASSED
    else:
        amount = _amount(variant, intake, remaining, counts_existing=bool(partners))
    term = _term(variant, intake) if intake.term_months is not None and not closed else PASSED
    combined = shared if amount is PASSED and term is PASSED else all_of([shared, amount, term])
    status = _STATUS[combined.status]
    route: tuple[Todo, ...] = ()
    if status == INELIGIBLE:
        if combined is shared:   # one per shape: worked out once (both objects live as long as the match)
            key = (id(combined), id(documents))
            found = state.closed_funds.get(key)
            if found is None:
                found = state.closed_funds[key] = _route_and_todos(combined, documents)
            route, todos = found
        else:
            route, todos = _route_and_todos(combined, documents)
    elif combined.todos:
        own = combined.todos if status != ELIGIBLE else tuple(t for t in combined.todos if t.kind != "question")
        todos = tuple(dict.fromkeys(own + documents))
    else:
        todos = documents
    cost = None
    if status != INELIGIBLE and intake.amount_yen:
        # In yen, on the loan asked for (INTAKE.md's order); a fund that cannot be costed last.
        cost, rank = state.cost(variant, pricing, remaining)
        order_cost = _NO_RANK if rank is None else rank
    else:   # no amount: what the visitor pays a year, in percent
        order_cost = 99.0 if pricing.cost_pct is None else pricing.cost_pct
    order = (STATUS_ORDER[status], 0 if route else 1, order_cost, -(remaining or 0), variant.position)
    return ProgramResult(variant, provider, status, combined.reasons, todos, pricing, remaining, stale, order, route,
                         cost)


_NO_RANK = float("inf")


_STATUS = {PASS: ELIGIBLE, UNKNOWN: CONDITIONAL, FAIL: INELIGIBLE}


def _route_and_todos(failed: Outcome, documents: tuple[Todo, ...]) -> tuple[tuple[Todo, ...], tuple[Todo, ...]]:
    """A closed fund's route (its steps, when every failure is one the business can choose)
    and its other to-dos. The circumstances a fund waits on (to-dos of kind ``situation``) stay
    among its to-dos only when nothing else shuts it: only then is asking about them worth it."""
    if failed.closed == OPEN:
        return (tuple([t for t in failed.todos if t.kind == STEP]),
                tuple(dict.fromkeys([t for t in failed.todos if t.kind != STEP] + list(documents))))
    if failed.closed == SHUT:
        own = tuple(t for t in failed.todos if t.kind != SITUATION)
        return (), (tuple(dict.fromkeys(own + documents)) if own else documents)
    return (), (tuple(dict.fromkeys(failed.todos + documents)) if failed.todos else documents)


def _located_in_provider_area(provider: Provider, facts: Facts) -> Outcome:
    """A provider's loans are for businesses in its own area."""
    area = provider.municipality or provider.prefecture
    if facts.prefecture != provider.prefecture:
        return Outcome.fail(f"{area}内の事業者が対象です（所在地: {facts.prefecture}）")
    if provider.municipality is None:
        return PASSED
    if facts.municipality is None:
        return Outcome.unknown(f"事業所の所在地の確認が必要です（{area}内が対象）",
                               Todo("事業所の市区町村", kind="question"))
    if provider.municipality in (facts.municipality, facts.city):
        return PASSED
    return Outcome.fail(f"{area}内の事業者が対象です（所在地: {facts.municipality}）")


# (purposes asked for, the fund's uses) -> their outcome: a handful of pairs serve every match.
_PURPOSES: dict[tuple[tuple[str, ...], tuple[str, ...]], Outcome] = {}


def _purposes(variant: Variant, intake: Intake) -> Outcome:
    if intake.purposes is None or not variant.uses:
        return PASSED
    key = (intake.purposes, variant.uses)
    outcome = _PURPOSES.get(key)
    if outcome is None:
        if len(_PURPOSES) > 4096:   # catalogues reloaded many times in one process
            _PURPOSES.clear()
        outcome = _PURPOSES[key] = _purposes_outcome(intake.purposes, variant.uses)
    return outcome


def _purposes_outcome(purposes: tuple[str, ...], uses: tuple[str, ...]) -> Outcome:
    """Whether the fund's uses cover the purposes asked for ("other" counts only alone)."""
    wanted = [p for p in purposes if p != "other"] or list(purposes)
    covered = [p for p in wanted if p in uses]

    def names(ids: Iterable[str]) -> str:
        return "・".join(vocab.PURPOSES[p] for p in ids)

    if not covered:
        return Outcome.fail(f"資金使途（{names(wanted)}）はこの制度の対象外です（対象: {names(uses)}）")
    if len(covered) < len(wanted):
        missing = [p for p in wanted if p not in covered]
        return Outcome.unknown(f"使途のうち{names(covered)}のみ対象です（{names(missing)}は対象外）",
                               Todo(f"{names(missing)}は別の資金で検討する", kind="confirm"))
    return PASSED


def _amount(variant: Variant, intake: Intake, remaining: int | None, counts_existing: bool = False) -> Outcome:
    limit = variant.limit_yen
    counts_existing = counts_existing or variant.limit_includes_existing
    if limit is None or (intake.amount_yen is None and not counts_existing):
        return PASSED
    if counts_existing and intake.guaranteed_balance_yen is None:
        return Outcome.unknown(f"限度額{textfmt.yen(limit)}には既存の保証付き融資の残高が含まれます: "
                               "残高を確認してください",
                               Todo("信用保証協会の保証付き融資の残高", kind="question"))
    remaining = remaining if remaining is not None else limit
    if remaining <= 0:
        return Outcome.fail(f"既存の保証付き融資の残高で限度額に達しています（限度額 {textfmt.yen(limit)}）")
    if intake.amount_yen is not None and intake.amount_yen > remaining:
        return Outcome.unknown(f"希望額（{textfmt.yen(intake.amount_yen)}）が利用できる額を超えています: "
                               f"{textfmt.yen(remaining)}まで",
                               Todo(f"{textfmt.yen(remaining)}までで申し込む（不足分は別の資金と組み合わせる）",
                                    kind="confirm"))
    return PASSED


def _term(variant: Variant, intake: Intake) -> Outcome:
    term = intake.term_months
    if term is None:
        return PASSED
    maximum = variant.term_max_months
    if intake.purposes and variant.term_by_use:
        by_use = [variant.term_by_use[p] for p in intake.purposes if p in variant.term_by_use]
        if by_use:
            maximum = min(by_use)
    if maximum is not None and term > maximum:
        return Outcome.unknown(f"希望の期間（{textfmt.months(term)}）が最長期間（{textfmt.months(maximum)}）"
                               "を超えています",
                               Todo(f"期間を{textfmt.months(maximum)}以内にする", kind="confirm"))
    if variant.term_min_months is not None and term < variant.term_min_months:
        shortest = textfmt.months(variant.term_min_months)
        return Outcome.unknown(f"希望の期間（{textfmt.months(term)}）がこの制度の最短期間（{shortest}）未満です",
                               Todo(f"期間を{shortest}以上にする", kind="confirm"))
    return PASSED


def _document_todos(documents: tuple[DocumentInfo, ...], facts: Facts, memo: dict[int, Outcome]) -> list[Todo]:
    return [todo for when, todo in _document_rows(documents)
            if when is None or evaluate_condition(when, facts, memo).status != FAIL]


# A document list's conditions and to-dos. A document's to-do depends only on the catalogue:
# made once, not in every match; only its condition is the business's.
_DOCUMENT_ROWS: dict[int, tuple[tuple[DocumentInfo, ...], tuple[tuple[dict[str, Any] | None, Todo], ...]]] = {}


def _document_rows(documents: tuple[DocumentInfo, ...]) -> tuple[tuple[dict[str, Any] | None, Todo], ...]:
    return by_identity(_DOCUMENT_ROWS, documents,
                       lambda docs: tuple((doc.when, _document_todo(doc)) for doc in docs), size=4096)


def _document_todo(doc: DocumentInfo) -> Todo:
    kind = "certificate" if doc.kind in ("certificate", "confirmation") and not doc.confirms_only else "document"
    return Todo(doc.name, doc.issuer, kind, doc.paper)


_BY_ORDER = operator.itemgetter(ProgramResult._fields.index("order"))  # read in C while sorting


def summarise_sme(catalogue: Catalogue, intake: Intake) -> SmeSummary:
    """SME status and size class by the prefecture's table (INTAKE.md `sme`)."""
    provider = catalogue.providers.get(vocab.HOME_PROVIDER_ID) or next(iter(catalogue.providers.values()), None)
    if provider is None:
        return SmeSummary(None, None, "中小企業者の基準が登録されていません")
    facts = Facts(intake, SalesChange(), fiscal.today(), provider)
    verdict, reason = sme_verdict(facts)
    industry = vocab.INDUSTRIES.get(intake.industry or "", "業種不明")
    commerce = intake.industry in vocab.COMMERCE_INDUSTRIES
    if verdict == FAIL:
        return SmeSummary(False, "large", reason)
    if verdict == UNKNOWN:
        return SmeSummary(None, None, reason)
    employees = intake.employees
    if intake.is_founder:
        return SmeSummary(True, "micro" if employees is not None and employees <= (5 if commerce else 20) else None,
                          "創業前（中小企業者として扱います）")
    if employees is None or (intake.industry is None and employees > 5):
        return SmeSummary(True, "sme" if intake.entity == "cooperative" else None, reason or "中小企業者")
    micro, small = (5, 10) if commerce else (20, 30)
    if employees <= micro:
        return SmeSummary(True, "micro", f"{industry}: 従業員{micro}人以下（小規模企業者）")
    if employees <= small:
        return SmeSummary(True, "small", f"{industry}: 従業員{small}人以下")
    return SmeSummary(True, "sme", f"{industry}: 中小企業者")


def _date_warnings(catalogue: Catalogue, on: dt.date, results: list[ProgramResult], providers: Collection[str],
                   prefecture: str, municipality: str | None) -> list[str]:
    """``providers``: the ids of the providers with a fund in force on the day."""
    warnings = []
    for provider in catalogue.providers.values():
        if provider.kind == "prefecture" and provider.id not in providers:
            warnings.append(f"{on.isoformat()} 時点の{provider.name}の制度融資のデータがありません"
                            "（収録しているのは令和8年度（2026年4月1日から）の一覧です）")
    stale = sorted({r.provider.name for r in results if r.stale})
    for name in stale:
        warnings.append(f"{name}の制度は前年度の資料によるものです（最新年度の資料は収録していません）。利率や要件が変わっている可能性があります")
    if prefecture != vocab.HOME_PREFECTURE:
        warnings.append(wording.OUTSIDE_PREFECTURE.format(prefecture=prefecture))
    elif municipality and not any(p.municipality and (municipality.startswith(p.municipality))
                                  for p in catalogue.providers.values()):
        city = municipality.split("市")[0] + "市" if "市" in municipality else municipality
        warnings.append(f"{city}が独自に行う融資制度は収録していません。{city}の担当課にご確認ください")
    return warnings


def labelled_sales_criteria(catalogue: Catalogue, variant_id: str, intake: Intake, sales: SalesChange,
                            on: dt.date) -> list[tuple[str, str, str]]:
    """The labelled sales tests of one variant (日産自動車関連's ① and ②), evaluated on
    these figures: (label, status, the seed's wording). The rules stay in the catalogue."""
    variant = catalogue.variant(variant_id)
    if variant is None:
        return []
    facts = facts_for(catalogue, intake, sales=sales, on=on, provider=catalogue.providers[variant.provider_id])
    return [(leaf["label"], evaluate_condition(leaf, facts).status, leaf.get("text", ""))
            for condition in variant.conditions for leaf in iter_checks(condition)
            if leaf.get("label") and leaf["check"].startswith("sales_decline")]
