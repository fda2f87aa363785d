"""The credit guarantee fee (信用保証料) by the associations' published formula (COSTS.md).

- a bullet loan: amount × rate × months / 12;
- instalments: amount × rate × grace / 12 + amount × rate × (term − grace) / 12 × coefficient,
  the coefficient read from the association's table by the number of instalments after the
  grace (not by months: the fee can fall when the term grows by a month across a bracket, as
  the associations charge it);
- each part truncated below one yen, then the parts added; within a part, the division by 12 last.

The coefficient table is data of an association (:class:`CoefficientTable`), not a constant: the
packs carry it, with each row marked confirmed by the association's own page or read from its
neighbours'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from desk.costs.repayment import Method


@dataclass(frozen=True, slots=True)
class CoefficientRow:
    """Instalments from ``least`` to ``most`` (None: no upper end) and their coefficients."""

    least: int
    most: int | None
    equal: Fraction       # 均等分割
    unequal: Fraction     # 不均等分割
    confirmed: bool       # given by the association itself; else read from its neighbours


@dataclass(frozen=True, slots=True)
class CoefficientTable:
    rows: tuple[CoefficientRow, ...]

    def coefficient(self, instalments: int, *, equal: bool = True) -> CoefficientRow | None:
        """The row for this many instalments; None below the table (one instalment is a bullet)."""
        for row in self.rows:
            if row.least <= instalments and (row.most is None or instalments <= row.most):
                return row
        return None


def guarantee_fee(amount: int, rate: Fraction, term_months: int, grace_months: int, method: Method,
                  table: CoefficientTable) -> int:
    """The fee in yen for a yearly fee ``rate`` (0.0095 for 0.95 %).

    元利均等 is charged with the equal column (COSTS.md: an assumption the estimate states);
    an instalment count below the table is charged as a bullet is, without a coefficient."""
    if amount < 0 or rate < 0 or term_months < 1 or grace_months < 0:
        raise ValueError("amount, rate and grace must not be negative, and the term at least a month")
    if method is Method.BULLET:
        return _part(amount * rate * term_months)
    instalments = term_months - grace_months
    if instalments < 1:
        raise ValueError("the grace must leave at least one instalment")
    row = table.coefficient(instalments)
    coefficient = row.equal if row is not None else Fraction(1)
    return _part(amount * rate * grace_months) + _part(amount * rate * instalments * coefficient)


def _part(yearly_yen_months: Fraction) -> int:
    """One part of the fee: (amount × rate × months [× coefficient]) / 12, truncated below a yen."""
    return math.floor(yearly_yen_months / 12)
