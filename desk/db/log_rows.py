"""A log row as a list shows it, from the columns a page reads: shared by the ORM's pages
(desk.db.consultations) and the quick path's (desk.db.log_quick), so both say the same words.

No SQLAlchemy here: `desk log search` on the quick path imports this and the standard library only.
"""

from __future__ import annotations

import datetime as dt

from desk import vocab
from desk.db.services import LogRow
from desk.fiscal import JAPAN, as_utc

# What a page reads of log_entry, in order; then the follow-up's status and day (log_follow_up).
ENTRY_COLUMNS = ("consultation_id", "reference_no", "created_at", "window_name", "staff_name", "business_name",
                 "industry", "municipality", "causes", "eligible", "conditional")


def as_jst(moment: dt.datetime) -> dt.datetime:
    return as_utc(moment).astimezone(JAPAN)


def log_row(record_id: str, reference_no: str, created_at: dt.datetime, window_name: str | None,
            staff_name: str | None, business_name: str | None, industry: str | None, municipality: str | None,
            causes: list[str] | None, eligible: int, conditional: int, follow_up: str | None = None,
            follow_up_day: str | None = None) -> LogRow:
    local = as_jst(created_at)
    said = vocab.FOLLOW_UPS.get(follow_up or "", follow_up or "")
    return LogRow(id=record_id, reference_no=reference_no, created_at=local.strftime("%Y-%m-%d %H:%M"),
                  day=local.date().isoformat(), window_name=window_name or "", staff_name=staff_name or "",
                  business_name=business_name or "", industry=vocab.INDUSTRIES.get(industry or "", ""),
                  municipality=municipality or "", cause_codes=list(causes or ()),
                  causes="・".join(vocab.CAUSES.get(code, code) for code in causes or ()),
                  eligible=int(eligible), conditional=int(conditional),
                  follow_up=f"{said}（{follow_up_day}）" if said and follow_up_day else said,
                  follow_up_status=follow_up or "", follow_up_day=follow_up_day or "")
