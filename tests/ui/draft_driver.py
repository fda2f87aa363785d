"""The real app in its own process, driven from inside, for the crash test of tests/ui/test_draft_keeper.py.

``python -m tests.ui.draft_driver type BASEDIR`` starts desk as `desk --basedir BASEDIR` does, types
into the form with key events, and prints ``saved <form as JSON>`` each time the draft is written;
it then waits to be killed. ``… restore BASEDIR`` starts desk again, waits for the offer, prints
``offered <question>``, presses 復元する and prints ``restored <form as JSON>``.
"""

from __future__ import annotations

import json
import os
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk.cli.entry import main as desk
from desk.ui.app import create_application
from desk.ui.draft_keeper import RESTORE_TEXT
from desk.ui.main_window import MainWindow
from tests.ui.keys import type_text

TYPED = (("business_name", "追浜精工"), ("visitor_name", "山田 太郎"), ("employees", "１８"),
         ("capital_yen", "1千万"), ("amount_yen", "2,000万円"))


def say(word: str, value: object) -> None:
    print(word, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True),
          flush=True)


def the_window() -> MainWindow:
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def type_into_the_form() -> None:
    window = the_window()
    window.drafts.saved.connect(lambda: say("saved", window.stepper.intake_data()))
    # All in this one slot: no draft is written half-way through the typing.
    for key, text in TYPED:
        editor = window.stepper.field(key).editor
        editor.setFocus()
        type_text(editor, text)
    # On its step, as staff would (a box on a step never shown has no layout yet to click in).
    window.stepper.go_to(1)   # 2. 売上
    QTest.mouseClick(window.stepper.field("causes").boxes["nissan"], Qt.MouseButton.LeftButton)


def restore_the_form() -> None:
    window = the_window()

    def offered() -> None:
        box = window.drafts.prompt
        say("offered", box.text())
        restore = next(b for b in box.buttons() if b.text() == RESTORE_TEXT)
        QTest.mouseClick(restore, Qt.MouseButton.LeftButton)

    def answered(restored: bool) -> None:
        say("restored" if restored else "discarded", window.stepper.intake_data())
        os._exit(0)   # at once: a clean close would ask about the input on screen

    window.drafts.offered.connect(offered)
    window.drafts.answered.connect(answered)


if __name__ == "__main__":
    mode, basedir = sys.argv[1], sys.argv[2]
    create_application()   # the app's own, which desk's start then takes over
    QTimer.singleShot(0, type_into_the_form if mode == "type" else restore_the_form)
    sys.exit(desk(["--basedir", basedir]))
