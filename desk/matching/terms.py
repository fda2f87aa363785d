"""The terms that apply to one visitor: rate for the wanted term, fee range in force,
the city's share and the visitor's own rate, and what is left of the limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from desk.catalogue.domain import Fee, Tier, Variant
from desk.fiscal import in_force
from desk.matching.fee_options import apply_options
from desk.rules.outcome import FAIL, PASS, Outcome


class Terms(NamedTuple):
    rate_pct: float | None
    city_share_pct: float | None
    own_rate_pct: float | None
    fee_range_pct: tuple[float, float] | None
    remaining_limit_yen: int | None
    cost_pct: float | None   # what the visitor pays per year: own rate (or rate) plus the upper fee bound


def tier_for(tiers: tuple[Tier, ...], term_months: int | None) -> Tier | None:
    """The tier a term falls in; without a term, the costliest tier (a cautious figure)."""
    if not tiers:
        return None
    if term_months is None:
        priced = [(t.rate_pct, t) for t in tiers if t.rate_pct is not None]
        return max(priced, key=lambda pair: pair[0])[1] if priced else tiers[-1]
    for tier in tiers:
        if tier.max_months is None or term_months <= tier.max_months:
            return tier
    return tiers[-1]


def fees_in_force(fees: tuple[Fee, ...], on: dt.date, applies: Callable[[dict[str, Any]], Outcome]) -> list[Fee]:
    """Fee rows valid on the date that apply to this business. When some row's condition
    holds (an SN4 holder and the 1～4,6号 row), rows that merely might apply (7・8号) drop out."""
    dated = [f for f in fees if in_force(f.valid_from, f.valid_to, on)]
    verdicts = [(f, applies(f.when).status if f.when else None) for f in dated]
    if any(v == PASS for _, v in verdicts):
        return [f for f, v in verdicts if v in (None, PASS)]
    return [f for f, v in verdicts if v != FAIL]


class Pricing(NamedTuple):
    """Rate, shares and fees: what variants with the same tiers and fees have in common."""

    rate_pct: float | None
    city_share_pct: float | None
    own_rate_pct: float | None
    fee_range_pct: tuple[float, float] | None
    cost_pct: float | None
    # A guaranteed fund whose fee the seeds do not give: ranked at this fee, the highest the
    # catalogue's guaranteed funds charge (never as if it were free; INTAKE.md's order).
    assumed_fee_pct: float | None = None
    # A change of the fee rows within FEE_CHANGE_NOTICE after the day: when, and the range then.
    fee_change: tuple[dt.date, tuple[float, float]] | None = None
    # The visitor's fee options (INTAKE.md `fee_options`), applied to the range above: what the
    # cost says of them, and the options this fund does not offer this business.
    fee_notes: tuple[str, ...] = ()
    options_missing: tuple[str, ...] = ()


FEE_CHANGE_NOTICE = dt.timedelta(days=90)   # INTAKE.md: a scheduled change within 90 days is said


# The word for it, among the fund's notes (the window's detail, the sheet's caveats).
ASSUMED_FEE_NOTE = ("保証料率が資料にないため、並べる順番では保証付きの資金で最も高い保証料率（{pct}%）"
                    "として扱いました（実際の保証料は信用保証協会にご確認ください）")


def compute_pricing(variant: Variant, *, term_months: int | None, on: dt.date,
                    applies: Callable[[dict[str, Any]], Outcome], unknown_fee_pct: float | None = None,
                    fee_options: tuple[str, ...] = ()) -> Pricing:
    """``unknown_fee_pct``: the fee a guaranteed fund without one is ranked at; ``fee_options``:
    the options the visitor weighs (desk.matching.fee_options), which widen or replace the range."""
    tier = tier_for(variant.tiers, term_months)
    rate = tier.rate_pct if tier else None
    share = (tier.city_share_pct if tier and tier.city_share_pct is not None else variant.city_share_pct)
    own = tier.own_rate_pct if tier and tier.own_rate_pct is not None else variant.own_rate_pct
    if own is None and share is not None and rate is not None:
        # 利用者負担利率 = 融資利率 − 市負担利率; the city never pays more than the rate.
        own = round(max(rate - share, 0.0), 4)
    fees = fees_in_force(variant.fees, on, applies)
    fee_range = (min(f.min_pct for f in fees), max(f.max_pct for f in fees)) if fees else None
    change = _fee_change(variant, on, applies, fee_range)
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    if fee_options:
        fee_range, change, notes, missing = apply_options(variant, fee_options, fee_range, change, applies)
    visitor_rate = own if own is not None else rate
    assumed = unknown_fee_pct if fee_range is None and variant.guarantee == "required" else None
    cost = None if visitor_rate is None else visitor_rate + (fee_range[1] if fee_range else assumed or 0.0)
    return Pricing(rate, share, own, fee_range, cost, assumed, change, notes, missing)


# (id(variant), term, day, assumed fee, options, verdicts) -> (variant, pricing). A match prices
# some sixty funds whose tables never change while the catalogue is loaded, on a term and a day
# that change rarely; the business enters only through the verdicts on the fee rows' conditions,
# which are part of the key. The variant is kept beside its answer, so an id is never reused
# while it is a key.
_PRICINGS: dict[tuple[Any, ...], tuple[Variant, Pricing]] = {}


def priced(variant: Variant, term_months: int | None, on: dt.date, applies: Callable[[dict[str, Any]], Outcome],
           unknown_fee_pct: float | None, fee_options: tuple[str, ...]) -> Pricing:
    """compute_pricing(), remembered between matches. The pricing reads only the variant (its
    tiers, fee rows and adjustments, shares and guarantee), the term, the day, the options and
    the status of each fee row's (and, with options, each adjustment's) condition; those statuses
    are worked out first (``applies`` remembers them for the pricing itself, when it is computed)."""
    verdicts = [applies(f.when).status for f in variant.fees if f.when]
    if fee_options:
        verdicts += [applies(a.when).status for a in variant.fee_adjustments if a.when]
    key = (id(variant), term_months, on, unknown_fee_pct, fee_options, tuple(verdicts))
    found = _PRICINGS.get(key)
    if found is not None and found[0] is variant:
        return found[1]
    pricing = compute_pricing(variant, term_months=term_months, on=on, applies=applies,
                              unknown_fee_pct=unknown_fee_pct, fee_options=fee_options)
    if len(_PRICINGS) > 16_384:   # a long day of typing, or catalogues reloaded
        _PRICINGS.clear()
    _PRICINGS[key] = (variant, pricing)
    return pricing


def _fee_change(variant: Variant, on: dt.date, applies: Callable[[dict[str, Any]], Outcome],
                now: tuple[float, float] | None) -> tuple[dt.date, tuple[float, float]] | None:
    """The first change of the fee range within the notice period: rows that start, or end
    (the day after their last), after ``on``."""
    edges = sorted({d for f in variant.fees for d in (f.valid_from, f.valid_to and f.valid_to + dt.timedelta(days=1))
                    if d is not None and on < d <= on + FEE_CHANGE_NOTICE})
    for day in edges:
        fees = fees_in_force(variant.fees, day, applies)
        then = (min(f.min_pct for f in fees), max(f.max_pct for f in fees)) if fees else None
        if then is not None and then != now:
            return day, then
    return None


def remaining_limit(variant: Variant, guaranteed_balance_yen: int | None) -> int | None:
    """What is left of the limit once existing guaranteed balances count against it."""
    remaining = variant.limit_yen
    if remaining is not None and variant.limit_includes_existing and guaranteed_balance_yen:
        remaining = max(remaining - guaranteed_balance_yen, 0)
    return remaining
