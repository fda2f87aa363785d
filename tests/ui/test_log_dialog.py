"""The consultation log window: search, counts, CSV; a record opened read-only and its sheet printed again."""

from __future__ import annotations

import datetime as dt

import pypdf
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from sqlalchemy import update
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db.consultations import record_consultation
from desk.db.engine import session_factory
from desk.db.services import LOG_COLUMNS, DatabaseUnreachable, LogFilter
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.settings import Settings
from desk.ui import geometry
from desk.ui.geometry import DECORATION
from desk.ui.log_dialog import ConsultationLogDialog
from desk.ui.log_table import PAGE_ROWS, LogTableModel
from desk.ui.record_dialog import ConsultationRecordDialog
from desk.ui.referral_preview import ReferralPreviewDialog
from tests import answers
from tests.sheets.test_referral import SUPPLIER
from tests.ui.keys import type_text

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
    with qtbot.waitSignal(dialog.counted):
        pass
    assert dialog.model.rowCount() == 2 and "相談件数 2 件　相談事業者数 2 者" in dialog.counts.text()
    with qtbot.waitSignal(dialog.counted):
        dialog.search.setText("追浜")
    assert dialog.model.rowCount() == 1 and "日産自動車" in dialog.counts.text()
    assert "相談件数 1 件　相談事業者数 1 者" in dialog.counts.text()
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


# --- a record opened read-only, its sheet printed again ---------------------------------------------------

ON = dt.date(2026, 11, 22)


def issued(store, settings, **extra):
    """A consultation as Ctrl+P logs it: matched on ON, its sheet made (and so its match kept)."""
    from desk.sheets.issuing import create_referral

    intake = read_intake({**SUPPLIER, **extra}).intake
    return create_referral(store.log_writer, intake, store.matcher.match(intake, on=ON), settings=settings)


def select_row(qtbot, dialog, row: int) -> None:
    rect = dialog.table.visualRect(dialog.model.index(row, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def saved_text(qtbot, preview, target) -> str:
    with qtbot.waitSignal(preview.saved, timeout=10_000):
        qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(preview.finished, timeout=5000):
        preview.reject()
    reader = pypdf.PdfReader(str(target.with_suffix(".pdf")))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def logged(catalogue_engine, tmp_path):
    store = Store.for_engine(catalogue_engine)
    settings = Settings(tmp_path / "s.json", {"staff_name": "窓口 太郎"})
    yield store, settings
    store.close()


def test_the_reprint_button_prints_the_sheet_again_on_the_same_record(qtbot, logged, tmp_path, monkeypatch):
    store, settings = logged
    first = issued(store, settings)
    issued(store, settings, business_name="橋本商店")
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.reprint_button.isEnabled() and not dialog.open_button.isEnabled()   # nothing chosen yet
    row = next(i for i, r in enumerate(dialog.model.rows) if r["reference_no"] == first.reference_no)
    select_row(qtbot, dialog, row)
    assert dialog.reprint_button.isEnabled() and dialog.selected_id() == first.consultation_id
    target = tmp_path / "again"
    monkeypatch.setattr(ReferralPreviewDialog, "ask_save_path", classmethod(lambda cls, parent, suggested: target))
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    preview = dialog.findChild(ReferralPreviewDialog)
    assert preview is not None and preview.isVisible() and first.reference_no in preview.windowTitle()
    text = saved_text(qtbot, preview, target)
    assert "再発行" in text and f"令和8年11月22日（2026年）受付番号{first.reference_no}再発行" in text
    assert "追浜精工株式会社" in text and "日産自動車関連対策特別融資" in text and "8,000万円" in text
    assert store.log.counts().total == 2 and dialog.model.rowCount() == 2        # no new consultation
    record = store.log.record(first.consultation_id)
    assert record.reprint_count == 1 and record.reprinted_at is not None
    assert first.reference_no in dialog.note.text() and "1 回目" in dialog.note.text()


def test_a_reprint_closed_unprinted_is_not_counted(qtbot, logged):
    store, settings = logged
    first = issued(store, settings)
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    select_row(qtbot, dialog, 0)
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    preview = dialog.findChild(ReferralPreviewDialog)
    with qtbot.waitSignal(preview.finished, timeout=5000):
        preview.reject()
    assert store.log.record(first.consultation_id).reprint_count == 0 and store.log.counts().total == 1


def test_a_record_opens_read_only_and_reprints_from_there(qtbot, logged, tmp_path, monkeypatch):
    store, settings = logged
    first = issued(store, settings, visitor_name="山田 太郎")
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    rect = dialog.table.visualRect(dialog.model.index(0, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    record_view = dialog.findChild(ConsultationRecordDialog)
    assert record_view is not None and record_view.isVisible()
    assert record_view.value("受付番号") == first.reference_no and record_view.value("ご来訪者") == "山田 太郎"
    assert "日産自動車関連対策特別融資" in record_view.value("対象の資金") and record_view.value("再発行") == "なし"
    assert not record_view.findChildren(QLineEdit)                  # nothing to edit
    target = tmp_path / "again"
    monkeypatch.setattr(ReferralPreviewDialog, "ask_save_path", classmethod(lambda cls, parent, suggested: target))
    qtbot.mouseClick(record_view.reprint_button, Qt.MouseButton.LeftButton)
    preview = record_view.findChild(ReferralPreviewDialog)
    assert "再発行" in saved_text(qtbot, preview, target)
    assert record_view.value("再発行").startswith("1 回（最後 ")
    assert store.log.counts().total == 1 and "1 回目" in dialog.note.text()


def test_a_purged_visitor_name_shows_and_prints_as_deleted(qtbot, logged, tmp_path, monkeypatch):
    store, settings = logged
    first = issued(store, settings, visitor_name="山田 太郎", visitor_phone="090-1234-5678")
    assert store.log_writer.purge_personal(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)) == 1
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    select_row(qtbot, dialog, 0)
    record_view = dialog.open_record()
    assert record_view.value("ご来訪者") == "（削除済み）" and record_view.value("ご来訪者の電話") == "（削除済み）"
    target = tmp_path / "again"
    monkeypatch.setattr(ReferralPreviewDialog, "ask_save_path", classmethod(lambda cls, parent, suggested: target))
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    text = saved_text(qtbot, dialog.findChild(ReferralPreviewDialog), target)
    assert "ご来訪者（削除済み）" in text and "山田" not in text and first.reference_no in text


def test_a_record_without_its_sheet_says_why_it_cannot_be_reprinted(qtbot, logged, catalogue_engine, monkeypatch):
    store, settings = logged
    first = issued(store, settings)
    with Session(catalogue_engine) as session, session.begin():   # as a record made before 0006
        session.execute(update(m.Consultation).values(report=None))
    told = []
    monkeypatch.setattr(ConsultationLogDialog, "notify_problem", lambda self, title, text: told.append((title, text)))
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    select_row(qtbot, dialog, 0)
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    assert told and told[0][0] == "再発行できません" and "残っていません" in told[0][1]
    assert dialog.findChild(ReferralPreviewDialog) is None
    assert store.log.record(first.consultation_id).reprint_count == 0


def test_a_long_window_name_does_not_push_the_other_columns_off(qtbot, empty_engine):
    long_name = "神奈川県 金融課 金融相談窓口（日産自動車関連 特別相談窓口）"
    record_consultation(session_factory(empty_engine), intake=read_intake({"business_name": "追浜精工"}).intake,
                        report=REPORT, device="6f1c2a9e-0000-4000-8000-000000000000", window_name=long_name,
                        staff_name=None, now=NOW)
    dialog = ConsultationLogDialog(Store.for_engine(empty_engine).log)
    qtbot.addWidget(dialog)
    dialog.show()
    column = [key for key, _ in LOG_COLUMNS].index("window_name")
    header = dialog.table.horizontalHeader()
    assert header.sectionSize(column) < dialog.table.fontMetrics().horizontalAdvance(long_name)
    assert dialog.model.index(0, column).data(Qt.ItemDataRole.ToolTipRole) == long_name


def test_the_log_shows_its_first_page_and_fetches_more_as_staff_scroll(qtbot, qtmodeltester, empty_engine,
                                                                      monkeypatch):
    from tests import synthetic_log

    rows = list(synthetic_log.consultations(450))
    for row in rows:
        row["report"] = b"x"
    synthetic_log.fill_engine(empty_engine, rows)
    service = Store.for_engine(empty_engine).log
    asked: list[int | None] = []
    real_page = service.page
    monkeypatch.setattr(service, "page", lambda where, **kw: asked.append(kw.get("limit")) or real_page(where, **kw))
    dialog = ConsultationLogDialog(service)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == PAGE_ROWS and asked == [PAGE_ROWS]
    with qtbot.waitSignal(dialog.counted):
        pass
    assert "450 件" in dialog.counts.text()                     # counted by the database, not the rows shown
    businesses = service.counts().businesses                    # the synthetic visitors come back
    assert 0 < businesses < 450 and f"相談事業者数 {businesses:,} 者" in dialog.counts.text()
    dialog.show()
    qtbot.waitExposed(dialog)
    while dialog.model.canFetchMore():
        dialog.table.scrollToBottom()
        qtbot.waitUntil(lambda: len(asked) > 1)
        qtbot.wait(10)
        if dialog.model.rowCount() == 450:
            break
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 450)
    assert all(limit == PAGE_ROWS for limit in asked) and len(asked) == 3
    ids = [dialog.model.rows[i]["id"] for i in range(450)]
    assert len(set(ids)) == 450 and ids == [r["id"] for r in real_page().rows]
    qtmodeltester.check(dialog.model)
    dialog.search.setText("精工")                                 # a search starts again at its first page
    assert 0 < dialog.model.rowCount() <= PAGE_ROWS and asked[-1] == PAGE_ROWS


def test_the_first_page_shows_at_once_and_the_counts_follow_for_the_search_as_it_stands(qtbot, empty_engine):
    """At 10^6 records the counts took 1.5 s and the window waited for them: now the rows come first,
    the counts after, from another thread, and a search typed on meanwhile is the one counted."""
    import threading

    from desk.ui import log_dialog

    log(empty_engine, "追浜精工", ["nissan"])
    log(empty_engine, "橋本商店", ["materials"])
    service = Store.for_engine(empty_engine).log
    release, asked = threading.Event(), []
    real_counts = service.counts

    def slow_counts(where):
        asked.append(where.text)
        release.wait(5)
        return real_counts(where)

    service.counts = slow_counts   # type: ignore[method-assign]
    dialog = ConsultationLogDialog(service)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2 and dialog.counts.text() == log_dialog.COUNTING
    qtbot.waitUntil(lambda: asked == [None])          # counting the whole log, in the background
    dialog.search.setText("追浜")                       # typed on while it counts
    assert dialog.model.rowCount() == 1 and dialog.counts.text() == log_dialog.COUNTING
    with qtbot.waitSignal(dialog.counted, timeout=10_000):
        release.set()
    assert asked == [None, "追浜"] and "相談件数 1 件" in dialog.counts.text()   # the stale count never shown


@pytest.fixture
def largest_text():
    """The application's font at the settings' largest size (24 pt), put back afterwards."""
    before = QApplication.font()
    font = QApplication.font()
    font.setPointSize(24)
    QApplication.setFont(font)
    yield
    QApplication.setFont(before)


def test_at_the_largest_size_on_a_laptop_a_record_is_whole_in_the_table(qtbot, empty_engine, largest_text,
                                                                       monkeypatch):
    """At 24 pt the chart and the counts left the table part of one record under its headings."""
    laptop = QRect(0, 0, 1366, 768)
    monkeypatch.setattr(geometry, "available_area", lambda widget: laptop)
    log(empty_engine, "追浜精工", ["nissan"])
    log(empty_engine, "橋本商店", ["materials"])
    dialog = ConsultationLogDialog(Store.for_engine(empty_engine).log)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= laptop.height() - DECORATION.top() - DECORATION.bottom()
    viewport = dialog.table.viewport().rect()
    rows = [dialog.table.visualRect(dialog.model.index(row, 0)) for row in range(dialog.model.rowCount())]
    whole = [row for row in rows if viewport.contains(row)]
    assert len(whole) >= 2, (viewport, rows)
    assert dialog.chart.height() >= dialog.chart.sizeHint().height()   # and no bar of the chart cut


# --- a database that stops answering; the keyboard --------------------------------------------------------


class SwitchedOff:
    """The log's service, with the database switched off (``down``) and on again."""

    def __init__(self, service):
        self._service = service
        self.down = False

    def __getattr__(self, name):
        ask = getattr(self._service, name)

        def asking(*args, **kwargs):
            if self.down:
                raise DatabaseUnreachable("connection refused")
            return ask(*args, **kwargs)

        return asking


def test_a_database_that_stops_answering_is_said_and_leaves_no_other_searchs_rows(qtbot, empty_engine):
    """A stopped server left the last search's rows under the new one, said nothing and put a
    traceback on stderr: the rows go, the window says why under the search, and a search typed once
    the server is back reads again."""
    log(empty_engine, "追浜精工", ["nissan"])
    log(empty_engine, "橋本商店", ["materials"])
    service = SwitchedOff(Store.for_engine(empty_engine).log)
    dialog = ConsultationLogDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.counted):
        pass
    select_row(qtbot, dialog, 0)
    service.down = True
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)   # the record's window says why it is empty
    record = dialog.findChild(ConsultationRecordDialog)
    assert record.isVisible() and not record.reprint_button.isEnabled()
    said = [label.text() for label in record.findChildren(QLabel)]
    assert f"この相談記録を読めません。{DatabaseUnreachable.TEXT}" in said
    record.reject()
    type_text(dialog.search, "追")
    assert dialog.model.rowCount() == 0 and dialog.problem.isVisible()
    assert dialog.problem.text().startswith(DatabaseUnreachable.TEXT) and "F5" in dialog.problem.text()
    assert not dialog.open_button.isEnabled()
    service.down = False
    with qtbot.waitSignal(dialog.counted):
        type_text(dialog.search, "浜")
    assert dialog.model.rowCount() == 1 and not dialog.problem.isVisible()
    assert "相談件数 1 件" in dialog.counts.text()


def test_a_next_page_the_database_does_not_give_ends_the_fetching_and_says_so(qtbot, empty_engine):
    for name in ("一", "二", "三", "四", "五"):
        log(empty_engine, name, ["nissan"])
    service = SwitchedOff(Store.for_engine(empty_engine).log)
    model = LogTableModel(service=service, page_rows=2)
    model.show(LogFilter())
    assert model.rowCount() == 2 and model.canFetchMore()
    service.down = True
    with qtbot.waitSignal(model.unreachable) as said:
        model.fetchMore()
    assert said.args[0] == f"続きを読めませんでした: {DatabaseUnreachable.TEXT}"
    assert not model.canFetchMore() and model.rowCount() == 2   # no query at every scroll after


def test_enter_on_a_record_opens_it_once(qtbot, logged):
    """Enter opened two windows of the same record: the table's and the dialog's default button."""
    store, settings = logged
    issued(store, settings)
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    select_row(qtbot, dialog, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    opened = dialog.findChildren(ConsultationRecordDialog)
    assert len(opened) == 1 and opened[0].isVisible()
    # Nor did the same Enter press the record window's 案内書を再発行… (a default button of a child
    # window is one QDialog presses too).
    assert dialog.findChild(ReferralPreviewDialog) is None


def test_a_new_search_shows_its_newest_record_first_not_the_old_scrolled_place(qtbot, empty_engine):
    for i in range(60):
        log(empty_engine, f"商店{i:02d}", ["nissan"])
    dialog = ConsultationLogDialog(Store.for_engine(empty_engine).log)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.table.verticalScrollBar().setValue(dialog.table.verticalScrollBar().maximum())
    assert dialog.table.rowAt(0) > 0
    type_text(dialog.search, "商店")
    assert dialog.table.verticalScrollBar().value() == 0 and dialog.table.rowAt(0) == 0


def test_at_24_pt_staff_can_give_the_records_the_room_of_the_counts(qtbot, logged):
    """At 24 pt the chart and the counts left the table two records, with no way to give it more: a
    handle between them gives the table the counts' room, and the counts can be put away."""
    from PySide6.QtGui import QFont

    store, settings = logged
    issued(store, settings)
    font = QFont(QApplication.font())
    font.setPointSize(24)
    QApplication.setFont(font)
    dialog = ConsultationLogDialog(store.log, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before, chart = dialog.table.height(), dialog.chart.height()
    handle = dialog.split.handle(1)
    assert dialog.split.widget(0) is dialog.table and dialog.split.isAncestorOf(dialog.counts)
    assert not dialog.split.isCollapsible(0) and dialog.split.isCollapsible(1)
    total = sum(dialog.split.sizes())
    dialog.split.moveSplitter(total, 1)   # as the handle dragged to the bottom does
    assert dialog.table.height() > before + chart and dialog.split.sizes()[1] == 0
    assert handle.isVisible()   # and the counts come back by the same handle


def test_a_reprint_saved_while_the_server_is_away_says_its_count_is_missing(qtbot, logged, tmp_path, monkeypatch):
    store, settings = logged
    issued(store, settings)
    service = SwitchedOff(store.log)
    dialog = ConsultationLogDialog(service, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    problems = []
    monkeypatch.setattr(dialog, "notify_problem", lambda title, text: problems.append((title, text)))
    select_row(qtbot, dialog, 0)
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    preview = dialog.findChild(ReferralPreviewDialog)
    monkeypatch.setattr(ReferralPreviewDialog, "ask_save_path", classmethod(lambda cls, parent, s: tmp_path / "x"))
    service.down = True
    saved_text(qtbot, preview, tmp_path / "x")
    assert [title for title, _ in problems] == ["再発行の回数を記録できません"]
    assert "案内書は再発行されましたが" in problems[0][1]


def test_a_reprint_asked_for_while_the_server_is_away_is_refused_from_the_log_and_from_the_record(qtbot, logged,
                                                                                                 monkeypatch):
    """The record window's 再発行 met a server gone between its opening and the click as a traceback:
    the shared reissue says it, for both windows."""
    store, settings = logged
    issued(store, settings)
    service = SwitchedOff(store.log)
    dialog = ConsultationLogDialog(service, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    select_row(qtbot, dialog, 0)
    record = dialog.open_record()
    problems = []
    for window in (dialog, record):
        monkeypatch.setattr(window, "notify_problem", lambda title, text: problems.append((title, text)))
    service.down = True
    qtbot.mouseClick(record.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    assert problems == [("再発行できません", DatabaseUnreachable.TEXT)] * 2
    assert dialog.findChild(ReferralPreviewDialog) is None
