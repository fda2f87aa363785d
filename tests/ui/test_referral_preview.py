"""From an intake file to a printed or saved referral sheet, in the app."""

from __future__ import annotations

import io
import json

import pypdf
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.ui.main_window import MainWindow
from desk.ui.referral_preview import ReferralPreviewDialog

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
    window.open_intake_action.trigger()
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
        window.stepper.field("employees").editor.setText("18")
    return window


def test_ctrl_p_prints_the_results_on_screen_without_matching_again(qtbot, catalogue_engine, make_window,
                                                                    monkeypatch):
    from desk.log.records import result_summary

    window = _form_window(qtbot, make_window)
    on_screen = window.results.report
    calls = _count_matches(monkeypatch)
    window.referral_action.trigger()
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
    window.referral_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and calls == [1]
    assert window.results.report is not None and window._intake is not None and window._intake.employees == 500
    dialog.reject()


def test_ctrl_p_after_an_edit_on_another_counter_uses_the_new_catalogue(qtbot, catalogue_engine, make_window):
    from desk.db import admin
    from desk.db.engine import session_factory

    window = _form_window(qtbot, make_window)
    admin.update_variant(session_factory(catalogue_engine), "kanagawa.nissan.main", {"limit_yen": 12_340_000})
    window.referral_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None
    report = window.results.report
    nissan = report.fund("kanagawa.nissan.main") if report is not None else None
    assert nissan is not None and nissan.limit_yen == 12_340_000
    dialog.reject()
