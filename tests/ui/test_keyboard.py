"""The counter by keyboard: moving between steps, Tab through a step to 次へ, F6 between panes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox

from tests.ui.keys import type_text


def _active(qtbot, window):
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def test_alt_arrows_and_ctrl_page_keys_move_between_steps_and_the_buttons_follow(qtbot, make_window):
    window = _active(qtbot, make_window())
    stepper = window.stepper
    stepper.focus_current_step()
    editor = QApplication.focusWidget()
    QTest.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert stepper.stack.currentIndex() == 1
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert stepper.stack.currentIndex() == 2
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert stepper.stack.currentIndex() == 0 and not stepper.back_button.isEnabled()
    # Moving by the step list enables 戻る and 次へ as 次へ itself does.
    stepper.steps.setFocus()
    QTest.keyClick(stepper.steps, Qt.Key.Key_End)
    assert stepper.stack.currentIndex() == 4
    assert stepper.back_button.isEnabled() and not stepper.next_button.isEnabled()


def test_tab_runs_through_the_step_and_then_to_next(qtbot, make_window):
    window = _active(qtbot, make_window())
    stepper = window.stepper
    stepper.go_to(2)                              # 資金ニーズ: check boxes, then the text fields
    stepper.focus_current_step()
    seen = []
    for _ in range(40):
        widget = QApplication.focusWidget()
        seen.append(widget)
        if widget is stepper.next_button:
            break
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert seen[-1] is stepper.next_button, "Tab reached 次へ from the step's inputs"
    page = stepper.page(2)
    assert all(page.isAncestorOf(w) for w in seen[:-1]), "nothing outside the step before 次へ"
    assert stepper.field("amount_yen").editor in seen


def test_f6_moves_between_the_form_the_results_the_detail_and_the_contacts(qtbot, make_window):
    window = _active(qtbot, make_window())
    window.stepper.focus_current_step()
    visited = []
    for _ in range(4):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        visited.append(QApplication.focusWidget())
    assert visited == [window.results.tree, window.results.detail, window.results.contacts,
                       visited[-1]] and window.stepper.isAncestorOf(visited[-1])
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.results.contacts


def test_enter_after_a_click_moves_on_to_a_choice_that_shows_it_has_the_focus(qtbot, make_window):
    """Clicked into 事業者名, typed, Enter: 形態 had the focus and showed none (a combo box draws its
    focus only after a move by keyboard), so the arrow keys changed a value no one saw was chosen."""
    window = _active(qtbot, make_window())
    name = window.stepper.field("business_name").editor
    QTest.mouseClick(name, Qt.MouseButton.LeftButton)   # the window's first focus, by the mouse
    assert name.hasFocus() and not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    type_text(name, "追浜精工")
    QTest.keyClick(name, Qt.Key.Key_Return)
    kind = window.stepper.field("entity").editor
    assert QApplication.focusWidget() is kind
    option = QStyleOptionComboBox()
    kind.initStyleOption(option)   # what the style draws the box from
    assert option.state & QStyle.StateFlag.State_HasFocus
    assert option.state & QStyle.StateFlag.State_KeyboardFocusChange   # the focus frame is drawn
