"""`make screenshots`: the app's screens as PNG files, taken in a real window (run under Xvfb).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshots.py docs/screenshots [FONT_PT]

FONT_PT: the text size staff chose (`make screenshots FONT=24` writes docs/screenshots/24pt).

Uses a scratch base folder and the example visitor in examples/intakes, on a fixed date.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from desk import paths
from desk.db import engine as db_engine
from desk.db import setup
from desk.db.store import Store
from desk.settings import Settings
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


def visible_texts(widget: QWidget) -> list[str]:
    """What a screen says, in widget-tree order: each visible widget's kind and its texts (labels,
    buttons, fields, combo boxes, browsers, list and table cells), so two versions of the code can
    be compared screen by screen without comparing pixels."""
    out: list[str] = []
    title = widget.windowTitle()
    if title:
        out.append(f"window: {title}")
    _texts(widget, out)
    return out


def _texts(widget: QWidget, out: list[str]) -> None:
    if not widget.isVisible():
        return
    kind = None
    texts: list[str] = []
    if isinstance(widget, QLabel):
        kind, texts = "label", [widget.text()]
    elif isinstance(widget, QAbstractButton):
        kind, texts = "button", [widget.text() + (" [x]" if widget.isCheckable() and widget.isChecked() else "")]
    elif isinstance(widget, QLineEdit):
        kind, texts = "edit", [widget.text() or f"({widget.placeholderText()})"]
    elif isinstance(widget, QComboBox):
        kind, texts = "combo", [widget.currentText()]
    elif isinstance(widget, QTextEdit):
        kind, texts = "text", [widget.toPlainText() or f"({widget.placeholderText()})"]
    elif isinstance(widget, QPlainTextEdit):
        kind, texts = "text", [widget.toPlainText()]
    elif isinstance(widget, QTabBar):
        kind, texts = "tabs", [widget.tabText(i) for i in range(widget.count())]
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        kind, texts = "view", _model_texts(widget.model())
    if kind is not None:
        out.extend(f"{kind}: {t}" for t in texts if t)
    for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        _texts(child, out)


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:   # a list widget's own model keeps columnCount private: one column
        return 1


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None, depth: int = 0) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    if depth == 0:
        columns = range(_columns(model, QModelIndex()))
        header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
        out.append("header | " + " | ".join(header))
    for row in range(min(model.rowCount(parent), 200)):
        cells = [str(model.index(row, c, parent).data() or "") for c in range(_columns(model, parent))]
        out.append("  " * depth + " | ".join(cells))
        first = model.index(row, 0, parent)
        if model.rowCount(first) if not isinstance(model, QAbstractListModel) else False:
            out.extend(_model_texts(model, first, depth + 1))
    return out


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "docs" / "screenshots")
    font_pt = int(sys.argv[2]) if len(sys.argv) > 2 else None
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    paths.init(base)
    engine = db_engine.make_engine(db_engine.sqlite_url(paths.get().default_database))
    setup.ensure_ready(engine)
    app = create_application()
    # A fixed device id: the log's reference numbers are the same in every run.
    values: dict[str, object] = {"device_id": "0123abcd-0000-4000-8000-000000000000"}
    if font_pt is not None:
        values["font_size_pt"] = font_pt
    settings = Settings(base / "s.json", values)
    window = MainWindow(store=Store.for_engine(engine), settings=settings, today=ON)
    window.resize(1366, 740)
    window.show()
    shots: list[tuple[str, object]] = [("00-empty", lambda: None)]
    visitor = json.loads((REPO / "examples" / "intakes" / "yokosuka-supplier.json").read_text(encoding="utf-8"))
    shots.append(("01-step-business", lambda: (window.stepper.load(visitor), window.update_results(),
                                               window.stepper.go_to(0))))
    for index, name in enumerate(("02-step-sales", "03-step-needs", "04-step-certificates", "05-step-confirm"), 1):
        shots.append((name, lambda i=index: window.stepper.go_to(i)))
    # The 確認 step with questions open: the same visitor with a disaster and a succession to ask about.
    asking = {**visitor, "situations": ["disaster_damage", "succession"]}
    shots.append(("05b-step-confirm-questions", lambda: (window.stepper.load(asking), window.update_results(),
                                                         window.stepper.go_to(4))))
    model = window.results.model
    first_fund = lambda: model.index(0, 0, model.index(0, 0))  # noqa: E731
    shots.append(("06-results-detail", lambda: (window.stepper.load(visitor), window.update_results(),
                                                window.results.tree.setCurrentIndex(first_fund()))))

    def later_groups() -> None:
        """The answer's later layers: the steps, the circumstance-made funds (opened), the rest."""
        from desk.ui.results_model import CIRCUMSTANCES

        tree, made_for = window.results.tree, model.index(CIRCUMSTANCES, 0)
        tree.expand(made_for)
        tree.setCurrentIndex(model.index(0, 0, made_for))
        tree.scrollTo(model.index(model.rowCount(made_for) - 1, 0, made_for))

    shots.append(("06b-results-later-groups", later_groups))
    preview = {}
    # 比較・試算: the supplier who asked what 3,000万円 over 7 years with a year's grace costs, the
    # first three funds that fit ticked, then the term tried at 5 years.
    costed = json.loads((REPO / "examples" / "intakes" / "yokosuka-supplier-cost.json").read_text(encoding="utf-8"))

    def ticked() -> None:
        window.stepper.load(costed)
        window.update_results()
        window.stepper.go_to(2)
        eligible = model.index(0, 0)
        for row in range(min(3, model.rowCount(eligible))):
            model.tick(model.fund(model.index(row, 0, eligible)).id)

    def compared() -> None:
        preview["compare"] = window.show_comparison()

    def five_years() -> None:
        preview["compare"].term.setValue(60)

    shots.append(("06c-results-ticked", ticked))
    shots.append(("06d-comparison", compared))
    shots.append(("06e-comparison-five-years", five_years))

    def open_preview() -> None:
        preview.pop("compare").close()
        window.stepper.load(visitor)   # the sheet of the usual example
        window.update_results()
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
            window.stepper.load({})   # quitting closes the window: with a visitor on it, it would ask first
            app.quit()
            return
        action()
        QTimer.singleShot(400, lambda: capture_when_counted(name))

    def capture_when_counted(name: str, waited_ms: int = 0) -> None:
        """The log window's counts come from a background thread: the picture waits for them
        (30 s at most: a count that failed would leave the tool waiting for ever)."""
        log = preview.get("log")
        if name == "08-consultation-log" and log is not None and not log.is_counted():
            if waited_ms > 30_000:
                print(f"screenshots: the log's counts never came: {log.counts.text()}", file=sys.stderr)
                app.exit(1)
                return
            QTimer.singleShot(100, lambda: capture_when_counted(name, waited_ms + 100))
            return
        capture(name)

    def capture(name: str) -> None:
        try:
            take(name)
        except BaseException:
            app.exit(1)   # an error in a timer's slot would otherwise leave the tool running for ever
            raise
        next_shot()

    def take(name: str) -> None:
        widget = {"07-referral-preview": preview.get("dialog"), "08-consultation-log": preview.get("log"),
                  "09-admin-programs": preview.get("admin"),
                  "10-admin-contacts": preview.get("admin"), "06d-comparison": preview.get("compare"),
                  "06e-comparison-five-years": preview.get("compare")}.get(name, window)
        widget.grab().save(str(out / f"{name}.png"))
        (out / f"{name}.json").write_text(json.dumps(visible_texts(widget), ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
        print(out / f"{name}.png")

    QTimer.singleShot(300, next_shot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
