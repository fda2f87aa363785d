"""The main window's panes for the keyboard: F6 / Shift+F6 between them, a frame on the one
that has the keyboard (the native styles draw none on a list or a browser)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow

# The frame of the pane with the keyboard; the pane keeps its native look otherwise.
FOCUS_FRAME = "QAbstractScrollArea:focus { border: 2px solid #1a73e8; }"


def panes(window: MainWindow) -> list[QWidget]:
    """The window's panes in F6's order: the form, the results, a fund's detail, the contacts."""
    return [window.stepper, window.results.tree, window.results.detail, window.results.contacts]


def frame_focus(window: MainWindow) -> None:
    """Style sheets cost a little per widget: set once the window is up, not on the start path.

    A widget under a style sheet keeps the font it had when the sheet was applied, so this runs
    again after the text size changes (the sheet is taken off and put back to take the new size).
    """
    for pane in (window.stepper.steps, *panes(window)[1:]):
        pane.setStyleSheet("")
        pane.setStyleSheet(FOCUS_FRAME)


def move_between(window: MainWindow, step: int) -> None:
    """The next pane (``step`` 1) or the one before (-1), from the pane holding the keyboard."""
    order = panes(window)
    focused = QApplication.focusWidget()
    here = next((i for i, pane in enumerate(order)
                 if focused is not None and (focused is pane or pane.isAncestorOf(focused))), -1)
    target = order[(here + step) % len(order)]
    if target is window.stepper:
        window.stepper.focus_current_step()
    else:
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
