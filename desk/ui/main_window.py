"""The main window: the guided intake on the left, live results on the right.

Every change in the form re-runs the match (coalesced through a zero-delay timer)
and the results follow; the core reads, matches, logs and renders, this window only
gathers input and shows results. A referral sheet comes from the form (Ctrl+P) or
from an intake file (Ctrl+O). The data's as-of dates stay in the status bar.

This module holds the window's layout, its menus, its state between runs and the
questions it asks (class methods tests replace); the menus' actions live beside it, in
:mod:`desk.ui.consultation_files` and :mod:`desk.ui.data_actions`. The window gets the
data layer's services (:class:`desk.db.services.DeskServices`), never a session.

The window opens on its first view (:mod:`desk.matching.first_view`) and loads the engine once
it is on screen, so the core's modules (and Qt's dialogs, and the actions' modules) are
imported where they are first used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from desk import fiscal, paths
from desk.matching import first_view
from desk.matching.routes import ranked_questions
from desk.settings import Settings
from desk.ui import held_back, look, main_menus
from desk.ui.consent_panel import ConsentSource
from desk.ui.draft_keeper import DraftKeeper
from desk.ui.geometry import fit_to_screen
from desk.ui.intake_form import IntakeStepper
from desk.ui.results_view import ResultsView

if TYPE_CHECKING:
    from desk.db.services import DeskServices, SchemaBehind
    from desk.intake.reader import Intake
    from desk.matching.answer import MatchReport
    from desk.matching.first_view import FirstView
    from desk.matching.service import MatchService
    from desk.ui.admin_dialog import AdminDialog
    from desk.ui.background import BackgroundJob
    from desk.ui.cost_compare import CostCompareDialog
    from desk.ui.log_dialog import ConsultationLogDialog
    from desk.ui.referral_preview import ReferralPreviewDialog
    from desk.ui.settings_dialog import SettingsDialog


# On a screen that has room; a laptop's gets less (fit_to_screen). At 1280 wide, a 1366×768 laptop kept
# that width and the results' 総額 column fell 35 px past the pane (fresh eyes under openbox).
PREFERRED_SIZE = QSize(1366, 800)
IDLE_BUILD_DELAY_MS = 150
ENGINE_LOAD_DELAY_MS = 30    # after the first frame, long before anyone can type
CATALOGUE_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    results_updated = Signal()
    engine_loaded = Signal()

    def __init__(self, *, store: DeskServices, settings: Settings | None = None, today: dt.date | None = None,
                 engine_when_shown: bool = True):
        """``store``: the data layer's services (a :class:`desk.db.store.Store` is them all)."""
        settings = settings or Settings.load()
        # The font size before any widget, the window itself included (run_app sets it even before
        # the window): set after them, it reaches every one as a font change, each laid out again
        # (160 of them), and a widget made meanwhile takes its parent's old size.
        look.apply_font_size(settings)
        super().__init__()
        self._engine_is_loaded = False
        # The form and the first results come from the first view; the engine loads once the
        # window is on screen, and SQLAlchemy only when the admin screens, the log or a pack
        # import first need it.
        self._store = store
        self._settings = settings
        self._today = today or fiscal.today()
        self._intake: Intake | None = None
        # Set when the server is behind this desk and may not be upgraded from this counter: the window
        # matches on the catalogue this counter kept (or shows no results without one) and refuses
        # whatever would print, log, import or edit (held_back.refused_then). No first view: no catalogue.
        self._behind: SchemaBehind | None = store.schema_behind
        has_catalogue = self._behind is None or self._behind.catalogue_saved is not None
        self.setWindowTitle("融資相談窓口デスク")
        fit_to_screen(self, PREFERRED_SIZE)
        self._first_view: FirstView | None = self._open_first_view() if has_catalogue else None
        choices = self._first_view.choices if self._first_view is not None else held_back.NO_CHOICES
        self._fingerprint = choices.fingerprint
        self._questions = choices.questions
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        self.title = QLabel("日産自動車の車両生産終了等に伴う中小企業向け特別相談窓口", left)
        self.title.setObjectName("titleLabel")
        self.title.setFont(look.title_font())
        self.title.setWordWrap(True)   # on two lines at the larger text sizes, never cut
        self.stepper = IntakeStepper(municipalities=choices.municipalities, plans=choices.plans,
                                     situations=choices.situations, readings=choices.readings, today=self._today,
                                     criteria=self._nissan_criteria, parent=left, consent=ConsentSource(
                                         lambda: settings.get("privacy_purpose"),
                                         # Held back from the server: nothing is shared, nothing read.
                                         lambda: None if self._behind else store.server.referral_windows()))
        self.stepper.questions.remember(choices.questions)
        self.packs_label = look.CutLines(left)
        look.tint(self.packs_label, look.MUTED)
        left_layout.addWidget(self.title)
        left_layout.addWidget(self.stepper, 1)
        left_layout.addWidget(self.packs_label)
        self.results = ResultsView(self)
        self.results.compare_requested.connect(self.show_comparison)
        # Both halves stay usable on a 1366×768 laptop; extra width goes to the results.
        left.setMinimumWidth(520)
        self.results.setMinimumWidth(560)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.results)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 760])
        self.setCentralWidget(splitter)
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(0)  # coalesce a burst of edits into one match
        self._update_timer.timeout.connect(self.update_results)
        self.stepper.changed.connect(self._update_timer.start)
        # The form in progress survives a crash: kept on disk after edits, offered back at start.
        self.drafts = DraftKeeper(self.stepper, paths.get().draft_file, self)
        self.drafts.problem.connect(self.notify_problem)
        self.menu_actions = main_menus.build(self)
        self.restore_layout()
        # The packs' status in a label of the status bar, not a message: a message went with the
        # next one and with the first menu opened (an item's empty status tip clears it), and the
        # warning of last year's data with it. A message covers the label only while it shows.
        self.data_status = QLabel(self)
        self.statusBar().addWidget(self.data_status, 1)
        self.refresh_data_status(choices.packs)
        self._show_result(self._first_view.result if self._first_view is not None else None)
        if self._behind is not None:
            held_back.announce(self, self._behind)
        for warning in store.warnings:   # a database on a network share
            self.statusBar().addPermanentWidget(QLabel("⚠ ネットワーク上のデータベース", self))
            QTimer.singleShot(0, self, lambda text=warning: self.notify_problem("データベースの場所", text))
        # Timers with the window as their context: a window closed before they fire cancels them.
        if engine_when_shown:   # else (desk --exit-when-ready) the engine loads on the first edit
            QTimer.singleShot(ENGINE_LOAD_DELAY_MS, self, self.load_engine)
        # The later steps are built once the window is on screen (see IntakeStepper), and old
        # records lose their personal details as the retention setting says.
        QTimer.singleShot(IDLE_BUILD_DELAY_MS, self.stepper, self.stepper.build_next_when_idle)
        QTimer.singleShot(IDLE_BUILD_DELAY_MS, self, self.apply_retention)
        QTimer.singleShot(IDLE_BUILD_DELAY_MS, self, self._frame_focus)
        # Another counter's admin may edit the shared catalogue: look again on focus and now and then.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(CATALOGUE_REFRESH_MS)
        self._refresh_timer.timeout.connect(self.check_catalogue)
        self._refresh_timer.start()

    @property
    def _service(self) -> MatchService:
        return self._store.matcher

    @property
    def services(self) -> DeskServices:
        return self._store

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def today(self) -> dt.date:
        return self._today

    @property
    def shown_fingerprint(self) -> tuple[object, ...]:
        """The fingerprint of the catalogue the pickers and the results come from."""
        return self._fingerprint

    def _open_first_view(self) -> FirstView:
        path = self._store.first_view_file
        view = first_view.load(path, self._store.fingerprint(), self._today)
        if view is None:   # another catalogue, day or desk: from the engine now, and kept for the next start
            view = first_view.compute(self._service, self._today)
            first_view.save(path, view, self._today)
        return view

    @property
    def schema_behind(self) -> SchemaBehind | None:
        """The server is behind this desk and may not be upgraded from here (desk.ui.held_back)."""
        return self._behind

    def load_engine(self) -> None:
        """The catalogue and the engine, once the window is on screen. The engine's own
        match takes over from the first view, and a kept view it disagrees with is rewritten."""
        if self._first_view is None:   # no catalogue at all (held back, none kept): nothing to load
            self._engine_is_loaded = True
            self.engine_loaded.emit()
            return
        fresh = first_view.compute(self._service, self._today)
        self._engine_is_loaded = True
        if fresh != self._first_view:
            first_view.save(self._store.first_view_file, fresh, self._today)
            if fresh.choices != self._first_view.choices:
                self.use_choices(fresh.choices)   # edited on another counter since the window opened
            self._first_view = fresh
        self.update_results()
        self.engine_loaded.emit()

    def move_between_panes(self, step: int) -> None:
        from desk.ui import panes
        panes.move_between(self, step)

    def _frame_focus(self) -> None:
        from desk.ui import panes
        panes.frame_focus(self)

    def refresh_data_status(self, packs: list[dict[str, Any]]) -> None:
        """The packs' titles and as-of dates under the form, and a warning for last year's data."""
        lines = [f"{p['title']}（{p['as_of'] or '日付なし'} 時点、版 {p['version']}）"
                 + ("　※旧年度のデータです" if p["stale"] else "") for p in packs if p["fiscal_year"]]
        self.packs_label.set_lines(lines or ["データがありません"])
        stale = [p for p in packs if p["stale"]]
        status = f"データ {len(packs)} パック"
        if stale:
            status += "　⚠ 旧年度のデータ: " + "、".join(p["title"] for p in stale)
        self.data_status.setText(status)

    def _nissan_criteria(self, figures: dict[str, int]) -> list[tuple[str, str, str]]:
        """① / ② of 日産自動車関連対策特別融資 on these monthly figures (the fund's own rules)."""
        from desk.intake.reader import Intake
        from desk.intake.sales import compute_sales_change
        from desk.matching.engine import labelled_sales_criteria
        from desk.vocab import NISSAN_FUND_ID

        if self._first_view is None:
            return []
        loaded = self._service.loaded()
        return labelled_sales_criteria(loaded.catalogue, NISSAN_FUND_ID, Intake(monthly_sales=figures),
                                       compute_sales_change(figures, self._today), self._today)

    def update_results(self) -> None:
        """Read the form as the core reads a file, match, show; a value it cannot read is
        shown under its field and the last results stay."""
        from desk.intake.reader import IntakeError, read_intake

        if self._first_view is None:   # held back without a kept catalogue: the results stay empty
            self.results_updated.emit()
            return
        try:
            read = read_intake(self.stepper.intake_data())
            report = self._service.match(read.intake, on=self._today, warnings=read.warnings)
        except IntakeError as exc:   # every input in error, not only the first the core met
            from desk.ui.input_errors import said
            errors = self._service.input_errors(self.stepper.intake_data()) or [exc]
            self.results.show_input_error(said(self.stepper.show_errors(errors)))
            self.results_updated.emit()
            return
        self.stepper.show_errors([])
        self.results.show_input_error(None)
        self._intake = read.intake
        self._show_result(report)
        self.results_updated.emit()

    def _show_result(self, report: MatchReport | None) -> None:
        self.results.show_report(report)
        asked = ranked_questions(report) if report is not None else []
        self.stepper.questions.set_questions([(q, *self._questions[q]) for q in asked if q in self._questions])

    # --- the menus' actions (desk.ui.data_actions, desk.ui.consultation_files: loaded on first use) ---
    def apply_retention(self) -> int:
        if self._behind is not None:   # it writes to the log: again at a start the server allows to write
            return 0
        from desk.ui import data_actions
        return data_actions.apply_retention(self)

    def show_settings(self) -> SettingsDialog:
        from desk.ui import data_actions
        return data_actions.show_settings(self)

    @held_back.refused_then
    def show_admin(self) -> AdminDialog | None:
        from desk.ui import data_actions
        return data_actions.show_admin(self)

    @held_back.refused_then
    def show_log(self) -> ConsultationLogDialog | None:
        from desk.ui import data_actions
        return data_actions.show_log(self)

    @held_back.refused_then
    def import_packs(self) -> BackgroundJob | None:
        from desk.ui import data_actions
        return data_actions.import_packs(self)

    @held_back.refused_then
    def export_packs(self) -> BackgroundJob | None:
        from desk.ui import data_actions
        return data_actions.export_packs(self)

    def catalogue_changed(self) -> None:
        from desk.ui import data_actions
        data_actions.catalogue_changed(self)

    def check_catalogue(self) -> bool:
        """Follow a catalogue changed elsewhere (an import or an admin edit on another counter)."""
        from desk.ui import data_actions
        return data_actions.check_catalogue(self)

    def new_consultation(self) -> None:
        from desk.ui import consultation_files
        consultation_files.new_consultation(self)

    def open_intake_file(self) -> None:
        from desk.ui import consultation_files
        consultation_files.open_intake_file(self)

    def save_intake_file(self) -> None:
        from desk.ui import consultation_files
        consultation_files.save_intake_file(self)

    def apply_settings(self) -> None:
        look.apply_font_size(self._settings)
        self.title.setFont(look.title_font())
        if self.stepper.steps.styleSheet():   # framed already: the frames take the new size
            QTimer.singleShot(0, self, self._frame_focus)
        # The figure columns follow the text size once the new font has reached the widgets.
        QTimer.singleShot(0, self.results, self.results.fit_columns)

    # --- window layout: state, kept apart from preferences (window.ini beside settings.json) ---
    def _window_state(self) -> QSettings:
        # The config folder also holds settings.json (staff name, device id): private like it.
        # QSettings writes the file with the umask's mode (0644) unless it exists: made 0600 first.
        from desk.fileio import private_file

        window_ini = private_file(paths.get().config_dir / "window.ini")
        return QSettings(str(window_ini), QSettings.Format.IniFormat)

    def restore_layout(self) -> None:
        state = self._window_state()
        geometry = state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            # Saved on a larger or another screen (a monitor at the office, the laptop at the counter):
            # Qt keeps a restored window on some screen, not necessarily with its frame inside it.
            fit_to_screen(self, self.size())
        splitter = state.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self._kept_layout = (geometry, splitter)   # as the file holds them (a window not yet shown saves others)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's virtual
        # A consultation in progress is not lost to a stray click: the question Ctrl+N asks.
        # 終了, the title bar's ×, Alt+F4 and the application quitting all come through here.
        if self.drafts.unrecorded_input() and not self.ask_discard(self):
            event.ignore()
            return
        self.drafts.end()
        # A closed window looks at the catalogue no more (one outliving its database, as in the
        # tests, would otherwise fail every 30 s in the event loop of whatever runs next).
        self._refresh_timer.stop()
        # Written only when it changed: the file is synced to disk, a few ms to tens of ms.
        layout = (self.saveGeometry(), self.splitter.saveState())
        if layout != self._kept_layout:
            state = self._window_state()
            state.setValue("geometry", layout[0])
            state.setValue("splitter", layout[1])
            state.sync()
            self._kept_layout = layout
        super().closeEvent(event)

    def use_choices(self, choices: first_view.Choices) -> None:
        # A pack import or an edit may bring other municipalities or plans: the pickers follow.
        self._fingerprint = choices.fingerprint
        self._questions = choices.questions
        self.stepper.set_choices(municipalities=choices.municipalities, plans=choices.plans,
                                 situations=choices.situations, readings=choices.readings)
        self.stepper.questions.remember(choices.questions)
        self.refresh_data_status(choices.packs)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's virtual
        # Until the engine is in, load_engine is the check (the window's first activation
        # comes a moment after the catalogue was looked at).
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._engine_is_loaded:
            self.check_catalogue()
        super().changeEvent(event)

    # --- questions and messages (tests replace them) ------------------------------------------------
    @classmethod
    def ask_open_path(cls, parent: QWidget) -> Path | None:
        from desk.ui import file_dialogs as files
        return files.ask_open_file(parent, files.INTAKE, "相談ファイルを開く", "相談ファイル (*.json)")

    @classmethod
    def ask_save_intake_path(cls, parent: QWidget) -> Path | None:
        from desk.ui import file_dialogs as files
        return files.ask_save_file(parent, files.INTAKE, "相談ファイルを保存", "", "相談ファイル (*.json)", "json")

    @classmethod
    def ask_discard(cls, parent: QWidget) -> bool:
        from PySide6.QtWidgets import QMessageBox

        # One question for a new consultation, another file and closing the window.
        answer = QMessageBox.question(parent, "入力中の相談", "入力中の内容を破棄しますか？",
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def notify_problem(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from desk.ui.messages import message_box

        message_box(self, QMessageBox.Icon.Warning, title, text).exec()   # a pack's fifty problems fit too

    # --- actions ---------------------------------------------------------------------------------------------
    @held_back.refused_then
    def open_intake_for_referral(self) -> None:
        path = self.ask_open_path(self)
        if path is not None:
            self.make_referral_from_file(path)

    @held_back.refused_then
    def make_referral_from_form(self) -> ReferralPreviewDialog | None:
        """The sheet for what the form shows now, or a message naming what to fix (desk.ui.sheet_actions)."""
        from desk.ui import sheet_actions
        return sheet_actions.from_form(self)

    @held_back.refused_then
    def make_referral_from_file(self, path: Path) -> ReferralPreviewDialog | None:
        """Match an intake file, log it, render the sheet and open the preview (window-modal)."""
        from desk.ui import sheet_actions
        return sheet_actions.from_file(self, path)

    def show_comparison(self) -> CostCompareDialog:
        from desk.ui import cost_compare
        return cost_compare.show(self)

    @held_back.refused_then
    def show_leaflet(self) -> ReferralPreviewDialog | None:
        from desk.ui import sheet_actions
        return sheet_actions.leaflet_preview(self)

    @property
    def intake_on_screen(self) -> Intake | None:
        """The intake the results on screen were matched from (None before the first match)."""
        return self._intake

