"""Whether an intake says enough to be judged on paper.

A referral sheet made from a form with nothing in it would tell a visitor
「条件に当てはまる資金はありませんでした」, which reads as a verdict; one made without the
business's form, trade or place would judge every fund on guesses. The window asks for these
before it issues a sheet (the live results still follow whatever is typed).
"""

from __future__ import annotations

from desk import vocab
from desk.intake.reader import Intake

# The facts every fund's first conditions rest on (who may borrow, the size test, the area),
# in the order the form asks them.
SHEET_NEEDS = ("entity", "industry", "municipality")


def missing_for_sheet(intake: Intake) -> list[str]:
    """The intake keys of :data:`SHEET_NEEDS` the intake leaves unknown. The place is known from
    a municipality, a postal code or a prefecture other than the home one."""
    placed = bool(intake.municipality or intake.postal_code or intake.prefecture not in (None, vocab.HOME_PREFECTURE))
    known = {"entity": intake.entity is not None, "industry": intake.industry is not None, "municipality": placed}
    return [key for key in SHEET_NEEDS if not known[key]]
