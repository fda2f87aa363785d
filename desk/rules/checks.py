"""The registry of named eligibility checks.

Data packs name a check and give its parameters (the rule's numbers, lists and
thresholds: data); the check's logic is code. This module declares each check's
parameters so a pack naming an unknown check, or giving it a wrong parameter, is
rejected at import with the file and line instead of failing during a match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from desk import vocab


@dataclass(frozen=True)
class Param:
    """One parameter of a check: its type and, for codes, the allowed values."""

    type: str                   # int | number | bool | str | list[str] | list[int] | mapping | list[mapping]
    required: bool = False
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CheckSpec:
    name: str
    summary: str                # Japanese, for the admin screen
    params: dict[str, Param] = field(default_factory=dict)


_ENTITIES = tuple(vocab.ENTITIES)
_INDUSTRIES = tuple(vocab.INDUSTRIES)
_YEARS_NOTE = "比較する年（1=1年前、2=2年前、3=3年前）"
# 売上高 (sales) or 売上総利益 (gross profit): the seeds' 売上高等 accept either.
SALES_BASES = ("sales", "gross_profit")

CHECKS: dict[str, CheckSpec] = {spec.name: spec for spec in (
    CheckSpec("sme", "中小企業者（又は協同組合等）であること（業種ごとの資本金又は従業員数）"),
    CheckSpec("employees_at_most", "常時使用する従業員数が上限以下であること", {
        "limit": Param("int", required=True),
        "commerce_limit": Param("int"),
        "overrides": Param("list[mapping]"),   # [{entities, industries, limit}]
    }),
    CheckSpec("employees_more_than", "常時使用する従業員数が一定数を超えること（保証料率の区分など）", {
        "limit": Param("int", required=True)}),
    CheckSpec("industry_in", "業種が次のいずれかであること", {
        "industries": Param("list[str]", required=True, choices=_INDUSTRIES)}),
    CheckSpec("entity_in", "事業者の形態が次のいずれかであること", {
        "entities": Param("list[str]", required=True, choices=_ENTITIES)}),
    CheckSpec("entity_not_in", "事業者の形態が次のいずれでもないこと", {
        "entities": Param("list[str]", required=True, choices=_ENTITIES)}),
    CheckSpec("located_in", "事業所が次の地域にあること", {
        "prefecture": Param("str", required=True),
        "municipalities": Param("list[str]"),
    }),
    CheckSpec("track_record", "同一事業を一定期間以上営んでいること", {
        "months": Param("int", required=True),
        "outside_counts": Param("bool"),
    }),
    CheckSpec("licence_held", "許認可を要する事業では許認可を得て一定期間以上であること", {
        "months": Param("int", required=True)}),
    CheckSpec("industry_covered", "信用保険の対象業種であること"),
    CheckSpec("no_tax_arrears", "期限の到来した税金を完納していること"),
    CheckSpec("no_bank_suspension", "金融機関から取引停止処分を受けていないこと"),
    CheckSpec("no_subrogation_debt", "信用保証協会の代位弁済に対する債務がないこと"),
    CheckSpec("certification_any", "次のいずれかの認定・証明を受けていること", {
        "any_of": Param("list[str]", required=True, choices=tuple(vocab.CERTIFICATIONS))}),
    CheckSpec("plan_any", "次のいずれかの計画の認定・承認・登録を受けていること", {
        "any_of": Param("list[str]", required=True),   # plan ids: built-in or declared in a pack
        "how": Param("str"),
    }),
    CheckSpec("cause_any", "次のいずれかの影響を受けていること", {
        "any_of": Param("list[str]", required=True, choices=tuple(vocab.CAUSES))}),
    CheckSpec("sales_decline", "売上高等が一定以上減少していること", {
        "periods": Param("list[str]", required=True, choices=tuple(vocab.SALES_PERIODS)),
        "years": Param("list[int]"),
        "at_least_pct": Param("number", required=True),
        "bases": Param("list[str]", choices=SALES_BASES),   # default: either (売上高等)
    }),
    CheckSpec("sales_decline_month_and_forecast",
              "最近1か月の売上高等が減少し、その後2か月を含む3か月も減少が見込まれること", {
        "years": Param("list[int]"),
        "at_least_pct": Param("number", required=True),
        "bases": Param("list[str]", choices=SALES_BASES),
    }),
    CheckSpec("has_guaranteed_balance", "信用保証協会の保証付き融資の残高があること"),
    CheckSpec("has_eased_conditions", "保証付き融資の返済条件の緩和を行っていること"),
    CheckSpec("founder", "創業前又は創業後一定期間内であること", {
        "before_start_months": Param("mapping"),   # {sole_proprietor: 1, corporation: 2}
        "after_start_max_months": Param("int"),
        "forms": Param("list[str]", choices=("sole_proprietor", "corporation")),
        "extended_before_start_months": Param("int"),   # with tokutei_sogyo_shien
        "any_before_start": Param("bool"),               # any prospective founder, however far off the start
    }),
    CheckSpec("purpose_any", "資金使途が次のいずれかを含むこと", {
        "any_of": Param("list[str]", required=True, choices=tuple(vocab.PURPOSES))}),
    CheckSpec("amount_at_most_answer", "希望額が回答の金額（例: 債権相当額）の範囲内であること", {
        "question": Param("str", required=True)}),
    CheckSpec("answer", "追加の質問への回答", {
        "question": Param("str", required=True),
        "equals": Param("any"),
        "at_least": Param("number"),
        "at_most": Param("number"),
    }),
)}

SALES_YEARS = (1, 2, 3)


def iter_checks(condition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every leaf ``check`` of a condition tree, in order."""
    if "check" in condition:
        yield condition
    for key in ("any_of", "all_of"):
        for child in condition.get(key, ()):
            yield from iter_checks(child)


def param_problems(check: str, params: Any) -> list[str]:
    """What is wrong with ``params`` for ``check`` (an empty list when nothing is)."""
    spec = CHECKS.get(check)
    if spec is None:
        return [f"未知のチェック名 '{check}'（使えるもの: {', '.join(sorted(CHECKS))}）"]
    if params is None:
        params = {}
    if not isinstance(params, dict):
        return [f"{check}: params は対応表（mapping）でなければなりません"]
    problems = []
    for name in params:
        if name not in spec.params:
            allowed = ", ".join(spec.params) or "なし"
            problems.append(f"{check}: 未知のパラメータ '{name}'（使えるもの: {allowed}）")
    for name, param in spec.params.items():
        if name not in params:
            if param.required:
                problems.append(f"{check}: パラメータ '{name}' がありません")
            continue
        problems.extend(f"{check}.{name}: {p}" for p in _type_problems(param, params[name]))
    if check == "answer":
        given = [k for k in ("equals", "at_least", "at_most") if k in params]
        if len(given) != 1:
            problems.append("answer: equals, at_least, at_most のうち一つだけを指定してください")
    if check in ("sales_decline", "sales_decline_month_and_forecast"):
        for year in params.get("years") or ():
            if year not in SALES_YEARS:
                problems.append(f"{check}.years: {year} は 1, 2, 3 のいずれかでなければなりません（{_YEARS_NOTE}）")
    return problems


def _type_problems(param: Param, value: Any) -> list[str]:
    t = param.type
    if t == "any":
        return []
    if t == "int":
        return [] if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else ["0以上の整数でなければなりません"]
    if t == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else ["数値でなければなりません"]
    if t == "bool":
        return [] if isinstance(value, bool) else ["true か false でなければなりません"]
    if t == "str":
        return [] if isinstance(value, str) and value.strip() else ["空でない文字列でなければなりません"]
    if t == "mapping":
        return [] if isinstance(value, dict) else ["対応表（mapping）でなければなりません"]
    if t == "list[mapping]":
        ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
        return [] if ok else ["対応表のリストでなければなりません"]
    if t == "list[int]":
        ok = isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        return [] if ok else ["整数の空でないリストでなければなりません"]
    if t == "list[str]":
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return ["文字列の空でないリストでなければなりません"]
        if param.choices is not None:
            bad = [v for v in value if v not in param.choices]
            if bad:
                return [f"未知の値 {', '.join(bad)}（使えるもの: {', '.join(param.choices)}）"]
        return []
    raise AssertionError(f"unknown param type {t}")
