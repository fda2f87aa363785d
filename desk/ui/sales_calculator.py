"""Monthly sales in, percentages and the Nissan ① / ② results out, as staff type.

The table holds the latest six months and the next two (forecast) for this year and
up to three years before. Figures are read by the core (万円, full-width digits);
the percentages come from ``desk.intake.sales`` and ① / ② from the 日産自動車関連 fund's own
conditions in the catalogue, so the calculator and the match can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from desk.intake.numbers import IntakeError, parse_number
from desk.intake.sales import compute_sales_change, shift_month

YEARS = ("今年", "1年前", "2年前", "3年前")
STATUS_WORDS = {"pass": "当たります", "fail": "当たりません", "unknown": "判定には数字が足りません"}

# The 日産自動車関連 fund's ① / ② for monthly figures: (label, pass | fail | unknown, text) each.
Criteria = Callable[[dict[str, int]], list[tuple[str, str, str]]]


class SalesCalculator(QWidget):
    """The table of monthly figures and, under it, what they come to."""

    changed = Signal()

    def __init__(self, *, today: dt.date, criteria: Criteria | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._criteria = criteria
        # INTAKE.md: months after the evaluation month are forecasts; the month itself is actual.
        self.latest = f"{today.year:04d}-{today.month:02d}"
        self.today = today
        self.months = [shift_month(self.latest, offset) for offset in range(-5, 3)]
        self.table = QTableWidget(len(self.months), len(YEARS), self)
        self.table.setHorizontalHeaderLabels(list(YEARS))
        self.table.setVerticalHeaderLabels([self._row_label(m) for m in self.months])
        self.table.itemChanged.connect(self._edited)
        self.table.setMinimumHeight(270)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("月々の売上高等（今年と、比べる年。万円・円どちらでも）", self)
        heading.setWordWrap(True)   # unwrapped, it made the step 864 px wide at 24 pt: the fields scrolled off
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        self._update_summary()

    def _row_label(self, month: str) -> str:
        label = f"{int(month[5:7])}月"
        if month == self.latest:
            return label + "（今月）"
        return label + ("（見込み）" if month > self.latest else "")

    def set_figure(self, row: int, column: int, text: str) -> None:
        self.table.setItem(row, column, QTableWidgetItem(text))

    def monthly_sales(self) -> dict[str, int]:
        """Every figure that reads as an amount, keyed by its calendar month."""
        out: dict[str, int] = {}
        for row, month in enumerate(self.months):
            for column in range(len(YEARS)):
                item = self.table.item(row, column)
                if item is None or not item.text().strip():
                    continue
                try:
                    amount = parse_number(item.text(), "monthly_sales", unit="yen")
                except IntakeError:
                    continue
                if amount >= 0:
                    out[shift_month(month, -12 * column)] = round(amount)
        return dict(sorted(out.items()))

    def load(self, figures: dict[str, Any]) -> None:
        """Monthly figures of intake data (month → amount), each in its month's row: this year's
        column, or the column of the year before whose row it falls in."""
        self.clear()
        for month, amount in figures.items():
            for column in range(len(YEARS)):
                row_month = shift_month(month, 12 * column)
                if row_month in self.months:
                    self.set_figure(self.months.index(row_month), column, str(amount))
                    break

    def clear(self) -> None:
        self.table.blockSignals(True)
        self.table.clearContents()
        self.table.blockSignals(False)
        self._update_summary()

    def _edited(self, _item: QTableWidgetItem) -> None:
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        figures = self.monthly_sales()
        change = compute_sales_change(figures, self.today)
        parts = []
        periods = (("最近1か月", change.last_1m), ("最近3か月", change.last_3m), ("最近6か月", change.last_6m),
                   ("今後3か月の見込み", change.next_3m_forecast))
        for label, values in periods:
            shown = [f"{YEARS[i + 1]}比 {'▲' if v < 0 else '+'}{abs(v):.1f}%"
                     for i, v in enumerate(values) if v is not None]
            if shown:
                parts.append(f"{label}: " + "、".join(shown))
        lines = ["　".join(parts) or "数字を入れると前年などとの増減を計算します。"]
        if self._criteria is not None and figures:
            for label, status, _text in self._criteria(figures):
                lines.append(f"日産自動車関連 {label}: {STATUS_WORDS[status]}")
        self.summary.setText("\n".join(lines))
