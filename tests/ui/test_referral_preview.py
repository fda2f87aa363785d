"""From an intake file to a printed or saved referral sheet, in the app."""

from __future__ import annotations

import io
import json

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db.services import DatabaseUnreachable
from desk.ui.main_window import MainWindow
from desk.ui.messages import message_box
from desk.ui.referral_preview import ReferralPreviewDialog
from tests.ui.keys import type_text

SUPPLIER = {"business_name": "追浜精工", "industry": "manufacturing", "employees": 18, "municipality": "横須賀市",
            "causes": ["nissan"], "sales_change": {"last_3m_pct": -12.5}, "purposes": ["working"]}


def consultations(engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(m.Consultation))


def intake(tmp_path, data=SUPPLIER):
    path = tmp_path / "visitor.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_saving_the_sheet_keeps_the_consultation(qtbot, catalogue_engine, make_window, tmp_path, monkeypatch):
    window = make_window()
    monkeypatch.setattr(MainWindow, "ask_open_path", classmethod(lambda cls, parent: intake(tmp_path)))
    target = tmp_path / "out" / "sheet"
    monkeypatch.setattr(ReferralPreviewDialog, "ask_save_path", classmethod(lambda cls, parent, suggested: target))
    window.menu_actions.open_intake_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and dialog.pages
    assert len(dialog.pages) == len(pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save_button.click()
    assert saved.args[0] == target.with_suffix(".pdf") and target.with_suffix(".pdf").read_bytes() == dialog.pdf
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.reject()
    assert consultations(catalogue_engine) == 1
    assert dialog.reference_no in window.statusBar().currentMessage()


def test_printing_paints_every_page(qtbot, catalogue_engine, make_window, tmp_path):
    window = make_window()
    dialog = window.make_referral_from_file(intake(tmp_path))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=10000):
        dialog.print_to(printer)
    printed = pypdf.PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == len(dialog.pages)
    dialog.reject()
    assert consultations(catalogue_engine) == 1


def test_closing_the_preview_unprinted_logs_nothing(qtbot, catalogue_engine, make_window, tmp_path):
    window = make_window()
    dialog = window.make_referral_from_file(intake(tmp_path))
    assert consultations(catalogue_engine) == 1          # logged while the preview is open
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.reject()
    assert consultations(catalogue_engine) == 0
    assert "破棄しました" in window.statusBar().currentMessage()


def test_a_bad_intake_file_is_a_message_naming_the_key(qtbot, catalogue_engine, make_window, tmp_path, monkeypatch):
    window = make_window()
    shown = []
    monkeypatch.setattr(window, "notify_problem", lambda title, text: shown.append(text))
    assert window.make_referral_from_file(intake(tmp_path, {"employees": "たくさん"})) is None
    assert shown == ["visitor.json: employees: 人数を数値で指定してください（読んだ値: 'たくさん'）"]
    assert consultations(catalogue_engine) == 0


def _count_matches(monkeypatch) -> list[int]:
    from desk.matching.service import MatchService

    calls: list[int] = []
    match = MatchService.match

    def counted(self, *args, **kwargs):
        calls.append(1)
        return match(self, *args, **kwargs)

    monkeypatch.setattr(MatchService, "match", counted)
    return calls


def _form_window(qtbot, make_window):
    window = make_window()
    with qtbot.waitSignal(window.engine_loaded, timeout=5000):
        pass
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        for key, data in (("entity", "corporation"), ("industry", "manufacturing")):
            combo = window.stepper.field(key).editor
            combo.setCurrentIndex(combo.findData(data))
        window.stepper.field("municipality").editor.setText("横須賀市")
        window.stepper.field("employees").editor.setText("18")
    return window


def test_ctrl_p_prints_the_results_on_screen_without_matching_again(qtbot, catalogue_engine, make_window,
                                                                    monkeypatch):
    from desk.log.records import result_summary

    window = _form_window(qtbot, make_window)
    on_screen = window.results.report
    calls = _count_matches(monkeypatch)
    window.menu_actions.referral_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and dialog.pages and calls == []
    with Session(catalogue_engine) as s:
        record = s.scalars(select(m.Consultation)).one()
    assert record.result == result_summary(on_screen) and record.reference_no == dialog.reference_no
    dialog.reject()


def test_ctrl_p_right_after_an_edit_matches_what_the_form_shows(qtbot, make_window, monkeypatch):
    window = _form_window(qtbot, make_window)
    calls = _count_matches(monkeypatch)
    window.stepper.field("employees").editor.setText("500")   # the results have not followed yet
    window.menu_actions.referral_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and calls == [1]
    assert window.results.report is not None and window._intake is not None and window._intake.employees == 500
    dialog.reject()


def test_ctrl_p_after_an_edit_on_another_counter_uses_the_new_catalogue(qtbot, catalogue_engine, make_window):
    from desk.db import admin
    from desk.db.engine import session_factory

    window = _form_window(qtbot, make_window)
    admin.update_variant(session_factory(catalogue_engine), "kanagawa.nissan.main", {"limit_yen": 12_340_000})
    window.menu_actions.referral_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None
    report = window.results.report
    nissan = report.fund("kanagawa.nissan.main") if report is not None else None
    assert nissan is not None and nissan.limit_yen == 12_340_000
    dialog.reject()


def _refusals(window, monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(window, "notify_problem", lambda title, text: shown.append((title, text)))
    return shown


def test_ctrl_p_on_an_empty_form_is_refused_naming_what_is_missing(qtbot, catalogue_engine, make_window,
                                                                    monkeypatch):
    """Not a sheet saying 「条件に当てはまる資金はありませんでした」: a message, and the cursor on the first gap."""
    window = make_window()
    with qtbot.waitActive(window):
        window.activateWindow()
    shown = _refusals(window, monkeypatch)
    window.stepper.go_to(2)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(ReferralPreviewDialog) is None and consultations(catalogue_engine) == 0
    assert len(shown) == 1 and shown[0][0] == "案内書を作れません"
    assert all(label in shown[0][1] for label in ("「形態」", "「業種」", "「所在地」"))
    assert window.stepper.stack.currentIndex() == 0
    assert QApplication.focusWidget() is window.stepper.field("entity").editor


def test_ctrl_p_with_a_field_in_error_is_refused_and_moves_there(qtbot, catalogue_engine, make_window, monkeypatch):
    """The sheet never comes from an older snapshot: the field in error is named, marked and focused."""
    window = _form_window(qtbot, make_window)
    with qtbot.waitActive(window):
        window.activateWindow()
    shown = _refusals(window, monkeypatch)
    window.stepper.go_to(2)
    amount = window.stepper.field("amount_yen").editor
    amount.setFocus()
    type_text(amount, "2千まん")
    window.stepper.go_to(0)                                  # the error is now on another step
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(ReferralPreviewDialog) is None and consultations(catalogue_engine) == 0
    assert len(shown) == 1 and "「希望額」を読めません" in shown[0][1] and "amount_yen" not in shown[0][1]
    assert window.stepper.stack.currentIndex() == 2 and QApplication.focusWidget() is amount
    assert window.stepper.steps.item(2).text().endswith("⚠")          # the step list says where
    assert window.results.input_error.isVisible() and "希望額" in window.results.input_error.text()
    amount.clear()
    type_text(amount, "2千万")                          # read as 20,000,000 now
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.update_results()
    assert not window.results.input_error.isVisible() and not window.stepper.steps.item(2).text().endswith("⚠")
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and window._intake is not None and window._intake.amount_yen == 20_000_000
    dialog.reject()


def _type_into(qtbot, window, key: str, text: str) -> None:
    """Go to the field's step as a clerk does, and type ``text`` over what it holds."""
    stepper = window.stepper
    field = stepper.field(key)
    stepper.focus_field(key)
    field.editor.selectAll()
    with qtbot.waitSignal(window.results_updated, timeout=5000):   # the match after the keys
        type_text(field.editor, text)


def test_several_fields_in_error_are_named_all_at_once_each_with_its_step(qtbot, catalogue_engine, make_window,
                                                                         monkeypatch):
    """Fresh eyes: with three fields in error on three steps, Ctrl+P named one; fixed, it named the
    next. The refusal names every one with its step, the step list marks each step, and the line
    above the results names the others."""
    window = _form_window(qtbot, make_window)
    with qtbot.waitActive(window):
        window.activateWindow()
    shown = _refusals(window, monkeypatch)
    _type_into(qtbot, window, "amount_yen", "2千まん")                       # 3. 資金ニーズ
    _type_into(qtbot, window, "sales_change.last_1m_pct", "たくさん")         # 2. 売上
    _type_into(qtbot, window, "capital_yen", "いっせんまん")                  # 1. 事業者
    _type_into(qtbot, window, "municipality", "ぬぬぬ市")                    # 1. 事業者: no such place
    steps = window.stepper.steps   # marked as they are typed, before any Ctrl+P
    assert [steps.item(i).text().endswith("⚠") for i in range(steps.count())] == [True, True, True, False, False]
    window.stepper.go_to(4)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(ReferralPreviewDialog) is None and consultations(catalogue_engine) == 0
    assert len(shown) == 1
    said = shown[0][1]
    # Every one by name and step in the lines a message box shows, the reasons after them.
    assert said.startswith("直す項目が4つあります: 「資本金」「所在地」（1. 事業者）、"
                           "「最近1か月（前年同月比）」（2. 売上）、「希望額」（3. 資金ニーズ）\n")
    in_view = message_box(window, QMessageBox.Icon.Warning, "", said).text()
    assert all(label in in_view for label in ("「資本金」", "「所在地」", "「最近1か月（前年同月比）」", "「希望額」"))
    assert "「資本金」: 金額（円）を" in said and "「希望額」: 金額（円）を" in said and "'ぬぬぬ市'" in said
    assert [steps.item(i).text().endswith("⚠") for i in range(steps.count())] == [True, True, True, False, False]
    assert "「資本金」、「所在地」" in steps.item(0).toolTip()
    for key in ("capital_yen", "municipality", "sales_change.last_1m_pct", "amount_yen"):
        error = window.stepper.field(key).error   # under each field, on its own step
        assert not error.isHidden() and error.text()
    line = window.results.input_error.text()
    assert line.startswith("⚠ 直す項目が4つあります: 「資本金」「所在地」「最近1か月（前年同月比）」「希望額」")
    capital = window.stepper.field("capital_yen").editor
    assert window.stepper.stack.currentIndex() == 0 and QApplication.focusWidget() is capital   # the first
    _type_into(qtbot, window, "capital_yen", "1000万円")             # one fixed: the others stay named
    assert [steps.item(i).text().endswith("⚠") for i in range(steps.count())] == [True, True, True, False, False]
    assert "資本金" not in steps.item(0).toolTip() and "「所在地」" in steps.item(0).toolTip()
    for key, text in (("municipality", "横須賀市"), ("sales_change.last_1m_pct", "▲20"), ("amount_yen", "2千万")):
        _type_into(qtbot, window, key, text)
    assert not any(steps.item(i).text().endswith("⚠") for i in range(steps.count()))
    assert not window.results.input_error.isVisible()


def test_a_tokyo_visitor_through_the_window_gets_the_clis_sheet(qtbot, catalogue_engine, make_window, monkeypatch):
    """Opened from a file or typed, 東京都大田区 stays 東京都大田区: the same intake, the same match and
    the same sheet as `desk referral` (no Kanagawa place, Yokohama contacts or Sagamihara office)."""
    from desk.db.store import Store
    from desk.intake.reader import read_intake
    from desk.sheets.issuing import create_referral

    tokyo = {"entity": "corporation", "industry": "manufacturing", "employees": 12, "capital_yen": 10_000_000,
             "prefecture": "東京都", "municipality": "大田区", "postal_code": "144-0051", "purposes": ["working"],
             "amount_yen": 10_000_000, "causes": ["nissan"]}
    window = make_window()
    with qtbot.waitActive(window):
        window.activateWindow()
    with qtbot.waitSignal(window.engine_loaded, timeout=5000):
        pass
    window.stepper.load(tokyo)
    place = window.stepper.field("municipality")
    assert place.editor.text() == "東京都大田区" and place.reading.text() == "→ 東京都大田区"
    cli_intake = read_intake(tokyo).intake
    assert read_intake(window.stepper.intake_data()).intake == cli_intake
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None
    cli_report = Store.for_engine(catalogue_engine).matcher.match(cli_intake, on=window.results.report.as_of)
    assert window.results.report == cli_report
    shown = "".join(pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text().split())
    cli = create_referral(Store.for_engine(catalogue_engine).log_writer, cli_intake, cli_report,
                          settings=window.settings)
    printed = "".join(pypdf.PdfReader(io.BytesIO(cli.pdf)).pages[0].extract_text().split())
    assert "東京都大田区" in shown and "横浜市" not in shown and "相模原" not in shown
    assert shown.replace(dialog.reference_no, "") == printed.replace(cli.reference_no, "")
    dialog.reject()


def test_the_leaflet_is_made_from_the_menu_and_logs_nothing(qtbot, catalogue_engine, make_window):
    window = make_window()
    with qtbot.waitSignal(window.engine_loaded, timeout=5000):
        pass
    window.menu_actions.leaflet_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and dialog.windowTitle().startswith("チラシのプレビュー")
    text = "".join(pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text().split())
    assert "日産自動車関連対策特別融資" in text and len(dialog.pages) == 2   # the list, then the example (issue 16)
    dialog.reject()
    assert consultations(catalogue_engine) == 0            # a leaflet is not a consultation


def test_a_preview_keeps_a_note_until_it_is_delivered_or_discarded(qtbot, catalogue_engine, make_window, tmp_path):
    from desk.sheets import pending

    window = make_window()
    dialog = window.make_referral_from_file(intake(tmp_path))
    assert len(list(pending.notes_dir().glob("*.json"))) == 1      # an app killed now: removed at the next start
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=10000):
        dialog.print_to(printer)
    assert list(pending.notes_dir().glob("*.json")) == []           # delivered: the record stays
    dialog.reject()
    discarded = window.make_referral_from_file(intake(tmp_path))
    with qtbot.waitSignal(discarded.finished, timeout=5000):
        discarded.reject()
    assert list(pending.notes_dir().glob("*.json")) == [] and consultations(catalogue_engine) == 1


class ServerAway:
    """A log writer, and a catalogue fingerprint, of a shared server that stopped answering."""

    def try_insert(self, *args, **kwargs):
        raise DatabaseUnreachable("connection refused")

    delete = purge_personal = try_insert


def test_ctrl_p_with_the_shared_server_away_says_so_and_keeps_the_form(qtbot, catalogue_engine, make_window,
                                                                       monkeypatch):
    """A sheet whose number is in no log is not made: the clerk hears why, in Japanese, the input stays
    on screen for a second try, and nothing reaches stderr as a traceback."""
    window = _form_window(qtbot, make_window)
    with qtbot.waitActive(window):
        window.activateWindow()
    shown = _refusals(window, monkeypatch)
    with monkeypatch.context() as away:
        away.setattr(window.services, "log_writer", ServerAway())
        away.setattr(window.services, "fingerprint", ServerAway().try_insert)
        QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert window.findChild(ReferralPreviewDialog) is None and consultations(catalogue_engine) == 0
        assert len(shown) == 1 and shown[0][0] == "案内書を作れません"
        assert shown[0][1].startswith(DatabaseUnreachable.TEXT) and "入力はそのまま残っています" in shown[0][1]
        assert window.stepper.field("municipality").editor.text() == "横須賀市"
        assert window.check_catalogue() is False   # the window's check every 30 s: said on the status bar
        assert window.statusBar().currentMessage().startswith(DatabaseUnreachable.TEXT)
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)   # the server back
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and consultations(catalogue_engine) == 1
    dialog.reject()


def test_a_preview_closed_unprinted_while_the_server_is_away_is_said_and_left_to_the_next_start(
        qtbot, catalogue_engine, make_window, monkeypatch):
    window = _form_window(qtbot, make_window)
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = window.findChild(ReferralPreviewDialog)
    assert preview is not None and consultations(catalogue_engine) == 1
    with monkeypatch.context() as away:
        away.setattr(window.services.log_writer, "delete", ServerAway().try_insert)
        with qtbot.waitSignal(preview.finished, timeout=5000):
            preview.reject()
    said = window.statusBar().currentMessage()
    assert "破棄しました" in said and "次の起動時に取り消します" in said
    assert consultations(catalogue_engine) == 1   # removed by the next start's recovery (desk.sheets.pending)
