"""Reading an intake file (../shared/INTAKE.md) into a typed :class:`Intake`.

No key is required: a missing key is *unknown* (``None``), never zero or "no",
except the three general-condition flags, which default to ``False``. Numbers may
be written the way people type them (``"１，２００万円"``, ``"▲12.5%"``, ``"1年6か月"``).
An unknown key is a warning; a value that cannot be read raises :class:`IntakeError`
naming the key and what was expected.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from desk import vocab
from desk.intake.numbers import IntakeError as IntakeError  # the reader's error, raised from here too
from desk.intake.numbers import parse_number

MAX_INTAKE_BYTES = 1024 * 1024   # one visitor's answers are a few kB: a larger file is not an intake
# Bounds on what a hostile file can make deep or long (issue 15, items 7 and 8), each far above
# what INTAKE.md's keys need: nesting [3: the intake, sales_change, a period's list]; digits of an
# integer [a yen amount has 13] (Python refuses to print one of more than 4,300 digits, and a float
# cannot hold one of more than 308); the complete lists, answers and months [a few dozen at most];
# unknown keys named in the one warning that counts them.
MAX_INTAKE_DEPTH = 8
MAX_INTEGER_DIGITS = 20
MAX_LIST_ITEMS = 200
MAX_ANSWERS = 500
MAX_MONTHS = 600
MAX_ERRORS_NAMED = 20   # the refusals named at once: a file of 10,000 bad keys is not read 10,000 times
MAX_NUMBER = 1e15   # the largest amount, count or term read (the form's reading of a number says none above it)
PCT_RANGE = (-100, 10_000)   # a sales change read, in percent
NAMED_UNKNOWN_KEYS = 5
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
SALES_PERIODS = ("last_1m_pct", "last_3m_pct", "last_6m_pct", "next_3m_forecast_pct")
LICENCE = ("not_needed", "held", "expected")
REPAYMENT = ("equal_principal", "equal_payment", "bullet")   # 元金均等 (the default), 元利均等, 一括
FEE_OPTIONS = tuple(vocab.FEE_OPTIONS)   # what each one is: vocab.FEE_OPTIONS
FOUNDING_FORMS = ("sole_proprietor", "corporation")
SALES_BASES = ("sales", "gross_profit")


@dataclass(frozen=True)
class SalesChange:
    """Percent changes, negative = decline; each comparison list holds years 1, 2, 3 earlier."""

    last_1m: tuple[float | None, float | None, float | None] = (None, None, None)
    last_3m: tuple[float | None, float | None, float | None] = (None, None, None)
    last_6m: tuple[float | None, float | None, float | None] = (None, None, None)
    next_3m_forecast: tuple[float | None, float | None, float | None] = (None, None, None)
    last_fy: float | None = None

    def period(self, name: str) -> tuple[float | None, ...]:
        if name == "last_fy":
            # The latest fiscal year against whichever of the three before declines most.
            return (self.last_fy, self.last_fy, self.last_fy)
        values: tuple[float | None, ...] = getattr(self, name)
        return values


@dataclass(frozen=True)
class Intake:
    business_name: str | None = None
    visitor_name: str | None = None
    visitor_phone: str | None = None
    entity: str | None = None
    founding_form: str | None = None
    months_until_start: float | None = None
    industry: str | None = None
    capital_yen: int | None = None
    employees: float | None = None
    prefecture: str | None = None   # None: not stated (the postal code's, else the home prefecture)
    municipality: str | None = None
    postal_code: str | None = None
    months_in_business: float | None = None
    months_in_kanagawa: float | None = None
    licence: str | None = None
    licence_months: float | None = None
    purposes: tuple[str, ...] | None = None
    amount_yen: int | None = None
    term_months: int | None = None
    grace_months: int | None = None            # the grace wanted before the first principal; None: 0
    repayment: str | None = None               # REPAYMENT; None: equal_principal
    fee_options: tuple[str, ...] = ()          # FEE_OPTIONS the visitor is weighing
    sales_change: SalesChange = field(default_factory=SalesChange)
    monthly_sales: dict[str, int] = field(default_factory=dict)
    sales_basis: str | None = None
    causes: tuple[str, ...] | None = None
    certifications: tuple[str, ...] | None = None
    # Complete lists (INTAKE.md): what is not in them is not held and does not apply.
    plans: tuple[str, ...] = ()
    situations: tuple[str, ...] = ()
    guaranteed_balance_yen: int | None = None
    has_eased_conditions: bool | None = None
    tax_arrears: bool = False
    bank_suspension: bool = False
    subrogation_debt: bool = False
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def is_founder(self) -> bool:
        return self.entity == "prospective_founder"


KNOWN_KEYS = frozenset(f.name for f in fields(Intake))


@dataclass(frozen=True)
class ReadIntake:
    intake: Intake
    warnings: list[str]
    raw: dict[str, Any] = field(default_factory=dict)  # the object as read (the form loads it as typed)


# --- the reader ---------------------------------------------------------------------------------

def read_intake_file(path: str | Path) -> ReadIntake:
    """Read an intake JSON file; every problem raises IntakeError naming the key or the line."""
    from desk.fileio import FileRefused, read_regular_file

    path = Path(path)
    try:
        raw = read_regular_file(path, limit=MAX_INTAKE_BYTES)
    except FileRefused as exc:
        raise IntakeError("(file)", exc.reason) from exc
    except OSError as exc:
        raise IntakeError("(file)", f"ファイルを開けません（{exc.strerror}）") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IntakeError("(file)", "UTF-8 の JSON ファイルを指定してください") from exc
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise IntakeError(f"(line {exc.lineno})", f"JSON として読めません（{exc.msg}）") from exc
    except RecursionError as exc:   # json's own limit, far past ours: [[[[… 100,000 deep
        raise IntakeError("(top)", f"入れ子が深すぎます（上限 {MAX_INTAKE_DEPTH} 段）") from exc
    if not isinstance(data, dict):
        return read_intake(data)   # refused as a whole
    read, errors = read_all(data)
    if len(errors) == 1:
        raise errors[0]
    if errors:   # a file edited by hand: every mistake named at once, not one per run
        raise IntakeErrors(errors)
    return read


def refusal_of_file(name: str, refused: IntakeError) -> str:
    """What a refused file's reader says, a line for each value, each naming the file."""
    return "\n".join(f"{name}: {line}" for line in str(refused).splitlines())


class IntakeErrors(IntakeError):
    """Several values of one intake the reader refuses; ``key`` and ``message`` are the first's,
    the text a line for each (and a last line when the reader stopped naming them)."""

    def __init__(self, errors: list[IntakeError]):
        self.errors = errors
        self.key, self.message = errors[0].key, errors[0].message
        lines = [str(error) for error in errors]
        if len(errors) >= MAX_ERRORS_NAMED:
            lines.append(f"（誤りが多いため、最初の {MAX_ERRORS_NAMED} 件だけを挙げました）")
        ValueError.__init__(self, "\n".join(lines))


class _LongInteger:
    """An integer written with more digits than any field takes: kept as its digit count so the
    check of the document names its field (int() of 5,000 digits is a ValueError with no key)."""

    def __init__(self, digits: int):
        self.digits = digits


def _json_int(text: str) -> int | _LongInteger:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_INTEGER_DIGITS else _LongInteger(digits)


def _check_document(data: dict[str, Any]) -> None:
    """Depth, integers and characters anywhere in the document, before any field is read: a
    refusal names the field instead of a RecursionError, an OverflowError or a UnicodeEncodeError
    when the answer is printed or written. A walk without recursion, so depth cannot break it, in
    the document's order (a file's refusals are named from its first line down)."""
    stack: list[tuple[Any, str, int]] = [(value, _key_name(key), 2) for key, value in reversed(data.items())]
    for key in data:
        _check_text(str(key), _key_name(key))
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_INTAKE_DEPTH:
                raise IntakeError(where, f"入れ子が深すぎます（上限 {MAX_INTAKE_DEPTH} 段）")
            items: Iterable[tuple[Any, Any]] = value.items() if isinstance(value, dict) else enumerate(value)
            inside = []
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key, where)
                inner = f"{where}.{_key_name(key)}" if isinstance(key, str) else f"{where}[{key}]"
                inside.append((item, inner if len(inner) <= 80 else where, depth + 1))
            stack.extend(reversed(inside))   # popped from the end: the first inside comes next
        elif isinstance(value, _LongInteger):
            raise IntakeError(where, f"数値の桁が多すぎます（{value.digits:,} 桁）")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** MAX_INTEGER_DIGITS:
            raise IntakeError(where, f"数値の桁が多すぎます（上限 {MAX_INTEGER_DIGITS} 桁）")
        elif isinstance(value, str):
            _check_text(value, where)


def _key_name(key: Any) -> str:
    """A key as a message names it: an empty one said so, a long one cut, control characters
    (a terminal's escape sequences, line breaks) and lone surrogates escaped as repr() does."""
    text = str(key)
    if not text.strip():
        return "(空のキー)"
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= 40 else text[:39] + "…"


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        where = where.encode("utf-8", "backslashreplace").decode("utf-8")   # the key itself may hold it
        raise IntakeError(where, f"文字として読めない符号（U+{code:04X}、対のないサロゲート）があります") from None


def _unknown_keys_warning(unknown: list[str]) -> str:
    """One warning however many keys (a line each made `desk referral` lay out thousands)."""
    def shown(key: str) -> str:
        return repr(key if len(key) <= 30 else key[:29] + "…")
    if len(unknown) == 1:
        return f"未知のキー {shown(unknown[0])} は無視しました"
    named = ", ".join(shown(k) for k in unknown[:NAMED_UNKNOWN_KEYS])
    more = f" ほか {len(unknown) - NAMED_UNKNOWN_KEYS:,} 個" if len(unknown) > NAMED_UNKNOWN_KEYS else ""
    return f"未知のキー {len(unknown):,} 個は無視しました: {named}{more}"


def read_intake(data: Any) -> ReadIntake:
    if not isinstance(data, dict):
        raise IntakeError("(top)", "JSON のオブジェクト（{…}）でなければなりません")
    _check_document(data)
    unknown = [str(k) for k in data if k not in KNOWN_KEYS]
    warnings = [_unknown_keys_warning(unknown)] if unknown else []
    get = {k: v for k, v in data.items() if k in KNOWN_KEYS and v is not None}
    values: dict[str, Any] = {}
    for key in ("business_name", "visitor_name", "visitor_phone", "postal_code"):
        if key in get:
            values[key] = _text(get[key], key)
    for key, choices in (("entity", vocab.ENTITIES), ("industry", vocab.INDUSTRIES),
                         ("founding_form", FOUNDING_FORMS), ("licence", LICENCE), ("sales_basis", SALES_BASES),
                         ("repayment", REPAYMENT)):
        if key in get:
            values[key] = _choice(get[key], key, tuple(choices))
    if "prefecture" in get:
        values["prefecture"] = unicodedata.normalize("NFKC", _text(get["prefecture"], "prefecture"))
    if "municipality" in get:
        values["municipality"] = unicodedata.normalize("NFKC", _text(get["municipality"], "municipality"))
    for key, unit in (("months_until_start", "months"), ("months_in_business", "months"),
                      ("months_in_kanagawa", "months"), ("licence_months", "months"), ("employees", "count")):
        if key in get:
            values[key] = _non_negative(parse_number(get[key], key, unit=unit), key, get[key])
    for key in ("capital_yen", "amount_yen", "guaranteed_balance_yen"):
        if key in get:
            values[key] = round(_non_negative(parse_number(get[key], key, unit="yen"), key, get[key]))
    if "term_months" in get:
        stated_term = get["term_months"]
        term = _non_negative(parse_number(stated_term, "term_months", unit="months"), "term_months", stated_term)
        if term == 0 or term != int(term):
            raise IntakeError("term_months", "融資期間は1以上の整数の月数で指定してください", get["term_months"])
        values["term_months"] = int(term)
    if "grace_months" in get:
        stated = get["grace_months"]
        grace = _non_negative(parse_number(stated, "grace_months", unit="months"), "grace_months", stated)
        if grace != int(grace):
            raise IntakeError("grace_months", "据置期間は整数の月数で指定してください", stated)
        values["grace_months"] = int(grace)
    if "fee_options" in get:
        values["fee_options"] = _code_list(get["fee_options"], "fee_options", FEE_OPTIONS)
    for key, choices in (("purposes", vocab.PURPOSES), ("causes", vocab.CAUSES),
                         ("certifications", vocab.CERTIFICATIONS)):
        if key in get:
            values[key] = _code_list(get[key], key, tuple(choices))
    for key in ("plans", "situations"):   # ids a pack may declare: the service warns of unknown ones
        if key in get and get[key] is not None:
            values[key] = _code_list(get[key], key, None)
    for key in ("has_eased_conditions", "tax_arrears", "bank_suspension", "subrogation_debt"):
        if key in get:
            if not isinstance(get[key], bool):
                raise IntakeError(key, "true か false で指定してください", get[key])
            values[key] = get[key]
    if "sales_change" in get:
        values["sales_change"] = _sales_change(get["sales_change"])
    if "monthly_sales" in get:
        values["monthly_sales"] = _monthly_sales(get["monthly_sales"])
    if "answers" in get:
        if not isinstance(get["answers"], dict):
            raise IntakeError("answers", "{質問id: 回答} のオブジェクトで指定してください", get["answers"])
        if len(get["answers"]) > MAX_ANSWERS:
            raise IntakeError("answers", f"回答が多すぎます（{len(get['answers']):,} 個、上限 {MAX_ANSWERS} 個）")
        values["answers"] = dict(get["answers"])
    return ReadIntake(Intake(**values), warnings, dict(data))


def read_all(data: dict[str, Any]) -> tuple[ReadIntake, list[IntakeError]]:
    """The intake without the values the reader refuses, and every refusal, each naming its key.

    :func:`read_intake` stops at the first value it cannot read; the form names them all, so a
    clerk with three fields in error (on three steps) hears of three at once, not one after
    another. Read again without each refused value until the rest reads: a refusal a key.
    """
    errors: list[IntakeError] = []
    rest = dict(data)
    while True:
        try:
            return read_intake(rest), errors
        except IntakeError as exc:
            errors.append(exc)
            # The document as a whole (its top): nothing left to read; past MAX_ERRORS_NAMED, a
            # hostile file's keys are not read again one by one.
            if len(errors) >= MAX_ERRORS_NAMED or not _drop(rest, exc.key):
                return read_intake({}), errors


def _drop(data: dict[str, Any], key: str) -> bool:
    """Take the value ``key`` names out of ``data`` (a nested key out of a copy of its object; an
    item of a list with its list); whether there was one."""
    base = key.split("[")[0]
    if base in data:
        del data[base]
        return True
    outer, _, inner = base.partition(".")
    if outer not in data:
        return False
    if isinstance(data[outer], dict) and inner in data[outer]:
        data[outer] = {k: v for k, v in data[outer].items() if k != inner}
    else:   # a key deeper down, or one the object's own check named: the whole object
        del data[outer]
    return True


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise IntakeError(key, "文字列で指定してください", value)
    if len(value) > 500:
        raise IntakeError(key, "500文字以内で指定してください")
    return value.strip()


def _choice(value: Any, key: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise IntakeError(key, f"次のいずれかを指定してください: {', '.join(choices)}", value)
    return str(value)


def _code_list(value: Any, key: str, choices: tuple[str, ...] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise IntakeError(key, "文字列のリストで指定してください", value)
    if len(value) > MAX_LIST_ITEMS:
        raise IntakeError(key, f"項目が多すぎます（{len(value):,} 個、上限 {MAX_LIST_ITEMS} 個）")
    if choices is not None:
        unknown = [v for v in value if v not in choices]
        if unknown:
            named = ", ".join(_key_name(v) for v in unknown[:5])
            named += f" ほか {len(unknown) - 5} 個" if len(unknown) > 5 else ""
            raise IntakeError(key, f"未知の値 {named}（使えるもの: {', '.join(choices)}）")
    return tuple(dict.fromkeys(value))


def _non_negative(number: float, key: str, raw: Any) -> float:
    if number < 0:
        raise IntakeError(key, "0以上の値を指定してください", raw)
    if number > MAX_NUMBER:
        raise IntakeError(key, "値が大きすぎます", raw)
    return int(number) if number == int(number) else number


def _pct(value: Any, key: str) -> float | None:
    if value is None:
        return None
    number = parse_number(value, key, unit="pct")
    if not PCT_RANGE[0] <= number <= PCT_RANGE[1]:
        raise IntakeError(key, "増減率は -100% 以上で指定してください", value)
    return number


def _years(value: Any, key: str) -> tuple[float | None, float | None, float | None]:
    if isinstance(value, list):
        if len(value) > 3:
            raise IntakeError(key, "1年前・2年前・3年前の比較を最大3つのリストで指定してください", value)
        items = [_pct(v, f"{key}[{i}]") for i, v in enumerate(value)] + [None, None, None]
        return (items[0], items[1], items[2])
    return (_pct(value, key), None, None)


def _sales_change(value: Any) -> SalesChange:
    if not isinstance(value, dict):
        raise IntakeError("sales_change", "オブジェクト（{\"last_3m_pct\": -12.5, …}）で指定してください", value)
    unknown = set(value) - {*SALES_PERIODS, "last_fy_pct"}
    if unknown:
        raise IntakeError("sales_change", f"未知のキー {', '.join(sorted(unknown))}（使えるもの: "
                                          f"{', '.join((*SALES_PERIODS, 'last_fy_pct'))}）")
    return SalesChange(
        last_1m=_years(value.get("last_1m_pct"), "sales_change.last_1m_pct"),
        last_3m=_years(value.get("last_3m_pct"), "sales_change.last_3m_pct"),
        last_6m=_years(value.get("last_6m_pct"), "sales_change.last_6m_pct"),
        next_3m_forecast=_years(value.get("next_3m_forecast_pct"), "sales_change.next_3m_forecast_pct"),
        last_fy=_pct(value.get("last_fy_pct"), "sales_change.last_fy_pct"),
    )


def _monthly_sales(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise IntakeError("monthly_sales", "{\"2026-10\": 8200000, …} のオブジェクトで指定してください", value)
    if len(value) > MAX_MONTHS:
        raise IntakeError("monthly_sales", f"月が多すぎます（{len(value):,} か月、上限 {MAX_MONTHS} か月）")
    out = {}
    for month, amount in value.items():
        match = _MONTH_RE.match(unicodedata.normalize("NFKC", str(month)))
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise IntakeError(f"monthly_sales.{_key_name(month)}", "月は YYYY-MM の形で指定してください")
        key = f"monthly_sales.{month}"
        out[match.group(0)] = round(_non_negative(parse_number(amount, key, unit="yen"), key, amount))
    return dict(sorted(out.items()))
