"""The consultation log: search, counts per day and per cause (in words and as a chart), CSV for the
prefecture, the monthly report; what became of a consultation (その後) entered; a record opened
read-only (:mod:`desk.ui.record_dialog`) and its sheet printed again."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.db.services import LOG_COLUMNS, DatabaseUnreachable, FollowUpTooEarly, LogCounts, LogFilter
from desk.fileio import describe
from desk.settings import Settings
from desk.ui import look
from desk.ui.background import BackgroundJob, run_in_background
from desk.ui.geometry import fit_to_screen
from desk.ui.log_chart import LogCountsChart
from desk.ui.log_questions import FollowUpDialog, MonthlyReportDialog
from desk.ui.log_table import LogTableModel
from desk.ui.messages import message_box
from desk.ui.rows_model import RowRole
from desk.ui.value_guard import guard_values

if TYPE_CHECKING:
    from desk.db.services import LogService
    from desk.ui.record_dialog import ConsultationRecordDialog
    from desk.ui.referral_preview import ReferralPreviewDialog


# The counts wait for typing to pause this long: over a million records they take a second or more,
# and a search typed a letter at a time asked for them at every letter.
COUNT_PAUSE_MS = 250
COUNTING = "相談件数を集計しています…"



class ConsultationLogDialog(QDialog):
    """The records that match the search, newest first, with their counts; the CSV holds the same records.

    The first page is shown at once; the counts and the chart follow from a background thread
    (over a million records they took 1.5 s, and the window waited for them)."""

    counted = Signal()   # the counts and the chart show the search as it stands

    def __init__(self, service: LogService, parent: QWidget | None = None, *, settings: Settings | None = None):
        """``settings``: the window name, phone and font a reprinted sheet uses (the saved ones when not given)."""
        super().__init__(parent)
        self._service = service
        self._settings = settings or Settings.load()
        self.setWindowTitle("相談記録")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("受付番号・事業者名・所在地・担当で検索")
        self.search.textChanged.connect(self._search_changed)
        # After a database that did not answer, a search is read once typing pauses: not a connection
        # tried, and waited for, at every letter.
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(COUNT_PAUSE_MS)
        self._retry_timer.timeout.connect(self.refresh)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_PAUSE_MS)
        self._count_timer.timeout.connect(self._count)
        self._counting: BackgroundJob | None = None
        self._counted_for: LogFilter | None = None   # what the counts on screen are for
        self.model = LogTableModel(self, service=service)
        self.model.unreachable.connect(self._say_unreachable)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A window's long name (神奈川県 金融課 …（日産自動車関連 特別相談窓口）) pushed every other
        # column off the dialog: it gets a fixed share and is cut, whole in its tooltip.
        window_column = [key for key, _ in LOG_COLUMNS].index("window_name")
        header.setSectionResizeMode(window_column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(window_column, 14 * self.table.fontMetrics().averageCharWidth() * 2)
        # A record at a time, read-only: a double-click or Enter opens it.
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.activated.connect(lambda _index: self.open_record())
        self.open_button = QPushButton("開く…", self)
        self.open_button.setToolTip("選んだ相談記録を表示します（閲覧のみ）")
        self.open_button.clicked.connect(self.open_record)
        self.reprint_button = QPushButton("案内書を再発行…", self)
        self.reprint_button.setToolTip("選んだ相談の案内書を、発行したときの内容で印刷・保存します（新しい相談にはなりません）")
        self.reprint_button.clicked.connect(self.reprint)
        self.follow_up_button = QPushButton("その後を記録…", self)
        self.follow_up_button.setToolTip("選んだ相談のその後（申込済・実行・謝絶・未定）と日付を記録します")
        self.follow_up_button.clicked.connect(self.record_follow_up)
        self.report_button = QPushButton("月次報告…", self)
        self.report_button.setToolTip("月ごとの相談件数・相談事業者数の報告（PDF、A4）と同じ数字の CSV を書き出します")
        self.report_button.clicked.connect(self.write_monthly_report)
        self.table.selectionModel().selectionChanged.connect(self._follow_selection)
        self.model.modelReset.connect(self._follow_selection)
        self.note = QLabel(self)
        self.problem = QLabel(self)   # the database not answering (_say_unreachable)
        self.problem.setWordWrap(True)
        look.mark(self.problem, look.ERROR, strong=True)
        self.problem.hide()
        self.chart = LogCountsChart(self)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.personal = QCheckBox("個人情報（来訪者の氏名・電話）を含める", self)
        self.export_button = QPushButton("CSVに書き出す…", self)
        self.export_button.clicked.connect(self.export_with_dialog)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.reprint_button)
        top.addWidget(self.follow_up_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.personal)
        bottom.addStretch(1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.report_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        # Enter on a record opens it (the table's activated): a default button would open it a second
        # time, as QDialog presses it for the same Enter the table passed on.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        # What was just done (reprinted, written, recorded) is said beside 閉じる, not on a line of its
        # own under the table: at 24 pt that empty line was a record's height the table went without.
        self.note.setWordWrap(True)
        closing = QHBoxLayout()
        closing.addWidget(self.note, 1)
        closing.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        # The counts under the records, a handle between: at 24 pt on a laptop the chart and the counts
        # left the table two records; staff drag the handle down (or the counts away) to see more.
        # The counts' pane scrolls rather than squeeze them: a splitter gives a wrapped label less height
        # than its lines, and at 24 pt the counts were drawn over the chart.
        counted = QWidget()
        counted_layout = QVBoxLayout(counted)
        counted_layout.setContentsMargins(0, 0, 0, 0)
        counted_layout.addWidget(self.chart)
        counted_layout.addWidget(self.counts)
        counted_layout.addStretch(1)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.counts_pane = QScrollArea(self)
        self.counts_pane.setWidget(counted)
        self._counted_box = counted
        self.counts_pane.setWidgetResizable(True)
        self.counts_pane.setFrameShape(QFrame.Shape.NoFrame)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.setHandleWidth(max(8, self.fontMetrics().height() // 2))   # Fusion's 6 px was hard to hit
        self.split.addWidget(self.table)
        self.split.addWidget(self.counts_pane)
        self.split.setCollapsible(0, False)
        self.split.setStretchFactor(0, 1)
        layout.addWidget(self.split, 1)
        layout.addLayout(bottom)
        layout.addLayout(closing)
        guard_values(self)   # a filter added here later (a date, a kind) keeps its value under the wheel
        # At 24 pt the chart, the counts and the buttons took 600 px and left the table part of one
        # record under its headings: it keeps one whole record and its scroll bar at any size, and
        # the dialog asks for a laptop's height (fit_to_screen gives at most the screen's).
        self.table.setMinimumHeight(self._table_height(rows=1))
        fit_to_screen(self, QSize(1100, 720))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)   # F5: read again
        self._shared = False   # the split between the records and the counts (_share_the_height)
        self.refresh()
        self._follow_selection()

    def _share_the_height(self) -> None:
        """The counts at their height (once the first counts are in: the chart's causes, the lines of
        days) where the dialog has it, else two fifths of the split; the records take the rest."""
        self._shared = True
        total = self.split.height()
        share = min(self._counted_box.sizeHint().height(), total * 2 // 5)
        self.split.setSizes([total - share, share])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's virtual
        # Enter opens the chosen record (the table's activated) and nothing else: QDialog pressed the
        # default button of any window below it for the same Enter, the record window's 再発行 among them.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _table_height(self, rows: int) -> int:
        """The table's height for its headings, ``rows`` records and the sideways scroll bar."""
        table = self.table
        return (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
                + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth())

    def _filter(self) -> LogFilter:
        return LogFilter(text=self.search.text().strip() or None)

    def refresh(self) -> None:
        """The first page of the search now, from its newest record; its counts once typing pauses
        (:meth:`_count`). A database that does not answer is said where the counts go."""
        self._counted_for = None
        # No bars of another search under the new rows; the causes stay, at zero, so the chart
        # keeps its height and the window does not jump at every letter typed.
        self.chart.set_counts(LogCounts(total=0, per_day={}, per_cause=dict.fromkeys(
            (cause for cause, _ in self.chart.causes), 0)))
        try:
            self.model.show(self._filter())
        except DatabaseUnreachable as exc:
            self._count_timer.stop()
            self.counts.setText("")
            self._say_unreachable(f"{exc}検索し直すか F5 キーで、もう一度読みます。")
            return
        self.table.scrollToTop()   # the newest of the new search, not the old one's scrolled place
        self.problem.hide()
        self.counts.setText(COUNTING)
        self._count_timer.start()

    def _search_changed(self) -> None:
        if not self.problem.isHidden():   # the last read failed: read again once typing pauses
            self._retry_timer.start()
        else:
            self.refresh()

    def _say_unreachable(self, text: str) -> None:
        """A database that did not answer, said under the search, in red, until a search reads again."""
        self.problem.setText(text)
        self.problem.show()

    def is_counted(self) -> bool:
        """Whether the counts and the chart on screen are the search's as it stands."""
        return self._counted_for is not None and self._counted_for == self._filter()

    def _count(self) -> None:
        """Count the search as it stands, off the GUI thread; one count at a time (a search
        changed meanwhile is counted when the running one ends)."""
        if self._counting is not None:
            return
        where = self._filter()
        self._counting = run_in_background(lambda: self._service.counts(where),
                                           lambda summary: self._show_counts(where, summary), self._count_failed)

    def _show_counts(self, where: LogFilter, summary: LogCounts) -> None:
        self._counting = None
        if not shiboken6.isValid(self):   # the window was deleted while it counted
            return
        if where != self._filter():   # typed on while it counted: count the search as it is now
            self._count_timer.start()
            return
        days = "、".join(f"{day} {n}件" for day, n in list(summary.per_day.items())[-14:])
        causes = "、".join(f"{cause} {n}件" for cause, n in summary.per_cause.items() if n)
        self.counts.setText(f"相談件数 {summary.total:,} 件　相談事業者数 {summary.businesses:,} 者"
                            f"　日別: {days or '—'}\n原因別: {causes or '—'}")
        self.chart.set_counts(summary)
        if not self._shared and self.isVisible():
            self._share_the_height()
        self._counted_for = where
        self.counted.emit()

    def _count_failed(self, exc: BaseException) -> None:
        self._counting = None
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, DatabaseUnreachable):
            self.counts.setText("")
            self._say_unreachable(f"相談件数を集計できませんでした: {exc}")
            return
        self.counts.setText(f"相談件数を集計できませんでした（{describe(exc) if isinstance(exc, OSError) else exc}）")

    def done(self, result: int) -> None:
        self._count_timer.stop()   # a count still running ends into a closed window, shown nowhere
        self._retry_timer.stop()
        super().done(result)

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def _follow_selection(self) -> None:
        chosen = self.selected_id() is not None
        self.open_button.setEnabled(chosen)
        self.reprint_button.setEnabled(chosen)
        self.follow_up_button.setEnabled(chosen)

    def open_record(self) -> ConsultationRecordDialog | None:
        from desk.ui.record_dialog import ConsultationRecordDialog

        record_id = self.selected_id()
        if record_id is None:
            return None
        dialog = ConsultationRecordDialog(self._service, record_id, settings=self._settings, parent=self)
        dialog.reprinted.connect(lambda count: self._reprinted(dialog.reference_no, count))
        dialog.open()
        return dialog

    def reprint(self) -> ReferralPreviewDialog | None:
        from desk.ui import sheet_actions

        record_id = self.selected_id()
        if record_id is None:
            return None
        number = self.model.rows[self.table.selectionModel().selectedRows()[0].row()].get("reference_no", "")
        return sheet_actions.reissue_and_preview(self, self._service, record_id, settings=self._settings,
                                                 notify=self.notify_problem,
                                                 reprinted=lambda count: self._reprinted(number, count))

    def record_follow_up(self) -> bool:
        """Ask what became of the chosen consultation and record it; whether anything changed."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return False
        row = self.model.rows[rows[0].row()]
        number = str(row.get("reference_no", ""))
        answer = FollowUpDialog.ask(self, number, status=str(row.get("follow_up_status", "")),
                                    day=str(row.get("follow_up_day", "")), consulted_on=str(row.get("day", "")))
        if answer is None:
            return False
        try:
            found = self._service.set_follow_up(number, status=answer.status, day=answer.day)
        except FollowUpTooEarly as exc:
            self.notify_problem("記録できません", f"{exc}。")
            return False
        except DatabaseUnreachable as exc:
            self.notify_problem("記録できません", f"{exc}その後は記録されていません。")
            return False
        if not found:
            self.notify_problem("記録できません", f"受付番号 {number} の記録が見つかりません"
                                "（削除された可能性があります）。")
            return False
        at = rows[0].row()
        self.refresh()
        if at < self.model.rowCount():
            self.table.selectRow(at)
        said = self.model.rows[at].get("follow_up") if at < self.model.rowCount() else ""
        self.note.setText(f"受付番号 {number} のその後: {said or '未入力'}")
        return True

    def write_monthly_report(self) -> BackgroundJob | None:
        """Ask which month and where, then write the report (and its CSV) off the GUI thread."""
        from desk.log import monthly
        from desk.reports.fonts import FontNotFound

        request = MonthlyReportDialog.ask(self)
        if request is None:
            return None
        self.report_button.setEnabled(False)
        self.note.setText(f"{monthly.month_label(request.month)}の報告を作っています…")

        def done(report: monthly.MonthlyReport) -> None:
            self.report_button.setEnabled(True)
            also = f"と {request.csv.name}" if request.csv else ""
            self.note.setText(f"{request.pdf.name}{also} に {report.title} を書き出しました"
                              f"（相談件数 {report.consultations:,} 件、相談事業者数 {report.businesses:,} 者）")

        def failed(exc: BaseException) -> None:
            self.report_button.setEnabled(True)
            self.note.setText("")
            if isinstance(exc, DatabaseUnreachable):
                self.notify_problem("報告を作れません", f"{exc}報告は書き出していません。")
            elif isinstance(exc, OSError):
                self.notify_problem("書き出せません", f"{request.pdf} に書き出せませんでした（{describe(exc)}）。")
            elif isinstance(exc, FontNotFound):
                self.notify_problem("書き出せません", str(exc))
            else:   # the database gone meanwhile, a bug: said, not swallowed
                self.notify_problem("報告を作れません", f"{type(exc).__name__}: {exc}")

        font = self._settings.get("pdf_font_path")
        return run_in_background(lambda: monthly.write(self._service, request.month, request.pdf, request.csv,
                                                       font_path=font), done, failed)

    def _reprinted(self, reference_no: str, count: int) -> None:
        self.note.setText(f"受付番号 {reference_no} の案内書を再発行しました"
                          f"（{count} 回目。相談の件数は変わりません）")

    def notify_problem(self, title: str, text: str) -> None:
        message_box(self, QMessageBox.Icon.Warning, title, text).exec()

    @classmethod
    def ask_export_path(cls, parent: QWidget) -> Path | None:
        from desk.ui import file_dialogs as files
        return files.ask_save_file(parent, files.LOG_EXPORT, "相談記録をCSVに書き出す", "相談記録.csv", "CSV (*.csv)",
                                   "csv")

    def export_with_dialog(self) -> None:
        path = self.ask_export_path(self)
        if path is None:
            return
        try:
            self._service.write_csv(path, self._filter(), include_personal=self.personal.isChecked())
        except DatabaseUnreachable as exc:
            self.notify_problem("書き出せません", f"{exc}CSV は書き出していません。")
        except OSError as exc:
            QMessageBox.warning(self, "書き出せません", f"{path} に書き出せませんでした（{describe(exc)}）。")
