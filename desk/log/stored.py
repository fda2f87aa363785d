"""What a consultation record keeps of its sheet, and reading it back: the match and the intake.

Beside the summary the log's lists count (:func:`desk.log.records.result_summary`), a record keeps
the whole match its sheet was made from, so the sheet can be printed again as it was issued (its
date, funds, contacts and data versions), not as today's catalogue would answer. The match's
JSON (:meth:`MatchReport.to_json`, some 220 kB for a typical visitor: every fund's result, the
closed ones too, since the sheet's steps and circumstances come from them) is kept compressed,
some 30 kB. :meth:`MatchReport.from_json` reads every schema, so what an older desk kept reads
back too.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from desk.intake.reader import Intake, SalesChange
from desk.matching.answer import MatchReport, SchemaError

MAX_REPORT_BYTES = 32 * 1024 * 1024   # unpacked: a damaged or hostile blob never fills the memory
_TUPLE_FIELDS = frozenset({"purposes", "causes", "certifications", "plans", "situations"})
_MAPPING_FIELDS = frozenset({"monthly_sales", "answers"})


class StoredReportError(ValueError):
    """A kept match this desk cannot read (damaged, or from a newer desk); the message says which."""


def pack_report(report: MatchReport) -> bytes:
    text = json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"))


def unpack_report(blob: bytes) -> MatchReport:
    """The match as it was kept (raises StoredReportError)."""
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(blob, MAX_REPORT_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise StoredReportError("記録された判定結果が壊れています（途中で切れているか、大きすぎます）")
        data = json.loads(raw.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoredReportError("記録された判定結果が壊れています") from exc
    if not isinstance(data, dict):
        raise StoredReportError("記録された判定結果が壊れています")
    try:
        return MatchReport.from_json(data)
    except SchemaError as exc:
        raise StoredReportError(str(exc)) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoredReportError("記録された判定結果の項目が足りません") from exc


def intake_of_record(stored: Mapping[str, Any], *, visitor_name: str | None = None,
                     visitor_phone: str | None = None) -> Intake:
    """The intake a record keeps (without the visitor's details, :func:`records.consultation_values`)
    as an :class:`Intake` again, with the details given here. Lenient: a key this desk does not know
    (a newer desk's) is left out, and a value of the wrong shape falls back to the field's default,
    so an old record never stops a reprint."""
    values: dict[str, Any] = {}
    for item in fields(Intake):
        if item.name not in stored or item.name in ("visitor_name", "visitor_phone"):
            continue
        value = stored[item.name]
        if item.name == "sales_change":
            value = _sales_change(value)
        elif item.name in _TUPLE_FIELDS:
            value = tuple(str(v) for v in value) if isinstance(value, list) else None
            if value is None and item.name in ("plans", "situations"):
                value = ()
        elif item.name in _MAPPING_FIELDS:
            value = dict(value) if isinstance(value, dict) else {}
        elif isinstance(value, (list, dict)):
            continue
        values[item.name] = value
    return Intake(**values, visitor_name=visitor_name, visitor_phone=visitor_phone)


def _sales_change(value: Any) -> SalesChange:
    if not isinstance(value, dict):
        return SalesChange()
    known = {f.name for f in fields(SalesChange)}
    kept: dict[str, Any] = {}
    for key, figures in value.items():
        if key not in known:
            continue
        if key == "last_fy":
            kept[key] = figures if isinstance(figures, (int, float)) else None
        elif isinstance(figures, list) and len(figures) == 3:
            kept[key] = tuple(figures)
    return SalesChange(**kept)
