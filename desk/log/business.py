"""The business a consultation was about, as a key: the same supplier visiting three times is one
business in a count (相談事業者数), whichever window it visited and however staff typed its name.

The key is a hash of the business name and its municipality, both normalised (NFKC, no blanks, no
legal form such as 株式会社 or ㈱, Latin letters in one case): it counts, it does not say the name.
The municipality is read from the place a record stores (:func:`business_place`), never the town a
postal code added: 「横須賀市夏島町」 and 「横須賀市」 are one place. A record without a business
name has no key (each such consultation counts as a business of its own). Written with each
record's list row (desk.log.records.entry_rows), and by migrations 0010 and 0011 for the records
before it, from this one function.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from desk.intake.place_text import split_prefecture

# Legal forms, as NFKC leaves them (㈱ becomes (株)), wherever they stand in the name.
_LEGAL_FORMS = re.compile(r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|特定非営利活動法人"
                          r"|医療法人社団|医療法人|社会福祉法人|\((?:株|有|同|資|名)\)")
_BLANKS = re.compile(r"[\s・･.,、。'\"\-‐]+")
# The municipality a stored place starts with (after its prefecture): past a district (三浦郡), up to
# the first 市, 区, 町 or 村. A designated city's ward (横浜市中区) is therefore its city, 横浜市; a
# ward of Tokyo (大田区) stays a ward. The cut need not be the name itself, only the same for every
# form desk stores of one place: 東村山市 is cut at 東村 with or without its town, and no other
# municipality of its prefecture is.
_MUNICIPALITY = re.compile(r"(?:.{1,5}?郡)?(.{1,8}?[市区町村])")


def normalised_name(name: str) -> str:
    """``name`` as the key reads it: 「㈱ 追浜精工」 and 「株式会社追浜精工」 are the same business."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _BLANKS.sub("", _LEGAL_FORMS.sub("", text))


def business_place(stored: str | None) -> str:
    """The place of a business as the key reads it: its prefecture and its municipality.

    A record stores the place's label (desk.intake.places.Place.label): the prefecture, the
    municipality or ward (神奈川県横浜市中区, or a bare 神奈川県横浜市 for the whole city) and the town a
    postal code gave (神奈川県横須賀市夏島町); another prefecture's municipality as typed (東京都大田区:
    any prefecture may come to the window); a record from a log file, whatever another desk stored.
    All of 「神奈川県横須賀市夏島町」, 「神奈川県横須賀市」 and 「横須賀市」 are 「神奈川県横須賀市」.

    Why the city and not the ward of a designated city: a visitor who typed 横浜市 and a postal
    code is stored as 神奈川県横浜市本町, the same visitor with the postal code alone as
    神奈川県横浜市中区本町; the form accepts a bare city, and staff write one. A ward is an
    administrative part of one municipality (a 行政区, unlike Tokyo's 特別区), whose funds, city
    offices and 認定 are the city's. Splitting by ward would count such a business twice at every
    visit without its ward; the city counts two businesses of one normalised name in two wards of
    one city once, which the window would call unusual. The prefecture stays in the place, so
    横浜市's 緑区 and 相模原市's 緑区 are never mixed, nor 府中市 of Tokyo and of Hiroshima.
    """
    text = _BLANKS.sub("", unicodedata.normalize("NFKC", stored or ""))
    if not text:
        return ""
    prefecture, rest = split_prefecture(text)
    cut = _MUNICIPALITY.match(rest)
    return prefecture + (cut.group(1) if cut else rest)


def business_key(name: str | None, municipality: str | None) -> str | None:
    """The key of the business ``name`` at the stored place ``municipality`` (16 hex digits), None
    without a name."""
    if not name or not (normalised := normalised_name(name)):
        return None
    return hashlib.sha256(f"{normalised}\x1f{business_place(municipality)}".encode()).hexdigest()[:16]
