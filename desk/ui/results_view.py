"""Live results beside the intake: the three groups, a detail pane, the referral contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk import textfmt
from desk.matching import wording
from desk.matching.answer import MatchReport
from desk.matching.routes import CIRCUMSTANCES_LINE
from desk.textfmt import escape_html as escape
from desk.ui import look
from desk.ui.intake_pages import PAGES

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

from desk.ui.results_model import CIRCUMSTANCES, CLOSED, MAX_COMPARED, OPENINGS, ResultsTreeModel

COMPARE_HINT = f"✓を付けた資金（{MAX_COMPARED}件まで）を並べて比べ、条件を変えて試算できます"
DETAIL_HINT = "資金を選ぶと、条件・理由・やること・出典がここに出ます。"


class ResultsView(QWidget):
    compare_requested = Signal()   # 比較・試算: the funds ticked, side by side

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ResultsTreeModel(self)
        # The day, the place and the SME test on one line, and the report's warnings under it, each
        # line cut to the width (the whole in the tooltip): wrapped, two warnings took nine lines at
        # 24 pt and left the results list no room on a 1366×768 laptop.
        self.summary = look.CutLines(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        # A click on a heading sorts each group of funds, and the order holds as staff type; the
        # answer's own order (cheapest first) until then.
        self.tree.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.tree.setSortingEnabled(True)
        self._fitted = False   # the figure columns are sized when first shown (fit_columns)
        self._widths: dict[int, int] = {}     # each figure column's width (fit_columns), shown or not
        self._given_up: tuple[str, ...] = ()  # the headings of the figure columns the pane cannot hold
        self.tree.installEventFilter(self)   # a narrower pane may leave the names too little room
        self.tree.selectionModel().currentChanged.connect(self._show_detail)
        self.detail = QTextBrowser(self)
        self.detail.setOpenExternalLinks(False)
        # What the pane is for, while no fund is chosen, in the document, where it wraps: Qt draws a
        # placeholder on one line, and at 24 pt 「…ここに出ます。」 was cut at the pane's edge.
        self._show_hint()
        self.contacts = QTextBrowser(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.addWidget(self.contacts)
        splitter.setSizes([420, 220, 160])
        # No pane squeezed to nothing by a drag or a large text: each keeps a few lines (fit_panes).
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        # Said above the results while an input cannot be read: they are the last readable input's.
        self.input_error = QLabel(self)
        self.input_error.setWordWrap(True)
        self.input_error.setTextFormat(Qt.TextFormat.PlainText)
        look.mark(self.input_error, look.ERROR, strong=True)
        self.input_error.hide()
        layout.insertWidget(0, self.input_error)
        layout.addLayout(self._compare_bar())
        layout.addWidget(splitter)
        self._report: MatchReport | None = None

    def _compare_bar(self) -> QHBoxLayout:
        """The button that opens the comparison of the ticked funds, and what ticking does (or why
        a fourth tick was refused)."""
        self.compare_button = QPushButton(self)
        self.compare_button.clicked.connect(self.compare_requested)
        # One line, cut at the largest text (the whole in its tooltip): wrapped, it took the tree's rows.
        self.compare_hint = look.CutLines(self)
        self.model.ticks_changed.connect(self._ticks_changed)
        self.model.tick_refused.connect(self._tick_refused)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self._ticks_changed()
        bar = QHBoxLayout()
        bar.addWidget(self.compare_button)
        bar.addWidget(self.compare_hint, 1)
        return bar

    def _ticks_changed(self) -> None:
        """The button's count and the usual hint: a refusal (tick_refused) stays only until the next
        change of the ticks or the next answer, never once fewer than three are ticked."""
        count = len(self.model.ticked())
        self.compare_button.setText(f"比較・試算（✓{count}件）")
        self.compare_button.setEnabled(count > 0)
        self.compare_hint.set_lines([COMPARE_HINT])
        look.mark(self.compare_hint, look.MUTED)

    def _tick_refused(self, why: str) -> None:
        self.compare_hint.set_lines([why])
        look.mark(self.compare_hint, look.ERROR, strong=True)

    def _tree_menu(self, position: QPoint) -> QMenu | None:
        """比較に加える / 比較から外す on a fund that fits, and 比較・試算を開く."""
        index = self.tree.indexAt(position)
        fund = self.model.fund(index)
        if fund is None or not self.model.flags(index.siblingAtColumn(0)) & Qt.ItemFlag.ItemIsUserCheckable:
            return None
        menu = QMenu(self)
        ticked = self.model.is_ticked(fund.id)
        toggle = menu.addAction("比較から外す" if ticked else "比較に加える")
        toggle.triggered.connect(lambda: self.model.tick(fund.id, not ticked))
        opened = menu.addAction("比較・試算を開く")
        opened.setEnabled(bool(self.model.ticked()))
        opened.triggered.connect(self.compare_requested)
        menu.popup(self.tree.viewport().mapToGlobal(position))
        return menu

    # The widest each figure column holds (a limit of 2億8,000万円, a rate table cell, a fee range),
    # measured in the font once, not over every row on every keystroke; names wrap in the tooltip.
    WIDEST = ("相模原市", "2億8,000万円", "0.225〜2.45%", "0.225〜1.76%", "1,444万円〜")

    def fit_columns(self) -> None:
        """Size the figure columns for the font (again when staff change the text size): the
        widest figure or the heading, whichever is wider, with room for the cell's margins."""
        metrics = self.tree.fontMetrics()
        header = self.tree.header()
        room = 3 * metrics.averageCharWidth()
        for column, sample in enumerate(self.WIDEST, 1):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            heading = header.fontMetrics().horizontalAdvance(title)
            self._widths[column] = max(metrics.horizontalAdvance(sample), heading) + room
            header.resizeSection(column, self._widths[column])
        self._fit_name_column()
        self.fit_panes()

    # The detail and the contacts keep this many lines at any text size: a contact's name, its phone
    # and its address read at once (at 24 pt the contacts had one line and a half).
    LEAST_LINES = 3

    def fit_panes(self) -> None:
        """The detail's and the contacts' least height in lines of the font now (again when staff
        change the text size, with the columns)."""
        for pane in (self.detail, self.contacts):
            lines = self.LEAST_LINES * pane.fontMetrics().lineSpacing()
            pane.setMinimumHeight(lines + 2 * pane.frameWidth() + 2 * int(pane.document().documentMargin()))

    NAME_AT_LEAST = "日産自動車関連対策"   # the fund names' column never narrower (then the table scrolls)
    # The figure columns given up, in this order, while the pane cannot hold them beside the names
    # (保証料率, 提供者, 総額, 利率; 利用できる額 stays): at 24 pt on a laptop the figures took 1,218 px
    # of a 758 px pane, the table scrolled sideways and a step's line ran out of sight uncut. The
    # detail pane gives every one of them for the fund chosen, and its hint says so.
    GIVEN_UP_FIRST = (4, 1, 5, 3)

    def _fit_name_column(self) -> None:
        """The names take what the figures leave, but never less than a name's start: at 24 pt
        the figures took the whole pane and the names shrank to two characters."""
        header = self.tree.header()
        # The check box before a name (比較・試算) takes its room from the name's start: a line's
        # height, as the row gives it. Not the style's PM_IndicatorWidth: the first QStyle that
        # reaches Python makes its 40 enums, 8 ms of a 230 ms start-up. A line is within a pixel of
        # the box at 9 pt (13 against 14) and wider at larger sizes, where names get more room.
        box = self.tree.fontMetrics().height()
        least = self.tree.fontMetrics().horizontalAdvance(self.NAME_AT_LEAST) + 2 * box
        shown = dict(self._widths)
        for column in self.GIVEN_UP_FIRST:   # until the rest fit beside the names
            if sum(shown.values()) <= self._names_room() - least:
                break
            del shown[column]
        for column, width in self._widths.items():
            if header.isSectionHidden(column) == (column in shown):
                header.setSectionHidden(column, column not in shown)
                header.resizeSection(column, width)
        given_up = tuple(str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in self.GIVEN_UP_FIRST
                         if c not in shown)
        if given_up != self._given_up:
            self._given_up = given_up
            if self.detail.toPlainText().startswith(DETAIL_HINT):
                self._show_hint()   # it says where the columns given up are
        figures = sum(shown.values())
        if self._names_room() - figures >= least:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(0, least)

    def _names_room(self) -> int:
        """The tree's viewport width, without asking for the viewport: the first viewport() wraps a
        widget of a class PySide does not know, and finding its type made 50 Python enums (25 ms,
        a tenth of the start-up)."""
        room = self.tree.maximumViewportSize().width()   # as if there were no scroll bars
        bar = self.tree.verticalScrollBar()
        return room - bar.width() if bar.isVisible() else room

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's virtual
        if watched is self.tree and event.type() == QEvent.Type.Resize and self._fitted:
            self._fit_name_column()
        return False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's virtual
        # Measured once the window is on screen and the application's font has reached the tree
        # (its font-change events are still queued while the window is built: a 102 px fee
        # measured in the old font got a 99 px column).
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self, self.fit_columns)
        super().showEvent(event)

    def show_input_error(self, said: str | None) -> None:
        """Say that the results are not those of the form as it stands: ``said``, what is in error
        (desk.ui.input_errors.said; None: they are)."""
        if said is None:
            self.input_error.hide()
            return
        self.input_error.setText(f"⚠ {said}\n下の結果は、直す前の入力によるものです。")
        self.input_error.show()

    @property
    def report(self) -> MatchReport | None:
        """The report on screen."""
        return self._report

    def show_report(self, report: MatchReport | None) -> None:
        shown = self.model.fund(self.tree.currentIndex())   # the fund in the detail, to keep it there
        self._report = report
        self.model.set_report(report)
        # A refused fourth tick was said about the last answer's list: with a new answer its line is
        # over, though the ticks (and so ticks_changed) stayed the same.
        self._ticks_changed()
        header = self.tree.header()
        if header.sortIndicatorSection() >= 0:   # the order staff chose holds for the new results
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.tree.expandToDepth(0)
        for row in range(self.model.rowCount()):   # a group's label reads across the whole row
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        # The circumstance-made funds and the rest, for whoever opens them.
        self.tree.collapse(self.model.index(CIRCUMSTANCES, 0))
        self.tree.collapse(self.model.index(CLOSED, 0))
        for spanned in (OPENINGS, CIRCUMSTANCES):   # a step or a circumstance reads across the row
            group = self.model.index(spanned, 0)
            for row in range(self.model.rowCount(group)):
                self.tree.setFirstColumnSpanned(row, group, True)
        # The detail follows the new answer: the same fund's new result, or nothing (after
        # 新しい相談 it showed the previous visitor's fund).
        again = self.model.index_of(shown.id) if shown is not None else None
        if again is not None:
            self.tree.setCurrentIndex(again)
            self._show_detail(again)
        else:
            self._show_hint()
        if report is None:
            self.summary.set_lines([])
            self.contacts.clear()
            return
        head = f"{report.as_of.isoformat()} 時点　{report.place}　{report.sme.reason}"
        warnings = [f"⚠ {in_the_forms_words(w)}" for w in report.warnings]
        self.summary.set_lines([head, *summary_warnings(warnings)])
        self.summary.setToolTip("\n".join([head, *warnings]))   # every warning whole, however many
        self.contacts.setHtml(contacts_html(report))

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        fund = self.model.fund(current)
        if fund is None:
            self._show_group_row(current)
            return
        # Beside the provider, the figures the table had no room for (fit_columns), as it words them:
        # at 24 pt the pane shows the name and a line or two.
        header, heading = self.tree.header(), Qt.Orientation.Horizontal
        given_up = [f"{self.model.headerData(c, heading)} {current.siblingAtColumn(c).data() or '—'}"
                    for c in range(2, self.model.columnCount()) if header.isSectionHidden(c)]
        lines = [f"<h3>{escape(fund.name)}</h3><p>" + "　".join(escape(t) for t in (fund.provider, *given_up)) + "</p>"]
        if fund.reasons:
            lines.append("<p><b>理由</b><br>" + "<br>".join("・" + escape(r) for r in fund.reasons) + "</p>")
        if fund.route:
            lines.append(f"<p><b>対象になるには</b><br>{escape(fund.route)}</p>")
        if fund.todos:
            lines.append("<p><b>やること</b><br>"
                         + "<br>".join("□ " + escape(wording.todo_text(t)) for t in fund.todos) + "</p>")
        # Room for the whole rate table here; the table's cell gives what this visitor pays.
        # The loan's rate table here; the table's cell gives the visitor's own rate (both labelled).
        terms = [f"限度額 {wording.limit(fund)}", f"利用できる額 {wording.available(fund)}",
                 "融資利率 " + wording.rate_tiers(fund), "保証料率 " + wording.fee(fund), "期間 " + wording.term(fund)]
        if fund.own_rate_pct is not None:
            terms.append(f"ご負担の利率 {wording.visitor_rate(fund)}（市の利子補給 {wording.city_share(fund)}）")
        lines.append("<p>" + "　".join(escape(t) for t in terms) + "</p>")
        if fund.cost is not None:
            from desk.ui.cost_detail import cost_html  # the arithmetic: not on the start path

            lines.append(cost_html(fund))
        if fund.notes:   # how the data was read: for staff, never on the visitor's sheet
            lines.append("<p style='color:#555'><b>資料の読み方・注記（職員向け）</b><br>"
                         + "<br>".join(escape(n) for n in fund.notes[:6]) + "</p>")
        lines.append(f"<p style='color:#555'>{escape(wording.source_detail(fund))}</p>")
        self.detail.setHtml("".join(lines))

    def _show_hint(self) -> None:
        hidden = f"表に入りきらない{'・'.join(self._given_up)}も出ます。" if self._given_up else ""
        self.detail.setHtml(f"<p style='color:{look.MUTED}'>{DETAIL_HINT}{hidden}</p>")

    def _show_group_row(self, current: QModelIndex) -> None:
        """A step, or a circumstance: the funds behind it."""
        opening, circumstance = self.model.opening(current), self.model.circumstance(current)
        if opening is not None:
            funds = "".join(f"<br>・{escape(f.name)}（{escape(f.provider)}）" for f in opening.funds)
            self.detail.setHtml(f"<h3>取り組めば対象になる資金</h3><p>{escape(opening.step)}</p>"
                                f"<p><b>対象になる資金</b>{funds}</p>")
        elif circumstance is not None:
            funds = "".join(f"<br>・{escape(f.name)}（{escape(f.provider)}）" for f in circumstance.funds)
            self.detail.setHtml(f"<h3>{escape(CIRCUMSTANCES_LINE)}</h3>"
                                f"<p>「{escape(circumstance.name)}」に当てはまる場合に対象になり得ます。来訪者に確認し、"
                                "当てはまれば入力の「資金ニーズ」で選んでください。</p>"
                                f"<p><b>この事情向けの資金</b>{funds}</p>")
        else:
            self._show_hint()


def contacts_html(report: MatchReport) -> str:
    """相談先: a block per office, its name, phone and distance on the first line and its role and
    address under them, across the pane's width. A table of four columns squeezed the name to a
    character or two beside the phone at the larger text sizes."""
    blocks = []
    for c in report.contacts[:8]:
        distance = f"　{escape(textfmt.distance(c.distance_km))}" if c.distance_km is not None else ""
        # A phone number is never broken across lines (at 24 pt 「046-822-38」 showed, 「21」 below).
        first = (f"<b>{escape(c.name)}</b>　<span style='white-space: nowrap'>{escape(wording.phone(c))}</span>"
                 f"{distance}")
        under = "　".join(escape(part) for part in (c.role_label, c.address or "") if part)
        blocks.append(f"<p style='margin-top: 4px; margin-bottom: 0'>{first}<br>{under}</p>")
    return "<b>相談先</b>" + "".join(blocks)


WARNING_LINES = 2   # under the summary line: with more warnings, the last line says how many more


def summary_warnings(warnings: list[str]) -> list[str]:
    """At most :data:`WARNING_LINES` lines of warnings: the first ones, then 「ほかN件」 (the tooltip
    has them all)."""
    if len(warnings) <= WARNING_LINES:
        return warnings
    shown = warnings[:WARNING_LINES - 1]
    return [*shown, f"⚠ ほか{len(warnings) - len(shown)}件の注意（ここにポインタを置くと全文を表示）"]


# The form's names for the intake keys a warning may begin with (the CLI's reader sees the key).
FIELD_LABELS = {spec.key: spec.label for page in PAGES for spec in page.fields} | {"answers": "追加の質問"}


def in_the_forms_words(warning: str) -> str:
    """「answers: 「…」に回答がありますが…」 as 「追加の質問: 「…」…」: the key a warning begins with, as
    the form calls it (a key the form does not know, as it is)."""
    found = wording.INPUT_KEY.match(warning)
    if found is None:
        return warning
    key = found.group(1)
    label = FIELD_LABELS.get(key) or FIELD_LABELS.get(key.split(".")[0])
    return warning if label is None else f"{label}{found.group(2)}: {warning[found.end():]}"
