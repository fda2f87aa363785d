"""Repayment in exact arithmetic: the interest and the monthly figures of a loan.

Closed forms over :class:`fractions.Fraction` (COSTS.md, "Repayment"): a float gets the
published figures wrong by a yen, and a Decimal of any precision cannot hold a third of a yen.
Totals and monthly figures stay exact until :func:`round_yen` rounds each once, half up.

Symbols as in COSTS.md: P the amount, i the monthly rate (yearly / 12), g the grace months
(interest only), n the instalments after the grace (term − g).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple


class Method(StrEnum):
    """How the principal is paid back (INTAKE.md ``repayment``)."""

    EQUAL_PRINCIPAL = "equal_principal"   # 元金均等: the same principal each month
    EQUAL_PAYMENT = "equal_payment"       # 元利均等: the same payment each month
    BULLET = "bullet"                     # 一括: interest monthly, the principal at the end


@dataclass(frozen=True, slots=True)
class Repayment:
    """A loan's interest and payments, exact (round with :func:`round_yen` to show them)."""

    interest: Fraction       # over the whole term
    during_grace: Fraction   # a month's payment while only interest is paid (0 without a grace)
    first: Fraction          # the first payment with principal in it
    last: Fraction           # the last payment


def yearly_rate(pct: float | str | Decimal) -> Fraction:
    """A rate in percent (2.2, as the catalogue gives it) as an exact fraction (0.022).

    Read through its decimal text: the float 2.2 is 2.2000000000000001776…, and that
    difference reaches the yen on a large loan."""
    return Fraction(Decimal(str(pct))) / 100


def round_yen(amount: Fraction) -> int:
    """Half up, to the yen (COSTS.md: round once, at the end)."""
    return math.floor(amount + Fraction(1, 2))


def repayment(amount: int, rate: Fraction, term_months: int, grace_months: int, method: Method) -> Repayment:
    """The interest and the monthly payments of ``amount`` at the yearly ``rate``.

    A bullet loan pays interest every month and the principal at the end, so a grace has no
    meaning for it. An instalment loan needs at least one instalment after the grace.
    """
    if amount < 0 or rate < 0 or term_months < 1 or not 0 <= grace_months:
        raise ValueError("amount, rate and grace must not be negative, and the term at least a month")
    return _repayment(amount, rate, term_months, grace_months, method)


@lru_cache(maxsize=4096)   # a keystroke re-costs every fund on the same few figures
def _repayment(amount: int, rate: Fraction, term_months: int, grace_months: int, method: Method) -> Repayment:
    monthly = rate / 12
    interest_month = amount * monthly   # a month's interest on the whole amount
    if method is Method.BULLET:
        return Repayment(interest_month * term_months, interest_month, interest_month, amount + interest_month)
    instalments = term_months - grace_months
    if instalments < 1:
        raise ValueError("the grace must leave at least one instalment")
    during_grace = interest_month if grace_months else Fraction(0)
    grace_interest = interest_month * grace_months
    if method is Method.EQUAL_PRINCIPAL:
        principal = Fraction(amount, instalments)
        interest = grace_interest + interest_month * (instalments + 1) / 2
        return Repayment(interest, during_grace, principal + interest_month, principal + principal * monthly)
    payment = _annuity(amount, monthly, instalments)
    return Repayment(grace_interest + instalments * payment - amount, during_grace, payment, payment)


class Instalment(NamedTuple):
    """One month of a schedule, exact: what is paid and what is left owing after it."""

    month: int               # 1 = the first month after the loan is paid out
    principal: Fraction
    interest: Fraction
    balance: Fraction        # owed after this month


def schedule(amount: int, rate: Fraction, term_months: int, grace_months: int, method: Method) -> list[Instalment]:
    """Every month's payment, exact (a table rounds each figure; its sum then differs from the
    exact totals by a few yen, which banks settle in the last instalment)."""
    repayment(amount, rate, term_months, grace_months, method)   # the same checks
    monthly = rate / 12
    balance = Fraction(amount)
    rows: list[Instalment] = []
    grace = 0 if method is Method.BULLET else grace_months
    payment = _annuity(amount, monthly, term_months - grace) if method is Method.EQUAL_PAYMENT else Fraction(0)
    for month in range(1, term_months + 1):
        interest = balance * monthly
        if month <= grace or (method is Method.BULLET and month < term_months):
            principal = Fraction(0)
        elif method is Method.BULLET or month == term_months:
            principal = balance
        elif method is Method.EQUAL_PRINCIPAL:
            principal = Fraction(amount, term_months - grace)
        else:
            principal = payment - interest
        balance -= principal
        rows.append(Instalment(month, principal, interest, balance))
    return rows


def _annuity(amount: int, monthly: Fraction, instalments: int) -> Fraction:
    """The equal payment A = P·i·(1+i)^n / ((1+i)^n − 1); P / n without interest."""
    if monthly == 0:
        return Fraction(amount, instalments)
    growth = (1 + monthly) ** instalments
    return amount * monthly * growth / (growth - 1)


def share_of_interest(interest: Fraction, loan_rate: Fraction, share_rate: Fraction) -> Fraction:
    """The part of ``interest`` a third party pays at ``share_rate`` on the same schedule.

    Interest is the monthly rate times the balances outstanding, month by month; on the same
    schedule, interest at another rate is the same sum at that rate. A share above the loan
    rate is capped at the loan rate (COSTS.md, the city's interest share)."""
    if loan_rate <= 0:
        return Fraction(0)
    return interest * min(share_rate, loan_rate) / loan_rate
