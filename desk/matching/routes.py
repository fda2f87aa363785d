"""What the business could open: the closed funds gathered by the step that would open them,
and the funds made for a circumstance the visitor did not mention, gathered by that circumstance.

One plan often opens several funds (事業継続力強化計画 opens two BCP funds), so the answer's
third layer is a short list of steps, each with the funds behind it, rather than a long list
of funds. A route of one step comes before one of several; then a step ranks by the best fund
it opens: the report already orders the closed funds by their cost to the visitor (INTAKE.md),
so the earlier a step's first fund, the better; among equals, the step that opens more funds
comes first.

A circumstance no one chooses (disaster damage, a trading business) gives no route, but the
visitor may simply not have mentioned it: the funds waiting only on one are gathered under it,
so the clerk knows what to ask (INTAKE.md: 「災害・貿易など特定の事情がある方向けの資金」).
"""

from __future__ import annotations

from typing import NamedTuple

from desk.matching.answer import CONDITIONAL, INELIGIBLE, FundResult, FundTodo, MatchReport
from desk.matching.wording import route_steps

BEST_SHOWN = 5   # the steps a clerk is shown at once (the window, `desk match`); every route is in the JSON


# desk.rules.outcome.SITUATION, the kind of to-do naming a circumstance: written out rather than
# imported, since the window's first view loads this module long before the rules.
SITUATION = "situation"
CIRCUMSTANCES_LINE = "災害・貿易など特定の事情がある方向けの資金"


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


class Circumstance(NamedTuple):
    name: str                        # the circumstance, as the form's step 3 labels it
    funds: tuple[FundResult, ...]    # the funds it would open or bring within reach, best first


def circumstances(report: MatchReport) -> list[Circumstance]:
    """The circumstances closed funds wait on, in the order of their best fund."""
    gathered: dict[str, list[FundResult]] = {}
    for fund in report.funds:
        first = awaited(fund)
        if first is not None:
            gathered.setdefault(first.what, []).append(fund)
    return [Circumstance(name, tuple(funds)) for name, funds in gathered.items()]


def awaited(fund: FundResult) -> FundTodo | None:
    """The circumstance a closed fund waits on, when nothing else shuts it (the engine keeps a
    to-do of kind ``situation`` only then)."""
    if fund.status != INELIGIBLE or fund.route:
        return None
    return next((t for t in fund.todos if t.kind == SITUATION), None)


def ranked_questions(report: MatchReport) -> list[str]:
    """The questions conditional funds wait on, ranked by what answering could unlock: the
    report lists funds cheapest first, so by the first fund waiting, then by how many wait."""
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    for position, fund in enumerate(report.funds):
        if fund.status != CONDITIONAL:
            continue
        for todo in fund.todos:
            if todo.question is not None:
                first.setdefault(todo.question, position)
                counts[todo.question] = counts.get(todo.question, 0) + 1
    return sorted(first, key=lambda q: (first[q], -counts[q]))
