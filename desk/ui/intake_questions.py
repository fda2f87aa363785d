"""The program-specific questions the current results wait on, asked on the intake form's 確認 step.

Answers already given stay when the list of open questions changes. The list follows every
result, but its rows are made only when the panel is shown (or :meth:`QuestionsPanel.editor`
asks for one): most results never reach the 確認 step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

Question = tuple[str, str, str]   # (id, text, type); type is bool, yen, pct, months or text

PLACEHOLDERS = {"yen": "例: 50万円", "pct": "例: 25%", "months": "例: 3か月"}
UNITS = {"yen": "yen", "pct": "pct", "months": "months"}   # the reader's unit of a numeric answer


class QuestionsPanel(QWidget):
    """The open questions, an answer box each; ``answers()`` hands back what was answered."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._answers: dict[str, Any] = {}
        self._editors: dict[str, QWidget] = {}
        self._asked: list[str] = []
        self._wanted: list[Question] = []
        self._rows_made = True
        self._known: dict[str, tuple[str, str]] = {}   # every question id -> (text, type)
        self._layout = QFormLayout(self)
        self.empty = QLabel("追加の質問はありません。", self)
        self._layout.addRow(self.empty)

    def set_questions(self, questions: list[Question]) -> None:
        """(id, text, type) of the questions still open, plus those already answered."""
        open_ids = {q[0] for q in questions}
        wanted = [*questions, *((qid, *self._known[qid]) for qid in self._answers
                                if qid not in open_ids and qid in self._known)]
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's virtual
        self._make_rows()
        super().showEvent(event)

    def _make_rows(self) -> None:
        if self._rows_made:
            return
        self._rows_made = True
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors = {}
        if not self._wanted:
            self.empty = QLabel("追加の質問はありません。", self)
            self._layout.addRow(self.empty)
        for qid, text, qtype in self._wanted:
            label = QLabel(text, self)
            label.setWordWrap(True)
            editor = self._bool_editor(qid) if qtype == "bool" else self._text_editor(qid, qtype)
            self._editors[qid] = editor
            # The question's text spans the whole width above its answer: a long wrapped label
            # beside its field gets a wrong height from QFormLayout and is clipped.
            self._layout.addRow(label)
            self._layout.addRow(editor)

    def _bool_editor(self, qid: str) -> QComboBox:
        editor = QComboBox(self)
        editor.addItem("（未回答）", None)
        editor.addItem("はい", True)
        editor.addItem("いいえ", False)
        if qid in self._answers:
            editor.setCurrentIndex(editor.findData(self._answers[qid]))
        editor.currentIndexChanged.connect(lambda _index: self._set(qid, editor.currentData()))
        return editor

    def _text_editor(self, qid: str, qtype: str) -> QLineEdit:
        editor = QLineEdit(self)
        editor.setPlaceholderText(PLACEHOLDERS.get(qtype, ""))
        editor.setText("" if self._answers.get(qid) is None else str(self._answers[qid]))
        editor.textChanged.connect(lambda text: self._set(qid, self._number(text, qtype)))
        return editor

    def remember(self, known: dict[str, tuple[str, str]]) -> None:
        """The text and type of every question the catalogue can ask."""
        self._known = dict(known)

    @staticmethod
    def _number(text: str, qtype: str) -> Any:
        from desk.intake.reader import IntakeError, parse_number

        text = text.strip()
        if not text:
            return None
        unit = UNITS.get(qtype)
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
