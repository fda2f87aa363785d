"""Message boxes that fit the screen, however long what they say.

Qt's message box grows with its text: a pack rejected for fifty problems made one taller than a
laptop's screen, its OK button below it. A long text shows its first lines, and the whole of it
scrolls behind 「詳細を表示」; a question asked after it stays in view below the text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SHOWN_LINES = 3     # lines of the text in view; the rest is in the details
SHOWN_CHARS = 160   # and as many characters at most: at 24 pt a line of 500 pixels holds 15


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                question: str = "") -> QMessageBox:
    """A message box saying ``text`` (its start, when long) and asking ``question`` under it."""
    box = QMessageBox(icon, title, text, buttons, parent)
    start = _whole_lines_from_the_start(text)
    if start != text.splitlines():
        box.setText("\n".join([*start, "…（全文は「詳細を表示」）"]))
        box.setDetailedText(text)
    if question:
        box.setInformativeText(question)
    return box


def confirm(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, question: str) -> bool:
    """はい / いいえ to ``question`` under ``text``; いいえ unless staff choose otherwise (Enter does not
    overwrite or remove anything)."""
    box = message_box(parent, icon, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                      question=question)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def _whole_lines_from_the_start(text: str) -> list[str]:
    """The lines that fit in view: up to SHOWN_LINES of them and SHOWN_CHARS in all (the first
    line at least, cut if it alone is longer)."""
    shown: list[str] = []
    length = 0
    for line in text.splitlines()[:SHOWN_LINES]:
        length += len(line)
        if shown and length > SHOWN_CHARS:
            break
        shown.append(line[:SHOWN_CHARS])
    return shown
