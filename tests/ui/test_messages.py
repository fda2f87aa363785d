"""Message boxes that fit the screen (desk.ui.messages): a long text shows its start, the whole behind 詳細."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QTextEdit

from desk.ui.geometry import DECORATION
from desk.ui.messages import SHOWN_CHARS, SHOWN_LINES, message_box

PROBLEMS = "\n".join(f"kanagawa-fy2026.yaml:{120 + i}: limit_yen: 金額として読めません" for i in range(50))


def test_a_short_message_is_shown_whole(qtbot):
    text = "out.pdf に保存できませんでした（権限がありません）。"
    box = message_box(None, QMessageBox.Icon.Warning, "保存できません", text)
    qtbot.addWidget(box)
    assert box.text() == text and box.detailedText() == ""


def test_fifty_problems_show_their_first_lines_and_keep_the_rest_in_the_details(qtbot):
    box = message_box(None, QMessageBox.Icon.Question, "編集の上書き", PROBLEMS,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                      question="上書きして取り込みますか？")
    qtbot.addWidget(box)
    shown = box.text().splitlines()
    assert shown[:-1] == PROBLEMS.splitlines()[:SHOWN_LINES] and "詳細を表示" in shown[-1]
    assert box.detailedText() == PROBLEMS
    assert box.informativeText() == "上書きして取り込みますか？"      # the question, not cut with the text
    box.show()
    qtbot.waitExposed(box)
    assert box.frameGeometry().height() + DECORATION.top() < 768          # a laptop's screen, a title bar above
    details = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole)
    details.click()                                                       # 「詳細を表示…」: the whole text scrolls
    qtbot.waitUntil(lambda: box.findChild(QTextEdit).isVisible())
    assert box.frameGeometry().height() + DECORATION.top() < 768


def test_one_long_line_is_cut_too(qtbot):
    box = message_box(None, QMessageBox.Icon.Warning, "読めません", "あ" * 5000)
    qtbot.addWidget(box)
    assert len(box.text()) <= SHOWN_CHARS + len("\n…（全文は「詳細を表示」）") and box.detailedText() == "あ" * 5000
