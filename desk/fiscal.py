"""Dates of the Japanese fiscal year (April to March), of validity windows, and today's date in Japan.

Data is *stale* once the fiscal year after its own has begun. Pure functions, used by
the engine, the catalogue listing and the leaflet.
"""

from __future__ import annotations

import datetime as dt

JAPAN = dt.timezone(dt.timedelta(hours=9))   # no summer time; reference numbers and the log use it too


def today() -> dt.date:
    """Today in Japan, whatever the computer's own time zone: the day a sheet is dated, the
    funds in force, the reference number (a PC left on UTC dated a sheet 12月3日 at 01:45 on
    the 4th, while its number and the log said the 4th)."""
    return dt.datetime.now(JAPAN).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time in UTC: SQLite gives back the UTC wall time without a zone, PostgreSQL an aware time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def fiscal_year(day: dt.date) -> int:
    """The Japanese fiscal year a day falls in (FY2026 runs 2026-04-01 to 2027-03-31)."""
    return day.year if day.month >= 4 else day.year - 1


def is_stale(as_of: dt.date | None, on: dt.date) -> bool:
    """Whether data dated ``as_of`` is older than the fiscal year of ``on``."""
    return as_of is not None and fiscal_year(as_of) < fiscal_year(on)


def in_force(valid_from: dt.date | None, valid_to: dt.date | None, on: dt.date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)
