"""How text is shown: the size staff chose (and the title's), secondary text marked by colour
and weight, never by a style sheet; long lines cut to the width.

A widget under a style sheet keeps the font it had when the sheet was applied: with the
text size set to 24 pt in the settings, the packs' line under the form and the number
readings stayed at 9 pt, and a size changed while the window was open reached none of
the styled widgets. A palette colour and a font that sets only its weight leave the size
to the application's font, so such text follows the size staff chose like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMenuBar, QWidget

from desk.settings import default_of

if TYPE_CHECKING:
    from desk.settings import Settings

ERROR = "#b00020"       # what is wrong with an input, wherever it is said
MUTED = "#555555"       # a reading of what was typed, the data's status: secondary text
ATTENTION = "#9a5b00"   # not an error: a reading or a note to look at twice


def tint(widget: QWidget, colour: str) -> None:
    """Text in ``colour`` (a label's and an editor's text alike)."""
    palette = widget.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, QColor(colour))
    widget.setPalette(palette)


def bold(widget: QWidget, on: bool = True) -> None:
    """Bold text at the size the widget inherits (the font sets its weight and nothing else)."""
    font = QFont()
    font.setBold(on)
    widget.setFont(font)


def keep_room(widget: QWidget) -> None:
    """The widget's room stays in the layout while it is hidden: a line appearing under a field
    as staff type pushed every field below it down, and a click meant for the next one missed."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def mark(widget: QWidget, colour: str, *, strong: bool = False) -> None:
    """Colour and weight at once (a reading that needs a second look, an input error)."""
    tint(widget, colour)
    bold(widget, strong)


class CutLines(QLabel):
    """Lines that never wrap: each one cut to the width with 「…」, the whole text in the tooltip.

    For a status that must not push the form off a laptop screen: the packs' titles and
    dates under the form took six lines at 24 pt and left the form three rows.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._lines: list[str] = []

    def set_lines(self, lines: list[str]) -> None:
        self._lines = lines
        self.setToolTip("\n".join(lines))
        self._cut()

    def lines(self) -> list[str]:
        """The lines as given, uncut."""
        return list(self._lines)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's virtual
        return QSize(0, super().minimumSizeHint().height())   # the width is the layout's to give

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's virtual
        return QSize(0, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's virtual
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._cut()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's virtual
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._cut()

    def _cut(self) -> None:
        metrics, width = self.fontMetrics(), max(self.contentsRect().width(), 1)
        self.setText("\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in self._lines))


def apply_font_size(settings: Settings) -> None:
    """The text size staff chose, for the whole application (Qt skips an unchanged font)."""
    size = float(settings.get("font_size_pt"))
    font = QApplication.font()
    font.setPointSizeF(size)
    QApplication.setFont(font)
    if size != float(default_of("font_size_pt")) or _indicators_scaled:
        _fit_indicators(size)


_indicators_scaled = False


def _fit_indicators(size: float) -> None:
    """Check boxes as large as the text (desk.ui.large_indicators), imported only for a size
    other than the default, so the usual start does not load the proxy style."""
    global _indicators_scaled
    from desk.ui.large_indicators import fit_indicators

    fit_indicators(size)
    _indicators_scaled = True


def title_font() -> QFont:
    """The window's title: a fifth larger than the text, bold."""
    # From the application's font, not the label's: a window made before the size was set
    # hands its children the old size until Qt's font-change events arrive.
    font = QApplication.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    return font


def give_menus_room(bar: QMenuBar) -> None:
    """Each menu of ``bar`` a little wider than Qt asks for, as it opens: at 24 pt Qt (Fusion) gave
    an item fewer pixels than it had measured, and cut 「チラシ（融資制度の一覧）を作成」 and
    「データパックを取り込む」 in their middle. Two lines' height covers the shortfall at every
    size from 9 to 24 pt (offscreen and under Xvfb); at 11 pt it is 36 px of blank."""
    for menu in bar.findChildren(QMenu):
        menu.aboutToShow.connect(lambda menu=menu: _widen(menu))


def _widen(menu: QMenu) -> None:
    # Once per text size: the menu keeps the widths it measured, its minimum among them, so a second
    # measure at the same size would widen it again; a new size makes it measure afresh.
    size = menu.font().pointSizeF()
    if menu.property("widened_for") == size:
        return
    menu.setMinimumWidth(0)
    menu.setMinimumWidth(menu.sizeHint().width() + 2 * menu.fontMetrics().height())
    menu.setProperty("widened_for", size)
