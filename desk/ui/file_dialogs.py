"""The file dialogs: where each starts, and its size.

A dialog opened with Qt's static functions and no folder starts in the process's working
folder: for desk started from a desktop icon, somewhere no clerk keeps files. Each dialog here
starts in the folder last used for its kind of file (an intake, a sheet, a data pack, the
log's CSV, the monthly report), remembered in ``window.ini`` beside the window's layout (state, not a preference),
else in the user's documents folder (else the home folder), and is sized by
:func:`desk.ui.geometry.fit_to_screen`, so its buttons stay on a 1366×768 laptop's screen.

The window's ``ask_*`` class methods call these (tests replace those).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desk import paths
from desk.ui.geometry import fit_to_screen

PREFERRED_SIZE = QSize(900, 560)
# The labels Qt's own dialog shows in English even with Qt's Japanese translation installed
# (「Look in:」, 「Files of type:」 are set from its form, not through the translation).
LABELS = {QFileDialog.DialogLabel.LookIn: "場所:", QFileDialog.DialogLabel.FileName: "ファイル名(&N):",
          QFileDialog.DialogLabel.FileType: "ファイルの種類:"}
# The kinds of file a folder is remembered for: the folder of an intake is not that of a PDF.
INTAKE, SHEET, PACKS, PACK_EXPORT, LOG_EXPORT = "intake", "sheet", "packs", "pack-export", "log-export"
REPORT = "monthly-report"   # the log window's 月次報告 (PDF, and its CSV beside it)


def documents_folder() -> Path:
    """The user's documents folder, or the home folder when there is none (a new Linux account)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def _state() -> QSettings:
    from desk.fileio import private_file

    return QSettings(str(private_file(paths.get().config_dir / "window.ini")), QSettings.Format.IniFormat)


def start_folder(kind: str) -> Path:
    """The folder last used for this kind of file, while it exists; else the documents folder."""
    kept = _state().value(f"folders/{kind}")
    if isinstance(kept, str) and kept and Path(kept).is_dir():
        return Path(kept)
    return documents_folder()


def remember(kind: str, folder: Path) -> None:
    state = _state()
    state.setValue(f"folders/{kind}", str(folder))
    state.sync()


def _dialog(parent: QWidget, title: str, kind: str, name_filter: str = "") -> QFileDialog:
    dialog = QFileDialog(parent, title, str(start_folder(kind)), name_filter)
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    fit_to_screen(dialog, PREFERRED_SIZE)
    return dialog


def _chosen(dialog: QFileDialog, kind: str, *, folder: bool = False) -> list[Path]:
    """What was chosen (nothing when cancelled); its folder is remembered for the next time."""
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        chosen = [Path(name) for name in dialog.selectedFiles()]
    finally:
        dialog.deleteLater()   # not kept as the window's child
    if chosen:
        remember(kind, chosen[0] if folder else chosen[0].parent)
    return chosen


def ask_open_file(parent: QWidget, kind: str, title: str, name_filter: str) -> Path | None:
    dialog = _dialog(parent, title, kind, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _chosen(dialog, kind)
    return chosen[0] if chosen else None


def ask_open_files(parent: QWidget, kind: str, title: str, name_filter: str) -> list[Path]:
    dialog = _dialog(parent, title, kind, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _chosen(dialog, kind)


def ask_save_file(parent: QWidget, kind: str, title: str, suggested_name: str, name_filter: str,
                  suffix: str) -> Path | None:
    """A file to write; a name typed without ``suffix`` gets it before the dialog asks about
    overwriting a file of that name."""
    dialog = _dialog(parent, title, kind, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    if suggested_name:
        dialog.selectFile(suggested_name)   # a name alone: in the start folder
    chosen = _chosen(dialog, kind)
    return chosen[0] if chosen else None


def ask_folder(parent: QWidget, kind: str, title: str) -> Path | None:
    dialog = _dialog(parent, title, kind)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _chosen(dialog, kind, folder=True)
    return chosen[0] if chosen else None
