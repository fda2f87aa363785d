"""Sales changes computed from raw monthly figures, and merged with stated ones.

Pure functions: given ``{"2026-10": 8200000, …}`` and the evaluation date, the
latest actual month is the newest month not after the evaluation month; months
after it are forecasts. Each period is compared with the same months one, two
and three years earlier, wherever both sides are complete. Nothing is rounded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from desk.intake.reader import SalesChange

PERIOD_FIELDS = {"last_1m": "last_1m_pct", "last_3m": "last_3m_pct", "last_6m": "last_6m_pct",
                 "next_3m_forecast": "next_3m_forecast_pct"}
YEAR_LABELS = ("1年前", "2年前", "3年前")
TOLERANCE_PCT = 0.05


def shift_month(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def latest_actual_month(monthly: dict[str, int], on: dt.date) -> str | None:
    current = f"{on.year:04d}-{on.month:02d}"
    actual = [m for m in monthly if m <= current]
    return max(actual) if actual else None


def pct_change(current: float, previous: float) -> float | None:
    if previous <= 0:
        return None
    return (current - previous) / previous * 100


def _window_change(monthly: dict[str, int], months: list[str], years_back: int) -> float | None:
    earlier = [shift_month(m, -12 * years_back) for m in months]
    if not all(m in monthly for m in months + earlier):
        return None
    return pct_change(sum(monthly[m] for m in months), sum(monthly[m] for m in earlier))


def compute_sales_change(monthly: dict[str, int], on: dt.date) -> SalesChange:
    """Every comparison the monthly figures allow (None where a side is missing)."""
    latest = latest_actual_month(monthly, on)
    if latest is None:
        return SalesChange()

    def years(months: list[str]) -> tuple[float | None, float | None, float | None]:
        values = [_window_change(monthly, months, y) for y in (1, 2, 3)]
        return (values[0], values[1], values[2])

    def back(n: int) -> list[str]:
        """The last ``n`` months up to the latest actual one, oldest first."""
        return [shift_month(latest, -i) for i in range(n - 1, -1, -1)]

    return SalesChange(
        last_1m=years(back(1)),
        last_3m=years(back(3)),
        last_6m=years(back(6)),
        next_3m_forecast=years([latest, shift_month(latest, 1), shift_month(latest, 2)]),
    )


def merge_sales_change(stated: SalesChange, computed: SalesChange) -> tuple[SalesChange, list[str]]:
    """Stated values stand; computed ones fill the gaps; disagreements become warnings."""
    warnings: list[str] = []

    def merged(period: str) -> tuple[float | None, float | None, float | None]:
        given, calc = stated.period(period), computed.period(period)
        values = []
        for i, (g, c) in enumerate(zip(given, calc, strict=True)):
            if g is not None and c is not None and abs(g - c) > TOLERANCE_PCT:
                warnings.append(f"sales_change.{PERIOD_FIELDS[period]}（{YEAR_LABELS[i]}比）: 入力値 {g:+.1f}% と"
                                f"月次売上からの計算値 {c:+.1f}% が異なります。入力値を使います")
            values.append(g if g is not None else c)
        return (values[0], values[1], values[2])

    # In the order of PERIOD_FIELDS, so the warnings come in that order.
    return replace(stated, last_1m=merged("last_1m"), last_3m=merged("last_3m"), last_6m=merged("last_6m"),
                   next_3m_forecast=merged("next_3m_forecast")), warnings
