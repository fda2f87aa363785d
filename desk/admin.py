"""Administering the catalogue: tables of programs and contacts, and validated edits.

Edits go through the same field rules as data packs (``validate_fields``) and mark the
record ``edited_at`` so a later re-import of its pack reports them before overwriting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import textfmt, vocab
from desk.db import models as m
from desk.db.packs.schema import validate_fields


class AdminEditError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


OFFICE_FIELDS = ("name", "phone", "address", "hours", "department", "url")
VARIANT_FIELDS = ("limit_yen", "term_max_months", "grace_months")


def program_rows(session: Session) -> list[dict[str, Any]]:
    providers = {p.id: p.name for p in session.scalars(select(m.Provider))}
    rows = []
    for program in session.scalars(select(m.Program).options(selectinload(m.Program.variants).selectinload("*"))
                                   .order_by(m.Program.pack_id, m.Program.position)):
        for v in program.variants:
            rates = textfmt.rate_tiers([{"max_months": t.max_months, "rate_pct": t.rate_pct} for t in v.rate_tiers],
                                       v.rate_kind)
            fees = " / ".join(textfmt.pct_range(f.min_pct, f.max_pct) for f in v.guarantee_fees) or "—"
            rows.append({
                "id": v.id, "name": f"{program.name}（{v.label}）" if v.label else program.name,
                "provider": providers.get(program.provider_id, program.provider_id), "limit": textfmt.yen(v.limit_yen),
                "rate": rates, "fee": fees, "term": textfmt.months(v.term_max_months),
                "as_of": v.as_of.isoformat() if v.as_of else "", "pack": program.pack_id,
                "edited": (v.edited_at or program.edited_at) is not None,
            })
    return rows


def office_rows(session: Session) -> list[dict[str, Any]]:
    return [{
        "id": o.id, "name": o.name, "role": vocab.ROLES.get(o.role, o.role), "phone": o.phone or "",
        "address": o.address or "", "prefecture": o.prefecture or "", "as_of": o.as_of.isoformat() if o.as_of else "",
        "pack": o.pack_id, "edited": o.edited_at is not None,
    } for o in session.scalars(select(m.Office).order_by(m.Office.pack_id, m.Office.position))]


def office_values(session: Session, office_id: str) -> dict[str, Any]:
    office = session.get(m.Office, office_id)
    return {name: getattr(office, name) for name in OFFICE_FIELDS}


def variant_values(session: Session, variant_id: str) -> dict[str, Any]:
    variant = session.get(m.Variant, variant_id)
    return {"limit_yen": variant.limit_yen, "term_max_months": variant.term_max_months,
            "grace_months": variant.grace_months}


def update_office(make_session: Callable[[], Session], office_id: str, changes: dict[str, Any],
                  now: dt.datetime | None = None) -> None:
    """Apply validated changes to an office; raise AdminEditError naming each bad field."""
    values, problems = validate_fields("office", {k: changes[k] for k in OFFICE_FIELDS if k in changes},
                                       where=office_id)
    with make_session() as session, session.begin():
        office = session.get(m.Office, office_id)
        merged = {name: getattr(office, name) for name in OFFICE_FIELDS} | values
        if not (merged["phone"] or merged["address"] or office.organisation_id):
            problems.append("phone: 電話番号・住所・所属組織のどれかが必要です")
        if problems:
            raise AdminEditError(problems)
        for name, value in values.items():
            setattr(office, name, value)
        office.edited_at = now or dt.datetime.now(dt.timezone.utc)


def update_variant(make_session: Callable[[], Session], variant_id: str, changes: dict[str, Any],
                   now: dt.datetime | None = None) -> None:
    """Apply validated changes to a variant's limit and term (the pack rules for those fields)."""
    limit, problems = validate_fields("limit", {"amount_yen": changes.get("limit_yen")}, where=variant_id)
    term, term_problems = validate_fields("term", {"max_months": changes.get("term_max_months"),
                                                   "grace_months": changes.get("grace_months")}, where=variant_id)
    problems = [p.replace("amount_yen", "limit_yen") for p in problems] + \
               [p.replace("max_months", "term_max_months") for p in term_problems]
    if limit.get("amount_yen") is not None and limit["amount_yen"] <= 0:
        problems.append("limit_yen: 融資限度額は正の金額でなければなりません")
    if term.get("grace_months") is not None and term.get("max_months") is not None \
            and term["grace_months"] >= term["max_months"]:
        problems.append("grace_months: 据置期間が融資期間以上になっています")
    if problems:
        raise AdminEditError(problems)
    with make_session() as session, session.begin():
        variant = session.get(m.Variant, variant_id)
        variant.limit_yen = limit["amount_yen"]
        variant.term_max_months = term["max_months"]
        variant.grace_months = term["grace_months"]
        variant.edited_at = now or dt.datetime.now(dt.timezone.utc)
