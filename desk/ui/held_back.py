"""The main window on a shared server behind this desk's revision that the counter's role may not
upgrade (issue 17): it opens, matches on the catalogue this counter kept (or shows no results
without one), says why in a box and in the status bar, and refuses whatever would print, log,
import or edit. The log tables of an older revision cannot be trusted to be what this desk writes,
and a sheet is only ever issued with its record in the log."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from desk.matching import first_view
from desk.ui import look

if TYPE_CHECKING:
    from desk.db.services import SchemaBehind
    from desk.ui.main_window import MainWindow

TITLE = "データベースが古い版です"
STATUS = "⚠ データベースが古い版: 記録・印刷できません"
# The pickers' choices when there is no catalogue at all (held back, none kept on this counter).
NO_CHOICES = first_view.Choices((), [], {}, {}, [], {}, {})

P = ParamSpec("P")
R = TypeVar("R")


def announce(window: MainWindow, behind: SchemaBehind) -> None:
    """Said in a box as the window opens and kept in the status bar (the whole line in its tooltip),
    so that no one takes the window for a working one."""
    from desk.fiscal import JAPAN

    if behind.catalogue_saved is not None:
        saved = behind.catalogue_saved.astimezone(JAPAN)
        results = (f"それまでは、この端末に保存してあるカタログの写し（{saved:%Y-%m-%d %H:%M} 保存）で"
                   "判定を表示します。")
    else:
        results = "この端末にカタログの写しがないため、判定結果は表示できません。"
        window.results.summary.set_lines([f"⚠ {results}"])
        look.mark(window.results.summary, look.ERROR, strong=True)
    label = QLabel(STATUS, window)
    label.setToolTip(behind.line)
    look.mark(label, look.ERROR, strong=True)
    window.statusBar().addPermanentWidget(label)
    text = f"{behind.line}\n\n{results}相談の記録、案内書・チラシの作成、データの取り込み・編集はできません。"
    QTimer.singleShot(0, window, lambda: window.notify_problem(TITLE, text))


def refused(window: MainWindow) -> bool:
    """Whether the window is held back: then the line `desk db upgrade` says is shown."""
    behind = window.schema_behind
    if behind is None:
        return False
    window.notify_problem(TITLE, behind.line)
    return True


def refused_then(action: Callable[Concatenate[MainWindow, P], R]) -> Callable[Concatenate[MainWindow, P], R | None]:
    """The window's ``action``, or, held back, the line and nothing done (None)."""
    @functools.wraps(action)
    def unless_held_back(window: MainWindow, /, *args: P.args, **kwargs: P.kwargs) -> R | None:
        return None if refused(window) else action(window, *args, **kwargs)

    return unless_held_back
