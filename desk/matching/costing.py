"""The cost of each fund that fits, for the answer and for its order (INTAKE.md ``cost`` and
"Order"): the visitor's request and the fund's terms handed to :mod:`desk.costs.estimate`.

The figure the answer shows is for the loan the visitor can have (the amount capped at what
is left of the limit); the figure funds are ranked by is for the loan asked for, uncapped, so
a fund with a small limit does not look cheap for lending less.
"""

from __future__ import annotations

import datetime as dt

from desk.catalogue.domain import Variant
from desk.costs.cost import Cost
from desk.costs.estimate import FundTerms, Request, estimate
from desk.costs.guarantee_fee import CoefficientTable
from desk.costs.repayment import Method
from desk.intake.reader import Intake
from desk.matching.terms import Pricing, tier_for

# The packs' repayment words, as the methods a fund offers (「割賦」: either kind of instalment).
_METHODS = {"installment": (Method.EQUAL_PRINCIPAL, Method.EQUAL_PAYMENT), "bullet": (Method.BULLET,)}
_NO_TABLE = CoefficientTable(())


def request_of(intake: Intake) -> Request:
    return Request(intake.amount_yen, intake.term_months, intake.grace_months,
                   Method(intake.repayment) if intake.repayment else None)


def fund_terms(variant: Variant, pricing: Pricing, request: Request, intake: Intake,
               remaining_limit_yen: int | None) -> FundTerms:
    """The fund's terms for the loan the estimate will cost: the rate of the tier its term falls
    in (the term asked for, within the fund's longest for every use asked for)."""
    longest = _longest_term(variant, intake)
    term = longest if request.term_months is None else (
        request.term_months if longest is None else min(request.term_months, longest))
    tier = tier_for(variant.tiers, term)
    rate = tier.rate_pct if tier else None
    share = tier.city_share_pct if tier and tier.city_share_pct is not None else variant.city_share_pct
    methods = frozenset(m for word in variant.repayment for m in _METHODS.get(word, ()))
    return FundTerms(rate, share, remaining_limit_yen, longest, variant.grace_months, methods,
                     variant.bullet_max_months, variant.guarantee, pricing.fee_range_pct, pricing.fee_change,
                     pricing.fee_notes)


def cost_for(variant: Variant, pricing: Pricing, request: Request, intake: Intake, remaining_limit_yen: int | None,
             table: CoefficientTable | None, on: dt.date) -> Cost | None:
    """The fund's cost for the visitor on another request than the intake's (the window's what-if):
    the same fitting and arithmetic as the answer's cost, without the figure funds are ranked by."""
    terms = fund_terms(variant, pricing, request, intake, remaining_limit_yen)
    return estimate(request, terms, table or _NO_TABLE, on=on)


def rank_of(terms: FundTerms, request: Request, pricing: Pricing, table: CoefficientTable | None,
            on: dt.date) -> float | None:
    """The upper bound of the visitor's total on the loan asked for, uncapped; a guaranteed fund
    whose fee the seeds do not give at the catalogue's highest fee (never as if it were free)."""
    uncapped = terms._replace(remaining_limit_yen=None)
    if uncapped.fee_range_pct is None and pricing.assumed_fee_pct is not None:
        uncapped = uncapped._replace(fee_range_pct=(pricing.assumed_fee_pct, pricing.assumed_fee_pct))
    cost = estimate(request, uncapped, table or _NO_TABLE, on=on)
    if cost is None:
        return None
    return float(cost.total_yen[1] if cost.total_yen[1] is not None else cost.total_yen[0])


# (id(variant), id(table), request, purposes, remaining, pricing, day) -> (variant, table, cost, rank).
# A keystroke re-costs every fund that fits, most on the figures of the keystroke before; the key
# is cheap to hash (the estimate's own cache hashes the fund's terms and the fee table). The
# variant and table are kept beside their answer, so an id is never reused while it is a key.
_COSTS: dict[tuple[object, ...], tuple[Variant, CoefficientTable | None, Cost | None, float | None]] = {}


def costs(variant: Variant, pricing: Pricing, request: Request, intake: Intake, remaining_limit_yen: int | None,
          table: CoefficientTable | None, on: dt.date) -> tuple[Cost | None, float | None]:
    """The fund's cost for the visitor and the figure it is ranked by."""
    key = (id(variant), id(table), request, intake.purposes, remaining_limit_yen, pricing, on)
    found = _COSTS.get(key)
    if found is not None and found[0] is variant and found[1] is table:
        return found[2], found[3]
    terms = fund_terms(variant, pricing, request, intake, remaining_limit_yen)
    cost, rank = estimate(request, terms, table or _NO_TABLE, on=on), rank_of(terms, request, pricing, table, on)
    if len(_COSTS) > 16_384:   # a long day of typing, or catalogues reloaded
        _COSTS.clear()
    _COSTS[key] = (variant, table, cost, rank)
    return cost, rank


def _longest_term(variant: Variant, intake: Intake) -> int | None:
    """The longest term the fund allows for every use asked for."""
    if intake.purposes and variant.term_by_use:
        by_use = [variant.term_by_use[p] for p in intake.purposes if p in variant.term_by_use]
        if by_use:
            return min(by_use)
    return variant.term_max_months
