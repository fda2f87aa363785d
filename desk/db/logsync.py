"""Bringing an offline laptop's consultation records to the shared database.

`desk log export FILE` on the laptop writes the records made on this machine since its last
export (all of them with ``everything``) to one JSON file with a SHA-256 checksum of its
records, then marks them exported. `desk log import FILE` on the shared database checks the
checksum and adds the records it does not have yet: records carry UUIDs, so importing the
same file twice adds nothing, and a record that differs from the one already there with
the same id or reference number is reported, never overwritten. Both sides go through the
ORM, so either may be SQLite or PostgreSQL.

A record may carry what became of it (``follow_up``: status, day and when it was recorded),
an optional field, so files from before follow-ups still import. A follow-up cleared carries
status and day null and the time of the clearing. A follow-up entered or cleared on the laptop
after its record left sends the record again with the next export; on import the latest change
wins, by the time recorded with it: a file's follow-up (or clearing) replaces the database's only
when it was recorded later, so an older file brings back neither a cleared follow-up nor an old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.fileio import FileRefused, atomic_write_text, read_regular_file
from desk.fiscal import as_utc
from desk.log.records import EntryRows, entry_rows

FORMAT = "desk-log/1"
COLUMNS = ("id", "reference_no", "created_at", "evaluated_on", "device_id", "window_name", "staff_name",
           "business_name", "visitor_name", "visitor_phone", "industry", "municipality", "causes", "intake", "result",
           "pack_versions")
PERSONAL = ("visitor_name", "visitor_phone")
FOLLOW_UP = "follow_up"   # optional in a record: {"status", "day", "recorded_at"} (issue 18); status null: cleared
MAX_FILE_BYTES = 200 * 1024 * 1024   # a record is a few kB: tens of thousands of consultations, not an endless stream


class LogFileError(Exception):
    """A log file that cannot be imported; the message names the file and the problem."""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)          # reference numbers
    already_there: int = 0
    conflicts: list[str] = field(default_factory=list)      # what differs, one line each
    follow_ups: list[str] = field(default_factory=list)     # reference numbers whose follow-up the file set
    follow_ups_cleared: list[str] = field(default_factory=list)   # ... or cleared
    follow_ups_kept: int = 0      # follow-ups in the file older than the one in the database, left as they were


def _record_dict(row: m.Consultation, *, personal: bool) -> dict[str, Any]:
    out = {}
    for name in COLUMNS:
        value = getattr(row, name)
        if name == "created_at":
            value = as_utc(value).isoformat()
        elif name == "evaluated_on":
            value = value.isoformat()
        elif name in PERSONAL and not personal:
            value = None
        out[name] = value
    return out


def _follow_up_dict(row: m.LogFollowUp) -> dict[str, Any]:
    status = None if row.status == m.FOLLOW_UP_CLEARED else row.status
    return {"status": status, "day": row.day if status else None, "recorded_at": as_utc(row.recorded_at).isoformat()}


def checksum(records: list[dict[str, Any]]) -> str:
    canonical = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def export_log(make_session: Callable[[], Session], path: Path, *, device: str, everything: bool = False,
               personal: bool = True, window: str | None = None, now: dt.datetime | None = None) -> int:
    """Write this machine's records not yet exported (or every record in the database); returns how many.
    Nothing is written, and nothing marked, when there is nothing to export."""
    now = now or dt.datetime.now(dt.UTC)
    with make_session() as session:
        c, fu = m.Consultation, m.LogFollowUp
        stmt = select(c).order_by(c.created_at)
        if not everything:
            # A record already exported leaves again when its follow-up was recorded since.
            stmt = stmt.where(c.device_id == device, or_(c.exported_at.is_(None), exists().where(
                fu.consultation_id == c.id, fu.recorded_at > c.exported_at)))
        # Everything is every record whatever its device id: records made under another id
        # (two first referrals at once each saved an id, issue 15 item 1) must still leave.
        rows = session.scalars(stmt).all()
        records = [_record_dict(r, personal=personal) for r in rows]
        follow_ups = _follow_ups(session, [r["id"] for r in records])
        for record in records:
            if record["id"] in follow_ups:
                record[FOLLOW_UP] = _follow_up_dict(follow_ups[record["id"]])
    if not records:
        return 0
    document = {"format": FORMAT, "device_id": device, "exported_at": now.isoformat(), "count": len(records),
                "sha256": checksum(records), "records": records}
    if window:   # the window the records were made for (issue 17); files from before carry none
        document["window"] = window
    # The file first, then the marks: a crash in between only exports the records again,
    # and importing them twice adds nothing.
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n", mode=0o600)
    with make_session() as session, session.begin():
        session.execute(update(m.Consultation).where(m.Consultation.id.in_([r["id"] for r in records]))
                        .values(exported_at=now))
    return len(records)


def _follow_ups(session: Session, ids: list[str]) -> dict[str, m.LogFollowUp]:
    fu, found = m.LogFollowUp, {}
    for start in range(0, len(ids), 500):   # bounded IN lists
        found.update({row.consultation_id: row for row in session.scalars(
            select(fu).where(fu.consultation_id.in_(ids[start:start + 500])))})
    return found


def read_log_file(path: Path) -> list[dict[str, Any]]:
    """The records of a log file, after checking its format and checksum (LogFileError)."""
    return _read_document(path)[1]


def _read_document(path: Path) -> tuple[str | None, list[dict[str, Any]]]:
    """The window a log file names (None in files from before issue 17) and its checked records."""
    try:
        document = json.loads(read_regular_file(path, limit=MAX_FILE_BYTES).decode("utf-8"))
    except FileRefused as exc:
        raise LogFileError(str(exc)) from exc
    except OSError as exc:
        raise LogFileError(f"{path}: ファイルを開けません（{exc.strerror}）") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LogFileError(f"{path}: 相談記録のファイルとして読めません（{exc}）") from exc
    except RecursionError:
        raise LogFileError(f"{path}: 相談記録のファイルとして読めません（入れ子が深すぎます）") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise LogFileError(f"{path}: desk log export のファイルではありません（format が {FORMAT} ではありません）")
    records = document.get("records")
    if not isinstance(records, list) or document.get("count") != len(records):
        raise LogFileError(f"{path}: 記録の数が合いません（ファイルが途中で切れているおそれがあります）")
    _check_records(path, records)   # first: bounded depth, before the checksum's json.dumps
    if document.get("sha256") != checksum(records):
        raise LogFileError(f"{path}: チェックサムが合いません（ファイルが壊れているか、書き換えられています）")
    window = document.get("window")
    if window is not None and not (isinstance(window, str) and 0 < len(window) <= 63):
        raise LogFileError(f"{path}: 窓口（window）の値が正しくありません")
    return window, records


def _check_records(path: Path, records: list[Any]) -> None:
    """Every record as desk writes it, no id or reference number twice (LogFileError naming the
    record: its place in the file and its reference number)."""
    from desk.log.logfile_records import RecordProblem, check_follow_up, check_record

    seen_ids: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for i, record in enumerate(records, 1):
        if not isinstance(record, dict) or set(record) - {FOLLOW_UP} != set(COLUMNS):
            raise LogFileError(f"{path}: {i} 件目の記録の項目が正しくありません")
        number = record.get("reference_no")
        named = f"{i} 件目の記録" + (f"（受付番号 {number}）" if isinstance(number, str) and len(number) <= 32 else "")
        try:
            check_record(record)
            if FOLLOW_UP in record:
                check_follow_up(record[FOLLOW_UP])
        except RecordProblem as exc:
            raise LogFileError(f"{path}: {named}: {exc}") from None
        for seen, key, what in ((seen_ids, str(record["id"]), "id"), (seen_numbers, str(number), "受付番号")):
            if key in seen:
                raise LogFileError(f"{path}: {named}: {seen[key]} 件目の記録と{what}が同じです")
            seen[key] = i


def _row_values(record: dict[str, Any]) -> dict[str, Any]:
    from desk.log import logfile_records

    values = dict(record)
    values.pop(FOLLOW_UP, None)
    values["created_at"] = logfile_records.created_at(record)
    values["evaluated_on"] = logfile_records.evaluated_on(record)
    return values


def import_log(make_session: Callable[[], Session], path: Path) -> ImportReport:
    """Add the records of a log file that the database does not have (one transaction)."""
    window, records = _read_document(path)
    report = ImportReport()
    values = [_row_values(r) for r in records]   # checked by read_log_file
    entries: list[EntryRows] = []
    with make_session() as session, session.begin():
        window = _window_for(session, path, window)
        for value in values:
            value["window_role"] = window
        ids = [v["id"] for v in values]
        existing = {r.id: r for r in session.scalars(select(m.Consultation).where(m.Consultation.id.in_(ids)))}
        numbers = dict(session.execute(select(m.Consultation.reference_no, m.Consultation.id).where(
            m.Consultation.reference_no.in_([v["reference_no"] for v in values]))).all())
        follow_ups = _follow_ups(session, [r["id"] for r in records if FOLLOW_UP in r])
        for record, value in zip(records, values, strict=True):
            there = existing.get(value["id"])
            if there is not None:
                if _record_dict(there, personal=True) == _same_personal(record, there):
                    report.already_there += 1
                    _take_follow_up(session, report, record, follow_ups.get(value["id"]))
                else:
                    report.conflicts.append(f"{record['reference_no']}: 同じ id の記録が別の内容で既にあります")
                continue
            if numbers.get(value["reference_no"], value["id"]) != value["id"]:
                report.conflicts.append(f"{record['reference_no']}: 同じ受付番号の別の記録が既にあります")
                continue
            session.add(m.Consultation(**value))
            entries.append(entry_rows(value["id"], value["reference_no"], value))
            report.added.append(value["reference_no"])
            _take_follow_up(session, report, record, None)
        # What the log lists and counts of each, derived from the record as the writers derive it.
        session.flush()
        for table, rows in ((m.LogEntry, [e.entry for e in entries]),
                            (m.LogCause, [row for e in entries for row in e.causes]),
                            (m.LogFund, [row for e in entries for row in e.funds])):
            if rows:
                session.execute(insert(table), rows)
    return report


def _take_follow_up(session: Session, report: ImportReport, record: dict[str, Any],
                    there: m.LogFollowUp | None) -> None:
    """The file's follow-up of a record (or its clearing), unless the database's was recorded, or
    cleared, at the same time or later."""
    from desk.log.logfile_records import follow_up_recorded_at

    said = record.get(FOLLOW_UP)
    if said is None:
        return
    recorded_at = follow_up_recorded_at(said)
    if there is not None:
        if as_utc(there.recorded_at) >= recorded_at:
            report.follow_ups_kept += _follow_up_dict(there) != said
            return
        session.execute(delete(m.LogFollowUp).where(m.LogFollowUp.consultation_id == record["id"]))
    # A clearing is kept as the database's own is (a row with its time): a still older file that
    # comes later must not bring the follow-up back.
    cleared = said["status"] is None
    session.add(m.LogFollowUp(consultation_id=record["id"], status=m.FOLLOW_UP_CLEARED if cleared else said["status"],
                              day=None if cleared else said["day"], recorded_at=recorded_at))
    (report.follow_ups_cleared if cleared else report.follow_ups).append(record["reference_no"])


def _window_for(session: Session, path: Path, window: str | None) -> str | None:
    """The window the file's records go into: on a server secured by `desk server init`, a window's
    role takes only a file made for it (or one from before files named their window: into its
    own), desk_admin a file naming its window; elsewhere the window the file names."""
    from desk.db import server

    connection = session.connection()
    if not server.initialised(connection):
        return window
    role, is_admin = server.connected_role(connection)
    if is_admin:
        if window is None:
            raise LogFileError(f"{path}: 窓口の書かれていないファイルです（古い desk で書き出したもの）:"
                               " その窓口のロールで取り込んでください")
        return window
    if window is not None and window != role:
        raise LogFileError(f"{path}: 窓口 {window} のためのファイルです。この窓口（{role}）には取り込めません")
    return role


def _same_personal(record: dict[str, Any], there: m.Consultation) -> dict[str, Any]:
    # A file exported without personal details, or a record purged since, is still the same record.
    out = dict(record)
    out.pop(FOLLOW_UP, None)
    for key in PERSONAL:
        if out[key] is None or getattr(there, key) is None:
            out[key] = getattr(there, key)
    return out
