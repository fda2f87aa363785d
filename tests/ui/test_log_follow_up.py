"""The log window: what became of a consultation entered, the monthly report written off the GUI
thread, the counts drawn as a chart."""

from __future__ import annotations

import datetime as dt

import pypdf
from PySide6.QtCore import QDate
from PySide6.QtGui import QImage

from desk.db.store import Store
from desk.ui.log_dialog import ConsultationLogDialog
from desk.ui.log_questions import FollowUpAnswer, FollowUpDialog, MonthlyReportDialog, ReportRequest
from tests import synthetic_log
from tests.synthetic_log import made


def filled(engine, count=60):
    synthetic_log.fill_engine(engine, made(count))
    return Store.for_engine(engine).log


def test_a_follow_up_is_entered_from_the_log(qtbot, empty_engine, monkeypatch):
    log = filled(empty_engine)
    dialog = ConsultationLogDialog(log)
    qtbot.addWidget(dialog)
    assert not dialog.follow_up_button.isEnabled()
    dialog.table.selectRow(1)
    asked = []

    def ask(cls, parent, number, *, status="", day="", consulted_on=""):
        asked.append((number, status, day))
        assert consulted_on == dialog.model.rows[1]["day"]
        return FollowUpAnswer("executed", dt.date(2026, 12, 1))

    monkeypatch.setattr(FollowUpDialog, "ask", classmethod(ask))
    number = dialog.model.rows[1]["reference_no"]
    assert dialog.follow_up_button.isEnabled()
    dialog.follow_up_button.click()
    assert asked == [(number, "", "")]
    assert dialog.model.rows[1]["follow_up"] == "実行（2026-12-01）" and "実行" in dialog.note.text()
    column = [key for key, _ in dialog.model.columns].index("follow_up")
    assert dialog.model.index(1, column).data() == "実行（2026-12-01）"
    dialog.follow_up_button.click()                     # asked again with what is there
    assert asked[-1] == (number, "executed", "2026-12-01")


def test_the_follow_up_dialog_hands_back_what_was_chosen(qtbot):
    dialog = FollowUpDialog("20261201-AAAAA-001", status="declined", day="2026-11-30")
    qtbot.addWidget(dialog)
    assert dialog.answer() == FollowUpAnswer("declined", dt.date(2026, 11, 30))
    dialog.status.setCurrentIndex(dialog.status.count() - 1)        # back to not entered
    assert dialog.answer() == FollowUpAnswer(None, None) and not dialog.day.isEnabled()


def test_the_follow_up_dialog_starts_with_nothing_chosen_and_ok_waits_for_a_choice(qtbot):
    """A hurried OK records nothing: no status is chosen until staff choose one."""
    dialog = FollowUpDialog("20261201-AAAAA-001", consulted_on="2026-11-20")
    qtbot.addWidget(dialog)
    assert dialog.status.currentIndex() == -1 and not dialog.ok.isEnabled()
    assert dialog.status.findData("") == -1          # nothing to clear
    dialog.accept()                                  # Enter on the disabled OK
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.status.setCurrentIndex(dialog.status.findData("applied"))
    assert dialog.ok.isEnabled() and dialog.day.isEnabled()
    # A record that has one starts from it.
    kept = FollowUpDialog("20261201-AAAAA-001", status="executed", day="2026-12-01", consulted_on="2026-11-20")
    qtbot.addWidget(kept)
    assert kept.status.currentData() == "executed" and kept.ok.isEnabled()


def test_the_follow_up_dialog_refuses_a_day_before_the_consultation(qtbot):
    dialog = FollowUpDialog("20261201-AAAAA-001", status="applied", day="2026-12-01", consulted_on="2026-11-20")
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled() and dialog.problem.isHidden()
    dialog.day.setDate(QDate(2026, 11, 19))
    assert not dialog.ok.isEnabled() and not dialog.problem.isHidden()
    assert dialog.problem.text() == "その日（2026-11-19）は相談日（2026-11-20）より前です"
    dialog.day.setDate(QDate(2026, 11, 20))                 # the same day is fine
    assert dialog.ok.isEnabled() and dialog.problem.isHidden()


def test_the_log_says_when_the_database_refuses_an_early_follow_up(qtbot, empty_engine, monkeypatch):
    log = filled(empty_engine)
    dialog = ConsultationLogDialog(log)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    consulted_on = dt.date.fromisoformat(dialog.model.rows[0]["day"])
    early = consulted_on - dt.timedelta(days=1)
    monkeypatch.setattr(FollowUpDialog, "ask", classmethod(lambda cls, *a, **k: FollowUpAnswer("applied", early)))
    said = []
    monkeypatch.setattr(dialog, "notify_problem", lambda title, text: said.append(text))
    assert not dialog.record_follow_up()
    assert said == [f"その日（{early}）は相談日（{consulted_on}）より前です。"]
    assert dialog.model.rows[0]["follow_up"] == ""


def test_the_monthly_report_is_written_from_the_log(qtbot, empty_engine, tmp_path, monkeypatch):
    log = filled(empty_engine)
    dialog = ConsultationLogDialog(log)
    qtbot.addWidget(dialog)
    request = ReportRequest("2022-04", tmp_path / "report.pdf", tmp_path / "report.csv")
    monkeypatch.setattr(MonthlyReportDialog, "ask", classmethod(lambda cls, parent: request))
    job = dialog.write_monthly_report()
    assert job is not None and not dialog.report_button.isEnabled()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert dialog.report_button.isEnabled() and "2022年4月 相談実績報告" in dialog.note.text()
    assert len(pypdf.PdfReader(str(request.pdf)).pages) in (1, 2)
    assert request.csv is not None and request.csv.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_report_dialog_offers_last_month(qtbot):
    dialog = MonthlyReportDialog(today=dt.date(2026, 1, 15))
    qtbot.addWidget(dialog)
    assert dialog.chosen_month() == "2025-12" and dialog.with_csv.isChecked()


def test_the_counts_are_drawn(qtbot, empty_engine):
    log = filled(empty_engine, 300)
    dialog = ConsultationLogDialog(log)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.counted):
        pass
    chart = dialog.chart
    assert chart.days == list(log.counts().per_day.items())[-14:] and max(n for _, n in chart.days) > 50
    assert [c for c, _ in chart.causes] and chart.sizeHint().height() > 0
    image = QImage(600, chart.sizeHint().height(), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    chart.resize(600, chart.sizeHint().height())
    chart.render(image)
    colours = {image.pixel(x, y) for x in range(0, 600, 3) for y in range(0, image.height(), 3)}
    assert 0xFF3B6EA8 in colours and 0xFFE39A3B in colours        # both kinds of bars drawn
    dialog.search.setText("該当しない文字")
    assert chart.days == [] and all(n == 0 for _, n in chart.causes)   # another search's bars gone at once
    with qtbot.waitSignal(dialog.counted):
        pass
    assert chart.days == [] and all(n == 0 for _, n in chart.causes)
