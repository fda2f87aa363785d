"""The loan catalogue as plain data: programs and variants in force, with sources.

Rows become plain dicts here, at the boundary; callers (the CLI, the UI, the
engine) never hold a live session. Dates follow the Japanese fiscal year
(April to March): data is *stale* once the fiscal year after its own has begun.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from desk import fiscal
from desk.db import models as m
from desk.fiscal import in_force, is_stale


def list_programs(session: Session, *, provider: str | None = None, on: dt.date | None = None,
                  include_expired_fiscal_years: bool = True) -> list[dict[str, Any]]:
    """Programs with their variants, in catalogue order.

    With ``on``, only programs in force that day; a city's programs whose fiscal
    year has ended stay listed (their next guide is not in the catalogue) but are
    marked ``stale``, unless ``include_expired_fiscal_years`` is false.
    """
    stmt = (select(m.Program).options(selectinload(m.Program.variants).selectinload("*"))
            .join(m.Provider, m.Provider.id == m.Program.provider_id)
            .order_by(m.Provider.kind.desc(), m.Program.pack_id, m.Program.position))
    if provider:
        stmt = stmt.where(m.Program.provider_id == provider)
    if on is not None:
        stmt = stmt.where(or_(m.Program.valid_from.is_(None), m.Program.valid_from <= on))
        if not include_expired_fiscal_years:
            stmt = stmt.where(or_(m.Program.valid_to.is_(None), m.Program.valid_to >= on))
    providers = {p.id: p for p in session.scalars(select(m.Provider))}
    today = on or fiscal.today()
    return [program_dict(p, providers.get(p.provider_id), today) for p in session.scalars(stmt)]


def program_dict(program: m.Program, provider: m.Provider | None, on: dt.date) -> dict[str, Any]:
    expired = program.valid_to is not None and program.valid_to < on
    return {
        "id": program.id,
        "name": program.name,
        "category": program.category,
        "kind": program.kind,
        "provider": {"id": program.provider_id, "name": provider.name if provider else None},
        "guarantee": program.guarantee,
        "valid_from": _iso(program.valid_from),
        "valid_to": _iso(program.valid_to),
        "stale": expired or is_stale(program.as_of, on),
        "remarks_text": program.remarks_text,
        "source": {"file": program.source_file, "section": program.source_section},
        "data_as_of": _iso(program.as_of),
        "pack": program.pack_id,
        "notes": program.notes,
        "interpretations": program.interpretations,
        "variants": [variant_dict(v, program, on) for v in program.variants],
    }


def variant_dict(v: m.Variant, program: m.Program, on: dt.date) -> dict[str, Any]:
    return {
        "id": v.id,
        "name": f"{program.name}（{v.label}）" if v.label else program.name,
        "label": v.label,
        "target_text": v.target_text,
        "conditions": v.conditions,
        "uses": v.uses,
        "uses_text": v.uses_text,
        "use_notes": v.use_notes,
        "limit_yen": v.limit_yen,
        "separate_limit": v.limit_separate,
        "limit_includes_existing_guaranteed": v.limit_includes_existing,
        "limit_shared_with": v.limit_shared_with,
        "limit_text": v.limit_text,
        "rate_kind": v.rate_kind,
        "rate_text": v.rate_text,
        "rate_tiers": [{"max_months": t.max_months, "rate_pct": t.rate_pct, "city_share_pct": t.city_share_pct,
                        "own_rate_pct": t.own_rate_pct, "note": t.note} for t in v.rate_tiers],
        "city_share_pct": v.city_share_pct,
        "own_rate_pct": v.own_rate_pct,
        "min_term_months": v.term_min_months,
        "max_term_months": v.term_max_months,
        "grace_months": v.grace_months,
        "bullet_max_months": v.bullet_max_months,
        "repayment": v.repayment,
        "term_text": v.term_text,
        "term_by_use": v.term_by_use,
        "guarantee_fees": [
            {"min_pct": f.min_pct, "max_pct": f.max_pct, "label": f.label, "subsidised": f.subsidised,
             "when": f.when, "valid_from": _iso(f.valid_from), "valid_to": _iso(f.valid_to),
             "in_force": in_force(f.valid_from, f.valid_to, on), "text": f.text}
            for f in v.guarantee_fees],
        "fee_adjustments": [
            {"kind": a.kind, "label": a.label, "min_pct": a.min_pct, "max_pct": a.max_pct,
             "add_min_pct": a.add_min_pct, "add_max_pct": a.add_max_pct, "how": a.how, "text": a.text}
            for a in v.fee_adjustments],
        "documents": [
            {"id": d.key, "name": d.name, "kind": d.kind, "issuer": d.issuer, "confirms_only": d.confirms_only,
             "text": d.text} for d in v.documents],
        "source": {"file": v.source_file, "section": v.source_section},
        "data_as_of": _iso(v.as_of),
        "notes": v.notes,
        "interpretations": v.interpretations,
    }


def provider_ids(session: Session) -> list[str]:
    return list(session.scalars(select(m.Provider.id).order_by(m.Provider.id)))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
