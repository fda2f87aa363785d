"""The contact directory: places, the offices that serve them, and distances.

A *place* is where a business is: a prefecture, and inside Kanagawa a
municipality or ward (``横浜市中区``; a bare ``横浜市`` means the whole city),
perhaps narrowed to a town by its postal code. An office *serves* a place when
its service area covers it; distance (from the place's town hall to the office)
orders offices and is the fallback where no area is recorded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import vocab
from desk.db import models as m

HOME_PREFECTURE = "神奈川県"


class PlaceError(ValueError):
    """A prefecture, municipality or postal code that cannot be placed; ``field`` names the intake key."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Place:
    prefecture: str
    municipality: str | None = None   # 横浜市中区, 横須賀市, or a designated city as a whole
    city: str | None = None           # 横浜市 for its wards
    town: str | None = None           # from the postal code
    postal_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision_m: int | None = None

    @property
    def label(self) -> str:
        return "".join(p for p in (self.prefecture, self.municipality or "", self.town or "") if p)


def normalise_postal_code(text: str) -> str | None:
    digits = re.sub(r"[-‐－ー−\s〒]", "", unicodedata.normalize("NFKC", text))
    return digits if re.fullmatch(r"\d{7}", digits) else None


def resolve_place(session: Session, *, prefecture: str | None = None, municipality: str | None = None,
                  postal_code: str | None = None) -> Place:
    """Where a business is, from what the intake says; raise PlaceError when unknown."""
    pref = unicodedata.normalize("NFKC", prefecture).strip() if prefecture else None
    muni = unicodedata.normalize("NFKC", municipality).strip() if municipality else None
    town = None
    code = None
    if postal_code:
        code = normalise_postal_code(postal_code)
        if code is None:
            raise PlaceError(f"郵便番号 '{postal_code}' は7桁の数字ではありません", "postal_code")
        row = session.get(m.PostalCode, code)
        if row is not None:
            if muni and not _same_place(muni, row.municipality):
                raise PlaceError(f"郵便番号 {code} は {row.municipality} で、市区町村 {muni} と一致しません", "postal_code")
            pref, muni, town = pref or HOME_PREFECTURE, muni or row.municipality, row.town
        elif not pref:
            prefix = session.get(m.PostalPrefix, code[:3])
            if prefix is None:
                raise PlaceError(f"郵便番号 {code} がどの都道府県のものか分かりません", "postal_code")
            pref = prefix.prefecture
    pref = pref or HOME_PREFECTURE
    known_prefectures = {p.name: p for p in session.scalars(select(m.Prefecture))}
    if known_prefectures and pref not in known_prefectures:
        # 「神奈川」 for 神奈川県: accept a name without its suffix when only one prefecture fits.
        fits = [name for name in known_prefectures if name[:-1] == pref]
        if len(fits) != 1:
            raise PlaceError(f"都道府県 '{pref}' は47都道府県のどれでもありません", "prefecture")
        pref = fits[0]
    if pref != HOME_PREFECTURE:
        p = known_prefectures.get(pref)
        return Place(pref, muni, postal_code=code, lat=p.lat if p else None, lon=p.lon if p else None,
                     geo_precision_m=p.geo_precision_m if p else None)
    if not muni:
        p = known_prefectures.get(pref)
        return Place(pref, postal_code=code, lat=p.lat if p else None, lon=p.lon if p else None)
    row = _find_municipality(session, pref, muni)
    if row is None:
        raise PlaceError(f"'{muni}' は神奈川県の市区町村として登録がありません（例: 横浜市中区、横須賀市、葉山町）",
                         "municipality")
    return Place(pref, row.name, row.city if row.ward else None, town, code, row.lat, row.lon, row.geo_precision_m)


def _find_municipality(session: Session, prefecture: str, name: str) -> m.Municipality | None:
    rows = session.scalars(select(m.Municipality).where(m.Municipality.prefecture == prefecture)).all()
    by_name = {r.name: r for r in rows}
    if name in by_name:
        return by_name[name]
    # Accept the district prefix (三浦郡葉山町) and a missing 神奈川県 prefix.
    stripped = name.removeprefix(prefecture)
    for r in rows:
        if r.district and stripped == f"{r.district}{r.name}":
            return r
    return by_name.get(stripped)


def _same_place(given: str, postal_municipality: str) -> bool:
    return postal_municipality == given or postal_municipality.startswith(given) or given.endswith(postal_municipality)


def distance_km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float | None:
    """Great-circle distance, one decimal; None when either point is unknown."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * r * math.asin(math.sqrt(a)), 1)


def area_match(area: m.ServiceArea, place: Place) -> str | None:
    """``"full"`` when the area covers the place, ``"towns"`` when only some towns of it do
    and the place's town is unknown, ``None`` when it does not cover it."""
    if area.prefecture != place.prefecture:
        return None
    if area.municipality is None:
        return "full"
    if place.municipality is None:
        return None
    names = {place.municipality}
    if place.city:
        names.add(place.city)
    covers = area.municipality in names or (
        place.city is None and area.municipality.startswith(place.municipality))  # a whole city: any ward
    if not covers:
        return None
    if not area.towns:
        return "full"
    if place.town is None:
        return "towns"
    return "full" if any(place.town.startswith(t) for t in area.towns) else None


def list_contacts(session: Session, *, role: str | None = None, place: Place | None = None,
                  serving_only: bool = True) -> list[dict[str, Any]]:
    """Offices as plain dicts: with a place, those serving it (area first, then distance)."""
    stmt = select(m.Office).options(selectinload(m.Office.service_area)).order_by(m.Office.pack_id, m.Office.position)
    if role:
        stmt = stmt.where(m.Office.role == role)
    organisations = {o.id: o for o in session.scalars(select(m.Organisation))}
    out = []
    for office in session.scalars(stmt):
        match = None
        if place is not None:
            matches = {area_match(a, place) for a in office.service_area} - {None}
            match = "full" if "full" in matches else ("towns" if matches else None)
            if serving_only and match is None and not _serves_by_distance(office, place):
                continue
        entry = office_dict(office, organisations.get(office.organisation_id or ""), place)
        entry["served_by_area"] = match
        out.append(entry)
    if place is not None:
        role_order = {r: i for i, r in enumerate(vocab.ROLES)}
        out.sort(key=lambda e: (role_order.get(e["role"], 99), e["served_by_area"] is None,
                                e["distance_km"] if e["distance_km"] is not None else math.inf))
    return out


def _serves_by_distance(office: m.Office, place: Place) -> bool:
    """Offices without a recorded area (the guarantee branches) serve by distance in their prefecture."""
    return not office.service_area and office.prefecture == place.prefecture and office.role == "guarantee_branch"


def office_dict(office: m.Office, organisation: m.Organisation | None, place: Place | None) -> dict[str, Any]:
    return {
        "id": office.id,
        "name": office.name,
        "name_current": office.name_current,
        "role": office.role,
        "role_label": vocab.ROLES.get(office.role, office.role),
        "organisation": organisation.name if organisation else None,
        "department": office.department,
        "phone": office.phone,
        "address": office.address,
        "hours": office.hours,
        "url": office.url,
        "prefecture": office.prefecture,
        "municipality": office.municipality,
        "lat": office.lat,
        "lon": office.lon,
        "geo_precision_m": office.geo_precision_m,
        "distance_km": distance_km(place.lat, place.lon, office.lat, office.lon) if place else None,
        "service_area": [
            {"prefecture": a.prefecture, "municipality": a.municipality, "towns": a.towns} for a in office.service_area],
        "from_seed": office.from_seed,
        "source": {"file": office.source_file, "section": office.source_section},
        "data_as_of": office.as_of.isoformat() if office.as_of else None,
        "notes": office.notes,
        "interpretations": office.interpretations,
    }
