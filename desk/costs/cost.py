"""A fund's cost for one visitor, as the answer carries it (INTAKE.md ``cost``).

A NamedTuple in a module of its own: the answer (desk.matching.answer) is on the app's start
path and holds these, so it imports this and not the arithmetic (fractions, decimal).
"""

from collections.abc import Mapping
from typing import Any, NamedTuple


class Cost(NamedTuple):
    amount_yen: int
    term_months: int
    grace_months: int
    method: str                         # equal_principal | equal_payment | bullet
    monthly_during_grace: int | None    # None without a grace
    monthly_first: int
    monthly_last: int
    interest_yen: int
    city_share_yen: int
    own_interest_yen: int
    guarantee_fee_yen: tuple[int, int] | None
    total_yen: tuple[int, int | None]
    assumptions: tuple[str, ...]
    # Beyond INTAKE.md's keys: the rates costed, so a schedule can be worked out again (the window's table).
    rate_pct: float | None = None
    city_share_pct: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "amount_yen": self.amount_yen, "term_months": self.term_months, "grace_months": self.grace_months,
            "method": self.method,
            "monthly_yen": {"during_grace": self.monthly_during_grace, "first": self.monthly_first,
                            "last": self.monthly_last},
            "interest_yen": self.interest_yen, "city_share_yen": self.city_share_yen,
            "own_interest_yen": self.own_interest_yen,
            "guarantee_fee_yen": list(self.guarantee_fee_yen) if self.guarantee_fee_yen is not None else None,
            "total_yen": list(self.total_yen), "assumptions": list(self.assumptions),
            "rate_pct": self.rate_pct, "city_share_pct": self.city_share_pct,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Cost":
        """The cost as to_json gave it (a KeyError or TypeError where it is not: the answer's
        reader turns those into its own error)."""
        monthly, fee, total = data["monthly_yen"], data["guarantee_fee_yen"], data["total_yen"]
        return cls(data["amount_yen"], data["term_months"], data["grace_months"], data["method"],
                   monthly["during_grace"], monthly["first"], monthly["last"], data["interest_yen"],
                   data["city_share_yen"], data["own_interest_yen"], (fee[0], fee[1]) if fee is not None else None,
                   (total[0], total[1]), tuple(data["assumptions"]), data.get("rate_pct"),
                   data.get("city_share_pct"))
