"""Consent and the record of provision (issue 17): one consultation shared with the window the
visitor was referred to, and what the administrator reads of it.

A window records the visitor's yes or no on its own record (row-level security keeps it to its
own). The referred window reads that one record through the server's function
``desk_shared_consultation`` (desk.db.server), which writes the read to ``provision_log``:
the client never writes that log and cannot skip it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, text, update
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db.consultations import record_of
from desk.db.services import AuditEntry, ConsentError, ConsultationRecord, ReferralWindow


def record_consent(make_session: Callable[[], Session], reference_no: str, *, consent: bool,
                   referred_window: str | None) -> None:
    if consent and not referred_window:
        raise ConsentError("共有に同意した記録には、紹介先の窓口を指定してください")
    with make_session() as session, session.begin():
        if referred_window is not None:
            known = session.scalar(select(m.ServiceWindow.role).where(
                m.ServiceWindow.role == referred_window, m.ServiceWindow.disabled_at.is_(None)))
            if known is None:
                raise ConsentError(f"紹介先の窓口 {referred_window[:63]!r} はありません"
                                   "（desk server windows の一覧にある窓口を指定してください）")
        c = m.Consultation
        done = cast("CursorResult[Any]", session.execute(
            update(c).where(c.reference_no == reference_no)
            .values(consent_to_share=consent, referred_window=referred_window if consent else None)))
        if not done.rowcount:
            raise ConsentError(f"受付番号 {reference_no[:32]} の記録はこの窓口にありません")


def shared_record(make_session: Callable[[], Session], reference_no: str) -> ConsultationRecord | None:
    with make_session() as session, session.begin():
        if session.get_bind().dialect.name != "postgresql":
            return None    # a file of one user: nothing is shared between windows
        row = session.scalars(select(m.Consultation).from_statement(
            text("SELECT * FROM desk_shared_consultation(:ref)")), {"ref": reference_no}).first()
        return None if row is None else record_of(row)


def provisions(make_session: Callable[[], Session], *, since: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The provision log, oldest first (desk_admin reads it; a window is refused by the server)."""
    p = m.ProvisionLog
    stmt = select(p).order_by(p.at, p.id)
    if since is not None:
        stmt = stmt.where(p.at >= since)
    with make_session() as session:
        return [{"at": r.at, "reader": r.reader, "reference_no": r.reference_no, "consultation_id": r.consultation_id,
                 "from_window": r.from_window or "", "to_window": r.to_window, "action": r.action}
                for r in session.scalars(stmt)]


def audit_trail(make_session: Callable[[], Session], *, since: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The catalogue's audit trail, oldest first."""
    a = m.CatalogueAudit
    stmt = select(a).order_by(a.at, a.id)
    if since is not None:
        stmt = stmt.where(a.at >= since)
    with make_session() as session:
        return [{"at": r.at, "who": r.who, "table": r.table_name, "record_id": r.record_id or "", "action": r.action,
                 "old": r.old, "new": r.new} for r in session.scalars(stmt)]


def referral_windows(make_session: Callable[[], Session]) -> list[ReferralWindow] | None:
    """The open windows other than the connected one, by title; None where nothing is shared
    (a SQLite file, a server `desk server init` has not secured)."""
    from desk.db import server

    w = m.ServiceWindow
    with make_session() as session:
        if not server.initialised(session.connection()):
            return None
        rows = session.execute(select(w.role, w.title).where(w.disabled_at.is_(None), w.role != func.current_user())
                               .order_by(w.title, w.role)).all()
    return [ReferralWindow(role, title) for role, title in rows]


def audit_entries(make_session: Callable[[], Session], *, limit: int) -> list[AuditEntry] | None:
    """The newest catalogue changes first, for desk_admin's screen; None where there is no trail
    this role may read."""
    from desk.db import server

    a = m.CatalogueAudit
    with make_session() as session:
        connection = session.connection()
        if not server.initialised(connection) or not server.connected_role(connection)[1]:
            return None
        rows = session.scalars(select(a).order_by(a.at.desc(), a.id.desc()).limit(limit))
        return [AuditEntry(r.at, r.who, r.table_name, r.record_id or "", r.action, r.old, r.new) for r in rows]


class OrmServerService:
    def __init__(self, make_session: Callable[[], Session]):
        self._make_session = make_session

    def referral_windows(self) -> list[ReferralWindow] | None:
        return referral_windows(self._make_session)

    def audit_trail(self, *, limit: int = 500) -> list[AuditEntry] | None:
        return audit_entries(self._make_session, limit=limit)


Columns = tuple[tuple[str, str], ...]   # (key, heading)
AUDIT_COLUMNS: Columns = (("at", "日時"), ("who", "ロール"), ("table", "表"), ("record_id", "レコード"),
                          ("action", "操作"), ("old", "変更前"), ("new", "変更後"))
PROVISION_COLUMNS: Columns = (("at", "日時"), ("reader", "閲覧したロール"), ("reference_no", "受付番号"),
                     ("from_window", "記録した窓口"), ("to_window", "提供先の窓口"), ("action", "操作"))


def as_csv(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> bytes:
    """The audit trail or the provision log as CSV that Excel in Japan opens (times in Japanese
    time, values as JSON, cells that would run as formulas kept as text)."""
    import csv
    import io
    import json

    from desk.fiscal import JAPAN
    from desk.textfmt import csv_safe

    def cell(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return "" if value is None else value

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([csv_safe(cell(row[key])) for key, _ in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
