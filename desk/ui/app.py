"""Starting the Qt application: translations, fonts, the main window."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from desk.settings import Settings
from desk.ui.look import apply_font_size
from desk.ui.main_window import MainWindow

if TYPE_CHECKING:
    from desk.db.services import DeskServices


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("desk")
    app.setApplicationDisplayName("融資相談窓口デスク")
    app.setOrganizationName("desk")
    _install_japanese_translations(app)
    _use_japanese_ui_font(app)
    return app


# A Japanese UI font for all text, Latin included: one typeface throughout, and Qt need
# not look for a fallback font for every kanji (the first text laid out is 3 ms quicker).
# IPAex Gothic is what make installs on Linux; Windows and macOS have their own.
JAPANESE_UI_FONTS = ["IPAexGothic", "Yu Gothic UI", "Meiryo UI", "Hiragino Sans"]


def _use_japanese_ui_font(app: QApplication) -> None:
    font = QFont(app.font())
    font.setFamilies([*JAPANESE_UI_FONTS, *font.families()])
    app.setFont(font)


def _install_japanese_translations(app: QApplication) -> None:
    # Qt's own translations give its dialogs and menus Japanese words: standard buttons (キャンセル,
    # 変更を破棄), a line edit's menu (コピー, 貼り付け), the file and print dialogs. PySide6's wheel
    # ships qtbase_ja.qm; qt_ja.qm (the older catalogue naming it) where only that is found. The few
    # labels the file dialog takes from its form in English anyway are set in desk.ui.file_dialogs.
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Japanese), catalogue, "_", folder):
            app.installTranslator(translator)
            return


def show_start_problem(message: str) -> None:
    """A database the app cannot open (a newer desk's, another application's, locked): the same
    line as on the terminal, in a box, since the app is mostly started from a desktop icon."""
    from PySide6.QtWidgets import QMessageBox

    create_application()
    QMessageBox.critical(None, "データベースを開けません", message)


def run_app(*, store: DeskServices, exit_when_ready: bool = False, exit_when_loaded: bool = False) -> int:
    app = create_application()
    settings = Settings.load()
    apply_font_size(settings)   # before the window: see MainWindow.__init__
    # --exit-when-ready quits once the window and its first results are up: the engine's load,
    # 30 ms later, must not race that quit on a busy machine.
    window = MainWindow(store=store, settings=settings, engine_when_shown=not exit_when_ready)
    window.show()
    # What start-up made (modules, Qt's wrappers, the window) lives as long as the process:
    # out of the collector's way, a full collection while staff type does not walk it, and
    # the exit does not either (it halves the time the process takes to end).
    gc.freeze()
    gc.enable()   # `desk` turned it off for the start
    window.engine_loaded.connect(gc.freeze)   # the catalogue too, once it is in
    if exit_when_ready:
        # The window is shown and its first results are in once the event loop turns.
        QTimer.singleShot(0, app.quit)
    if exit_when_loaded:
        window.engine_loaded.connect(app.quit)
    return app.exec()
