"""The overview leaflet of the Nissan-related and sales-decline funds: the list on the front, the
worked example's costs on the back."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from desk.reports.base import HEAD_TINT, Flowables, PdfRenderer
from desk.reports.base import esc as _p
from desk.reports.cost_table import cost_flowables
from desk.sheets.leaflet import Leaflet


class LeafletRenderer(PdfRenderer):
    margin_top = 20 * mm
    margin_bottom = 16 * mm
    body_size = 10.5
    body_leading = 14.5
    footer_text = "詳しい条件は各窓口でご確認ください。融資の可否と条件は取扱金融機関・信用保証協会の審査で決まります。"

    def __init__(self, leaflet: Leaflet, *, font_path: str | None = None):
        self.leaflet = leaflet
        super().__init__(font_path=font_path)

    def header_texts(self) -> tuple[str, str]:
        return "融資制度のご案内（一覧）", self.leaflet.date_label

    def metadata(self) -> dict[str, str]:
        return {"title": self.leaflet.title, "author": "desk", "subject": "融資制度一覧"}

    def flowables(self) -> Flowables:
        h, st = self.leaflet, self.styles
        out: Flowables = [Paragraph(_p(h.title), st["h2"])]
        rows = [[Paragraph(t, st["cell"]) for t in ("資金・対象", "限度額", "利率（年）", "期間（最長）", "保証料率")]]
        for r in h.rows:
            name = f"{_p(r.name)}<br/><font color='#555555'>{_p(r.provider)}　{_p(r.who)}</font>"
            if r.stale:
                name += "<br/><font color='#555555'>※前年度の資料</font>"
            rows.append([Paragraph(name, st["cell"]), Paragraph(_p(r.limit), st["cell"]),
                         Paragraph(_p(r.rate), st["cell"]), Paragraph(_p(r.term), st["cell"]),
                         Paragraph(_p(r.fee), st["cell"])])
        out.append(self._table(rows, [64 * mm, 22 * mm, None, 22 * mm, 28 * mm], header=True, tint=HEAD_TINT))
        out += [Paragraph(_p(h.caveat), st["caveat"]), *self.heading("ご相談は（平日）")]
        half = (len(h.windows) + 1) // 2
        columns = [h.windows[:half], h.windows[half:]]
        table = [[Paragraph(_p(f"{n}　{p}"), st["cell"]) if n else "" for n, p in pair]
                 for pair in zip(columns[0], [*columns[1], *[("", "")] * (half - len(columns[1]))], strict=True)]
        out.append(self._table(table, [None, None], header=False))
        out.append(Paragraph(_p("お近くの商工会議所・商工会でもご相談いただけます。"), st["body"]))
        out += [Spacer(1, 2 * mm), Paragraph(_p("資料: " + "、".join(h.sources)), st["note"])]
        if h.costs:   # the back: every fund on one worked example
            out += [PageBreak(), *cost_flowables(self, h.costs)]
        return out
