"""The cost comparison on paper, as content: funds side by side on what the visitor pays (the
monthly payment, interest, the city's share, the guarantee fee, the total), with the
assumptions said once beside it and the caveat that the review fixes the real figures.

The referral sheet compares the funds it lists, on the loan the visitor asked for; the leaflet
compares every fund on one worked example. Both hand :func:`cost_table` the funds' estimates
(:class:`desk.costs.cost.Cost`, as the answer carries them); the PDF only lays the table out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desk.costs.cost import Cost
from desk.costs.estimate import NO_FEE, SHARE_DEDUCTED
from desk.matching import wording

COST_CAVEAT = "実際の利率・保証料・返済額は、取扱金融機関と信用保証協会の審査で決まります。"
# What no estimate here holds: said on paper, or a visitor reads the total as all there is to pay.
NOT_INCLUDED = "金融機関の手数料・印紙代は含みません（繰上返済で戻る保証料も計算していません）。"
FALLING = "元金均等返済の毎月のお支払いは、回を追うごとに少しずつ減ります（表は据置後の初回）。"


@dataclass(frozen=True)
class CostRow:
    name: str
    status: str               # eligible | conditional (the sheet's tint); "" on the leaflet
    loan: str                 # this fund's loan where it differs from the lead's (a limit, a longest term)
    monthly: list[str]        # a line each (wording.monthly_lines)
    interest: str
    city_share: str           # the city's part of the interest, 「−335,000円」; "" without
    fee: list[str]
    total: list[str]
    cost: Cost                # the figures the words come from


@dataclass(frozen=True)
class CostTable:
    heading: str              # with the loan every row is for, where they share one
    lead: str                 # what the rows are for, where the heading does not say it ("": it does)
    rows: list[CostRow]
    city_column: bool         # some fund has a city's share
    notes: list[str]          # the assumptions, each once (a fund's own named)
    caveat: str


def cost_table(funds: Sequence[tuple[str, str, Cost | None]], *, heading: str | None = None,
               lead: str = "") -> CostTable | None:
    """The comparison of the funds with an estimate, in the order given: (name, status, cost).
    ``heading`` and ``lead``: what the rows are for (the leaflet's example); else the heading
    says the loan most rows are for (a line less than a lead on a full sheet)."""
    costed = [(name, status, cost) for name, status, cost in funds if cost is not None]
    if not costed:
        return None
    # The loan most rows are for goes in the heading; a row for another (a fund's limit or longest
    # term) says its own under its name.
    loans = [wording.loan_costed(cost) for _, _, cost in costed]
    usual = max(loans, key=loans.count)
    heading = heading or f"費用の目安（{usual}借りた場合）"
    rows = [CostRow(
        name=name, status=status, loan="" if loan == usual else f"{loan}で計算",
        monthly=wording.monthly_lines(cost), interest=f"{cost.interest_yen:,}円",
        city_share=f"−{cost.city_share_yen:,}円" if cost.city_share_yen else "",
        fee=([wording.SHEET_UNKNOWN_FEE] if cost.guarantee_fee_yen is None   # the total says 「保証料別」
             else wording.yen_lines(*cost.guarantee_fee_yen)),
        total=wording.yen_lines(*cost.total_yen), cost=cost) for (name, status, cost), loan in zip(costed, loans,
                                                                                              strict=True)]
    return CostTable(heading, lead, rows, any(r.city_share for r in rows), assumptions(costed), COST_CAVEAT)


# What the table's own cells say (a column 市の負担, a fee 「資料に記載なし」 and a total 「保証料別」).
SHOWN_IN_CELLS = frozenset({SHARE_DEDUCTED, NO_FEE})


def assumptions(costed: Sequence[tuple[str, str, Cost]]) -> list[str]:
    """What the estimates assume, each sentence once: one every row shares as it is, one only some
    rows make with their names (「日産自動車関連対策特別融資: …」); then what none includes."""
    by_sentence: dict[str, list[str]] = {}
    for name, _status, cost in costed:
        for sentence in cost.assumptions:
            if sentence in SHOWN_IN_CELLS:
                continue
            by_sentence.setdefault(sentence, []).append(name)
    notes = [sentence if len(names) == len(costed) else f"{'、'.join(dict.fromkeys(names))}: {sentence}"
             for sentence, names in by_sentence.items()]
    if any(cost.method == "equal_principal" for _, _, cost in costed):
        notes.append(FALLING)
    return [*notes, NOT_INCLUDED]

