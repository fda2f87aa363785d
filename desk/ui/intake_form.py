"""The guided intake form: 事業者 → 売上 → 資金ニーズ → 認定・計画・借入状況 → 確認, one step at a time.

The steps are declared in :mod:`desk.ui.intake_pages`; this stepper shows them, moves
between them and merges their parts into the intake. Nothing is parsed here: what staff
type goes to the core's reader as typed (full-width digits, 万円, ▲), and the reader's
message for a key is shown under that key's field, in words.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk import fiscal
from desk.ui import look
from desk.ui.intake_pages import PAGES, IntakePage
from desk.ui.intake_questions import QuestionsPanel

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desk.intake.reader import IntakeError
    from desk.ui.consent_panel import ConsentPanel, ConsentSource
    from desk.ui.input_errors import FieldError
    from desk.ui.intake_fields import Field
    from desk.ui.sales_calculator import Criteria, SalesCalculator


class IntakeStepper(QWidget):
    """The steps across the top, one page at a time, 戻る / 次へ; ``intake_data()`` merges the pages.

    Only the first step is built with the window; the others are built on their first
    visit (or when a file fills them, or a message names one of their fields), and in
    idle time after the window is shown (:meth:`build_next_when_idle`). A step not yet
    built holds no input, so it adds nothing to the intake.
    """

    changed = Signal()

    def __init__(self, *, municipalities: list[str], plans: dict[str, str], situations: dict[str, str] | None = None,
                 readings: dict[str, str] | None = None, today: dt.date | None = None,
                 criteria: Criteria | None = None, consent: ConsentSource | None = None,
                 parent: QWidget | None = None):
        """``consent``: where the 確認 step's purpose text and windows to refer to come from."""
        super().__init__(parent)
        self._choices = _choices(municipalities, plans, situations or {}, readings or {})
        self._built: list[IntakePage | None] = [None] * len(PAGES)
        self._page_of = {spec.key: i for i, page in enumerate(PAGES) for spec in page.fields}
        # A key a field gives beside its own (the prefecture, by the place field) -> that field's key.
        self._covered_by = {key: spec.key for page in PAGES for spec in page.fields for key in spec.kind.also_covers}
        # The questions live on the last step but follow every result from the start: made
        # now, placed when their step is built. The calculator is made with its step.
        self._today = today or fiscal.today()
        self._criteria = criteria
        self._sales: SalesCalculator | None = None
        self._consent_source = consent
        self._consent: ConsentPanel | None = None
        # The inputs in error now, as shown under their fields, and their steps and keys as marked.
        self.errors: list[FieldError] = []
        self._marked: tuple[tuple[int | None, str], ...] = ()
        self.questions = QuestionsPanel()
        self.questions.changed.connect(self.changed)
        # The steps run across the top, so a step's page gets the pane's whole width (the sales
        # table and the long cause labels need it on a 1366×768 laptop).
        self.steps = StepStrip([f"{i}. {page.title}" for i, page in enumerate(PAGES, 1)], self)
        self.stack = QStackedWidget(self)
        self._scrolls: list[QScrollArea] = []
        for _page in PAGES:
            # A step scrolls inside the window (the 確認 step can hold many questions) rather than
            # growing the window past a laptop screen.
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            self.stack.addWidget(scroll)
            self._scrolls.append(scroll)
        self.steps.currentRowChanged.connect(self._show_step)
        # The text set apart: given with the parent, PySide weighs the (icon, text, parent) form
        # first and so builds QIcon's enums (ThemeIcon's hundred names), 1.5 ms of the start-up.
        self.back_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.back_button.setText("戻る")
        self.next_button.setText("次へ")
        self.back_button.clicked.connect(self.step_back)
        self.next_button.clicked.connect(self.step_forward)
        self.next_button.setToolTip("次の手順へ（Alt+→ または Ctrl+PageDown）")
        self.back_button.setToolTip("前の手順へ（Alt+← または Ctrl+PageUp）")
        # Between steps from anywhere in the form; PageUp / PageDown alone stay for scrolling.
        for keys, move in (("Alt+Right", self.step_forward), ("Ctrl+PgDown", self.step_forward),
                           ("Alt+Left", self.step_back), ("Ctrl+PgUp", self.step_back)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(move)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.go_to(0)

    @property
    def sales(self) -> SalesCalculator:
        """The monthly sales calculator of the 売上 step (made on first use)."""
        if self._sales is None:
            from desk.ui.sales_calculator import SalesCalculator

            self._sales = SalesCalculator(today=self._today, criteria=self._criteria)
            self._sales.changed.connect(self.changed)
        return self._sales

    @property
    def consent(self) -> ConsentPanel:
        """The purpose of the personal details and the visitor's consent (made with the 確認 step)."""
        if self._consent is None:
            from desk.ui.consent_panel import ConsentPanel

            self._consent = ConsentPanel(self._consent_source)
        return self._consent

    @property
    def pages(self) -> list[IntakePage]:
        """Every step, built."""
        return [self.page(i) for i in range(len(PAGES))]

    def page(self, index: int) -> IntakePage:
        page = self._built[index]
        if page is None:
            page = self._build(index)
        return page

    def set_choices(self, *, municipalities: list[str], plans: dict[str, str],
                    situations: dict[str, str] | None = None, readings: dict[str, str] | None = None) -> None:
        """The pickers' lists after a pack import; a step not built yet takes them when built."""
        self._choices = _choices(municipalities, plans, situations or {}, readings or {})
        for page in filter(None, self._built):
            page.set_choices(self._choices)

    def build_next_when_idle(self) -> None:
        """Build the next step not yet built, one per turn of the event loop, so typing
        on the first step is never held up by more than one step's widgets."""
        for index, page in enumerate(self._built):
            if page is None:
                self._build(index)
                QTimer.singleShot(0, self, self.build_next_when_idle)
                return

    def _build(self, index: int) -> IntakePage:
        declared = PAGES[index]
        page = IntakePage(declared, self._choices)
        for extra in declared.extras:
            extra(self, page)
        page.changed.connect(self.changed)
        self._scrolls[index].setWidget(page)
        self._built[index] = page
        return page

    def _show_step(self, index: int) -> None:
        """A step is shown, however it was reached (次へ, the step list, a shortcut, a message)."""
        if index < 0:
            return
        page = self.page(index)
        self.stack.setCurrentIndex(index)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(PAGES) - 1)
        self._chain_tab_order(page)

    def _chain_tab_order(self, page: IntakePage) -> None:
        """Tab runs from the step list through the step's inputs to 次へ, then 戻る: pages are built
        after the buttons (and the results), so Qt's own order would send Tab from the last
        input through the results first."""
        # (A combo box's list lives in a popup window of its own: not part of the step's chain.)
        inputs = [w for w in page.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
                  and not w.isHidden() and w.window() is page.window()]
        chain = [self.steps, *inputs, self.next_button, self.back_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def focus_current_step(self) -> None:
        """The cursor in the shown step's first input (the step list when it has none)."""
        page = self.page(self.stack.currentIndex())
        first = next((w for w in page.findChildren(QWidget)
                      if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()), None)
        (first or self.steps).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_to(self, index: int) -> None:
        self.steps.setCurrentRow(max(0, min(index, len(PAGES) - 1)))

    def step_forward(self) -> None:
        self.go_to(self.stack.currentIndex() + 1)

    def step_back(self) -> None:
        self.go_to(self.stack.currentIndex() - 1)

    def field(self, key: str) -> Field:
        """The field of an intake key (its step is built if it was not)."""
        key = self._covered_by.get(key, key)
        if key not in self._page_of:
            raise KeyError(key)
        return self.page(self._page_of[key]).fields[key]

    def intake_data(self) -> dict[str, Any]:
        """The intake as plain data (INTAKE.md): the built steps' parts, the answers, the monthly figures."""
        data: dict[str, Any] = {}
        for page in filter(None, self._built):
            for key, value in page.save().items():
                if isinstance(value, dict):
                    data.setdefault(key, {}).update(value)
                else:
                    data[key] = value
        answers = self.questions.answers()
        if answers:
            data["answers"] = answers
        figures = self._sales.monthly_sales() if self._sales is not None else None
        if figures:
            data["monthly_sales"] = figures
        return data

    def is_empty(self) -> bool:
        return not {k: v for k, v in self.intake_data().items() if v not in (False, None)}

    def load(self, data: dict[str, Any]) -> None:
        """Fill the form from intake data; a step the data fills is built now. The visitor's
        consent is not intake data: another consultation's starts unanswered."""
        self.questions.load(data.get("answers") or {})
        if self._consent is not None:
            self._consent.reset()
        figures = data.get("monthly_sales") or {}
        if self._sales is not None or figures:
            self.sales.load(figures)
        for index, page in enumerate(self._built):
            if page is None and PAGES[index].filled_by(data):
                page = self.page(index)
            if page is not None:
                page.load(data)

    def show_error(self, key: str | None, message: str | None) -> Field | None:
        """Show one message under the field ``key`` names (None: no message): :meth:`show_errors`
        with one; the field, or None when no field takes the key."""
        shown = self.show_errors([] if key is None else [(key, message or "")])
        return shown[0].field if shown else None

    def show_errors(self, errors: Sequence[tuple[str, str] | IntakeError]) -> list[FieldError]:
        """Show each of the core's messages under the field it names (a nested key under its parent
        field), and mark every step holding one in the step list, so that errors on other steps are
        all seen at once; the errors as the form names them, in the order of the steps and fields.
        ``errors``: the core's (its key and message), or (key, message) pairs."""
        for page in filter(None, self._built):
            page.clear_errors()
        if not errors and not self._marked:   # none shown, none to show: the usual keystroke
            self.errors = []
            return self.errors
        # Off the start path: made with the first error.
        from desk.ui.input_errors import FieldError

        found: dict[str, FieldError] = {}
        for error in errors:
            key, message = (error.key, error.message) if not isinstance(error, tuple) else error
            field = self._field_of(key)
            name = field.spec.key if field is not None else key
            if name in found:   # a field's first message is the one shown (and fixed first)
                continue
            if field is not None:
                field.show_error(message)
            step = self._page_of.get(name)
            where = f"{step + 1}. {PAGES[step].title}" if step is not None else ""
            found[name] = FieldError(field.spec.label if field is not None else key, where, message, key,
                                     field, step)
        order = {spec.key: n for n, spec in enumerate(s for page in PAGES for s in page.fields)}
        self.errors = sorted(found.values(), key=lambda e: order.get(e.field.spec.key if e.field else "", len(order)))
        marked = tuple((e.step, e.key) for e in self.errors)
        if marked != self._marked:   # unchanged on almost every keystroke: nothing to redraw
            self._marked = marked
            self._mark_steps()
        return self.errors

    def _mark_steps(self) -> None:
        for index, page in enumerate(PAGES):
            labels = "、".join(f"「{e.label}」" for e in self.errors if e.step == index)
            item = self.steps.item(index)
            item.setText(f"{index + 1}. {page.title}" + (" ⚠" if labels else ""))
            item.setForeground(QColor(look.ERROR) if labels else self.steps.palette().text())
            item.setToolTip(f"この手順に直す項目があります: {labels}" if labels else "")

    def _field_of(self, key: str) -> Field | None:
        base = key.split("[")[0]
        for candidate in (base, base.split(".")[0]):
            try:
                return self.field(candidate)
            except KeyError:
                continue
        return None

    def focus_field(self, key: str) -> Field | None:
        """Go to the step of the field an intake key names and put the cursor in it."""
        found = self._field_of(key)
        if found is not None:
            index = self._page_of[found.spec.key]
            self.go_to(index)
            self._scrolls[index].ensureWidgetVisible(found)
            found.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return found


class StepStrip(QListWidget):
    """The steps' names in a row that wraps onto as many lines as the width and the text size
    need, every step always in sight (at 24 pt on a laptop they take three lines, not two)."""

    def __init__(self, names: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.addItems(names)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Two lines until the strip knows its width (its first resize fits it).
        self.setFixedHeight(2 * self.sizeHintForRow(0) + 4 * self.spacing() + 2 * self.frameWidth())
        # A step marked ⚠ is wider, and may need another line.
        self.model().dataChanged.connect(lambda *_: QTimer.singleShot(0, self, self.fit_height))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's virtual
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_height()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's virtual
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self.fit_height)   # once the items have the new size

    def fit_height(self) -> None:
        """As high as the steps' lines at the present width (the list lays its items out
        late, after a resize: done now, so the measure is of this width)."""
        self.doItemsLayout()
        bottom = max(self.visualItemRect(self.item(i)).bottom() for i in range(self.count()))
        height = bottom + self.verticalOffset() + 1 + self.spacing() + 2 * self.frameWidth()
        if height != self.height():
            self.setFixedHeight(height)


def _choices(municipalities: list[str], plans: dict[str, str], situations: dict[str, str],
             readings: dict[str, str]) -> dict[str, dict[str, str]]:
    """The catalogue's lists, by the key of the field that takes them (the place field: each
    municipality with its reading in hiragana, empty where unknown)."""
    return {"municipality": {m: readings.get(m, "") for m in municipalities}, "plans": plans, "situations": situations}
