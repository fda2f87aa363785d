"""Small match reports for tests that need one without running the engine (the log, the results view)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from desk.matching.answer import Contact, FundResult, MatchReport, SalesFigures, SmeSummary, SourceRef

NO_SALES = SalesFigures((None, None, None), (None, None, None), (None, None, None), (None, None, None), None)
FUND = FundResult(
    id="kanagawa.nissan.main", name="日産自動車関連対策特別融資", program="日産自動車関連対策特別融資",
    provider="神奈川県", kind="loan", status="eligible", reasons=(), todos=(), uses=("working",), limit_yen=80_000_000,
    remaining_limit_yen=80_000_000, separate_limit=False, rate_pct=1.8, rate_tiers=(), city_share_pct=None,
    own_rate_pct=None, guarantee_fee_pct=(0.225, 0.95), max_term_months=120, grace_months=12,
    source=SourceRef("002.txt", "経営安定資金"), data_as_of="2026-04-01", stale=False, notes=(), target_text=None,
    use_notes=())


def fund(**changes: Any) -> FundResult:
    """:data:`FUND` with some attributes changed."""
    return FUND._replace(**changes)


def contact(office_id: str, role: str = "guarantee_branch", **changes: Any) -> Contact:
    base = Contact(id=office_id, role=role, role_label="信用保証協会", name=office_id, name_in_source=office_id,
                   organisation=None, department=None, phone=None, address=None, hours=None, url=None,
                   distance_km=None, why="", from_seed=True, source=None, data_as_of=None)
    return base._replace(**changes)


def report(*, funds: tuple[tuple[str, str], ...] = (), contacts: tuple[str, ...] = (), warnings: tuple[str, ...] = (),
           pack_versions: dict[str, str] | None = None, place: str = "神奈川県横須賀市",
           as_of: dt.date = dt.date(2026, 11, 22)) -> MatchReport:
    """A report with these (fund id, status) pairs and contact ids."""
    return MatchReport(
        as_of=as_of, place=place, sme=SmeSummary(True, "micro", "製造業"), sales_change=NO_SALES,
        funds=tuple(fund(id=fund_id, status=status) for fund_id, status in funds),
        contacts=tuple(contact(c) for c in contacts), warnings=warnings, pack_versions=pack_versions or {})
