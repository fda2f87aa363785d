"""The validator: a parsed pack in, a :class:`PackData` of normalised plain dicts out
(every key present, in the declared order, defaults filled, variants resolved against
their program), or :class:`PackInvalid` listing every problem with its file, line and record.

Field by field against the declarations in ``desk.db.packs.schema``; the rules across
fields and records are ``desk.db.packs.crosschecks``. Admin edits go through
:func:`validate_fields`, so an edit is held to exactly what a pack would be.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from desk.db.packs.crosschecks import cross_checks
from desk.db.packs.limits import (
    MAX_CONDITION_CHECKS,
    MAX_CONDITION_DEPTH,
    MAX_INTEGER,
    MAX_NUMBER,
    MAX_TEXT_CHARS,
)
from desk.db.packs.schema import (
    FORMAT,
    PROGRAM_OWN,
    RECORDS,
    SECTIONS,
    SOURCE,
    VARIANT_FIELDS,
    Field,
    PackData,
    PackInvalid,
    PackProblem,
)
from desk.db.packs.yamlio import LineDict
from desk.rules.registry import param_problems

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
PHONE_RE = re.compile(r"^[0-9][0-9-]{5,15}[0-9]$")
POSTAL_RE = re.compile(r"^([0-9]{3})-?([0-9]{4})$")


class _Validator:
    """Collects the problems of one file while turning its records into plain dicts."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[PackProblem] = []

    def problem(self, node: Any, where: str, message: str, line: int | None = None) -> None:
        if line is None:
            line = getattr(node, "line", None)
        self.problems.append(PackProblem(self.file, line, where, message))

    # --- records -----------------------------------------------------------------
    def record(self, kind: str, raw: Any, where: str, fields: tuple[Field, ...] | None = None,
               parent_line: int | None = None) -> dict[str, Any] | None:
        fields = fields or RECORDS[kind]
        if not isinstance(raw, dict):
            self.problem(raw, where, "対応表（key: value の並び）でなければなりません", parent_line)
            return None
        line = getattr(raw, "line", parent_line)
        known = {f.name for f in fields}
        for key in raw:
            if key not in known:
                self.problem(raw, where, f"未知のキー '{key}'（使えるもの: {', '.join(f.name for f in fields)}）", line)
        out: dict[str, Any] = {}
        for f in fields:
            if f.name not in raw or raw[f.name] is None:
                if f.required:
                    self.problem(raw, where, f"'{f.name}' がありません", line)
                out[f.name] = self._default(f)
                continue
            out[f.name] = self.value(f, raw[f.name], f"{where}.{f.name}", line)
        return out

    @staticmethod
    def _default(f: Field) -> Any:
        if (f.type.startswith("list") and not f.type.endswith("?")) or f.type == "conditions":
            return []
        if f.type == "intmap":
            return {}
        if f.type == "source":
            return {"file": None, "section": None}
        if f.type.startswith("record:"):
            return None
        return f.default

    def value(self, f: Field, value: Any, where: str, line: int | None) -> Any:
        t = f.type.rstrip("?")

        def bad(message: str) -> None:
            self.problem(value, where, message, line)
        if t == "id":
            if not isinstance(value, str) or not ID_RE.match(value):
                return bad(f"id は半角英小文字・数字・. _ - でなければなりません: {value!r}")
            return value
        if t == "str":
            if not isinstance(value, str) or not value.strip():
                return bad(f"空でない文字列でなければなりません: {_shown(value)}")
            if len(value) > MAX_TEXT_CHARS:
                return bad(f"文字列が長すぎます（{len(value):,} 文字、上限 {MAX_TEXT_CHARS:,} 文字）")
            return value.strip("\n") if "\n" in value else value.strip()
        if t == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                return bad(f"0以上の整数でなければなりません: {_shown(value)}")
            if value > MAX_INTEGER:
                return bad(f"値が大きすぎます（上限 {MAX_INTEGER:,}）: {_shown(value)}")
            return value
        if t == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return bad(f"数値でなければなりません: {_shown(value)}")
            if message := _number_problem(value):
                return bad(message)
            return float(value)
        if t == "bool":
            if not isinstance(value, bool):
                return bad(f"true か false でなければなりません: {value!r}")
            return value
        if t == "answer":   # what a question's answer can be: yes or no, or a figure
            if not isinstance(value, (bool, int, float)):
                return bad(f"true・false か数値でなければなりません: {_shown(value)}")
            if not isinstance(value, bool) and (message := _number_problem(value)):
                return bad(message)
            return value
        if t == "date":
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                return bad(f"日付（2026-04-01 の形）でなければなりません: {value!r}")
            return value
        if t == "phone":
            if not isinstance(value, str) or not PHONE_RE.match(value):
                return bad(f"電話番号は半角数字とハイフンで書いてください: {value!r}")
            return value
        if t == "postal":
            match = POSTAL_RE.match(value) if isinstance(value, str) else None
            if not match:
                return bad(f"郵便番号は7桁の数字（2380008 か 238-0008）を引用符で囲んで書いてください: {value!r}")
            return match.group(1) + match.group(2)
        if t == "choice":
            if value not in (f.choices or ()):
                return bad(f"'{value}' は使えません（使えるもの: {', '.join(f.choices or ())}）")
            return value
        if t == "list[str]":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                return bad("文字列のリストでなければなりません")
            if any(len(v) > MAX_TEXT_CHARS for v in value):
                return bad(f"文字列が長すぎます（上限 {MAX_TEXT_CHARS:,} 文字）")
            return [v.strip() for v in value]
        if t == "list[choice]":
            if not isinstance(value, list):
                return bad("リストでなければなりません")
            unknown = [v for v in value if v not in (f.choices or ())]
            if unknown:
                return bad(f"未知の値 {unknown}（使えるもの: {', '.join(f.choices or ())}）")
            return list(value)
        if t == "intmap":
            if not isinstance(value, dict) or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_INTEGER for v in value.values()):
                return bad(f"名前: 整数（0〜{MAX_INTEGER:,}）の対応表でなければなりません")
            return dict(value)
        if t == "source":
            return self.record("source", value, where, SOURCE, line) or {"file": None, "section": None}
        if t.startswith("record:"):
            return self.record(t.split(":", 1)[1], value, where, parent_line=line)
        if t.startswith("list:"):
            kind = t.split(":", 1)[1]
            if not isinstance(value, list):
                return bad("リストでなければなりません")
            items = []
            for i, item in enumerate(value):
                rec = self.record(kind, item, f"{where}[{i}]", parent_line=line)
                if rec is not None:
                    items.append(rec)
            return items
        if t == "rawlist":
            return value if isinstance(value, list) else bad("リストでなければなりません")
        if t == "conditions":
            if not isinstance(value, list):
                return bad("条件のリストでなければなりません")
            out = [self.condition_tree(c, f"{where}[{i}]", line) for i, c in enumerate(value)]
            return [c for c in out if c is not None]
        if t == "condition":
            return self.condition_tree(value, where, line)
        raise AssertionError(f"unknown field type {f.type}")

    def condition_tree(self, raw: Any, where: str, parent_line: int | None) -> dict[str, Any] | None:
        """One condition, refused whole when deeper or larger than the engine and the cache are
        made for (desk.db.packs.limits), before anything walks it recursively."""
        depth, checks = _tree_size(raw)
        line = getattr(raw, "line", parent_line)
        if depth > MAX_CONDITION_DEPTH:
            self.problem(raw, where, f"条件の入れ子（any_of / all_of）が深すぎます（{depth} 段、上限 "
                                     f"{MAX_CONDITION_DEPTH} 段）", line)
            return None
        if checks > MAX_CONDITION_CHECKS:
            self.problem(raw, where, f"一つの条件に含まれる check が多すぎます（{checks:,} 個、上限 "
                                     f"{MAX_CONDITION_CHECKS} 個）", line)
            return None
        return self.condition(raw, where, parent_line)

    def condition(self, raw: Any, where: str, parent_line: int | None) -> dict[str, Any] | None:
        line = getattr(raw, "line", parent_line)
        if not isinstance(raw, dict):
            self.problem(raw, where, "条件は対応表でなければなりません", line)
            return None
        forms = [k for k in ("check", "any_of", "all_of") if k in raw]
        extra = set(raw) - {"check", "params", "any_of", "all_of", "text", "label"}
        if extra:
            allowed = "check, params, any_of, all_of, text, label"
            self.problem(raw, where, f"条件に未知のキー {sorted(extra)}（使えるもの: {allowed}）", line)
        if len(forms) != 1:
            self.problem(raw, where, "条件には check, any_of, all_of のどれか一つを書いてください", line)
            return None
        text = raw.get("text")
        label = raw.get("label")
        for key, val in (("text", text), ("label", label)):
            if val is not None and not (isinstance(val, str) and val.strip()):
                self.problem(raw, where, f"{key} は空でない文字列でなければなりません", line)
            elif isinstance(val, str) and len(val) > MAX_TEXT_CHARS:
                self.problem(raw, where, f"{key} が長すぎます（{len(val):,} 文字、上限 {MAX_TEXT_CHARS:,} 文字）", line)
        # Reported above when not text (text: .inf was an AttributeError): not carried on.
        text = text if isinstance(text, str) else None
        label = label if isinstance(label, str) else None
        out: dict[str, Any] = {}
        if forms[0] == "check":
            name = raw["check"]
            params = raw.get("params") or {}
            for message in param_problems(str(name), params):
                self.problem(raw, where, message, line)
            for message in _param_number_problems(params):
                self.problem(raw, where, f"params: {message}", line)
            out = {"check": name, "params": _plain(params)}
        else:
            if "params" in raw:
                self.problem(raw, where, "params は check と一緒にだけ書けます", line)
            items = raw[forms[0]]
            if not isinstance(items, list) or not items:
                self.problem(raw, where, f"{forms[0]} は空でない条件のリストでなければなりません", line)
                return None
            children = [self.condition(c, f"{where}.{forms[0]}[{i}]", line) for i, c in enumerate(items)]
            out = {forms[0]: [c for c in children if c is not None]}
        if label:
            out["label"] = label.strip()
        if text:
            out["text"] = text.strip("\n") if "\n" in text else text.strip()
        return out


def _shown(value: Any) -> str:
    """A value in a message, cut short (a message quoting a 2 MB string is no message)."""
    if isinstance(value, int) and value.bit_length() > 200:   # repr() of a huge integer is slow, then cut
        return f"{value.bit_length()} ビットの整数"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _number_problem(value: int | float) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return f"有限の数値でなければなりません（.inf や .nan は使えません）: {value!r}"
    if abs(value) > MAX_NUMBER:
        return f"値が大きすぎます（上限 {MAX_NUMBER:,.0f}）: {_shown(value)}"
    return None


def _param_number_problems(params: Any) -> list[str]:
    """Numbers anywhere in a check's params (free-form ones included) finite and in range; the
    depth is already bounded by the YAML reader, so the walk's own recursion is too."""
    if isinstance(params, dict):
        return [p for v in params.values() for p in _param_number_problems(v)]
    if isinstance(params, list):
        return [p for v in params for p in _param_number_problems(v)]
    if isinstance(params, (int, float)) and not isinstance(params, bool):
        if isinstance(params, int) and abs(params) > MAX_INTEGER:
            return [f"値が大きすぎます（上限 {MAX_INTEGER:,}）: {_shown(params)}"]
        if isinstance(params, float) and (message := _number_problem(params)):
            return [message]
    return []


def _tree_size(raw: Any) -> tuple[int, int]:
    """The any_of / all_of depth and the number of checks of a condition tree, without recursion."""
    deepest, checks = 0, 0
    stack: list[tuple[Any, int]] = [(raw, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict):
            continue
        deepest = max(deepest, depth)
        if "check" in node:
            checks += 1
        for key in ("any_of", "all_of"):
            children = node.get(key)
            if isinstance(children, list):
                stack.extend((child, depth + 1) for child in children)
    return deepest, checks


def _plain(value: Any) -> Any:
    """LineDicts and nested lists as plain JSON-able values (for JSON columns)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def validate_pack(raw: Any, *, file: str) -> PackData:
    """Validate a parsed pack; raise :class:`PackInvalid` with every problem found."""
    v = _Validator(file)
    if not isinstance(raw, dict):
        raise PackInvalid([PackProblem(file, 1, "", "パックの最上位は対応表（format, pack, …）でなければなりません")])
    if raw.get("format") != FORMAT:
        v.problem(raw, "format", f"format: {FORMAT} と書いてください（読んだ値: {raw.get('format')!r}）", 1)
    unknown = set(raw) - {"format", "pack", *SECTIONS}
    for key in sorted(unknown):
        v.problem(raw, key, f"未知の節 '{key}'（使えるもの: format, pack, {', '.join(SECTIONS)}）", 1)
    header = v.record("pack", raw.get("pack"), "pack", parent_line=1)
    if header is None:
        raise PackInvalid(v.problems)
    if header["as_of"] is None and not header["as_of_note"]:
        v.problem(raw.get("pack"), "pack", "as_of が null のときは as_of_note（日付がない理由）を書いてください")
    data = PackData(header=header)
    # Only records without a problem of their own go on to the checks across records: those read
    # ids, dates and figures a broken record does not have (a bad program id was a TypeError).
    checked = PackData(header=header)
    for section, kind in SECTIONS.items():
        items = raw.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            v.problem(raw, section, "リストでなければなりません", 1)
            continue
        records, sound = [], []
        for i, item in enumerate(items):
            rid = item.get("id") if isinstance(item, dict) else None
            where = f"{section}[{i}]" + (f" ({str(rid)[:60]})" if rid else "")
            problems_before = len(v.problems)
            if kind == "program":
                rec = _program(v, item, where)
            else:
                rec = v.record(kind, item, where)
            if rec is not None:
                _apply_source_defaults(rec, header)
                records.append(rec)
                key = rec.get("id") or rec.get("code") or rec.get("prefix")
                data.lines[f"{section}:{key}"] = getattr(item, "line", None)
                if len(v.problems) == problems_before:
                    sound.append(rec)
        data.sections[section] = records
        checked.sections[section] = sound
    checked.lines = data.lines
    cross_checks(checked, lambda where, message, line: v.problem(None, where, message, line))
    if v.problems:
        # Program-level defaults are validated once per variant too: report each once.
        unique = list({(p.line, p.message): p for p in v.problems}.values())
        raise PackInvalid(unique)
    return data


def _program(v: _Validator, raw: Any, where: str) -> dict[str, Any] | None:
    """A program with each variant resolved against the program-level defaults."""
    rec = v.record("program", raw, where)
    if rec is None:
        return None
    raw_variants = raw.get("variants") if isinstance(raw, dict) else None
    if not isinstance(raw_variants, list):   # the record's own check has said so (variants: 7)
        raw_variants = []
    defaults = {f.name: raw[f.name] for f in VARIANT_FIELDS if isinstance(raw, dict) and raw.get(f.name) is not None}
    variants = []
    for i, raw_variant in enumerate(raw_variants):
        if not isinstance(raw_variant, dict):
            # Once dropped without a word (issue 15, item 17): a variant that is not a mapping is an error.
            v.problem(raw_variant, f"{where}.variants[{i}]", f"variant は対応表（id: …, limit: … の並び）でなければ"
                      f"なりません: {_shown(raw_variant)}", getattr(raw, "line", None))
            continue
        merged = LineDict({**defaults, **raw_variant})
        merged.line = getattr(raw_variant, "line", None)
        variant = v.record("variant", merged, f"{where}.variants[{i}] ({str(raw_variant.get('id'))[:60]})")
        if variant is not None:
            if variant["source"]["section"] is None:
                variant["source"] = dict(rec["source"])
            if variant["as_of"] is None:
                variant["as_of"] = rec["as_of"]
            variants.append(variant)
    program = {f.name: rec[f.name] for f in PROGRAM_OWN}
    program["variants"] = variants
    return program


def _apply_source_defaults(rec: dict[str, Any], header: dict[str, Any]) -> None:
    if "source" in rec:
        if rec["source"]["file"] is None:
            rec["source"]["file"] = header["source_file"]
        if "as_of" in rec and rec["as_of"] is None:
            rec["as_of"] = header["as_of"]
        for variant in rec.get("variants", ()):
            if variant["source"]["file"] is None:
                variant["source"]["file"] = rec["source"]["file"]
            if variant["as_of"] is None:
                variant["as_of"] = rec["as_of"]


def validate_fields(kind: str, values: dict[str, Any], *, where: str) -> tuple[dict[str, Any], list[str]]:
    """Validate some fields of one record kind with the pack rules (admin edits use this, so
    an edit is held to exactly what a pack would be). Returns the normalised values and
    the problems, each naming its field."""
    fields = {f.name: f for f in RECORDS[kind]}
    v = _Validator(where)
    out: dict[str, Any] = {}
    for name, value in values.items():
        field = fields[name]
        if value is None or value == "":
            if field.required:
                v.problem(None, name, f"'{name}' は空にできません")
            out[name] = None
            continue
        out[name] = v.value(field, value, name, None)
    return out, [f"{p.where}: {p.message}" for p in v.problems]
