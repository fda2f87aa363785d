"""The business a consultation was about, as a key: the same supplier visiting three times is one
business in a count (相談事業者数), whichever window it visited and however staff typed its name.

The key is a hash of the business name and the place, both normalised (NFKC, no blanks, no legal
form such as 株式会社 or ㈱, Latin letters in one case): it counts, it does not say the name. A
record without a business name has no key (each such consultation counts as a business of its
own). Written with each record's list row (desk.log.records.entry_rows) and by migration 0010 for
the records before it, from this one function.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Legal forms, as NFKC leaves them (㈱ becomes (株)), wherever they stand in the name.
_LEGAL_FORMS = re.compile(r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|特定非営利活動法人"
                          r"|医療法人社団|医療法人|社会福祉法人|\((?:株|有|同|資|名)\)")
_BLANKS = re.compile(r"[\s・･.,、。'\"\-‐]+")


def normalised_name(name: str) -> str:
    """``name`` as the key reads it: 「㈱ 追浜精工」 and 「株式会社追浜精工」 are the same business."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _BLANKS.sub("", _LEGAL_FORMS.sub("", text))


def business_key(name: str | None, municipality: str | None) -> str | None:
    """The key of the business ``name`` at ``municipality`` (16 hex digits), None without a name."""
    if not name or not (normalised := normalised_name(name)):
        return None
    place = _BLANKS.sub("", unicodedata.normalize("NFKC", municipality or ""))
    return hashlib.sha256(f"{normalised}\x1f{place}".encode()).hexdigest()[:16]
