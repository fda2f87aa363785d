"""UI fixtures: the main window on the bundled catalogue, on a fixed day."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.db.engine import session_factory
from desk.settings import Settings
from desk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def make_window(qtbot, catalogue_engine, tmp_path):
    """A factory: each call opens another main window on the same database."""

    def make(*, show: bool = True) -> MainWindow:
        window = MainWindow(make_session=session_factory(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                            today=TODAY)
        qtbot.addWidget(window)
        if show:
            window.show()
        return window

    return make
