"""The contact directory: places, the offices that serve them, and distances.

A *place* is where a business is: a prefecture, and inside Kanagawa a
municipality or ward (``横浜市中区``; a bare ``横浜市`` means the whole city),
perhaps narrowed to a town by its postal code. An office *serves* a place when
its service area covers it; distance (from the place's town hall to the office)
orders offices and is the fallback where no area is recorded.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import vocab
from desk.db import models as m
from desk.intake import places
from desk.intake.places import MunicipalityRow, Place, PostalRow, PrefectureRow, area_match, distance_km


class SessionPlaces:
    """A :class:`~desk.intake.places.PlaceLookup` that asks the database, row by row."""

    def __init__(self, session: Session):
        self._session = session

    def postal_code(self, code: str) -> PostalRow | None:
        row = self._session.get(m.PostalCode, code)
        return PostalRow(row.municipality, row.town) if row is not None else None

    def postal_prefecture(self, prefix: str) -> str | None:
        row = self._session.get(m.PostalPrefix, prefix)
        return row.prefecture if row is not None else None

    def prefectures(self) -> dict[str, PrefectureRow]:
        return {p.name: PrefectureRow(p.name, p.lat, p.lon, p.geo_precision_m)
                for p in self._session.scalars(select(m.Prefecture))}

    def municipalities(self, prefecture: str) -> list[MunicipalityRow]:
        return [municipality_row(r) for r in self._session.scalars(
            select(m.Municipality).where(m.Municipality.prefecture == prefecture).order_by(m.Municipality.position))]


def municipality_row(r: m.Municipality) -> MunicipalityRow:
    return MunicipalityRow(r.name, r.district, r.city, r.ward, r.lat, r.lon, r.geo_precision_m, r.reading)


def resolve_place(session: Session, *, prefecture: str | None = None, municipality: str | None = None,
                  postal_code: str | None = None) -> Place:
    """Where a business is, from what the intake says; raise PlaceError when unknown."""
    return places.resolve_place(SessionPlaces(session), prefecture=prefecture, municipality=municipality,
                                postal_code=postal_code)


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
            {"prefecture": a.prefecture, "municipality": a.municipality, "towns": a.towns}
            for a in office.service_area],
        "from_seed": office.from_seed,
        "source": {"file": office.source_file, "section": office.source_section},
        "data_as_of": office.as_of.isoformat() if office.as_of else None,
        "notes": office.notes,
        "interpretations": office.interpretations,
    }
