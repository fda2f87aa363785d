"""Sales changes from monthly figures: windows, comparison years, forecasts, merging."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.intake.reader import SalesChange
from desk.intake.sales import compute_sales_change, merge_sales_change, shift_month

ON = dt.date(2026, 11, 22)


def months(start: str, values: list[int]) -> dict[str, int]:
    return {shift_month(start, i): v for i, v in enumerate(values)}


def test_shift_month_across_years():
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2026-11", 14) == "2028-01"
    assert shift_month("2026-10", -36) == "2023-10"


def test_last_month_and_three_months_against_each_year():
    data = {**months("2023-08", [100] * 3), **months("2024-08", [100] * 3), **months("2025-08", [100] * 3),
            **months("2026-08", [90, 80, 70])}
    change = compute_sales_change(data, ON)
    assert change.last_1m == (-30.0, -30.0, -30.0)
    assert change.last_3m[0] == pytest.approx(-20.0)
    assert change.last_6m == (None, None, None)  # the earlier months are missing


def test_months_after_the_evaluation_month_are_forecasts():
    data = {**months("2025-10", [100, 100, 100]), **months("2026-10", [89, 90, 91])}
    change = compute_sales_change(data, dt.date(2026, 10, 15))
    assert change.last_1m[0] == pytest.approx(-11.0)   # October is the latest actual month
    assert change.next_3m_forecast[0] == pytest.approx(-10.0)


def test_no_actual_month_gives_nothing():
    assert compute_sales_change({"2027-01": 5}, ON) == SalesChange()


def test_a_zero_base_is_not_a_percentage():
    assert compute_sales_change({"2025-11": 0, "2026-11": 10}, ON).last_1m[0] is None


def test_stated_values_stand_and_disagreements_warn():
    stated = SalesChange(last_3m=(-12.5, None, None))
    computed = SalesChange(last_3m=(-10.0, -4.0, None), last_1m=(-11.0, None, None))
    merged, warnings = merge_sales_change(stated, computed)
    assert merged.last_3m == (-12.5, -4.0, None)
    assert merged.last_1m == (-11.0, None, None)
    assert len(warnings) == 1 and "入力値 -12.5% と月次売上からの計算値 -10.0%" in warnings[0]
