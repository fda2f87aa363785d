"""What the log window asks before it writes: what became of a consultation (その後), and which
month's report to write where. Each dialog hands back plain data through a class method, so a test
replaces the question, not the dialog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from desk import fiscal, vocab
from desk.ui.geometry import fit_to_screen
from desk.ui.value_guard import guard_values

NOT_ENTERED = "（未入力に戻す）"


@dataclass(frozen=True)
class FollowUpAnswer:
    status: str | None      # a code of vocab.FOLLOW_UPS; None clears it
    day: dt.date | None


class FollowUpDialog(QDialog):
    """その後: 申込済 / 実行 / 謝絶 / 未定 and the day it happened, for one consultation.

    It starts from what the record says, and with nothing chosen when it says nothing: a hurried
    OK must not record an outcome nobody picked, so OK waits for a choice (and for a day not
    before ``consulted_on``, the consultation's own day, said under the date when it is)."""

    def __init__(self, reference_no: str, *, status: str = "", day: str = "", consulted_on: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("その後を記録")
        self.consulted_on = dt.date.fromisoformat(consulted_on) if consulted_on else None
        self.status = QComboBox(self)
        self.status.setPlaceholderText("選んでください")
        for code, label in vocab.FOLLOW_UPS.items():
            self.status.addItem(label, code)
        if status:   # clearing is a choice only where there is something to clear
            self.status.addItem(NOT_ENTERED, "")
        self.status.setCurrentIndex(self.status.findData(status) if status else -1)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        chosen = dt.date.fromisoformat(day) if day else fiscal.today()
        self.day.setDate(QDate(chosen.year, chosen.month, chosen.day))
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(f"受付番号 {reference_no}", self))
        form.addRow("その後", self.status)
        form.addRow("その日", self.day)
        form.addRow(self.problem)
        self.ok = _finish(self, form).button(QDialogButtonBox.StandardButton.Ok)
        self.status.currentIndexChanged.connect(self._update)
        self.day.dateChanged.connect(self._update)
        self._update()

    def _chosen_day(self) -> dt.date:
        picked = self.day.date()
        return dt.date(picked.year(), picked.month(), picked.day())

    def too_early(self) -> str:
        """Why the chosen day cannot be recorded (「その日（…）は相談日（…）より前です」), "" when it can."""
        if not self.status.currentData() or self.consulted_on is None or self._chosen_day() >= self.consulted_on:
            return ""
        return f"その日（{self._chosen_day()}）は相談日（{self.consulted_on}）より前です"

    def ready(self) -> bool:
        return self.status.currentIndex() >= 0 and not self.too_early()

    def _update(self) -> None:
        self.day.setEnabled(bool(self.status.currentData()))
        problem = self.too_early()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok.setEnabled(self.ready())

    def accept(self) -> None:
        if self.ready():    # Enter on a disabled OK must not record either
            super().accept()

    def answer(self) -> FollowUpAnswer:
        code = str(self.status.currentData() or "")
        return FollowUpAnswer(code or None, self._chosen_day() if code else None)

    @classmethod
    def ask(cls, parent: QWidget, reference_no: str, *, status: str = "", day: str = "",
            consulted_on: str = "") -> FollowUpAnswer | None:
        dialog = cls(reference_no, status=status, day=day, consulted_on=consulted_on, parent=parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _finish(dialog: QDialog, form: QFormLayout) -> QDialogButtonBox:
    """OK and Cancel under the form, the wheel kept off its values, the dialog fitted to the screen."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    guard_values(dialog)
    fit_to_screen(dialog, QSize(380, 120))
    return buttons


@dataclass(frozen=True)
class ReportRequest:
    month: str              # "2026-11"
    pdf: Path
    csv: Path | None


class MonthlyReportDialog(QDialog):
    """Which month (the last full one by default), and whether its figures go to a CSV as well."""

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.setWindowTitle("月次の相談実績報告")
        today = today or fiscal.today()
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        self.month = QDateEdit(self)
        self.month.setDisplayFormat("yyyy年MM月")
        self.month.setDate(QDate(last_month.year, last_month.month, 1))
        self.with_csv = QCheckBox("同じ数字を CSV（Excel 用）にも書き出す", self)
        self.with_csv.setChecked(True)
        form = QFormLayout(self)
        form.addRow("対象の月", self.month)
        form.addRow(self.with_csv)
        form.addRow(QLabel("氏名・電話・事業者名は報告に載りません。", self))
        _finish(self, form)

    def chosen_month(self) -> str:
        picked = self.month.date()
        return f"{picked.year():04d}-{picked.month():02d}"

    @classmethod
    def ask(cls, parent: QWidget) -> ReportRequest | None:
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        month = dialog.chosen_month()
        path = cls.ask_report_path(parent, month)
        if path is None:
            return None
        pdf = path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")
        return ReportRequest(month, pdf, pdf.with_suffix(".csv") if dialog.with_csv.isChecked() else None)

    @classmethod
    def ask_report_path(cls, parent: QWidget, month: str) -> Path | None:
        """Where the report goes: through desk.ui.file_dialogs like every other file (Qt's static
        function started in the program's folder, with its labels in English)."""
        from desk.ui import file_dialogs as files

        return files.ask_save_file(parent, files.REPORT, "月次報告を保存", f"相談実績報告_{month}.pdf",
                                   "PDF (*.pdf)", "pdf")
