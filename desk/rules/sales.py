"""Checks on the business's sales: a decline over stated periods, or last month's
decline with the forecast of the months after it.

Sales changes are percentages against the same period one, two or three years
earlier (``desk.intake.sales``); a check passes on any listed comparison that
declines by at least its threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from desk import textfmt, vocab
from desk.intake.reader import SalesChange
from desk.rules.declare import Param, check
from desk.rules.outcome import Facts, Outcome, Todo

# 売上高 (sales) or 売上総利益 (gross profit): the seeds' 売上高等 accept either.
SALES_BASES = ("sales", "gross_profit")
SALES_YEARS = (1, 2, 3)
YEARS_JA = {1: "1年前", 2: "2年前", 3: "3年前"}
_YEARS_NOTE = "比較する年（1=1年前、2=2年前、3=3年前）"


def _years_problems(name: str) -> Callable[[dict[str, Any]], list[str]]:
    """The rule of a check with ``years``: each one 1, 2 or 3."""
    def problems(params: dict[str, Any]) -> list[str]:
        years = params.get("years")
        return [f"{name}.years: {year} は 1, 2, 3 のいずれかでなければなりません（{_YEARS_NOTE}）"
                for year in (years if isinstance(years, list) else ()) if year not in SALES_YEARS]
    return problems


def sales_fell(facts: Facts) -> bool | None:
    """Whether any stated or computed comparison shows a decline (None: nothing known)."""
    return _fell(facts.sales)


@lru_cache(maxsize=256)   # every certificate check of a match asks it, on the same figures
def _fell(sales: SalesChange) -> bool | None:
    values = [v for name in ("last_1m", "last_3m", "last_6m", "next_3m_forecast")
              for v in sales.period(name) if v is not None]
    if sales.last_fy is not None:
        values.append(sales.last_fy)
    if not values:
        return None
    return any(v < 0 for v in values)


def _declined(value: float, at_least: float) -> bool:
    # Inclusive ("5%以上減少" holds at -5.0); at_least 0 means any decline.
    return value < 0 if at_least == 0 else value <= -at_least


def _basis_outcome(params: dict[str, Any], facts: Facts) -> Outcome | None:
    bases = params.get("bases")
    basis = facts.intake.sales_basis
    if bases and basis and basis not in bases:
        wanted = "売上高" if bases == ["sales"] else "売上総利益"
        stated = "売上総利益" if basis == "gross_profit" else "売上高"
        return Outcome.unknown(f"{wanted}での比較が必要です（入力は{stated}）",
                               Todo(f"{wanted}の増減", kind="question"))
    return None


@check("sales_decline", "売上高等が一定以上減少していること", rule=_years_problems("sales_decline"),
       periods=Param("list[str]", required=True, choices=tuple(vocab.SALES_PERIODS)),
       years=Param("list[int]"),
       at_least_pct=Param("number", required=True),
       bases=Param("list[str]", choices=SALES_BASES))   # default: either (売上高等)
def sales_decline(params: dict[str, Any], facts: Facts) -> Outcome:
    basis = _basis_outcome(params, facts)
    years = params.get("years") or [1]
    at_least = params["at_least_pct"]
    periods = params["periods"]
    missing = []
    for period in periods:
        values = facts.sales.period(period)
        for year in (years if period != "last_fy" else [1]):
            value = values[year - 1]
            if value is None:
                missing.append((period, year))
            elif _declined(value, at_least):
                return basis or Outcome.ok()
    what = "・".join(vocab.SALES_PERIODS[p] for p in periods)
    size = "減少" if at_least == 0 else f"{textfmt.pct(at_least).rstrip('%')}%以上の減少"
    against = "・".join(YEARS_JA[y] for y in years)
    if missing:
        if len(missing) == sum(1 if p == "last_fy" else len(years) for p in periods):
            return Outcome.unknown(f"売上高等の{what}の増減の確認が必要です（{against}同期比で{size}）",
                                   Todo(f"{what}の売上高等と{against}の同期の売上高等", kind="question"))
        return Outcome.unknown(f"入力された比較では{size}に当たりません。{against}の同期とも比較してください",
                               Todo(f"{against}の同期との比較", kind="question"))
    return Outcome.fail(f"売上高等の{what}が{against}の同期比で{size}に当たりません")


@check("sales_decline_month_and_forecast",
       "最近1か月の売上高等が減少し、その後2か月を含む3か月も減少が見込まれること",
       rule=_years_problems("sales_decline_month_and_forecast"),
       years=Param("list[int]"),
       at_least_pct=Param("number", required=True),
       bases=Param("list[str]", choices=SALES_BASES))
def sales_decline_month_and_forecast(params: dict[str, Any], facts: Facts) -> Outcome:
    basis = _basis_outcome(params, facts)
    years = params.get("years") or [1]
    at_least = params["at_least_pct"]
    size = f"{textfmt.pct(at_least).rstrip('%')}%以上"
    unknown = False
    for year in years:
        month = facts.sales.last_1m[year - 1]
        outlook = facts.sales.next_3m_forecast[year - 1]
        if month is not None and outlook is not None and _declined(month, at_least) and _declined(outlook, at_least):
            return basis or Outcome.ok()
        if month is None:
            if outlook is None or _declined(outlook, at_least):
                unknown = True
        elif outlook is None and _declined(month, at_least):
            unknown = True
    against = "・".join(YEARS_JA[y] for y in years)
    if unknown:
        return Outcome.unknown("最近1か月と、その後2か月を含む3か月の見込みの売上高等の確認が必要です"
                               f"（{against}同期比で各{size}減少）",
                               Todo("最近1か月の売上高等と今後2か月の見込み", kind="question"))
    return Outcome.fail("最近1か月の売上高等と、その後2か月を含む3か月の見込みが"
                        f"{against}の同期比で各{size}減少に当たりません")

