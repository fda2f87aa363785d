"""Formatting amounts, rates and terms the way Japanese loan guides write them,
and plain-text tables that line up with full-width characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any


def yen(amount: int | None) -> str:
    """8000万円, 1億6,000万円, 500万円, 12,345円; '—' when unknown."""
    if amount is None:
        return "—"
    if amount < 0:   # floor division would make -500万円 「-1億9,500万円」
        return "-" + yen(-amount)
    if amount == 0 or amount % 10_000:
        return f"{amount:,}円"
    man = amount // 10_000
    oku, rest = divmod(man, 10_000)
    if oku and rest:
        return f"{oku}億{rest:,}万円"
    if oku:
        return f"{oku}億円"
    return f"{man:,}万円"


def pct(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.3f}".rstrip("0")
    return (text + "0" if text.endswith(".") else text) + "%"


def pct_range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "—"
    if low == high or high is None:
        return pct(low)
    return f"{pct(low).rstrip('%')}〜{pct(high)}"


def distance(km: float | None) -> str:
    """How far a contact is, as the visitor reads it: 約3.4km, 約12km, 1km以内; "" when unknown.
    It is measured from the municipality's own point (its office), not from the visitor's door, so
    an office there reads 「1km以内」, not a precise-looking 「約0.0km」."""
    if km is None:
        return ""
    if km < 1:
        return "1km以内"
    tenths = round(km, 1)
    return f"約{tenths}km" if tenths < 10 else f"約{round(km)}km"


def months(value: int | None) -> str:
    """60 → 5年, 18 → 1年6か月, 6 → 6か月."""
    if value is None:
        return "—"
    years, rest = divmod(value, 12)
    if years and rest:
        return f"{years}年{rest}か月"
    return f"{years}年" if years else f"{rest}か月"


def rate_tiers(tiers: Sequence[Mapping[str, Any]], kind: str | None = None) -> str:
    """Rate tiers given as ``{"max_months", "rate_pct"}`` rows (the catalogue's listings)."""
    return tier_text([(tier["max_months"], tier["rate_pct"]) for tier in tiers], kind)


def tier_text(tiers: Sequence[tuple[int | None, float | None]], kind: str | None = None) -> str:
    """(max_months, rate_pct) tiers: 「2年以内 1.5%以内 / 2年超 1.8%以内」; one tier is its rate alone."""
    if not tiers:
        return "金融機関所定" if kind == "bank_defined" else "—"
    parts: list[str] = []
    lower: int | None = None
    for upper, rate_pct in tiers:
        rate = "金融機関所定" if rate_pct is None else f"{pct(rate_pct)}以内"
        if len(tiers) == 1:
            parts.append(rate)
        elif upper is None:
            parts.append(f"{months(lower)}超 {rate}")
        elif lower is None:
            parts.append(f"{months(upper)}以内 {rate}")
        else:
            parts.append(f"{months(lower)}超{months(upper)}以内 {rate}")
        lower = upper
    return " / ".join(parts)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# What a terminal would obey rather than show: C0 controls but the tab and the newline (ESC starts
# the sequences that retitle the window or clear the screen), DEL, the C1 controls (U+009B is a
# one-character CSI), the bidi and line-separator format characters that reorder or break what
# follows, and lone surrogates (which cannot even be encoded to print).
_UNSAFE_CHARS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
_unsafe: re.Pattern[str] | None = None


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on written as ``\\uXXXX``: visible
    in plain text, and the same character's own escape inside a JSON string, so ``--json``
    output stays exact. Idempotent. desk.cli.terminal passes everything the CLI prints through it."""
    global _unsafe
    if _unsafe is None:   # compiled on first use: most runs of the app print nothing
        _unsafe = re.compile(_UNSAFE_CHARS)
    return _unsafe.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40) -> str:
    """A plain-text table whose columns line up in a terminal with CJK text (a cell's controls
    made visible first, so that its width is the width shown)."""
    def clip(cell: str) -> str:
        cell = terminal_safe(" ".join(str(cell).split()))
        if display_width(cell) <= max_width:
            return cell
        out = ""
        for ch in cell:
            if display_width(out + ch) > max_width - 1:
                break
            out += ch
        return out + "…"

    cells = [[clip(c) for c in headers]] + [[clip(c) for c in row] for row in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    rule = "  ".join("─" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape_html(text: str) -> str:
    """``text`` for Qt's rich text, as html.escape gives it (importing html costs the
    app's start 1.5 ms: its entity table, which nothing here needs)."""
    return text.translate(_HTML_ESCAPES)


# What a spreadsheet may take as the start of a formula, once it has skipped the blanks before it:
# = + - @ and their full-width forms, which Excel on a Japanese IME reads as the ASCII ones.
FORMULA_STARTS = frozenset("=+-@＝＋－＠﹦﹢﹣﹫\u2212")


def csv_safe(value: Any) -> Any:
    """A text cell that would run as a formula in Excel or LibreOffice, kept as text with a leading
    quote (OWASP's advice): one starting with = + - @ (half or full width), also after spaces,
    and one starting with a tab or a carriage return (which some readers skip)."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "\t\r" or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value
