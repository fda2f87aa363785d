"""The guarantee fee: the associations' published worked examples to the yen (COSTS.md)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from desk.costs.guarantee_fee import CoefficientRow, CoefficientTable, guarantee_fee
from desk.costs.repayment import Method, yearly_rate

# The table Saitama, Tokyo, Hokkaido and Yokohama publish (and Kanagawa confirms for 25 or more).
STANDARD = CoefficientTable((
    CoefficientRow(2, 6, Fraction("0.70"), Fraction("0.77"), False),
    CoefficientRow(7, 12, Fraction("0.65"), Fraction("0.72"), False),
    CoefficientRow(13, 24, Fraction("0.60"), Fraction("0.66"), False),
    CoefficientRow(25, None, Fraction("0.55"), Fraction("0.61"), True),
))


@pytest.mark.parametrize(("who", "amount", "pct", "term", "grace", "fee"), [
    ("Kanagawa", 10_000_000, "1.35", 60, 0, 371_250),
    ("Saitama", 10_000_000, "1.15", 60, 0, 316_250),
    ("Tokyo", 12_000_000, "1.15", 24, 0, 165_600),   # a float gives 165,599
    ("Kumamoto", 5_000_000, "1.35", 36, 6, 126_562),   # 33,750 + 92,812 (92,812.5 truncated)
    ("Hokkaido", 5_000_000, "1.35", 48, 0, 148_500),
])
def test_the_published_examples_to_the_yen(who, amount, pct, term, grace, fee):
    assert guarantee_fee(amount, yearly_rate(pct), term, grace, Method.EQUAL_PRINCIPAL, STANDARD) == fee


def test_the_worked_schedule_of_costs_md():
    """1,000万円, 60 months, 12 months' grace (48 instalments): 22,500 + 49,500 at 0.225 %, 95,000 +
    209,000 at 0.95 %."""
    assert guarantee_fee(10_000_000, yearly_rate("0.225"), 60, 12, Method.EQUAL_PRINCIPAL, STANDARD) == 72_000
    assert guarantee_fee(10_000_000, yearly_rate("0.95"), 60, 12, Method.EQUAL_PRINCIPAL, STANDARD) == 304_000


def test_the_coefficient_follows_the_instalments_not_the_months():
    """24 × 0.60 = 14.4 but 25 × 0.55 = 13.75: a month longer can cost less, as the associations charge."""
    rate = yearly_rate("1.0")
    assert guarantee_fee(10_000_000, rate, 25, 0, Method.EQUAL_PRINCIPAL, STANDARD) < \
        guarantee_fee(10_000_000, rate, 24, 0, Method.EQUAL_PRINCIPAL, STANDARD)
    # 36 months with 12 of grace: 24 instalments, the 13–24 row.
    assert guarantee_fee(10_000_000, rate, 36, 12, Method.EQUAL_PRINCIPAL, STANDARD) == 100_000 + 120_000


def test_a_bullet_is_charged_without_a_coefficient():
    assert guarantee_fee(10_000_000, yearly_rate("1.0"), 12, 0, Method.BULLET, STANDARD) == 100_000


def test_a_grace_that_leaves_no_instalment_is_refused():
    with pytest.raises(ValueError):
        guarantee_fee(10_000_000, yearly_rate("1.0"), 12, 12, Method.EQUAL_PRINCIPAL, STANDARD)
