"""A place as staff type it at the counter: 「横須賀市」, 「横須賀」, 「よこすか」, 「ヨコスカ」, a slip of
one character (「横須加」), a ward alone (「港北区」), or another prefecture (「東京都大田区」); a whole
address (「神奈川県横須賀市本町1-2-3」) is read by the municipality it starts with, the rest said to
be unused; a postal code, alone or before the address, is read as one (the form moves it to its field).

The form reads what is typed into the names INTAKE.md takes (a prefecture and a municipality)
and shows how it read it; the core's place resolution uses :func:`suggestions` to say what an
unknown name may have meant. Pure: the municipalities come as (name, reading) pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import NamedTuple

from desk.vocab import HOME_PREFECTURE

SUFFIXES = ("市", "区", "町", "村")
# The start of a text that names a prefecture: 北海道, 東京都, 京都府, 大阪府, or two or three
# characters and 県 (no municipality of Kanagawa has a 県 there).
_PREFECTURE = re.compile(r"北海道|東京都|京都府|大阪府|[^市区町村郡]{2,3}県")
READING_SUFFIXES = ("し", "く", "まち", "むら")
MAX_SHOWN = 3   # candidates named in a message
# A postal code at the start of the text (after NFKC): 〒238-0008, 238-0008, 2380008.
_POSTAL_CODE = re.compile(r"〒?(\d{3})[-‐−ー]?(\d{4})(?!\d)")
# Another prefecture's municipality at the start of an address: a district's town (…郡…町), a
# designated city's ward (…市…区), else up to the first 市, 区, 町 or 村 (a 町 or 村 followed by 市
# is inside the name: 十日町市, 大町市; so is the 市 of 四日市市, 野々市市, 廿日市市).
_OUTSIDE_MUNICIPALITY = re.compile(r"(?:.{1,5}?郡)?(?:四日市市|野々市市|廿日市市"
                                   r"|.{1,6}?市.{1,4}?区|.{1,6}?[町村]市|.{1,6}?[市区町村])")


class PlaceText(NamedTuple):
    prefecture: str | None     # None when the text names no prefecture (the home one is meant)
    municipality: str | None   # a known name inside the home prefecture; as typed outside it
    note: str | None = None    # how the text was read, when it was not written as the name is
    problem: str | None = None  # why the text places nothing (then both names are None)
    postal_code: str | None = None   # a postal code the text holds (7 digits): its place is its own field

    @property
    def label(self) -> str:
        """「神奈川県横須賀市」: the place as read."""
        return f"{self.prefecture or HOME_PREFECTURE}{self.municipality or ''}"


def read_place_text(text: str, municipalities: Mapping[str, str | None]) -> PlaceText:
    """What ``text`` names. ``municipalities``: the home prefecture's names and their readings,
    in the order to list them. A prefecture is read by its form (東京都, 大阪府, 静岡県: the
    core checks it is one of the 47)."""
    typed = _normal(text)
    if not typed:
        return PlaceText(None, None)
    code = _POSTAL_CODE.match(typed)
    if code is not None:
        digits = code.group(1) + code.group(2)
        rest = typed[code.end():]
        if not rest:
            return PlaceText(None, None, problem=f"「{typed}」は郵便番号です", postal_code=digits)
        return read_place_text(rest, municipalities)._replace(postal_code=digits)
    match = _PREFECTURE.match(typed)
    prefecture = match.group(0) if match else None
    rest = typed[len(prefecture):] if prefecture else typed
    if prefecture is not None and prefecture != HOME_PREFECTURE:
        # Outside: any municipality (INTAKE.md), its name cut from the address where it shows.
        cut = _OUTSIDE_MUNICIPALITY.match(rest) if rest else None
        if cut is None or cut.end() == len(rest):
            return PlaceText(prefecture, rest or None)
        return PlaceText(prefecture, cut.group(0), unused_note(rest[cut.end():]))
    if not rest:
        return PlaceText(prefecture, None)
    found, how = _candidates(rest, municipalities)
    if how in ("none", "slip"):
        # A whole address: the municipality it starts with; the street is not needed.
        start = _address_start(rest, municipalities)
        if start is not None:
            names, street = start
            if len(names) == 1:
                return PlaceText(prefecture, names[0], unused_note(street))
            found = names
    if len(found) == 1:
        name = found[0]
        # A slip is said; a reading, or a name without its 市 or its city, is plain enough.
        return PlaceText(prefecture, name, f"「{rest}」を{name}と読みました" if how == "slip" else None)
    return PlaceText(None, None, problem=problem_text(rest, found))


def municipality_label(stored: str | None, home_names: Collection[str]) -> str:
    """The municipality a stored 所在地 stands in, as a label without the town or the street:
    「神奈川県横須賀市本町」 (a place's label, its town from the postal code) is 「神奈川県横須賀市」,
    「神奈川県横浜市金沢区釜利谷東」 is 「神奈川県横浜市金沢区」, a bare 「神奈川県横浜市」 stays the city,
    「東京都大田区蒲田1-2-3」 is 「東京都大田区」; "" when nothing is stated. ``home_names``: the home
    prefecture's municipalities (the longest one the text starts with is the one; a ward before its
    city); a name the list lacks, and another prefecture's, is cut where its 市, 区, 町 or 村 ends."""
    typed = _normal(stored or "")
    if not typed:
        return ""
    prefecture, rest = split_prefecture(typed)
    if not rest:
        return prefecture
    if prefecture == HOME_PREFECTURE:
        district = re.match(r".{1,5}?郡", rest)
        for text in (rest, rest[district.end():] if district else ""):
            known = [name for name in home_names if name and text.startswith(name)]
            if known:
                return prefecture + max(known, key=len)
    cut = _OUTSIDE_MUNICIPALITY.match(rest)
    return prefecture + (cut.group(0) if cut else rest)


def split_prefecture(text: str) -> tuple[str, str]:
    """The prefecture ``text`` starts with (the home one when it names none) and the rest:
    「東京都大田区」 is (東京都, 大田区), 「横須賀市」 is (神奈川県, 横須賀市)."""
    match = _PREFECTURE.match(text)
    return (match.group(0), text[match.end():]) if match else (HOME_PREFECTURE, text)


def unused_note(street: str) -> str:
    return f"番地など「{street}」は判定に使いません"


def _address_start(typed: str, municipalities: Mapping[str, str | None]) -> tuple[list[str], str] | None:
    """The names of the municipality a longer text starts with (written in full, with its 市, 区,
    町 or 村; the longest: 横浜市中区 before 横浜市), and the rest; None when it starts with none."""
    keys = _keys(municipalities)
    district = re.match(r".{1,5}?郡", typed)
    for text in (typed, typed[district.end():] if district else None):
        if not text:
            continue
        starts = [key for key in keys if key.endswith(SUFFIXES) and not _is_kana(key) and len(key) >= 2
                  and len(text) > len(key) and text.startswith(key)]
        if starts:
            key = max(starts, key=len)
            return _city_over_its_wards(keys[key]), text[len(key):]
    return None


def suggestions(text: str, municipalities: Mapping[str, str | None]) -> list[str]:
    """The names ``text`` may have meant, best first (none when nothing is close); an address, by
    the municipalities it may start with."""
    typed = _normal(text)
    found = _candidates(typed, municipalities)[0]
    start = _address_start(typed, municipalities) if not found else None
    return start[0] if start is not None else found


def problem_text(typed: str, found: list[str]) -> str:
    """Why a typed municipality places nothing, and what it may have meant."""
    if found:
        # A city stands for its wards in the list (横浜市 rather than 横浜市 and its 18 wards).
        shown = [n for n in found if not any(n != c and n.startswith(c) and c.endswith("市") for c in found)]
        return f"「{typed}」はどれですか: {'、'.join(shown[:MAX_SHOWN])}"
    return (f"「{typed}」は{HOME_PREFECTURE}の市区町村にありません"
            "（県外は「東京都大田区」のように都道府県から入力してください）")


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _hiragana(text: str) -> str:
    """カタカナ → ひらがな (ヴ and the small ones too); other characters as they are."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _candidates(typed: str, municipalities: Mapping[str, str | None]) -> tuple[list[str], str]:
    """The names ``typed`` may mean, and how they were found (name, reading, prefix, slip)."""
    keys = _keys(municipalities)
    typed = typed.rsplit("郡", 1)[-1] if "郡" in typed[1:-1] else typed   # 三浦郡葉山町: the town
    kana = _hiragana(typed)
    for text, how in ((typed, "name"), (kana, "reading")):
        if text in keys:
            return _city_over_its_wards(keys[text]), how
    if _is_kana(kana) and len(kana) >= 2:
        # The start of a reading: 「よこす」 for 横須賀市; several are a question, not a guess.
        found = list(dict.fromkeys(n for key, names in keys.items() if _is_kana(key) and key.startswith(kana)
                                   for n in names))
        if found:
            return _city_over_its_wards(found), "prefix"
    if len(typed) >= 2:
        found = list(dict.fromkeys(n for key, names in keys.items() if not _is_kana(key) and _one_slip(typed, key)
                                   for n in names))
        if found:
            return found, "slip"
    return [], "none"


def _city_over_its_wards(found: list[str]) -> list[str]:
    """「川崎」 is the city of 川崎市, not a question between it and its 川崎区: a city whose own
    wards are the only other candidates stands for the whole city (INTAKE.md accepts a bare city)."""
    cities = [name for name in found if name.endswith("市") and all(n.startswith(name) for n in found)]
    return cities[:1] if cities else found


def _is_kana(text: str) -> bool:
    return all("ぁ" <= c <= "ゖ" or c == "ー" for c in text)


# The keys of the last list read (the form's, on every keystroke): one slot, so a list made
# for one message is not kept for ever.
_KEYS: dict[int, tuple[Mapping[str, str | None], dict[str, list[str]]]] = {}


def _keys(municipalities: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Every way a name may be typed → the names it stands for, built once per list."""
    kept = _KEYS.get(id(municipalities))
    if kept is not None and kept[0] is municipalities:
        return kept[1]
    keys: dict[str, list[str]] = {}

    def add(key: str, name: str) -> None:
        if key and name not in keys.setdefault(key, []):
            keys[key].append(name)

    cities = {name: reading for name, reading in municipalities.items() if name.endswith("市")}
    for name, reading in municipalities.items():
        forms = [(name, reading)]
        city = next((c for c in cities if name.startswith(c) and name != c), None)
        if city is not None:   # a ward: typed alone too (港北区, こうほく)
            ward_reading = reading.removeprefix(cities[city] or "") if reading else None
            forms.append((name[len(city):], ward_reading))
        for form, form_reading in forms:
            add(form, name)
            stem = _strip(form, SUFFIXES)
            if len(stem) >= 2 or city is not None:
                add(stem, name)
            if form_reading:
                add(form_reading, name)
                add(_strip(form_reading, READING_SUFFIXES), name)
    _KEYS.clear()
    _KEYS[id(municipalities)] = (municipalities, keys)
    return keys


def _strip(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _one_slip(typed: str, key: str) -> bool:
    """One character wrong, missing or extra (横須加, 横賀市, 横須賀賀市)."""
    if abs(len(typed) - len(key)) > 1 or min(len(typed), len(key)) < 2:
        return False
    if len(typed) == len(key):
        return sum(a != b for a, b in zip(typed, key, strict=True)) == 1
    short, long = sorted((typed, key), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
