"""The form in progress is kept on disk after edits, removed when the consultation ends, offered back at start."""

from __future__ import annotations

import datetime as dt
import json
import os
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desk.intake import draft
from desk.ui.draft_keeper import DISCARD_TEXT, RESTORE_TEXT
from desk.ui.main_window import MainWindow
from tests.conftest import REPO
from tests.ui.keys import type_text

SAVED_AT = dt.datetime(2026, 11, 22, 5, 3, tzinfo=dt.UTC)
FORM = {"business_name": "追浜精工", "employees": "１８", "capital_yen": "たくさん", "causes": ["nissan"]}


def typed(qtbot, window) -> None:
    """A business name and a staff count typed, key by key."""
    for key, text in (("business_name", "追浜精工"), ("employees", "18")):
        editor = window.stepper.field(key).editor
        editor.setFocus()
        type_text(editor, text)


def button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text() == text)


def test_typing_keeps_a_private_draft_once_the_clerk_pauses(qtbot, make_window):
    window = make_window()
    typed(qtbot, window)
    assert not draft.draft_file().exists()     # not on the keystroke: after a pause, by a timer
    with qtbot.waitSignal(window.drafts.saved, timeout=5000):
        pass
    path = draft.draft_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert draft.read(path).data == window.stepper.intake_data()
    assert draft.read(path).data["business_name"] == "追浜精工"


def test_ctrl_n_and_a_close_after_the_question_end_the_draft(qtbot, make_window, monkeypatch):
    window = make_window()
    typed(qtbot, window)
    with qtbot.waitSignal(window.drafts.saved, timeout=5000):
        pass
    window.menu_actions.new_action.trigger()                # answered 破棄 (tests/ui/conftest.py)
    assert not draft.draft_file().exists()
    typed(qtbot, window)
    with qtbot.waitSignal(window.drafts.saved, timeout=5000):
        pass
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: False))
    assert window.close() is False and draft.draft_file().exists()   # キャンセル: nothing lost
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: True))
    assert window.close() is True and not draft.draft_file().exists()


def test_a_draft_left_by_a_crash_is_offered_back_and_restored(qtbot, make_window):
    draft.write(draft.draft_file(), FORM, now=SAVED_AT)
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    box = window.drafts.prompt
    assert box.isVisible() and box.windowModality() == Qt.WindowModality.WindowModal
    label = SAVED_AT.astimezone().strftime("%Y-%m-%d %H:%M")
    assert box.text().startswith(f"{label}（") and box.text().endswith("相談の入力が残っています。復元しますか？")
    assert window.stepper.is_empty()
    with qtbot.waitSignal(window.drafts.answered, timeout=5000) as answer:
        qtbot.mouseClick(button(box, RESTORE_TEXT), Qt.MouseButton.LeftButton)
    assert answer.args == [True]
    data = window.stepper.intake_data()
    assert {key: data.get(key) for key in FORM} == FORM    # the value in error too, as typed
    assert draft.draft_file().exists()                    # still the draft of the form on screen
    with qtbot.waitSignal(window.drafts.saved, timeout=5000):
        type_text(window.stepper.field("employees").editor, "0")
    assert draft.read(draft.draft_file()).data["employees"] == "１８0"


def test_the_offer_says_what_was_found_and_enter_restores_it(qtbot, make_window):
    """What was found first (when, whose, how much and where), then the question; each answer said in
    words; Enter takes the safe default, 復元する (fresh eyes found the question hard to follow)."""
    draft.write(draft.draft_file(), {**FORM, "amount_yen": "2000万", "answers": {"receivable_bridge": True}},
                now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3, minutes=5))
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    box = window.drafts.prompt
    assert "（3時間前）に一時保存した相談の入力が残っています。復元しますか？" in box.text()
    details = box.informativeText().splitlines()
    assert details[:2] == ["事業者名: 追浜精工", "入力済み: 6項目（1. 事業者、2. 売上、3. 資金ニーズ、5. 確認）"]
    assert details[-2:] == [f"{RESTORE_TEXT}: この入力の続きから始めます。",
                            f"{DISCARD_TEXT}: この入力を消して、空の入力欄で始めます（元に戻せません）。"]
    assert box.defaultButton() is button(box, RESTORE_TEXT)
    with qtbot.waitSignal(window.drafts.answered, timeout=5000) as answer:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert answer.args == [True] and window.stepper.intake_data()["business_name"] == "追浜精工"


def test_a_draft_discarded_at_start_is_gone(qtbot, make_window):
    draft.write(draft.draft_file(), FORM, now=SAVED_AT)
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    with qtbot.waitSignal(window.drafts.answered, timeout=5000) as answer:
        qtbot.mouseClick(button(window.drafts.prompt, DISCARD_TEXT), Qt.MouseButton.LeftButton)
    assert answer.args == [False] and window.stepper.is_empty() and not draft.draft_file().exists()


def test_escape_does_not_answer_the_offer(qtbot, make_window):
    draft.write(draft.draft_file(), FORM, now=SAVED_AT)
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    qtbot.keyClick(window.drafts.prompt, Qt.Key.Key_Escape)
    assert window.drafts.prompt is not None and window.drafts.prompt.isVisible() and window.drafts.waiting
    assert draft.draft_file().exists()


def test_nothing_is_written_over_a_draft_not_yet_answered(qtbot, make_window):
    draft.write(draft.draft_file(), FORM, now=SAVED_AT)
    window = make_window(show=False)
    assert window.drafts.waiting
    window.drafts.save_now()                              # as the timer would
    window.close()                                        # an empty form: closes without asking
    assert draft.read(draft.draft_file()).data == FORM    # offered again at the next start


def test_a_damaged_draft_is_set_aside_with_a_message(qtbot, make_window, monkeypatch):
    path = draft.draft_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"format": "desk-draft/1", "saved_at": ')
    told = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: told.append((title, text)))
    window = make_window()
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    (title, text), = told
    assert title == "前回の入力を復元できません" and "draft-intake.damaged-" in text
    assert not path.exists() and len(list(path.parent.glob("draft-intake.damaged-*.json"))) == 1
    assert window.drafts.prompt is None and window.isVisible() and not window.drafts.waiting
    typed(qtbot, window)
    with qtbot.waitSignal(window.drafts.saved, timeout=5000):   # and the new form is kept again
        pass


def test_a_draft_the_form_cannot_take_is_set_aside(qtbot, make_window, monkeypatch):
    """Well-formed JSON holding values no field takes (a newer desk's draft): set aside, the form left empty."""
    draft.write(draft.draft_file(), {"business_name": "追浜精工", "causes": 5}, now=SAVED_AT)
    told = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: told.append((title, text)))
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    qtbot.mouseClick(button(window.drafts.prompt, RESTORE_TEXT), Qt.MouseButton.LeftButton)
    assert [title for title, _ in told] == ["前回の入力を復元できません"]
    assert not draft.draft_file().exists() and len(list(draft.draft_file().parent.glob("*.damaged-*"))) == 1
    assert window.isVisible() and window.stepper.is_empty() and not window.drafts.waiting


# --- a real process, killed ------------------------------------------------------------------------------


def _driver(mode: str, base: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), "DESK_BASEDIR": str(base)}
    env.pop("DESK_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "tests.ui.draft_driver", mode, str(base)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def _next_line(proc: subprocess.Popen[str], word: str, within_s: float = 120) -> str:
    """The rest of the driver's next line that starts with ``word`` (its stdout, as it comes)."""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if selector.select(timeout=deadline - time.monotonic()):
                line = proc.stdout.readline()
                if not line:
                    break
                if line.startswith(word + " "):
                    return line[len(word) + 1:].rstrip("\n")
    proc.kill()
    raise AssertionError(f"no '{word}' from the driver: {proc.stderr.read()}")


def test_the_form_survives_a_killed_process_and_comes_back_with_its_buttons(tmp_path, _catalogue_file):
    base = tmp_path / "app"
    (base / "data").mkdir(parents=True, mode=0o700)
    shutil.copyfile(_catalogue_file, base / "data" / "desk.sqlite3")
    typing = _driver("type", base)
    typed = json.loads(_next_line(typing, "saved"))
    typing.send_signal(signal.SIGKILL)               # a power cut: no close, no clean-up
    assert typing.wait(timeout=30) == -signal.SIGKILL
    assert typed["business_name"] == "追浜精工" and typed["visitor_name"] == "山田 太郎"
    assert typed["causes"] == ["nissan"]
    kept = base / "data" / "draft-intake.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    saved_at = draft.read(kept).saved_label
    restoring = _driver("restore", base)
    offered = _next_line(restoring, "offered")
    assert offered.startswith(f"{saved_at}（") and offered.endswith("残っています。復元しますか？")
    assert json.loads(_next_line(restoring, "restored")) == typed
    assert restoring.wait(timeout=30) == 0


def test_a_hurried_enter_never_discards_the_draft(qtbot, make_window):
    """Enter restores even with the keyboard on 破棄する (a Tab too many); discarding is gone for good,
    restoring loses nothing (新しい相談 still clears the form, asking first)."""
    draft.write(draft.draft_file(), FORM, now=SAVED_AT)
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    box = window.drafts.prompt
    discard = button(box, DISCARD_TEXT)
    box.activateWindow()
    discard.setFocus()   # where a Tab from 復元する puts the keyboard
    qtbot.waitUntil(discard.hasFocus)
    with qtbot.waitSignal(window.drafts.answered, timeout=5000) as answer:
        qtbot.keyClick(discard, Qt.Key.Key_Return)
    assert answer.args == [True] and window.stepper.intake_data()["business_name"] == "追浜精工"
    assert draft.draft_file().exists()


def test_the_offer_closed_without_an_answer_keeps_the_draft(qtbot, make_window):
    """Closed under the clerk (the application quitting): not an answer, and never a discard."""
    draft.write(draft.draft_file(), FORM, now=SAVED_AT)
    window = make_window()
    with qtbot.waitSignal(window.drafts.offered, timeout=5000):
        pass
    window.drafts.prompt.done(QMessageBox.StandardButton.NoButton.value)
    qtbot.waitUntil(lambda: window.drafts.prompt is None)
    assert window.drafts.waiting and draft.read(draft.draft_file()).data == FORM
