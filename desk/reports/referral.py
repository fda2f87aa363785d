"""The referral sheet as an A4 PDF: layout only, from a computed view model.

Modelled on pretix's invoice renderer (see :mod:`desk.reports.base` for the page,
fonts, styles and hooks): this module turns the already computed
:class:`~desk.sheets.referral.ReferralSheet` into flowables. Every string is escaped,
so ``<`` and ``&`` in a business name print as written.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from desk.reports.base import CONDITIONAL_TINT, ELIGIBLE_TINT, HEAD_TINT, Flowables, PdfRenderer
from desk.reports.base import esc as _p
from desk.sheets.referral import ContactRow, FundRow, ReferralSheet


class ReferralSheetRenderer(PdfRenderer):
    def __init__(self, sheet: ReferralSheet, *, font_path: str | None = None):
        self.sheet = sheet
        super().__init__(font_path=font_path)

    def header_texts(self) -> tuple[str, str]:
        return self.sheet.title, f"{self.sheet.date_label}　受付番号 {self.sheet.reference_no}"

    def metadata(self) -> dict[str, str]:
        return {"title": self.sheet.title, "author": self.sheet.window_name,
                "subject": f"受付番号 {self.sheet.reference_no}"}

    # --- content ----------------------------------------------------------------------------------
    def flowables(self) -> Flowables:
        s, st = self.sheet, self.styles
        out: Flowables = [Paragraph(_p(s.title), st["title"])]
        window = f"{s.window_name}　電話 {s.window_phone}"
        if s.staff_name:
            window += f"　担当 {s.staff_name}"
        out += [Paragraph(_p(window), st["body"]), Spacer(1, 4 * mm)]
        out += [*self.heading("ご相談の内容"), self._key_value_table(s.business)]
        out += self._fund_section("ご利用いただける可能性が高い資金", s.eligible, ELIGIBLE_TINT,
                                  "お伺いした内容では、条件に当てはまる資金はありませんでした。")
        if s.more_eligible:
            out.append(Paragraph(_p(f"このほかにも対象となる資金が {s.more_eligible} 件あります"
                                    "（利率・保証料がより高いもの）。"
                                    "窓口でご確認ください。"), st["note"]))
        if s.conditional:
            out += self._fund_section("確認や手続きが済めばご利用いただける可能性がある資金", s.conditional,
                                      CONDITIONAL_TINT, "")
            if s.more_conditional:
                out.append(Paragraph(_p(f"ほかに {s.more_conditional} 件の資金があります。窓口でご確認ください。"),
                                     st["note"]))
        out += [Paragraph(_p(s.caveat), st["caveat"])]
        out += self.heading("次の手順")
        circled = "①②③④⑤⑥⑦⑧⑨"
        out.append(Paragraph(_p(" → ".join(f"{circled[i]} {name}" for i, (name, _) in enumerate(s.steps))),
                             st["cell_bold"]))
        out.append(Paragraph(_p("　".join(f"{circled[i]} {text}" for i, (_, text) in enumerate(s.steps)
                                         if i in (0, 1, 6))), st["body"]))
        out += [*self.heading("お持ちいただくもの"),
                Paragraph(_p("・" + "\n・".join(s.bring)), st["body"])]
        out += [*self.heading("ご相談先"), self._contacts_table(s.contacts)]
        if s.hotline:
            out.append(Paragraph(_p(f"後日のご質問は {s.hotline.name}（{s.hotline.phone}、{s.hotline.hours or ''}）"
                                    "へ。全国どこからでも最寄りの地域本部につながります。"), st["body"]))
        if s.qr:
            out.append(self._qr_block(s.qr))
        if s.warnings:
            out += [*self.heading("ご注意"), Paragraph(_p("・" + "\n・".join(s.warnings)), st["note"])]
        if s.sources:
            out += [Spacer(1, 3 * mm), Paragraph(_p("資料: " + "、".join(s.sources)), st["note"])]
        return out

    def _key_value_table(self, rows: list[tuple[str, str]]) -> Table:
        st = self.styles
        data = [[Paragraph(_p(k), st["cell"]), Paragraph(_p(v), st["cell"])] for k, v in rows]
        table = self._table(data, [32 * mm, None], header=False)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), HEAD_TINT)]))
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
            left = [Paragraph(_p(f.name), st["cell_bold"]),
                    Paragraph(_p(f"{f.provider}　使いみち: {f.uses}"), st["cell"])]
            middle = [Paragraph(_p(line), st["cell"])
                      for line in (f"限度額 {f.limit}", f"利率 {f.rate}", f"期間 {f.term}", f"保証料率 {f.fee}")]
            right = [Paragraph(_p("・" + r), st["cell"]) for r in f.reasons]
            right += [Paragraph(_p("□ " + t), st["cell"]) for t in f.todo]
            if not right:
                right.append(Paragraph("—", st["cell"]))
            if f.stale:
                right.append(Paragraph(_p(f.source), st["note"]))
            rows.append([left, middle, right])
        return [*out, self._table(rows, [62 * mm, 58 * mm, None], header=True, tint=tint)]

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
        # reportlab's graphics package costs ~0.1 s to import; only some sheets carry a QR code.
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

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

