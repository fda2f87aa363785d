"""examples/intakes/yokosuka-supplier-cost.json through `desk match --json`: the Nissan fund's cost
is COSTS.md's formulas, worked out here apart from desk.costs, on 2026-11-22 and after the fee
change of January 2027."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

from desk import cli

EXAMPLE = Path(__file__).parents[2] / "examples" / "intakes" / "yokosuka-supplier-cost.json"
P, TERM, GRACE = 30_000_000, 84, 12
N = TERM - GRACE                      # 72 instalments: the 25-or-more row, 0.55
RATE = Fraction(22, 1000)             # 2.2 %: the fund's tier beyond 5 years
MONTHLY = RATE / 12


def half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def fee(pct: str) -> int:
    rate = Fraction(pct) / 100
    return math.floor(P * rate * GRACE / 12) + math.floor(P * rate * N * Fraction(55, 100) / 12)



def _nissan(capsys, db: str, day: str) -> dict:
    assert cli.main(["--db", db, "match", "--json", "--date", day, str(EXAMPLE)]) == 0
    report = json.loads(capsys.readouterr().out)
    return next(p for p in report["programs"] if p["id"] == "kanagawa.nissan.main")


def test_the_nissan_funds_cost_is_the_formulas_own(capsys, db):
    nissan = _nissan(capsys, db, "2026-11-22")
    cost = nissan["cost"]
    interest = P * MONTHLY * GRACE + P * MONTHLY * (N + 1) / 2
    assert (cost["amount_yen"], cost["term_months"], cost["grace_months"], cost["method"]) == \
        (P, TERM, GRACE, "equal_principal")
    assert cost["interest_yen"] == half_up(interest) == 2_667_500
    assert cost["monthly_yen"] == {"during_grace": half_up(P * MONTHLY), "first": half_up(Fraction(P, N) + P * MONTHLY),
                                   "last": half_up(Fraction(P, N) * (1 + MONTHLY))}
    assert cost["guarantee_fee_yen"] == [fee("0.225"), fee("0.95")] == [290_250, 1_225_500]
    assert cost["total_yen"] == [half_up(interest) + fee("0.225"), half_up(interest) + fee("0.95")]
    assert any("2027年1月1日から" in a and "0.36〜1.52%" in a for a in cost["assumptions"])   # within 90 days


def test_after_the_january_change_the_fee_range_is_the_new_one(capsys, db):
    cost = _nissan(capsys, db, "2027-02-01")["cost"]
    assert cost["guarantee_fee_yen"] == [fee("0.36"), fee("1.52")] == [464_400, 1_960_800]
