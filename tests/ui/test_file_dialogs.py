"""The file dialogs start in the documents folder or the one last used for their kind, and fit a laptop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QLineEdit

from desk.ui import file_dialogs
from desk.ui.main_window import MainWindow
from desk.ui.referral_preview import ReferralPreviewDialog


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: folder)
    return folder


def answer_with(typed: str | None, seen: list[tuple[str, object]]) -> None:
    """Once the dialog is up: note where it starts and its size, then type ``typed`` into its name
    box and press Enter (None: Esc). The names the folder completes may be listed under the box
    by then: Esc closes that list first, as staff would."""
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog) or not dialog.isVisible():   # (the last one, on its way out)
            QTimer.singleShot(20, guarded)
            return
        area = dialog.screen().availableGeometry()
        seen.append((dialog.directory().absolutePath(), dialog.width() <= area.width()
                     and dialog.height() <= area.height()))
        if typed is None:
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            return
        # Typed once the dialog has read its folder (a name typed before is not taken: no clerk is
        # that quick).
        folder = dialog.findChild(QFileSystemModel)
        folder.directoryLoaded.connect(lambda _path: QTimer.singleShot(0, lambda: choose(dialog)),
                                       Qt.ConnectionType.SingleShotConnection)

    def choose(dialog: QFileDialog) -> None:
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.selectAll()
        QTest.keyClicks(name, typed)
        popup = name.completer().popup()
        if popup.isVisible():
            QTest.keyClick(popup, Qt.Key.Key_Escape)
        QTest.keyClick(name, Qt.Key.Key_Return)

    def guarded() -> None:
        # A failure here would leave the dialog waiting for ever: it is closed, and the test fails.
        try:
            answer()
        except BaseException as exc:
            seen.append(("failed", exc))
            dialog = QApplication.activeModalWidget()
            if dialog is not None:
                dialog.close()
    QTimer.singleShot(0, guarded)


def test_a_save_dialog_starts_in_the_documents_then_where_the_last_file_went(qtbot, make_window, documents,
                                                                             tmp_path):
    """Not the process's working folder (fresh eyes found the app's install folder there)."""
    window = make_window()
    seen: list[tuple[str, object]] = []
    answer_with(None, seen)
    assert ReferralPreviewDialog.ask_save_path(window, "融資制度のご案内_1.pdf") is None
    assert seen == [(str(documents), True)]
    elsewhere = tmp_path / "sheets"
    elsewhere.mkdir()
    answer_with(str(elsewhere / "sheet"), seen)
    assert ReferralPreviewDialog.ask_save_path(window, "x.pdf") == elsewhere / "sheet.pdf"   # the suffix added
    answer_with(None, seen)
    ReferralPreviewDialog.ask_save_path(window, "y.pdf")
    assert seen[-1] == (str(elsewhere), True)                           # remembered for sheets
    answer_with(None, seen)
    MainWindow.ask_save_intake_path(window)
    assert seen[-1] == (str(documents), True)                           # not for intake files


def test_an_open_dialog_remembers_its_folder_across_starts_until_it_is_gone(qtbot, make_window, documents,
                                                                            tmp_path):
    window = make_window()
    visitors = tmp_path / "visitors"
    visitors.mkdir()
    (visitors / "a.json").write_text("{}", encoding="utf-8")
    seen: list[tuple[str, object]] = []
    answer_with(str(visitors / "a.json"), seen)
    assert MainWindow.ask_open_path(window) == visitors / "a.json"
    assert file_dialogs._state().value("folders/intake") == str(visitors)   # in window.ini: the next start too
    answer_with(None, seen)
    MainWindow.ask_open_path(window)
    assert seen[-1] == (str(visitors), True)
    (visitors / "a.json").unlink()
    visitors.rmdir()                                                     # a USB stick taken out
    answer_with(None, seen)
    MainWindow.ask_open_path(window)
    assert seen[-1] == (str(documents), True)


def test_the_monthly_report_is_saved_through_the_same_dialog(qtbot, make_window, documents):
    """Fresh eyes: 月次報告を保存 opened in the program's folder, with 「Look in:」 and 「File name:」."""
    from desk.ui.log_questions import MonthlyReportDialog

    window = make_window()
    seen: list[object] = []

    def answer() -> None:
        asking = QApplication.activeModalWidget()
        if isinstance(asking, MonthlyReportDialog) and asking.isVisible():
            QTest.keyClick(asking, Qt.Key.Key_Return)         # the month as offered: OK
            QTimer.singleShot(0, answer)
        elif isinstance(asking, QFileDialog) and asking.isVisible():
            seen.append((asking.directory().absolutePath(), asking.labelText(QFileDialog.DialogLabel.FileName),
                         asking.labelText(QFileDialog.DialogLabel.LookIn), asking.windowTitle()))
            QTest.keyClick(asking, Qt.Key.Key_Escape)
        elif len(seen) < 1:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    assert MonthlyReportDialog.ask(window) is None               # cancelled at the file
    assert seen == [(str(documents), "ファイル名(&N):", "場所:", "月次報告を保存")]


def test_every_file_dialog_in_the_window_goes_through_file_dialogs():
    """Where each starts and its labels are said once (desk.ui.file_dialogs): no module opens
    Qt's dialog itself."""
    ui = Path(file_dialogs.__file__).parent
    direct = [path.name for path in ui.glob("*.py")
              if path.name != "file_dialogs.py" and "QFileDialog" in path.read_text(encoding="utf-8")]
    assert direct == []
