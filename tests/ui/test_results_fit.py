"""No figure cut short in the results table, at the default and the largest text size; a name
the column cuts is whole in its tooltip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
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
