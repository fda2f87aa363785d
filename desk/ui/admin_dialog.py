"""データの管理: programs and contacts in sortable, filterable tables, with validated edits.

Edits call the admin service, which holds them to the data-pack rules; its messages
name the field and appear under it. The dialog never writes the database itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk import textfmt
from desk.db.services import AdminEditError
from desk.intake.numbers import IntakeError, parse_number
from desk.ui import look
from desk.ui.audit_view import SHOWN, audit_tab
from desk.ui.geometry import fit_to_screen
from desk.ui.rows_model import RowRole, RowsTableModel
from desk.ui.value_guard import guard_values

if TYPE_CHECKING:
    from desk.db.services import AdminService, ServerService

PROGRAM_COLUMNS = (("name", "制度"), ("provider", "提供者"), ("limit", "限度額"), ("rate", "利率"), ("fee", "保証料率"),
                   ("term", "最長期間"), ("as_of", "時点"), ("pack", "データパック"), ("edited", "編集"))
OFFICE_COLUMNS = (("name", "名称"), ("role", "種類"), ("phone", "電話"), ("address", "所在地"),
                  ("prefecture", "都道府県"), ("as_of", "時点"), ("pack", "データパック"), ("edited", "編集"))
OFFICE_LABELS = {"name": "名称", "phone": "電話番号", "address": "所在地", "hours": "受付時間", "department": "部署",
                 "url": "ページのURL",
                 "service_area": "担当区域（1行に1つ。例: 横須賀市 / 神奈川県 / 小田原市: 扇町、寿町）"}
MULTILINE = ("service_area",)
# The data pack's names for the parts of a value that the pack's rules may name in a message
# (a fee's range is one field here, two in the pack), in the words of the form.
PART_WORDS = {"min_pct": "下限", "max_pct": "上限", "amount_yen": "融資限度額", "min_months": "最短の融資期間",
              "max_months": "最長の融資期間", "grace_months": "据置期間", "rate_pct": "利率",
              "valid_from": "適用開始日", "valid_to": "適用終了日"}
# A key in a message: in brackets after its word (「下限（min_pct）」), quoted (「'name' は空に…」) or bare.
_KEY_IN_MESSAGE = re.compile(r"（([a-z][a-z0-9_]*)）|'([a-z][a-z0-9_.\[\]]*)' ?"
                             r"|(?<![A-Za-z0-9_])([a-z][a-z0-9]*_[a-z0-9_]+)")


class _Table(QWidget):
    edit_requested = Signal(str)

    def __init__(self, columns: tuple[tuple[str, str], ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.model = RowsTableModel(columns, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)  # filter on every column
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("絞り込み（名称・電話・所在地など）")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        # The data layer's order (Kanagawa first, then by reading) until staff click a heading:
        # enabling sorting alone sorts by the first column at once, descending.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        # Headings at their column's start: centred, 利率 over a column of rate tables wider than the
        # rest of the view was out of sight at 24 pt, its figures under no heading.
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.doubleClicked.connect(lambda index: self.edit_requested.emit(self.proxy.data(index, RowRole)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)


def _field_and_message(problem: str, fields: dict[str, QLabel]) -> tuple[str, str]:
    """The field a problem of the form 「key: message」 belongs to (「tiers[0].rate_pct」 is the
    「tiers」 field's), and its message; a problem that names no field goes under the first."""
    path, sep, message = problem.partition(": ")
    if not sep:
        return next(iter(fields)), problem
    # The longest start of the path that is a field: 「fees[0].min_pct」, 「fees[0]」, 「fees」.
    cuts = [path] + [path[:m.start()] for m in reversed(list(re.finditer(r"[.\[]", path)))]
    return next((cut for cut in cuts if cut in fields), next(iter(fields))), message


def in_words(message: str, labels: dict[str, str]) -> str:
    """A message of the pack's rules with every key it names in the form's words: the field's label
    (without its example) or the word for a part of a value; 「（min_pct）」 after its word goes."""
    def word(key: str) -> str | None:
        label = labels.get(key)
        return label.split("（")[0].strip() if label else PART_WORDS.get(key)

    def replace(found: re.Match[str]) -> str:
        bracketed, quoted, bare = found.groups()
        if bracketed is not None:
            return "" if word(bracketed) is not None else found.group(0)
        if quoted is not None:
            return f"「{word(quoted)}」" if word(quoted) is not None else found.group(0)
        return word(bare) or found.group(0)

    return _KEY_IN_MESSAGE.sub(replace, message)


class EditDialog(QDialog):
    """A small form of text fields; ``save`` is the service call, its problems shown per field."""

    def __init__(self, title: str, labels: dict[str, str], values: dict[str, Any],
                 save: Callable[[dict[str, Any]], None], parent: QWidget | None = None,
                 parse: Callable[[str, str], Any] | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self._labels = labels
        self._parse = parse or (lambda key, text: text)
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        # A label too long to sit beside its field (at 24 pt) goes above it: the dialog fits a laptop.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in labels.items():
            editor: QLineEdit | QPlainTextEdit
            if key in MULTILINE:
                editor = box = QPlainTextEdit(_shown(key, values.get(key)), self)
                box.setMinimumHeight(110)
            else:
                editor = QLineEdit(_shown(key, values.get(key)), self)
            editor.setMinimumWidth(380)
            error = QLabel(self)
            look.tint(error, look.ERROR)
            error.setWordWrap(True)
            error.hide()
            form.addRow(label, editor)
            form.addRow("", error)
            self.editors[key], self.errors[key] = editor, error
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        guard_values(self)   # text fields only today: a value widget added later is held too
        fit_to_screen(self)

    def accept(self) -> None:
        for error in self.errors.values():
            error.hide()
        changes = {}
        problems = []
        for key, editor in self.editors.items():
            try:
                text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
                changes[key] = self._parse(key, text.strip())
            except IntakeError as exc:
                problems.append(f"{key}: {str(exc).split(': ', 1)[-1]}")
        if not problems:
            try:
                self._save(changes)
            except AdminEditError as exc:
                problems = exc.problems
        if problems:
            for problem in problems:
                key, message = _field_and_message(problem, self.errors)
                message = in_words(message, self._labels)
                label = self.errors[key]
                # Under its field, in words: the key only routed it (「limit_yen: 」 read as English).
                label.setText(message if not label.text() or label.isHidden() else f"{label.text()}\n{message}")
                label.show()
            fit_to_screen(self)   # room for the lines just shown, within the screen
            return
        super().accept()


def _shown(key: str, value: Any) -> str:
    """A value as staff write it (8,000万円, 10年, 0.45〜1.52): what the field's parser reads back."""
    if value is None:
        return ""
    if isinstance(value, tuple):   # a fee range
        low, high = value
        return f"{low:g}" if low == high else f"{low:g}〜{high:g}"
    if key == "limit_yen":
        return textfmt.yen(value)
    if key in ("term_max_months", "grace_months"):
        return textfmt.months(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _parse_variant(key: str, text: str) -> Any:
    if not text:
        return None
    if key.startswith("fees["):
        parts = [p for p in re.split(r"\s*[〜~～–-]\s*", unicodedata.normalize("NFKC", text).replace("~", "〜")) if p]
        if len(parts) not in (1, 2):
            raise IntakeError(key, "「0.45〜1.52」のように下限と上限を書いてください")
        numbers = [parse_number(p, key, unit="pct") for p in parts]
        return (numbers[0], numbers[-1])
    unit = "pct" if key.endswith("rate_pct") else ("yen" if key == "limit_yen" else "months")
    number = parse_number(text, key, unit=unit)
    return int(number) if unit != "pct" and number == int(number) else number


class AdminDialog(QDialog):
    changed = Signal()  # an edit was saved: the caller refreshes results

    def __init__(self, service: AdminService, parent: QWidget | None = None, *, server: ServerService | None = None):
        """``server``: a secured server's trail of catalogue changes, shown read-only in a tab."""
        super().__init__(parent)
        self._service = service
        self._server = server
        self.setWindowTitle("データの管理")
        self.programs = _Table(PROGRAM_COLUMNS, self)
        self.offices = _Table(OFFICE_COLUMNS, self)
        self.programs.edit_requested.connect(self.edit_variant)
        self.offices.edit_requested.connect(self.edit_office)
        tabs = QTabWidget(self)
        tabs.addTab(self.programs, "融資制度")
        tabs.addTab(self.offices, "相談先")
        self.audit = audit_tab(server)
        if self.audit is not None:
            tabs.addTab(self.audit, "変更の記録")
        hint = QLabel("行をダブルクリックすると編集できます。"
                      "編集した行は、同じデータパックを取り込み直すときに確認されます。", self)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        guard_values(self)   # as the edit dialog
        fit_to_screen(self, QSize(1150, 650))
        self.refresh()

    def refresh(self) -> None:
        self.programs.model.set_rows(self._service.program_rows())
        self.offices.model.set_rows(self._service.office_rows())
        for table in (self.programs, self.offices):
            # Measured once per load (not ResizeToContents, which re-measures 700 rows on every change).
            table.view.resizeColumnsToContents()
            table.view.setColumnWidth(0, min(max(table.view.columnWidth(0), 320), 380))
            table.view.horizontalHeader().setStretchLastSection(True)

    def edit_office(self, office_id: str) -> EditDialog | None:
        try:
            values = self._service.office_values(office_id)
        except AdminEditError as exc:   # removed by an import on another counter meanwhile
            self.notify_problem("編集できません", str(exc))
            return None
        # Titled by the office's name, as staff know it (not its id).
        dialog = EditDialog(f"相談先の編集（{values.get('name') or office_id}）", OFFICE_LABELS, values,
                            lambda changes: self._service.update_office(office_id, changes), self)
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def edit_variant(self, variant_id: str) -> EditDialog | None:
        try:
            values = self._service.variant_values(variant_id)
            labels = self._service.variant_labels(variant_id)
            title = self._service.variant_title(variant_id)
        except AdminEditError as exc:
            self.notify_problem("編集できません", str(exc))
            return None
        dialog = EditDialog(f"融資制度の編集（{title}）", labels, values,
                            lambda changes: self._service.update_variant(variant_id, changes), self,
                            parse=_parse_variant)
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def notify_problem(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, text)

    def _saved(self) -> None:
        self.refresh()
        if self.audit is not None and self._server is not None:   # the edit just saved, at the top
            self.audit.set_entries(self._server.audit_trail(limit=SHOWN) or [])
        self.changed.emit()
