"""What every PDF desk prints shares: A4 geometry, the embedded Japanese font, named
styles, a header and a "1 / 2" footer on every page, bordered tables, and render().

Subclasses (the referral sheet, the overview leaflet) set ``title_line`` and
``subject`` and turn their already computed view model into flowables; they
compute nothing. Strings reach Paragraphs only through :func:`esc`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Paragraph, Table, TableStyle

from desk.reports.fonts import register_font

# reportlab has no type information: its flowables, canvases and colours are Any to mypy.
Flowables = list[Any]

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
ELIGIBLE_TINT = colors.HexColor("#e8f3ea")
CONDITIONAL_TINT = colors.HexColor("#fdf3e1")
HEAD_TINT = colors.HexColor("#eeeeee")


# What a Paragraph's markup reads as markup; xml.sax.saxutils.escape does the same, but importing
# it brings urllib.request, http.client, ssl and email: 21 ms of every `desk referral`.
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def esc(text: str | None) -> str:
    """Escape data for a Paragraph; keep line breaks."""
    return (text or "").translate(_MARKUP).replace("\n", "<br/>")


class _NumberedCanvas(pdfcanvas.Canvas):  # type: ignore[misc]  # reportlab is untyped (Any)
    """Defers page drawing to know the page count ("1 / 2") for the footer."""

    def __init__(self, *args: Any, footer: Callable[[Any, int, int], None] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
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


class PdfRenderer:
    page_size = A4
    margin_left = 15 * mm
    margin_right = 15 * mm
    margin_top = 24 * mm
    margin_bottom = 20 * mm
    body_size = 10.5
    body_leading = 15.5
    title_size = 18
    heading_size = 13
    heading_space_before = 8   # a section heading's room above and below, within the page's flow
    heading_space_after = 4
    footer_size = 8.5
    footer_text = "融資の可否と条件は取扱金融機関・信用保証協会の審査で決まります。"

    def __init__(self, *, font_path: str | None = None):
        self.font = register_font(font_path)
        self.styles = self._build_styles()

    # Set by subclasses: the running header (left, right) and the PDF's metadata.
    def header_texts(self) -> tuple[str, str]:
        raise NotImplementedError

    def metadata(self) -> dict[str, str]:
        raise NotImplementedError

    def flowables(self) -> Flowables:
        raise NotImplementedError

    # --- styles ------------------------------------------------------------------------------
    def _build_styles(self) -> dict[str, ParagraphStyle]:
        base = ParagraphStyle("body", fontName=self.font, fontSize=self.body_size, leading=self.body_leading,
                              textColor=INK, wordWrap="CJK", alignment=TA_LEFT)
        return {
            "body": base,
            "title": ParagraphStyle("title", parent=base, fontSize=self.title_size, leading=self.title_size * 1.3),
            "h2": ParagraphStyle("h2", parent=base, fontSize=self.heading_size, leading=self.heading_size * 1.4,
                                 spaceBefore=self.heading_space_before, spaceAfter=self.heading_space_after),
            "cell": ParagraphStyle("cell", parent=base),
            "cell_bold": ParagraphStyle("cell_bold", parent=base, fontSize=self.body_size + 1,
                                        leading=self.body_leading + 1),
            "note": ParagraphStyle("note", parent=base, textColor=MUTED),
            # A cost table's figures: the body's size, lines a little closer (a cell holds two).
            "figure": ParagraphStyle("figure", parent=base, leading=self.body_size + 3),
            "figure_bold": ParagraphStyle("figure_bold", parent=base, fontSize=self.body_size + 1,
                                          leading=self.body_size + 4),
            # Assumptions read under figures: a point smaller than the body, in full ink.
            "assume": ParagraphStyle("assume", parent=base, fontSize=self.body_size - 1,
                                     leading=self.body_leading - 2.5),
            "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
            "caveat": ParagraphStyle("caveat", parent=base, borderColor=RULE, borderWidth=0.8, borderPadding=6,
                                     backColor=colors.HexColor("#f7f7f7"), spaceBefore=10, spaceAfter=6),
        }

    # --- page hooks -----------------------------------------------------------------------------
    def _header(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = self.page_size
        y = height - 14 * mm
        canvas.setFont(self.font, 11)
        canvas.setFillColor(INK)
        canvas.drawString(self.margin_left, y, self.header_texts()[0])
        canvas.setFont(self.font, 9.5)
        canvas.drawRightString(width - self.margin_right, y,
                               self.header_texts()[1])
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(self.margin_left, y - 3 * mm, width - self.margin_right, y - 3 * mm)
        canvas.restoreState()

    def _footer(self, canvas: Any, page: int, total: int) -> None:
        canvas.saveState()
        width, _ = self.page_size
        canvas.setFont(self.font, self.footer_size)
        canvas.setFillColor(MUTED)
        canvas.drawString(self.margin_left, 10 * mm,
                          self.footer_text)
        canvas.drawRightString(width - self.margin_right, 10 * mm, f"{page} / {total}")
        canvas.restoreState()

    def heading(self, text: str) -> Flowables:
        """A section heading that never ends a page: a page break first when little room is left
        (keepWithNext would drag a whole long table along to the next page)."""
        return [CondPageBreak(40 * mm), Paragraph(esc(text), self.styles["h2"])]

    def _table(self, rows: list[list[Any]], widths: list[float | None], *, header: bool, tint: Any = None,
               ruled_rows: int | None = None) -> Any:
        """A bordered table of the body's font, a column of None taking what the others leave;
        ``ruled_rows``: how many rows, from the top, the grid rules (None: all)."""
        usable = self.page_size[0] - self.margin_left - self.margin_right
        fixed = sum(w for w in widths if w)
        widths = [w if w else (usable - fixed) / widths.count(None) for w in widths]
        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        style = [("FONTNAME", (0, 0), (-1, -1), self.font), ("FONTSIZE", (0, 0), (-1, -1), self.body_size),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("GRID", (0, 0), (-1, -1 if ruled_rows is None else ruled_rows - 1), 0.5, RULE),
                 ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                 ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), tint or HEAD_TINT))
        table.setStyle(TableStyle(style))
        return table

    # --- output ---------------------------------------------------------------------------------------
    def render(self) -> bytes:
        buffer = io.BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=self.page_size, leftMargin=self.margin_left,
                              rightMargin=self.margin_right, topMargin=self.margin_top,
                              bottomMargin=self.margin_bottom, creator="desk", **self.metadata(),
                              # Every page starts in the embedded font: no unembedded Helvetica is declared.
                              initialFontName=self.font, initialFontSize=self.body_size)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPage=self._header)])
        doc.build(self.flowables(), canvasmaker=lambda *a, **k: _NumberedCanvas(*a, footer=self._footer, **k))
        self.pages = doc.page   # how many the last render took
        return buffer.getvalue()
