"""Administering the catalogue: tables of programs and contacts, and validated edits.

Edits go through the same field rules as data packs (``validate_fields``) and mark the
record ``edited_at`` so a later re-import of its pack reports them before overwriting.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import textfmt, vocab
from desk.db import models as m
from desk.db.packs.crosschecks import variant_rule_problems
from desk.db.packs.validator import validate_fields
from desk.db.services import AdminEditError
from desk.intake.places import HOME_PREFECTURE

__all__ = ["AdminEditError", "office_rows", "office_values", "program_rows", "update_office", "update_variant",
           "variant_labels", "variant_values"]

_Row = TypeVar("_Row", m.Office, m.Variant)

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
    """Every office, as staff look for one: Kanagawa's first, then the other prefectures from north
    to south; inside a prefecture by the reading of the municipality (あいかわ before よこすか),
    then by name."""
    codes = dict(session.execute(select(m.Prefecture.name, m.Prefecture.code)).all())
    readings = {(prefecture, name): reading for prefecture, name, reading in session.execute(
        select(m.Municipality.prefecture, m.Municipality.name, m.Municipality.reading))}

    def place(o: m.Office) -> tuple[Any, ...]:
        prefecture, municipality = o.prefecture or "", o.municipality or ""
        return (prefecture != vocab.HOME_PREFECTURE, codes.get(prefecture, 99),
                readings.get((prefecture, municipality)) or municipality, o.name)

    offices = sorted(session.scalars(select(m.Office)), key=place)
    return [{
        "id": o.id, "name": o.name, "role": vocab.ROLES.get(o.role, o.role), "phone": o.phone or "",
        "address": o.address or "", "prefecture": o.prefecture or "", "as_of": o.as_of.isoformat() if o.as_of else "",
        "pack": o.pack_id, "edited": o.edited_at is not None,
    } for o in offices]


def _existing(session: Session, model: type[_Row], record_id: str) -> _Row:
    """The record with this id; an id that is not there (removed by a re-import meanwhile,
    mistyped) is an edit problem like any other, not a crash."""
    row = session.get(model, record_id)
    if row is None:
        what = "相談先" if model is m.Office else "融資制度の区分"
        raise AdminEditError([f"id: {what} '{record_id}' はありません（データが取り込み直された可能性があります）"])
    return row


def office_values(session: Session, office_id: str) -> dict[str, Any]:
    office = _existing(session, m.Office, office_id)
    values = {name: getattr(office, name) for name in OFFICE_FIELDS}
    values["service_area"] = service_area_text(office.service_area)
    return values


def service_area_text(areas: Iterable[m.ServiceArea]) -> str:
    """One area a line, as staff write it: 神奈川県 / 横須賀市 / 小田原市: 扇町、寿町."""
    lines = []
    for a in areas:
        if a.municipality is None:
            lines.append(a.prefecture)
            continue
        place = a.municipality if a.prefecture == HOME_PREFECTURE else f"{a.prefecture} {a.municipality}"
        lines.append(place + (f": {'、'.join(a.towns)}" if a.towns else ""))
    return "\n".join(lines)


def parse_service_area(session: Session, text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Areas from the text of :func:`service_area_text`; a problem names the line. Municipalities
    must be known to the geography packs (a ward, a city, a town), prefectures too."""
    prefectures = set(session.scalars(select(m.Prefecture.name)))
    known = {(r.prefecture, name) for r in session.scalars(select(m.Municipality))
             for name in (r.name, r.city) if name}
    areas: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        place, _, towns_text = line.partition(":")
        words = place.split()
        prefecture = words[0] if words and words[0] in prefectures else HOME_PREFECTURE
        municipality = " ".join(words[1:] if words and words[0] in prefectures else words) or None
        towns = [t for t in re.split(r"[、,，\s]+", towns_text) if t] or None
        if municipality is None and towns:
            problems.append(f"service_area: {number}行目 町名は市区町村のあとに書いてください"
                            "（例: 小田原市: 扇町、寿町）")
        elif municipality is not None and (prefecture, municipality) not in known and prefecture == HOME_PREFECTURE:
            problems.append(f"service_area: {number}行目 '{municipality}' は神奈川県の市区町村として登録がありません")
        else:
            areas.append({"prefecture": prefecture, "municipality": municipality, "towns": towns})
    return areas, problems


def variant_values(session: Session, variant_id: str) -> dict[str, Any]:
    """The editable values of a variant: limit, term, grace, each rate tier's rate and each fee's range."""
    variant = _existing(session, m.Variant, variant_id)
    values: dict[str, Any] = {"limit_yen": variant.limit_yen, "term_max_months": variant.term_max_months,
                              "grace_months": variant.grace_months}
    for i, tier in enumerate(variant.rate_tiers):
        values[f"tiers[{i}].rate_pct"] = tier.rate_pct
    for i, fee in enumerate(variant.guarantee_fees):
        values[f"fees[{i}]"] = (fee.min_pct, fee.max_pct)
    return values


def variant_title(session: Session, variant_id: str) -> str:
    """The variant as people name it: 「事業承継関連融資（ア・イ）」, its provider in brackets."""
    variant = _existing(session, m.Variant, variant_id)
    program = session.get(m.Program, variant.program_id)
    name = program.name if program is not None else variant_id
    return f"{name}（{variant.label}）" if variant.label else name


def variant_labels(session: Session, variant_id: str) -> dict[str, str]:
    """What each editable value is, in words (a tier by its term, a fee by its label)."""
    variant = _existing(session, m.Variant, variant_id)
    labels = {"limit_yen": "融資限度額（例: 8,000万円）", "term_max_months": "最長の融資期間（例: 10年）",
              "grace_months": "据置期間（例: 1年）"}
    previous = 0
    for i, tier in enumerate(variant.rate_tiers):
        labels[f"tiers[{i}].rate_pct"] = f"利率 %（{_term_span(previous, tier.max_months)}）"
        previous = tier.max_months or previous
    for i, fee in enumerate(variant.guarantee_fees):
        labels[f"fees[{i}]"] = f"保証料率 %（{fee.label or '全体'}、例: 0.45〜1.52）"
    return labels


def _term_span(after: int, up_to: int | None) -> str:
    """A rate tier's terms in words: 2年以内, 2年超5年以内, 5年超, 全期間."""
    if up_to is None:
        return f"{textfmt.months(after)}超" if after else "全期間"
    return f"{textfmt.months(after)}超{textfmt.months(up_to)}以内" if after else f"{textfmt.months(up_to)}以内"


def update_office(make_session: Callable[[], Session], office_id: str, changes: dict[str, Any],
                  now: dt.datetime | None = None) -> None:
    """Apply validated changes to an office; raise AdminEditError naming each bad field."""
    values, problems = validate_fields("office", {k: changes[k] for k in OFFICE_FIELDS if k in changes},
                                       where=office_id)
    with make_session() as session, session.begin():
        office = _existing(session, m.Office, office_id)
        areas = None
        if "service_area" in changes:
            areas, area_problems = parse_service_area(session, changes["service_area"] or "")
            problems += area_problems
        merged = {name: getattr(office, name) for name in OFFICE_FIELDS} | values
        if not (merged["phone"] or merged["address"] or office.organisation_id):
            problems.append("phone: 電話番号・住所・所属組織のどれかが必要です")
        if problems:
            raise AdminEditError(problems)
        for name, value in values.items():
            setattr(office, name, value)
        if areas is not None:
            office.service_area = [m.ServiceArea(position=i, **area) for i, area in enumerate(areas)]
        office.edited_at = now or dt.datetime.now(dt.UTC)


def update_variant(make_session: Callable[[], Session], variant_id: str, changes: dict[str, Any],
                   now: dt.datetime | None = None) -> None:
    """Apply validated changes to a variant's limit, term, rate tiers and fee ranges: each value by
    the pack's field rules, the whole by the pack's rules across fields. AdminEditError names
    each bad value by its key (``limit_yen``, ``tiers[1].rate_pct``, ``fees[0]``)."""
    problems: list[str] = []
    with make_session() as session, session.begin():
        variant = _existing(session, m.Variant, variant_id)
        # A key left out keeps its value: the edit changes only what it names.
        current = {"limit_yen": variant.limit_yen, "term_max_months": variant.term_max_months,
                   "grace_months": variant.grace_months}
        wanted = {key: changes.get(key, value) for key, value in current.items()}
        limit, found = validate_fields("limit", {"amount_yen": wanted["limit_yen"]}, where="limit_yen")
        problems += [_renamed(p, {"amount_yen": "limit_yen"}) for p in found]
        term, found = validate_fields("term", {"max_months": wanted["term_max_months"],
                                               "grace_months": wanted["grace_months"]}, where="term")
        problems += [_renamed(p, {"max_months": "term_max_months"}) for p in found]
        tiers = [{"max_months": t.max_months, "rate_pct": t.rate_pct} for t in variant.rate_tiers]
        for i, tier in enumerate(tiers):
            key = f"tiers[{i}].rate_pct"
            if key in changes:
                value, found = validate_fields("tier", {"rate_pct": changes[key]}, where=key)
                problems += [_renamed(p, {"rate_pct": key}) for p in found]
                tier["rate_pct"] = value["rate_pct"]
        fees: list[dict[str, Any]] = [
            {"min_pct": f.min_pct, "max_pct": f.max_pct, "valid_from": f.valid_from, "valid_to": f.valid_to}
            for f in variant.guarantee_fees]
        for i, fee in enumerate(fees):
            key = f"fees[{i}]"
            if key in changes:
                low, high = changes[key] if changes[key] is not None else (None, None)
                value, found = validate_fields("fee", {"min_pct": low, "max_pct": high}, where=key)
                problems += [_renamed(p, {"min_pct": key, "max_pct": key}) for p in found]
                fee.update(value)
        # The rules across fields run on what passed, so every problem is named at once.
        readable = [i for i, f in enumerate(fees) if f["min_pct"] is not None and f["max_pct"] is not None]
        rules = variant_rule_problems({
            "limit": {"amount_yen": limit["amount_yen"]}, "rate": {"tiers": tiers},
            "term": {"min_months": variant.term_min_months, "max_months": term["max_months"],
                     "grace_months": term["grace_months"]},
            "guarantee_fees": [fees[i] for i in readable]})
        problems += [f"{_admin_key(where, readable)}: {message}" for where, message in rules]
        if problems:
            raise AdminEditError(problems)
        variant.limit_yen = limit["amount_yen"]
        variant.term_max_months = term["max_months"]
        variant.grace_months = term["grace_months"]
        for tier_row, tier in zip(variant.rate_tiers, tiers, strict=True):
            tier_row.rate_pct = tier["rate_pct"]
        for fee_row, fee in zip(variant.guarantee_fees, fees, strict=True):
            fee_row.min_pct, fee_row.max_pct = fee["min_pct"], fee["max_pct"]
        variant.edited_at = now or dt.datetime.now(dt.UTC)


def _renamed(problem: str, names: dict[str, str]) -> str:
    """A pack field's problem under the edit field's key (``amount_yen: …`` → ``limit_yen: …``)."""
    field, _, message = problem.partition(": ")
    return f"{names.get(field, field)}: {message}"


def _admin_key(where: str, fee_rows: list[int]) -> str:
    """The edit field a pack rule's place names (``rate.tiers[1]`` → ``tiers[1].rate_pct``)."""
    if where.startswith("rate.tiers["):
        return where.removeprefix("rate.") + ".rate_pct"
    if where.startswith("guarantee_fees["):
        return f"fees[{fee_rows[int(where.removeprefix('guarantee_fees[').rstrip(']'))]}]"
    if where == "term":
        return "grace_months"
    return "limit_yen"
