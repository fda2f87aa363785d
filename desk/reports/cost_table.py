"""The cost comparison laid out (desk.sheets.cost_table computed it): the funds side by side on
what they cost, the caveat and the assumptions under the table. Shared by the referral sheet and
the leaflet; layout only."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, TableStyle

from desk.reports.base import CONDITIONAL_TINT, ELIGIBLE_TINT, Flowables, PdfRenderer
from desk.reports.base import esc as _p
from desk.sheets.cost_table import CostTable

# A row tinted as its fund's list on the sheet: which funds are sure and which wait on something.
COST_TINTS = {"eligible": ELIGIBLE_TINT, "conditional": CONDITIONAL_TINT}


def cost_flowables(renderer: PdfRenderer, table: CostTable) -> Flowables:
    """The table under its heading, then the caveat and the assumptions. Figures in the body's
    size (read at home, often by an older owner), the total a size up."""
    st = renderer.styles

    def lines(texts: list[str], style: str) -> list[Any]:
        return [Paragraph(_p(text), st[style]) for text in texts]

    heads = ["資金", "毎月のお支払い", "利息", *(["市の負担"] if table.city_column else []), "保証料", "ご負担の合計"]
    rows: list[list[Any]] = [[Paragraph(_p(h), st["cell"]) for h in heads]]
    for r in table.rows:
        name = [Paragraph(_p(r.name), st["figure"])]
        if r.loan:
            name.append(Paragraph(_p(r.loan), st["note"]))
        rows.append([name, lines(r.monthly, "figure"), Paragraph(_p(r.interest), st["figure"]),
                     *([Paragraph(_p(r.city_share or "—"), st["figure"])] if table.city_column else []),
                     lines(r.fee, "figure"), lines(r.total, "figure_bold")])
    # Each figure on one line: 「最終回 238,313円」, 「1,416,667円」, 「−637,500円」 at the body's size.
    widths: list[float | None] = ([30 * mm, 35 * mm, 26 * mm, 26 * mm, 30 * mm, None] if table.city_column
                                  else [46 * mm, 38 * mm, 28 * mm, 32 * mm, None])
    grid = renderer._table(rows, widths, header=True)
    # Figures a line each, close together: a row is one fund, read across.
    grid.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                              *(("BACKGROUND", (0, i), (-1, i), COST_TINTS.get(r.status, colors.white))
                                for i, r in enumerate(table.rows, 1))]))
    # The assumptions as one paragraph, each after a bullet: a list of eight short lines would
    # cost the sheet its second page.
    notes = Paragraph(f"<b>{_p(table.caveat)}</b><br/>計算の前提: " + "　".join("・" + _p(n) for n in table.notes),
                      st["assume"])
    lead = [Paragraph(_p(table.lead), st["body"])] if table.lead else []
    # The table may run onto the next page (its header repeated): kept whole, it would leave a
    # blank foot on page 1 and cost the sheet its second page as often as not.
    return [*renderer.heading(table.heading), *lead, grid, Spacer(1, 1 * mm), notes]
