"""The referral sheet as an A4 PDF: layout only, from a computed view model.

Modelled on pretix's invoice renderer (see :mod:`desk.reports.base` for the page,
fonts, styles and hooks): this module turns the already computed
:class:`~desk.sheets.referral.ReferralSheet` into flowables. Every string is escaped,
so ``<`` and ``&`` in a business name print as written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle

from desk.reports.base import CONDITIONAL_TINT, ELIGIBLE_TINT, HEAD_TINT, Flowables, PdfRenderer
from desk.reports.base import esc as _p
from desk.reports.cost_table import cost_flowables
from desk.sheets.referral import MAX_PAGES, UNDATED_NOTE, ContactRow, FundRow, ReferralSheet, shorter

MAX_TODOS = 2     # a fund's row on the sheet: the things it waits on, at most
ONLY_COMMON_PAPERS = "「お持ちいただくもの」の書類のみ"
KEPT_WITH_HEADING = 2   # fund tables this short are never split from their heading
SHORT_FACT = 22   # characters of a fact that shares its line with another
PART_TWO_MIN = 90 * mm   # the room the steps that open more funds want on a page before they start
STAMP_RED = colors.HexColor("#b3261e")


class ReferralSheetRenderer(PdfRenderer):
    # The body's size kept for an older reader; the lines a point closer than the default (as the
    # leaflet's), which with the cost comparison keeps a typical visitor's sheet on two pages.
    body_leading = 14.5
    # A heading's room above and below, 2 and 1 points less than the default: the slack of seven
    # headings that kept the Sagamihara shop's cost table (and its hotline line) off a third page.
    heading_space_before = 6
    heading_space_after = 3

    def __init__(self, sheet: ReferralSheet, *, font_path: str | None = None, max_pages: int | None = MAX_PAGES):
        self.sheet = sheet
        self.max_pages = max_pages   # None: every line, however many pages it takes
        super().__init__(font_path=font_path)

    def render(self) -> bytes:
        """The sheet on at most two pages (the sheet's budget): while it runs over, the least
        useful line goes into its 「ほかにX件」 count (desk.sheets.referral.shorter) and the sheet
        is laid out again. A typical visitor's fits the first time.

        A reprint holds what the original held: the lines are chosen as for the sheet without
        its 再発行 stamp, and the stamp then added (it may push the last lines onto a third page
        rather than count one more fund into 「ほかにX件」)."""
        stamp = self.sheet.reissue
        if stamp:
            self.sheet = replace(self.sheet, reissue=None)
        pdf = super().render()
        while self.max_pages and self.pages > self.max_pages and (smaller := shorter(self.sheet)) is not None:
            self.sheet = smaller
            pdf = super().render()
        if stamp:
            self.sheet = replace(self.sheet, reissue=stamp)
            pdf = super().render()
        return pdf

    def header_texts(self) -> tuple[str, str]:
        # A reprint says so on every page, beside the original date and number.
        again = "　再発行" if self.sheet.reissue else ""
        return self.sheet.title, f"{self.sheet.date_label}　受付番号 {self.sheet.reference_no}{again}"

    def metadata(self) -> dict[str, str]:
        return {"title": self.sheet.title, "author": self.sheet.window_name,
                "subject": f"受付番号 {self.sheet.reference_no}"}

    # --- content ----------------------------------------------------------------------------------
    def flowables(self) -> Flowables:
        s, st = self.sheet, self.styles
        out: Flowables = [Paragraph(_p(s.title), st["title"])]
        if s.reissue:
            out.append(Paragraph(_p(s.reissue), self._stamp_style()))
        window = f"{s.window_name}　電話 {s.window_phone}"
        if s.staff_name:
            window += f"　担当 {s.staff_name}"
        out += [Paragraph(_p(window), st["body"]), Spacer(1, 1 * mm)]
        out += [*self.heading("ご相談の内容"), self._key_value_table(s.business)]
        none_yet = ("お伺いした内容では、すぐにご利用いただける資金はありませんでした（下の資金は、確認や手続きが"
                    "済めばご利用いただける可能性があります）。" if s.conditional else
                    "お伺いした内容では、条件に当てはまる資金はありませんでした。")
        if s.elsewhere:
            out += [Spacer(1, 2 * mm), Paragraph(_p(s.elsewhere), st["cell_bold"])]
        else:
            out += self._fund_section("ご利用いただける可能性が高い資金", s.eligible, ELIGIBLE_TINT, none_yet)
        if s.more_eligible:
            out.append(Paragraph(_p(f"このほかにも対象となる資金が {s.more_eligible} 件あります"
                                    "（利率・保証料がより高いもの）。"
                                    "窓口でご確認ください。"), st["note"]))
        if s.conditional:
            out += self._fund_section("確認や手続きが済めばご利用いただける可能性がある資金", s.conditional,
                                      CONDITIONAL_TINT, "")
            if s.more_conditional:
                out.append(Paragraph(_p(f"ほかに{s.more_conditional}件（窓口でご説明します）"), st["note"]))
        if s.costs:
            out += cost_flowables(self, s.costs)
        if s.sources:   # where the funds and figures above come from
            out += [Spacer(1, 1 * mm), Paragraph(_p("資料: " + "、".join(s.sources)), st["note"])]
        # Then (page 2 when the funds fill page 1): what could open more, what to do next, whom to
        # see, the caveats. A conditional break: funds that ran onto page 2 are followed, not by a
        # blank rest of the page.
        out.append(CondPageBreak(PART_TWO_MIN))
        if s.openings:
            out += self.heading("取り組めば対象になる資金")
            for i, opening in enumerate(s.openings, 1):
                out.append(Paragraph(f"{i}. {_p(opening.step)}<br/>"
                                     f"<font color='#555555'>→ {_p(opening.funds)}</font>", st["body"]))
            if s.more_openings:
                out.append(Paragraph(_p(f"ほかに{s.more_openings}件（窓口でご説明します）"), st["note"]))
        elif s.more_openings:   # none had room: one line says they exist
            out.append(Paragraph(_p(f"認定や計画に取り組めば対象になる資金が{s.more_openings}件あります"
                                    "（窓口でご説明します）。"), st["note"]))
        if s.circumstances:   # the visitor may not have mentioned one: one line, to bring it up
            line = "このほか、次の事情がある方向けの資金があります（当てはまる場合は窓口にご相談ください）: "
            out.append(Paragraph(_p(line + "／".join(s.circumstances)), st["note"]))
        out += [Paragraph(_p(s.caveat), st["caveat"])]
        if s.privacy:
            out.append(Paragraph(_p(s.privacy), st["note"]))
        if s.warnings:   # the caveats of this answer, under the general one: a paragraph each, since
            # one long paragraph split over pages is laid out again for every page (quadratic)
            out += [Paragraph(_p(("ご注意: " if i == 0 else "") + w), st["note"]) for i, w in enumerate(s.warnings)]
            if s.more_warnings:
                out.append(Paragraph(_p(f"ほかに注意が{s.more_warnings}件あります（窓口でご説明します）"), st["note"]))
        out += self.heading("次の手順")
        circled = "①②③④⑤⑥⑦⑧⑨"
        out.append(Paragraph(_p(" → ".join(f"{circled[i]} {name}" for i, (name, _) in enumerate(s.steps))),
                             st["cell_bold"]))
        out.append(Paragraph(_p("　".join(f"{circled[i]} {text}" for i, (_, text) in enumerate(s.steps)
                                         if i == 0)), st["body"]))
        out += [*self.heading("お持ちいただくもの"), Paragraph(_p("・" + "　・".join(s.bring)), st["body"])]
        after_contacts: Flowables = []   # the lines that close the sheet, kept with the last contact
        if any(c.undated for c in s.contacts):
            after_contacts.append(Paragraph(_p(UNDATED_NOTE), st["note"]))
        if s.hotline:
            hours = f"（{s.hotline.hours}）" if s.hotline.hours else ""
            after_contacts.append(Paragraph(_p(f"後日のご質問: {s.hotline.name} {s.hotline.phone}{hours}"), st["body"]))
        if s.qr:   # the nearest association's page: alone at the top of a page, it read as left over
            after_contacts.append(self._qr_block(s.qr))
        out += [*self.heading("ご相談先"), self._contacts_table(s.contacts, after_contacts)]
        return out

    def _stamp_style(self) -> ParagraphStyle:
        # The reprint's stamp: boxed and red, seen before anything else on the page.
        return ParagraphStyle("stamp", parent=self.styles["body"], textColor=STAMP_RED, borderColor=STAMP_RED,
                              borderWidth=1, borderPadding=4, spaceBefore=2, spaceAfter=6)

    def _key_value_table(self, rows: list[tuple[str, str]]) -> Table:
        """The visitor's facts, two to a line where both are short (page 1 holds the funds too)."""
        st = self.styles
        data: list[list[Any]] = []
        pending: list[tuple[str, str]] = []   # a short fact waiting for a partner (order kept)

        def flush() -> None:
            if pending:
                data.append([*(Paragraph(_p(t), st["cell"]) for t in pending.pop()), "", ""])

        for key, value in rows:
            if len(value) > SHORT_FACT:
                flush()
                data.append([Paragraph(_p(key), st["cell"]), Paragraph(_p(value), st["cell"]), "", ""])
            elif pending:
                data.append([Paragraph(_p(t), st["cell"]) for pair in (pending.pop(), (key, value)) for t in pair])
            else:
                pending.append((key, value))
        flush()
        table = self._table(data, [26 * mm, None, 26 * mm, None], header=False)
        style: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (0, -1), HEAD_TINT)]
        for i, row in enumerate(data):
            if row[2] == "":
                style.append(("SPAN", (1, i), (3, i)))
            else:
                style.append(("BACKGROUND", (2, i), (2, i), HEAD_TINT))
        table.setStyle(TableStyle(style))
        return table

    def _fund_section(self, heading: str, funds: list[FundRow], tint: Any, empty: str) -> Flowables:
        st = self.styles
        out: Flowables = self.heading(heading)
        if not funds:
            return [*out, Paragraph(_p(empty), st["body"])] if empty else out
        head = [Paragraph(t, st["cell"]) for t in ("資金（対象・使いみち）", "限度額・利率・期間・保証料率",
                                                    "先に用意すること・相談先")]
        rows = [head]
        for f in funds:
            # An older fiscal year's fund says so by its name (the caveats on page 2 say what it means).
            name = f"{f.name}（前年度の資料）" if f.stale else f.name
            left = [Paragraph(_p(name), st["cell_bold"]), Paragraph(_p(f"{f.provider}　{f.uses}"), st["cell"])]
            middle = [Paragraph(_p(line), st["cell"])
                      for line in (f"限度額 {f.limit}　保証料率 {f.fee}", f"利率 {f.rate}", f"期間 {f.term}")]
            # The one or two things a fund waits on: its to-dos, else what is unsettled.
            right = [Paragraph(_p("□ " + t), st["cell"]) for t in f.todo[:MAX_TODOS]]
            if not right:
                right = [Paragraph(_p("・" + r), st["cell"]) for r in f.reasons[:MAX_TODOS]]
            if not right:   # not 「—」, which an owner reads as "nothing to prepare"
                right.append(Paragraph(_p(ONLY_COMMON_PAPERS), st["cell"]))

            rows.append([left, middle, right])
        table = self._table(rows, [42 * mm, 76 * mm, None], header=True, tint=tint)
        if len(funds) <= KEPT_WITH_HEADING:
            # A short table goes with its heading: a heading alone at the foot of a page, its rows
            # on the next, reads as a section with nothing in it.
            return [out[0], KeepTogether([*out[1:], table])]
        return [*out, table]

    def _contacts_table(self, contacts: list[ContactRow], after: Flowables) -> Table:
        """The contacts a row each, and what closes the sheet (``after``: the undated note, the
        hotline, the QR code) as the table's last rows, unruled and unpadded so they read as lines
        under it, never split from the last contact: a line alone at the top of a page reads as left
        over (the hotline alone on a third page, issue 16). Past the page, the last contact goes with them."""
        st = self.styles
        addresses = any(c.address for c in contacts)
        heads = ("ご相談先", "所在地・電話" if addresses else "電話", "ご用件")
        rows: list[list[Any]] = [[Paragraph(t, st["cell"]) for t in heads]]
        for c in contacts:
            name = f"{'※' if c.undated else ''}{_p(c.name)}<br/><font color='#555555'>{_p(c.role)}</font>"
            where = _p(c.address)
            if c.distance:
                where += f"<font color='#555555'>（{_p(c.distance)}）</font>"
            if where:
                where += "<br/>"
            where += f"電話 {_p(c.phone)}" + (f"　{_p(c.hours)}" if c.hours else "")
            rows.append([Paragraph(name, st["cell"]), Paragraph(where, st["cell"]), Paragraph(_p(c.why), st["cell"])])
        ruled = len(rows)
        rows += [[line, "", ""] for line in after]
        # The errand gets room enough for two lines: it says why to call. Where no contact has an
        # address (another prefecture's, from the national directory), the names take the room.
        widths = [50 * mm, 66 * mm, None] if addresses else [68 * mm, 40 * mm, None]
        table = self._table(rows, widths, header=True, ruled_rows=ruled)
        if after:
            under = ((0, ruled), (-1, -1))   # the lines under the contacts
            table.setStyle(TableStyle([
                *(("SPAN", (0, i), (-1, i)) for i in range(ruled, len(rows))),
                *((padding, *under, 0) for padding in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")),
                ("NOSPLIT", (0, ruled - 1), (-1, -1))]))
        return table

    def _qr_block(self, items: list[tuple[str, str]]) -> list[Any]:
        # reportlab's graphics package costs ~0.1 s to import; only some sheets carry a QR code.
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        st = self.styles
        cells = []
        for label, url in items:
            widget = QrCodeWidget(url)
            x0, y0, x1, y1 = widget.getBounds()
            size = 22 * mm   # scans from a hand's length; larger, it took a page of its own
            drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
            drawing.add(widget)
            cells.append([drawing, Paragraph(_p(f"{label}\n{url}"), st["note"])])
        table = Table(cells, colWidths=[26 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return [Spacer(1, 1 * mm), table]

