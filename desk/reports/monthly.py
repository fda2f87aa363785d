"""The monthly report on A4: the month's consultations and businesses, the months before it, and each
section as a table beside its bar chart (reportlab.graphics.charts, in the embedded font).

Layout only: every figure and label comes computed in a :class:`desk.log.monthly.MonthlyReport`.
A long section shows its largest groups and one 「その他」 row (the CSV holds every group).
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desk.log.monthly import Group, MonthlyReport, Section, change
from desk.reports.base import HEAD_TINT, MUTED, RULE, Flowables, PdfRenderer, esc

CONSULTATIONS_INK = colors.HexColor("#3b6ea8")
BUSINESSES_INK = colors.HexColor("#e39a3b")
# How many groups a section shows before 「その他」: the report stays on two pages.
SHOWN = {"cause": 8, "industry": 11, "municipality": 10, "window": 8, "fund": 8, "follow_up": 8}
CHART_LABEL_CHARS = 11


class MonthlyReportRenderer(PdfRenderer):
    margin_top = 20 * mm
    margin_bottom = 16 * mm
    body_size = 8.5
    body_leading = 10.5
    title_size = 16
    heading_size = 11
    footer_text = "相談記録（desk）から集計。相談事業者数は事業者名と市区町村で同じ事業者をまとめた数です。"

    def __init__(self, report: MonthlyReport, *, font_path: str | None = None):
        self.report = report
        super().__init__(font_path=font_path)

    def header_texts(self) -> tuple[str, str]:
        return "相談実績報告（月次）", self.report.made_on

    def metadata(self) -> dict[str, str]:
        return {"title": self.report.title, "author": "desk", "subject": "相談実績報告"}

    # --- flowables ------------------------------------------------------------------------------------
    def flowables(self) -> Flowables:
        r, st = self.report, self.styles
        out: Flowables = [Paragraph(esc(r.title), st["title"]), Paragraph(esc(r.period), st["note"]),
                          Spacer(1, 3 * mm), self._summary(), *self.heading("月別の推移（直近12か月）"),
                          self._trend_chart()]
        for section in r.sections:
            # A section's heading, table and chart stay on one page.
            out += [CondPageBreak(40 * mm), KeepTogether([Paragraph(esc(section.title), st["h2"]),
                                                          *self._section(section)])]
        return out

    def _summary(self) -> Any:
        r, st = self.report, self.styles
        before = r.previous
        big = ParagraphStyle("big", parent=st["cell_bold"], leading=19)
        cells = [
            Paragraph(f"相談件数<br/><font size='16'>{r.consultations:,}</font> 件", big),
            Paragraph(f"相談事業者数<br/><font size='16'>{r.businesses:,}</font> 者", big),
            Paragraph(esc(f"前月（{before.label}）比\n相談件数 {change(r.consultations, before.consultations)}\n"
                          f"相談事業者数 {change(r.businesses, before.businesses)}") if before else "", st["cell"]),
        ]
        table = self._table([cells], [40 * mm, 40 * mm, None], header=False)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (1, 0), HEAD_TINT)]))
        return table

    def _section(self, section: Section) -> Flowables:
        """The section's table (label, consultations, businesses) beside its chart."""
        st = self.styles
        shown, rest = _shown(section)
        rows: list[list[Any]] = [[Paragraph("項目", st["cell"]), Paragraph("相談件数", st["right"]),
                                  Paragraph("事業者数", st["right"])]]
        rows += [[Paragraph(esc(g.label), st["cell"]), Paragraph(f"{g.consultations:,}", st["right"]),
                  Paragraph(f"{g.businesses:,}", st["right"])] for g in shown]
        if rest:
            rows.append([Paragraph(esc(f"その他（{len(rest)}項目）"), st["cell"]),
                         Paragraph(f"{sum(g.consultations for g in rest):,}", st["right"]),
                         Paragraph("—", st["right"])])
        if section.adds_up:
            rows.append([Paragraph("計", st["cell"]), Paragraph(f"{self.report.consultations:,}", st["right"]),
                         Paragraph(f"{self.report.businesses:,}", st["right"])])
        table = self._table(rows, [64 * mm, 16 * mm, 16 * mm], header=True)
        table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        _, height = table.wrap(100 * mm, 200 * mm)
        chart = self._bars(shown, height=max(26 * mm, height))
        side = Table([[table, chart]], colWidths=[100 * mm, 80 * mm], hAlign="LEFT")
        side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        if not section.adds_up:
            return [side, Paragraph("一つの相談が複数の項目に当たることがあり、計は相談件数と一致しません。",
                                    st["note"])]
        return [side]

    # --- charts ---------------------------------------------------------------------------------------
    def _trend_chart(self) -> Drawing:
        trend = self.report.trend
        drawing = Drawing(180 * mm, 50 * mm)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 14 * mm, 7 * mm, 160 * mm, 36 * mm
        chart.data = [[g.consultations for g in trend], [g.businesses for g in trend]]
        chart.categoryAxis.categoryNames = [_short_month(g.label, n == 0) for n, g in enumerate(trend)]
        self._style(chart)
        chart.groupSpacing = 4
        drawing.add(chart)
        legend = Legend()
        legend.x, legend.y = 174 * mm, 49 * mm
        legend.fontName, legend.fontSize = self.font, 7
        legend.colorNamePairs = [(CONSULTATIONS_INK, "相談件数"), (BUSINESSES_INK, "相談事業者数")]
        legend.columnMaximum, legend.deltax, legend.dx, legend.dy = 1, 60, 6, 6
        legend.alignment = "right"
        legend.boxAnchor = "ne"
        legend.strokeColor = None
        drawing.add(legend)
        return drawing

    def _bars(self, groups: tuple[Group, ...], *, height: float) -> Drawing:
        drawing = Drawing(80 * mm, height)
        if not groups:
            return drawing
        chart = HorizontalBarChart()
        chart.x, chart.y, chart.width, chart.height = 30 * mm, 5 * mm, 46 * mm, height - 6 * mm
        # Drawn from the bottom up: reversed, so the chart reads in the table's order, and the
        # consultations' bar above the businesses' as in the trend's legend.
        chart.data = [[g.businesses for g in reversed(groups)], [g.consultations for g in reversed(groups)]]
        chart.categoryAxis.categoryNames = [_clipped(g.label) for g in reversed(groups)]
        self._style(chart)
        chart.bars[0].fillColor, chart.bars[1].fillColor = BUSINESSES_INK, CONSULTATIONS_INK
        chart.groupSpacing = 2
        drawing.add(chart)
        return drawing

    def _style(self, chart: Any) -> None:
        chart.bars[0].fillColor, chart.bars[1].fillColor = CONSULTATIONS_INK, BUSINESSES_INK
        chart.bars.strokeColor = None
        chart.barSpacing = 0.5
        for axis in (chart.categoryAxis, chart.valueAxis):
            axis.labels.fontName, axis.labels.fontSize = self.font, 6.5
            axis.strokeColor = RULE
            axis.labels.fillColor = MUTED
        chart.valueAxis.valueMin = 0
        chart.valueAxis.forceZero = True
        chart.valueAxis.labelTextFormat = "{:,.0f}".format
        top = max([max(series, default=0) for series in chart.data], default=0)
        if top < 5:
            chart.valueAxis.valueMax, chart.valueAxis.valueStep = 5, 1


def _shown(section: Section) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
    """The groups the page shows and the rest (「その他」); groups without consultations stay off a
    long section's page but stay in a short one (every cause, every follow-up)."""
    limit = SHOWN[section.dimension]
    groups = section.groups if len(section.groups) <= limit else tuple(g for g in section.groups if g.consultations)
    if len(groups) <= limit:
        return groups, ()
    return groups[:limit - 1], groups[limit - 1:]


def _clipped(label: str) -> str:
    return label if len(label) <= CHART_LABEL_CHARS else label[:CHART_LABEL_CHARS - 1] + "…"


def _short_month(label: str, first: bool) -> str:
    """「2026年1月」 on the first bar and in January, 「2月」 elsewhere."""
    month = label.split("年")[1]
    return label if first or month == "1月" else month
