"""Repayment: COSTS.md's worked schedules to the yen under its rounding rule."""

from __future__ import annotations

from fractions import Fraction

import pytest

from desk.costs.repayment import Method, repayment, round_yen, schedule, share_of_interest, yearly_rate


def test_equal_principal_with_a_years_grace():
    """1,000万円, 60 months, 12 months' grace, 2.2 %: interest 669,167円, first instalment 226,667円."""
    paid = repayment(10_000_000, yearly_rate("2.2"), 60, 12, Method.EQUAL_PRINCIPAL)
    assert round_yen(paid.interest) == 669_167
    assert round_yen(paid.first) == 226_667
    assert round_yen(paid.during_grace) == 18_333
    assert round_yen(paid.last) == 208_715   # 10,000,000 / 48 × (1 + 0.022 / 12)


def test_equal_payment_with_a_years_grace():
    """The same loan 元利均等: 217,825円 a month (217,825.22), interest 675,610円 from the unrounded payment."""
    paid = repayment(10_000_000, yearly_rate("2.2"), 60, 12, Method.EQUAL_PAYMENT)
    assert round_yen(paid.first) == round_yen(paid.last) == 217_825
    assert float(paid.first) == pytest.approx(217_825.22, abs=0.005)
    assert round_yen(paid.interest) == 675_610


def test_the_citys_share_of_a_sagamihara_type_loan():
    """1,000万円, 60 months, 6 months' grace, 2.5 %, the city's 1.2 %: 697,917円, the city 335,000円,
    the visitor 362,917円."""
    loan, city = yearly_rate("2.5"), yearly_rate("1.2")
    paid = repayment(10_000_000, loan, 60, 6, Method.EQUAL_PRINCIPAL)
    share = share_of_interest(paid.interest, loan, city)
    assert (round_yen(paid.interest), round_yen(share), round_yen(paid.interest - share)) == (697_917, 335_000, 362_917)


def test_a_citys_rate_above_the_loan_rate_is_capped_at_it():
    paid = repayment(10_000_000, yearly_rate("1.0"), 60, 0, Method.EQUAL_PRINCIPAL)
    assert share_of_interest(paid.interest, yearly_rate("1.0"), yearly_rate("1.5")) == paid.interest


def test_a_bullet_pays_interest_monthly_and_the_principal_at_the_end():
    paid = repayment(10_000_000, yearly_rate("2.0"), 12, 0, Method.BULLET)
    assert paid.interest == 10_000_000 * Fraction(2, 100) * 12 / 12
    assert round_yen(paid.first) == round_yen(paid.during_grace) == 16_667
    assert round_yen(paid.last) == 10_016_667


def test_rounding_is_half_up_once():
    assert round_yen(Fraction(1, 2)) == 1 and round_yen(Fraction(-1, 2)) == 0 and round_yen(Fraction(5, 3)) == 2


def test_a_rate_is_read_from_its_decimal_text():
    assert yearly_rate(2.2) == Fraction(22, 1000)   # not 0.022000000000000001776…


@pytest.mark.parametrize("bad", [(-1, 12, 0), (1_000_000, 0, 0), (1_000_000, 12, 12), (1_000_000, 12, -1)])
def test_impossible_loans_are_refused(bad):
    amount, term, grace = bad
    with pytest.raises(ValueError):
        repayment(amount, yearly_rate("1.0"), term, grace, Method.EQUAL_PRINCIPAL)


@pytest.mark.parametrize("method", list(Method))
def test_a_schedule_adds_up_to_the_closed_forms(method):
    rate = yearly_rate("2.2")
    rows = schedule(10_000_000, rate, 60, 12, method)
    paid = repayment(10_000_000, rate, 60, 12, method)
    assert len(rows) == 60 and rows[-1].balance == 0
    assert sum(r.principal for r in rows) == 10_000_000
    assert sum(r.interest for r in rows) == paid.interest
    if method is not Method.BULLET:
        assert all(r.principal == 0 for r in rows[:12]) and rows[12].principal + rows[12].interest == paid.first
