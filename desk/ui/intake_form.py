"""The guided intake form: 事業者 → 売上 → 資金ニーズ → 認定・計画・借入状況 → 確認.

Pages are listed once (``PAGES``) as field specs; each field hands back its part of
the intake as plain data (INTAKE.md keys), and nothing is parsed here: what staff
type goes to the core's reader as typed (full-width digits, 万円, ▲), and the
reader's message for a key is shown under that key's field, in words.
A field left untouched is omitted, so the engine treats it as unknown, not as "no".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk import vocab

if TYPE_CHECKING:
    from desk.ui.sales_calculator import SalesCalculator

UNSET = "（未入力）"
YES_NO = {"true": "はい", "false": "いいえ"}
LICENCE = {"not_needed": "許認可は不要", "held": "許認可を取得済み", "expected": "これから取得（創業予定）"}
BASES = {"sales": "売上高", "gross_profit": "売上総利益（粗利益）"}
FORMS = {"sole_proprietor": "個人事業", "corporation": "会社設立"}


class FieldSpec(NamedTuple):   # a NamedTuple, not a dataclass: a tenth of the cost at start-up
    key: str                 # intake key; "sales_change.last_3m_pct" for nested ones
    label: str
    kind: str                # text | choice | multi | yesno | flag
    choices: dict[str, str] | None = None
    placeholder: str = ""
    personal: bool = False   # a visitor's personal detail (kept only when typed)


PAGES: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    ("事業者", (
        FieldSpec("business_name", "事業者名", "text", placeholder="例: 追浜精工株式会社"),
        FieldSpec("entity", "形態", "choice", vocab.ENTITIES),
        FieldSpec("founding_form", "創業の形態（創業予定の方）", "choice", FORMS),
        FieldSpec("months_until_start", "事業開始まで（創業予定の方）", "text", placeholder="例: 1か月"),
        FieldSpec("industry", "業種", "choice", vocab.INDUSTRIES),
        FieldSpec("capital_yen", "資本金", "text", placeholder="例: 1,000万円"),
        FieldSpec("employees", "常時使用する従業員数", "text", placeholder="例: 18"),
        FieldSpec("municipality", "所在地（市区町村）", "choice", None),
        FieldSpec("postal_code", "郵便番号", "text", placeholder="例: 238-0008"),
        FieldSpec("months_in_business", "事業を始めてから", "text", placeholder="例: 20年、240か月"),
        FieldSpec("months_in_kanagawa", "神奈川県内で営んで", "text", placeholder="例: 20年"),
        FieldSpec("licence", "許認可", "choice", LICENCE),
    )),
    ("売上", (
        FieldSpec("sales_basis", "比べる数字", "choice", BASES),
        FieldSpec("sales_change.last_1m_pct", "最近1か月（前年同月比）", "text", placeholder="例: ▲15%"),
        FieldSpec("sales_change.last_3m_pct", "最近3か月（前年同期比）", "text", placeholder="例: ▲12.5%"),
        FieldSpec("sales_change.last_6m_pct", "最近6か月（前年同期比）", "text", placeholder="例: ▲8%"),
        FieldSpec("sales_change.next_3m_forecast_pct", "最近1か月と今後2か月の見込み", "text", placeholder="例: ▲12%"),
        FieldSpec("sales_change.last_fy_pct", "直近の決算期", "text", placeholder="例: ▲6%"),
        FieldSpec("causes", "減少の原因", "multi", vocab.CAUSES),
    )),
    ("資金ニーズ", (
        FieldSpec("purposes", "資金の使いみち", "multi", {k: v for k, v in vocab.PURPOSES.items() if k != "other"}),
        FieldSpec("amount_yen", "希望額", "text", placeholder="例: 2,000万円"),
        FieldSpec("term_months", "希望の期間", "text", placeholder="例: 5年、60か月"),
    )),
    ("認定・計画・借入状況", (
        FieldSpec("certifications", "取得済みの認定", "multi", vocab.CERTIFICATIONS),
        FieldSpec("plans", "取得済みの計画・認定・登録", "multi", None),
        FieldSpec("guaranteed_balance_yen", "保証付き融資の残高", "text", placeholder="例: 500万円（なければ 0）"),
        FieldSpec("has_eased_conditions", "返済条件の緩和（条件変更）", "yesno", YES_NO),
        FieldSpec("tax_arrears", "期限の到来した税金に未納がある", "flag"),
        FieldSpec("bank_suspension", "金融機関の取引停止処分を受けている", "flag"),
        FieldSpec("subrogation_debt", "信用保証協会の代位弁済に対する債務がある", "flag"),
    )),
    ("確認", (
        FieldSpec("visitor_name", "ご来訪者のお名前（任意・個人情報）", "text", personal=True),
        FieldSpec("visitor_phone", "ご来訪者の電話（任意・個人情報）", "text", personal=True),
    )),
)


def focus_next(widget: QWidget) -> None:
    """Give focus to the next widget Tab would reach (skipping labels and hidden ones)."""
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget:
        if (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus) and candidate.isVisible() and candidate.isEnabled():
            candidate.setFocus(Qt.FocusReason.TabFocusReason)
            return
        candidate = candidate.nextInFocusChain()


WRAP_AFTER = 24   # characters of a check box label before it wraps on a label of its own


class _ToggleLabel(QLabel):
    """A word-wrapping label for a check box: clicking it toggles the box, as the box's own text would."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setBuddy(box)
        self._box = box

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's virtual
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)


class _Field(QWidget):
    changed = Signal()

    def __init__(self, spec: FieldSpec, choices: dict[str, str] | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.touched = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._error: QLabel | None = None   # made with the first message
        self.editor: QWidget
        self.boxes: dict[str, QCheckBox] = {}
        if spec.kind == "text":
            self.editor = QLineEdit(self)
            self.editor.setPlaceholderText(spec.placeholder)
            self.editor.textChanged.connect(self._changed)
            # Enter moves on to the next field, as on a paper form.
            self.editor.returnPressed.connect(lambda: focus_next(self.editor))
        elif spec.kind in ("choice", "yesno"):
            self.editor = QComboBox(self)
            self._fill_combo(choices or {})
            if len(choices or {}) > 12:
                # Long lists (業種, 市区町村) are searched by typing any part of the name.
                self.editor.setEditable(True)
                self.editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer = QCompleter(self.editor.model(), self.editor)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
                self.editor.setCompleter(completer)
            self.editor.currentIndexChanged.connect(self._changed)
        elif spec.kind == "multi":
            self.editor = QWidget(self)
            grid = QGridLayout(self.editor)
            grid.setContentsMargins(0, 0, 0, 0)
            self._fill_boxes(choices or {})
        else:  # flag
            self.editor = QCheckBox(spec.label, self)
            self.editor.toggled.connect(self._changed)
        layout.addWidget(self.editor)

    def _fill_combo(self, choices: dict[str, str]) -> None:
        self.editor.addItem(UNSET, None)
        for key, label in choices.items():
            self.editor.addItem(label, key)

    def _fill_boxes(self, choices: dict[str, str]) -> None:
        grid = self.editor.layout()
        # Two columns only when every label is short; long ones (plans, causes) get a line each.
        columns = 2 if all(len(label) <= 10 for label in choices.values()) else 1
        for i, (key, label) in enumerate(choices.items()):
            if len(label) <= WRAP_AFTER:
                box = QCheckBox(label, self.editor)
                grid.addWidget(box, i // columns, i % columns)
            else:
                # A check box cannot wrap its text: a long one (事業再生計画（…）) gets a
                # wrapping label beside it that toggles it, so the step never scrolls sideways.
                box = QCheckBox(self.editor)
                box.setAccessibleName(label)
                text = _ToggleLabel(label, box, self.editor)
                row = QHBoxLayout()
                row.setSpacing(4)
                row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(text, 1)
                grid.addLayout(row, i // columns, i % columns)
            box.toggled.connect(self._changed)
            self.boxes[key] = box

    def set_choices(self, choices: dict[str, str]) -> None:
        """New choices (a pack was imported); what was chosen stays chosen where it still exists."""
        value, touched = self.value(), self.touched
        if self.spec.kind in ("choice", "yesno"):
            with QSignalBlocker(self.editor):
                self.editor.clear()
                self._fill_combo(choices)
        elif self.spec.kind == "multi":
            grid = self.editor.layout()
            while grid.count():
                item = grid.takeAt(0)
                for widget in ([item.widget()] if item.widget() else
                               [item.layout().itemAt(i).widget() for i in range(item.layout().count())]):
                    widget.deleteLater()
            self.boxes = {}
            self._fill_boxes(choices)
        with QSignalBlocker(self):
            self.set_value([v for v in value if v in choices] if isinstance(value, list) else value)
        self.touched = touched

    def _changed(self, *_args) -> None:
        self.touched = True
        self.changed.emit()

    def value(self) -> Any:
        """This field's part of the intake, or None when it should stay unknown."""
        kind = self.spec.kind
        if kind == "text":
            text = self.editor.text().strip()
            return text or None
        if kind == "choice":
            return self.editor.currentData()
        if kind == "yesno":
            data = self.editor.currentData()
            return None if data is None else data == "true"
        if kind == "multi":
            return [k for k, box in self.boxes.items() if box.isChecked()] if self.touched else None
        return self.editor.isChecked()

    def set_value(self, value: Any) -> None:
        kind = self.spec.kind
        if kind == "text":
            self.editor.setText("" if value is None else str(value))
        elif kind in ("choice", "yesno"):
            key = None if value is None else ("true" if value is True else "false" if value is False else value)
            index = self.editor.findData(key)
            self.editor.setCurrentIndex(max(index, 0))
        elif kind == "multi":
            for key, box in self.boxes.items():
                box.setChecked(key in (value or ()))
            self.touched = value is not None
        else:
            self.editor.setChecked(bool(value))

    @property
    def error(self) -> QLabel:
        """The line under the field that says, in words, what is wrong with it."""
        if self._error is None:
            self._error = QLabel(self)
            self._error.setObjectName("fieldError")
            self._error.setWordWrap(True)
            self._error.setStyleSheet("color: #b00020;")
            self._error.hide()
            self.layout().addWidget(self._error)
        return self._error

    def show_error(self, message: str | None) -> None:
        if message or self._error is not None:
            self.error.setText(message or "")
            self.error.setVisible(bool(message))


class IntakePage(QWidget):
    """One step of the form; hands back its part of the intake as plain data."""

    changed = Signal()

    def __init__(self, title: str, specs: tuple[FieldSpec, ...], choices: dict[str, dict[str, str]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.fields: dict[str, _Field] = {}
        form = QFormLayout(self)
        # A label that leaves its field too little room goes above it (long checkbox lists).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in specs:
            field = _Field(spec, spec.choices if spec.choices is not None else choices.get(spec.key), self)
            field.changed.connect(self.changed)
            self.fields[spec.key] = field
            form.addRow("" if spec.kind == "flag" else spec.label, field)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, field in self.fields.items():
            value = field.value()
            if value is None:
                continue
            if "." in key:
                outer, inner = key.split(".", 1)
                out.setdefault(outer, {})[inner] = value
            else:
                out[key] = value
        return out


class QuestionsPanel(QWidget):
    """The program-specific questions the current results wait on, asked on the 確認 page.
    Answers already given stay when the list of open questions changes.

    The list follows every result, but its rows are made only when the panel is shown
    (or :meth:`editor` asks for one): most results never reach the 確認 page."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._answers: dict[str, Any] = {}
        self._editors: dict[str, QWidget] = {}
        self._asked: list[str] = []
        self._wanted: list[tuple[str, str, str]] = []
        self._rows_made = True
        self._known: dict[str, tuple[str, str]] = {}   # every question id -> (text, type)
        self._layout = QFormLayout(self)
        self.empty = QLabel("追加の質問はありません。", self)
        self._layout.addRow(self.empty)

    def set_questions(self, questions: list[tuple[str, str, str]]) -> None:
        """(id, text, type) of the questions still open, plus those already answered."""
        wanted = [q for q in questions] + [(qid, *self._known[qid]) for qid in self._answers
                                           if qid not in {q[0] for q in questions} and qid in self._known]
        ids = [q[0] for q in wanted]
        if ids == self._asked:
            return
        self._asked = ids
        self._wanted = wanted
        self._rows_made = False
        if self.isVisible():
            self._make_rows()

    def editor(self, qid: str) -> QWidget:
        """The answer box of a question asked now."""
        self._make_rows()
        return self._editors[qid]

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's virtual
        self._make_rows()
        super().showEvent(event)

    def _make_rows(self) -> None:
        if self._rows_made:
            return
        self._rows_made = True
        wanted = self._wanted
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors = {}
        if not wanted:
            self.empty = QLabel("追加の質問はありません。", self)
            self._layout.addRow(self.empty)
        for qid, text, qtype in wanted:
            label = QLabel(text, self)
            label.setWordWrap(True)
            if qtype == "bool":
                editor = QComboBox(self)
                editor.addItem("（未回答）", None)
                editor.addItem("はい", True)
                editor.addItem("いいえ", False)
                if qid in self._answers:
                    editor.setCurrentIndex(editor.findData(self._answers[qid]))
                editor.currentIndexChanged.connect(lambda _i, q=qid, e=editor: self._set(q, e.currentData()))
            else:
                editor = QLineEdit(self)
                editor.setPlaceholderText({"yen": "例: 50万円", "pct": "例: 25%", "months": "例: 3か月"}.get(qtype, ""))
                editor.setText("" if self._answers.get(qid) is None else str(self._answers[qid]))
                editor.textChanged.connect(lambda text, q=qid, t=qtype: self._set(q, self._number(text, t)))
            self._editors[qid] = editor
            # The question's text spans the whole width above its answer: a long wrapped label
            # beside its field gets a wrong height from QFormLayout and is clipped.
            self._layout.addRow(label)
            self._layout.addRow(editor)

    def remember(self, known: dict[str, tuple[str, str]]) -> None:
        self._known = dict(known)

    @staticmethod
    def _number(text: str, qtype: str) -> Any:
        from desk.intake.reader import IntakeError, parse_number

        text = text.strip()
        if not text:
            return None
        unit = {"yen": "yen", "pct": "pct", "months": "months"}.get(qtype)
        if unit is None:
            return text
        try:
            return parse_number(text, "answers", unit=unit)
        except IntakeError:
            return text  # the core's reader names it when the answer is compared

    def _set(self, qid: str, value: Any) -> None:
        if value is None:
            self._answers.pop(qid, None)
        else:
            self._answers[qid] = value
        self.changed.emit()

    def answers(self) -> dict[str, Any]:
        return dict(self._answers)

    def load(self, answers: dict[str, Any]) -> None:
        self._answers = dict(answers or {})
        self._asked = []


class IntakeStepper(QWidget):
    """The steps on the left, one page at a time, 戻る / 次へ; ``intake_data()`` merges the pages.

    Only the first step is built with the window; the others are built on their first
    visit (or when a file fills them, or a message names one of their fields), and in
    idle time after the window is shown (:meth:`build_next_when_idle`). A step not yet
    built holds no input, so it adds nothing to the intake.
    """

    changed = Signal()

    def __init__(self, *, municipalities: list[str], plans: dict[str, str], today: dt.date | None = None,
                 criteria=None, parent: QWidget | None = None):
        super().__init__(parent)
        self._choices = {"municipality": {m: m for m in municipalities}, "plans": plans}
        self._built: list[IntakePage | None] = [None] * len(PAGES)
        self._page_of = {spec.key: i for i, (_title, specs) in enumerate(PAGES) for spec in specs}
        # The questions live on the last step but follow every result from the start: made
        # now, placed when their step is built. The calculator is made with its step.
        self._today = today or dt.date.today()
        self._criteria = criteria
        self._sales: SalesCalculator | None = None
        self.questions = QuestionsPanel()
        self.questions.changed.connect(self.changed)
        # The steps run across the top, so a step's page gets the pane's whole width (the sales
        # table and the long cause labels need it on a 1366×768 laptop).
        self.steps = QListWidget(self)
        self.steps.addItems([f"{i}. {title}" for i, (title, _specs) in enumerate(PAGES, 1)])
        self.steps.setFlow(QListView.Flow.LeftToRight)
        self.steps.setWrapping(True)
        self.steps.setResizeMode(QListView.ResizeMode.Adjust)
        self.steps.setSpacing(2)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setFixedHeight(2 * self.steps.sizeHintForRow(0) + 4 * self.steps.spacing() + 2 * self.steps.frameWidth())
        self.stack = QStackedWidget(self)
        for _page in PAGES:
            # A step scrolls inside the window (the 確認 step can hold many questions) rather than
            # growing the window past a laptop screen.
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            self.stack.addWidget(scroll)
        self.steps.currentRowChanged.connect(self._show_step)
        self.back_button = QPushButton("戻る", self)
        self.next_button = QPushButton("次へ", self)
        self.back_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() + 1))
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
    def pages(self) -> list[IntakePage]:
        """Every step, built."""
        return [self.page(i) for i in range(len(PAGES))]

    def page(self, index: int) -> IntakePage:
        page = self._built[index]
        if page is None:
            page = self._build(index)
        return page

    def set_choices(self, *, municipalities: list[str], plans: dict[str, str]) -> None:
        """The pickers' lists after a pack import; a step not built yet takes them when built."""
        self._choices = {"municipality": {m: m for m in municipalities}, "plans": plans}
        for page in filter(None, self._built):
            for key, field in page.fields.items():
                if key in self._choices and field.spec.choices is None:
                    field.set_choices(self._choices[key])

    def build_next_when_idle(self) -> None:
        """Build the next step not yet built, one per turn of the event loop, so typing
        on the first step is never held up by more than one step's widgets."""
        for index, page in enumerate(self._built):
            if page is None:
                self._build(index)
                QTimer.singleShot(0, self, self.build_next_when_idle)
                return

    def _build(self, index: int) -> IntakePage:
        title, specs = PAGES[index]
        page = IntakePage(title, specs, self._choices)
        if index == 1:
            page.layout().addRow(self.sales)
        if index == len(PAGES) - 1:
            heading = QLabel("追加の質問（結果が「条件付き」の資金が待っている質問）", page)
            heading.setWordWrap(True)
            heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
            page.layout().addRow(heading)
            page.layout().addRow(self.questions)
        page.changed.connect(self.changed)
        self.stack.widget(index).setWidget(page)
        self._built[index] = page
        return page

    def _show_step(self, index: int) -> None:
        if index >= 0:
            self.page(index)
            self.stack.setCurrentIndex(index)

    def go_to(self, index: int) -> None:
        index = max(0, min(index, len(PAGES) - 1))
        self.steps.setCurrentRow(index)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(PAGES) - 1)

    def field(self, key: str) -> _Field:
        if key not in self._page_of:
            raise KeyError(key)
        return self.page(self._page_of[key]).fields[key]

    def intake_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for page in filter(None, self._built):
            for key, value in page.values().items():
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
        self.questions.load(data.get("answers") or {})
        self._load_sales(data.get("monthly_sales") or {})
        given = {key for key in self._page_of if _value_at(data, key) is not None}
        for index, page in enumerate(self._built):
            if page is None and any(self._page_of[key] == index for key in given):
                page = self.page(index)   # a step the file fills is built now
            if page is None:
                continue
            for key, field in page.fields.items():
                if "." in key:
                    outer, inner = key.split(".", 1)
                    field.set_value((data.get(outer) or {}).get(inner))
                else:
                    field.set_value(data.get(key))

    def _load_sales(self, figures: dict[str, Any]) -> None:
        if self._sales is None and not figures:
            return
        from desk.intake.sales import shift_month

        self.sales.clear()
        for month, amount in figures.items():
            for column in range(4):   # the calculator's row for the month, in this year's or an earlier column
                row_month = shift_month(month, 12 * column)
                if row_month in self.sales.months:
                    self.sales.set_figure(self.sales.months.index(row_month), column, str(amount))
                    break

    def show_error(self, key: str | None, message: str | None) -> None:
        """Show the core's message under the field it names (a nested key under its parent field)."""
        for page in filter(None, self._built):
            for field in page.fields.values():
                field.show_error(None)
        if not key:
            return
        base = key.split("[")[0]
        for candidate in (base, base.split(".")[0]):
            try:
                self.field(candidate).show_error(message)
                return
            except KeyError:
                continue


def _value_at(data: dict[str, Any], key: str) -> Any:
    if "." in key:
        outer, inner = key.split(".", 1)
        return (data.get(outer) or {}).get(inner)
    return data.get(key)
