"""The consultation log through SQLAlchemy: the ORM writer, search, counts and CSV.

What a record holds and how its reference number is made: :mod:`desk.log.records`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk import vocab
from desk.db import models as m
from desk.log import records
from desk.log.records import JST, Recorded, as_utc


class OrmLogWriter:
    """Writes consultation records through the ORM (SQLite or PostgreSQL)."""

    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session

    def try_insert(self, values: dict[str, Any], prefix: str) -> Recorded | None:
        try:
            with self._make_session() as session, session.begin():
                if session.get_bind().dialect.name == "postgresql":
                    # Counters numbering with the same prefix take turns (SQLite's BEGIN IMMEDIATE
                    # does this for a file); the lock ends with the transaction.
                    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:prefix))"), {"prefix": prefix})
                last = session.scalar(text(records.LAST_REFERENCE_SQL), {"pattern": prefix + "%"})
                ids = records.next_ids(prefix, last)
                session.add(m.Consultation(id=ids.id, reference_no=ids.reference_no, **values))
            return ids
        except IntegrityError:
            return None

    def delete(self, consultation_id: str) -> None:
        """Remove a record whose sheet could not be written; no sheet carries its number, so the
        number may be issued again."""
        with self._make_session() as session, session.begin():
            record = session.get(m.Consultation, consultation_id)
            if record is not None:
                session.delete(record)


    def purge_personal(self, before: dt.datetime) -> int:
        c = m.Consultation
        with self._make_session() as session, session.begin():
            result = session.execute(
                update(c).where(c.created_at < before, or_(c.visitor_name.is_not(None), c.visitor_phone.is_not(None)))
                .values(visitor_name=None, visitor_phone=None))
            return result.rowcount or 0


def record_consultation(make_session: Callable[[], Session], **kwargs: Any) -> Recorded:
    """Store one consultation through the ORM (see :func:`desk.log.records.record`)."""
    return records.record(OrmLogWriter(make_session), **kwargs)


# --- the log: search, counts, CSV ---------------------------------------------------------

CSV_COLUMNS = (("reference_no", "受付番号"), ("created_at", "日時"), ("window_name", "窓口"), ("staff_name", "担当"),
               ("business_name", "事業者名"), ("industry", "業種"), ("municipality", "所在地"), ("causes", "原因"),
               ("eligible", "対象の資金"), ("conditional", "条件付きの資金"))
PERSONAL_COLUMNS = (("visitor_name", "来訪者氏名（個人情報）"), ("visitor_phone", "来訪者電話（個人情報）"))


def search_consultations(make_session: Callable[[], Session], *, text: str | None = None,
                         since: dt.date | None = None, until: dt.date | None = None) -> list[dict[str, Any]]:
    """Consultations, newest first; ``text`` matches reference number, business, place or staff
    literally (quotes, % and _ are text, not patterns)."""
    stmt = select(m.Consultation).order_by(m.Consultation.created_at.desc())
    if text:
        stmt = stmt.where(or_(*(column.contains(text, autoescape=True) for column in (
            m.Consultation.reference_no, m.Consultation.business_name, m.Consultation.municipality,
            m.Consultation.staff_name))))
    if since:
        # SQLite keeps the UTC wall time without a zone: compare in UTC, not in Japanese time.
        stmt = stmt.where(m.Consultation.created_at >= as_utc(dt.datetime.combine(since, dt.time(), JST)))
    if until:
        day_after = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), JST)
        stmt = stmt.where(m.Consultation.created_at < as_utc(day_after))
    with make_session() as session:
        rows = session.scalars(stmt).all()
        return [{
            "id": r.id, "reference_no": r.reference_no,
            "created_at": _as_jst(r.created_at).strftime("%Y-%m-%d %H:%M"),
            "day": _as_jst(r.created_at).date().isoformat(),
            "window_name": r.window_name or "", "staff_name": r.staff_name or "",
            "business_name": r.business_name or "", "industry": vocab.INDUSTRIES.get(r.industry or "", ""),
            "municipality": r.municipality or "", "cause_codes": list(r.causes or ()),
            "causes": "・".join(vocab.CAUSES.get(c, c) for c in r.causes or ()),
            "eligible": len(r.result.get("eligible", [])), "conditional": len(r.result.get("conditional", [])),
            "visitor_name": r.visitor_name or "", "visitor_phone": r.visitor_phone or "",
        } for r in rows]


def _as_jst(moment: dt.datetime) -> dt.datetime:
    return as_utc(moment).astimezone(JST)


def counts(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Consultations per day and per cause, for the prefecture's reports."""
    per_day: dict[str, int] = {}
    per_cause: dict[str, int] = {label: 0 for label in vocab.CAUSES.values()}
    for row in rows:
        per_day[row["day"]] = per_day.get(row["day"], 0) + 1
        for code in row["cause_codes"]:
            label = vocab.CAUSES.get(code, code)
            per_cause[label] = per_cause.get(label, 0) + 1
    return {"per_day": dict(sorted(per_day.items())), "per_cause": per_cause}


def to_csv(rows: list[dict[str, Any]], *, include_personal: bool = False) -> bytes:
    """CSV that Excel in Japan opens without mojibake: UTF-8 with a byte-order mark, CRLF."""
    import csv
    import io

    columns = CSV_COLUMNS + (PERSONAL_COLUMNS if include_personal else ())
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([_csv_safe(row[key]) for key, _ in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value: Any) -> Any:
    # A cell starting with = + - @ would run as a formula in Excel: quote it as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
