"""The form's 所在地: a place typed as staff say it, read at once, and the reading shown under it.

「横須賀」, 「よこすか」, 「ヨコスカ」, a slip (「横須加」), a ward (「港北区」) or another prefecture
(「東京都大田区」) are read by :mod:`desk.intake.place_text` into the names INTAKE.md takes, and the
line under the field says how: 「→ 神奈川県横須賀市」. A whole address is read by the municipality it
starts with (「→ 神奈川県横須賀市（番地など「本町1-2-3」は判定に使いません）」). A postal code typed
here is handed to the postal code's field (``postal_code_typed``; the page moves it there while
that field is empty or holds the same code), never read as a place. Text that places nothing goes to the core as
typed, so the core's message (with what it may have meant) stands under the field, the results
say they rest on an input in error, and no sheet is made from it: the screen never shows a
place the engine does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QWidget

from desk.ui import look
from desk.ui.intake_fields import Field, FieldSpec, LineEditor, focus_next
from desk.vocab import HOME_PREFECTURE

if TYPE_CHECKING:
    from desk.intake.place_text import PlaceText



class PlaceField(Field):
    """所在地: one line of text for the prefecture and the municipality (choices: the home
    prefecture's municipalities and their readings)."""

    editor: QLineEdit
    also_covers: ClassVar[tuple[str, ...]] = ("prefecture",)
    postal_code_typed = Signal(str)   # 7 digits typed here (alone or before the address)

    def __init__(self, spec: FieldSpec, choices: dict[str, str] | None = None, parent: QWidget | None = None):
        self._places: dict[str, str | None] = dict(choices or {})
        super().__init__(spec, choices, parent)
        self.reading = QLabel(self)
        look.tint(self.reading, look.MUTED)
        self.reading.setTextFormat(Qt.TextFormat.PlainText)
        self.reading.setWordWrap(True)
        self.reading.hide()
        look.keep_room(self.reading)
        self._rows.insertWidget(1, self.reading)
        self._read: PlaceText | None = None   # what the text says, once something is typed

    def _make_editor(self, choices: dict[str, str]) -> QLineEdit:
        editor = LineEditor(self)
        editor.setPlaceholderText("例: 横須賀市、よこすか、東京都大田区")
        # Names offered while typing any part of one (須賀 → 横須賀市); the reading does the rest.
        # Given as a list, Qt makes the model itself (the window's start is spared its Python type).
        completer = QCompleter(list(choices), editor)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        editor.setCompleter(completer)
        editor.textChanged.connect(self._typed)
        editor.returnPressed.connect(lambda: focus_next(editor))
        return editor

    def _typed(self, text: str) -> None:
        self._reread(text)
        if self._read is not None and self._read.postal_code is not None:
            self.postal_code_typed.emit(self._read.postal_code)   # may clear this field (moved)
        self._changed()

    def postal_code_moved(self, shown: str) -> None:
        """The postal code typed here now stands in its own field: a code alone leaves this field
        (the code places the business); before an address, the address stays. Said under the field."""
        read = self._read
        if read is not None and read.municipality is None and read.prefecture is None:
            self.editor.clear()
            # Emptied: not the list of every name over the note (the key being typed opens it after this).
            popup = self.editor.completer().popup()
            if popup is not None:
                QTimer.singleShot(0, popup, popup.hide)
            self.reading.setText(f"→ 郵便番号 {shown} は「郵便番号」の欄に移しました")
            self.reading.show()
        elif read is not None:
            self.reading.setText(f"{self.reading.text()}（郵便番号 {shown} は「郵便番号」の欄に移しました）")

    def _reread(self, text: str) -> None:
        # Loaded with the first keystroke or file: off the window's start path.
        from desk.intake.place_text import read_place_text

        self._read = read = read_place_text(text, self._places)
        if read.municipality is None and read.prefecture is None:
            self.reading.hide()      # nothing typed, or a problem: the core's message says it
        else:
            self.reading.setText(f"→ {read.label}" + (f"（{read.note}）" if read.note else ""))
            self.reading.show()

    # --- the field's face -------------------------------------------------------------------------
    def value(self) -> str | None:
        """The municipality as read (as typed when it places nothing: the core names the problem)."""
        municipality: str | None = self.parts().get("municipality")
        return municipality

    def parts(self) -> dict[str, Any]:
        typed = self.editor.text().strip()
        read = self._read
        if not typed or read is None:
            return {}
        if read.problem is not None:
            return {"municipality": typed}
        out: dict[str, Any] = {}
        if read.prefecture is not None:
            out["prefecture"] = read.prefecture
        if read.municipality is not None:
            out["municipality"] = read.municipality
        return out

    def set_value(self, value: Any) -> None:
        self.editor.setText("" if value is None else str(value))

    def load_from(self, data: dict[str, Any]) -> None:
        # Another prefecture is written before its municipality (東京都大田区); the home one is not.
        prefecture, municipality = data.get("prefecture"), data.get("municipality")
        outside = prefecture if isinstance(prefecture, str) and prefecture != HOME_PREFECTURE else ""
        self.set_value(f"{outside}{municipality or ''}" or None)

    def set_choices(self, choices: dict[str, str]) -> None:
        """New municipalities (a pack was imported): the text is read again against them."""
        self._places = dict(choices)
        names = self.editor.completer().model()
        names.setStringList(list(choices))  # type: ignore[attr-defined]  # the QStringListModel made above
        self._reread(self.editor.text())
