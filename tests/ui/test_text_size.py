"""The text size staff choose reaches every text in the window, at start and when changed while it
is open, and the form stays usable at the largest size: every step in sight, the title whole, no
line of text squeezed to a few characters."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QStyle, QWidget

from desk.db.store import Store
from desk.settings import Settings
from desk.ui.intake_fields import MIN_TEXT_CHARS, LineEditor
from desk.ui.intake_pages import PAGES
from desk.ui.large_indicators import LargeIndicators
from desk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 22)


def _window(qtbot, catalogue_engine, tmp_path, points: int | None = None) -> MainWindow:
    values = {} if points is None else {"font_size_pt": points}
    window = MainWindow(store=Store.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json", values),
                        today=TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    return window


def _every_step_built_and_shown(qtbot, window: MainWindow) -> None:
    for index in range(len(PAGES)):
        window.stepper.go_to(index)
    window.stepper.go_to(0)
    window._frame_focus()   # as the idle timer does once the window is up
    # Readings and an error under the fields: text that is made later than the window.
    window.stepper.load({"capital_yen": "1000万円", "employees": "たくさん", "municipality": "横須賀市"})
    window.update_results()
    qtbot.wait(10)


def _smaller_than(window: MainWindow, points: float) -> list[str]:
    small = []
    for widget in [window, *window.findChildren(QWidget)]:
        if widget.font().pointSizeF() < points - 0.01:
            text = widget.text() if isinstance(widget, QLabel) else ""
            small.append(f"{type(widget).__name__} {widget.objectName()} {text[:20]!r} {widget.font().pointSizeF()}")
    return small


def test_the_largest_size_reaches_every_text_from_the_start(qtbot, catalogue_engine, tmp_path):
    window = _window(qtbot, catalogue_engine, tmp_path, points=24)
    _every_step_built_and_shown(qtbot, window)
    assert _smaller_than(window, 24) == []


def test_a_size_changed_while_the_window_is_open_reaches_every_text(qtbot, catalogue_engine, tmp_path):
    window = _window(qtbot, catalogue_engine, tmp_path)
    _every_step_built_and_shown(qtbot, window)
    dialog = window.show_settings()
    dialog.editors["font_size_pt"].setValue(20)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
    # The panes' focus frames are put back once the new size has reached them.
    qtbot.waitUntil(lambda: _smaller_than(window, 20) == [], timeout=2000)
    window.stepper.load({"capital_yen": "2000万円"})   # a reading made after the change
    assert _smaller_than(window, 20) == []


def _steps_fit(strip) -> bool:
    """Every step in sight, and no empty line below them."""
    rects = [strip.visualItemRect(strip.item(i)) for i in range(strip.count())]
    room = strip.viewport().rect()
    return all(room.contains(r) for r in rects) and room.bottom() - max(r.bottom() for r in rects) < rects[0].height()


@pytest.mark.parametrize("points", [9, 24])
@pytest.mark.parametrize("form_width", [520, 900])
def test_at_any_size_every_step_is_in_sight_and_the_title_whole(qtbot, catalogue_engine, tmp_path, points,
                                                                 form_width):
    window = _window(qtbot, catalogue_engine, tmp_path, points=points)
    window.splitter.setSizes([form_width, 1366 - form_width])
    strip = window.stepper.steps
    qtbot.waitUntil(lambda: _steps_fit(strip), timeout=2000)
    title = window.title
    assert title.height() >= title.heightForWidth(title.width())   # wrapped, not cut
    for editor in window.findChildren(LineEditor):
        if editor.isVisible():
            assert editor.width() >= editor.fontMetrics().horizontalAdvance("０") * MIN_TEXT_CHARS


def test_a_step_marked_in_error_may_take_another_line_and_is_still_in_sight(qtbot, catalogue_engine, tmp_path):
    window = _window(qtbot, catalogue_engine, tmp_path, points=12)
    strip = window.stepper.steps
    # As wide as the steps on one line: the ⚠ of a step in error needs a second.
    one_line = sum(strip.visualItemRect(strip.item(i)).width() + strip.spacing() for i in range(strip.count()))
    window.splitter.setSizes([one_line + 2 * strip.frameWidth() + 12, 1366 - one_line])
    qtbot.waitUntil(lambda: _steps_fit(strip), timeout=2000)
    window.stepper.load({"amount_yen": "たくさん"})   # an error on a later step marks it ⚠
    window.update_results()
    qtbot.waitUntil(lambda: "⚠" in "".join(strip.item(i).text() for i in range(strip.count())), timeout=2000)
    qtbot.waitUntil(lambda: _steps_fit(strip), timeout=2000)


def test_at_the_largest_size_no_step_is_wider_than_its_pane(qtbot, catalogue_engine, tmp_path):
    """Fresh eyes: step 2 scrolled sideways at 24 pt (an unwrapped heading over the sales table made
    it 864 px wide) and its fields and readings were cut."""
    window = _window(qtbot, catalogue_engine, tmp_path, points=24)
    room = window.stepper._scrolls[0].viewport().width()
    widths = {PAGES[i].title: window.stepper.page(i).minimumSizeHint().width() for i in range(len(PAGES))}
    assert all(width <= room for width in widths.values()), (room, widths)


def test_at_the_largest_size_a_menu_gives_its_items_room_and_does_not_grow_at_each_opening(qtbot, catalogue_engine,
                                                                                          tmp_path):
    """Fresh eyes at 24 pt: 「チラシ（融資制度の…）を作成」, 「データパックを…込む」 cut in their middle:
    Qt's menu gave an item fewer pixels than it measured. Opened, each menu takes two lines more."""
    window = _window(qtbot, catalogue_engine, tmp_path, points=24)
    for menu in (action.menu() for action in window.menuBar().actions()):
        assert menu is not None
        widths = []
        for _ in range(2):   # a second opening asks again, and gets the same
            menu.popup(window.mapToGlobal(window.rect().topLeft()))
            qtbot.waitUntil(menu.isVisible)
            widths.append(menu.width())
            menu.hide()
        widest = max(menu.fontMetrics().horizontalAdvance(a.text().replace("&", "")) for a in menu.actions())
        assert widths[0] == widths[1] > widest + 2 * menu.fontMetrics().height(), menu.title()
    font = QApplication.font()   # staff choose a smaller size while the window is open: measured again
    font.setPointSize(11)
    QApplication.setFont(font)
    qtbot.waitUntil(lambda: menu.font().pointSize() == 11)
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    qtbot.waitUntil(menu.isVisible)
    assert menu.width() == menu.minimumWidth() < widths[0] * 0.7
    menu.hide()


def test_check_boxes_grow_with_the_text_and_the_default_size_keeps_the_plain_style(qtbot, catalogue_engine,
                                                                                   tmp_path):
    """At 24 pt Fusion's 13-pixel square sat beside text twice its height: it follows the text now,
    in the form and in the results alike, and a return to the default size brings the plain style back."""
    plain = QApplication.style().name()
    window = _window(qtbot, catalogue_engine, tmp_path, points=24)
    window.stepper.go_to(PAGES.index(next(p for p in PAGES if p.title == "資金ニーズ")))
    box = next(b for b in window.stepper.findChildren(QCheckBox) if b.isVisible())

    def square() -> int:
        return box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight, None, box)

    assert square() >= 0.8 * box.fontMetrics().height()
    assert window.results.tree.style() is QApplication.style()   # the results' check boxes too
    dialog = window.show_settings()
    dialog.editors["font_size_pt"].setValue(11)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
    assert not isinstance(QApplication.style(), LargeIndicators) and QApplication.style().name() == plain
    assert square() < 20
