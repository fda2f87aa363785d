"""A fund's cost for another loan than the one the visitor asked for, without matching again:
the window's comparison tries another amount, term, grace or method as the clerk types.

What a fund's cost depends on besides the request was fixed by the match: the fund's terms in
the catalogue (rate tiers, longest term for the uses asked, grace, methods, bullet limit), the
fee range in force for this business on the day, what is left of its limit and the association's
coefficient table. :func:`bases` gathers them once, when funds are compared; :func:`cost_of`
then costs a fund through :func:`desk.matching.costing.cost_for` (the answer's own fitting and
arithmetic, the estimate cached), so a keystroke costs three estimates and no match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any, NamedTuple

from desk.catalogue.domain import Catalogue, Variant
from desk.costs.cost import Cost
from desk.costs.estimate import Request
from desk.costs.guarantee_fee import CoefficientTable
from desk.intake.reader import Intake
from desk.matching.answer import FundResult
from desk.matching.costing import cost_for
from desk.matching.engine import facts_for
from desk.matching.terms import Pricing, compute_pricing
from desk.rules.outcome import Facts, Outcome
from desk.rules.registry import evaluate_condition


class Basis(NamedTuple):
    """What one fund's cost depends on besides the request, for this visitor on this day."""

    fund: FundResult
    variant: Variant
    pricing: Pricing
    intake: Intake
    table: CoefficientTable | None
    on: dt.date


def bases(catalogue: Catalogue, intake: Intake, funds: Sequence[FundResult], *, on: dt.date) -> tuple[Basis, ...]:
    """The bases of these funds (the answer's results) in the catalogue they were matched on; a fund
    the catalogue no longer holds (edited on another counter meanwhile) is left out."""
    found: list[Basis] = []
    for fund in funds:
        variant = catalogue.variant(fund.id)
        if variant is None:
            continue
        provider = catalogue.providers[variant.provider_id]
        # The facts a fee row's condition looks at (an SN certificate, the staff count): the intake's.
        facts = facts_for(catalogue, intake, sales=intake.sales_change, on=on, provider=provider)
        pricing = compute_pricing(variant, term_months=intake.term_months, on=on,
                                  applies=partial(_applies, facts, {}), fee_options=intake.fee_options)
        # The fee range the match found stands: it saw the place and the sales merged from the
        # monthly figures; the pricing adds the scheduled change of the range, which the answer
        # says only in a sentence.
        found.append(Basis(fund, variant, pricing._replace(fee_range_pct=fund.guarantee_fee_pct), intake,
                           provider.fee_table, on))
    return tuple(found)


def _applies(facts: Facts, memo: dict[int, Outcome], condition: dict[str, Any]) -> Outcome:
    return evaluate_condition(condition, facts, memo)


def cost_of(basis: Basis, request: Request) -> Cost | None:
    """The fund's cost for ``request``: None where it cannot be said (no amount, the bank's own rate)."""
    return cost_for(basis.variant, basis.pricing, request, basis.intake, basis.fund.remaining_limit_yen,
                    basis.table, basis.on)
