"""Values that change only on purpose: the mouse wheel and PageUp / PageDown never change a field.

Qt's combo boxes, spin boxes and sliders step their value on the wheel and on PageUp /
PageDown. On a form that scrolls, a clerk scrolling past the 確認 step's はい / いいえ boxes
answered six questions without knowing it, and the answers reached the saved file and the
sheet. A guarded widget passes those events on to its parent unhandled, so the page under
it scrolls as if the widget were not there; a click, the arrow keys or typing still change it.

The guard is one event filter on each value widget (:func:`guard_value` where a field makes
its editor, :func:`guard_values` over a finished dialog), not one on the application: a filter
on the application would run Python for every event of every widget, and this one runs
only for the events of the few widgets that hold a value.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QScrollBar, QWidget

# Widgets whose value the wheel or PageUp / PageDown would step (scroll bars excepted: scrolling is their job).
VALUE_WIDGETS: tuple[type[QWidget], ...] = (QComboBox, QAbstractSpinBox, QAbstractSlider)
_WHEEL = QEvent.Type.Wheel
_KEY_PRESS = QEvent.Type.KeyPress
_PAGE_KEYS = frozenset((Qt.Key.Key_PageUp, Qt.Key.Key_PageDown))


class _ValueGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's virtual
        kind = event.type()
        if kind == _WHEEL or (kind == _KEY_PRESS and isinstance(event, QKeyEvent) and event.key() in _PAGE_KEYS):
            # Ignored and filtered: Qt offers the event to the parent next (a wheel event and a
            # key press travel up until a widget accepts them), and the scroll area accepts it.
            event.ignore()
            return True
        return False


_guard: _ValueGuard | None = None


def _the_guard() -> _ValueGuard:
    """One filter for every guarded widget, made on first use and owned by the application."""
    global _guard
    if _guard is None:
        _guard = _ValueGuard(QCoreApplication.instance())
    return _guard


def guard_value(widget: QWidget) -> None:
    """Let only a click or a key other than PageUp / PageDown change ``widget``'s value."""
    widget.installEventFilter(_the_guard())
    # Nor does the wheel give it focus (a combo box takes focus on the wheel by default): a
    # scroll leaves the focus where the clerk put it, and a PageDown then scrolls that page.
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def value_widgets(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` (and ``root``) that hold a value the wheel could step."""
    found: list[QWidget] = [root] if isinstance(root, VALUE_WIDGETS) else []
    for kind in VALUE_WIDGETS:
        found += root.findChildren(kind)
    return [w for w in found if not isinstance(w, QScrollBar)]


def guard_values(root: QWidget) -> None:
    """Guard every value widget of a finished dialog (Qt's own included, such as the print dialog's)."""
    for widget in value_widgets(root):
        guard_value(widget)
