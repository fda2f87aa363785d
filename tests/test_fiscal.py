"""Today is Japan's today: a computer left on another time zone dates nothing wrong."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from desk import fiscal

DESK = Path(__file__).parents[1] / "desk"


def test_today_is_the_date_in_japan(monkeypatch):
    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):   # 16:45 UTC on the 3rd is 01:45 on the 4th in Japan
            moment = dt.datetime(2026, 12, 3, 16, 45, tzinfo=dt.UTC)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(fiscal.dt, "datetime", Clock)
    assert fiscal.today() == dt.date(2026, 12, 4)


def test_no_module_asks_the_computer_for_its_own_date():
    """date.today() is the computer's zone's date: every day desk uses comes from fiscal.today()."""
    callers = [str(path.relative_to(DESK)) for path in DESK.rglob("*.py")
               if re.search(r"\bdate\.today\(\)", path.read_text(encoding="utf-8"))]
    assert callers == []
