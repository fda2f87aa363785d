"""The window's data and tools actions: settings, the admin screens, the log, data packs,
the retention of personal details, and following a catalogue changed elsewhere.

Each takes the main window and goes through its services (:mod:`desk.db.services`).
A pack import or export runs on a worker thread (:mod:`desk.ui.background`) behind a
progress dialog; the window is updated in the GUI thread once it is done. Loaded on the
first use, off the app's start path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desk.db.services import DatabaseUnreachable, EditsAtStake, PacksRejected, RemovalsAtStake
from desk.matching import first_view
from desk.ui.background import BackgroundJob, run_in_background
from desk.ui.messages import confirm

if TYPE_CHECKING:
    from desk.ui.admin_dialog import AdminDialog
    from desk.ui.log_dialog import ConsultationLogDialog
    from desk.ui.main_window import MainWindow
    from desk.ui.settings_dialog import SettingsDialog


class PackQuestions:
    """What the pack actions ask (class methods: tests replace them)."""

    @classmethod
    def ask_pack_files(cls, parent: QWidget) -> list[Path]:
        from desk.ui import file_dialogs as files
        return files.ask_open_files(parent, files.PACKS, "データパックを取り込む", "データパック (*.yaml)")

    @classmethod
    def ask_export_directory(cls, parent: QWidget) -> Path | None:
        from desk.ui import file_dialogs as files
        return files.ask_folder(parent, files.PACK_EXPORT, "データパックの書き出し先")

    @classmethod
    def ask_overwrite_edits(cls, parent: QWidget, report: str) -> bool:
        return confirm(parent, QMessageBox.Icon.Question, "編集の上書き", report, "上書きして取り込みますか？")

    @classmethod
    def ask_allow_removals(cls, parent: QWidget, report: str) -> bool:
        return confirm(parent, QMessageBox.Icon.Warning, "制度・窓口の削除", report, "削除して取り込みますか？")


def show_settings(window: MainWindow) -> SettingsDialog:
    from desk.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window)
    dialog.accepted.connect(window.apply_settings)
    dialog.open()
    return dialog


def apply_retention(window: MainWindow) -> int:
    """Clear visitors' details from records older than the retention setting says."""
    days = int(window.settings.get("personal_retention_days") or 0)
    if days <= 0:
        return 0
    try:
        cleared = window.services.purge_personal_details(older_than_days=days)
    except DatabaseUnreachable:   # the shared server away at start: the next start clears them
        return 0
    if cleared:
        window.statusBar().showMessage(f"{days} 日より前の相談記録 {cleared} 件から個人情報を消しました", 10_000)
        # The backups hold them too (issue 15, item 13): rewritten off the GUI thread.
        run_in_background(lambda: window.services.purge_backups(older_than_days=days), on_done=lambda _done: None,
                          on_error=lambda exc: window.notify_problem(
                              "バックアップの個人情報を消せませんでした", f"次の起動時にもう一度試みます（{exc}）"))
    return cleared


def show_admin(window: MainWindow) -> AdminDialog:
    from desk.ui.admin_dialog import AdminDialog

    dialog = AdminDialog(window.services.admin, window, server=window.services.server)
    dialog.changed.connect(window.catalogue_changed)
    dialog.open()
    return dialog


def show_log(window: MainWindow) -> ConsultationLogDialog:
    from desk.ui.log_dialog import ConsultationLogDialog

    dialog = ConsultationLogDialog(window.services.log, window, settings=window.settings)
    dialog.open()
    return dialog


# --- following the catalogue ------------------------------------------------------------------------


def catalogue_changed(window: MainWindow) -> None:
    window.use_choices(first_view.choices_of(window.services.matcher.loaded(), window.today))
    window.update_results()


def check_catalogue(window: MainWindow) -> bool:
    """Follow a catalogue changed elsewhere (an import or an admin edit on another counter). A server
    that does not answer is said on the status bar; the window goes on with the catalogue it has."""
    try:
        fingerprint = window.services.fingerprint()
    except DatabaseUnreachable as exc:
        window.statusBar().showMessage(f"{exc}表示中のデータで判定しています。", 30_000)
        return False
    if fingerprint == window.shown_fingerprint:
        return False
    catalogue_changed(window)
    window.statusBar().showMessage("データが更新されました（他の端末での編集・取り込み）", 10_000)
    return True


# --- data packs, on a worker thread -------------------------------------------------------------------


def import_packs(window: MainWindow) -> BackgroundJob | None:
    """Ask for packs and import them; the job, or None when nothing was chosen."""
    files = PackQuestions.ask_pack_files(window)
    if not files:
        return None
    return _import(window, files, overwrite_edits=False, allow_removals=False)


def _import(window: MainWindow, files: Sequence[Path], *, overwrite_edits: bool,
            allow_removals: bool) -> BackgroundJob:
    packs = window.services.packs

    def done(summaries: Sequence[Any]) -> None:
        catalogue_changed(window)
        window.statusBar().showMessage("取り込みました: " + "、".join(f"{s.pack_id} {s.version}" for s in summaries))

    def failed(exc: BaseException) -> None:
        if isinstance(exc, EditsAtStake):
            # Asked here, in the GUI thread; then the same files again, overwriting.
            if PackQuestions.ask_overwrite_edits(window, str(exc)):
                _import(window, files, overwrite_edits=True, allow_removals=allow_removals)
            else:
                window.statusBar().showMessage("取り込みをやめました（データは変わっていません）")
        elif isinstance(exc, RemovalsAtStake):
            # A pack that leaves out programs or offices its older version had: asked before they go.
            if PackQuestions.ask_allow_removals(window, str(exc)):
                _import(window, files, overwrite_edits=overwrite_edits, allow_removals=True)
            else:
                window.statusBar().showMessage("取り込みをやめました（データは変わっていません）")
        elif isinstance(exc, PacksRejected):
            window.notify_problem("取り込めません（データは変わっていません）", str(exc))
        elif isinstance(exc, Exception):   # the database, the disk: one transaction, nothing changed
            window.notify_problem("取り込めません（データは変わっていません）", f"{type(exc).__name__}: {exc}")
        else:
            raise exc

    return _with_progress(window, "データパックを取り込んでいます…",
                          lambda: packs.import_files(files, overwrite_edits=overwrite_edits,
                                                     allow_removals=allow_removals), done, failed)


def export_packs(window: MainWindow) -> BackgroundJob | None:
    directory = PackQuestions.ask_export_directory(window)
    if directory is None:
        return None
    packs = window.services.packs

    def done(written: list[Path]) -> None:
        window.statusBar().showMessage(f"{len(written)} 個のデータパックを {directory} に書き出しました")

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, OSError):
            raise exc
        window.notify_problem("書き出せません", f"{directory} に書き出せませんでした（{exc.strerror}）。")

    return _with_progress(window, "データパックを書き出しています…", lambda: packs.export(directory), done, failed)


def _with_progress(window: MainWindow, label: str, work: Callable[[], Any], on_done: Callable[[Any], None],
                   on_error: Callable[[BaseException], None]) -> BackgroundJob:
    """Run ``work`` in the background behind a window-modal busy dialog; the pack actions wait
    until it is done (one import at a time)."""
    progress = QProgressDialog(label, "", 0, 0, window)
    progress.setWindowTitle("データパック")
    progress.setCancelButton(None)     # one transaction: it cannot stop half-way
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)   # a quick export shows no dialog
    progress.setValue(0)               # starts the 300 ms (a busy dialog gets no other value)
    window.statusBar().showMessage(label)
    actions = (window.menu_actions.import_action, window.menu_actions.export_action)
    for action in actions:
        action.setEnabled(False)

    def finish() -> None:
        progress.reset()
        progress.deleteLater()
        for action in actions:
            action.setEnabled(True)

    def done(value: Any) -> None:
        finish()
        on_done(value)

    def failed(exc: BaseException) -> None:
        finish()
        on_error(exc)

    return run_in_background(work, done, failed)
