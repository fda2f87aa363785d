"""Open the app on a database, make a referral sheet from an intake file, and while its preview
is open (logged, neither printed nor saved) send this process a real signal.

    python -m tests.faults.app_preview_driver DB INTAKE SIGNAL

SIGNAL: TERM, HUP or KILL. The app does not catch them: the process ends with the preview open.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    db, intake, name = argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desk import paths
    from desk.db.store import Store
    from desk.db.urls import sqlite_url
    from desk.settings import Settings
    from desk.ui.app import create_application
    from desk.ui.main_window import MainWindow

    paths.init()
    create_application()
    window = MainWindow(store=Store.open(sqlite_url(Path(db))), settings=Settings.load())
    window.show()
    dialog = window.make_referral_from_file(Path(intake))
    assert dialog is not None and dialog.isVisible()
    print("preview open", flush=True)
    os.kill(os.getpid(), getattr(signal, f"SIG{name}"))
    return 3     # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
