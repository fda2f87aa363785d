"""Check boxes and radio buttons as large as the text staff chose.

Qt's styles draw a check box's square at a fixed size (13 pixels in Fusion) whatever the
font: at 24 pt the box beside 「運転資金」 was a third of the text's height, hard to see
and to hit with the mouse for the staff who chose large text. Above the default size a
proxy of the style asks for those squares in proportion to the text; at the default size
the style is left as it is (a Python override answering every pixel metric the style is
asked for would cost each relayout something, for nothing).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

from desk.settings import default_of

LARGER_FROM = 1.2   # from 13 pt (at 11 pt by default): smaller steps change a 13-pixel square by a pixel or two
_SCALED = frozenset({QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
                     QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, QStyle.PixelMetric.PM_ExclusiveIndicatorHeight})


class LargeIndicators(QProxyStyle):
    """The style named ``base``, with check boxes and radio buttons ``scale`` times its own."""

    def __init__(self, base: str, scale: float):
        super().__init__(QStyleFactory.create(base))
        self.base = base
        self.scale = scale

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,  # noqa: N802 - Qt's virtual
                    widget: QWidget | None = None) -> int:
        size = super().pixelMetric(metric, option, widget)
        return round(size * self.scale) if metric in _SCALED else size


def fit_indicators(point_size: float) -> None:
    """The application's style for text of ``point_size``: its indicators scaled above the default
    size, the plain style at it (a change of size in the settings goes either way)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    scale = point_size / float(default_of("font_size_pt"))
    current = app.style()
    if isinstance(current, LargeIndicators):
        if current.scale == scale:
            return
        base = current.base
    elif scale < LARGER_FROM:
        return   # the default: no proxy was made, none is needed
    else:
        base = current.name()
    app.setStyle(LargeIndicators(base, scale) if scale >= LARGER_FROM else QStyleFactory.create(base))
