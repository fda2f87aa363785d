"""The overview leaflet: every current Nissan-related and sales-decline fund on one page, and on
the back what each costs on one worked example (issue 16: 1,000万円 over 7 years with a year's
grace, 元金均等), so a visitor compares them at a glance.

A fund belongs on it when its conditions name the Nissan cause, a sales-decline test,
or the SN 5号 certification (業況の悪化); the catalogue decides, not a list here. The example's
figures are desk.costs' own (the same estimate the answer's ``cost`` is), its assumptions said once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from desk import textfmt, vocab
from desk.catalogue.domain import Catalogue, Variant
from desk.catalogue.offices import OfficeInfo
from desk.costs.cost import Cost
from desk.costs.estimate import Request, estimate
from desk.costs.guarantee_fee import CoefficientTable
from desk.costs.repayment import Method
from desk.fiscal import in_force
from desk.intake.reader import Intake
from desk.matching.costing import fund_terms
from desk.matching.engine import is_stale
from desk.matching.terms import compute_pricing
from desk.rules.outcome import UNKNOWN, Outcome
from desk.rules.registry import iter_checks
from desk.sheets.cost_table import CostTable, cost_table
from desk.sheets.referral import reiwa

SALES_CHECKS = {"sales_decline", "sales_decline_month_and_forecast"}


@dataclass(frozen=True)
class LeafletRow:
    name: str
    provider: str
    who: str
    limit: str
    rate: str
    term: str
    fee: str
    stale: bool
    example: Cost | None = None      # the worked example's cost on this fund's terms


@dataclass(frozen=True)
class Leaflet:
    title: str
    date_label: str
    rows: list[LeafletRow]
    windows: list[tuple[str, str]]       # (name, phone)
    caveat: str
    sources: list[str]
    costs: CostTable | None = None   # the funds side by side on the worked example


def _leaves(conditions: Any) -> Iterator[dict[str, Any]]:
    for condition in conditions:
        yield from iter_checks(condition)


DISASTER_CERTIFICATES = {"sn4", "disaster_certificate", "crisis"}
LEAFLET_CAVEAT = ("ここに掲げた条件は、各資料の時点のものです。融資を受けられるか、またその条件は、取扱金融機関と"
                  "信用保証協会（保証を付す場合）の審査で決まります。利率・保証料率は変わることがあります。"
                  "ご自分に合う資金は、下の窓口でご相談ください。")


def is_decline_fund(variant: Variant) -> bool:
    """Nissan-related or sales-decline funds; disaster funds (whose second test is also a
    sales decline) belong to another leaflet."""
    leaves = list(_leaves(variant.conditions))
    for leaf in leaves:
        params = leaf.get("params") or {}
        if leaf["check"] == "certification_any" and set(params["any_of"]) & DISASTER_CERTIFICATES:
            return False
        if leaf["check"] == "cause_any" and "disaster" in params["any_of"]:
            return False
    for leaf in leaves:
        params = leaf.get("params") or {}
        if leaf["check"] in SALES_CHECKS:
            return True
        if leaf["check"] == "cause_any" and "nissan" in params.get("any_of", ()):
            return True
        if leaf["check"] == "certification_any" and "sn5" in params.get("any_of", ()) and len(params["any_of"]) <= 2:
            return True
    return False


def _who(variant: Variant) -> str:
    causes = [c for leaf in _leaves(variant.conditions) if leaf["check"] == "cause_any"
              for c in leaf["params"]["any_of"]]
    if causes:
        return "・".join(vocab.CAUSES[c] for c in causes) + "の影響で売上が減少"
    sales = [leaf for leaf in _leaves(variant.conditions) if leaf["check"] in SALES_CHECKS]
    if sales:
        least = min(leaf["params"]["at_least_pct"] for leaf in sales)
        return "売上高等が減少" if least == 0 else f"売上高等が{textfmt.pct(least).rstrip('%')}%以上減少"
    return "セーフティネット保証5号の認定（業況の悪化）"


def _term(max_months: int | None, by_use: dict[str, int]) -> str:
    """「15年」, or a line per use where the uses' terms differ: 「運転10年」「設備15年」「借換10年」
    (the column is headed 期間（最長）; 「最長15年」 alone read as fifteen years for working
    capital too)."""
    if len(set(by_use.values())) > 1:
        return "\n".join(f"{vocab.PURPOSES[use].removesuffix('資金')}{textfmt.months(by_use[use])}"
                         for use in vocab.PURPOSES if use in by_use)
    return textfmt.months(max_months) if max_months else "—"


def build_leaflet(catalogue: Catalogue, *, on: dt.date, windows: list[tuple[str, str]]) -> Leaflet:
    rows = []
    providers = catalogue.providers
    for v in catalogue.variants:
        if (v.valid_from and v.valid_from > on) or v.kind != "loan" or not is_decline_fund(v):
            continue
        rates = textfmt.rate_tiers([{"max_months": t.max_months, "rate_pct": t.rate_pct} for t in v.tiers], v.rate_kind)
        if v.own_rate_pct is not None or any(t.own_rate_pct is not None for t in v.tiers):
            own = v.own_rate_pct if v.own_rate_pct is not None else v.tiers[-1].own_rate_pct
            rates += f"（ご負担 {textfmt.pct(own)}）"
        fees = [f for f in v.fees if in_force(f.valid_from, f.valid_to, on)]
        fee = textfmt.pct_range(min(f.min_pct for f in fees), max(f.max_pct for f in fees)) if fees else "—"
        limit = ("別枠 " if v.limit_separate else "") + textfmt.yen(v.limit_yen)
        term = _term(v.term_max_months, v.term_by_use)
        example = _example(v, providers[v.provider_id].fee_table, on)
        rows.append(LeafletRow(v.name, providers[v.provider_id].name, _who(v), limit, rates, term, fee,
                               is_stale(v, on), example))
    # The documents by their titles, as a reader can ask for them (not the seed files' names).
    sources = sorted({f"{catalogue.source_titles.get(v.source_file, providers[v.provider_id].name + 'の資料')}"
                      f"（{v.as_of} 時点）" for v in catalogue.variants if is_decline_fund(v) and v.source_file})
    costs = cost_table([(r.name, "", r.example) for r in rows], heading=EXAMPLE_HEADING)
    return Leaflet("日産自動車の車両生産終了等の影響を受けた中小企業の皆さまへ　資金繰りを支える融資制度",
                   reiwa(on), rows, windows, LEAFLET_CAVEAT, sources, costs)


# The worked example (issue 16): one loan every fund is costed on.
EXAMPLE = Request(amount_yen=10_000_000, term_months=84, grace_months=12, method=Method.EQUAL_PRINCIPAL)
EXAMPLE_HEADING = "費用の例（1,000万円を7年（うち据置1年）、元金均等返済で借りた場合）"
_NO_TABLE = CoefficientTable(())


def _unsettled(condition: dict[str, Any]) -> Outcome:
    """No visitor: a fee row's condition is open, so the range spans every row in force (the
    leaflet's own column), and a change within 90 days is said as for a visitor."""
    return UNSETTLED


UNSETTLED = Outcome(UNKNOWN)


def _example(variant: Variant, table: CoefficientTable | None, on: dt.date) -> Cost | None:
    """The example's cost on the fund's terms, as the answer costs a visitor's request: the
    amount within the limit, the term within the longest, the rate of the tier it falls in."""
    pricing = compute_pricing(variant, term_months=EXAMPLE.term_months, on=on, applies=_unsettled)
    terms = fund_terms(variant, pricing, EXAMPLE, Intake(), variant.limit_yen)
    return estimate(EXAMPLE, terms, table or _NO_TABLE, on=on)


def special_windows(offices: Iterable[OfficeInfo], window_name: str, window_phone: str) -> list[tuple[str, str]]:
    """The windows the leaflet lists: the one issuing it, then those of the 2025-07-16 release
    in the home prefecture (KIP's よろず窓口 and the guarantee association's branches)."""
    windows = [(window_name, window_phone)]
    windows += [(o.name_current or o.name, o.phone) for o in offices
                if o.prefecture == vocab.HOME_PREFECTURE and o.phone
                and (o.role == "guarantee_branch" or o.id == vocab.YOROZU_OFFICE_ID)]
    return windows
