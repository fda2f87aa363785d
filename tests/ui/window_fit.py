"""Every window and dialog desk opens, opened in turn, and where each lies on the screen.

    python -m tests.ui.window_fit [--database FILE] [--basedir DIR] [--font-size PT] [--saved-geometry=X,Y,W,H]
                                  [--shots DIR]

Prints a JSON line per window: its name, its frame and the available area of its screen, in
logical pixels. ``tests/ui/test_geometry.py`` runs it on offscreen screens of chosen sizes (a
1366×768 laptop, a 4K monitor at 200 %); ``make window-fit`` runs it under Xvfb at 1366×768
with a window manager, where the frames are real, and saves a picture of the whole screen
per window (``--shots``) to look at. The file dialogs and the question are the ones the app
asks through (its ``ask_*`` class methods), measured while they run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QRect, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from desk import paths
from desk.db import engine as db_engine
from desk.db import setup
from desk.db.store import Store
from desk.settings import Settings
from desk.ui.app import create_application
from desk.ui.main_window import MainWindow

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
VISITOR = REPO / "examples" / "intakes" / "yokosuka-supplier.json"
ON = dt.date(2026, 11, 22)
# A pack rejected for as many problems as the validator lists (desk/db/packs/schema.py shows fifty).
FIFTY_PROBLEMS = "\n".join(f"kanagawa-fy2026.yaml:{120 + 7 * i}: limit_yen: 金額として読めません（「八千万」）"
                           for i in range(50))
FRAMED_POLLS = 40     # under a window manager: 40 × 50 ms at most for a window to get its frame
POLL_MS = 50
PAINTED_MS = 300      # and then time to paint before its picture is taken


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def frame_of(widget: QWidget) -> QRect:
    """The window's frame as the window system tells it now (QWidget keeps the margins it was last
    told, and a window manager may add its frame without moving the window)."""
    handle = widget.windowHandle()
    return handle.frameGeometry() if handle is not None else widget.frameGeometry()


class Probe:
    """Opens the windows one after another, each once the one before was measured."""

    def __init__(self, app: QApplication, window: MainWindow, shots: Path | None):
        self.app = app
        self.window = window
        self.shots = shots
        self.framed = QGuiApplication.platformName() == "xcb"   # a real window system: wait for frames
        self.kept: dict[str, QWidget] = {}
        self.count = 0
        self.failed = False

    # --- measuring -------------------------------------------------------------------------------
    def measure(self, name: str, widget: QWidget) -> None:
        screen = widget.screen()
        area = screen.availableGeometry()
        frame = frame_of(widget)
        record = {"name": name, "frame": rect(frame), "geometry": rect(widget.geometry()), "area": rect(area),
                  "minimum": [widget.minimumSizeHint().width(), widget.minimumSizeHint().height()]}
        if not area.contains(frame):
            self.failed = True
            print(f"window_fit: {name} lies outside the screen: frame {rect(frame)}, available {rect(area)}",
                  file=sys.stderr)
        if self.shots is not None:
            self.count += 1
            path = self.shots / f"{self.count:02d}-{name}.png"
            screen.grabWindow(0).save(str(path))
            record["shot"] = str(path)
        print(json.dumps(record, ensure_ascii=False), flush=True)

    def when_settled(self, widget: QWidget, then: Callable[[], None], polls: int = 0) -> None:
        """``then`` once ``widget`` is on screen (framed and painted, under a window manager)."""
        if not self.framed:
            QTimer.singleShot(0, self.stop_on_error(then))
        elif frame_of(widget) == widget.geometry() and polls < FRAMED_POLLS:
            QTimer.singleShot(POLL_MS, lambda: self.when_settled(widget, then, polls + 1))
        else:
            QTimer.singleShot(PAINTED_MS, self.stop_on_error(then))

    # --- the steps ---------------------------------------------------------------------------------
    def shown(self, name: str, open_window: Callable[[], QWidget | None], *, keep: bool = False) -> Callable[[], None]:
        """A step: open a window that does not block, measure it, close it unless ``keep``."""
        def step() -> None:
            widget = open_window()
            assert widget is not None, name
            if keep:
                self.kept[name] = widget

            def done() -> None:
                self.measure(name, widget)
                if not keep:
                    widget.close()
                self.next()

            self.when_settled(widget, done)
        return step

    def asked(self, name: str, ask: Callable[[], object]) -> Callable[[], None]:
        """A step: a question that runs its own event loop (a file dialog, a message box), measured
        and cancelled from inside that loop."""
        def step() -> None:
            QTimer.singleShot(0, self.stop_on_error(lambda: self._measure_modal(name)))
            ask()
            self.next()
        return step

    def _measure_modal(self, name: str, polls: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            if polls > FRAMED_POLLS:
                self.failed = True
                print(json.dumps({"name": name, "error": "no dialog"}), flush=True)
                return
            QTimer.singleShot(POLL_MS, lambda: self._measure_modal(name, polls + 1))
            return

        def done() -> None:
            self.measure(name, dialog)
            dialog.close()   # cancels: the question returns nothing

        self.when_settled(dialog, done)

    def steps(self) -> list[Callable[[], None]]:
        from desk.ui.data_actions import PackQuestions
        from desk.ui.log_dialog import ConsultationLogDialog
        from desk.ui.log_questions import FollowUpDialog, MonthlyReportDialog
        from desk.ui.referral_preview import ReferralPreviewDialog
        from desk.ui.rows_model import RowRole

        window = self.window

        def first_row_id(name: str) -> str:
            table = getattr(self.kept["admin"], name)
            return str(table.proxy.data(table.proxy.index(0, 0), RowRole))

        preview = lambda: self.kept["preview"]   # noqa: E731 - opened by a step before
        return [
            self.shown("main-window", lambda: window, keep=True),
            self.shown("comparison", self.comparison),
            self.shown("preview", window.make_referral_from_form, keep=True),
            self.asked("print-dialog", lambda: ReferralPreviewDialog.ask_printer(preview())),
            self.asked("save-pdf-dialog", lambda: ReferralPreviewDialog.ask_save_path(preview(), "案内書.pdf")),
            self.shown("settings", self.after_closing("preview", window.show_settings)),
            self.shown("log", window.show_log, keep=True),
            self.asked("export-csv-dialog", lambda: ConsultationLogDialog.ask_export_path(self.kept["log"])),
            self.asked("follow-up-dialog", lambda: FollowUpDialog.ask(self.kept["log"], "20261122-AAAAA-001")),
            self.asked("monthly-report-dialog", lambda: MonthlyReportDialog.ask(self.kept["log"])),
            self.shown("record", self.first_record, keep=True),
            self.shown("reprint-preview", lambda: self.kept["record"].reprint()),
            self.shown("admin", self.after_closing("log", self.after_closing("record", window.show_admin)), keep=True),
            self.shown("edit-program", lambda: self.kept["admin"].edit_variant(first_row_id("programs"))),
            self.shown("edit-contact", lambda: self.kept["admin"].edit_office(first_row_id("offices"))),
            self.asked("open-intake-dialog", self.after_closing("admin", lambda: MainWindow.ask_open_path(window))),
            self.asked("save-intake-dialog", lambda: MainWindow.ask_save_intake_path(window)),
            self.asked("import-packs-dialog", lambda: PackQuestions.ask_pack_files(window)),
            self.asked("export-packs-dialog", lambda: PackQuestions.ask_export_directory(window)),
            self.asked("discard-question", lambda: MainWindow.ask_discard(window)),
            self.asked("problem-message", lambda: window.notify_problem("取り込めません（データは変わっていません）",
                                                                        FIFTY_PROBLEMS)),
            self.asked("overwrite-question", lambda: PackQuestions.ask_overwrite_edits(window, FIFTY_PROBLEMS)),
        ]

    def comparison(self) -> QWidget:
        """比較・試算 of the first three funds that fit (ticked as the clerk would)."""
        model = self.window.results.model
        eligible = model.index(0, 0)
        for row in range(min(3, model.rowCount(eligible))):
            model.tick(model.fund(model.index(row, 0, eligible)).id)
        return self.window.show_comparison()

    def first_record(self) -> QWidget | None:
        """The log's first record, opened read-only (main() logged one)."""
        log = self.kept["log"]
        log.table.selectRow(0)
        return log.open_record()

    def after_closing(self, name: str, then: Callable[[], T]) -> Callable[[], T]:
        """``then``, once the window kept under ``name`` (the parent of the steps before) is closed."""
        def step() -> T:
            self.kept.pop(name).close()
            return then()
        return step

    def run(self) -> None:
        self._steps = iter(self.steps())
        self.next()

    def next(self) -> None:
        step = next(self._steps, None)
        if step is None:
            self.app.exit(1 if self.failed else 0)
            return
        QTimer.singleShot(0, self.stop_on_error(step))

    def stop_on_error(self, action: Callable[[], None]) -> Callable[[], None]:
        """An error in a timer's slot would otherwise leave the probe running for ever."""
        def run() -> None:
            try:
                action()
            except BaseException:
                traceback.print_exc()
                for widget in QApplication.topLevelWidgets():   # a question's own loop, then ours
                    widget.close()
                self.app.exit(2)
        return run


def log_a_consultation(store: Store, settings: Settings) -> None:
    """The visitor's sheet, issued: the log then has a record to open and print again."""
    from desk.intake.reader import read_intake
    from desk.sheets.issuing import create_referral

    intake = read_intake(json.loads(VISITOR.read_text(encoding="utf-8"))).intake
    create_referral(store.log_writer, intake, store.matcher.match(intake, on=ON), settings=settings)


def save_window_geometry(x: int, y: int, width: int, height: int) -> None:
    """window.ini as a window of that frame would have left it (on a larger or another screen)."""
    stand_in = QWidget()
    stand_in.setGeometry(x, y, width, height)
    folder = paths.ensure_private_dir(paths.get().config_dir)
    state = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    state.setValue("geometry", stand_in.saveGeometry())
    state.sync()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, help="a ready database (default: made in a scratch folder)")
    parser.add_argument("--basedir", type=Path, help="the data and config folders (default: a scratch folder)")
    parser.add_argument("--font-size", type=int, default=None, help="the text size staff chose (pt)")
    parser.add_argument("--saved-geometry", help="X,Y,W,H: the main window as a larger screen left it")
    parser.add_argument("--shots", type=Path, help="save a picture of the whole screen per window here")
    args = parser.parse_args(argv)
    base = args.basedir or Path(tempfile.mkdtemp(prefix="desk-window-fit-"))
    paths.init(base)
    database = args.database or paths.get().default_database
    engine = db_engine.make_engine(db_engine.sqlite_url(database))
    if args.database is None:
        setup.ensure_ready(engine)
    app = create_application()
    if args.saved_geometry:
        x, y, width, height = (int(n) for n in args.saved_geometry.split(","))
        save_window_geometry(x, y, width, height)
    if args.shots is not None:
        args.shots.mkdir(parents=True, exist_ok=True)
    values = {"device_id": "0123abcd-0000-4000-8000-000000000000"}
    if args.font_size is not None:
        values["font_size_pt"] = args.font_size
    settings = Settings(base / "settings.json", values)
    store = Store.for_engine(engine)
    log_a_consultation(store, settings)
    window = MainWindow(store=store, settings=settings, today=ON)
    window.stepper.load(json.loads(VISITOR.read_text(encoding="utf-8")))
    window.update_results()
    window.show()
    probe = Probe(app, window, args.shots)
    QTimer.singleShot(0, probe.run)
    code = app.exec()
    window.stepper.load({})   # closing a form with input would ask first
    window.close()
    engine.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())
