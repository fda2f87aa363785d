"""The log's chart: the days' labels inside the chart and apart from one another, at any text size."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from desk.db.services import LogCounts
from desk.ui.log_chart import DAYS_SHOWN, LogCountsChart

DAYS = [(dt.date(2026, 11, 20) + dt.timedelta(days=i)).isoformat() for i in range(DAYS_SHOWN)]


def _chart(qtbot, points: int, days: list[str]) -> LogCountsChart:
    chart = LogCountsChart()
    font = QFont(chart.font())
    font.setPointSize(points)
    chart.setFont(font)
    qtbot.addWidget(chart)
    chart.set_counts(LogCounts(total=len(days), businesses=len(days), per_day={day: 1 for day in days},
                               per_cause={"日産自動車追浜工場・日産車体湘南工場の生産終了等": len(days)}))
    chart.resize(1089, chart.sizeHint().height())   # the log window's width on a 1366×768 laptop
    chart.show()
    qtbot.waitExposed(chart)
    return chart


@pytest.mark.parametrize("points", [11, 24])
@pytest.mark.parametrize("count", [1, DAYS_SHOWN])
def test_the_days_labels_stay_inside_the_chart_and_apart(qtbot, points, count):
    chart = _chart(qtbot, points, DAYS[:count])
    area = QRectF(0, 0, chart.width() / 2 - 8, chart.height())   # the days' half, as paintEvent gives it
    labels = chart.day_labels(area)
    assert labels[0][0] == DAYS[0][-5:].lstrip("0")      # the first day always named (it was cut to 「2-0」)
    for label, place in labels:
        assert area.left() <= place.left() and place.right() <= area.right(), label
        assert chart.fontMetrics().horizontalAdvance(label) <= place.width(), label
    for (_, before), (label, after) in itertools.pairwise(labels):
        assert before.right() < after.left(), label
    assert len(labels) >= min(count, 3)   # a label every few days at most (they ran into one another)
    chart.grab()   # and it paints


def test_a_cut_cause_name_is_whole_in_its_tooltip(qtbot):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    cause = "日産自動車追浜工場・日産車体湘南工場の生産終了等"
    chart = _chart(qtbot, 24, DAYS[:3])
    half = chart.width() / 2
    rows = chart.cause_rows(QRectF(half + 8, 0, half - 8, chart.height()))
    assert [name for name, _, _ in rows] == [cause]
    metrics = chart.fontMetrics()
    assert metrics.horizontalAdvance(cause) > 0.45 * (half - 8)   # at 24 pt the chart cuts the name
    over = rows[0][1].topLeft().toPoint() + QPoint(4, 4)
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, over, chart.mapToGlobal(over)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == f"{cause}: 3件"
    # Over the days' half, no cause is named.
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, QPoint(10, 10), chart.mapToGlobal(QPoint(10, 10))))
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
