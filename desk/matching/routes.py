"""What the business could open: the closed funds gathered by the step that would open them.

One plan often opens several funds (事業継続力強化計画 opens two BCP funds), so the answer's
third layer is a short list of steps, each with the funds behind it, rather than a long list
of funds. A route of one step comes before one of several; then a step ranks by the best fund
it opens: the report already orders the closed funds by their cost to the visitor (INTAKE.md),
so the earlier a step's first fund, the better; among equals, the step that opens more funds
comes first.
"""

from __future__ import annotations

from typing import NamedTuple

from desk.matching.answer import INELIGIBLE, FundResult, MatchReport
from desk.matching.wording import route_steps

BEST_SHOWN = 5   # the steps a clerk is shown at once (the window, `desk match`); every route is in the JSON


class Opening(NamedTuple):
    step: str                        # the route: what to do, and where to start, in one sentence
    contact_id: str | None           # the office to start at
    funds: tuple[FundResult, ...]    # the funds it opens, best first


def openings(report: MatchReport) -> list[Opening]:
    """Every step that would open a closed fund, best first."""
    gathered: dict[tuple[str, str | None], list[FundResult]] = {}
    first_at: dict[tuple[str, str | None], int] = {}
    for position, fund in enumerate(report.funds):
        if fund.status != INELIGIBLE or not fund.route:
            continue
        key = (fund.route, fund.route_contact_id)
        if key not in gathered:
            gathered[key] = []
            first_at[key] = position
        gathered[key].append(fund)
    # One step before several (a single plan is the likelier way in), then the best fund behind it.
    ranked = sorted(gathered, key=lambda key: (route_steps(key[0]), first_at[key], -len(gathered[key])))
    return [Opening(step, contact_id, tuple(gathered[(step, contact_id)])) for step, contact_id in ranked]
