"""Starting the Qt application: translations, fonts, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from desk.settings import Settings
from desk.store import Store
from desk.ui.main_window import MainWindow


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("desk")
    app.setApplicationDisplayName("融資相談窓口デスク")
    app.setOrganizationName("desk")
    _install_japanese_translations(app)
    return app


def _install_japanese_translations(app: QApplication) -> None:
    # Qt's own translations give standard buttons (OK, キャンセル) in Japanese.
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", folder):
        app.installTranslator(translator)


def run_app(*, store: Store, exit_when_ready: bool = False) -> int:
    app = create_application()
    window = MainWindow(store=store, settings=Settings.load())
    window.show()
    if exit_when_ready:
        # The window is shown and its first results are in once the event loop turns.
        QTimer.singleShot(0, app.quit)
    return app.exec()
