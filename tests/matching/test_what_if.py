"""The what-if: a fund's cost for another loan without matching again, equal to what a match on
that loan gives, with the fund's own caps said."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desk.costs.estimate import Request
from desk.costs.repayment import Method
from desk.intake.places import resolve_place
from desk.intake.reader import read_intake
from desk.matching import comparison, what_if
from desk.matching.costing import request_of
from desk.matching.service import run

ON = dt.date(2026, 11, 22)
EXAMPLE = Path(__file__).parents[2] / "examples" / "intakes" / "yokosuka-supplier-cost.json"
NISSAN = "kanagawa.nissan.main"


def _visitor(**changes: object) -> dict[str, object]:
    return {**json.loads(EXAMPLE.read_text(encoding="utf-8")), **changes}


def _match(loaded, data):
    intake = read_intake(data).intake
    return intake, run(loaded, intake, resolve_place(loaded.places, municipality="横須賀市"), on=ON)


def _costed(report):
    return [f for f in report.funds if f.status in ("eligible", "conditional") and f.cost is not None]


def test_on_the_forms_request_the_what_if_gives_the_answers_own_costs(loaded_catalogue):
    intake, report = _match(loaded_catalogue, _visitor())
    funds = _costed(report)
    assert len(funds) >= 3
    found = what_if.bases(loaded_catalogue.catalogue, intake, funds, on=ON)
    assert [b.fund.id for b in found] == [f.id for f in funds]
    for basis in found:
        assert what_if.cost_of(basis, request_of(intake)) == basis.fund.cost


@pytest.mark.parametrize("changes", [
    {"amount_yen": 10_000_000, "term_months": 60, "grace_months": 6},
    {"term_months": 36, "grace_months": 0, "repayment": "equal_payment"},
    {"term_months": 12, "repayment": "bullet"},
    {"term_months": 240, "grace_months": 60},            # beyond every fund's longest: capped
    {"amount_yen": 500_000_000},                         # beyond every limit: capped
], ids=["shorter", "equal-payment", "bullet", "too-long", "too-much"])
def test_another_loan_costs_what_a_match_on_it_would(loaded_catalogue, changes):
    intake, report = _match(loaded_catalogue, _visitor())
    found = what_if.bases(loaded_catalogue.catalogue, intake, _costed(report), on=ON)
    other_intake, other = _match(loaded_catalogue, _visitor(**changes))
    by_id = {f.id: f for f in other.funds}
    for basis in found:
        # The match's figures where the fund still fits that loan (a longer loan may make it conditional).
        assert what_if.cost_of(basis, request_of(other_intake)) == by_id[basis.fund.id].cost


def test_where_the_funds_terms_cap_the_request_it_is_said(loaded_catalogue):
    intake, report = _match(loaded_catalogue, _visitor())
    nissan = next(b for b in what_if.bases(loaded_catalogue.catalogue, intake, _costed(report), on=ON)
                  if b.fund.id == NISSAN)
    cost = what_if.cost_of(nissan, Request(500_000_000, 600, 120, Method.EQUAL_PRINCIPAL))
    assert cost is not None
    # The longest term for both uses asked (working capital: 10 years; equipment alone: 15).
    assert (cost.amount_yen, cost.term_months) == (nissan.fund.remaining_limit_yen, 120)
    assert cost.grace_months == nissan.fund.grace_months
    said = comparison.fitted(cost)
    assert any("ご希望額のうち" in s for s in said) and any("ご希望の期間は" in s for s in said)
    assert any("据置期間" in s for s in said)
    assert not set(said) & set(comparison.others(cost))
    assert set(said) | set(comparison.others(cost)) == set(cost.assumptions)
    unchanged = what_if.cost_of(nissan, request_of(intake))
    assert unchanged is not None and comparison.fitted(unchanged) == ()


def test_without_an_amount_there_is_no_figure(loaded_catalogue):
    intake, report = _match(loaded_catalogue, _visitor())
    basis = what_if.bases(loaded_catalogue.catalogue, intake, _costed(report), on=ON)[0]
    assert what_if.cost_of(basis, Request(None, 60, None, None)) is None


@pytest.mark.parametrize("on", [ON, dt.date(2027, 2, 1)], ids=["before-the-change", "after-the-change"])
def test_with_fee_options_the_what_if_still_gives_the_answers_own_costs(loaded_catalogue, on):
    """The visitor weighing 経営者保証非提供 (a wider fee range, a scheduled change widened alike)."""
    intake = read_intake(_visitor(fee_options=["no_personal_guarantee"])).intake
    report = run(loaded_catalogue, intake, resolve_place(loaded_catalogue.places, municipality="横須賀市"), on=on)
    found = what_if.bases(loaded_catalogue.catalogue, intake, _costed(report), on=on)
    assert found
    for basis in found:
        assert what_if.cost_of(basis, request_of(intake)) == basis.fund.cost, basis.fund.id
