"""The intake form's fields: one class per kind of input, each handing back its part as plain data.

A :class:`FieldSpec` names the class that takes its input (:class:`TextField`,
:class:`ChoiceField`, :class:`YesNoField`, :class:`MultiChoiceField`, :class:`FlagField`).
Every field has the same face: ``changed``, ``touched``, ``editor``, ``value()`` (an INTAKE.md
value, or None when the field should stay unknown), ``set_value()``, ``set_choices()`` and
``show_error()`` with the message line under it, made with the first message.
Nothing is parsed here: what staff type goes to the core's reader as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayoutItem,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desk.ui import look
from desk.ui.value_guard import guard_value

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent

UNSET = "（未入力）"
MIN_CHOICE_CHARS = 12   # a choice box is at least this many characters wide
MIN_TEXT_CHARS = 10     # a line of text likewise (a name, 2,000万円, a place)
WRAP_AFTER = 12   # characters of a check box label before it wraps on a label of its own (a 24-character
                 # cause took 770 px at 24 pt and pushed the whole step wider than the pane)
SHORT_LABEL = 10  # check box labels this short or shorter go two to a row

FieldValue = str | bool | list[str] | None


class FieldSpec(NamedTuple):   # a NamedTuple, not a dataclass: a tenth of the cost at start-up
    key: str                 # intake key; "sales_change.last_3m_pct" for nested ones
    label: str
    kind: type[Field]        # the field class that takes this kind of input
    choices: dict[str, str] | None = None   # None: the catalogue's list, given when the page is made
    placeholder: str = ""
    personal: bool = False   # a visitor's personal detail (kept only when typed)


def value_at(data: dict[str, Any], key: str) -> Any:
    """The value of a field's key in intake data; a nested key ("sales_change.last_3m_pct") one level down."""
    if "." in key:
        outer, inner = key.split(".", 1)
        return (data.get(outer) or {}).get(inner)
    return data.get(key)


def focus_next(widget: QWidget) -> None:
    """Give focus to the next widget Tab would reach (skipping labels and hidden ones)."""
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget:
        if (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus) and candidate.isVisible() and candidate.isEnabled():
            candidate.setFocus(Qt.FocusReason.TabFocusReason)
            # A move by the keyboard, as Tab's: Qt marks it so only inside a Tab key's event (else
            # it clears the mark), and a combo box draws its focus only when marked. After a click,
            # Enter moved to 形態 with no focus shown; the arrow keys then changed a value unseen.
            candidate.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
            candidate.update()
            return
        candidate = candidate.nextInFocusChain()


class ToggleLabel(QLabel):
    """A word-wrapping label for a check box: clicking it toggles the box, as the box's own text would."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        # Its first line at its top, where the box beside it is (the label may be given more height).
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setBuddy(box)
        self._box = box
        self._box_on_first_line()

    def _box_on_first_line(self) -> None:
        """The box (at the top of its row) as tall as a line of this text: the style draws it centred
        there, on the first line. At its own height it sat above that line, the more so the larger
        the text (at 24 pt half a line up)."""
        self._box.setMinimumHeight(self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's virtual
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._box_on_first_line()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's virtual
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)


class Field(QWidget):
    """One input of the form: its editor above the line that says what is wrong with it."""

    changed = Signal()
    editor: QWidget
    # Intake keys the field also gives beside its own (the place field gives the prefecture too):
    # the core's message for one of them is shown under this field.
    also_covers: ClassVar[tuple[str, ...]] = ()

    def __init__(self, spec: FieldSpec, choices: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.touched = False
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._error: QLabel | None = None   # made with the first message
        self.editor = self._make_editor(choices or {})
        self._rows.addWidget(self.editor)

    def _make_editor(self, choices: dict[str, str]) -> QWidget:
        """The widget staff use, wired to :meth:`_changed` (made once, by the constructor)."""
        raise NotImplementedError

    def row_label(self) -> str:
        """The label the form writes beside the field."""
        return self.spec.label

    def value(self) -> FieldValue:
        """This field's part of the intake, or None when it should stay unknown."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a value of intake data (None: unknown)."""
        raise NotImplementedError

    def parts(self) -> dict[str, Any]:
        """This field's keys of the intake with their values (none when unknown)."""
        value = self.value()
        return {} if value is None else {self.spec.key: value}

    def load_from(self, data: dict[str, Any]) -> None:
        """Show this field's part of intake data."""
        self.set_value(value_at(data, self.spec.key))

    def set_choices(self, choices: dict[str, str]) -> None:
        """New choices (a pack was imported); a field without choices has none to change."""

    def _changed(self, *_args: object) -> None:
        self.touched = True
        self.changed.emit()

    @property
    def error(self) -> QLabel:
        """The line under the field that says, in words, what is wrong with it."""
        if self._error is None:
            self._error = QLabel(self)
            self._error.setObjectName("fieldError")
            self._error.setWordWrap(True)
            look.tint(self._error, look.ERROR)
            self._error.hide()
            self._rows.addWidget(self._error)
        return self._error

    def show_error(self, message: str | None) -> None:
        if message or self._error is not None:
            self.error.setText(message or "")
            self.error.setVisible(bool(message))


class LineEditor(QLineEdit):
    """A line of text never narrower than MIN_TEXT_CHARS characters at the present text size.

    A bare line edit shrinks to a few characters, so the form kept it beside its label at
    24 pt with 「式会社」 and 「00万円」 showing; at this minimum the form puts the label above
    it instead (QFormLayout.WrapLongRows), as it does for the choice boxes.
    """

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's virtual
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.fontMetrics().horizontalAdvance("０") * MIN_TEXT_CHARS), hint.height())


class TextField(Field):
    """A line of text, kept as typed (万円, ▲, full-width digits are the reader's job); empty is unknown."""

    editor: QLineEdit

    def _make_editor(self, choices: dict[str, str]) -> QLineEdit:
        editor = LineEditor(self)
        editor.setPlaceholderText(self.spec.placeholder)
        editor.textChanged.connect(self._changed)
        # Enter moves on to the next field, as on a paper form.
        editor.returnPressed.connect(lambda: focus_next(editor))
        return editor

    def value(self) -> str | None:
        return self.editor.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.editor.setText("" if value is None else str(value))


class ChoiceField(Field):
    """One key out of a list, shown by its label; （未入力） is unknown."""

    editor: QComboBox

    def _make_editor(self, choices: dict[str, str]) -> QComboBox:
        # Never editable: typed text that matches no item (「（未入力）横須賀」, a typo) stayed on
        # screen while the value was unset. A place is typed in its own field (desk.ui.place_field);
        # a list of choices is picked from, by the mouse or the arrow keys and initial letters.
        editor = QComboBox(self)
        # Sized for a short name, not for its longest item: the form widens its fields anyway,
        # and measuring every item of 業種 took a millisecond of the start.
        editor.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        editor.setMinimumContentsLength(MIN_CHOICE_CHARS)
        self._fill(editor, choices)
        editor.currentIndexChanged.connect(self._changed)
        guard_value(editor)   # scrolling the step past it never picks an item
        return editor

    @staticmethod
    def _fill(editor: QComboBox, choices: dict[str, str]) -> None:
        editor.addItem(UNSET, None)
        for key, label in choices.items():
            editor.addItem(label, key)

    def _key(self, value: Any) -> Any:
        """The item data that stands for ``value``."""
        return value

    def value(self) -> FieldValue:
        key: str | None = self.editor.currentData()
        return key

    def set_value(self, value: Any) -> None:
        index = self.editor.findData(None if value is None else self._key(value))
        self.editor.setCurrentIndex(max(index, 0))

    def set_choices(self, choices: dict[str, str]) -> None:
        """New choices; what was chosen stays chosen where it still exists."""
        value, touched = self.value(), self.touched
        with QSignalBlocker(self.editor):
            self.editor.clear()
            self._fill(self.editor, choices)
        with QSignalBlocker(self):
            self.set_value(value)
        self.touched = touched


class YesNoField(ChoiceField):
    """はい / いいえ as true / false; （未入力） is unknown."""

    CHOICES: ClassVar[dict[str, str]] = {"true": "はい", "false": "いいえ"}

    def _make_editor(self, choices: dict[str, str]) -> QComboBox:
        return super()._make_editor(self.CHOICES)

    def _key(self, value: Any) -> Any:
        return "true" if value is True else "false" if value is False else value

    def value(self) -> bool | None:
        key: str | None = self.editor.currentData()
        return None if key is None else key == "true"

    def set_choices(self, choices: dict[str, str]) -> None:
        """Always はい / いいえ."""


class MultiChoiceField(Field):
    """Any number of keys out of a list, a check box each; unknown until one is touched."""

    editor: QWidget

    def _make_editor(self, choices: dict[str, str]) -> QWidget:
        editor = QWidget(self)
        self._grid = QGridLayout(editor)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self._fill(editor, choices)
        return editor

    def _fill(self, editor: QWidget, choices: dict[str, str]) -> None:
        # Two columns only when every label is short; long ones (plans, causes) get a line each.
        columns = 2 if all(len(label) <= SHORT_LABEL for label in choices.values()) else 1
        for i, (key, label) in enumerate(choices.items()):
            if len(label) <= WRAP_AFTER:
                box = QCheckBox(label, editor)
                self._grid.addWidget(box, i // columns, i % columns)
            else:
                # A check box cannot wrap its text: a long one (事業再生計画（…）) gets a
                # wrapping label beside it that toggles it, so the step never scrolls sideways.
                box = QCheckBox(editor)
                box.setAccessibleName(label)
                text = ToggleLabel(label, box, editor)
                row = QHBoxLayout()
                row.setSpacing(4)
                row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(text, 1)
                self._grid.addLayout(row, i // columns, i % columns)
            box.toggled.connect(self._changed)
            self.boxes[key] = box

    def value(self) -> list[str] | None:
        return [key for key, box in self.boxes.items() if box.isChecked()] if self.touched else None

    def set_value(self, value: Any) -> None:
        for key, box in self.boxes.items():
            box.setChecked(key in (value or ()))
        self.touched = value is not None

    def set_choices(self, choices: dict[str, str]) -> None:
        """New choices; what was chosen stays chosen where it still exists."""
        value, touched = self.value(), self.touched
        while (item := self._grid.takeAt(0)) is not None:
            for widget in _widgets_in(item):
                widget.deleteLater()
        self.boxes = {}
        self._fill(self.editor, choices)
        with QSignalBlocker(self):
            self.set_value(None if value is None else [key for key in value if key in choices])
        self.touched = touched


class ChecklistField(MultiChoiceField):
    """A list of what the business holds (認定, 計画), where 「なし」 is an answer of its own: with
    no box ticked the list is unknown (not asked yet), with 「なし」 it is empty (asked: none).
    On a plain list the two looked the same."""

    NONE_LABEL = "なし（確認済み）"

    def _fill(self, editor: QWidget, choices: dict[str, str]) -> None:
        super()._fill(editor, choices)
        self.none_box = QCheckBox(self.NONE_LABEL, editor)
        self._grid.addWidget(self.none_box, self._grid.rowCount(), 0, 1, -1)
        self.none_box.toggled.connect(self._none_toggled)
        for box in self.boxes.values():
            box.toggled.connect(self._item_toggled)

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            for box in self.boxes.values():
                box.setChecked(False)
        self._changed()

    def _item_toggled(self, checked: bool) -> None:
        if checked:
            self.none_box.setChecked(False)

    def value(self) -> list[str] | None:
        held = [key for key, box in self.boxes.items() if box.isChecked()]
        return held or ([] if self.none_box.isChecked() else None)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.none_box):
            self.none_box.setChecked(value is not None and not value)
        super().set_value(value)


def _widgets_in(item: QLayoutItem) -> list[QWidget]:
    """The widgets of a grid cell: a check box, or a check box and its label."""
    row = item.layout()
    items = [item] if row is None else [row.itemAt(i) for i in range(row.count())]
    return [widget for each in items if each is not None and (widget := each.widget()) is not None]


class FlagField(Field):
    """A statement that holds or not (税金の未納, …): a check box carrying the label; unticked is false."""

    editor: QCheckBox

    def __init__(self, spec: FieldSpec, choices: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(spec, choices, parent)
        # The statement wraps beside its box: as the box's own text, 「信用保証協会の代位弁済に対する
        # 債務がある」 made the step 664 px wide at 24 pt.
        self._rows.removeWidget(self.editor)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.editor, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(ToggleLabel(spec.label, self.editor, self), 1)
        self._rows.insertLayout(0, row)

    def _make_editor(self, choices: dict[str, str]) -> QCheckBox:
        editor = QCheckBox(self)
        editor.setAccessibleName(self.spec.label)
        editor.toggled.connect(self._changed)
        return editor

    def row_label(self) -> str:
        return ""   # the statement beside the box says it

    def value(self) -> bool:
        return self.editor.isChecked()

    def set_value(self, value: Any) -> None:
        self.editor.setChecked(bool(value))
