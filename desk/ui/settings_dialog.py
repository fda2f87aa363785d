"""設定: the user's preferences, one field per declared setting (desk.settings.SETTINGS)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from desk.settings import RETENTION_DEFAULT_DAYS, SETTINGS, Settings
from desk.ui import look
from desk.ui.geometry import fit_to_screen
from desk.ui.value_guard import guard_values

EDITABLE = ("window_name", "window_phone", "staff_name", "font_size_pt", "personal_retention_days", "pdf_font_path",
            "database_url")
RESTART_NEEDED = {"database_url"}


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("設定")
        self.editors: dict[str, QSpinBox | QLineEdit] = {}
        form = QFormLayout(self)
        # A label too long to sit beside its field (at 24 pt) goes above it: the dialog fits a laptop.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for setting in SETTINGS:
            if setting.key not in EDITABLE:
                continue
            value = settings.get(setting.key)
            editor: QSpinBox | QLineEdit
            if setting.key == "font_size_pt":
                editor = spin = QSpinBox(self)
                spin.setRange(9, 24)
                spin.setSuffix(" pt")
                spin.setValue(int(value))
            elif setting.key == "personal_retention_days":
                editor = spin = QSpinBox(self)
                spin.setRange(0, 3650)
                spin.setSuffix(" 日")
                spin.setSpecialValueText("消さない")
                spin.setValue(int(value or 0))
            else:
                editor = line = QLineEdit(self)
                line.setText("" if value is None else str(value))
                line.setMinimumWidth(420)
            label = setting.label + ("（再起動後に有効）" if setting.key in RESTART_NEEDED else "")
            form.addRow(label, editor)
            self.editors[setting.key] = editor
            if setting.key == "personal_retention_days" and settings.get("retention_notice"):
                form.addRow("", self._retention_notice())
        form.addRow(QLabel("データの場所・フォントは空欄で既定のものを使います。", self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        guard_values(self)   # a wheel over 文字の大きさ or the retention days changes nothing
        fit_to_screen(self)

    def _retention_notice(self) -> QLabel:
        """Once, on a desk set up before records were purged by default (see desk.settings)."""
        self.settings.set("retention_notice", False)
        self.settings.save()
        note = QLabel(f"この端末は個人情報を「消さない」設定で使われてきたため、そのままにしています。"
                      f"新しく設定する端末では {RETENTION_DEFAULT_DAYS // 365}年（{RETENTION_DEFAULT_DAYS}日）"
                      "が既定です。保存期間を決めて入力してください。", self)
        note.setWordWrap(True)
        look.tint(note, look.ATTENTION)
        self.retention_notice = note
        return note

    def apply(self) -> None:
        """Store what the fields say (an empty text field returns to the default)."""
        for key, editor in self.editors.items():
            if isinstance(editor, QSpinBox):
                self.settings.set(key, editor.value())
            elif editor.text().strip():
                self.settings.set(key, editor.text().strip())
            else:
                self.settings.reset(key)
        self.settings.save()

    def accept(self) -> None:
        self.apply()
        super().accept()
