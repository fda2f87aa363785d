"""What a record of a `desk log export` file must be before `desk log import` adds it.

The file's checksum says only that it was not cut or changed by accident: anyone can write
a file with a right checksum. Each record is checked against what desk itself writes
(desk.log.records.consultation_values), so that nothing the log window, the search and the
reprint read can make them fail later: a year-9999 time (its Japanese date overflowed), a
``result`` that is not an object, ``causes`` that are not a list of codes, two records with
one reference number. No SQLAlchemy here: plain values in, a problem naming the record out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

# Records are from desk's years; a bound keeps every date arithmetic (JST, retention) in range.
FIRST_YEAR, LAST_YEAR = 2000, 2199
MAX_TEXT = 2_000           # a name, a phone, a window's name
MAX_CODES = 1_000          # causes, funds, contacts, warnings in one record
MAX_INTAKE_DEPTH = 8       # the intake desk stores is two levels deep (sales_change, answers)
_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_REFERENCE = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,31}")
_TEXT = ("window_name", "staff_name", "business_name", "visitor_name", "visitor_phone")
_CODE_LISTS_IN_RESULT = ("eligible", "conditional", "contacts", "warnings")


class RecordProblem(ValueError):
    """The first thing wrong with a record, in Japanese, naming the field."""


def check_record(record: dict[str, Any]) -> None:
    """Raise RecordProblem for a record desk would not have written."""
    if not isinstance(record.get("id"), str) or not _ID.fullmatch(record["id"]):
        raise RecordProblem("id が UUID ではありません")
    if not isinstance(record.get("reference_no"), str) or not _REFERENCE.fullmatch(record["reference_no"]):
        raise RecordProblem("reference_no（受付番号）の形式が正しくありません")
    created_at(record)
    evaluated_on(record)
    device = record.get("device_id")
    if not isinstance(device, str) or not 0 < len(device) <= 36:
        raise RecordProblem("device_id が正しくありません")
    for name in _TEXT:
        _text(name, record.get(name), MAX_TEXT)
    _text("industry", record.get("industry"), 32)
    _text("municipality", record.get("municipality"), 64)
    _codes("causes", record.get("causes"))
    if not isinstance(record.get("intake"), dict) or _depth(record["intake"]) > MAX_INTAKE_DEPTH:
        raise RecordProblem(f"intake が {MAX_INTAKE_DEPTH} 段までのオブジェクトではありません")
    _result(record.get("result"))
    versions = record.get("pack_versions")
    if not isinstance(versions, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) <= 200 and len(v) <= 200 for k, v in versions.items()):
        raise RecordProblem("pack_versions が「パックの id: 版」の対応ではありません")


def check_follow_up(value: object) -> None:
    """Raise RecordProblem for a record's follow-up desk would not have written."""
    from desk import vocab

    if not isinstance(value, dict) or set(value) != {"status", "day", "recorded_at"}:
        raise RecordProblem("follow_up が「status・day・recorded_at」のオブジェクトではありません")
    if value["status"] is None:   # cleared: no day goes with it
        if value["day"] is not None:
            raise RecordProblem("follow_up.status のない（消された）その後に day があります")
    elif value["status"] not in vocab.FOLLOW_UPS:
        raise RecordProblem(f"follow_up.status が {'・'.join(vocab.FOLLOW_UPS)}・null のどれでもありません")
    if value["day"] is not None:
        _dated("follow_up.day", value["day"], dt.date.fromisoformat, "日付", 10)
    follow_up_recorded_at(value)


def follow_up_recorded_at(value: dict[str, Any]) -> dt.datetime:
    """When a follow-up was recorded, in UTC (a time without a zone is refused: it cannot be compared)."""
    when = _dated("follow_up.recorded_at", value.get("recorded_at"), dt.datetime.fromisoformat, "日時", 40)
    if when.tzinfo is None:
        raise RecordProblem("follow_up.recorded_at に時差（+09:00 など）がありません")
    return when.astimezone(dt.UTC)


def created_at(record: dict[str, Any]) -> dt.datetime:
    return _dated("created_at", record.get("created_at"), dt.datetime.fromisoformat, "日時", 40)


def evaluated_on(record: dict[str, Any]) -> dt.date:
    return _dated("evaluated_on", record.get("evaluated_on"), dt.date.fromisoformat, "日付", 20)


When = TypeVar("When", bound=dt.date)


def _dated(name: str, value: object, parse: Callable[[str], When], kind: str, longest: int) -> When:
    """A date or a moment written as ISO text, in desk's years (RecordProblem naming ``name``)."""
    if not isinstance(value, str) or len(value) > longest:
        raise RecordProblem(f"{name} が{kind}の文字列ではありません")
    try:
        when = parse(value)
    except ValueError:
        raise RecordProblem(f"{name} {value!r} が{kind}として読めません") from None
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise RecordProblem(f"{name} の年 {when.year} が {FIRST_YEAR}〜{LAST_YEAR} 年の外です")
    return when


def _text(name: str, value: object, limit: int) -> None:
    if value is not None and not (isinstance(value, str) and len(value) <= limit):
        raise RecordProblem(f"{name} が {limit} 文字までの文字列ではありません")


def _codes(name: str, value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_CODES or not all(
            isinstance(code, str) and len(code) <= MAX_TEXT for code in value):
        raise RecordProblem(f"{name} が文字列の並び（{MAX_CODES} 個まで）ではありません")


def _depth(value: object) -> int:
    # Iterative: a record nested deeper than Python's recursion limit must not end in a RecursionError.
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        deepest = max(deepest, level)
        if level > MAX_INTAKE_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        todo.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _result(value: object) -> None:
    if not isinstance(value, dict):
        raise RecordProblem("result がオブジェクトではありません")
    programs = value.get("programs", {})
    if not isinstance(programs, dict) or len(programs) > MAX_CODES or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in programs.items()):
        raise RecordProblem("result.programs が「制度の id: 判定」の対応ではありません")
    for key in _CODE_LISTS_IN_RESULT:
        if key in value:
            _codes(f"result.{key}", value[key])
