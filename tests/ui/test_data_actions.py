"""The window's pack import and export: on a worker thread, the window following the new data."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog

from desk.ui.data_actions import PackQuestions

YOKOSUKA_CGC_PHONE = "046-822-3821"


@pytest.fixture
def exported(make_window, qtbot, tmp_path, monkeypatch):
    """The window's packs, exported from the menu into a folder."""
    window = make_window()
    out = tmp_path / "packs"
    out.mkdir()
    monkeypatch.setattr(PackQuestions, "ask_export_directory", classmethod(lambda cls, parent: out))
    with qtbot.waitSignal(window.export_packs().finished, timeout=10_000):
        pass
    assert "8 個のデータパックを" in window.statusBar().currentMessage()
    return window, sorted(out.glob("*.yaml"))


def _in_yokosuka(window, qtbot):
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.field("municipality").editor.setText("横須賀市")


def test_an_import_runs_off_the_gui_thread_and_the_window_follows(exported, qtbot, monkeypatch):
    window, files = exported
    _in_yokosuka(window, qtbot)
    contacts = next(f for f in files if f.name.startswith("kanagawa-contacts"))
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(YOKOSUKA_CGC_PHONE, "046-822-0001"),
                        encoding="utf-8")
    # The import waits until the GUI thread's timer has fired three times and the progress
    # dialog is on screen: run on the GUI thread, it would wait for ever (and time out below).
    ticks: list[int] = []
    turning = threading.Event()

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 3 and any(d.isVisible() for d in window.findChildren(QProgressDialog)):
            turning.set()

    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    packs = window.services.packs
    real_import = packs.import_files

    def import_files(*args, **kwargs):
        assert threading.current_thread() is not threading.main_thread()
        if not turning.wait(timeout=10):
            raise TimeoutError("the GUI thread stood still during the import")
        return real_import(*args, **kwargs)

    monkeypatch.setattr(packs, "import_files", import_files)
    monkeypatch.setattr(PackQuestions, "ask_pack_files", classmethod(lambda cls, parent: [contacts]))
    job = window.import_packs()
    assert not window.menu_actions.import_action.isEnabled()             # one import at a time
    assert window.statusBar().currentMessage() == "データパックを取り込んでいます…"
    with qtbot.waitSignal(job.finished, timeout=15_000):
        pass
    assert len(ticks) >= 3 and window.menu_actions.import_action.isEnabled()
    assert not any(d.isVisible() for d in window.findChildren(QProgressDialog))
    assert window.statusBar().currentMessage().startswith("取り込みました: kanagawa-contacts")
    assert "046-822-0001" in window.results.contacts.toPlainText()
    assert window.shown_fingerprint == window.services.fingerprint()


def test_a_bad_pack_shows_the_problem_and_changes_nothing(exported, qtbot, tmp_path, monkeypatch):
    window, _files = exported
    before = window.services.fingerprint()
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: desk-pack/1\npack: {id: x}\n", encoding="utf-8")
    shown = []
    monkeypatch.setattr(window, "notify_problem", lambda title, text: shown.append((title, text)))
    monkeypatch.setattr(PackQuestions, "ask_pack_files", classmethod(lambda cls, parent: [bad]))
    with qtbot.waitSignal(window.import_packs().finished, timeout=10_000):
        pass
    assert shown and shown[0][0].startswith("取り込めません") and "bad.yaml:2" in shown[0][1]
    assert window.services.fingerprint() == before and window.menu_actions.import_action.isEnabled()


def test_edits_at_stake_are_asked_about_in_the_gui_thread_then_overwritten(exported, qtbot, monkeypatch):
    window, files = exported
    _in_yokosuka(window, qtbot)
    window.services.admin.update_office("kanagawa-cgc.yokosuka", {"phone": "046-822-9999"})
    contacts = next(f for f in files if f.name.startswith("kanagawa-contacts"))
    monkeypatch.setattr(PackQuestions, "ask_pack_files", classmethod(lambda cls, parent: [contacts]))
    asked = []

    def ask(cls, parent, report):
        asked.append((threading.current_thread() is threading.main_thread(), report))
        return len(asked) > 1            # no the first time, yes the second

    monkeypatch.setattr(PackQuestions, "ask_overwrite_edits", classmethod(ask))
    with qtbot.waitSignal(window.import_packs().finished, timeout=10_000):
        pass
    assert asked[0][0] and "kanagawa-cgc.yokosuka" in asked[0][1]
    assert "取り込みをやめました" in window.statusBar().currentMessage()
    window.import_packs()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("取り込みました"), timeout=15_000)
    assert len(asked) == 2 and asked[1][0]
    assert YOKOSUKA_CGC_PHONE in window.results.contacts.toPlainText()   # the pack's phone again


def test_removals_are_asked_about_before_anything_goes(exported, qtbot, monkeypatch, tmp_path):
    """Issue 15, item 17: the admin screen asks before a pack removes programs or offices."""
    from tests.conftest import PACKS_DIR
    from tests.packs import gutted_sagamihara

    window, _files = exported
    before = window.services.fingerprint()
    gutted = tmp_path / "sagamihara-fy2025.yaml"
    gutted.write_text(gutted_sagamihara((PACKS_DIR / gutted.name).read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(PackQuestions, "ask_pack_files", classmethod(lambda cls, parent: [gutted]))
    asked = []

    def ask(cls, parent, report):
        asked.append((threading.current_thread() is threading.main_thread(), report))
        return len(asked) > 1            # no the first time, yes the second

    monkeypatch.setattr(PackQuestions, "ask_allow_removals", classmethod(ask))
    with qtbot.waitSignal(window.import_packs().finished, timeout=10_000):
        pass
    assert asked[0][0] and "制度 sagamihara.koguchi" in asked[0][1]
    assert "取り込みをやめました" in window.statusBar().currentMessage()
    assert window.services.fingerprint() == before
    window.import_packs()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("取り込みました"), timeout=15_000)
    assert len(asked) == 2 and window.services.fingerprint() != before
