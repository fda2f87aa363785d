"""One fund's cost for one visitor: the request fitted to the fund's terms, every choice said."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.costs.estimate import FITTED_STARTS, FundTerms, Request, estimate
from desk.costs.repayment import Method
from tests.costs.test_guarantee_fee import STANDARD

ON = dt.date(2026, 11, 22)
INSTALMENTS = frozenset({Method.EQUAL_PRINCIPAL, Method.EQUAL_PAYMENT})
KANAGAWA_LIKE = FundTerms(rate_pct=2.2, city_share_pct=None, remaining_limit_yen=80_000_000, max_term_months=120,
                          max_grace_months=24, methods=INSTALMENTS | {Method.BULLET}, bullet_max_months=12,
                          guarantee="required", fee_range_pct=(0.225, 0.95))


def test_costs_md_schedule_through_the_estimate():
    cost = estimate(Request(10_000_000, 60, 12, None), KANAGAWA_LIKE, STANDARD, on=ON)
    assert cost is not None
    assert (cost.interest_yen, cost.monthly_during_grace, cost.monthly_first) == (669_167, 18_333, 226_667)
    assert cost.guarantee_fee_yen == (72_000, 304_000)
    assert cost.total_yen == (669_167 + 72_000, 669_167 + 304_000)
    assert cost.method == Method.EQUAL_PRINCIPAL and cost.city_share_yen == 0
    assert any("上限の値で計算" in a for a in cost.assumptions)


def test_the_citys_share_is_taken_off_the_visitors_interest_and_payments():
    fund = KANAGAWA_LIKE._replace(rate_pct=2.5, city_share_pct=1.2, guarantee="none", fee_range_pct=None)
    cost = estimate(Request(10_000_000, 60, 6, Method.EQUAL_PRINCIPAL), fund, STANDARD, on=ON)
    assert cost is not None
    assert (cost.interest_yen, cost.city_share_yen, cost.own_interest_yen) == (697_917, 335_000, 362_917)
    assert cost.total_yen == (362_917, 362_917) and cost.guarantee_fee_yen == (0, 0)
    assert cost.monthly_during_grace == 10_833   # 1,000万円 × 1.3 % / 12: the visitor's own rate


def test_the_request_is_fitted_to_the_funds_terms_and_each_choice_said():
    fund = KANAGAWA_LIKE._replace(remaining_limit_yen=20_000_000, max_term_months=84, max_grace_months=12)
    cost = estimate(Request(30_000_000, 120, 24, None), fund, STANDARD, on=ON)
    assert cost is not None
    assert (cost.amount_yen, cost.term_months, cost.grace_months) == (20_000_000, 84, 12)
    said = " ".join(cost.assumptions)
    assert "2,000万円で計算" in said and "7年で計算" in said and "1年で計算" in said


@pytest.mark.parametrize(("term", "grace", "max_grace", "used", "said"), [
    # over the fund's limit and not shorter than the term: one sentence, both limits, the grace used
    (12, 24, 12, 11, "ご希望の据置期間はこの資金の上限（1年）を超え、据置は期間（1年）より短くなければならないため、"
                     "11か月で計算しています。"),
    (12, 36, 18, 11, "ご希望の据置期間はこの資金の上限（1年6か月）を超え、据置は期間（1年）より短くなければならない"
                     "ため、11か月で計算しています。"),
    # one limit only: its own sentence, as before
    (60, 24, 12, 12, "ご希望の据置期間はこの資金の上限を超えるため、1年で計算しています。"),
    (12, 12, 24, 11, "据置は期間より短くなければならないため、11か月で計算しています。"),
    (12, 6, 12, 6, None)], ids=["both-limits", "both-limits-longer-maximum", "fund-limit", "term", "within"])
def test_a_grace_over_the_funds_limit_or_the_term_is_said_once_with_the_grace_used(term, grace, max_grace, used,
                                                                                     said):
    """A grace of 24 months on a term of 12 at a fund allowing 12 read 「…1年で計算しています。」 and then
    「…11か月で計算しています。」: two graces for one figure."""
    cost = estimate(Request(10_000_000, term, grace, None), KANAGAWA_LIKE._replace(max_grace_months=max_grace),
                    STANDARD, on=ON)
    assert cost is not None and cost.grace_months == used
    assert [a for a in cost.assumptions if a.startswith("ご希望の据置") or a.startswith("据置")] == (
        [said] if said else [])


def test_without_a_term_the_longest_the_fund_allows():
    cost = estimate(Request(10_000_000, None, None, None), KANAGAWA_LIKE, STANDARD, on=ON)
    assert cost is not None and cost.term_months == 120 and cost.grace_months == 0
    assert estimate(Request(10_000_000, None, None, None), KANAGAWA_LIKE._replace(max_term_months=None),
                    STANDARD, on=ON) is None


def test_a_bullet_beyond_the_funds_longest_run_is_costed_with_its_own_method():
    cost = estimate(Request(10_000_000, 36, 0, Method.BULLET), KANAGAWA_LIKE, STANDARD, on=ON)
    assert cost is not None and cost.method == Method.EQUAL_PRINCIPAL
    assert any("返済方法" in a for a in cost.assumptions)
    bullet = estimate(Request(10_000_000, 12, 3, Method.BULLET), KANAGAWA_LIKE, STANDARD, on=ON)
    assert bullet is not None and bullet.method == Method.BULLET and bullet.grace_months == 0
    assert bullet.interest_yen == 220_000 and bullet.monthly_last == 10_018_333


def test_a_grace_the_seeds_give_no_maximum_for_is_costed_without_one():
    cost = estimate(Request(10_000_000, 60, 12, None), KANAGAWA_LIKE._replace(max_grace_months=None), STANDARD, on=ON)
    assert cost is not None and cost.grace_months == 0 and cost.monthly_during_grace is None
    assert any("据置なし" in a for a in cost.assumptions)


def test_a_fee_the_seeds_do_not_give_is_left_out_of_the_total_and_said():
    cost = estimate(Request(10_000_000, 60, 0, None), KANAGAWA_LIKE._replace(fee_range_pct=None), STANDARD, on=ON)
    assert cost is not None and cost.guarantee_fee_yen is None and cost.total_yen[1] is None
    assert any("保証料が資料にない資金" in a for a in cost.assumptions)


def test_an_optional_guarantee_is_costed_with_it_and_says_so():
    cost = estimate(Request(10_000_000, 60, 0, None), KANAGAWA_LIKE._replace(guarantee="optional"), STANDARD, on=ON)
    assert cost is not None and cost.guarantee_fee_yen is not None and cost.guarantee_fee_yen[0] > 0
    assert any("付けなければ保証料なし" in a for a in cost.assumptions)


def test_a_scheduled_fee_change_is_said():
    fund = KANAGAWA_LIKE._replace(fee_change=(dt.date(2027, 1, 1), (0.36, 1.52)))
    cost = estimate(Request(10_000_000, 60, 0, None), fund, STANDARD, on=ON)
    assert cost is not None and any("2027年1月1日から" in a and "0.36" in a for a in cost.assumptions)


def test_no_cost_without_an_amount_or_a_fixed_rate():
    assert estimate(Request(None, 60, 0, None), KANAGAWA_LIKE, STANDARD, on=ON) is None
    assert estimate(Request(10_000_000, 60, 0, None), KANAGAWA_LIKE._replace(rate_pct=None), STANDARD, on=ON) is None
    assert estimate(Request(10_000_000, 60, 0, None), KANAGAWA_LIKE._replace(remaining_limit_yen=0), STANDARD,
                    on=ON) is None


@pytest.mark.parametrize("request_", [
    Request(30_000_000, 150, 36, Method.BULLET), Request(10_000_000, None, 6, Method.EQUAL_PAYMENT),
    Request(90_000_000, 60, 60, None), Request(10_000_000, 24, 30, Method.BULLET), Request(5_000_000, 12, 0, None)])
@pytest.mark.parametrize("fund", [
    KANAGAWA_LIKE, KANAGAWA_LIKE._replace(max_grace_months=None, fee_range_pct=None, guarantee="optional"),
    KANAGAWA_LIKE._replace(methods=frozenset({Method.EQUAL_PRINCIPAL}), remaining_limit_yen=8_000_000,
                           fee_change=(dt.date(2027, 1, 1), (0.36, 1.52)))])
def test_the_sentences_that_say_a_request_was_fitted_are_the_ones_that_begin_so(request_, fund):
    """FITTED_STARTS: the sentences a request already fitted to the fund does not get, and only those."""
    cost = estimate(request_, fund, STANDARD, on=ON)
    assert cost is not None
    fitted_request = Request(cost.amount_yen, cost.term_months, cost.grace_months, Method(cost.method))
    again = estimate(fitted_request, fund, STANDARD, on=ON)
    assert again is not None and again._replace(assumptions=()) == cost._replace(assumptions=())
    fitted = [a for a in cost.assumptions if a.startswith(FITTED_STARTS)]
    assert fitted == [a for a in cost.assumptions if a not in again.assumptions]
    assert not [a for a in again.assumptions if a.startswith(FITTED_STARTS)]
