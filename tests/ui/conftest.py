"""UI fixtures: the main window on the bundled catalogue, on a fixed day."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from desk.db.store import Store
from desk.settings import Settings, default_of
from desk.ui.large_indicators import LargeIndicators, fit_indicators
from desk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def discard_when_asked(monkeypatch) -> list[object]:
    """入力中の内容を破棄しますか？ answers 破棄 unless a test says otherwise: closing a window that
    holds input asks it, and a real question box would wait for ever for a click (at the latest
    when pytest-qt closes the test's windows). The list holds the windows that asked."""
    asked: list[object] = []
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: asked.append(parent) or True))
    return asked


@pytest.fixture(autouse=True)
def text_size_put_back():
    """The application's font and style are shared by every test: a test at 24 pt leaves neither
    the size nor the style that scales check boxes with it (desk.ui.large_indicators) to the next."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)
    if isinstance(QApplication.style(), LargeIndicators):
        fit_indicators(float(default_of("font_size_pt")))


@pytest.fixture
def make_window(qtbot, catalogue_engine, tmp_path):
    """A factory: each call opens another main window on the same database."""

    def make(*, show: bool = True) -> MainWindow:
        window = MainWindow(store=Store.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                            today=TODAY)
        qtbot.addWidget(window)
        if show:
            window.show()
        return window

    return make
