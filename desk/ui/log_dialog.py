"""The consultation log: search, counts per day and per cause, CSV for the prefecture."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.db.services import LOG_COLUMNS, LogFilter
from desk.fileio import atomic_write_bytes
from desk.ui.geometry import fit_to_screen
from desk.ui.rows_model import RowsTableModel
from desk.ui.value_guard import guard_values

if TYPE_CHECKING:
    from desk.db.services import LogService


def LogTableModel(parent: QWidget | None = None) -> RowsTableModel:  # noqa: N802 - reads as the model it builds
    return RowsTableModel(LOG_COLUMNS, parent)


class ConsultationLogDialog(QDialog):
    """The records that match the search, newest first, with their counts; the CSV holds the same records."""

    def __init__(self, service: LogService, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.setWindowTitle("相談記録")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("受付番号・事業者名・所在地・担当で検索")
        self.search.textChanged.connect(self.refresh)
        self.model = LogTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.personal = QCheckBox("個人情報（来訪者の氏名・電話）を含める", self)
        self.export_button = QPushButton("CSVに書き出す…", self)
        self.export_button.clicked.connect(self.export_with_dialog)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.personal)
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        layout.addLayout(bottom)
        layout.addWidget(buttons)
        guard_values(self)   # a filter added here later (a date, a kind) keeps its value under the wheel
        fit_to_screen(self, QSize(1100, 600))
        self.refresh()

    def _filter(self) -> LogFilter:
        return LogFilter(text=self.search.text().strip() or None)

    def refresh(self) -> None:
        where = self._filter()
        self.model.set_rows(self._service.page(where).rows)
        summary = self._service.counts(where)
        days = "、".join(f"{day} {n}件" for day, n in list(summary.per_day.items())[-14:])
        causes = "、".join(f"{cause} {n}件" for cause, n in summary.per_cause.items() if n)
        self.counts.setText(f"{summary.total} 件　日別: {days or '—'}\n原因別: {causes or '—'}")

    @classmethod
    def ask_export_path(cls, parent: QWidget) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, "相談記録をCSVに書き出す", "相談記録.csv", "CSV (*.csv)")
        return Path(path) if path else None

    def export_with_dialog(self) -> None:
        path = self.ask_export_path(self)
        if path is None:
            return
        try:
            atomic_write_bytes(path, self._service.export_csv(self._filter(),
                                                              include_personal=self.personal.isChecked()))
        except OSError as exc:
            QMessageBox.warning(self, "書き出せません", f"{path} に書き出せませんでした（{exc.strerror}）。")
