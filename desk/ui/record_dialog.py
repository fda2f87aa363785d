"""One consultation of the log, read-only: what was recorded and given, and its sheet printed again.

The rows come from the core (:func:`desk.sheets.reissue.record_facts`); nothing here can change
the record but the count of its reprints, which the reprint itself records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.db.services import DatabaseUnreachable
from desk.ui import look
from desk.ui.geometry import fit_to_screen
from desk.ui.messages import message_box

if TYPE_CHECKING:
    from desk.db.services import LogService
    from desk.settings import Settings
    from desk.ui.referral_preview import ReferralPreviewDialog


class ConsultationRecordDialog(QDialog):
    """A record's facts as selectable text, with 案内書を再発行… ."""

    reprinted = Signal(int)   # the record's reprint count after a reprint reached the visitor

    def __init__(self, service: LogService, record_id: str, *, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self._settings = settings
        self.record_id = record_id
        self.reference_no = ""
        self.facts = QFormLayout()
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        body = QWidget()
        body.setLayout(self.facts)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        note = QLabel("この画面では記録を変更できません（閲覧のみ）。", self)
        look.tint(note, look.MUTED)
        self.reprint_button = QPushButton("案内書を再発行…", self)
        self.reprint_button.setAutoDefault(False)   # a reprint is asked for, never an Enter's side effect
        self.reprint_button.clicked.connect(self.reprint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.reprint_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.show_record()
        fit_to_screen(self, QSize(720, 620))

    def show_record(self) -> None:
        from desk.sheets.reissue import record_facts

        while self.facts.rowCount():
            self.facts.removeRow(0)
        try:
            record = self._service.record(self.record_id)
            titles = self._service.pack_titles() if record is not None else {}
        except DatabaseUnreachable as exc:   # said where the record would be, as a record not found is
            record, missing = None, f"この相談記録を読めません。{exc}"
        else:
            missing = "この相談記録は見つかりません。"
        if record is None:
            self.setWindowTitle("相談記録")
            said = QLabel(missing)
            said.setWordWrap(True)
            self.facts.addRow(said)
            self.reprint_button.setEnabled(False)
            return
        self.reference_no = record.reference_no
        self.setWindowTitle(f"相談記録（受付番号 {record.reference_no}）")
        for label, value in record_facts(record, titles):
            shown = QLabel(value)
            shown.setTextFormat(Qt.TextFormat.PlainText)   # a business name with < or & shows as typed
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(label, shown)

    def value(self, label: str) -> str | None:
        """The text shown beside ``label`` (None when there is no such row)."""
        for row in range(self.facts.rowCount()):
            head = self.facts.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.facts.itemAt(row, QFormLayout.ItemRole.FieldRole)
            head_widget = head.widget() if head is not None else None
            if isinstance(head_widget, QLabel) and head_widget.text() == label and field is not None:
                shown = field.widget()
                return shown.text() if isinstance(shown, QLabel) else None
        return None

    def notify_problem(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        message_box(self, QMessageBox.Icon.Warning, title, text).exec()

    def reprint(self) -> ReferralPreviewDialog | None:
        from desk.ui import sheet_actions

        def counted(count: int) -> None:
            self.show_record()
            self.reprinted.emit(count)

        return sheet_actions.reissue_and_preview(self, self._service, self.record_id, settings=self._settings,
                                                 notify=self.notify_problem, reprinted=counted)
