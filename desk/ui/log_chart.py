"""The log's counts as a chart, drawn with Qt's own painter: consultations on each of the last days
(columns) beside consultations per cause (bars), for what the log window's search names.

It draws :class:`desk.db.services.LogCounts` as given (the numbers come from the database's counts)
and the same numbers stay in words in the label under it, for a screen reader and for copying.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desk.db.services import LogCounts

DAYS_SHOWN = 14
BAR = QColor("#3b6ea8")
CAUSE_BAR = QColor("#e39a3b")
CAUSES_TOP = 1.4   # the first cause's bar, in lines under the top: the heading's line and a gap


class LogCountsChart(QWidget):
    """Columns of the last :data:`DAYS_SHOWN` days with consultations, and a bar per cause."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.days: list[tuple[str, int]] = []
        self.causes: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("相談件数のグラフ（日別・原因別）")

    def set_counts(self, counts: LogCounts) -> None:
        self.days = list(counts.per_day.items())[-DAYS_SHOWN:]
        self.causes = list(counts.per_cause.items())
        self.updateGeometry()   # the height follows the number of causes (sizeHint)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's virtual
        # As tall as the causes' bars under their heading (_draw_causes) and no taller: two spare
        # lines here were, at 24 pt, a record the log's table had no room for.
        line = self.fontMetrics().height()
        causes = math.ceil(CAUSES_TOP * line + len(self.causes) * (line + 2)) + 2
        return QSize(600, max(5 * line, causes))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's virtual
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's virtual
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._draw_days(painter, self._days_area())
        self._draw_causes(painter, self._causes_area())
        painter.end()

    def _days_area(self) -> QRectF:
        return QRectF(0, 0, self.width() / 2 - 8, self.height())

    def _causes_area(self) -> QRectF:
        half = self.width() / 2
        return QRectF(half + 8, 0, half - 8, self.height())

    def event(self, event: QEvent) -> bool:
        # A cause's name is cut to its column (「日産自動車追…」 at 24 pt): the whole of it, with its
        # count, in a tooltip over its row.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = next((r for r in self.cause_rows(self._causes_area()) if r[1].contains(event.pos().toPointF())), None)
            if row is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), f"{row[0]}: {row[2]:,}件", self)
            return True
        return super().event(event)

    def _draw_days(self, painter: QPainter, area: QRectF) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        painter.setPen(ink)
        painter.drawText(QRectF(area.left(), area.top(), area.width(), line), "日別（直近の相談日）")
        if not self.days:
            return
        top, bottom = area.top() + line * 2.2, area.bottom() - line - 2
        most = max(n for _, n in self.days) or 1
        step = area.width() / DAYS_SHOWN
        for i, (_day, n) in enumerate(self.days):
            height = (bottom - top) * n / most
            left = area.left() + i * step
            painter.fillRect(QRectF(left + step * 0.15, bottom - height, step * 0.7, height), BAR)
            painter.setPen(ink)
            # Over its bar where it fits: at 24 pt 「39」「42」 ran together (the counts line has each day's).
            if metrics.horizontalAdvance(str(n)) <= step:
                over = QRectF(left, bottom - height - line, step, line)
                painter.drawText(over, Qt.AlignmentFlag.AlignHCenter, str(n))
        for label, place in self.day_labels(area):
            below = QRectF(place.left(), bottom + 2, place.width(), line)
            painter.drawText(below, Qt.AlignmentFlag.AlignHCenter, label)

    def day_labels(self, area: QRectF) -> list[tuple[str, QRectF]]:
        """Each day's 「12-04」 centred under its column, kept inside ``area`` (the first was cut at
        the chart's left edge at 24 pt, where a label is wider than a column), and left out where it
        would overlap the one before (fourteen days' labels ran into one another): the rects give
        the left and the width only."""
        metrics = self.fontMetrics()
        step = area.width() / DAYS_SHOWN
        gap = metrics.averageCharWidth()
        shown: list[tuple[str, QRectF]] = []
        for i, (day, _n) in enumerate(self.days):
            label = day[-5:].lstrip("0")
            width = metrics.horizontalAdvance(label) + 2
            centre = area.left() + (i + 0.5) * step
            left = max(area.left(), min(centre - width / 2, area.right() - width))
            if shown and left < shown[-1][1].right() + gap:
                continue
            shown.append((label, QRectF(left, area.top(), width, area.height())))
        return shown

    def cause_rows(self, area: QRectF) -> list[tuple[str, QRectF, int]]:
        """Each cause, the rect of its row (its name, then its bar and count) and its count."""
        if not self.causes:
            return []
        line = self.fontMetrics().height()
        return [(cause, QRectF(area.left(), area.top() + line * CAUSES_TOP + i * (line + 2), area.width(), line), n)
                for i, (cause, n) in enumerate(self.causes)]

    def _draw_causes(self, painter: QPainter, area: QRectF) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        painter.setPen(ink)
        painter.drawText(QRectF(area.left(), area.top(), area.width(), line), "原因別")
        if not self.causes:
            return
        label_width = min(area.width() * 0.45, max(metrics.horizontalAdvance(c) for c, _ in self.causes) + 8)
        number_width = metrics.horizontalAdvance("00,000") + 6
        most = max(n for _, n in self.causes) or 1
        room = area.width() - label_width - number_width
        for cause, row, n in self.cause_rows(area):
            y = row.top()
            shown = metrics.elidedText(cause, Qt.TextElideMode.ElideRight, int(label_width - 8))
            painter.drawText(QRectF(area.left(), y, label_width - 8, line), Qt.AlignmentFlag.AlignRight, shown)
            width = room * n / most
            painter.fillRect(QRectF(area.left() + label_width, y + 2, width, line - 4), CAUSE_BAR)
            painter.drawText(QRectF(area.left() + label_width + width + 4, y, number_width, line), f"{n:,}")
