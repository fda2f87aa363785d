"""Two or three funds side by side, in the words people read: a row per figure, a column per fund.

The figures are each fund's cost for one request (the form's, or the what-if's: see
:mod:`desk.matching.what_if`); every word comes from :mod:`desk.matching.wording` or is said
here once. A fee the seeds do not give is never written as 0: 「保証料は資料に記載なし」, and the
total then says it leaves the fee out. What the fund's own terms changed in the request is a
row of its own; what every estimate assumes is said once, under the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from desk import textfmt
from desk.costs.cost import Cost
from desk.costs.estimate import FITTED_STARTS, Request
from desk.matching import wording
from desk.matching.answer import FundResult

UNKNOWN_FEE = "保証料は資料に記載なし"
STATUS = {"eligible": "対象", "conditional": "条件付き"}
CHEAPEST = "\n（この中で最も安い）"
REVIEW = "金融機関と信用保証協会の審査で実際の額が決まります。"
TODOS_SHOWN = 4           # the first few to-dos; the detail pane has them all


class Row(NamedTuple):
    label: str
    cells: tuple[str, ...]
    figure: bool = True   # a figure in yen or %, aligned right; else words, wrapped
    across: bool = False  # one text for every fund, in the first cell (the others empty)


class Column(NamedTuple):
    """One fund's cost for the request compared (None: no figure, ``why`` says)."""

    fund: FundResult
    cost: Cost | None


def rows(columns: Sequence[Column], request: Request) -> tuple[Row, ...]:
    """The comparison, figure by figure."""
    shared = set(shared_assumptions(columns))

    def each(label: str, say: Callable[[Column], str], *, figure: bool = True) -> Row:
        return Row(label, tuple(say(c) for c in columns), figure)

    def costed(label: str, say: Callable[[Cost], str], *, figure: bool = True) -> Row:
        # 「—」 where there is no figure: the 試算した借入 row says why.
        return each(label, lambda c: say(c.cost) if c.cost is not None else "—", figure=figure)

    best = cheapest(columns)
    cheapest_column = columns[best] if best is not None else None

    def total_of(column: Column) -> str:
        return total(column.cost) + (CHEAPEST if column is cheapest_column else "") if column.cost else "—"

    # The total the visitor bears first, under the funds' names, and the loan it is for: at the
    # largest text a laptop shows a third of the rows, and the total, below the monthly figures,
    # was out of sight. Then its parts, where the fund changed the request, the fund's terms.
    return (
        each("資金", lambda c: wording.listed_name(c.fund), figure=False),
        each("ご負担の合計（目安）", total_of),
        each("試算した借入", lambda c: loan(c.cost, method_apart="\n") if c.cost is not None
             else why_not(c.fund, request), figure=False),
        each("区分", lambda c: STATUS.get(c.fund.status, c.fund.status), figure=False),
        costed("融資利率", rate),
        costed("毎月（据置中）", lambda k: _yen(k.monthly_during_grace) if k.monthly_during_grace else "据置なし"),
        costed("毎月（初回）", lambda k: _yen(k.monthly_first)),
        costed("毎月（最終回）", lambda k: _yen(k.monthly_last)),
        costed("利息", lambda k: _yen(k.interest_yen)),
        costed("うち市の利子補給", lambda k: _yen(k.city_share_yen) if k.city_share_yen else "なし"),
        costed("保証料", fee),
        costed("この資金での調整", lambda k: "\n".join(fitted(k)) or "ご希望どおり", figure=False),
        each("まず取得するもの", lambda c: todos(c.fund), figure=False),
        each("限度額", lambda c: wording.limit_with_available(c.fund), figure=False),
        each("期間（この資金の最長）", lambda c: wording.term(c.fund), figure=False),
        each("提供者", lambda c: c.fund.provider, figure=False),
        costed("この資金の前提", lambda k: "\n".join(a for a in others(k) if a not in shared) or "—", figure=False),
        Row("計算の前提（共通）", ("\n".join(f"※{a}" for a in (*shared_assumptions(columns), REVIEW)),
                                 *("" for _ in columns[1:])), figure=False, across=True),
    )


def loan(cost: Cost, *, method_apart: str = "・") -> str:
    """「3,000万円・7年（うち据置1年）・元金均等返済」: the loan the figures are for (``method_apart``:
    what comes before the method; a table's narrow cell takes it on a line of its own)."""
    text = f"{textfmt.yen(cost.amount_yen)}・{textfmt.months(cost.term_months)}"
    if cost.grace_months:
        text += f"（うち据置{textfmt.months(cost.grace_months)}）"
    return f"{text}{method_apart}{wording.METHOD.get(cost.method, cost.method)}返済"


def why_not(fund: FundResult, request: Request) -> str:
    """Why a fund has no figure for this request."""
    if not request.amount_yen:
        return "借入額を入れると試算します"
    if fund.remaining_limit_yen is not None and fund.remaining_limit_yen <= 0:
        return "利用できる額が残っていません"
    if fund.rate_pct is None and not any(t.rate_pct is not None for t in fund.rate_tiers):
        return "利率が金融機関所定のため試算できません"
    return "期間を入れると試算します"


def rate(cost: Cost) -> str:
    """「2.2%」, or 「2.5%（市の利子補給 1.2%、ご負担 1.3%）」."""
    text = textfmt.pct(cost.rate_pct)
    if cost.city_share_pct and cost.rate_pct is not None:
        own = round(max(cost.rate_pct - cost.city_share_pct, 0.0), 4)
        text += f"（市の利子補給 {textfmt.pct(cost.city_share_pct)}、ご負担 {textfmt.pct(own)}）"
    return text


def fee(cost: Cost) -> str:
    if cost.guarantee_fee_yen is None:
        return UNKNOWN_FEE
    return wording.yen_range(*cost.guarantee_fee_yen)


def total(cost: Cost) -> str:
    low, high = cost.total_yen
    if high is None:
        return f"{low:,}円＋保証料（{UNKNOWN_FEE}）"
    return wording.yen_range(low, high)


def cheapest(columns: Sequence[Column]) -> int | None:
    """The column whose total is lowest at its upper end; a fund whose fee is not known is never it."""
    known = [(c.cost.total_yen[1], n) for n, c in enumerate(columns)
             if c.cost is not None and c.cost.total_yen[1] is not None]
    return min(known)[1] if len(known) > 1 else None


def todos(fund: FundResult) -> str:
    if not fund.todos:
        return "なし"
    shown = ["□ " + wording.todo_text(t) for t in fund.todos[:TODOS_SHOWN]]
    if len(fund.todos) > TODOS_SHOWN:
        shown.append(f"ほか{len(fund.todos) - TODOS_SHOWN}件（詳細欄）")
    return "\n".join(shown)


def fitted(cost: Cost) -> tuple[str, ...]:
    """The estimate's sentences saying where the fund's own terms changed the request (its limit,
    its longest term or grace, a method it does not offer)."""
    return tuple(a for a in cost.assumptions if a.startswith(FITTED_STARTS))


def others(cost: Cost) -> tuple[str, ...]:
    """The rest: what every estimate assumes (rate caps, fee classes, the day) and the fund's own."""
    return tuple(a for a in cost.assumptions if not a.startswith(FITTED_STARTS))


def shared_assumptions(columns: Sequence[Column]) -> tuple[str, ...]:
    """What every costed fund assumes alike (the rate caps, the fee classes, the day): said once."""
    costs = [c.cost for c in columns if c.cost is not None]
    if not costs:
        return ()
    rest = [set(others(k)) for k in costs[1:]]
    return tuple(a for a in others(costs[0]) if all(a in r for r in rest))


def _yen(amount: int | None) -> str:
    return "—" if amount is None else f"{amount:,}円"
