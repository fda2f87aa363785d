"""No scroll changes a value (desk.ui.value_guard): real wheel events and PageUp / PageDown, sent
through the window system as a mouse and a keyboard would, over every value widget the window
and the dialogs hold. The widgets are found, not listed: one added later is tried too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QPushButton, QScrollArea, QWidget

from desk.settings import Settings
from desk.ui.intake_fields import ChoiceField
from desk.ui.intake_pages import PAGES
from desk.ui.referral_preview import print_dialog
from desk.ui.settings_dialog import SettingsDialog
from desk.ui.value_guard import value_widgets

# A visitor whose results wait on nine questions, はい / いいえ ones among them (the 確認 step).
VISITOR = Path(__file__).resolve().parents[1] / "matching" / "visitors" / "yokosuka-supplier-issue13.json"
SITUATIONS = ["succession", "energy_equipment", "disaster_damage"]
NOTCHES = 3
DOWN, UP = QPoint(0, -120), QPoint(0, 120)   # one notch of a mouse wheel each


def shown_value(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()   # spin boxes, date and time edits alike
    return widget.value()      # sliders


def shown_values(root: QWidget) -> list[object]:
    return [shown_value(widget) for widget in value_widgets(root)]


def wheel_over(widget: QWidget, angle: QPoint) -> None:
    """One notch of the wheel with the pointer over the middle of ``widget``, as the window system delivers it."""
    top = widget.window()
    at = widget.mapTo(top, widget.rect().center())
    under = top.childAt(at)
    assert under is widget or widget.isAncestorOf(under), f"{widget!r} is not under the pointer"
    QTest.wheelEvent(top.windowHandle(), QPointF(at), angle)


def press(widget: QWidget, key: Qt.Key) -> None:
    """A key pressed and released on the keyboard: to whatever has the focus in ``widget``'s window."""
    QTest.keyClick(widget.window().windowHandle(), key)


def centre_in(scroll: QScrollArea, widget: QWidget) -> None:
    """Scroll so that ``widget`` sits in the middle of the view (room to scroll both ways)."""
    middle = widget.mapTo(scroll.widget(), QPoint(0, widget.height() // 2)).y()
    scroll.verticalScrollBar().setValue(middle - scroll.viewport().height() // 2)


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def try_the_wheel_and_page_keys(qtbot, top: QWidget, widget: QWidget, *, focused: bool, elsewhere: QWidget) -> int:
    """Notches down and up, then PageDown and PageUp, over a value widget: nothing in ``top`` changes;
    the scroll area under the widget (if any) scrolls instead. Returns how many times it scrolled."""
    before = shown_values(top)
    scroll = scroll_area_of(widget)
    bar = scroll.verticalScrollBar() if scroll is not None else None
    scrolled = 0
    holder = widget if focused else elsewhere
    holder.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(holder.hasFocus)
    for angle in (DOWN, UP):
        for _ in range(NOTCHES):
            if scroll is not None:   # the page moves under the pointer: bring the widget back under it
                centre_in(scroll, widget)
            position = bar.value() if bar is not None else 0
            wheel_over(widget, angle)
            assert shown_values(top) == before, f"the wheel changed a value over {widget!r}"
            assert holder.hasFocus(), "the wheel moved the focus"
            if bar is not None:
                moved = bar.value() - position
                limit = bar.maximum() if angle == DOWN else bar.minimum()
                assert (moved > 0 if angle == DOWN else moved < 0) or position == limit, "the page did not scroll"
                scrolled += moved != 0
    # PageDown / PageUp on the focused widget scroll the page, as they do anywhere else on it.
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
        if scroll is not None:
            centre_in(scroll, widget)
        for _ in range(NOTCHES):   # the focus stays on the widget as the page moves
            position = bar.value() if bar is not None else 0
            press(widget, key)
            assert shown_values(top) == before, f"{key.name} changed a value on {widget!r}"
            if bar is not None:
                moved = bar.value() - position
                limit = bar.maximum() if key == Qt.Key.Key_PageDown else bar.minimum()
                assert (moved > 0 if key == Qt.Key.Key_PageDown else moved < 0) or position == limit
                scrolled += moved != 0
    return scrolled


@pytest.fixture
def consultation(make_window, qtbot):
    """A visitor's form, every step built, on a window short enough that every step scrolls."""
    window = make_window()
    visitor = json.loads(VISITOR.read_text(encoding="utf-8"))
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.load({**visitor, "situations": SITUATIONS})
    assert window.stepper.pages   # every step built now (a step built later brings its values: 確認's consent)
    window.resize(window.width(), 420)
    window.activateWindow()
    qtbot.waitActive(window)
    return window


@pytest.mark.parametrize("focused", [False, True], ids=["pointer-only", "focused"])
def test_scrolling_over_any_value_on_any_step_scrolls_the_step_and_changes_nothing(consultation, qtbot, focused):
    window = consultation
    saved = window.stepper.intake_data()
    tried: dict[str, int] = {}
    for step, page in enumerate(PAGES):
        window.stepper.go_to(step)
        scroll = window.stepper.stack.currentWidget()
        assert isinstance(scroll, QScrollArea)
        window.stepper.questions.show_all()      # the questions behind 「ほかの質問」 too
        # Their rows laid out now: the step may scroll already (the 確認 step's consent panel), and
        # a pointer aimed by the old layout lands beside a combo box.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        qtbot.waitUntil(lambda s=scroll: s.verticalScrollBar().maximum() > 0)   # the step scrolls
        # Every value widget on screen, in the step or anywhere else in the window.
        widgets = [w for w in value_widgets(window) if w.isVisible()]
        scrolled = sum(try_the_wheel_and_page_keys(qtbot, window, widget, focused=focused,
                                                   elsewhere=window.stepper.steps)
                       for widget in widgets if scroll.isAncestorOf(widget) or scroll_area_of(widget) is None)
        tried[page.title] = len([w for w in widgets if scroll.isAncestorOf(w)])
        assert scrolled or not tried[page.title]
    assert window.stepper.intake_data() == saved          # what would reach the file and the sheet
    # Enough widgets were tried for the test to mean something: every choice field the steps
    # declare, and the 確認 step's はい / いいえ questions.
    declared = {page.title: sum(issubclass(spec.kind, ChoiceField) for spec in page.fields) for page in PAGES}
    assert all(tried[title] >= count for title, count in declared.items()), (tried, declared)
    assert tried["確認"] >= 5, tried


def test_a_deliberate_key_or_click_still_changes_a_value(consultation, qtbot):
    combo = consultation.stepper.field("licence").editor
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    start = combo.currentIndex()
    press(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == start + 1
    press(combo, Qt.Key.Key_Up)
    assert combo.currentIndex() == start


def test_ctrl_page_down_on_a_choice_moves_to_the_next_step_and_leaves_the_choice_alone(consultation, qtbot):
    combo = consultation.stepper.field("licence").editor
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    before = shown_value(combo)
    QTest.keyClick(combo.window().windowHandle(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert consultation.stepper.stack.currentIndex() == 1 and shown_value(combo) == before


@pytest.mark.parametrize("focused", [False, True], ids=["pointer-only", "focused"])
def test_the_settings_dialog_keeps_its_values_under_the_wheel(qtbot, tmp_path, focused):
    settings = Settings(tmp_path / "s.json")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    widgets = value_widgets(dialog)
    assert len(widgets) >= 2                       # 文字の大きさ and the retention days
    for widget in widgets:
        try_the_wheel_and_page_keys(qtbot, dialog, widget, focused=focused, elsewhere=dialog.editors["staff_name"])
    assert [dialog.editors[key].value() for key in ("font_size_pt", "personal_retention_days")] == \
        [settings.get("font_size_pt"), settings.get("personal_retention_days")]


def test_qts_print_dialog_keeps_the_copies_and_the_printer_under_the_wheel(qtbot):
    printer = QPrinter()
    dialog = print_dialog(printer, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    options = next(b for b in dialog.findChildren(QPushButton) if b.text().endswith(">>"))   # 「オプション >>」
    options.click()
    widgets = [w for w in value_widgets(dialog) if w.isVisible() and w.isEnabled()]
    assert {"copies", "printers"} <= {w.objectName() for w in widgets}
    for widget in widgets:
        try_the_wheel_and_page_keys(qtbot, dialog, widget, focused=True, elsewhere=widget)


@pytest.mark.parametrize("opener", ["show_log", "show_admin", "show_comparison"])
def test_the_other_dialogs_keep_their_values_under_the_wheel(make_window, qtbot, opener):
    """The comparison's what-if holds four (amount, term, grace, method); the log and the admin
    screens none today: one added later is tried here."""
    window = make_window()
    dialog = getattr(window, opener)()
    qtbot.waitActive(dialog)
    for widget in [w for w in value_widgets(dialog) if w.isVisible()]:
        try_the_wheel_and_page_keys(qtbot, dialog, widget, focused=True, elsewhere=widget)
    dialog.reject()


@pytest.mark.parametrize("make", ["follow-up", "monthly-report"])
def test_the_log_questions_keep_their_values_under_the_wheel(qtbot, make):
    from desk.ui.log_questions import FollowUpDialog, MonthlyReportDialog

    dialog = FollowUpDialog("20261122-AAAAA-001", status="applied", day="2026-11-30") if make == "follow-up" \
        else MonthlyReportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    widgets = [w for w in value_widgets(dialog) if w.isVisible()]
    assert len(widgets) == (2 if make == "follow-up" else 1)     # the status and the day; the month
    for widget in widgets:
        try_the_wheel_and_page_keys(qtbot, dialog, widget, focused=True, elsewhere=widget)
