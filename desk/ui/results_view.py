"""Live results beside the intake: the three groups, a detail pane, the referral contacts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTextBrowser, QTreeView, QVBoxLayout, QWidget

from desk import textfmt
from desk.textfmt import escape_html as escape
from desk.ui.results_model import ResultsTreeModel


class ResultsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ResultsTreeModel(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(self._show_detail)
        self.detail = QTextBrowser(self)
        self.detail.setOpenExternalLinks(False)
        self.detail.setPlaceholderText("資金を選ぶと、条件・理由・やること・出典がここに出ます。")
        self.contacts = QTextBrowser(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.addWidget(self.contacts)
        splitter.setSizes([420, 220, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(splitter)
        self._result: dict[str, Any] | None = None

    def show_result(self, result: dict[str, Any] | None) -> None:
        self._result = result
        self.model.set_result(result)
        self.tree.expandToDepth(0)
        if result is None:
            self.summary.setText("")
            self.contacts.clear()
            self.detail.clear()
            return
        sme = result["sme"]["reason"]
        warnings = "　".join(f"⚠ {w}" for w in result["warnings"])
        self.summary.setText(f"{result['as_of']} 時点　{result['place']}　{sme}" + (f"\n{warnings}" if warnings else ""))
        rows = "".join(
            f"<tr><td>{escape(c['role_label'])}</td><td><b>{escape(c['name'])}</b><br>{escape(c.get('address') or '')}"
            f"</td><td>{escape(c.get('phone') or '—')}</td>"
            f"<td>{'' if c['distance_km'] is None else escape(str(c['distance_km'])) + 'km'}</td></tr>"
            for c in result["contacts"][:8])
        self.contacts.setHtml(f"<b>相談先</b><table cellpadding='3'>{rows}</table>")

    def _show_detail(self, current, _previous=None) -> None:
        from desk.sheets.referral import todo_text

        program = self.model.program(current)
        if program is None:
            self.detail.clear()
            return
        lines = [f"<h3>{escape(program['name'])}</h3><p>{escape(program['provider'])}</p>"]
        if program["reasons"]:
            lines.append("<p><b>理由</b><br>" + "<br>".join("・" + escape(r) for r in program["reasons"]) + "</p>")
        if program["todo"]:
            lines.append("<p><b>やること</b><br>" + "<br>".join("□ " + escape(todo_text(t)) for t in program["todo"])
                         + "</p>")
        terms = [f"限度額 {textfmt.yen(program['limit_yen'])}", f"利用できる額 {textfmt.yen(program['remaining_limit_yen'])}",
                 "利率 " + textfmt.rate_tiers(program["rate_tiers"]),
                 "保証料率 " + (textfmt.pct_range(*program["guarantee_fee_pct"]) if program["guarantee_fee_pct"] else "—")]
        lines.append("<p>" + "　".join(escape(t) for t in terms) + "</p>")
        if program["notes"]:
            lines.append("<p style='color:#555'>" + "<br>".join(escape(n) for n in program["notes"][:6]) + "</p>")
        source = program["source"]
        lines.append(f"<p style='color:#555'>出典: {escape(source['file'] or '')} {escape(source['section'] or '')}"
                     f"（{escape(program['data_as_of'] or '日付なし')} 時点）</p>")
        self.detail.setHtml("".join(lines))
