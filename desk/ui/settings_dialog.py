"""設定: the user's preferences, one field per declared setting (desk.settings.SETTINGS)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from desk.settings import (
    PASSWORD_IN_SETTINGS,
    RETENTION_DEFAULT_DAYS,
    SETTINGS,
    Settings,
    SettingsError,
    has_password,
)
from desk.ui import look
from desk.ui.geometry import fit_to_screen
from desk.ui.value_guard import guard_values

EDITABLE = ("window_name", "window_phone", "staff_name", "font_size_pt", "personal_retention_days", "privacy_purpose",
            "pdf_font_path", "database_url", "server_window")
RESTART_NEEDED = {"database_url"}
# How long names and phones are kept: periods to choose, not days to step through (from 消さない,
# one press of ↑ in a spin box gave 1日, and the next start purged every name but today's).
RETENTION_CHOICES = ((90, "90日"), (180, "180日"), (365, "1年"), (1095, "3年"), (1825, "5年"), (3650, "10年"),
                     (0, "消さない"))


class RetentionBox(QComboBox):
    """The retention period as a choice; a number of days set elsewhere is kept as its own item."""

    def __init__(self, days: int, parent: QWidget | None = None):
        super().__init__(parent)
        for value, label in RETENTION_CHOICES:
            self.addItem(label, value)
        self.setValue(days)

    def value(self) -> int:
        return int(self.currentData())

    def setValue(self, days: int) -> None:  # noqa: N802 - read like QSpinBox's, as the dialog's other numbers
        index = self.findData(days)
        if index < 0:
            self.addItem(f"{days}日", days)
            index = self.count() - 1
        self.setCurrentIndex(index)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("設定")
        self.editors: dict[str, QSpinBox | RetentionBox | QLineEdit] = {}
        form = QFormLayout(self)
        # A label too long to sit beside its field (at 24 pt) goes above it: the dialog fits a laptop.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for setting in SETTINGS:
            if setting.key not in EDITABLE:
                continue
            value = settings.get(setting.key)
            editor: QSpinBox | RetentionBox | QLineEdit
            if setting.key == "font_size_pt":
                editor = spin = QSpinBox(self)
                spin.setRange(9, 24)
                spin.setSuffix(" pt")
                spin.setValue(int(value))
            elif setting.key == "personal_retention_days":
                editor = RetentionBox(int(value or 0), self)
            else:
                editor = line = QLineEdit(self)
                line.setText("" if value is None else str(value))
                line.setCursorPosition(0)   # a long value shows its start (窓口名 read 「奈川県 金融課…」)
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
        try:
            self.settings.save()
        except SettingsError:
            pass   # the notice comes again next time; saving the dialog says what is wrong
        note = QLabel(f"この端末は個人情報を「消さない」設定で使われてきたため、そのままにしています。"
                      f"新しく設定する端末では {RETENTION_DEFAULT_DAYS // 365}年（{RETENTION_DEFAULT_DAYS}日）"
                      "が既定です。保存期間を決めて入力してください。", self)
        note.setWordWrap(True)
        look.tint(note, look.ATTENTION)
        self.retention_notice = note
        return note

    def apply(self) -> None:
        """Store what the fields say (an empty text field returns to the default)."""
        url = self.editors["database_url"]
        if isinstance(url, QLineEdit) and has_password(url.text().strip()):
            raise SettingsError(PASSWORD_IN_SETTINGS)   # never written to the file in plain text
        for key, editor in self.editors.items():
            if isinstance(editor, QSpinBox | RetentionBox):
                self.settings.set(key, editor.value())
            elif editor.text().strip():
                self.settings.set(key, editor.text().strip())
            else:
                self.settings.reset(key)
        self.settings.save()

    def accept(self) -> None:
        try:
            self.apply()
        except SettingsError as exc:   # a full disk, a read-only folder: the edits stay in the dialog
            QMessageBox.warning(self, "設定を保存できません", str(exc))
            return
        super().accept()
