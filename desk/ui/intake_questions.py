"""The program-specific questions the current results wait on, asked on the intake form's 確認 step.

The questions come ranked by what answering them could unlock (the window hands them over in
that order: the cheapest fund waiting first). The panel is built for someone typing answers:

- when the step is entered, the rows are made in that order, and at most five unanswered
  questions are shown (the rest behind 「ほかの質問」);
- while the step stays on screen nothing moves: answering keeps every row where it is, a
  follow-up question is added at the end, and a question no longer needed stays in place,
  greyed out, until the step is entered again;
- answers already given stay when the list of open questions changes.

Rows are made only when the panel is shown (or :meth:`QuestionsPanel.editor` asks for one):
most results never reach the 確認 step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desk.ui.value_guard import guard_value

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

Question = tuple[str, str, str]   # (id, text, type); type is bool, yen, pct, months or text

PLACEHOLDERS = {"yen": "例: 50万円", "pct": "例: 25%", "months": "例: 3か月"}
UNITS = {"yen": "yen", "pct": "pct", "months": "months"}   # the reader's unit of a numeric answer
SHOWN_UNANSWERED = 5   # unanswered questions on screen at once; the rest behind 「ほかの質問」


class QuestionRow(QWidget):
    """One question: its text across the whole width, its answer box below."""

    def __init__(self, text: str, editor: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(text, self)
        # The text spans the whole width above its answer: a long wrapped label beside its
        # field gets a wrong height from a form layout and is clipped.
        self.label.setWordWrap(True)
        self.editor = editor
        editor.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.label)
        layout.addWidget(editor)

    def set_needed(self, needed: bool) -> None:
        """A question no longer needed stays in place, greyed, until the step is entered again."""
        self.label.setEnabled(needed)
        self.label.setToolTip("" if needed else "今の結果では、この回答は不要になりました")


class QuestionsPanel(QWidget):
    """The open questions, an answer box each; ``answers()`` hands back what was answered."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._answers: dict[str, Any] = {}
        self._rows: dict[str, QuestionRow] = {}   # the rows on the panel, top to bottom
        self._wanted: list[Question] = []         # what the last result asks, ranked, plus what was answered
        self._rows_made = True
        self._expanded = False
        self._known: dict[str, tuple[str, str]] = {}   # every question id -> (text, type)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("追加の質問はありません。", self)
        self._layout.addWidget(self.empty)
        self.more = QPushButton(self)
        self.more.clicked.connect(self.show_all)
        self.more.hide()
        self._layout.addWidget(self.more)
        self._layout.addStretch(1)

    # --- what the results ask -------------------------------------------------------------------
    def set_questions(self, questions: list[Question]) -> None:
        """(id, text, type) of the questions still open, best first, plus those already answered."""
        open_ids = {q[0] for q in questions}
        wanted = [*questions, *((qid, *self._known[qid]) for qid in self._answers
                                if qid not in open_ids and qid in self._known)]
        if wanted == self._wanted:
            return
        self._wanted = wanted
        if not self.isVisible():
            self._rows_made = False   # ranked afresh when the step is entered
        elif self._rows_made:
            self._follow()            # on screen: nothing moves
        else:
            self._make_rows()         # on screen after a new intake was loaded: ranked afresh

    def editor(self, qid: str) -> QWidget:
        """The answer box of a question asked now."""
        self._make_rows()
        return self._rows[qid].editor

    def visible_questions(self) -> list[str]:
        """The ids of the questions on screen, top to bottom."""
        self._make_rows()
        return [qid for qid, row in self._rows.items() if not row.isHidden()]

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's virtual
        # The step is entered: rank afresh (what was answered may have changed what matters).
        self._rows_made = False
        self._expanded = False
        self._make_rows()
        super().showEvent(event)

    def show_all(self) -> None:
        """「ほかの質問」: every question, unanswered ones beyond the first five too."""
        self._expanded = True
        self._apply_limit()

    # --- rows -----------------------------------------------------------------------------------
    def _make_rows(self) -> None:
        """All rows anew, in the ranked order."""
        if self._rows_made:
            return
        self._rows_made = True
        for row in self._rows.values():
            row.hide()          # gone from the screen now; deleted once the event loop is back
            row.deleteLater()
        self._rows = {}
        for qid, text, qtype in self._wanted:
            self._add_row(qid, text, qtype)
        self._apply_limit()

    def _follow(self) -> None:
        """A new result while the step is on screen: add follow-ups at the end, grey what is no
        longer needed, move nothing."""
        wanted = {q[0] for q in self._wanted}
        for qid, text, qtype in self._wanted:
            if qid not in self._rows:
                self._add_row(qid, text, qtype)
        for qid, row in self._rows.items():
            row.set_needed(qid in wanted)
        self._apply_limit()

    def _add_row(self, qid: str, text: str, qtype: str) -> None:
        editor = self._bool_editor(qid) if qtype == "bool" else self._text_editor(qid, qtype)
        row = QuestionRow(text, editor, self)
        self._rows[qid] = row
        self._layout.insertWidget(len(self._rows) - 1, row)

    def _apply_limit(self) -> None:
        """At most five unanswered questions on screen (answered ones always stay), the rest behind
        「ほかの質問」. Rows only appear or disappear below the first five: none above moves."""
        unanswered = hidden = 0
        for qid, row in self._rows.items():
            if qid in self._answers:
                row.show()
                continue
            unanswered += 1
            show = self._expanded or unanswered <= SHOWN_UNANSWERED
            row.setVisible(show)
            hidden += not show
        self.empty.setVisible(not self._rows)
        self.more.setText(f"ほかの質問（{hidden}件）")
        self.more.setVisible(hidden > 0)

    def _bool_editor(self, qid: str) -> QComboBox:
        editor = QComboBox(self)
        editor.addItem("（未回答）", None)
        editor.addItem("はい", True)
        editor.addItem("いいえ", False)
        if qid in self._answers:
            editor.setCurrentIndex(editor.findData(self._answers[qid]))
        editor.currentIndexChanged.connect(lambda _index: self._set(qid, editor.currentData()))
        guard_value(editor)   # the wheel answered questions while staff scrolled past them
        return editor

    def _text_editor(self, qid: str, qtype: str) -> QLineEdit:
        editor = QLineEdit(self)
        editor.setPlaceholderText(PLACEHOLDERS.get(qtype, ""))
        editor.setText("" if self._answers.get(qid) is None else str(self._answers[qid]))
        editor.textChanged.connect(lambda text: self._set(qid, self._number(text, qtype)))
        return editor

    # --- answers --------------------------------------------------------------------------------
    def remember(self, known: dict[str, tuple[str, str]]) -> None:
        """The text and type of every question the catalogue can ask."""
        self._known = dict(known)

    @staticmethod
    def _number(text: str, qtype: str) -> Any:
        from desk.intake.numbers import IntakeError, parse_number

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
        if self._rows_made:
            self._apply_limit()
        self.changed.emit()

    def answers(self) -> dict[str, Any]:
        return dict(self._answers)

    def load(self, answers: dict[str, Any]) -> None:
        self._answers = dict(answers or {})
        self._wanted = []
        self._rows_made = False
        if self.isVisible():
            self._make_rows()   # another visitor's intake: the last one's questions go at once
