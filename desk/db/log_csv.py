"""The log's CSV for Excel: streamed from the narrow list table in batches of plain tuples.

Whole logs are exported (a million records at a prefecture's server), so nothing is done per row in
Python that SQL or a lookup can do once: the Japanese time is formatted by the database, the causes
come as their stored JSON text and are put into words once per distinct list, the industry once per
code, the visitor's details are joined by the database, and the batches go straight to
``csv.writer.writerows``. What became of each (その後) is joined by the database from the small
log_follow_up table and put into words from a dict. Only the columns people type into can start
like a formula; only those are looked at, and only when their first character could make one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Select, String, Text, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from desk import vocab
from desk.db import models as m
from desk.db.consultations import filtered
from desk.db.services import EVERYTHING, LOG_COLUMNS, LogFilter
from desk.textfmt import FORMULA_STARTS, csv_safe

# What became of each consultation, its word and its day, after the list's columns (issue 18).
FOLLOW_UP_COLUMNS = (("follow_up_said", "その後"), ("follow_up_day", "その後の日付"))
CSV_COLUMNS = LOG_COLUMNS + FOLLOW_UP_COLUMNS
PERSONAL_COLUMNS = (("visitor_name", "来訪者氏名（個人情報）"), ("visitor_phone", "来訪者電話（個人情報）"))
CSV_BATCH = 2_000      # rows fetched at a time: the export's memory stays flat whatever the log's size

class _SafeCells(dict[str | None, str | None]):
    """Typed cells as the CSV writes them, each distinct one looked at once (a window's, a staff
    member's, a place's name come back on every other row): csv_safe only when the first character
    is a formula's or a blank (str.lstrip skips what str.isspace calls one), since no other first
    character starts a formula. Forgets what it saw past :data:`LIMIT` cells: the memory stays flat."""

    LIMIT = 20_000

    def __missing__(self, value: str | None) -> str | None:
        if len(self) >= self.LIMIT:
            self.clear()
        safe = value
        if value and (value[0] in FORMULA_STARTS or value[0].isspace()):
            safe = csv_safe(value)
        self[value] = safe
        return safe


class _Words:
    """Codes into the words the CSV shows, each distinct value worked out once."""

    def __init__(self) -> None:
        self.industries = {code: label for code, label in vocab.INDUSTRIES.items()}
        self.follow_ups = _FollowUpWords(vocab.FOLLOW_UPS)
        self._causes: dict[str | None, str] = {}

    def causes(self, stored: str | None) -> str:
        words = self._causes.get(stored)
        if words is None:
            codes = json.loads(stored) if stored else []
            words = self._causes[stored] = csv_safe("・".join(vocab.CAUSES.get(code, code) for code in codes or ()))
        return words


class _FollowUpWords(dict[str | None, str]):
    """A follow-up's code as its word ("" for none; a code desk does not know as itself, made safe)."""

    def __missing__(self, code: str | None) -> str:
        word = self[code] = str(csv_safe(code or ""))
        return word


def _minute_in_japan(session: Session, column: Any) -> Any:
    """``column`` (a UTC time) as "2026-11-22 12:00" in Japan, formatted by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Tokyo", column), "YYYY-MM-DD HH24:MI")
    # SQLite keeps the UTC wall time as text; Japan has had no summer time since 1951.
    return func.strftime("%Y-%m-%d %H:%M", column, "+9 hours")


def _fetched(session: Session, stmt: Select[Any]) -> Iterator[Sequence[Sequence[Any]]]:
    """The rows of ``stmt``, :data:`CSV_BATCH` at a time. On SQLite the driver's own tuples, read from
    its cursor (which steps through the result as it is read: no SQLAlchemy row per row, which would
    cost more than the rest of the row's work; every column is text or a number that needs no
    conversion); on PostgreSQL through a server-side cursor, whose result SQLAlchemy reads ahead."""
    if session.get_bind().dialect.name == "postgresql":
        yield from session.connection().execution_options(yield_per=CSV_BATCH).execute(stmt).partitions()
        return
    cursor = session.connection().execute(stmt).cursor
    while batch := cursor.fetchmany(CSV_BATCH):
        yield batch


def _visitors(session: Session, record_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """The visitor's name and phone of each record (SQLite), looked up for a batch at once, from the
    index of (id, visitor_name, visitor_phone) read in the ids' order, not a row of the wide table
    here and one there. SQLite's planner takes the primary key's index (which leads to the wide row)
    unless told: INDEXED BY. On the driver's cursor: the ids are text, the answer is text."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(VISITORS_SQL.format(ids=", ".join("?" * len(record_ids))), record_ids)
        return {record_id: (name, phone) for record_id, name, phone in cursor.fetchall()}
    finally:
        cursor.close()


# SQLite's (INDEXED BY is SQLite's word; ? its driver's): PostgreSQL joins the details instead.
VISITORS_SQL = ("SELECT id, visitor_name, visitor_phone FROM consultation INDEXED BY ix_consultation_visitor"
                " WHERE id IN ({ids})")


def csv_batches(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *,
                include_personal: bool = False) -> Iterator[list[tuple[Any, ...]]]:
    """The CSV's rows (those of :data:`CSV_COLUMNS`, then the personal ones when asked), newest first,
    :data:`CSV_BATCH` at a time."""
    e, c, fu = m.LogEntry, m.Consultation, m.LogFollowUp
    words = _Words()
    with make_session() as session:
        postgresql = session.get_bind().dialect.name == "postgresql"
        causes_text = cast(e.causes, Text) if postgresql else type_coerce(e.causes, String)
        columns: list[Any] = [e.reference_no, _minute_in_japan(session, e.created_at), e.window_name, e.staff_name,
                              e.business_name, e.industry, e.municipality, causes_text, e.eligible, e.conditional,
                              fu.status, fu.day, e.consultation_id]
        # The visitor's details: joined by PostgreSQL (which reads them from ix_consultation_visitor
        # in a join of its own choosing), looked up a batch at a time on SQLite (whose only join,
        # a row at a time in the list's order, was twice as slow on a large log).
        joined = include_personal and postgresql
        stmt = (select(*columns, c.visitor_name, c.visitor_phone) if joined else select(*columns)).select_from(e) \
            .outerjoin(fu, fu.consultation_id == e.consultation_id)
        if joined:
            stmt = stmt.join(c, c.id == e.consultation_id)
        stmt = filtered(stmt, where).order_by(e.created_at.desc(), e.consultation_id.desc())
        industries, causes, follow_ups, safe = words.industries, words.causes, words.follow_ups, _SafeCells()
        for batch in _fetched(session, stmt):
            if joined:
                yield [(ref, when, safe[window], safe[staff], safe[business], industries.get(industry, ""),
                        safe[place], causes(cause_codes), eligible, conditional, follow_ups[status], safe[day],
                        safe[name], safe[phone])
                       for ref, when, window, staff, business, industry, place, cause_codes, eligible, conditional,
                       status, day, _, name, phone in batch]
                continue
            if include_personal:
                visitors = _visitors(session, [row[-1] for row in batch])
                yield [(ref, when, safe[window], safe[staff], safe[business], industries.get(industry, ""),
                        safe[place], causes(cause_codes), eligible, conditional, follow_ups[status], safe[day],
                        safe[visitors[record_id][0]], safe[visitors[record_id][1]])
                       for ref, when, window, staff, business, industry, place, cause_codes, eligible, conditional,
                       status, day, record_id in batch]
                continue
            yield [(ref, when, safe[window], safe[staff], safe[business], industries.get(industry, ""), safe[place],
                    causes(cause_codes), eligible, conditional, follow_ups[status], safe[day])
                   for ref, when, window, staff, business, industry, place, cause_codes, eligible, conditional,
                   status, day, _ in batch]


def write_batches(batches: Iterable[Sequence[Sequence[Any]]], out: BinaryIO, *, include_personal: bool = False) -> int:
    """The CSV that Excel in Japan opens without mojibake (UTF-8 with a byte-order mark, CRLF) written to
    ``out`` as the batches come (each written as text, then encoded at once); how many rows."""
    columns = CSV_COLUMNS + (PERSONAL_COLUMNS if include_personal else ())
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([label for _, label in columns])
    out.write(codecs.BOM_UTF8)
    count = 0
    for batch in batches:
        writer.writerows(batch)
        count += len(batch)
        out.write(text.getvalue().encode("utf-8"))
        text.seek(0)
        text.truncate()
    out.write(text.getvalue().encode("utf-8"))
    return count


def export_csv(make_session: Callable[[], Session], where: LogFilter = EVERYTHING, *,
               include_personal: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_batches(csv_batches(make_session, where, include_personal=include_personal), buffer,
                  include_personal=include_personal)
    return buffer.getvalue()


def write_csv(make_session: Callable[[], Session], path: Path, where: LogFilter = EVERYTHING, *,
              include_personal: bool = False) -> int:
    """The CSV of :func:`export_csv` written to ``path`` as the rows come (atomically); how many rows."""
    from desk.fileio import atomic_write_with

    batches = csv_batches(make_session, where, include_personal=include_personal)
    return atomic_write_with(path, lambda out: write_batches(batches, out, include_personal=include_personal))[1]


def to_csv(rows: Iterable[dict[str, Any]], *, include_personal: bool = False) -> bytes:
    """The same CSV from rows as :func:`desk.db.consultations.csv_rows` gives them (a few, in tests and
    checks): each cell through :func:`csv_safe`."""
    columns = CSV_COLUMNS + (PERSONAL_COLUMNS if include_personal else ())
    buffer = io.BytesIO()
    write_batches([[[csv_safe(row[key]) for key, _ in columns] for row in rows]], buffer,
                  include_personal=include_personal)
    return buffer.getvalue()
