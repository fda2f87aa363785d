"""Windows that fit the screen they open on: every top-level window and dialog is sized by :func:`fit_to_screen`.

A chamber's laptop has 1366×768 pixels less a task bar; a size chosen on a large monitor
(the main window's 1280×800, the preview's A4 page at 900×900) put 印刷… and 閉じる below
its screen. A window asks for the size it would like; it gets at most the screen's available
area (QScreen.availableGeometry, in the logical pixels of a high-DPI screen too) less its
frame, and a window placed off that area (a geometry restored from another monitor) is moved
back onto it, title bar first.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

# The title bar and borders a window manager adds, until a shown window tells its own:
# Qt's own guess when it places a dialog (QDialog's adjustPosition), with the bottom border too.
DECORATION = QMargins(10, 40, 10, 10)


def available_area(widget: QWidget) -> QRect:
    """The available area of the screen ``widget`` opens on: its parent's for a dialog (a dialog
    not shown yet has no screen of its own), its own for a main window."""
    anchor = widget.parentWidget() or widget
    return anchor.screen().availableGeometry()


def decoration(widget: QWidget) -> QMargins:
    """The frame around a top-level window: measured once it is shown and framed, else :data:`DECORATION`."""
    frame, inside = widget.frameGeometry(), widget.geometry()
    if not widget.isVisible() or frame == inside:
        return DECORATION
    return QMargins(inside.left() - frame.left(), inside.top() - frame.top(),
                    frame.right() - inside.right(), frame.bottom() - inside.bottom())


def fit_to_screen(widget: QWidget, preferred: QSize | None = None) -> None:
    """Size ``widget`` (a top-level window or dialog) to ``preferred`` (default: its size hint),
    at most the available area less the frame; a window that has a place (shown, restored or
    moved) is moved inside that area. A window not placed yet is left for Qt or the window
    manager to place: a dialog is centred on its parent and kept on screen by Qt."""
    if widget.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return   # the window manager fits it; its normal geometry is fitted when restored
    area = available_area(widget)
    frame = decoration(widget)
    room = area.marginsRemoved(frame)
    widget.resize((widget.sizeHint() if preferred is None else preferred).boundedTo(room.size()))
    if widget.isVisible() or widget.testAttribute(Qt.WidgetAttribute.WA_Moved):
        # pos() is the frame's corner. A window larger than the area (its minimum size is) keeps
        # its top-left corner on screen: the title bar stays within reach.
        outer = widget.size().grownBy(frame)
        x = max(area.left(), min(widget.x(), area.right() + 1 - outer.width()))
        y = max(area.top(), min(widget.y(), area.bottom() + 1 - outer.height()))
        if (x, y) != (widget.x(), widget.y()):
            widget.move(x, y)
