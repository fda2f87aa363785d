"""Pack records ⇄ database rows, both directions side by side.

``to_rows`` turns a validated :class:`PackData` into ORM objects; ``to_records``
turns the rows of one pack back into pack records in the schema's key order,
leaving out what equals its default so exported files stay short and stable.
Keeping the two directions in one module is what makes export → import → export
give identical files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk.db import models as m
from desk.db.packs.schema import RECORDS, SECTIONS, VARIANT, Field, PackData

# --- records -> rows -------------------------------------------------------------------

def to_rows(data: PackData) -> list[m.Base]:
    pack_id = data.id
    rows: list[m.Base] = []
    for rec in data.records("plans"):
        rows.append(m.Plan(id=rec["id"], pack_id=pack_id, name=rec["name"], issuer=rec["issuer"], how=rec["how"],
                           contact=rec["contact"], **_sourced(rec)))
    for rec in data.records("situations"):
        rows.append(m.Situation(id=rec["id"], pack_id=pack_id, name=rec["name"], choosable=rec["choosable"],
                                step=rec["step"], contact=rec["contact"], text=rec["text"], **_sourced(rec)))
    for rec in data.records("questions"):
        rows.append(m.Question(id=rec["id"], pack_id=pack_id, text=rec["text"], type=rec["type"], help=rec["help"],
                               kind=rec["kind"], implies=rec["implies"], family=rec["family"], reason=rec["reason"],
                               settled_by=rec["settled_by"], **_sourced(rec)))
    for rec in data.records("sme_tables"):
        rows.append(m.SmeTable(id=rec["id"], pack_id=pack_id, rows=rec["rows"], entity_rules=rec["entity_rules"],
                               notes=rec["notes"], interpretations=rec["interpretations"], **_sourced(rec)))
    for rec in data.records("fee_tables"):
        rows.append(m.FeeTable(id=rec["id"], pack_id=pack_id, association=rec["association"], rows=rec["rows"],
                               notes=rec["notes"], interpretations=rec["interpretations"], **_sourced(rec)))
    for rec in data.records("providers"):
        rows.append(m.Provider(
            id=rec["id"], pack_id=pack_id, name=rec["name"], kind=rec["kind"], prefecture=rec["prefecture"],
            municipality=rec["municipality"], sme_table_id=rec["sme_table"],
            guarantee_fee_table_id=rec["guarantee_fee_table"],
            general_conditions=rec["general_conditions"], documents=rec["documents"],
            notes=rec["notes"], interpretations=rec["interpretations"], **_sourced(rec)))
    for position, rec in enumerate(data.records("programs")):
        program = m.Program(
            id=rec["id"], pack_id=pack_id, position=position, provider_id=rec["provider"], name=rec["name"],
            category=rec["category"], kind=rec["kind"], valid_from=rec["valid_from"], valid_to=rec["valid_to"],
            remarks_text=rec["remarks_text"], guarantee=rec["guarantee"], **_sourced(rec))
        program.variants = [_variant_row(v, i) for i, v in enumerate(rec["variants"])]
        rows.append(program)
    for rec in data.records("organisations"):
        rows.append(m.Organisation(
            id=rec["id"], pack_id=pack_id, name=rec["name"], name_current=rec["name_current"], kind=rec["kind"],
            url=rec["url"], notes=rec["notes"], interpretations=rec["interpretations"], **_sourced(rec)))
    for position, rec in enumerate(data.records("offices")):
        office = m.Office(
            id=rec["id"], pack_id=pack_id, position=position, organisation_id=rec["organisation"], name=rec["name"],
            name_current=rec["name_current"], role=rec["role"], department=rec["department"], phone=rec["phone"],
            address=rec["address"], postal_code=rec["postal_code"], prefecture=rec["prefecture"],
            municipality=rec["municipality"], lat=rec["lat"], lon=rec["lon"], geo_precision_m=rec["geo_precision_m"],
            geo_source=rec["geo_source"], hours=rec["hours"], url=rec["url"], from_seed=rec["from_seed"],
            issues=rec["issues"],
            notes=rec["notes"], interpretations=rec["interpretations"], **_sourced(rec))
        office.service_area = [
            m.ServiceArea(position=i, prefecture=a["prefecture"], municipality=a["municipality"], towns=a["towns"])
            for i, a in enumerate(rec["service_area"])]
        rows.append(office)
    for rec in data.records("prefectures"):
        rows.append(m.Prefecture(code=rec["code"], pack_id=pack_id, name=rec["name"], lat=rec["lat"], lon=rec["lon"],
                                 geo_precision_m=rec["geo_precision_m"], geo_source=rec["geo_source"]))
    for position, rec in enumerate(data.records("municipalities")):
        rows.append(m.Municipality(
            id=rec["id"], pack_id=pack_id, position=position, prefecture=rec["prefecture"], name=rec["name"],
            reading=rec["reading"], city=rec["city"], ward=rec["ward"], district=rec["district"], kind=rec["kind"],
            lat=rec["lat"], lon=rec["lon"], geo_precision_m=rec["geo_precision_m"], geo_source=rec["geo_source"],
            **_sourced(rec)))
    for rec in data.records("postal_codes"):
        rows.append(m.PostalCode(code=rec["code"], pack_id=pack_id, municipality=rec["municipality"], town=rec["town"]))
    for rec in data.records("postal_prefixes"):
        rows.append(m.PostalPrefix(prefix=rec["prefix"], pack_id=pack_id, prefecture=rec["prefecture"]))
    return rows


def _sourced(rec: dict[str, Any]) -> dict[str, Any]:
    return {"source_file": rec["source"]["file"], "source_section": rec["source"]["section"], "as_of": rec["as_of"]}


def _variant_row(rec: dict[str, Any], position: int) -> m.Variant:
    limit = rec["limit"] or {}
    rate = rec["rate"] or {}
    term = rec["term"] or {}
    variant = m.Variant(
        id=rec["id"], position=position, label=rec["label"], target_text=rec["target_text"],
        conditions=rec["conditions"], general_exceptions=rec["general_exceptions"], uses=rec["uses"],
        uses_text=rec["uses_text"], use_notes=rec["use_notes"],
        limit_yen=limit.get("amount_yen"), limit_separate=bool(limit.get("separate")),
        limit_includes_existing=bool(limit.get("includes_existing_guaranteed")),
        limit_shared_with=limit.get("shared_with") or [], limit_note=limit.get("per_applicant_note"),
        limit_text=limit.get("text"), rate_kind=rate.get("kind"), rate_text=rate.get("text"),
        city_share_pct=rate.get("city_share_pct"), own_rate_pct=rate.get("own_rate_pct"),
        term_min_months=term.get("min_months"), term_max_months=term.get("max_months"),
        grace_months=term.get("grace_months"), bullet_max_months=term.get("bullet_max_months"),
        repayment=term.get("repayment") or [], term_text=term.get("text"), term_by_use=term.get("by_use") or {},
        notes=rec["notes"], interpretations=rec["interpretations"], **_sourced(rec))
    variant.rate_tiers = [m.RateTier(position=i, **t) for i, t in enumerate(rate.get("tiers") or [])]
    variant.guarantee_fees = [m.GuaranteeFee(position=i, **f) for i, f in enumerate(rec["guarantee_fees"])]
    variant.fee_adjustments = [m.FeeAdjustment(position=i, **a) for i, a in enumerate(rec["fee_adjustments"])]
    variant.documents = [
        m.Document(position=i, key=d["id"], name=d["name"], kind=d["kind"], issuer=d["issuer"],
                   confirms_only=d["confirms_only"], when=d["when"], text=d["text"], paper=d["paper"])
        for i, d in enumerate(rec["documents"])]
    return variant


# --- rows -> records -------------------------------------------------------------------

def to_records(session: Session, pack: m.DataPack) -> dict[str, Any]:
    """The pack as a document ready to dump: header first, then the sections in order."""
    header = {"id": pack.id, "title": pack.title, "version": pack.version, "source_file": pack.source_file,
              "as_of": pack.as_of, "as_of_note": pack.as_of_note, "fiscal_year": pack.fiscal_year,
              "description": pack.description}
    doc: dict[str, Any] = {"format": "desk-pack/1", "pack": _compact("pack", header)}
    base = {"file": pack.source_file, "as_of": pack.as_of}

    def rows(model: Any, *order: Any, options: tuple[Any, ...] = ()) -> Sequence[Any]:
        # Any model with a pack_id column: the records below read their own fields.
        stmt = select(model).where(model.pack_id == pack.id).order_by(*order)
        return session.scalars(stmt.options(*options)).all()

    sections: dict[str, list[dict[str, Any]]] = {
        "plans": [_with_source("plan", {"id": r.id, "name": r.name, "issuer": r.issuer, "how": r.how,
                                        "contact": r.contact}, r, base)
                  for r in rows(m.Plan, m.Plan.id)],
        "situations": [_with_source("situation", {"id": r.id, "name": r.name, "choosable": r.choosable,
                                                  "step": r.step, "contact": r.contact, "text": r.text}, r, base)
                       for r in rows(m.Situation, m.Situation.id)],
        "questions": [_with_source("question", {
            "id": r.id, "text": r.text, "type": r.type, "help": r.help, "kind": r.kind, "implies": r.implies,
            "family": r.family, "reason": r.reason, "settled_by": r.settled_by}, r, base)
            for r in rows(m.Question, m.Question.id)],
        "sme_tables": [_with_source("sme_table", {"id": r.id, "rows": r.rows, "entity_rules": r.entity_rules,
                                                  "notes": r.notes, "interpretations": r.interpretations}, r, base)
                       for r in rows(m.SmeTable, m.SmeTable.id)],
        "fee_tables": [_with_source("fee_table", {"id": r.id, "association": r.association, "rows": r.rows,
                                                  "notes": r.notes, "interpretations": r.interpretations}, r, base)
                       for r in rows(m.FeeTable, m.FeeTable.id)],
        "providers": [_with_source("provider", {
            "id": r.id, "name": r.name, "kind": r.kind, "prefecture": r.prefecture, "municipality": r.municipality,
            "sme_table": r.sme_table_id, "guarantee_fee_table": r.guarantee_fee_table_id,
            "general_conditions": r.general_conditions, "documents": r.documents,
            "notes": r.notes, "interpretations": r.interpretations}, r, base)
            for r in rows(m.Provider, m.Provider.id)],
        "programs": [_program_record(r, base) for r in rows(
            m.Program, m.Program.position, options=(selectinload(m.Program.variants).selectinload("*"),))],
        "organisations": [_with_source("organisation", {
            "id": r.id, "name": r.name, "name_current": r.name_current, "kind": r.kind, "url": r.url,
            "notes": r.notes, "interpretations": r.interpretations}, r, base)
            for r in rows(m.Organisation, m.Organisation.id)],
        "offices": [_office_record(r, base) for r in rows(
            m.Office, m.Office.position, options=(selectinload(m.Office.service_area),))],
        "prefectures": [_compact("prefecture", {
            "code": r.code, "name": r.name, "lat": r.lat, "lon": r.lon, "geo_precision_m": r.geo_precision_m,
            "geo_source": r.geo_source}) for r in rows(m.Prefecture, m.Prefecture.code)],
        "municipalities": [_with_source("municipality", {
            "id": r.id, "prefecture": r.prefecture, "name": r.name, "reading": r.reading, "city": r.city,
            "ward": r.ward, "district": r.district, "kind": r.kind, "lat": r.lat, "lon": r.lon,
            "geo_precision_m": r.geo_precision_m, "geo_source": r.geo_source}, r, base)
            for r in rows(m.Municipality, m.Municipality.position)],
        "postal_codes": [_compact("postal_code", {"code": r.code, "municipality": r.municipality, "town": r.town})
                         for r in rows(m.PostalCode, m.PostalCode.code)],
        "postal_prefixes": [_compact("postal_prefix", {"prefix": r.prefix, "prefecture": r.prefecture})
                            for r in rows(m.PostalPrefix, m.PostalPrefix.prefix)],
    }
    for section in SECTIONS:
        if sections[section]:
            doc[section] = sections[section]
    return doc


def _program_record(r: m.Program, base: dict[str, Any]) -> dict[str, Any]:
    rec = _with_source("program", {
        "id": r.id, "provider": r.provider_id, "name": r.name, "category": r.category, "kind": r.kind,
        "valid_from": r.valid_from, "valid_to": r.valid_to, "remarks_text": r.remarks_text,
        "guarantee": r.guarantee}, r, base)
    own = {"file": r.source_file, "as_of": r.as_of, "section": r.source_section}
    rec["variants"] = [_variant_record(v, own) for v in r.variants]
    return rec


def _variant_record(v: m.Variant, program_source: dict[str, Any]) -> dict[str, Any]:
    limit = _compact("limit", {
        "amount_yen": v.limit_yen, "separate": v.limit_separate,
        "includes_existing_guaranteed": v.limit_includes_existing, "shared_with": v.limit_shared_with,
        "per_applicant_note": v.limit_note, "text": v.limit_text})
    rate = _compact("rate", {
        "kind": v.rate_kind, "text": v.rate_text,
        "tiers": [_compact("tier", {"max_months": t.max_months, "rate_pct": t.rate_pct,
                                    "city_share_pct": t.city_share_pct, "own_rate_pct": t.own_rate_pct,
                                    "note": t.note}, keep=("max_months", "rate_pct")) for t in v.rate_tiers],
        "city_share_pct": v.city_share_pct, "own_rate_pct": v.own_rate_pct})
    term = _compact("term", {
        "min_months": v.term_min_months, "max_months": v.term_max_months, "grace_months": v.grace_months,
        "bullet_max_months": v.bullet_max_months, "repayment": v.repayment, "text": v.term_text,
        "by_use": v.term_by_use})
    rec = {
        "id": v.id, "label": v.label, "target_text": v.target_text, "conditions": v.conditions,
        "general_exceptions": v.general_exceptions, "uses": v.uses,
        "uses_text": v.uses_text, "use_notes": v.use_notes, "limit": limit or None, "rate": rate or None,
        "term": term or None,
        "guarantee_fees": [_compact("fee", {
            "min_pct": f.min_pct, "max_pct": f.max_pct, "label": f.label, "subsidised": f.subsidised, "when": f.when,
            "valid_from": f.valid_from, "valid_to": f.valid_to, "text": f.text}) for f in v.guarantee_fees],
        "fee_adjustments": [_compact("fee_adjustment", {
            "kind": a.kind, "label": a.label, "min_pct": a.min_pct, "max_pct": a.max_pct,
            "add_min_pct": a.add_min_pct, "add_max_pct": a.add_max_pct, "how": a.how, "when": a.when,
            "text": a.text}) for a in v.fee_adjustments],
        "documents": [_compact("document", {
            "id": d.key, "name": d.name, "kind": d.kind, "issuer": d.issuer, "confirms_only": d.confirms_only,
            "when": d.when, "text": d.text, "paper": d.paper}) for d in v.documents],
        "notes": v.notes, "interpretations": v.interpretations,
    }
    return _with_source("variant", rec, v, program_source, fields=VARIANT)


def _office_record(r: m.Office, base: dict[str, Any]) -> dict[str, Any]:
    return _with_source("office", {
        "id": r.id, "organisation": r.organisation_id, "name": r.name, "name_current": r.name_current,
        "role": r.role, "department": r.department, "phone": r.phone, "address": r.address,
        "postal_code": r.postal_code, "prefecture": r.prefecture, "municipality": r.municipality, "lat": r.lat,
        "lon": r.lon, "geo_precision_m": r.geo_precision_m, "geo_source": r.geo_source, "hours": r.hours,
        "url": r.url,
        "service_area": [_compact("area", {"prefecture": a.prefecture, "municipality": a.municipality,
                                           "towns": a.towns}) for a in r.service_area],
        "issues": r.issues, "from_seed": r.from_seed, "notes": r.notes, "interpretations": r.interpretations}, r, base)


def _with_source(kind: str, rec: dict[str, Any], row: Any, base: dict[str, Any],
                 fields: tuple[Field, ...] | None = None) -> dict[str, Any]:
    """Add ``source``/``as_of`` only where they differ from what the reader would default."""
    out = _compact(kind, rec, fields=fields)
    source: dict[str, Any] = {}
    if row.source_file != base.get("file"):
        source["file"] = row.source_file
    if row.source_section is not None and row.source_section != base.get("section"):
        source["section"] = row.source_section
    if source:
        out["source"] = source
    if row.as_of != base.get("as_of"):
        out["as_of"] = row.as_of
    return out


def _compact(kind: str, rec: dict[str, Any], *, keep: tuple[str, ...] = (),
             fields: tuple[Field, ...] | None = None) -> dict[str, Any]:
    """``rec`` in the schema's order without the values the reader would fill in anyway."""
    out: dict[str, Any] = {}
    for f in fields or RECORDS[kind]:
        if f.name not in rec:
            continue
        value = rec[f.name]
        if f.name not in keep and (value is None or value == [] or value == {} or value == f.default):
            continue
        out[f.name] = value
    return out
