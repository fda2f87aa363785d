"""The consultation log window: search, counts, CSV."""

from __future__ import annotations

import datetime as dt

from desk.db.consultations import record_consultation
from desk.db.engine import session_factory
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.ui.log_dialog import ConsultationLogDialog, LogTableModel
from tests import answers

REPORT = answers.report()
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


def log(engine, name, causes):
    record_consultation(session_factory(engine), intake=read_intake({"business_name": name, "causes": causes}).intake,
                        report=REPORT, device="6f1c2a9e-0000-4000-8000-000000000000", window_name="窓口",
                        staff_name=None, now=NOW)


def test_the_log_searches_counts_and_exports(qtbot, qtmodeltester, empty_engine, tmp_path, monkeypatch):
    log(empty_engine, "追浜精工", ["nissan"])
    log(empty_engine, "橋本商店", ["materials"])
    dialog = ConsultationLogDialog(Store.for_engine(empty_engine).log)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 2 and "2 件" in dialog.counts.text()
    dialog.search.setText("追浜")
    assert dialog.model.rowCount() == 1 and "日産自動車" in dialog.counts.text()
    target = tmp_path / "log.csv"
    monkeypatch.setattr(ConsultationLogDialog, "ask_export_path", classmethod(lambda cls, parent: target))
    dialog.export_button.click()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") and "追浜精工" in target.read_text(encoding="utf-8-sig")


def test_the_table_model_passes_the_model_tester(qtmodeltester):
    model = LogTableModel()
    qtmodeltester.check(model)
    model.set_rows([{key: "x" for key in ("reference_no", "created_at", "window_name", "staff_name", "business_name",
                                           "industry", "municipality", "causes", "eligible", "conditional")}])
    qtmodeltester.check(model)
