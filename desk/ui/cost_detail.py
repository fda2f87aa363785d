"""A fund's cost in the detail pane: the figures, a repayment table by year, the assumptions.

The table is worked out again from the cost's own figures (desk.costs.repayment.schedule) and
rounded row by row, so its rows need not add up to the exact totals above it; it says so.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape

from desk import textfmt
from desk.costs.cost import Cost
from desk.costs.repayment import Method, round_yen, schedule, yearly_rate
from desk.matching import comparison, wording
from desk.matching.answer import FundResult
from desk.ui import look


def cost_html(fund: FundResult) -> str:
    cost = fund.cost
    if cost is None:
        return ""
    parts = ["<p><b>費用の目安</b><br>" + "<br>".join(escape(line) for line in wording.cost_lines(fund)) + "</p>"]
    # Where the fund's terms changed the request (a grace longer than the term, a limit, a method)
    # is said under the figures, in the colour of a note to look at twice: among the grey notes
    # under the yearly table, a grace of 24 months costed as 11 went unseen.
    fitted = comparison.fitted(cost)
    if fitted:
        parts.append(f"<p style='color:{look.ATTENTION}'><b>ご希望と違う条件で計算しています</b><br>"
                     + "<br>".join("⚠ " + escape(a) for a in fitted) + "</p>")
    if cost.rate_pct is not None:
        parts.append(_yearly_table(cost, cost.rate_pct - (cost.city_share_pct or 0.0)))
    rest = comparison.others(cost)
    if rest:
        parts.append("<p style='color:#555'>" + "<br>".join("※" + escape(a) for a in rest) + "</p>")
    return "".join(parts)


def _yearly_table(cost: Cost, own_rate_pct: float) -> str:
    """Principal, the visitor's interest and the balance, year by year (the rate the visitor pays)."""
    rows = schedule(cost.amount_yen, yearly_rate(round(max(own_rate_pct, 0.0), 6)), cost.term_months,
                    cost.grace_months, Method(cost.method))
    lines = ["<tr><th>年</th><th>元金</th><th>利息（ご負担）</th><th>年末の残高</th></tr>"]
    for start in range(0, len(rows), 12):
        year = rows[start:start + 12]
        principal = sum((r.principal for r in year), Fraction(0))
        interest = sum((r.interest for r in year), Fraction(0))
        lines.append(f"<tr><td>{start // 12 + 1}年目</td><td align='right'>{round_yen(principal):,}円</td>"
                     f"<td align='right'>{round_yen(interest):,}円</td>"
                     f"<td align='right'>{round_yen(year[-1].balance):,}円</td></tr>")
    grace = f"、据置{textfmt.months(cost.grace_months)}" if cost.grace_months else ""
    return (f"<p><b>返済の予定（年ごと{grace}）</b></p><table cellpadding='2'>{''.join(lines)}</table>"
            "<p style='color:#555'>表の額は年ごとに丸めています。合計は丸める前の額で計算しています。</p>")
