"""比較・試算: the funds the clerk ticked in the results, side by side, and the same funds for
another loan (amount, term, grace, method) as the clerk types.

The what-if starts from the form's request and leaves the form alone: the form is what the
visitor asked for, and what the sheet prints and the log keeps; trying 5 years instead of 7
is a question, not an answer. 「この条件をフォームに反映」 carries the values back when the
visitor settles on them (the results then follow, as after any edit). When the form's own
request changes, the what-if starts from it again.

The figures come from the core (:mod:`desk.matching.what_if` for the costs, the estimate
cached; :mod:`desk.matching.comparison` for the words): a keystroke costs a few estimates,
no match and nothing that waits. The dialog does not block the window: ticks and the form
stay in reach, and the comparison follows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk import textfmt
from desk.costs.estimate import Request
from desk.costs.repayment import Method
from desk.matching import comparison, what_if
from desk.matching.answer import FundResult
from desk.matching.comparison import Column, Row
from desk.ui import look
from desk.ui.geometry import fit_to_screen
from desk.ui.intake_pages import REPAYMENTS
from desk.ui.value_guard import guard_values

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow

PREFERRED_SIZE = QSize(1180, 720)
MAN = 10_000                  # the amount is typed in 万円
NO_FIGURE = "比べる資金がありません。結果の一覧で、対象・条件付きの資金に✓を付けてください。"
NO_NAME = QModelIndex()
Bases = Callable[[Sequence[FundResult]], tuple[what_if.Basis, ...]]
_DISPLAY, _TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_ALIGN, _FONT = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class CompareTableModel(QAbstractTableModel):
    """The comparison's rows (figures) by the funds compared (columns), as the core words them."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: tuple[Row, ...] = ()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: tuple[Row, ...]) -> None:
        if [(r.label, len(r.cells)) for r in rows] == [(r.label, len(r.cells)) for r in self._rows]:
            # The same shape: the cells change and the view keeps its place. One signal for the
            # rows from the first changed to the last (a signal a row cost more than it saved).
            changed = [n for n, (old, new) in enumerate(zip(self._rows, rows, strict=True)) if old != new]
            self._rows = rows
            if changed:
                self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_labels(self) -> list[str]:
        return [row.label for row in self._rows]

    def cell(self, label: str, column: int) -> str:
        return next(row.cells[column] for row in self._rows if row.label == label)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_NAME) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_NAME) -> int:  # noqa: N802
        return 0 if parent.isValid() or not self._rows else len(self._rows[0].cells)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._rows):
            return self._rows[section].label
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # Asked for every role of every cell as the rows are sized to their text after each
        # keystroke: the roles that say something first, compared as plain values.
        if role == _DISPLAY or role == _TIP:
            return self._rows[index.row()].cells[index.column()]
        if role == _ALIGN:
            return _RIGHT if self._rows[index.row()].figure else _LEFT
        if role == _FONT and (index.row() == 0 or comparison.CHEAPEST in self._rows[index.row()].cells[index.column()]):
            return self._bold   # the funds' names, and the cheapest total
        return None


class CompareTableView(QTableView):
    """The comparison's table, as tall as its rows and no taller (the dialog's room left over goes
    below it, not into an empty row under the last one), and each row as tall as its words at the
    columns' width now: sized once, a row kept the height of wider columns, and when a scroll bar
    or a narrower dialog took width the last line of a cell (ご負担の合計's 「この中で最も安い」) was cut."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        policy = self.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Maximum)   # less: it scrolls; more: never
        self.setSizePolicy(policy)
        self._fit_rows = QTimer(self)
        self._fit_rows.setSingleShot(True)
        self._fit_rows.setInterval(0)   # every column resized in one layout pass, the rows once after
        self._fit_rows.timeout.connect(self.resizeRowsToContents)
        self.horizontalHeader().sectionResized.connect(self._columns_resized)
        self.verticalHeader().sectionResized.connect(self._rows_resized)

    def _columns_resized(self, *_sizes: int) -> None:
        self._fit_rows.start()

    def _rows_resized(self, *_sizes: int) -> None:
        self.updateGeometry()   # a new height to ask the dialog's layout for

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's virtual
        hint = super().sizeHint()
        rows = self.verticalHeader().length() + 2 * self.frameWidth()
        if self.horizontalScrollBar().isVisible():
            rows += self.horizontalScrollBar().height()
        return QSize(hint.width(), rows)


class CostCompareDialog(QDialog):
    figures_updated = Signal()

    def __init__(self, *, bases_for: Bases, carry_back: Callable[[Request], None], parent: QWidget | None = None):
        """``bases_for``: the compared funds' bases (desk.matching.what_if.bases on the catalogue the
        results came from); ``carry_back``: puts a request into the form."""
        super().__init__(parent)
        self.setWindowTitle("資金の比較・試算")
        self._bases_for = bases_for
        self._carry_back = carry_back
        self._bases: tuple[what_if.Basis, ...] = ()
        self._form_request: Request | None = None
        self._amount_yen: int | None = None   # exact: the spin box shows it in 万円
        self._columns: tuple[Column, ...] = ()
        self._update = QTimer(self)
        self._update.setSingleShot(True)
        self._update.setInterval(0)   # a burst of keys, one update
        self._update.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self._what_if_controls())
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        look.tint(self.note, look.MUTED)
        layout.addWidget(self.note)
        self.model = CompareTableModel(self)
        self.table = CompareTableView(self)
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().hide()    # the funds' names are the first row: they wrap there
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)   # the room the table does not take (a few funds' rows at the default size)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        fit_to_screen(self, PREFERRED_SIZE)
        guard_values(self)   # the wheel over a figure scrolls the table, never changes the loan

    def _what_if_controls(self) -> QWidget:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.amount = QSpinBox(box)
        self.amount.setRange(0, 999_999)
        self.amount.setSingleStep(100)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setSuffix(" 万円")
        self.amount.setSpecialValueText("未入力")
        self.term = QSpinBox(box)
        self.term.setRange(0, 600)
        self.term.setSuffix(" か月")
        self.term.setSpecialValueText("資金の最長")
        self.grace = QSpinBox(box)
        self.grace.setRange(0, 240)
        self.grace.setSuffix(" か月")
        self.grace.setSpecialValueText("なし")
        self.method = QComboBox(box)
        self.method.addItem("指定なし（元金均等）", None)
        for key, label in REPAYMENTS.items():
            self.method.addItem(label, key)
        self.term_words, self.grace_words = QLabel(box), QLabel(box)
        for muted in (self.term_words, self.grace_words):
            look.tint(muted, look.MUTED)
        # Two rows of two fields, the buttons below: at 24 pt one row of everything was wider than a laptop.
        fields: tuple[tuple[int, int, str, QWidget, QLabel | None], ...] = (
            (0, 0, "借入額", self.amount, None), (0, 3, "返済方法", self.method, None),
            (1, 0, "期間", self.term, self.term_words), (1, 3, "据置", self.grace, self.grace_words))
        for row, column, label, editor, words in fields:
            caption = QLabel(label, box)
            caption.setBuddy(editor)
            grid.addWidget(caption, row, column)
            grid.addWidget(editor, row, column + 1)
            if words is not None:
                grid.addWidget(words, row, column + 2)
        self.reset_button = QPushButton("フォームの条件に戻す", box)
        self.reset_button.clicked.connect(self.reset_to_form)
        self.carry_button = QPushButton("この条件をフォームに反映", box)
        self.carry_button.clicked.connect(self.carry_to_form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.carry_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 7)
        grid.setColumnStretch(6, 1)
        self.amount.valueChanged.connect(self._amount_typed)
        # Not QTimer.start itself: the new value would become its interval (a term of 60 months, 60 ms).
        for spin in (self.term, self.grace):
            spin.valueChanged.connect(self._changed)
        self.method.currentIndexChanged.connect(self._changed)
        return box

    # --- the request tried --------------------------------------------------------------------------
    def request(self) -> Request:
        """The loan the figures are for, as the what-if's fields hold it."""
        key = self.method.currentData()
        return Request(self._amount_yen, self.term.value() or None, self.grace.value() or None,
                       Method(key) if key else None)

    def _amount_typed(self, man: int) -> None:
        self._amount_yen = man * MAN if man else None
        self._update.start()

    def _changed(self, *_value: object) -> None:
        self._update.start()

    def show_request(self, request: Request) -> None:
        """Put ``request`` in the fields (the amount kept to the yen, shown in 万円)."""
        for editor in (self.amount, self.term, self.grace, self.method):
            editor.blockSignals(True)
        self._amount_yen = request.amount_yen
        self.amount.setValue(round((request.amount_yen or 0) / MAN))
        self.term.setValue(request.term_months or 0)
        self.grace.setValue(request.grace_months or 0)
        self.method.setCurrentIndex(max(self.method.findData(request.method.value if request.method else None), 0))
        for editor in (self.amount, self.term, self.grace, self.method):
            editor.blockSignals(False)
        self._update.start()

    def reset_to_form(self) -> None:
        if self._form_request is not None:
            self.show_request(self._form_request)

    def carry_to_form(self) -> None:
        self._carry_back(self.request())

    # --- the funds ----------------------------------------------------------------------------------
    def show_funds(self, funds: Sequence[FundResult], form_request: Request, *, from_form: bool = False) -> None:
        """The funds to compare (the results' ticked ones) and the form's request: the what-if
        starts from that request again when the form's own changed, or ``from_form`` (reopened)."""
        self._bases = self._bases_for(funds) if funds else ()
        if from_form or form_request != self._form_request:
            self._form_request = form_request
            self.show_request(form_request)
        else:
            self._update.start()

    @property
    def columns(self) -> tuple[Column, ...]:
        """What is on screen: each fund's cost for the request tried."""
        return self._columns

    def refresh(self) -> None:
        request = self.request()
        self._columns = tuple(Column(b.fund, what_if.cost_of(b, request)) for b in self._bases)
        rows = comparison.rows(self._columns, request) if self._columns else ()
        self.model.set_rows(rows)
        self.table.clearSpans()
        for number, row in enumerate(rows):
            if row.across and len(self._columns) > 1:
                self.table.setSpan(number, 0, 1, len(self._columns))
        self.term_words.setText(f"（{textfmt.months(request.term_months)}）" if request.term_months else "")
        grace, term = request.grace_months, request.term_months
        # A grace not shorter than the term is costed shorter (the 「この資金での調整」 row says how).
        too_long = bool(grace and term and grace >= term)
        self.grace_words.setText((f"（{textfmt.months(grace)}）" + ("期間以上: 短くして試算" if too_long else ""))
                                 if grace else "")
        look.mark(self.grace_words, look.ATTENTION if too_long else look.MUTED, strong=too_long)
        differs = request != self._form_request
        self.reset_button.setEnabled(differs)
        self.carry_button.setEnabled(differs)
        self.note.setText(NO_FIGURE if not self._columns else
                          "試算中（フォームは変わっていません）" if differs else "フォームの条件で計算しています")
        self.figures_updated.emit()


def show(window: MainWindow) -> CostCompareDialog:
    """The window's comparison (one, kept while the window lives), following its ticks and results."""
    dialog = window.findChild(CostCompareDialog)
    if dialog is None:
        dialog = CostCompareDialog(bases_for=lambda funds: _bases(window, funds),
                                   carry_back=lambda request: carry_back(window, request), parent=window)
        follow = lambda: _follow(window, dialog)   # noqa: E731 - one slot for two signals
        window.results.model.ticks_changed.connect(follow)
        window.results_updated.connect(follow)
    # Opened again, it starts from the form as it is now: while it was closed the form may have
    # changed (its term, method or fee options), and a what-if tried before it was closed is over.
    # Already open, the clerk's what-if stays.
    reopened = not dialog.isVisible()
    _follow(window, dialog, reopened=reopened)
    if reopened:   # the funds' names (the table's first row) in sight: at 24 pt it reopened scrolled
        dialog.table.scrollToTop()   # to ご負担の合計, two columns of figures and no name above them
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _follow(window: MainWindow, dialog: CostCompareDialog, *, reopened: bool = False) -> None:
    """The ticked funds and the form's request into the dialog. A closed dialog is left alone (no
    figures computed for nobody) and brought up to date when it opens again."""
    from desk.intake.reader import Intake
    from desk.matching.costing import request_of

    if reopened or dialog.isVisible():
        dialog.show_funds(window.results.model.ticked(), request_of(window.intake_on_screen or Intake()),
                          from_form=reopened)


def _bases(window: MainWindow, funds: Sequence[FundResult]) -> tuple[what_if.Basis, ...]:
    from desk.intake.reader import Intake

    catalogue = window.services.matcher.loaded().catalogue
    return what_if.bases(catalogue, window.intake_on_screen or Intake(), funds, on=window.today)


def carry_back(window: MainWindow, request: Request) -> None:
    """The what-if's loan into the form (資金ニーズ): the match runs again, as after any edit."""
    stepper = window.stepper
    # As staff would type them (the field's reading then says 「→ 3,000万円」); None empties a field.
    values = {"amount_yen": textfmt.yen(request.amount_yen) if request.amount_yen else None,
              "term_months": request.term_months, "grace_months": request.grace_months,
              "repayment": request.method.value if request.method else None}
    for key, value in values.items():
        stepper.field(key).set_value(value)
