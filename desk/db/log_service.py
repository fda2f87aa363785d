"""The log's service of :mod:`desk.db.services` on SQLAlchemy (desk.db.consultations does the SQL).

Apart from the catalogue's services: `desk log search`, the log window and the monthly report load
the log's tables and queries only, not the packs' validation the admin service brings (a quarter
of a second of every log command).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desk.db import consultations
from desk.db.services import (
    EVERYTHING,
    ConsultationRecord,
    LogCounts,
    LogCursor,
    LogFilter,
    LogPage,
    LogStat,
)


class OrmLogService:
    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session

    def page(self, where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage:
        return consultations.log_page(self._make_session, where, limit=limit, after=after)

    def record(self, record_id: str) -> ConsultationRecord | None:
        return consultations.get_record(self._make_session, record_id)

    def stored_result(self, record_id: str) -> dict[str, Any] | None:
        return consultations.stored_result(self._make_session, record_id)

    def record_reprint(self, record_id: str, *, now: dt.datetime | None = None) -> int | None:
        return consultations.record_reprint(self._make_session, record_id, now=now or dt.datetime.now(dt.UTC))

    def pack_titles(self) -> dict[str, str]:
        return consultations.pack_titles(self._make_session)

    def set_follow_up(self, reference_no: str, *, status: str | None, day: dt.date | None = None) -> bool:
        return consultations.set_follow_up(self._make_session, reference_no, status=status, day=day,
                                           now=dt.datetime.now(dt.UTC))

    def counts(self, where: LogFilter = EVERYTHING) -> LogCounts:
        return consultations.log_counts(self._make_session, where)

    def stats(self, where: LogFilter = EVERYTHING, *, by: str) -> list[LogStat]:
        return consultations.log_stats(self._make_session, where, by=by)

    def export_csv(self, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> bytes:
        from desk.db import log_csv

        return log_csv.export_csv(self._make_session, where, include_personal=include_personal)

    def write_csv(self, path: Path, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> int:
        from desk.db import log_csv

        return log_csv.write_csv(self._make_session, path, where, include_personal=include_personal)

    def record_consent(self, reference_no: str, *, consent: bool, referred_window: str | None) -> None:
        from desk.db import sharing

        sharing.record_consent(self._make_session, reference_no, consent=consent, referred_window=referred_window)

    def shared_record(self, reference_no: str) -> ConsultationRecord | None:
        from desk.db import sharing

        return sharing.shared_record(self._make_session, reference_no)
