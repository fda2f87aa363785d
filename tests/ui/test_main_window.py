"""The main window opens on the catalogue and shows which data it runs on."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.db.store import Store
from desk.settings import Settings
from desk.ui.main_window import MainWindow

ASK_DISCARD = MainWindow.__dict__["ask_discard"]   # as defined: tests/ui/conftest.py answers it for every test


def test_main_window_shows_the_packs_and_their_dates(qtbot, catalogue_engine, tmp_path):
    window = MainWindow(store=Store.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                        today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "融資相談窓口デスク"
    shown = "\n".join(window.packs_label.lines())
    assert "令和8年度" in shown or "2026-04-01" in shown
    # Sagamihara's FY2025 guide is older than the fiscal year of the visit: said plainly.
    assert "旧年度のデータ" in window.data_status.text() and window.data_status.isVisible()
    # and still said after a message (a sheet discarded) and a menu's item hovered, whose empty
    # status tip cleared the message that said it
    window.statusBar().showMessage("受付番号 20261122-XXXXX-001 の案内書を破棄しました")
    assert not window.data_status.isVisible()   # the message covers it while it shows
    menu = window.menuBar().actions()[0].menu()   # ファイル, opened and an item hovered
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitExposed(menu)
    QTest.mouseMove(menu, menu.actionGeometry(menu.actions()[0]).center())
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "")
    menu.close()
    assert "旧年度のデータ" in window.data_status.text() and window.data_status.isVisible()


def test_a_database_on_a_network_share_is_warned_about(qtbot, catalogue_engine, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: shown.append((title, text)))
    store = Store.for_engine(catalogue_engine)
    store.warnings = ["データベース x はネットワーク上の共有フォルダ（cifs）にあります。"]
    window = MainWindow(store=store, settings=Settings(tmp_path / "s.json"), today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    assert shown[0][0] == "データベースの場所" and "cifs" in shown[0][1]


def test_an_edit_on_another_counter_shows_without_a_restart(qtbot, catalogue_engine, tmp_path):
    from desk.db import admin
    from desk.db.engine import session_factory

    window = MainWindow(store=Store.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                        today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    window.show()
    window.stepper.field("municipality").editor.setText("横須賀市")
    window.update_results()
    assert window.check_catalogue() is False
    # The administrator edits the shared catalogue from elsewhere (another engine, another process).
    admin.update_office(session_factory(catalogue_engine), "kanagawa-cgc.yokosuka", {"phone": "046-822-9999"})
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        assert window.check_catalogue() is True
    assert "データが更新されました" in window.statusBar().currentMessage()
    assert "046-822-9999" in window.results.contacts.toPlainText()


def _shown_ids(window) -> list[str]:
    """The funds the results list, in the report's order (the groups gather them otherwise:
    steps are not funds, and a circumstance's row stands for the funds made for it)."""
    model = window.results.model
    shown: set[str] = set()
    for group in range(model.rowCount()):
        for row in range(model.rowCount(model.index(group, 0))):
            index = model.index(row, 0, model.index(group, 0))
            fund, circumstance = model.fund(index), model.circumstance(index)
            shown.update([fund.id] if fund is not None else [])
            shown.update(f.id for f in (circumstance.funds if circumstance is not None else ()))
    return [f.id for f in window.results.report.funds if f.id in shown] if window.results.report else []


def test_the_window_opens_on_the_kept_first_view_and_the_engine_takes_over(qtbot, catalogue_engine, tmp_path):
    from desk.matching import first_view

    today = dt.date(2026, 11, 22)
    store = Store.for_engine(catalogue_engine)
    first = MainWindow(store=store, settings=Settings(tmp_path / "s.json"), today=today)   # the day's first start
    qtbot.addWidget(first)
    path = store.first_view_file
    engine_view = first_view.compute(store.matcher, today)
    assert first_view.load(path, store.fingerprint(), today) == engine_view
    assert _shown_ids(first) == [f.id for f in engine_view.result.funds]
    # A kept view the engine disagrees with (as if made by a desk with other rules under the
    # same stamp) is what the next window opens on, until the engine is in and rewrites it.
    first_view.save(path, engine_view._replace(result=engine_view.result._replace(
        funds=engine_view.result.funds[:1])), today)
    window = MainWindow(store=Store.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"), today=today)
    qtbot.addWidget(window)
    assert _shown_ids(window) == [engine_view.result.funds[0].id]
    with qtbot.waitSignal(window.engine_loaded, timeout=5000):
        window.show()
    assert _shown_ids(window) == [f.id for f in engine_view.result.funds]
    assert first_view.load(path, store.fingerprint(), today) == engine_view


def test_a_keystroke_before_the_engine_is_in_is_answered(qtbot, make_window):
    window = make_window(show=False)          # the engine loads once the window is shown
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.field("employees").editor.setText("18")
    assert window.results.summary.toolTip()      # matched by the engine, loaded on demand


def test_an_edit_before_the_engine_is_in_is_shown_once_it_is(qtbot, catalogue_engine, tmp_path):
    from desk.db import admin
    from desk.db.engine import session_factory

    window = MainWindow(store=Store.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                        today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    model = window.results.model
    fund = model.fund(model.index(0, 0, model.index(1, 0)))      # the first 条件付き fund
    admin.update_variant(session_factory(catalogue_engine), fund.id, {"limit_yen": 12_340_000})
    with qtbot.waitSignal(window.engine_loaded, timeout=5000):
        window.show()
    shown = {f.id: f for f in (model.fund(model.index(row, 0, model.index(1, 0)))
                               for row in range(model.rowCount(model.index(1, 0))))}
    assert shown[fund.id].limit_yen == 12_340_000
    assert window.check_catalogue() is False          # the window follows the edited catalogue now


# --- closing the window mid-consultation --------------------------------------------------------------


def test_closing_with_input_asks_and_cancel_keeps_everything(qtbot, make_window, monkeypatch):
    window = make_window()
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.field("employees").editor.setText("18")
    before = window.stepper.intake_data()
    asked = []
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: asked.append(parent) or False))
    quit_action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "終了(&Q)")
    quit_action.trigger()
    assert asked == [window] and window.isVisible() and window.stepper.intake_data() == before


def test_closing_with_input_asks_the_question_ctrl_n_asks(qtbot, make_window, monkeypatch):
    """The real question box: キャンセル keeps the window, 破棄 closes it."""
    monkeypatch.setattr(MainWindow, "ask_discard", ASK_DISCARD)   # the box itself, not the fixture's answer
    window = make_window()
    window.stepper.field("employees").editor.setText("18")
    seen = []

    def answer(button) -> None:
        box = QApplication.activeModalWidget()
        seen.append((box.windowTitle(), box.text()))
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Cancel))
    assert window.close() is False and window.isVisible()
    assert window.stepper.field("employees").value() == "18"
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Discard))
    assert window.close() is True and not window.isVisible()
    # Ctrl+N asks the very same question.
    other = make_window()
    other.stepper.field("employees").editor.setText("18")
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Cancel))
    other.menu_actions.new_action.trigger()
    assert other.stepper.field("employees").value() == "18"
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Discard))
    other.menu_actions.new_action.trigger()
    assert other.stepper.is_empty()   # (and pytest-qt's close at the end asks nothing)
    assert seen == [("入力中の相談", "入力中の内容を破棄しますか？")] * 4


def test_closing_an_empty_form_asks_nothing(qtbot, make_window, discard_when_asked):
    window = make_window()
    assert window.close() is True and discard_when_asked == []


def _sheet_saved(qtbot, window) -> None:
    """Ctrl+P, then PDFとして保存… with the mouse, then Esc: the sheet delivered."""
    from desk.ui.referral_preview import ReferralPreviewDialog

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = next(d for d in window.findChildren(ReferralPreviewDialog) if d.isVisible())
    qtbot.waitExposed(preview)
    with qtbot.waitSignal(preview.saved, timeout=5000):
        QTest.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(preview.finished, timeout=5000):
        QTest.keyClick(preview, Qt.Key.Key_Escape)


def test_after_the_sheet_is_saved_closing_and_ctrl_n_ask_nothing_until_the_next_edit(
        qtbot, make_window, discard_when_asked, tmp_path, monkeypatch):
    """The sheet printed or saved, the consultation is in the log: 「破棄しますか？」 then would
    frighten for nothing (fresh eyes were asked it right after printing). An edit after it asks again."""
    from desk.ui.referral_preview import ReferralPreviewDialog
    from tests.ui.test_referral_preview import SUPPLIER

    monkeypatch.setattr(ReferralPreviewDialog, "ask_save_path",
                        classmethod(lambda cls, parent, suggested: tmp_path / suggested))
    window = make_window()
    window.stepper.load({**SUPPLIER, "entity": "corporation"})
    _sheet_saved(qtbot, window)
    editor = window.stepper.field("business_name").editor
    editor.setFocus()
    QTest.keyClicks(editor, "X")                                                    # after the sheet
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)       # 新しい相談: asks
    assert discard_when_asked == [window] and window.stepper.is_empty()
    window.stepper.load({**SUPPLIER, "entity": "corporation"})
    _sheet_saved(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)       # asks nothing
    assert discard_when_asked == [window] and window.stepper.is_empty()
    window.stepper.load({**SUPPLIER, "entity": "corporation"})
    _sheet_saved(qtbot, window)
    assert window.close() is True and discard_when_asked == [window]                # nor does closing


def test_a_window_held_back_from_a_database_behind_it_matches_on_the_kept_copy_and_writes_nothing(
        qtbot, catalogue_engine, tmp_path, monkeypatch):
    """Issue 17 on a SQLite stand-in (tests/db/test_server_roles.py drives it on a real server): the
    box and the status bar say the line; every item that prints, logs, imports or edits says it again
    and does nothing; the retention of personal details waits too."""
    from PySide6.QtWidgets import QLabel

    from desk.cli.common import refresh_snapshot
    from desk.db.guard import MigrationNotAllowed
    from desk.ui.held_back import STATUS as BEHIND_STATUS
    from desk.ui.held_back import TITLE as BEHIND_TITLE
    from tests.ui.test_referral_preview import consultations

    settings = Settings(tmp_path / "s.json")
    settings.set("personal_retention_days", 1)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: shown.append((title, text)))
    ready = Store.for_engine(catalogue_engine)
    refresh_snapshot(ready)                    # the counter's copy, from its last start
    refused = MigrationNotAllowed("w_yokosuka", "0009", "desk_admin")
    store = Store.held_back(ready.url, refused)
    assert store.schema_behind is not None and store.schema_behind.line == str(refused)
    window = MainWindow(store=store, settings=settings, today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.engine_loaded, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    assert shown[0][0] == BEHIND_TITLE and shown[0][1].startswith(str(refused)) and "カタログの写し（" in shown[0][1]
    assert BEHIND_STATUS in [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert window.results.report is not None and window.results.report.funds   # from the kept copy
    assert window.apply_retention() == 0
    menus = window.menu_actions
    for item in (menus.referral_action, menus.open_intake_action, menus.leaflet_action, menus.admin_action,
                 menus.import_action, menus.export_action, menus.log_action):
        del shown[:]
        item.trigger()
        assert shown == [(BEHIND_TITLE, str(refused))], item.text()
    assert consultations(catalogue_engine) == 0
    ready.close()
