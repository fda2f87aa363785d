"""Places: where a business is, resolved from what the intake says, and distances.

A *place* is a prefecture, and inside Kanagawa a municipality or ward
(``横浜市中区``; a bare ``横浜市`` means the whole city), perhaps narrowed to a town
by its postal code. Resolution is pure: it asks a :class:`PlaceLookup` for rows,
either a database session (:mod:`desk.db.directory`) or a :class:`PlaceIndex` held in
memory with the catalogue (the live form and the one-shot commands).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from desk.intake.place_text import MAX_SHOWN, suggestions
from desk.vocab import HOME_PREFECTURE as HOME_PREFECTURE  # the one place name code knows


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


class PrefectureRow(NamedTuple):
    name: str
    lat: float | None
    lon: float | None
    geo_precision_m: int | None


class MunicipalityRow(NamedTuple):
    name: str
    district: str | None
    city: str | None
    ward: str | None
    lat: float | None
    lon: float | None
    geo_precision_m: int | None
    reading: str | None = None   # in hiragana (よこすかし), for the form to find a name typed in kana


class PostalRow(NamedTuple):
    municipality: str
    town: str | None


class PlaceLookup(Protocol):
    def postal_code(self, code: str) -> PostalRow | None: ...
    def postal_prefecture(self, prefix: str) -> str | None: ...
    def prefectures(self) -> dict[str, PrefectureRow]: ...
    def municipalities(self, prefecture: str) -> list[MunicipalityRow]: ...


@dataclass(frozen=True)
class PlaceIndex:
    """Every place the packs know, in memory (a few thousand postal codes: well under 1 MB)."""

    prefecture_rows: dict[str, PrefectureRow] = field(default_factory=dict)
    municipality_rows: dict[str, tuple[MunicipalityRow, ...]] = field(default_factory=dict)  # by prefecture
    postal_rows: dict[str, PostalRow] = field(default_factory=dict)
    prefix_rows: dict[str, str] = field(default_factory=dict)

    def postal_code(self, code: str) -> PostalRow | None:
        return self.postal_rows.get(code)

    def postal_prefecture(self, prefix: str) -> str | None:
        return self.prefix_rows.get(prefix)

    def prefectures(self) -> dict[str, PrefectureRow]:
        return self.prefecture_rows

    def municipalities(self, prefecture: str) -> list[MunicipalityRow]:
        return list(self.municipality_rows.get(prefecture, ()))

    def municipality_names(self, prefecture: str = HOME_PREFECTURE) -> list[str]:
        """In catalogue order, for the intake form's picker."""
        return [r.name for r in self.municipality_rows.get(prefecture, ())]

    def readings(self, prefecture: str = HOME_PREFECTURE) -> dict[str, str]:
        """Name -> reading in hiragana, for the form to find a name typed in kana."""
        return {r.name: r.reading for r in self.municipality_rows.get(prefecture, ()) if r.reading}


def normalise_postal_code(text: str) -> str | None:
    digits = re.sub(r"[-‐－ー−\s〒]", "", unicodedata.normalize("NFKC", text))
    return digits if re.fullmatch(r"\d{7}", digits) else None


def resolve_place(lookup: PlaceLookup, *, prefecture: str | None = None, municipality: str | None = None,
                  postal_code: str | None = None) -> Place:
    """Where a business is, from what the intake says; raise PlaceError when unknown."""
    pref = unicodedata.normalize("NFKC", prefecture).strip() if prefecture else None
    muni = unicodedata.normalize("NFKC", municipality).strip() if municipality else None
    town = None
    code = None
    if muni and normalise_postal_code(muni):
        # A postal code where the municipality goes (typed into the form's 所在地): said, not searched for.
        raise PlaceError(f"'{muni}' は郵便番号です（郵便番号は郵便番号の欄に、"
                         "所在地は「横須賀市」のように入力してください）", "municipality")
    if postal_code:
        code = normalise_postal_code(postal_code)
        if code is None:
            raise PlaceError(f"郵便番号 '{postal_code}' は7桁の数字ではありません", "postal_code")
        postal = lookup.postal_code(code)
        if postal is not None:
            if muni and not _same_place(muni, postal.municipality):
                raise PlaceError(f"郵便番号 {code} は {postal.municipality} で、市区町村 {muni} と一致しません",
                                 "postal_code")
            pref, muni, town = pref or HOME_PREFECTURE, muni or postal.municipality, postal.town
        else:
            pref = _prefecture_of_code(lookup, code, pref, muni)
    pref = pref or HOME_PREFECTURE
    known_prefectures = lookup.prefectures()
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
    rows = lookup.municipalities(pref)
    row = _find_municipality(rows, pref, muni)
    if row is None:
        meant = suggestions(muni, {r.name: r.reading for r in rows})
        hint = f"「{'」「'.join(meant[:MAX_SHOWN])}」のことですか" if meant else "例: 横浜市中区、横須賀市、葉山町"
        raise PlaceError(f"'{muni}' は神奈川県の市区町村として登録がありません（{hint}）", "municipality")
    return Place(pref, row.name, row.city if row.ward else None, town, code, row.lat, row.lon, row.geo_precision_m)


def _prefecture_of_code(lookup: PlaceLookup, code: str, stated: str | None, municipality: str | None) -> str:
    """The prefecture a postal code outside the postal table stands for, where nothing stated
    says otherwise (a Tokyo code alone is a Tokyo business, not a Kanagawa one; a Tokyo code
    beside 横須賀市 is a mistake to show, not to choose between)."""
    from_code = lookup.postal_prefecture(code[:3])
    shown = f"{code[:3]}-{code[3:]}"
    if from_code is None:
        if stated:
            return stated
        raise PlaceError(f"郵便番号 {code} がどの都道府県のものか分かりません", "postal_code")
    if stated and stated not in (from_code, from_code[:-1]):
        raise PlaceError(f"郵便番号 {shown} は{from_code}のもので、都道府県 {stated} と一致しません", "postal_code")
    if not stated and municipality and from_code != HOME_PREFECTURE and _find_municipality(
            lookup.municipalities(HOME_PREFECTURE), HOME_PREFECTURE, municipality) is not None:
        raise PlaceError(f"郵便番号 {shown} は{from_code}のもので、{HOME_PREFECTURE}{municipality} と一致しません",
                         "postal_code")
    return stated or from_code


def _find_municipality(rows: list[MunicipalityRow], prefecture: str, name: str) -> MunicipalityRow | None:
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
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * r * math.asin(math.sqrt(a)), 1)


class AreaLike(Protocol):
    prefecture: str
    municipality: str | None
    towns: list[str] | None


def area_match(area: AreaLike, place: Place) -> str | None:
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
