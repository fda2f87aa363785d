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
