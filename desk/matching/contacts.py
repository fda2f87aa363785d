"""Whom the visitor should see next: the contacts for a place and a match.

Inside Kanagawa: the credit-guarantee office serving the place (area first, then
distance), the chamber or society of commerce whose area covers it, the municipal
sections that issue the certificates and letters the programs need, the special
windows, and the prefecture-level bodies. From another prefecture: that
prefecture's own desks from the national directory. Offices are loaded once as
plain objects; selection is pure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from desk import vocab
from desk.catalogue.offices import OfficeInfo
from desk.intake.places import Place, area_match, distance_km
from desk.matching.answer import Contact
from desk.matching.engine import INELIGIBLE, ProgramResult
from desk.vocab import HOME_PREFECTURE, HOTLINE_OFFICE_ID, NEAREST_GUARANTEE_PAGE_ID

PREFECTURE_ROLES = ("prefecture", "support_center", "revitalization", "succession", "federation")


def _match(office: OfficeInfo, place: Place) -> str | None:
    found = {area_match(a, place) for a in office.areas} - {None}  # type: ignore[arg-type]
    return "full" if "full" in found else ("towns" if found else None)


def _distance(office: OfficeInfo, place: Place) -> float | None:
    return distance_km(place.lat, place.lon, office.lat, office.lon)


_AREA_RANK = {"full": 0, "towns": 1, None: 2}


def _ranked(scored: Sequence[tuple[OfficeInfo, str | None]], place: Place) -> list[tuple[OfficeInfo, str | None]]:
    """Offices with their area match: the whole area first, then part of it, then none; nearer first."""
    def key(pair: tuple[OfficeInfo, str | None]) -> tuple[int, float]:
        distance = _distance(pair[0], place)
        return _AREA_RANK[pair[1]], math.inf if distance is None else distance

    return sorted(scored, key=key)


def _by_area_then_distance(offices: Iterable[OfficeInfo], place: Place) -> list[tuple[OfficeInfo, str | None]]:
    return _ranked([(o, _match(o, place)) for o in offices], place)


UNDATED = "（資料に日付がなく、名称・電話番号が変わっている可能性があります）"


def contact_for(office: OfficeInfo, place: Place, why: str) -> Contact:
    if office.from_seed and office.source_file and office.as_of is None:
        why += UNDATED   # seed 001, the national directory, is undated: say so wherever it is shown
    return Contact(
        id=office.id, role=office.role, role_label=vocab.ROLES.get(office.role, office.role),
        name=office.name_current or office.name, name_in_source=office.name, organisation=office.organisation,
        department=office.department, phone=office.phone, address=office.address, hours=office.hours,
        url=office.url, distance_km=_distance(office, place), why=why, from_seed=office.from_seed,
        source=office.source_file, data_as_of=office.as_of,
    )


class _PlaceContacts(NamedTuple):
    """What the contacts for a place are without the match: the offices before the sections
    that issue certificates, those sections (which of them is listed depends on the match)
    and the offices after them."""

    before: tuple[Contact, ...]
    issuers: tuple[OfficeInfo, ...]
    after: tuple[Contact, ...]


# (id(offices), place) -> (offices, its contacts). Ranking the offices by area and distance is
# most of the contacts' cost, and a keystroke matches again for the same place: each place is
# ranked once. The offices are kept beside their answer, so an id is never reused while it is a key.
_PLACES: dict[tuple[int, Place], tuple[tuple[OfficeInfo, ...], _PlaceContacts | tuple[Contact, ...]]] = {}


def _for_place(offices: tuple[OfficeInfo, ...], place: Place) -> _PlaceContacts | tuple[Contact, ...]:
    """The contacts of a place outside the prefecture (they do not depend on the match), or the
    place's part of them inside it."""
    key = (id(offices), place)
    found = _PLACES.get(key)
    if found is None or found[0] is not offices:
        if len(_PLACES) > 256:   # a long day of visitors from many places, or offices reloaded
            _PLACES.clear()
        found = _PLACES[key] = (offices, _outside_contacts(offices, place) if place.prefecture != HOME_PREFECTURE
                                else _place_contacts(offices, place))
    return found[1]


def contacts_for(offices: tuple[OfficeInfo, ...], place: Place, results: list[ProgramResult]) -> tuple[Contact, ...]:
    for_place = _for_place(offices, place)
    if not isinstance(for_place, _PlaceContacts):
        return for_place
    return _dedupe([*for_place.before, *_certificate_offices(offices, for_place.issuers, place, results),
                    *for_place.after])


def _place_contacts(offices: tuple[OfficeInfo, ...], place: Place) -> _PlaceContacts:
    here = place.municipality or place.prefecture
    out: list[Contact] = []

    guarantee = [o for o in offices if o.role == "guarantee_branch" and o.prefecture == HOME_PREFECTURE]
    for office, match in _by_area_then_distance(guarantee, place)[:3]:
        why = f"{here}を担当する信用保証協会の窓口" if match else "最寄りの信用保証協会の窓口"
        out.append(contact_for(office, place, why + "（保証の相談・申込み）"))

    chambers = [o for o in offices if o.role == "chamber"]
    ranked = _by_area_then_distance(chambers, place)
    serving = [(o, mt) for o, mt in ranked if mt]
    for office, match in serving or ranked[:2]:
        if match == "full":
            why = f"{here}を地区とする商工会議所・商工会（経営・資金繰りの相談、マル経融資の推薦）"
        elif match == "towns":
            why = f"{here}の一部の地区を担当（郵便番号で地区が決まります）"
        else:
            why = "地区の商工会議所・商工会が見つからないため最寄りを表示"
        out.append(contact_for(office, place, why))

    before = tuple(out)
    issuers = tuple(o for o in offices if o.role in ("municipality", "support_center") and _match(o, place))
    out = []
    for office in offices:
        if office.role == "window" and _match(office, place):
            out.append(contact_for(office, place, "日産自動車の車両生産終了等に伴う中小企業向け特別相談窓口（県）"))
    for role in PREFECTURE_ROLES:
        # Only the offices serving the place are listed: only they are ranked (distances cost).
        serving = [(o, match) for o in offices if o.role == role and (match := _match(o, place)) is not None]
        for office, _match_kind in _ranked(serving, place):
            why = _PREFECTURE_WHY[role]
            out.append(contact_for(office, place, f"{place.prefecture}の{why}" if role == "prefecture" else why))
    hotline = next((o for o in offices if o.id == HOTLINE_OFFICE_ID), None)
    if hotline:
        out.append(contact_for(hotline, place, "後日のご相談（全国どこからでも最寄りの地域本部につながります）"))
    return _PlaceContacts(before, issuers, tuple(out))


_PREFECTURE_WHY = {
    "prefecture": "中小企業担当課",   # after the prefecture's name: 東京都の中小企業担当課
    "support_center": "経営の相談（よろず支援など）",
    "revitalization": "事業再生・経営改善計画の策定支援",
    "succession": "事業承継の相談",
    "federation": "組合・団体を通じた支援",
}


def _certificate_offices(offices: tuple[OfficeInfo, ...], local: tuple[OfficeInfo, ...], place: Place,
                         results: list[ProgramResult]) -> list[Contact]:
    """The sections that issue what the conditional and eligible programs still need (``local``:
    the municipal sections and support centres serving the place)."""
    needed_certs: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    for result in results:
        if result.status == INELIGIBLE:
            continue
        for todo in result.todos:
            if todo.where == "municipality" and todo.certification:
                needed_certs.setdefault(todo.certification, []).append(todo.what)
            elif todo.where and todo.where not in vocab.GENERIC_ISSUERS:
                named.setdefault(todo.where, []).append(todo.what)
    out = []
    for office in local:
        issues = [c for c in needed_certs if c in office.issues]
        documents = sorted(set(named.get(office.id, [])))
        if not issues and not documents and not (office.role == "municipality" and office.issues and not needed_certs):
            continue
        parts = ["・".join(vocab.PAPERS[c] for c in issues)] if issues else []
        parts += documents
        why = ("、".join(parts) + "の申請先") if parts else "セーフティネット保証の認定などの申請先"
        out.append(contact_for(office, place, why))
    for office_id, documents in named.items():
        issuer = next((o for o in offices if o.id == office_id), None)
        if issuer and not any(c.id == office_id for c in out) and issuer.role != "guarantee_branch":
            out.append(contact_for(issuer, place, "、".join(sorted(set(documents))) + "の申請先"))
    return out


def _outside_contacts(offices: tuple[OfficeInfo, ...], place: Place) -> tuple[Contact, ...]:
    out = []
    for role in PREFECTURE_ROLES:
        for office in offices:
            if office.role == role and any(a.prefecture == place.prefecture and a.municipality is None
                                           for a in office.areas):
                out.append(contact_for(office, place, f"{place.prefecture}の{_PREFECTURE_WHY[role]}"))
    page = next((o for o in offices if o.id == NEAREST_GUARANTEE_PAGE_ID), None)
    if page:
        out.append(contact_for(page, place, f"{place.prefecture}の信用保証協会を探す（全国信用保証協会連合会の案内）"))
    hotline = next((o for o in offices if o.id == HOTLINE_OFFICE_ID), None)
    if hotline:
        out.append(contact_for(hotline, place, "後日のご相談（全国どこからでも最寄りの地域本部につながります）"))
    return _dedupe(out)


def _dedupe(contacts: list[Contact]) -> tuple[Contact, ...]:
    """Once per office, and once per number within a role (seeds 000 and 001 both list
    the prefecture's federation; the first, with its address, is kept)."""
    seen: set[object] = set()
    out = []
    for contact in contacts:
        keys: set[object] = {contact.id}
        if contact.phone:
            keys.add((contact.role, contact.phone))
        if keys & seen:
            continue
        seen |= keys
        out.append(contact)
    return tuple(out)


def todo_where(todo_where: str | None, offices_by_id: dict[str, OfficeInfo], contacts: tuple[Contact, ...],
               certification: str | None) -> tuple[str | None, str | None]:
    """The contact name and id a to-do points the visitor to."""
    if todo_where is None:
        return None, None
    if todo_where == "municipality":
        for contact in contacts:
            office = offices_by_id.get(contact.id)
            if office and office.role in ("municipality", "support_center") and (
                    certification is None or certification in office.issues):
                return contact.name, contact.id
        return vocab.GENERIC_ISSUERS["municipality"], None
    if todo_where == "guarantee_association":
        for contact in contacts:
            if contact.role == "guarantee_branch":
                return contact.name, contact.id
        return vocab.GENERIC_ISSUERS[todo_where], None
    if todo_where in vocab.GENERIC_ISSUERS:
        return vocab.GENERIC_ISSUERS[todo_where], None
    office = offices_by_id.get(todo_where)
    if office:
        return office.name_current or office.name, office.id
    return todo_where, None
