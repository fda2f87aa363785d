"""The 確認 step's questions: ranked on entry, stable while on screen, five unanswered at a time."""

from __future__ import annotations

from desk.ui.intake_questions import QuestionRow, QuestionsPanel

QUESTIONS = [(f"q{i}", f"質問{i}", "bool") for i in range(7)]


def _panel(qtbot) -> QuestionsPanel:
    panel = QuestionsPanel()
    qtbot.addWidget(panel)
    panel.remember({qid: (text, kind) for qid, text, kind in [*QUESTIONS, ("late", "追加の質問", "bool")]})
    panel.set_questions(QUESTIONS)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_five_unanswered_show_and_the_rest_wait_behind_a_button(qtbot):
    panel = _panel(qtbot)
    assert panel.visible_questions() == ["q0", "q1", "q2", "q3", "q4"]
    assert panel.more.isVisible() and panel.more.text() == "ほかの質問（2件）"
    panel.editor("q1").setCurrentIndex(1)                       # answered: the next one shows below
    assert panel.visible_questions() == ["q0", "q1", "q2", "q3", "q4", "q5"]
    panel.show_all()
    assert len(panel.visible_questions()) == 7 and not panel.more.isVisible()


def test_on_screen_nothing_moves_follow_ups_go_last_and_unneeded_ones_grey_out(qtbot):
    panel = _panel(qtbot)
    rows_before = [panel.editor(q) for q in ("q0", "q1", "q2")]
    panel.set_questions([q for q in QUESTIONS if q[0] != "q1"] + [("late", "追加の質問", "bool")])
    assert [panel.editor(q) for q in ("q0", "q1", "q2")] == rows_before       # the same boxes, not remade
    assert panel.visible_questions()[:3] == ["q0", "q1", "q2"]
    assert not panel._rows["q1"].label.isEnabled()                           # no longer needed: greyed
    assert list(panel._rows)[-1] == "late"


def test_entering_the_step_again_ranks_afresh(qtbot):
    panel = _panel(qtbot)
    panel.set_questions(list(reversed(QUESTIONS)))
    assert panel.visible_questions()[0] == "q0"          # on screen: unchanged
    panel.hide()
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.visible_questions()[0] == "q6"          # entered again: the new ranking


def _shown_on_screen(panel: QuestionsPanel) -> list[str]:
    """The questions a clerk sees, read from the widgets (visible_questions() would build the rows)."""
    return [row.label.text() for row in panel.findChildren(QuestionRow) if row.isVisible()]


def test_another_intake_loaded_while_the_step_is_on_screen_shows_its_own_questions(qtbot):
    """Opening a file on the 確認 step: the last visitor's questions go, the new ones come at once."""
    panel = _panel(qtbot)
    assert _shown_on_screen(panel)[:1] == ["質問0"]
    panel.load({})
    assert _shown_on_screen(panel) == [] and panel.empty.isVisible()
    panel.set_questions([("late", "追加の質問", "bool")])
    assert _shown_on_screen(panel) == ["追加の質問"] and not panel.empty.isVisible()


def test_an_answer_outliving_the_box_that_asked_it_stays_on_screen_as_the_engine_uses_it(qtbot, make_window):
    """Fresh eyes: a question asked because of a box ticked on step 3, answered on step 5, the box
    then unticked. The answer must either leave the intake or stay on screen: it stays, shown as
    given, and the results say it was followed although its circumstance is not ticked."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = make_window()
    qtbot.waitUntil(lambda: window._engine_is_loaded, timeout=10000)
    stepper, qid = window.stepper, "kanagawa_shokei_keikaku"   # a detail of 事業承継
    stepper.go_to(2)
    box = stepper.field("situations").boxes["succession"]
    qtbot.waitExposed(box)
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        QTest.mouseClick(box, Qt.MouseButton.LeftButton)
    stepper.go_to(4)
    panel = stepper.questions
    qtbot.waitUntil(lambda: qid in panel._rows, timeout=5000)
    if panel.more.isVisible():                                         # behind 「ほかの質問」
        QTest.mouseClick(panel.more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel._rows[qid].isVisible, timeout=5000)
    editor = panel._rows[qid].editor
    editor.setFocus()
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        QTest.keyClick(editor, Qt.Key.Key_Down)                       # （未回答） → はい
    assert editor.currentText() == "はい"
    stepper.go_to(2)
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        QTest.mouseClick(box, Qt.MouseButton.LeftButton)              # 事業承継 unticked
    stepper.go_to(4)
    qtbot.waitUntil(lambda: qid in panel._rows and panel._rows[qid].isVisible(), timeout=5000)
    shown = panel._rows[qid]
    assert shown.editor.currentText() == "はい" and shown.label.isEnabled()
    assert stepper.intake_data()["answers"] == {qid: True}            # what reaches the engine is what is shown
    assert any(shown.label.text() in warning and "回答に従って判定しました" in warning
               for warning in window.results.report.warnings)
