"""The shape of a data pack, declared once, and the validator that enforces it.

Each record type is a tuple of :class:`Field`; :func:`validate_pack` turns the raw
YAML into a :class:`PackData` of normalised plain dicts (every key present, in the
declared order, defaults filled, variants resolved against their program) or
raises :class:`PackInvalid` listing every problem with its file, line and record.
The exporter writes records back in the same declared order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desk import vocab
from desk.db.packs.yamlio import LineDict
from desk.rules import checks

FORMAT = "desk-pack/1"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
PHONE_RE = re.compile(r"^[0-9][0-9-]{5,15}[0-9]$")
POSTAL_RE = re.compile(r"^([0-9]{3})-?([0-9]{4})$")


@dataclass(frozen=True)
class Field:
    name: str
    type: str                  # see _check_value
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] | None = None


def F(name: str, type: str, *, required: bool = False, default: Any = None,
      choices: Iterable[str] | None = None) -> Field:
    return Field(name, type, required, default, tuple(choices) if choices is not None else None)


SOURCE = (F("file", "str?"), F("section", "str?"))

PACK = (
    F("id", "id", required=True), F("title", "str", required=True), F("version", "str", required=True),
    F("source_file", "str?"), F("as_of", "date?"), F("as_of_note", "str?"), F("fiscal_year", "int?"),
    F("description", "str?"),
)
PLAN = (F("id", "id", required=True), F("name", "str", required=True), F("issuer", "str?"), F("how", "str?"),
        F("source", "source"), F("as_of", "date?"))
QUESTION = (F("id", "id", required=True), F("text", "str", required=True),
            F("type", "choice", required=True, choices=vocab.QUESTION_TYPES), F("help", "str?"),
            F("source", "source"), F("as_of", "date?"))
SME_ROW = (F("industry", "choice", required=True, choices=vocab.INDUSTRIES), F("capital_max_yen", "int?"),
           F("employees_max", "int?"), F("text", "str?"))
SME_ENTITY_RULE = (F("entity", "choice", required=True, choices=vocab.ENTITIES), F("employees_max", "int", required=True),
                   F("by_industry", "intmap"), F("text", "str?"))
SME_TABLE = (F("id", "id", required=True), F("rows", "list:sme_row", required=True),
             F("entity_rules", "list:sme_entity_rule"), F("notes", "list[str]"), F("interpretations", "list[str]"),
             F("source", "source"),
             F("as_of", "date?"))
DOCUMENT = (F("id", "id", required=True), F("name", "str", required=True),
            F("kind", "choice", required=True, choices=vocab.DOCUMENT_KINDS), F("issuer", "str?"),
            F("confirms_only", "bool", default=False), F("when", "condition?"), F("text", "str?"))
PROVIDER = (F("id", "id", required=True), F("name", "str", required=True),
            F("kind", "choice", required=True, choices=vocab.PROVIDER_KINDS), F("prefecture", "str", required=True),
            F("municipality", "str?"), F("sme_table", "str?"), F("general_conditions", "conditions"),
            F("documents", "list:document"), F("notes", "list[str]"), F("interpretations", "list[str]"),
            F("source", "source"), F("as_of", "date?"))
LIMIT = (F("amount_yen", "int?"), F("separate", "bool", default=False),
         F("includes_existing_guaranteed", "bool", default=False), F("shared_with", "list[str]"),
         F("per_applicant_note", "str?"), F("text", "str?"))
TIER = (F("max_months", "int?"), F("rate_pct", "number?"), F("city_share_pct", "number?"),
        F("own_rate_pct", "number?"), F("note", "str?"))
RATE = (F("kind", "choice", default="fixed_cap", choices=vocab.RATE_KINDS), F("text", "str?"),
        F("tiers", "list:tier"), F("city_share_pct", "number?"), F("own_rate_pct", "number?"))
TERM = (F("min_months", "int?"), F("max_months", "int?"), F("grace_months", "int?"), F("bullet_max_months", "int?"),
        F("repayment", "list[choice]", choices=vocab.REPAYMENT), F("text", "str?"), F("by_use", "intmap"))
FEE = (F("min_pct", "number", required=True), F("max_pct", "number", required=True), F("label", "str?"),
       F("subsidised", "bool", default=False), F("when", "condition?"), F("valid_from", "date?"),
       F("valid_to", "date?"), F("text", "str?"))
GENERAL_EXCEPTION = (F("check", "choice", required=True, choices=tuple(checks.CHECKS)),
                     F("effect", "choice", required=True, choices=("waive", "conditional")), F("text", "str?"))
FEE_ADJUSTMENT = (F("kind", "choice", required=True, choices=vocab.FEE_ADJUSTMENT_KINDS),
                  F("label", "str", required=True), F("min_pct", "number?"), F("max_pct", "number?"),
                  F("add_min_pct", "number?"), F("add_max_pct", "number?"), F("how", "str?"),
                  F("when", "condition?"), F("text", "str?"))
# Fields a variant has and a program may set as the default of all its variants.
VARIANT_FIELDS = (
    F("target_text", "str?"), F("conditions", "conditions"), F("general_exceptions", "list:general_exception"),
    F("uses", "list[choice]", choices=vocab.PURPOSES), F("uses_text", "str?"), F("use_notes", "list[str]"),
    F("limit", "record:limit"), F("rate", "record:rate"), F("term", "record:term"),
    F("guarantee_fees", "list:fee"), F("fee_adjustments", "list:fee_adjustment"),
    F("documents", "list:document"), F("notes", "list[str]"), F("interpretations", "list[str]"),
)
VARIANT = (F("id", "id", required=True), F("label", "str?"), *VARIANT_FIELDS,
           F("source", "source"), F("as_of", "date?"))
PROGRAM_OWN = (
    F("id", "id", required=True), F("provider", "str", required=True), F("name", "str", required=True),
    F("category", "str?"), F("kind", "choice", default="loan", choices=vocab.PROGRAM_KINDS),
    F("valid_from", "date?"), F("valid_to", "date?"), F("remarks_text", "str?"),
    F("guarantee", "choice", default="required", choices=vocab.GUARANTEE),
    F("source", "source"), F("as_of", "date?"),
)
PROGRAM = (*PROGRAM_OWN, *VARIANT_FIELDS, F("variants", "rawlist", required=True))  # resolved in _program
ORGANISATION = (F("id", "id", required=True), F("name", "str", required=True), F("name_current", "str?"),
                F("kind", "str?"), F("url", "str?"), F("notes", "list[str]"), F("interpretations", "list[str]"),
                F("source", "source"), F("as_of", "date?"))
AREA = (F("prefecture", "str", required=True), F("municipality", "str?"), F("towns", "list[str]?"))
OFFICE = (
    F("id", "id", required=True), F("organisation", "str?"), F("name", "str", required=True),
    F("name_current", "str?"), F("role", "choice", required=True, choices=vocab.ROLES), F("department", "str?"),
    F("phone", "phone?"), F("address", "str?"), F("postal_code", "postal?"), F("prefecture", "str?"),
    F("municipality", "str?"), F("lat", "number?"), F("lon", "number?"), F("geo_precision_m", "int?"),
    F("geo_source", "str?"), F("hours", "str?"), F("url", "str?"), F("service_area", "list:area"),
    F("issues", "list[choice]", choices=vocab.CERTIFICATIONS), F("from_seed", "bool", default=True), F("notes", "list[str]"), F("interpretations", "list[str]"),
    F("source", "source"), F("as_of", "date?"),
)
PREFECTURE = (F("code", "int", required=True), F("name", "str", required=True), F("lat", "number?"),
              F("lon", "number?"), F("geo_precision_m", "int?"), F("geo_source", "str?"))
MUNICIPALITY = (
    F("id", "id", required=True), F("prefecture", "str", required=True), F("name", "str", required=True),
    F("city", "str?"), F("ward", "str?"), F("district", "str?"),
    F("kind", "choice", required=True, choices=vocab.MUNICIPALITY_KINDS), F("lat", "number?"), F("lon", "number?"),
    F("geo_precision_m", "int?"), F("geo_source", "str?"), F("source", "source"), F("as_of", "date?"),
)
POSTAL_CODE = (F("code", "postal", required=True), F("municipality", "str", required=True), F("town", "str?"))
POSTAL_PREFIX = (F("prefix", "str", required=True), F("prefecture", "str", required=True))

RECORDS: dict[str, tuple[Field, ...]] = {
    "pack": PACK, "plan": PLAN, "question": QUESTION, "sme_row": SME_ROW, "sme_entity_rule": SME_ENTITY_RULE,
    "sme_table": SME_TABLE, "document": DOCUMENT, "provider": PROVIDER, "limit": LIMIT, "tier": TIER,
    "rate": RATE, "term": TERM, "fee": FEE, "fee_adjustment": FEE_ADJUSTMENT, "variant": VARIANT,
    "general_exception": GENERAL_EXCEPTION,
    "program": PROGRAM, "organisation": ORGANISATION, "area": AREA, "office": OFFICE, "prefecture": PREFECTURE,
    "municipality": MUNICIPALITY, "postal_code": POSTAL_CODE, "postal_prefix": POSTAL_PREFIX,
}

# Top-level sections in file order, with the record type of their items.
SECTIONS: dict[str, str] = {
    "plans": "plan", "questions": "question", "sme_tables": "sme_table", "providers": "provider",
    "programs": "program", "organisations": "organisation", "offices": "office", "prefectures": "prefecture",
    "municipalities": "municipality", "postal_codes": "postal_code", "postal_prefixes": "postal_prefix",
}


@dataclass(frozen=True)
class PackProblem:
    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class PackInvalid(ValueError):
    def __init__(self, problems: list[PackProblem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n… ほか {len(problems) - 50} 件" if len(problems) > 50 else ""
        super().__init__(shown + more)


@dataclass
class PackData:
    """A validated pack: the header and each section as a list of normalised dicts."""

    header: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)   # record id -> line, for later messages

    @property
    def id(self) -> str:
        return self.header["id"]

    def records(self, section: str) -> list[dict[str, Any]]:
        return self.sections.get(section, [])


class _Validator:
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
        bad = lambda message: (self.problem(value, where, message, line), None)[1]  # noqa: E731
        if t == "id":
            if not isinstance(value, str) or not ID_RE.match(value):
                return bad(f"id は半角英小文字・数字・. _ - でなければなりません: {value!r}")
            return value
        if t == "str":
            if not isinstance(value, str) or not value.strip():
                return bad(f"空でない文字列でなければなりません: {value!r}")
            return value.strip("\n") if "\n" in value else value.strip()
        if t == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                return bad(f"0以上の整数でなければなりません: {value!r}")
            return value
        if t == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return bad(f"数値でなければなりません: {value!r}")
            return float(value)
        if t == "bool":
            if not isinstance(value, bool):
                return bad(f"true か false でなければなりません: {value!r}")
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
                    isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()):
                return bad("名前: 整数 の対応表でなければなりません")
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
            out = [self.condition(c, f"{where}[{i}]", line) for i, c in enumerate(value)]
            return [c for c in out if c is not None]
        if t == "condition":
            return self.condition(value, where, line)
        raise AssertionError(f"unknown field type {f.type}")

    def condition(self, raw: Any, where: str, parent_line: int | None) -> dict[str, Any] | None:
        line = getattr(raw, "line", parent_line)
        if not isinstance(raw, dict):
            self.problem(raw, where, "条件は対応表でなければなりません", line)
            return None
        forms = [k for k in ("check", "any_of", "all_of") if k in raw]
        extra = set(raw) - {"check", "params", "any_of", "all_of", "text", "label"}
        if extra:
            self.problem(raw, where, f"条件に未知のキー {sorted(extra)}（使えるもの: check, params, any_of, all_of, text, label）", line)
        if len(forms) != 1:
            self.problem(raw, where, "条件には check, any_of, all_of のどれか一つを書いてください", line)
            return None
        text = raw.get("text")
        label = raw.get("label")
        for key, val in (("text", text), ("label", label)):
            if val is not None and not (isinstance(val, str) and val.strip()):
                self.problem(raw, where, f"{key} は空でない文字列でなければなりません", line)
        out: dict[str, Any] = {}
        if forms[0] == "check":
            if "params" in raw and raw["params"] is not None and forms[0] != "check":
                self.problem(raw, where, "params は check と一緒にだけ書けます", line)
            name = raw["check"]
            params = raw.get("params") or {}
            for message in checks.param_problems(str(name), params):
                self.problem(raw, where, message, line)
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
    for section, kind in SECTIONS.items():
        items = raw.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            v.problem(raw, section, "リストでなければなりません", 1)
            continue
        records = []
        for i, item in enumerate(items):
            rid = item.get("id") if isinstance(item, dict) else None
            where = f"{section}[{i}]" + (f" ({rid})" if rid else "")
            if kind == "program":
                rec = _program(v, item, where)
            else:
                rec = v.record(kind, item, where)
            if rec is not None:
                _apply_source_defaults(rec, header)
                records.append(rec)
                key = rec.get("id") or rec.get("code") or rec.get("prefix")
                data.lines[f"{section}:{key}"] = getattr(item, "line", None)
        data.sections[section] = records
    _cross_checks(v, data)
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
    defaults = {f.name: raw[f.name] for f in VARIANT_FIELDS if isinstance(raw, dict) and raw.get(f.name) is not None}
    variants = []
    for i, raw_variant in enumerate(raw_variants or []):
        if not isinstance(raw_variant, dict):
            continue
        merged = LineDict({**defaults, **raw_variant})
        merged.line = getattr(raw_variant, "line", None)
        variant = v.record("variant", merged, f"{where}.variants[{i}] ({raw_variant.get('id')})")
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


def _cross_checks(v: _Validator, data: PackData) -> None:
    """Checks that look at more than one field: ids, ranges, orders."""
    def line_of(section: str, key: Any) -> int | None:
        return data.lines.get(f"{section}:{key}")

    seen: dict[str, str] = {}

    def claim(identifier: str, section: str, key: Any) -> None:
        if identifier in seen:
            v.problem(None, f"{section} ({key})", f"id '{key}' が {section} の中で重複しています",
                      line_of(section, key))
        else:
            seen[identifier] = section

    for section in SECTIONS:
        for rec in data.records(section):
            key = rec.get("id") or rec.get("code") or rec.get("prefix")
            if key is not None:
                claim(f"{section}:{key}", section, key)
    for program in data.records("programs"):
        pid = program["id"]
        where = f"programs ({pid})"
        line = line_of("programs", pid)
        if program["valid_from"] and program["valid_to"] and program["valid_from"] > program["valid_to"]:
            v.problem(None, where, "valid_from が valid_to より後になっています", line)
        if not program["variants"]:
            v.problem(None, where, "variants が空です（少なくとも一つ必要です）", line)
        for variant in program["variants"]:
            claim(f"variants:{variant['id']}", "variants", variant["id"])
            if not variant["id"].startswith(pid + "."):
                v.problem(None, f"{where} variant {variant['id']}", f"variant の id は '{pid}.' で始めてください", line)
            _check_variant(v, variant, f"{where} variant {variant['id']}", line)
    for office in data.records("offices"):
        where, line = f"offices ({office['id']})", line_of("offices", office["id"])
        if not (office["phone"] or office["address"] or office["organisation"]):
            v.problem(None, where, "電話番号・住所・所属組織のどれかが必要です", line)
        _check_coordinates(v, office, where, line)
    for muni in data.records("municipalities"):
        _check_coordinates(v, muni, f"municipalities ({muni['id']})", line_of("municipalities", muni["id"]))
    for pref in data.records("prefectures"):
        if not 1 <= pref["code"] <= 47:
            v.problem(None, f"prefectures ({pref['code']})", "code は 1〜47 でなければなりません",
                      line_of("prefectures", pref["code"]))
        _check_coordinates(v, pref, f"prefectures ({pref['code']})", line_of("prefectures", pref["code"]))
    for table in data.records("sme_tables"):
        covered = {row["industry"] for row in table["rows"]}
        missing = [i for i in vocab.INDUSTRIES if i != "excluded" and i not in covered]
        if missing:
            v.problem(None, f"sme_tables ({table['id']})", f"業種 {missing} の行がありません",
                      line_of("sme_tables", table["id"]))


def _check_variant(v: _Validator, variant: dict[str, Any], where: str, line: int | None) -> None:
    limit = variant["limit"]
    if limit and limit["amount_yen"] is not None and limit["amount_yen"] <= 0:
        v.problem(None, where, "融資限度額は正の金額でなければなりません", line)
    rate = variant["rate"]
    if rate:
        previous: int | None = -1
        for i, tier in enumerate(rate["tiers"]):
            if previous is None:
                v.problem(None, f"{where} rate.tiers[{i}]", "上限なし（max_months: null）の段の後に段があります", line)
                break
            if tier["max_months"] is not None and tier["max_months"] <= previous:
                v.problem(None, f"{where} rate.tiers[{i}]",
                          "期間の段は重ならず昇順でなければなりません（max_months が前の段以下です）", line)
            previous = tier["max_months"]
            if tier["rate_pct"] is not None and not 0 <= tier["rate_pct"] <= 20:
                v.problem(None, f"{where} rate.tiers[{i}]", f"利率 {tier['rate_pct']}% は範囲外です", line)
    term = variant["term"]
    if term:
        lo, hi, grace = term["min_months"], term["max_months"], term["grace_months"]
        if lo is not None and hi is not None and lo > hi:
            v.problem(None, f"{where} term", "min_months が max_months より大きくなっています", line)
        if grace is not None and hi is not None and grace >= hi:
            v.problem(None, f"{where} term", "据置期間が融資期間以上になっています", line)
    for i, fee in enumerate(variant["guarantee_fees"]):
        if fee["min_pct"] > fee["max_pct"]:
            v.problem(None, f"{where} guarantee_fees[{i}]", "下限（min_pct）が上限（max_pct）より大きくなっています", line)
        if not 0 <= fee["min_pct"] <= 5 or not 0 <= fee["max_pct"] <= 5:
            v.problem(None, f"{where} guarantee_fees[{i}]", "保証料率が範囲外です（0〜5%）", line)
        if fee["valid_from"] and fee["valid_to"] and fee["valid_from"] > fee["valid_to"]:
            v.problem(None, f"{where} guarantee_fees[{i}]", "valid_from が valid_to より後になっています", line)
    for i, adj in enumerate(variant["fee_adjustments"]):
        if adj["min_pct"] is None and adj["add_min_pct"] is None and adj["max_pct"] is None and adj["add_max_pct"] is None:
            v.problem(None, f"{where} fee_adjustments[{i}]", "料率（min_pct/max_pct か add_min_pct/add_max_pct）がありません", line)
    keys = [d["id"] for d in variant["documents"]]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        v.problem(None, f"{where} documents", f"書類 id '{dup}' が重複しています", line)


def _check_coordinates(v: _Validator, rec: dict[str, Any], where: str, line: int | None) -> None:
    lat, lon = rec.get("lat"), rec.get("lon")
    if (lat is None) != (lon is None):
        v.problem(None, where, "lat と lon は両方書くか、両方省いてください", line)
    elif lat is not None and not (20 <= lat <= 46 and 122 <= lon <= 154):
        v.problem(None, where, f"座標 ({lat}, {lon}) が日本の範囲外です", line)


def variant_rule_problems(variant: dict[str, Any]) -> list[tuple[str, str]]:
    """The pack's rules across one variant's fields (limit, rate tiers, term, fees), for admin
    edits: (where, message) with ``where`` as the pack would name it (``rate.tiers[1]``, ``term``)."""
    v = _Validator("")
    full = {"limit": None, "rate": None, "term": None, "guarantee_fees": [], "fee_adjustments": [], "documents": [],
            **variant}
    _check_variant(v, full, "", None)
    return [(p.where.strip(), p.message) for p in v.problems]


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
