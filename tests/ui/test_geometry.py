"""Every window and dialog fits the screen it opens on (desk.ui.geometry).

The rules of :func:`fit_to_screen` on a screen of a chosen size; then the app itself, every window
and dialog it opens, on real offscreen screens of a laptop (1366×768, at the default and the
largest text size, and with a window.ini left by a larger monitor) and of a 4K monitor at 200 %
(tests/ui/window_fit.py, in a process of its own: a process has one set of screens).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

from desk.ui import geometry
from desk.ui.geometry import DECORATION, fit_to_screen

REPO = Path(__file__).resolve().parents[2]
LAPTOP = QRect(0, 0, 1366, 768)


@pytest.fixture
def laptop(monkeypatch):
    """A 1366×768 screen under every window."""
    monkeypatch.setattr(geometry, "available_area", lambda widget: LAPTOP)
    return LAPTOP


def make_window(qtbot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    return window


def room() -> QSize:
    return LAPTOP.size().shrunkBy(DECORATION)


def test_a_window_gets_its_size_where_it_fits_and_the_screen_less_its_frame_where_not(qtbot, laptop):
    small, large = make_window(qtbot), make_window(qtbot)
    fit_to_screen(small, QSize(600, 400))
    fit_to_screen(large, QSize(900, 900))            # the preview's A4 page
    assert small.size() == QSize(600, 400)
    assert large.size() == QSize(900, room().height())
    assert not large.testAttribute(Qt.WidgetAttribute.WA_Moved)   # placed by Qt (a dialog: over its parent)


def test_a_window_placed_off_the_screen_comes_back_whole(qtbot, laptop):
    window = make_window(qtbot)
    window.move(1000, 500)                            # a geometry restored from a wider monitor
    fit_to_screen(window, QSize(1280, 800))
    frame = QRect(window.pos(), window.size().grownBy(DECORATION))
    assert laptop.contains(frame), frame


def test_a_window_that_cannot_shrink_enough_keeps_its_title_bar_on_the_screen(qtbot, laptop):
    window = make_window(qtbot)
    window.setMinimumSize(1500, 900)
    window.move(-300, -200)
    fit_to_screen(window, QSize(1600, 1000))
    assert window.size() == QSize(1500, 900)         # no smaller than it can be
    assert window.pos() == laptop.topLeft()


def test_a_maximized_window_is_left_to_the_window_manager(qtbot, laptop):
    window = make_window(qtbot)
    window.resize(2000, 1500)
    window.setWindowState(Qt.WindowState.WindowMaximized)
    fit_to_screen(window, QSize(1280, 800))
    assert window.size() == QSize(2000, 1500)        # its normal size: Qt fits it when restored


def test_a_dialog_fits_its_size_hint(qtbot, laptop):
    dialog = make_window(qtbot)
    dialog.setMinimumSize(300, 200)
    fit_to_screen(dialog)
    assert dialog.size() == dialog.sizeHint().expandedTo(QSize(300, 200)).boundedTo(room())


# --- the app on screens of its own -------------------------------------------------------------------

WINDOWS = {"main-window", "comparison", "preview", "print-dialog", "save-pdf-dialog", "settings", "log",
           "export-csv-dialog", "follow-up-dialog", "monthly-report-dialog", "record", "reprint-preview", "admin",
           "edit-program", "edit-contact", "open-intake-dialog", "save-intake-dialog", "import-packs-dialog",
           "export-packs-dialog", "discard-question", "problem-message", "overwrite-question"}
SCREENS = {
    "laptop": {"width": 1366, "height": 768, "logicalDpi": 96},
    # 3840×2160 pixels at 200 %: 1920×1080 logical pixels, each drawn with four.
    "4k-200%": {"width": 3840, "height": 2160, "logicalDpi": 192},
}
CASES = {
    "laptop": ("laptop", []),
    "laptop-largest-text": ("laptop", ["--font-size", "24"]),
    "laptop-window-ini-from-a-larger-monitor": ("laptop", ["--saved-geometry=700,400,1900,1150"]),
    "4k-200%": ("4k-200%", []),
}


def open_every_window(tmp_path: Path, database: str, screen: str, args: list[str]) -> dict[str, dict]:
    """Run the app on an offscreen screen of that size, open every window and dialog, and return
    what tests/ui/window_fit.py measured, by window."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": screen, "x": 0, "y": 0, "logicalBaseDpi": 96, "dpr": 1,
                                               **SCREENS[screen]}]}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run([sys.executable, "-m", "tests.ui.window_fit", "--database", database,
                           "--basedir", str(tmp_path / "base"), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {record["name"]: record for record in map(json.loads, done.stdout.splitlines())}


@pytest.mark.parametrize("case", CASES)
def test_every_window_and_dialog_lies_inside_the_screen(tmp_path, catalogue_engine, case):
    screen, args = CASES[case]
    measured = open_every_window(tmp_path, catalogue_engine.url.database, screen, args)
    assert set(measured) == WINDOWS
    expected_area = QSize(SCREENS[screen]["width"], SCREENS[screen]["height"]) * (96 / SCREENS[screen]["logicalDpi"])
    for name, record in measured.items():
        area, frame = QRect(*record["area"]), QRect(*record["frame"])
        assert area.size() == expected_area, record          # the configured screen, in logical pixels
        assert area.contains(frame), f"{name}: frame {record['frame']} outside {record['area']}"
    if screen == "4k-200%":   # room enough: the sizes asked for, not less
        assert QRect(*measured["main-window"]["geometry"]).size() == QSize(1366, 800)
        assert QRect(*measured["preview"]["geometry"]).size() == QSize(900, 900)
        assert QRect(*measured["comparison"]["geometry"]).size() == QSize(1180, 720)
