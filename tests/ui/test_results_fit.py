"""No figure cut short in the results table, at the default and the largest text size; a name
the column cuts is whole in its tooltip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QHeaderView, QSplitter

from desk.matching.answer import MatchReport
from desk.ui.results_view import ResultsView

RECORD = Path(__file__).parents[1] / "matching" / "records" / "schema-4.json"


@pytest.mark.parametrize("points", [11, 24])
@pytest.mark.parametrize("term", [True, False])
def test_every_figure_fits_its_column(qtbot, points, term):
    font = QApplication.font()
    font.setPointSize(points)
    view = ResultsView()
    view.setFont(font)
    qtbot.addWidget(view)
    view.resize(2400, 600)   # room for every column (a narrow pane gives some up: the next tests)
    view.show()
    qtbot.waitExposed(view)
    view.fit_columns()
    report = MatchReport.from_json(json.loads(RECORD.read_text(encoding="utf-8")))
    if not term:   # without a wanted term a fund's cell gives the span of its rates
        report = report._replace(funds=tuple(f._replace(rate_pct=None) for f in report.funds))
    view.show_report(report)
    model, metrics, header = view.model, view.tree.fontMetrics(), view.tree.header()
    cut = []
    for group in range(model.rowCount()):
        parent = model.index(group, 0)
        for row in range(model.rowCount(parent)):
            if model.fund(model.index(row, 0, parent)) is None:
                continue   # a step or a circumstance spans the row
            for column in range(1, model.columnCount()):
                text = model.index(row, column, parent).data() or ""
                if metrics.horizontalAdvance(text) + 2 * metrics.averageCharWidth() > header.sectionSize(column):
                    cut.append(text)
            name = model.index(row, 0, parent)
            assert name.data() in model.data(name, Qt.ItemDataRole.ToolTipRole)
    assert not cut, sorted(set(cut))
    for column in range(1, model.columnCount()):   # and every heading
        heading = str(model.headerData(column, Qt.Orientation.Horizontal))
        assert header.fontMetrics().horizontalAdvance(heading) < header.sectionSize(column), heading


def _shown_at_the_largest_size(qtbot, width: int, height: int) -> ResultsView:
    """A results view in 24 pt text, shown at ``width`` × ``height`` (762 × 661: the main window's
    results pane on a 1366×768 laptop)."""
    font = QApplication.font()
    font.setPointSize(24)
    view = ResultsView()
    view.setFont(font)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_at_the_largest_size_the_names_keep_room_and_the_table_scrolls(qtbot):
    """Fresh eyes: at 24 pt the figure columns took the pane and the names shrank to two characters."""
    view = _shown_at_the_largest_size(qtbot, 700, 600)
    view.fit_columns()
    least = view.tree.fontMetrics().horizontalAdvance(view.NAME_AT_LEAST)
    qtbot.waitUntil(lambda: view.tree.header().sectionSize(0) >= least, timeout=2000)
    view.resize(1900, 600)   # room again: the names take what the figures leave
    qtbot.waitUntil(lambda: view.tree.header().sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch, timeout=2000)


def test_at_the_largest_size_the_figures_the_pane_cannot_hold_give_way_to_the_detail(qtbot):
    """Fresh eyes at 24 pt on a 1366×768 laptop: the figure columns took 1,218 px of the 762 px
    pane and the table scrolled sideways (the rate, the fee and the total out of sight, a step's line
    running off uncut). Those the pane cannot hold give way, the least needed first, the detail pane
    gives them for the fund chosen, and its hint says so."""
    view = _shown_at_the_largest_size(qtbot, 762, 661)
    report = MatchReport.from_json(json.loads(RECORD.read_text(encoding="utf-8")))
    view.show_report(report)
    tree, header = view.tree, view.tree.header()
    widest = tree.fontMetrics().horizontalAdvance("2億8,000万円")
    qtbot.waitUntil(lambda: header.sectionSize(2) > widest, timeout=2000)   # sized once shown, for the font
    qtbot.waitUntil(lambda: header.length() <= tree.viewport().width(), timeout=2000)
    assert not tree.horizontalScrollBar().isVisible()
    shown = [str(view.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(view.model.columnCount())
             if not header.isSectionHidden(c)]
    assert shown[:2] == ["制度", "利用できる額"]
    assert header.sectionSize(0) >= tree.fontMetrics().horizontalAdvance(view.NAME_AT_LEAST)
    hint = view.detail.toPlainText()
    assert "表に入りきらない" in hint and "保証料率" in hint and "提供者" in hint
    fund_index = view.model.index(0, 0, view.model.index(0, 0))
    fund = view.model.fund(fund_index)
    rect = tree.visualRect(fund_index)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: fund.name in view.detail.toPlainText(), timeout=2000)
    detail = view.detail.toPlainText()
    assert fund.provider in detail and "保証料率" in detail and "利用できる額" in detail
    # The figures the table gave up, beside the provider under the name, as the table words them.
    given_up = [f"{view.model.headerData(c, Qt.Orientation.Horizontal)} {fund_index.siblingAtColumn(c).data()}"
                for c in (3, 4, 5)]
    assert all(figure in detail.splitlines()[1] for figure in given_up), detail
    view.resize(2400, 661)   # room again: every column back, at its width
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(6)), timeout=2000)
    assert all(header.sectionSize(c) > tree.fontMetrics().averageCharWidth() * 4 for c in range(1, 6))
    view.resize(762, 661)
    qtbot.waitUntil(lambda: header.isSectionHidden(4), timeout=2000)
    view.show_report(report)   # a new answer keeps the columns given up
    assert header.isSectionHidden(4) and header.length() <= tree.viewport().width()


LONG_WARNINGS = ("相模原市の制度は前年度の資料によるものです（最新年度の資料は収録していません）。"
                 "利率や要件が変わっている可能性があります",
                 "横須賀市が独自に行う融資制度は収録していません。横須賀市の担当課にご確認ください",
                 "愛川町の制度は前年度の資料によるものです")


def test_at_the_largest_size_the_warnings_take_a_few_lines_and_leave_the_list_its_room(qtbot):
    """Fresh eyes: at 24 pt on a 1366×768 laptop the warnings above the results wrapped to nine
    lines and the list of funds kept two rows. Now a line each, at most three under the summary,
    cut to the width with every word in the tooltip."""
    font = QApplication.font()
    font.setPointSize(24)
    view = ResultsView()
    view.setFont(font)
    qtbot.addWidget(view)
    view.resize(762, 661)   # the results pane of the main window at 1366×768
    view.show()
    qtbot.waitExposed(view)
    report = MatchReport.from_json(json.loads(RECORD.read_text(encoding="utf-8")))
    view.show_report(report._replace(warnings=LONG_WARNINGS))
    line = view.summary.fontMetrics().lineSpacing()
    view.layout().activate()   # laid out now, as the next event loop turn would
    assert view.summary.height() < 4 * line   # three lines (358 px, nine lines, before)
    assert view.tree.height() >= 6 * view.tree.fontMetrics().lineSpacing()   # rows to choose from
    assert len(view.summary.lines()) == 3 and "ほか2件" in view.summary.lines()[2]
    assert all(warning in view.summary.toolTip() for warning in LONG_WARNINGS)


def test_the_contacts_keep_a_few_lines_and_a_name_reads_on_one_line_at_the_largest_size(qtbot):
    """Fresh eyes at 1366×768: the contacts' pane kept a line and a half at 24 pt, and their table's
    name column was squeezed to a character beside the phone (「信 神 046-822-3821」)."""
    from tests import answers

    view = _shown_at_the_largest_size(qtbot, 762, 661)
    view.fit_columns()
    name = "神奈川県信用保証協会 横須賀支店"
    office = answers.contact("yokosuka", name=name, phone="046-822-3821", address="横須賀市小川町14-1", distance_km=0.2)
    report = MatchReport.from_json(json.loads(RECORD.read_text(encoding="utf-8")))
    view.show_report(report._replace(contacts=(office,), warnings=LONG_WARNINGS))
    view.findChild(QSplitter).setSizes([2000, 10, 10])   # dragged all the way down: the panes keep their lines
    view.layout().activate()
    line = view.contacts.fontMetrics().lineSpacing()
    assert view.contacts.height() >= 3 * line and view.detail.height() >= 3 * line
    document = view.contacts.document()
    document.setTextWidth(view.contacts.viewport().width())
    start = document.find(name)
    assert not start.isNull()
    layout = start.block().layout()
    first, last = (layout.lineForTextPosition(p - start.block().position()).lineNumber()
                   for p in (start.selectionStart(), start.selectionEnd() - 1))
    assert first == last   # the whole name on one line


def test_at_the_largest_size_a_groups_line_cut_at_the_pane_is_whole_in_its_tooltip(qtbot):
    """Fresh eyes at 24 pt: 「災害・貿易など特定の事情がある方向けの資金…」 was cut before its count."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    view = _shown_at_the_largest_size(qtbot, 762, 661)
    view.show_report(MatchReport.from_json(json.loads(RECORD.read_text(encoding="utf-8"))))
    tree, model = view.tree, view.model
    cut = [model.index(row, 0) for row in range(model.rowCount())
           if tree.fontMetrics().horizontalAdvance(model.index(row, 0).data()) > tree.viewport().width() * 0.9]
    assert cut   # the circumstances' line at least
    for group in cut:
        tree.scrollTo(group)
        at = tree.visualRect(group).center()
        QApplication.sendEvent(tree.viewport(), QHelpEvent(QEvent.Type.ToolTip, at, tree.viewport().mapToGlobal(at)))
        qtbot.waitUntil(lambda group=group: QToolTip.text() == group.data(), timeout=2000)
    QToolTip.hideText()
