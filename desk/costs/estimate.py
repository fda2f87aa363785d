"""One fund's cost for one visitor: the loan INTAKE.md's ``cost`` describes, and its figures.

The request (amount, term, grace, method) is fitted to the fund's own terms first: the amount
capped at what is left of the limit, a term or grace beyond the fund's maximum costed at the
maximum, a method the fund does not offer replaced by its own. Every such choice, and every
assumption behind the figures (the rate is a cap, the fee a range of classes, a fee the seeds
do not give), is a sentence in ``assumptions``: the figures are an estimate (目安) that the
bank's and the association's review replaces.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

from desk import textfmt
from desk.costs.cost import Cost
from desk.costs.guarantee_fee import CoefficientTable, guarantee_fee
from desk.costs.repayment import Method, repayment, round_yen, share_of_interest, yearly_rate

# How every sentence begins that says the request was fitted to the fund's terms (an amount, a
# term, a grace or a method other than asked): a comparison shows these apart from the rest.
# tests/costs/test_estimate.py holds every other sentence to not beginning so.
FITTED_STARTS = ("ご希望", "期間は", "据置")

# Two assumptions a table of the figures shows in its cells (desk.sheets.cost_table leaves them out there).
SHARE_DEDUCTED = "市の利子補給の分は差し引き済み。"
NO_FEE = "保証料が資料にない資金は、保証料を含みません。"
METHOD_WORDS = {Method.EQUAL_PRINCIPAL: "元金均等返済（毎月）", Method.EQUAL_PAYMENT: "元利均等返済（毎月）",
                Method.BULLET: "一括返済（利息は毎月）"}


class Request(NamedTuple):
    """What the visitor asked for (None: not said)."""

    amount_yen: int | None
    term_months: int | None
    grace_months: int | None
    method: Method | None


class FundTerms(NamedTuple):
    """What the fund allows and charges, for this visitor on this day."""

    rate_pct: float | None              # the rate for the term (a cap: …%以内); None: the bank's own
    city_share_pct: float | None        # the city's interest share (利子補給)
    remaining_limit_yen: int | None
    max_term_months: int | None         # for every requested use
    max_grace_months: int | None        # None: the seeds give none
    methods: frozenset[Method]          # what the fund offers
    bullet_max_months: int | None       # how long a bullet may run
    guarantee: str                      # required | optional | none
    fee_range_pct: tuple[float, float] | None   # in force on the day; None: the seeds give none
    fee_change: tuple[dt.date, tuple[float, float]] | None = None   # a scheduled change within 90 days
    fee_notes: tuple[str, ...] = ()     # how the visitor's fee options changed the range (or did not)


@lru_cache(maxsize=8192)   # a keystroke re-costs every fund: most of them on the same figures as before
def estimate(request: Request, fund: FundTerms, fees: CoefficientTable, *, on: dt.date) -> Cost | None:
    """The cost of the loan the visitor asked for, on the fund's terms; None where it cannot be
    said (no amount, a rate that is the bank's own, no term asked and none given)."""
    if fund.rate_pct is None or not request.amount_yen or request.amount_yen <= 0:
        return None
    notes: list[str] = []
    amount = request.amount_yen
    if fund.remaining_limit_yen is not None and amount > fund.remaining_limit_yen:
        if fund.remaining_limit_yen <= 0:
            return None
        amount = fund.remaining_limit_yen
        notes.append(f"ご希望額のうち、この資金で借りられる{textfmt.yen(amount)}で計算しています。")
    term = _term(request.term_months, fund.max_term_months, notes)
    if term is None:
        return None
    method = _method(request.method, fund, term, notes)
    grace = 0 if method is Method.BULLET else _grace(request.grace_months, fund.max_grace_months, term, notes)
    rate = yearly_rate(fund.rate_pct)
    paid = repayment(amount, rate, term, grace, method)
    share = share_of_interest(paid.interest, rate, yearly_rate(fund.city_share_pct or 0))
    own_rate = rate - min(yearly_rate(fund.city_share_pct or 0), rate)
    # The visitor's monthly payments: the city pays its share to the bank directly.
    own = repayment(amount, own_rate, term, grace, method) if share else paid
    # Said the same way for every fund (the sheet prints a sentence every estimate shares once);
    # the fund's own figures stand beside it.
    notes.append("利率は各資金の上限の値で計算。")
    notes.append(f"{METHOD_WORDS[method]}で計算。")
    if share:
        notes.append(SHARE_DEDUCTED)
    fee = _fee(amount, term, grace, method, fund, fees, notes)
    notes.append(f"{on.year}年{on.month}月{on.day}日時点の条件。")
    own_interest = round_yen(paid.interest - share)
    total = (own_interest + fee[0], own_interest + fee[1]) if fee is not None else (own_interest, None)
    return Cost(amount, term, grace, method.value, round_yen(own.during_grace) if grace else None,
                round_yen(own.first), round_yen(own.last), round_yen(paid.interest), round_yen(share),
                own_interest, fee, total, tuple(notes), fund.rate_pct, fund.city_share_pct if share else None)


def _term(requested: int | None, maximum: int | None, notes: list[str]) -> int | None:
    if requested is None:
        if maximum is not None:
            notes.append(f"期間はこの資金の最長（{textfmt.months(maximum)}）で計算しています。")
        return maximum
    if maximum is not None and requested > maximum:
        notes.append(f"ご希望の期間はこの資金の最長を超えるため、{textfmt.months(maximum)}で計算しています。")
        return maximum
    return requested


def _method(requested: Method | None, fund: FundTerms, term: int, notes: list[str]) -> Method:
    """The method asked for where the fund offers it (a bullet only within its longest run),
    else the fund's own: instalments, equal principal first."""
    bullet_fits = fund.bullet_max_months is None or term <= fund.bullet_max_months
    offered = [m for m in (Method.EQUAL_PRINCIPAL, Method.EQUAL_PAYMENT, Method.BULLET)
               if m in fund.methods and (m is not Method.BULLET or bullet_fits)] or [Method.EQUAL_PRINCIPAL]
    wanted = requested or Method.EQUAL_PRINCIPAL
    if wanted in offered:
        return wanted
    if requested is not None:
        notes.append(f"ご希望の返済方法はこの資金にないため、{METHOD_WORDS[offered[0]]}で計算しています。")
    return offered[0]


def _grace(requested: int | None, maximum: int | None, term: int, notes: list[str]) -> int:
    grace = requested or 0
    if grace and maximum is None:
        notes.append("据置期間の上限が資料にないため、据置なしで計算しています。")
        return 0
    if maximum is not None and grace > maximum:
        if maximum < term:
            notes.append(f"ご希望の据置期間はこの資金の上限を超えるため、{textfmt.months(maximum)}で計算しています。")
            return maximum
        # Over both limits: one sentence with both and the grace used (two sentences, the second's
        # figure replacing the first's, read as two graces).
        notes.append(f"ご希望の据置期間はこの資金の上限（{textfmt.months(maximum)}）を超え、据置は期間"
                     f"（{textfmt.months(term)}）より短くなければならないため、"
                     f"{textfmt.months(term - 1)}で計算しています。")
        return term - 1
    if grace >= term:
        notes.append(f"据置は期間より短くなければならないため、{textfmt.months(term - 1)}で計算しています。")
        return term - 1
    return grace


def _fee(amount: int, term: int, grace: int, method: Method, fund: FundTerms, table: CoefficientTable,
         notes: list[str]) -> tuple[int, int] | None:
    if fund.guarantee == "none":
        return (0, 0)
    if fund.fee_range_pct is None:
        notes.append(NO_FEE)
        return None
    low_pct, high_pct = fund.fee_range_pct
    fee = tuple(guarantee_fee(amount, yearly_rate(p), term, grace, method, table) for p in (low_pct, high_pct))
    notes.append("保証料は保証料率の区分の最も低いものから最も高いものまでの幅。")
    notes.extend(fund.fee_notes)
    if method is Method.EQUAL_PAYMENT:
        notes.append("元利均等返済の保証料は、均等分割の係数で計算しています。")
    if fund.guarantee == "optional":
        notes.append("保証が任意の資金は、保証を付ける場合の額（付けなければ保証料なし）。")
    if fund.fee_change is not None:
        when, (new_low, new_high) = fund.fee_change
        notes.append(f"{when.year}年{when.month}月{when.day}日からの申込みは保証料率が"
                     f"{textfmt.pct_range(new_low, new_high)}になる予定です。")
    return fee[0], fee[1]
