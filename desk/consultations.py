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

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.intake import Intake
from desk.settings import Settings

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
    local_day = now.astimezone(dt.timezone(dt.timedelta(hours=9))).date()  # numbers follow the Japanese date
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
