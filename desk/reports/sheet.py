"""The referral sheet as an A4 PDF (reportlab): layout only, from a computed view model.

Modelled on pretix's invoice renderer: page geometry and fonts are class attributes,
one method builds the named paragraph styles, the header and footer are drawn in
page hooks (repeated on every page, with "1 / 2" page numbers), and one method turns
the already computed :class:`~desk.referral.ReferralSheet` into flowables. Every
string is escaped before it reaches a Paragraph, so ``<`` and ``&`` in a business
name print as written. The Japanese font is embedded (a subset of IPAex Gothic).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)

from desk.referral import ContactRow, FundRow, ReferralSheet
from desk.reports.fonts import register_font

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
ELIGIBLE_TINT = colors.HexColor("#e8f3ea")
CONDITIONAL_TINT = colors.HexColor("#fdf3e1")
HEAD_TINT = colors.HexColor("#eeeeee")


def _p(text: str | None) -> str:
    """Escape data for a Paragraph; keep line breaks."""
    return escape(text or "").replace("\n", "<br/>")


class _NumberedCanvas(pdfcanvas.Canvas):
    """Defers page drawing to know the page count ("1 / 2") for the footer."""

    def __init__(self, *args, footer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer = footer

    def showPage(self) -> None:  # noqa: N802 - reportlab's API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._footer:
                self._footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


class ReferralSheetRenderer:
    page_size = A4
    margin_left = 15 * mm
    margin_right = 15 * mm
    margin_top = 24 * mm
    margin_bottom = 20 * mm
    body_size = 10.5
    body_leading = 15.5
    title_size = 18
    heading_size = 13
    footer_size = 8.5

    def __init__(self, sheet: ReferralSheet, *, font_path: str | None = None):
        self.sheet = sheet
        self.font = register_font(font_path)
        self.styles = self._build_styles()

    # --- styles ------------------------------------------------------------------------------
    def _build_styles(self) -> dict[str, ParagraphStyle]:
        base = ParagraphStyle("body", fontName=self.font, fontSize=self.body_size, leading=self.body_leading,
                              textColor=INK, wordWrap="CJK", alignment=TA_LEFT)
        return {
            "body": base,
            "title": ParagraphStyle("title", parent=base, fontSize=self.title_size, leading=self.title_size * 1.3),
            "h2": ParagraphStyle("h2", parent=base, fontSize=self.heading_size, leading=self.heading_size * 1.4,
                                 spaceBefore=8, spaceAfter=4, keepWithNext=1),
            "cell": ParagraphStyle("cell", parent=base),
            "cell_bold": ParagraphStyle("cell_bold", parent=base, fontSize=self.body_size + 1,
                                        leading=self.body_leading + 1),
            "note": ParagraphStyle("note", parent=base, textColor=MUTED),
            "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
            "caveat": ParagraphStyle("caveat", parent=base, borderColor=RULE, borderWidth=0.8, borderPadding=6,
                                     backColor=colors.HexColor("#f7f7f7"), spaceBefore=10, spaceAfter=6),
        }

    # --- page hooks -----------------------------------------------------------------------------
    def _header(self, canvas, doc) -> None:
        canvas.saveState()
        width, height = self.page_size
        y = height - 14 * mm
        canvas.setFont(self.font, 11)
        canvas.setFillColor(INK)
        canvas.drawString(self.margin_left, y, self.sheet.title)
        canvas.setFont(self.font, 9.5)
        canvas.drawRightString(width - self.margin_right, y,
                               f"{self.sheet.date_label}　受付番号 {self.sheet.reference_no}")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_left, y - 3 * mm, width - self.margin_right, y - 3 * mm)
        canvas.restoreState()

    def _footer(self, canvas, page: int, total: int) -> None:
        canvas.saveState()
        width, _ = self.page_size
        canvas.setFont(self.font, self.footer_size)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.margin_left, 10 * mm,
                          "融資の可否と条件は取扱金融機関・信用保証協会の審査で決まります。")
        canvas.drawRightString(width - self.margin_right, 10 * mm, f"{page} / {total}")
        canvas.restoreState()

    # --- content ----------------------------------------------------------------------------------
    def _flowables(self) -> list:
        s, st = self.sheet, self.styles
        out: list = [Paragraph(_p(s.title), st["title"])]
        window = f"{s.window_name}　電話 {s.window_phone}"
        if s.staff_name:
            window += f"　担当 {s.staff_name}"
        out += [Paragraph(_p(window), st["body"]), Spacer(1, 4 * mm)]
        out += [Paragraph("ご相談の内容", st["h2"]), self._key_value_table(s.business)]
        out += self._fund_section("ご利用いただける可能性が高い資金", s.eligible, ELIGIBLE_TINT,
                                  "お伺いした内容では、条件に当てはまる資金はありませんでした。")
        if s.more_eligible:
            out.append(Paragraph(_p(f"このほかにも対象となる資金が {s.more_eligible} 件あります（利率・保証料がより高いもの）。"
                                    "窓口でご確認ください。"), st["note"]))
        if s.conditional:
            out += self._fund_section("確認や手続きが済めばご利用いただける可能性がある資金", s.conditional,
                                      CONDITIONAL_TINT, "")
            if s.more_conditional:
                out.append(Paragraph(_p(f"ほかに {s.more_conditional} 件の資金があります。窓口でご確認ください。"),
                                     st["note"]))
        out += [Paragraph(_p(s.caveat), st["caveat"])]
        out += [Paragraph("次の手順", st["h2"])]
        circled = "①②③④⑤⑥⑦⑧⑨"
        out.append(Paragraph(_p(" → ".join(f"{circled[i]} {name}" for i, (name, _) in enumerate(s.steps))),
                             st["cell_bold"]))
        out.append(Paragraph(_p("　".join(f"{circled[i]} {text}" for i, (_, text) in enumerate(s.steps)
                                         if i in (0, 1, 6))), st["body"]))
        out += [Paragraph("お持ちいただくもの", st["h2"]),
                Paragraph(_p("・" + "\n・".join(s.bring)), st["body"])]
        out += [Paragraph("ご相談先", st["h2"]), self._contacts_table(s.contacts)]
        if s.hotline:
            out.append(Paragraph(_p(f"後日のご質問は {s.hotline.name}（{s.hotline.phone}、{s.hotline.hours or ''}）"
                                    "へ。全国どこからでも最寄りの地域本部につながります。"), st["body"]))
        if s.qr:
            out.append(self._qr_block(s.qr))
        if s.warnings:
            out += [Paragraph("ご注意", st["h2"]), Paragraph(_p("・" + "\n・".join(s.warnings)), st["note"])]
        if s.sources:
            out += [Spacer(1, 3 * mm), Paragraph(_p("資料: " + "、".join(s.sources)), st["note"])]
        return out

    def _table(self, rows: list[list], widths: list, *, header: bool, tint=None) -> Table:
        usable = self.page_size[0] - self.margin_left - self.margin_right
        fixed = sum(w for w in widths if w)
        widths = [w if w else (usable - fixed) / widths.count(None) for w in widths]
        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        style = [("FONTNAME", (0, 0), (-1, -1), self.font), ("FONTSIZE", (0, 0), (-1, -1), self.body_size),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                 ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                 ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), tint or HEAD_TINT))
        table.setStyle(TableStyle(style))
        return table

    def _key_value_table(self, rows: list[tuple[str, str]]) -> Table:
        st = self.styles
        data = [[Paragraph(_p(k), st["cell"]), Paragraph(_p(v), st["cell"])] for k, v in rows]
        table = self._table(data, [32 * mm, None], header=False)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), HEAD_TINT)]))
        return table

    def _fund_section(self, heading: str, funds: list[FundRow], tint, empty: str) -> list:
        st = self.styles
        out: list = [Paragraph(_p(heading), st["h2"])]
        if not funds:
            return out + [Paragraph(_p(empty), st["body"])] if empty else out
        head = [Paragraph(t, st["cell"]) for t in ("資金（対象・使いみち）", "限度額・利率・期間・保証料率",
                                                    "先に用意すること・相談先")]
        rows = [head]
        for f in funds:
            left = [Paragraph(_p(f.name), st["cell_bold"]), Paragraph(_p(f"{f.provider}　使いみち: {f.uses}"), st["cell"])]
            if f.who:
                left.append(Paragraph(_p(f.who), st["note"]))
            middle = [Paragraph(_p(line), st["cell"])
                      for line in (f"限度額 {f.limit}", f"利率 {f.rate}", f"期間 {f.term}", f"保証料率 {f.fee}")]
            right = [Paragraph(_p("・" + r), st["cell"]) for r in f.reasons]
            right += [Paragraph(_p("□ " + t), st["cell"]) for t in f.todo]
            if not right:
                right.append(Paragraph("—", st["cell"]))
            if f.stale:
                right.append(Paragraph(_p(f.source), st["note"]))
            rows.append([left, middle, right])
        return out + [self._table(rows, [62 * mm, 58 * mm, None], header=True, tint=tint)]

    def _contacts_table(self, contacts: list[ContactRow]) -> Table:
        st = self.styles
        rows = [[Paragraph(t, st["cell"]) for t in ("ご相談先", "所在地・電話", "ご用件")]]
        for c in contacts:
            name = f"{_p(c.name)}<br/><font color='#555555'>{_p(c.role)}</font>"
            where = f"{_p(c.address)}<br/>電話 {_p(c.phone)}"
            if c.hours:
                where += f"<br/>{_p(c.hours)}"
            if c.distance:
                where += f"<br/><font color='#555555'>所在地の市区町村役所から約{_p(c.distance)}</font>"
            rows.append([Paragraph(name, st["cell"]), Paragraph(where, st["cell"]), Paragraph(_p(c.why), st["cell"])])
        return self._table(rows, [60 * mm, 62 * mm, None], header=True)

    def _qr_block(self, items: list[tuple[str, str]]) -> KeepTogether:
        st = self.styles
        cells = []
        for label, url in items:
            widget = QrCodeWidget(url)
            x0, y0, x1, y1 = widget.getBounds()
            size = 26 * mm
            drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
            drawing.add(widget)
            cells.append([drawing, Paragraph(_p(f"{label}\n{url}"), st["note"])])
        table = Table(cells, colWidths=[30 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return KeepTogether([Spacer(1, 3 * mm), table])

    # --- output ---------------------------------------------------------------------------------------
    def render(self) -> bytes:
        buffer = io.BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=self.page_size, leftMargin=self.margin_left,
                              rightMargin=self.margin_right, topMargin=self.margin_top,
                              bottomMargin=self.margin_bottom, title=self.sheet.title,
                              author=self.sheet.window_name, subject=f"受付番号 {self.sheet.reference_no}",
                              creator="desk",
                              # Every page starts in the embedded font: no unembedded Helvetica is declared.
                              initialFontName=self.font, initialFontSize=self.body_size)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPage=self._header)])
        doc.build(self._flowables(), canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer=self._footer, **k))
        return buffer.getvalue()
