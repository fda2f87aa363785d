"""Numbers as people type them into an intake or the form: 「１，２００万円」, 「3千万」, 「▲12.5%」,
「1年6か月」; and the error that names the key and says what was expected."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any


class IntakeError(ValueError):
    """A value that cannot be read; ``key`` is the intake key (dotted for nested ones)."""

    def __init__(self, key: str, expected: str, value: Any = None):
        self.key = key
        shown = "" if value is None else f"（読んだ値: {_show(value)}）"
        # What a person reads under the field the key names (the CLI's line adds the key).
        self.message = f"{expected}{shown}"
        super().__init__(f"{key}: {self.message}")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"



_MONTH_WORDS = "ヶ月|か月|カ月|ケ月|箇月|ヵ月|月"   # a number of months as people write its unit


def months_unit_stated(text: str) -> bool:
    """Whether typed months say their unit (「20年」, 「6か月」): a bare 「20」 reads as 20 months,
    which a clerk may have meant as years (the form says so, in a warning's colour)."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.endswith("年") or re.search(f"({_MONTH_WORDS})$", text) is not None


def parse_number(value: Any, key: str, *, unit: str) -> float:
    """A number from a JSON number or a string such as ``"１，２００万円"`` or ``"▲12.5%"``.

    ``unit`` is ``yen``, ``pct``, ``months`` or ``count``; it decides which suffixes
    are accepted (万円 and 億円 multiply; 年 counts twelve months).
    """
    expected = {
        "yen": "金額（円）を数値か「1,200万円」「3千万円」の形で",
        "pct": "割合（％）を数値か「▲12.5%」の形で",
        "months": "月数を数値か「1年6か月」の形で",
        "count": "人数を数値で",
    }[unit]
    if isinstance(value, bool) or value is None:
        raise IntakeError(key, f"{expected}指定してください", value)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        number = _parse_text_number(value, unit, key, expected)
    else:
        raise IntakeError(key, f"{expected}指定してください", value)
    if number != number or number in (float("inf"), float("-inf")):
        raise IntakeError(key, f"{expected}指定してください", value)
    return number


def _parse_text_number(raw: str, unit: str, key: str, expected: str) -> float:
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
    sign = 1.0
    if text[:1] in ("▲", "△", "-", "−", "ー"):
        sign, text = -1.0, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    if unit == "yen":
        total, rest = 0.0, text.removesuffix("円")
        if not rest:
            raise IntakeError(key, f"{expected}指定してください", raw)
        for suffix, factor in (("億", 100_000_000), ("万", 10_000)):
            if suffix in rest:
                head, rest = rest.split(suffix, 1)
                total += _yen_group(head, key, expected, raw) * factor
        if rest:
            total += _yen_group(rest, key, expected, raw)
        return sign * total
    if unit == "pct":
        return sign * _plain_number(text.removesuffix("%"), key, expected, raw)
    if unit == "months":
        match = re.fullmatch(rf"(?:(\d+(?:\.\d+)?)年)?(?:(\d+(?:\.\d+)?)(?:{_MONTH_WORDS})?)?", text)
        if not match or not (match.group(1) or match.group(2)):
            raise IntakeError(key, f"{expected}指定してください", raw)
        years = float(match.group(1) or 0)
        months = float(match.group(2) or 0)
        if match.group(1) and match.group(2) and not re.search(f"({_MONTH_WORDS})$", text):
            raise IntakeError(key, f"{expected}指定してください", raw)
        return sign * (years * 12 + months)
    return sign * _plain_number(text.removesuffix("人").removesuffix("名"), key, expected, raw)


# A group of digits below 万 as people write it: 「3千」, 「3千5百」, 「1.5千」, 「500」, 「千」 (one thousand),
# so that 3千万 = 30,000,000, 500千円 = 500,000 and 1億2千万 = 120,000,000.
_YEN_GROUP = re.compile(r"(?:(\d*(?:\.\d+)?)千)?(?:(\d*(?:\.\d+)?)百)?(\d+(?:\.\d+)?)?")


def _yen_group(text: str, key: str, expected: str, raw: str) -> float:
    match = _YEN_GROUP.fullmatch(text)
    if not text or match is None:
        raise IntakeError(key, f"{expected}指定してください", raw)
    thousands, hundreds, ones = match.groups()
    return ((float(thousands or 1) * 1000 if thousands is not None else 0.0)
            + (float(hundreds or 1) * 100 if hundreds is not None else 0.0)
            + (float(ones) if ones else 0.0))


def _plain_number(text: str, key: str, expected: str, raw: str) -> float:
    if not re.fullmatch(r"\d+(?:\.\d+)?", text):
        raise IntakeError(key, f"{expected}指定してください", raw)
    return float(text)
