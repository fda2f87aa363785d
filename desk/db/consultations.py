"""The consultation log through SQLAlchemy: the ORM writer; pages, records, counts and CSV.

What a record holds and how its reference number is made: :mod:`desk.log.records`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import CursorResult, Select, and_, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk import vocab
from desk.db import models as m
from desk.db.services import (
    EVERYTHING,
    LOG_COLUMNS,
    ConsultationRecord,
    LogCounts,
    LogCursor,
    LogFilter,
    LogPage,
    LogRow,
)
from desk.fiscal import JAPAN
from desk.log import records
from desk.log.records import Recorded, as_utc


class OrmLogWriter:
    """Writes consultation records through the ORM (SQLite or PostgreSQL)."""

    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session
        self._last_reference_sql: str | None = None

    def try_insert(self, values: dict[str, Any], prefix: str, record_id: str | None = None) -> Recorded | None:
        try:
            with self._make_session() as session, session.begin():
                if session.get_bind().dialect.name == "postgresql":
                    # Counters numbering with the same prefix take turns (SQLite's BEGIN IMMEDIATE
                    # does this for a file); the lock ends with the transaction.
                    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:prefix))"), {"prefix": prefix})
                last = session.scalar(text(self._last_reference(session)), {"pattern": prefix + "%"})
                ids = records.next_ids(prefix, last, record_id)
                session.add(m.Consultation(id=ids.id, reference_no=ids.reference_no, **values))
            return ids
        except IntegrityError:
            return None

    def _last_reference(self, session: Session) -> str:
        """The query for the highest number issued with a prefix: on a server secured by `desk server
        init` through its function, which sees past row-level security (desk.db.server)."""
        if self._last_reference_sql is None:
            sql = records.LAST_REFERENCE_SQL
            if session.get_bind().dialect.name == "postgresql" and session.scalar(
                    text("SELECT to_regprocedure('desk_last_reference(text)') IS NOT NULL")):
                sql = "SELECT desk_last_reference(:pattern)"
            self._last_reference_sql = sql
        return self._last_reference_sql

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
            # The flags from the values before the update (SQL reads the old row on the right of SET).
            result = cast("CursorResult[Any]", session.execute(
                update(c).where(c.created_at < before, or_(c.visitor_name.is_not(None), c.visitor_phone.is_not(None)))
                .values(visitor_name_purged=or_(c.visitor_name_purged, c.visitor_name.is_not(None)),
                        visitor_phone_purged=or_(c.visitor_phone_purged, c.visitor_phone.is_not(None)),
                        visitor_name=None, visitor_phone=None)))
            return result.rowcount or 0


def record_consultation(make_session: Callable[[], Session], **kwargs: Any) -> Recorded:
    """Store one consultation through the ORM (see :func:`desk.log.records.record`)."""
    return records.record(OrmLogWriter(make_session), **kwargs)


# --- the log: search, counts, CSV ---------------------------------------------------------

CSV_COLUMNS = LOG_COLUMNS
PERSONAL_COLUMNS = (("visitor_name", "来訪者氏名（個人情報）"), ("visitor_phone", "来訪者電話（個人情報）"))


def _filtered(stmt: Select[Any], where: LogFilter) -> Select[Any]:
    c = m.Consultation
    if where.text:
        # Literally: quotes, % and _ are text, not patterns.
        stmt = stmt.where(or_(*(column.contains(where.text, autoescape=True) for column in (
            c.reference_no, c.business_name, c.municipality, c.staff_name))))
    if where.since:
        # SQLite keeps the UTC wall time without a zone: compare in UTC, not in Japanese time.
        stmt = stmt.where(c.created_at >= as_utc(dt.datetime.combine(where.since, dt.time(), JAPAN)))
    if where.until:
        day_after = dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time(), JAPAN)
        stmt = stmt.where(c.created_at < as_utc(day_after))
    return stmt


def _list_columns(dialect: str) -> tuple[Any, ...]:
    """What a list shows: the record's own columns and, from the stored result, only how many
    funds were eligible and conditional (counted by the database, the result stays there)."""
    c = m.Consultation
    if dialect == "postgresql":
        eligible = func.json_array_length(c.result.op("->")("eligible"))
        conditional = func.json_array_length(c.result.op("->")("conditional"))
    else:
        eligible = func.json_array_length(c.result, "$.eligible")
        conditional = func.json_array_length(c.result, "$.conditional")
    return (c.id, c.reference_no, c.created_at, c.window_name, c.staff_name, c.business_name, c.industry,
            c.municipality, c.causes, func.coalesce(eligible, 0), func.coalesce(conditional, 0))


def log_page(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage:
    """Consultations newest first on (created_at, id); ``after`` continues where a page ended."""
    c = m.Consultation
    with make_session() as session:
        stmt = _filtered(select(*_list_columns(session.get_bind().dialect.name)), where)
        if after is not None:
            stmt = stmt.where(or_(c.created_at < after.created_at,
                                  and_(c.created_at == after.created_at, c.id < after.id)))
        stmt = stmt.order_by(c.created_at.desc(), c.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit + 1)   # one more tells whether another page follows
        found = session.execute(stmt).all()
    more = limit is not None and len(found) > limit
    found = found[:limit] if limit is not None else found
    rows = [_log_row(*row) for row in found]
    last = found[-1] if more else None
    return LogPage(rows, LogCursor(last[2], last[0]) if last is not None else None)


def _log_row(record_id: str, reference_no: str, created_at: dt.datetime, window_name: str | None,
             staff_name: str | None, business_name: str | None, industry: str | None, municipality: str | None,
             causes: list[str] | None, eligible: int, conditional: int) -> LogRow:
    local = _as_jst(created_at)
    return LogRow(id=record_id, reference_no=reference_no, created_at=local.strftime("%Y-%m-%d %H:%M"),
                  day=local.date().isoformat(), window_name=window_name or "", staff_name=staff_name or "",
                  business_name=business_name or "", industry=vocab.INDUSTRIES.get(industry or "", ""),
                  municipality=municipality or "", cause_codes=list(causes or ()),
                  causes="・".join(vocab.CAUSES.get(code, code) for code in causes or ()),
                  eligible=int(eligible), conditional=int(conditional))


def get_record(make_session: Callable[[], Session], record_id: str) -> ConsultationRecord | None:
    with make_session() as session:
        r = session.get(m.Consultation, record_id)
        return None if r is None else record_of(r)


def record_of(r: m.Consultation) -> ConsultationRecord:
    """A row as the plain record the callers are handed."""
    return ConsultationRecord(
        id=r.id, reference_no=r.reference_no, created_at=as_utc(r.created_at), evaluated_on=r.evaluated_on,
        device_id=r.device_id, window_name=r.window_name, staff_name=r.staff_name,
        business_name=r.business_name, visitor_name=r.visitor_name, visitor_phone=r.visitor_phone,
        industry=r.industry, municipality=r.municipality, causes=list(r.causes or ()), intake=dict(r.intake),
        pack_versions=dict(r.pack_versions or {}), report=r.report, reprint_count=r.reprint_count or 0,
        reprinted_at=as_utc(r.reprinted_at) if r.reprinted_at is not None else None,
        purged=tuple(key for key, flag in (("visitor_name", r.visitor_name_purged),
                                           ("visitor_phone", r.visitor_phone_purged)) if flag),
        window_role=r.window_role, consent_to_share=r.consent_to_share, referred_window=r.referred_window)


def record_reprint(make_session: Callable[[], Session], record_id: str, *, now: dt.datetime) -> int | None:
    """Count one more printing of a record's sheet (its reprint count after it), None when there
    is no such record. Counted by the database (not read, then written): two counters reprinting
    at once both count; read back in the same transaction (no RETURNING: older SQLite lacks it)."""
    c = m.Consultation
    with make_session() as session, session.begin():
        session.execute(update(c).where(c.id == record_id).values(reprint_count=c.reprint_count + 1,
                                                                   reprinted_at=now))
        count: int | None = session.scalar(select(c.reprint_count).where(c.id == record_id))
        return count


def stored_result(make_session: Callable[[], Session], record_id: str) -> dict[str, Any] | None:
    with make_session() as session:
        result: dict[str, Any] | None = session.scalar(
            select(m.Consultation.result).where(m.Consultation.id == record_id))
        return result


def log_counts(make_session: Callable[[], Session], where: LogFilter = EVERYTHING) -> LogCounts:
    """Consultations per Japanese day (grouped by the database) and per cause."""
    c = m.Consultation
    with make_session() as session:
        if session.get_bind().dialect.name == "postgresql":
            day = func.to_char(func.timezone("Asia/Tokyo", c.created_at), "YYYY-MM-DD")
        else:   # SQLite keeps the UTC wall time
            day = func.date(c.created_at, "+9 hours")
        grouped = _filtered(select(day, func.count()), where).group_by(day).order_by(day)
        per_day: dict[Any, Any] = dict(session.execute(grouped).all())
        # A list of codes per record: counted here (SQLite and PostgreSQL unnest JSON differently).
        per_cause = {label: 0 for label in vocab.CAUSES.values()}
        for causes in session.scalars(_filtered(select(c.causes), where)):
            for code in causes or ():
                label = vocab.CAUSES.get(code, code)
                per_cause[label] = per_cause.get(label, 0) + 1
    return LogCounts(total=sum(per_day.values()), per_day={str(k): int(n) for k, n in per_day.items()},
                     per_cause=per_cause)


def export_csv(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *,
               include_personal: bool = False) -> bytes:
    return to_csv(search_consultations(make_session, text=where.text, since=where.since, until=where.until),
                  include_personal=include_personal)


def search_consultations(make_session: Callable[[], Session], *, text: str | None = None,
                         since: dt.date | None = None, until: dt.date | None = None) -> list[dict[str, Any]]:
    """Consultations newest first, whole, with the visitor's details (for the CSV and for sync checks)."""
    stmt = _filtered(select(m.Consultation), LogFilter(text, since, until))
    stmt = stmt.order_by(m.Consultation.created_at.desc(), m.Consultation.id.desc())
    with make_session() as session:
        rows = session.scalars(stmt).all()
        return [{
            **_log_row(r.id, r.reference_no, r.created_at, r.window_name, r.staff_name, r.business_name, r.industry,
                       r.municipality, r.causes, len(r.result.get("eligible", [])),
                       len(r.result.get("conditional", []))),
            "visitor_name": r.visitor_name or "", "visitor_phone": r.visitor_phone or "",
        } for r in rows]


def _as_jst(moment: dt.datetime) -> dt.datetime:
    return as_utc(moment).astimezone(JAPAN)


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


# What a spreadsheet may take as the start of a formula, once it has skipped the blanks before it:
# = + - @ and their full-width forms, which Excel on a Japanese IME reads as the ASCII ones.
_FORMULA_STARTS = frozenset("=+-@＝＋－＠﹦﹢﹣﹫\u2212")


def _csv_safe(value: Any) -> Any:
    """A text cell that would run as a formula in Excel or LibreOffice, kept as text with a leading
    quote (OWASP's advice): one starting with = + - @ (half or full width), also after spaces,
    and one starting with a tab or a carriage return (which some readers skip)."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "\t\r" or value.lstrip()[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def pack_titles(make_session: Callable[[], Session]) -> dict[str, str]:
    """Each data pack's title by its id (a record names the packs it was matched on by id)."""
    with make_session() as session:
        return {pack_id: title for pack_id, title in session.execute(select(m.DataPack.id, m.DataPack.title))}
