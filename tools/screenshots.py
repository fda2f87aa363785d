"""`make screenshots`: the app's screens as PNG files, taken in a real window (run under Xvfb).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshots.py docs/screenshots

Uses a scratch base folder and the example visitor in examples/intakes, on a fixed date.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget

from desk import paths
from desk.db import engine as db_engine
from desk.db import setup
from desk.settings import Settings
from desk.store import Store
from desk.ui.app import create_application
from desk.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parent.parent
ON = dt.date(2026, 11, 22)


def _pdf_printer(base: Path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(base / "printed.pdf"))
    return printer


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    paths.init(base)
    engine = db_engine.make_engine(db_engine.sqlite_url(paths.get().default_database))
    setup.ensure_ready(engine)
    app = create_application()
    window = MainWindow(store=Store.for_engine(engine), settings=Settings(base / "s.json"), today=ON)
    window.resize(1366, 740)
    window.show()
    shots: list[tuple[str, object]] = [("00-empty", lambda: None)]
    visitor = json.loads((REPO / "examples" / "intakes" / "yokosuka-supplier.json").read_text(encoding="utf-8"))
    shots.append(("01-step-business", lambda: (window.stepper.load(visitor), window.update_results(),
                                               window.stepper.go_to(0))))
    for index, name in enumerate(("02-step-sales", "03-step-needs", "04-step-certificates", "05-step-confirm"), 1):
        shots.append((name, lambda i=index: window.stepper.go_to(i)))
    model = window.results.model
    shots.append(("06-results-detail", lambda: window.results.tree.setCurrentIndex(model.index(0, 0, model.index(0, 0)))))
    preview = {}

    def open_preview() -> None:
        preview["dialog"] = window.make_referral_from_form()

    shots.append(("07-referral-preview", open_preview))

    def open_log() -> None:
        if "dialog" in preview:
            preview["dialog"].print_to(_pdf_printer(base))  # a printed sheet is logged
            preview["dialog"].reject()
        preview["log"] = window.show_log()

    shots.append(("08-consultation-log", open_log))

    def open_admin() -> None:
        preview["log"].reject()
        preview["admin"] = window.show_admin()

    def contacts_tab() -> None:
        preview["admin"].findChild(QTabWidget).setCurrentIndex(1)
        preview["admin"].offices.filter.setText("神奈川")

    shots.append(("09-admin-programs", open_admin))
    shots.append(("10-admin-contacts", contacts_tab))
    steps = iter(shots)

    def next_shot() -> None:
        try:
            name, action = next(steps)
        except StopIteration:
            if "admin" in preview:
                preview["admin"].reject()
            app.quit()
            return
        action()
        QTimer.singleShot(400, lambda: capture(name))

    def capture(name: str) -> None:
        widget = {"07-referral-preview": preview.get("dialog"), "08-consultation-log": preview.get("log"),
                  "09-admin-programs": preview.get("admin"), "10-admin-contacts": preview.get("admin")}.get(name, window)
        widget.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
        next_shot()

    QTimer.singleShot(300, next_shot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
