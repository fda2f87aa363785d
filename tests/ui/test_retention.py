"""The app's retention at start-up clears the backups too, off the GUI thread (issue 15, item 13)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from desk.db import backup
from desk.db.consultations import OrmLogWriter
from desk.db.engine import session_factory
from desk.intake.reader import read_intake
from desk.log import records
from tests import answers


def test_retention_clears_the_database_then_the_backups(qtbot, catalogue_engine, make_window):
    intake = read_intake({"business_name": "事業者", "visitor_name": "来訪者甲乙丙"}).intake
    records.record(OrmLogWriter(session_factory(catalogue_engine)), intake=intake, report=answers.report(),
                   device="6f1c2a9e-0000-4000-8000-000000000000", window_name=None, staff_name=None,
                   now=dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    saved = backup.backup(catalogue_engine.url.render_as_string(), "manual")
    window = make_window()
    window.settings.set("personal_retention_days", 365)

    def names() -> list:
        with sqlite3.connect(saved) as c:
            return [r[0] for r in c.execute("SELECT visitor_name FROM consultation")]

    assert window.apply_retention() == 1
    qtbot.waitUntil(lambda: names() == [None], timeout=5000)
