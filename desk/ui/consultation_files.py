"""The window's consultation-file actions: a new consultation, open an intake file, save the form.

Each takes the main window and asks through its ``ask_*`` class methods (tests replace
them); loaded on the first use, off the app's start path.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from desk.fileio import atomic_write_text, describe
from desk.intake.reader import IntakeError, read_intake_file, refusal_of_file

if TYPE_CHECKING:
    from desk.ui.main_window import MainWindow


def new_consultation(window: MainWindow) -> None:
    # Asked only when the form holds something kept nowhere: not right after its sheet was printed.
    if window.drafts.unrecorded_input() and not window.ask_discard(window):
        return
    window.stepper.load({})
    window.stepper.go_to(0)
    window.results.model.clear_ticks()   # the funds compared were the last visitor's
    window.drafts.end()   # the consultation is over: nothing to offer back
    window.update_results()


def open_intake_file(window: MainWindow) -> None:
    path = window.ask_open_path(window)
    if path is None:
        return
    if window.drafts.unrecorded_input() and not window.ask_discard(window):
        return
    try:
        read = read_intake_file(path)
    except IntakeError as exc:
        window.notify_problem("相談ファイルを読めません", refusal_of_file(path.name, exc))
        return
    window.stepper.load(read.raw)
    window.results.model.clear_ticks()
    window.drafts.recorded()   # the file holds it
    window.update_results()
    if read.warnings:
        window.statusBar().showMessage("　".join(read.warnings))


def save_intake_file(window: MainWindow) -> None:
    path = window.ask_save_intake_path(window)
    if path is None:
        return
    if path.suffix.lower() != ".json":
        path = path.with_suffix(".json")
    text = json.dumps(window.stepper.intake_data(), ensure_ascii=False, indent=2)
    try:
        atomic_write_text(path, text + "\n")
    except OSError as exc:
        window.notify_problem("保存できません", f"{path} に保存できませんでした（{describe(exc)}）。")
        return
    window.drafts.recorded()
    window.statusBar().showMessage(f"{path.name} に保存しました")
