"""The consultation log: one record for every referral sheet printed or saved.

Each record has a UUID (records made on offline laptops never collide when they
are brought back) and a short reference number printed on the sheet:
``YYYYMMDD-DDDDD-NNN`` — the date, five characters of this machine's device id
and the machine's sequence for the day. Personal details (the visitor's name and
phone) are stored only when staff typed them, and never inside the stored intake.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk import vocab
from desk.db import models as m
from desk.intake import Intake
from desk.settings import Settings

JST = dt.timezone(dt.timedelta(hours=9))  # reference numbers and the log follow the Japanese date
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: easy to read aloud
PERSONAL_KEYS = ("visitor_name", "visitor_phone")


def device_id(settings: Settings) -> str:
    """This machine's id, created and saved on first use."""
    value = settings.get("device_id")
    if not value:
        value = str(uuid.uuid4())
        settings.set("device_id", value)
        settings.save()
    return value


def device_code(device: str) -> str:
    number = uuid.UUID(device).int >> (128 - 25)
    return "".join(CROCKFORD[(number >> shift) & 31] for shift in (20, 15, 10, 5, 0))


def _intake_without_personal_details(intake: Intake) -> dict[str, Any]:
    data = asdict(intake)
    for key in PERSONAL_KEYS:
        data.pop(key, None)
    data["sales_change"] = {k: list(v) if isinstance(v, tuple) else v for k, v in data["sales_change"].items()}
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def record_consultation(make_session: Callable[[], Session], *, intake: Intake, result: dict[str, Any],
                        device: str, window_name: str | None, staff_name: str | None,
                        now: dt.datetime | None = None) -> m.Consultation:
    """Store one consultation and return it with its reference number."""
    now = now or dt.datetime.now(dt.timezone.utc)
    local_day = now.astimezone(JST).date()
    prefix = f"{local_day:%Y%m%d}-{device_code(device)}-"
    summary = {
        "programs": {p["id"]: p["status"] for p in result["programs"]},
        "eligible": [p["id"] for p in result["programs"] if p["status"] == "eligible"],
        "conditional": [p["id"] for p in result["programs"] if p["status"] == "conditional"],
        "contacts": [c["id"] for c in result["contacts"]],
        "warnings": result.get("warnings", []),
    }
    for _attempt in range(20):
        try:
            with make_session() as session, session.begin():
                taken = session.scalar(select(func.count()).select_from(m.Consultation)
                                       .where(m.Consultation.reference_no.like(prefix + "%"))) or 0
                record = m.Consultation(
                    id=str(uuid.uuid4()), reference_no=f"{prefix}{taken + 1:03d}", created_at=now,
                    evaluated_on=dt.date.fromisoformat(result["as_of"]), device_id=device, window_name=window_name,
                    staff_name=staff_name or None, business_name=intake.business_name,
                    visitor_name=intake.visitor_name or None, visitor_phone=intake.visitor_phone or None,
                    industry=intake.industry, municipality=result.get("place"), causes=list(intake.causes or ()),
                    intake=_intake_without_personal_details(intake), result=summary,
                    pack_versions=result.get("pack_versions") or {})
                session.add(record)
            return record
        except IntegrityError:
            # Another process took the number between our count and our insert: count again.
            continue
    raise RuntimeError("受付番号を発行できませんでした（同時に多数の記録があります）")


def forget_consultation(make_session: Callable[[], Session], consultation_id: str) -> None:
    """Remove a record whose sheet could not be written; no sheet carries its number, so the
    number may be issued again."""
    with make_session() as session, session.begin():
        record = session.get(m.Consultation, consultation_id)
        if record is not None:
            session.delete(record)


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
        stmt = stmt.where(m.Consultation.created_at >= dt.datetime.combine(since, dt.time(), JST))
    if until:
        stmt = stmt.where(m.Consultation.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), JST))
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
    # SQLite returns naive datetimes (stored in UTC); PostgreSQL returns aware ones.
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).astimezone(JST)


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
