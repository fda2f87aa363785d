"""Loading the snapshot from the database through SQLAlchemy (the slow path, once).

Each loader reads its tables in the caller's short session and returns plain,
immutable objects (:mod:`desk.catalogue.domain`, :mod:`desk.matching.contacts`,
:mod:`desk.intake.places`); nothing downstream holds a live session. :class:`OrmSource`
puts them together into a :class:`~desk.db.snapshot.Loaded` and keeps the
copy on disk current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from desk.catalogue.domain import (
    BrokenCatalogue,
    Catalogue,
    DocumentInfo,
    Fee,
    FeeAdjustment,
    PlanInfo,
    Provider,
    QuestionInfo,
    Settlement,
    SituationInfo,
    SmeRow,
    SmeTable,
    Tier,
    Variant,
    _Interner,
    shape_key,
)
from desk.catalogue.offices import Area, OfficeInfo
from desk.costs.guarantee_fee import CoefficientRow, CoefficientTable
from desk.db import cache, snapshot
from desk.db import models as m
from desk.db.snapshot import Loaded, PackInfo
from desk.intake.places import MunicipalityRow, PlaceIndex, PostalRow, PrefectureRow


class OrmSource:
    """The catalogue of a database reached through SQLAlchemy; with ``cache_file``, the
    copy on disk is used when current and rewritten when not."""

    def __init__(self, make_session: Callable[[], Session], cache_file: Path | None = None):
        self._make_session = make_session
        self._cache_file = cache_file

    def fingerprint(self) -> tuple[object, ...]:
        with self._make_session() as session:
            return fingerprint(session)

    def load(self, fingerprint: tuple[object, ...]) -> Loaded:
        if self._cache_file is not None:
            cached = snapshot.load(self._cache_file, fingerprint)
            if cached is not None:
                return cached
        with self._make_session() as session:
            loaded = load_all(session, fingerprint)
        if self._cache_file is not None and cache.is_ready(fingerprint):
            snapshot.save(self._cache_file, loaded)
        return loaded


def fingerprint(session: Session) -> tuple[object, ...]:
    return tuple(tuple(_in_utc(value) for value in row) for row in session.execute(text(cache.FINGERPRINT_SQL)))


def _in_utc(value: Any) -> Any:
    """A time from PostgreSQL in UTC as datetime.timezone.utc: psycopg gives the session's zone as a
    ZoneInfo, which pickles through builtins.getattr, and the copy's unpickler (rightly) knows no
    getattr: every copy of a server's catalogue failed to load, so each start loaded it through the
    ORM, and a counter held back from a server behind this desk had no copy to match on (issue 17).
    The same instant either way; SQLite's are strings and stay so."""
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo is not None else value


def load_all(session: Session, fingerprint: tuple[object, ...]) -> Loaded:
    return Loaded(fingerprint, load_catalogue(session), load_offices(session), load_places(session),
                  load_packs(session))


def load_packs(session: Session) -> tuple[PackInfo, ...]:
    return tuple(PackInfo(p.id, p.title, p.version, p.as_of, p.fiscal_year, _in_utc(p.imported_at), p.checksum)
                 for p in session.scalars(select(m.DataPack).order_by(m.DataPack.id)))


def load_places(session: Session) -> PlaceIndex:
    """Every prefecture, municipality and postal code, in memory."""
    from desk.db.directory import municipality_row

    municipalities: dict[str, list[MunicipalityRow]] = {}
    for r in session.scalars(select(m.Municipality).order_by(m.Municipality.prefecture, m.Municipality.position)):
        municipalities.setdefault(r.prefecture, []).append(municipality_row(r))
    return PlaceIndex(
        prefecture_rows={p.name: PrefectureRow(p.name, p.lat, p.lon, p.geo_precision_m)
                         for p in session.scalars(select(m.Prefecture).order_by(m.Prefecture.code))},
        municipality_rows={k: tuple(v) for k, v in municipalities.items()},
        postal_rows={code: PostalRow(muni, town) for code, muni, town in session.execute(
            select(m.PostalCode.code, m.PostalCode.municipality, m.PostalCode.town))},
        prefix_rows={prefix: pref for prefix, pref in session.execute(
            select(m.PostalPrefix.prefix, m.PostalPrefix.prefecture))},
    )


def _documents(rows: Any, intern: _Interner) -> tuple[DocumentInfo, ...]:
    out: list[DocumentInfo] = []
    for d in rows:
        if isinstance(d, dict):
            out.append(DocumentInfo(d["id"], d["name"], d["kind"], d.get("issuer"), bool(d.get("confirms_only")),
                                    intern(d.get("when")), d.get("paper")))
        else:
            out.append(DocumentInfo(d.key, d.name, d.kind, d.issuer, d.confirms_only, intern(d.when), d.paper))
    return intern.shared(tuple(out))


def _fee_table(rows: list[dict[str, Any]]) -> CoefficientTable:
    # Coefficients as exact fractions of their decimal text (0.55, not 0.55000000000000004441).
    return CoefficientTable(tuple(
        CoefficientRow(r["least"], r.get("most"), Fraction(str(r["equal"])), Fraction(str(r["unequal"])),
                       bool(r.get("confirmed"))) for r in rows))


def load_catalogue(session: Session) -> Catalogue:
    """Every program variant, provider, plan and question, as plain objects."""
    intern = _Interner()
    tables = {}
    for t in session.scalars(select(m.SmeTable)):
        rows = {r["industry"]: SmeRow(r["industry"], r.get("capital_max_yen"), r.get("employees_max"), r.get("text"))
                for r in t.rows}
        tables[t.id] = SmeTable(t.id, rows, {r["entity"]: r for r in t.entity_rules})
    fee_tables = {t.id: _fee_table(t.rows) for t in session.scalars(select(m.FeeTable))}
    packs = {p.id: p for p in session.scalars(select(m.DataPack))}
    programs = session.scalars(
        select(m.Program).options(selectinload(m.Program.variants).selectinload("*"))
        .order_by(m.Program.pack_id, m.Program.position)).all()
    provider_rows = session.scalars(select(m.Provider)).all()
    _refuse_missing_references(programs, packs, {p.id for p in provider_rows})
    fiscal_years: dict[str, int | None] = {}
    for program in programs:
        fiscal_years.setdefault(program.provider_id, packs[program.pack_id].fiscal_year)
    providers = {
        p.id: Provider(p.id, p.name, p.kind, p.prefecture, p.municipality, tables.get(p.sme_table_id or ""),
                       intern.many(p.general_conditions), _documents(p.documents, intern), fiscal_years.get(p.id),
                       fee_tables.get(p.guarantee_fee_table_id or ""))
        for p in provider_rows}
    variants: list[Variant] = []
    for program in programs:
        for v in program.variants:
            variants.append(Variant(
                id=v.id, program_id=program.id, program_name=program.name, label=v.label,
                provider_id=program.provider_id, kind=program.kind, category=program.category,
                guarantee=program.guarantee, valid_from=program.valid_from, valid_to=program.valid_to,
                program_as_of=program.as_of, target_text=v.target_text, conditions=intern.many(v.conditions),
                general_exceptions=intern.shared(tuple(intern(e) for e in v.general_exceptions or ())),
                uses=intern.shared(tuple(v.uses)), use_notes=tuple(v.use_notes), limit_yen=v.limit_yen,
                limit_separate=v.limit_separate, limit_includes_existing=v.limit_includes_existing,
                limit_shared_with=tuple(v.limit_shared_with), limit_text=v.limit_text, rate_kind=v.rate_kind,
                tiers=intern.shared(tuple(Tier(t.max_months, t.rate_pct, t.city_share_pct, t.own_rate_pct, t.note)
                                          for t in v.rate_tiers)),
                city_share_pct=v.city_share_pct, own_rate_pct=v.own_rate_pct, term_min_months=v.term_min_months,
                term_max_months=v.term_max_months, term_by_use=dict(v.term_by_use or {}),
                grace_months=v.grace_months, bullet_max_months=v.bullet_max_months, repayment=tuple(v.repayment),
                fees=intern.shared(tuple(Fee(f.min_pct, f.max_pct, f.label, f.subsidised, intern(f.when), f.valid_from,
                                             f.valid_to) for f in v.guarantee_fees)),
                # Interned: the shape a variant shares with others (its pricing) includes them.
                fee_adjustments=intern.shared(tuple(
                    FeeAdjustment(a.kind, a.label, a.min_pct, a.max_pct, a.add_min_pct, a.add_max_pct, a.how,
                                  intern(a.when)) for a in v.fee_adjustments)),
                documents=_documents(v.documents, intern), source_file=v.source_file, source_section=v.source_section,
                as_of=v.as_of, notes=tuple(program.notes) + tuple(v.notes),
                interpretations=tuple(program.interpretations) + tuple(v.interpretations),
                position=len(variants)))
    # The enclosing limit of a sub-limit: a partner that counts existing balances and is at least as large.
    enclosing = {v.id: v.limit_yen for v in variants if v.limit_includes_existing and v.limit_yen is not None}
    variants = [replace(v, limit_cap_partners=tuple(
                    p for p in v.limit_shared_with if p in enclosing and v.limit_yen is not None
                    and enclosing[p] >= v.limit_yen and not v.limit_includes_existing))
                if set(v.limit_shared_with) & set(enclosing) else v for v in variants]
    variants = [replace(v, shape_key=shape_key(v)) for v in variants]
    plans = {p.id: PlanInfo(p.id, p.name, p.issuer, p.how, p.contact)
             for p in session.scalars(select(m.Plan).order_by(m.Plan.pack_id, m.Plan.id))}
    situations = {s.id: SituationInfo(s.id, s.name, s.choosable, s.step, s.contact, s.text)
                  for s in session.scalars(select(m.Situation).order_by(m.Situation.pack_id, m.Situation.id))}
    questions = {q.id: QuestionInfo(q.id, q.text, q.type, q.help, q.kind, q.implies, tuple(q.family),
                                    tuple(Settlement(s["when"], s["value"], s["reason"]) for s in q.settled_by))
                 for q in session.scalars(select(m.Question))}
    return Catalogue(tuple(variants), providers, plans, questions, situations=situations,
                     pack_versions={p.id: p.version for p in packs.values()},
                     source_titles={p.source_file: p.title for p in packs.values() if p.source_file})


def _refuse_missing_references(programs: Sequence[m.Program], packs: dict[str, m.DataPack],
                               providers: set[str]) -> None:
    # The foreign keys guard these, unless the file was edited with them off: the match would
    # end in a KeyError on every intake (issue 15, item 12). One line naming the first one.
    for program in programs:
        if program.pack_id not in packs:
            missing = f"制度 {program.id} のデータパック {program.pack_id!r}"
        elif program.provider_id not in providers:
            missing = f"制度 {program.id} の提供者 {program.provider_id!r}"
        else:
            continue
        raise BrokenCatalogue(f"データベースのカタログが壊れています（{missing} がありません）。desk db check で"
                              "確かめ、バックアップを戻すか desk import でパックを取り込み直してください")


def load_offices(session: Session) -> tuple[OfficeInfo, ...]:
    """Every office as a plain object. Plain column selects, not ORM objects: this runs on
    every `desk match` and `desk referral`, and 700 offices load several times faster so."""
    organisations = dict(session.execute(select(m.Organisation.id, m.Organisation.name)).all())
    areas: dict[str, list[Area]] = {}
    for office_id, prefecture, municipality, towns in session.execute(
            select(m.ServiceArea.office_id, m.ServiceArea.prefecture, m.ServiceArea.municipality,
                   m.ServiceArea.towns).order_by(m.ServiceArea.office_id, m.ServiceArea.position)):
        areas.setdefault(office_id, []).append(Area(prefecture, municipality, towns))
    o = m.Office
    rows = session.execute(select(
        o.id, o.name, o.name_current, o.role, o.organisation_id, o.department, o.phone, o.address, o.hours, o.url,
        o.prefecture, o.municipality, o.lat, o.lon, o.issues, o.from_seed, o.source_file, o.as_of,
    ).order_by(o.pack_id, o.position))
    return tuple(OfficeInfo(
        r.id, r.name, r.name_current, r.role, organisations.get(r.organisation_id or ""), r.department, r.phone,
        r.address, r.hours, r.url, r.prefecture, r.municipality, r.lat, r.lon, tuple(areas.get(r.id, ())),
        tuple(r.issues or ()), r.from_seed, r.source_file, r.as_of.isoformat() if r.as_of else None) for r in rows)
