"""Properties the associations' real formula and the closed forms must keep, on any loan."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.costs.guarantee_fee import guarantee_fee
from desk.costs.repayment import Method, repayment, share_of_interest
from tests.costs.test_guarantee_fee import STANDARD

amounts = st.integers(1, 300_000_000)
rates = st.integers(0, 500).map(lambda hundredths: Fraction(hundredths, 10_000))   # 0 … 5 %
fee_rates = st.integers(0, 250).map(lambda hundredths: Fraction(hundredths, 10_000))
methods = st.sampled_from(list(Method))
QUICK = settings(max_examples=300, deadline=None)


@st.composite
def loans(draw):
    term = draw(st.integers(2, 240))
    grace = draw(st.integers(0, min(term - 1, 36)))
    return draw(amounts), term, grace, draw(methods)


@QUICK
@given(loans(), rates, rates)
def test_interest_never_falls_as_the_rate_grows(loan, a, b):
    amount, term, grace, method = loan
    low, high = sorted((a, b))
    assert repayment(amount, low, term, grace, method).interest <= repayment(amount, high, term, grace, method).interest


@QUICK
@given(loans(), rates, st.integers(1, 60))
def test_interest_never_falls_as_the_term_grows(loan, rate, more):
    amount, term, grace, method = loan
    assert repayment(amount, rate, term, grace, method).interest <= \
        repayment(amount, rate, term + more, grace, method).interest


@QUICK
@given(loans(), fee_rates, fee_rates)
def test_the_fee_never_falls_as_the_fee_rate_grows(loan, a, b):
    amount, term, grace, method = loan
    low, high = sorted((a, b))
    assert guarantee_fee(amount, low, term, grace, method, STANDARD) <= \
        guarantee_fee(amount, high, term, grace, method, STANDARD)


@QUICK
@given(amounts, fee_rates, st.integers(2, 240), st.integers(0, 36), methods)
def test_the_fee_never_falls_as_the_term_grows_inside_a_bracket(amount, rate, instalments, grace, method):
    row = STANDARD.coefficient(instalments)
    if row is None or row.most == instalments:
        return   # the next month crosses into the next bracket, where the fee may fall
    term = grace + instalments
    assert guarantee_fee(amount, rate, term, grace, method, STANDARD) <= \
        guarantee_fee(amount, rate, term + 1, grace, method, STANDARD)


@QUICK
@given(loans(), rates, rates, fee_rates, fee_rates)
def test_the_total_never_falls_as_the_rate_or_the_fee_rate_grows(loan, r1, r2, f1, f2):
    amount, term, grace, method = loan
    (rate_low, rate_high), (fee_low, fee_high) = sorted((r1, r2)), sorted((f1, f2))

    def total(rate: Fraction, fee: Fraction) -> Fraction:
        return repayment(amount, rate, term, grace, method).interest + guarantee_fee(amount, fee, term, grace, method,
                                                                                    STANDARD)
    assert total(rate_low, fee_low) <= total(rate_high, fee_low) <= total(rate_high, fee_high)


@QUICK
@given(loans(), rates, rates)
def test_the_citys_share_never_exceeds_the_interest(loan, loan_rate, city_rate):
    amount, term, grace, method = loan
    interest = repayment(amount, loan_rate, term, grace, method).interest
    assert 0 <= share_of_interest(interest, loan_rate, city_rate) <= interest


@QUICK
@given(amounts, rates, st.integers(1, 240))
def test_a_bullets_interest_is_amount_times_rate_times_months_over_twelve(amount, rate, months):
    assert repayment(amount, rate, months, 0, Method.BULLET).interest == amount * rate * months / 12
