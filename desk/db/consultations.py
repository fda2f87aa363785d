"""The consultation log through SQLAlchemy: the ORM writer; pages, records, counts (the CSV: desk.db.log_csv).

What a record holds and how its reference number is made: :mod:`desk.log.records`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from sqlalchemy import (
    CursorResult,
    Select,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk import vocab
from desk.db import models as m
from desk.db.log_rows import ENTRY_COLUMNS as _ENTRY_COLUMNS
from desk.db.log_rows import log_row as _log_row
from desk.db.reach import said_unreachable
from desk.db.services import (
    EVERYTHING,
    LOG_DIMENSIONS,
    NO_FOLLOW_UP,
    NOT_STATED,
    ConsultationRecord,
    FollowUpTooEarly,
    LogCounts,
    LogCursor,
    LogFilter,
    LogPage,
    LogStat,
)
from desk.fiscal import JAPAN, as_utc
from desk.log import records
from desk.log.records import Recorded


class OrmLogWriter:
    """Writes consultation records through the ORM (SQLite or PostgreSQL)."""

    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session
        self._last_reference_sql: str | None = None

    @said_unreachable   # a server gone: said in the window (desk.db.reach)
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
                add_entry_rows(session, records.entry_rows(ids.id, ids.reference_no, values))
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

    @said_unreachable
    def delete(self, consultation_id: str) -> None:
        """Remove a record whose sheet could not be written; no sheet carries its number, so the
        number may be issued again."""
        with self._make_session() as session, session.begin():
            record = session.get(m.Consultation, consultation_id)
            if record is not None:
                session.delete(record)


    @said_unreachable
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


def add_entry_rows(session: Session, rows: records.EntryRows) -> None:
    """The list's row, the causes and the funds of a record added in this session (after it)."""
    session.flush()   # the record first: the rows refer to it
    session.execute(insert(m.LogEntry), [rows.entry])
    if rows.causes:
        session.execute(insert(m.LogCause), rows.causes)
    if rows.funds:
        session.execute(insert(m.LogFund), rows.funds)


def record_consultation(make_session: Callable[[], Session], **kwargs: Any) -> Recorded:
    """Store one consultation through the ORM (see :func:`desk.log.records.record`)."""
    return records.record(OrmLogWriter(make_session), **kwargs)


# --- the log: search, counts -------------------------------------------------------------
# Every list, search, count and CSV reads the narrow tables of revision 0009 (desk.db.log_model),
# never the records' JSON: what they cost grows with the page or the groups, not with the log.

Query = TypeVar("Query", bound="Select[*tuple[Any, ...]]")
ROWS_BATCH = 2_000      # rows fetched at a time by csv_rows: its memory stays flat whatever the log's size


def filtered(stmt: Query, where: LogFilter) -> Query:
    """The records ``where`` names, on log_entry: the text literally (quotes, % and _ are text, not
    patterns), the Japanese days as the (UTC) times they span, so the table's key finds them."""
    e = m.LogEntry
    if where.text:
        stmt = stmt.where(or_(*(column.contains(where.text, autoescape=True) for column in (
            e.reference_no, e.business_name, e.municipality, e.staff_name))))
    if where.since:
        # SQLite keeps the UTC wall time without a zone: compare in UTC, not in Japanese time.
        stmt = stmt.where(e.created_at >= as_utc(dt.datetime.combine(where.since, dt.time(), JAPAN)))
    if where.until:
        day_after = dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time(), JAPAN)
        stmt = stmt.where(e.created_at < as_utc(day_after))
    return stmt


def _days(stmt: Query, day: Any, where: LogFilter) -> Query:
    """``since`` and ``until`` on a table's Japanese day (log_cause, log_fund: counted from their index)."""
    if where.since:
        stmt = stmt.where(day >= where.since.isoformat())
    if where.until:
        stmt = stmt.where(day <= where.until.isoformat())
    return stmt


def log_page(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage:
    """Consultations newest first on (created_at, id); ``after`` continues where a page ended:
    the records there when the first page was read come once each, whatever is added meanwhile."""
    e, fu = m.LogEntry, m.LogFollowUp
    with make_session() as session:
        stmt = filtered(select(*(getattr(e, name) for name in _ENTRY_COLUMNS), fu.status, fu.day)
                        .outerjoin(fu, fu.consultation_id == e.consultation_id), where)
        if after is not None:
            stmt = stmt.where(tuple_(e.created_at, e.consultation_id) < tuple_(after.created_at, after.id))
        stmt = stmt.order_by(e.created_at.desc(), e.consultation_id.desc())
        if limit is not None:
            stmt = stmt.limit(limit + 1)   # one more tells whether another page follows
        found = session.execute(stmt).all()
    more = limit is not None and len(found) > limit
    found = found[:limit] if limit is not None else found
    rows = [_log_row(*row) for row in found]
    last = found[-1] if more else None
    return LogPage(rows, LogCursor(last[2], last[0]) if last is not None else None)


def set_follow_up(make_session: Callable[[], Session], reference_no: str, *, status: str | None,
                  day: dt.date | None, now: dt.datetime) -> bool:
    """What became of a consultation, in place of what was entered before (None: cleared)."""
    if status is not None and status not in vocab.FOLLOW_UPS:
        raise ValueError(f"unknown follow-up {status!r}")
    fu = m.LogFollowUp
    with make_session() as session, session.begin():
        found = session.execute(
            select(m.Consultation.id, m.LogEntry.day)
            .outerjoin(m.LogEntry, m.LogEntry.consultation_id == m.Consultation.id)
            .where(m.Consultation.reference_no == reference_no)).first()
        if found is None:
            return False
        record_id, consulted_on = found
        if status is not None and day is not None and consulted_on and day.isoformat() < consulted_on:
            raise FollowUpTooEarly(day, dt.date.fromisoformat(consulted_on))
        session.execute(delete(fu).where(fu.consultation_id == record_id))
        # A clearing is kept as a row of its own, with its time: it must reach the shared database
        # in the next export and outweigh an older follow-up there (desk.db.logsync).
        session.add(fu(consultation_id=record_id, status=m.FOLLOW_UP_CLEARED if status is None else status,
                       day=day.isoformat() if day and status is not None else None, recorded_at=now))
    return True


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


def _where_days_and_text(stmt: Query, day: Any, consultation_id: Any, where: LogFilter) -> Query:
    """``where`` on a count: the Japanese days on the counted table's own ``day`` (its index), the text
    on log_entry (a search's counts read the entries it names)."""
    stmt = _days(stmt, day, where)
    if where.text:
        e = m.LogEntry
        if consultation_id is e.consultation_id:
            return filtered(stmt, LogFilter(text=where.text))
        stmt = stmt.where(consultation_id.in_(filtered(select(e.consultation_id), LogFilter(text=where.text))))
    return stmt


def log_counts(make_session: Callable[[], Session], where: LogFilter = EVERYTHING) -> LogCounts:
    """Consultations per Japanese day and per cause, and the businesses they were, counted by the database."""
    e = m.LogEntry
    with make_session() as session:
        per_day = {s.key: s.consultations for s in _stats(session, where, "day", businesses=False)}
        per_cause = {s.label: s.consultations for s in _stats(session, where, "cause", businesses=False)}
        businesses = session.scalar(_where_days_and_text(select(func.count(distinct(e.business_key))), e.day,
                                                         e.consultation_id, where))
    return LogCounts(total=sum(per_day.values()), per_day=per_day, per_cause=per_cause, businesses=int(businesses or 0))


def log_stats(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *, by: str) -> list[LogStat]:
    if by not in LOG_DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    with make_session() as session:
        return _stats(session, where, by)


def _stats(session: Session, where: LogFilter, by: str, *, businesses: bool = True) -> list[LogStat]:
    """Consultations (and, unless told not to, businesses) per group of ``by``."""
    e, c, f, fu = m.LogEntry, m.LogCause, m.LogFund, m.LogFollowUp
    # What is counted, the Japanese day it is filtered on and the record it belongs to.
    columns: dict[str, tuple[Any, Any, Any]] = {
        "day": (e.day, e.day, e.consultation_id), "month": (e.month, e.day, e.consultation_id),
        "industry": (e.industry, e.day, e.consultation_id), "municipality": (e.municipality, e.day, e.consultation_id),
        "window": (e.window_name, e.day, e.consultation_id), "cause": (c.cause, c.day, c.consultation_id),
        "fund": (f.fund_id, f.day, f.consultation_id),
        # No row and a cleared one (status "") are one group: none entered.
        "follow_up": (func.coalesce(fu.status, literal_column("''")), e.day, e.consultation_id)}
    if by == "municipality":
        return _municipality_stats(session, where, businesses=businesses)
    key, day, record = columns[by]
    # A business once per group, however often it came (a record without a business name has its own
    # key), from the counted table's own column: its index holds it beside the group and the day.
    business: Any = {"cause": c.business_key, "fund": f.business_key}.get(by, e.business_key)
    distinct_businesses = func.count(distinct(business)) if businesses else literal(0)
    stmt = select(key, func.count().label("n"), distinct_businesses)
    if by == "follow_up":
        stmt = stmt.select_from(e).outerjoin(fu, fu.consultation_id == e.consultation_id)
    stmt = _where_days_and_text(stmt, day, record, where)
    counted: dict[str, tuple[int, int]] = {k or "": (int(n), int(b)) for k, n, b in session.execute(stmt.group_by(key))}
    if by in ("day", "month"):
        return [LogStat(k, k, n, b) for k, (n, b) in sorted(counted.items())]
    labels: dict[str, str] = {}
    order: list[str] = []
    if by == "cause":
        labels, order = dict(vocab.CAUSES), list(vocab.CAUSES)   # every cause, counted or not
    elif by == "industry":
        labels, order = dict(vocab.INDUSTRIES), [k for k in vocab.INDUSTRIES if k in counted]
    elif by == "follow_up":
        labels, order = {**vocab.FOLLOW_UPS, "": NO_FOLLOW_UP}, [*vocab.FOLLOW_UPS, ""]
    elif by == "fund":
        labels = _fund_names(session, list(counted))
    rest = sorted((k for k in counted if k not in order), key=lambda k: (-counted[k][0], k))
    return [LogStat(k, labels.get(k) or k or NOT_STATED, *counted.get(k, (0, 0))) for k in order + rest]


def _municipality_stats(session: Session, where: LogFilter, *, businesses: bool) -> list[LogStat]:
    """Consultations and businesses per municipality (「神奈川県横須賀市」), never per town or street:
    a record keeps its place's label, its town from the postal code (「神奈川県横須賀市本町」), or an
    address another device stored; each label is folded into the municipality it starts with.

    A business's key is made of its name and its municipality, not its town (desk.log.business), so
    one business may be under several labels folded together (with and without its town): counted
    per label, then once less in its group for each label of the group it was under beyond the first."""
    from desk.intake.place_text import municipality_label

    e = m.LogEntry
    place = func.coalesce(e.municipality, literal_column("''"))
    distinct_businesses = func.count(distinct(e.business_key)) if businesses else literal(0)
    stmt = _where_days_and_text(select(place, func.count(), distinct_businesses),
                                e.day, e.consultation_id, where)
    home_names = list(session.scalars(select(m.Municipality.name)
                                      .where(m.Municipality.prefecture == vocab.HOME_PREFECTURE)))
    counted: dict[str, tuple[int, int]] = {}
    group_of: dict[str, str] = {}
    for stored, n, b in session.execute(stmt.group_by(place)):
        group = group_of[stored] = municipality_label(stored, home_names)
        before = counted.get(group, (0, 0))
        counted[group] = (before[0] + int(n), before[1] + int(b))
    if businesses and len(set(group_of.values())) < len(group_of):
        # Only the keys under more than one label and their labels: the two of most (the municipality
        # with and without a town) in the same row, the others' from a second query.
        count_labels = func.count(distinct(place))
        several = _where_days_and_text(select(e.business_key, func.min(place), func.max(place), count_labels),
                                       e.day, e.consultation_id, where).group_by(e.business_key)
        labels_of: dict[str | None, list[str]] = {}
        more_than_two = False
        for key, first, last, labels in session.execute(several.having(count_labels > 1)):
            if labels == 2:
                labels_of[key] = [group_of[first], group_of[last]]
            more_than_two |= labels > 2
        if more_than_two:
            more = several.with_only_columns(e.business_key).having(count_labels > 2)
            for key, stored in session.execute(_where_days_and_text(
                    select(e.business_key, place).distinct(), e.day, e.consultation_id, where)
                    .where(e.business_key.in_(more))):
                labels_of.setdefault(key, []).append(group_of[stored])
        for groups in labels_of.values():
            for group in set(groups):
                n, b = counted[group]
                counted[group] = (n, b - (groups.count(group) - 1))
    return [LogStat(k, k or NOT_STATED, n, b)
            for k, (n, b) in sorted(counted.items(), key=lambda item: (-item[1][0], item[0]))]


def _fund_names(session: Session, fund_ids: list[str]) -> dict[str, str]:
    """Each fund as people name it (「事業承継関連融資（ア・イ）」); a fund the catalogue no longer
    has keeps its id."""
    v, p = m.Variant, m.Program
    names: dict[str, str] = {}
    for start in range(0, len(fund_ids), 500):
        for variant_id, name, label in session.execute(
                select(v.id, p.name, v.label).join(p, p.id == v.program_id)
                .where(v.id.in_(fund_ids[start:start + 500]))):
            names[variant_id] = f"{name}（{label}）" if label else name
    return names


def csv_rows(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *,
             include_personal: bool = False) -> Iterator[dict[str, Any]]:
    """The records ``where`` names, newest first, as the CSV shows them (with the visitor's details
    when asked), fetched :data:`ROWS_BATCH` at a time."""
    e, c, fu = m.LogEntry, m.Consultation, m.LogFollowUp
    columns: list[Any] = [*(getattr(e, name) for name in _ENTRY_COLUMNS), fu.status, fu.day]
    stmt = select(*columns).outerjoin(fu, fu.consultation_id == e.consultation_id)
    if include_personal:
        stmt = select(*columns, c.visitor_name, c.visitor_phone).outerjoin(
            fu, fu.consultation_id == e.consultation_id).join(c, c.id == e.consultation_id)
    stmt = filtered(stmt, where).order_by(e.created_at.desc(), e.consultation_id.desc())
    with make_session() as session:
        for row in session.execute(stmt.execution_options(yield_per=ROWS_BATCH)):
            out: dict[str, Any] = dict(_log_row(*row[:len(_ENTRY_COLUMNS) + 2]))
            out["follow_up_said"] = vocab.FOLLOW_UPS.get(out["follow_up_status"], out["follow_up_status"])
            if include_personal:
                out["visitor_name"], out["visitor_phone"] = row[-2] or "", row[-1] or ""
            yield out


def search_consultations(make_session: Callable[[], Session], *, text: str | None = None,
                         since: dt.date | None = None, until: dt.date | None = None) -> list[dict[str, Any]]:
    """Consultations newest first, whole, with the visitor's details (for the CSV and for sync checks)."""
    return list(csv_rows(make_session, LogFilter(text, since, until), include_personal=True))


def pack_titles(make_session: Callable[[], Session]) -> dict[str, str]:
    """Each data pack's title by its id (a record names the packs it was matched on by id)."""
    with make_session() as session:
        return {pack_id: title for pack_id, title in session.execute(select(m.DataPack.id, m.DataPack.title))}
