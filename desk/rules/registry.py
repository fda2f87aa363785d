"""Every named check, loaded: the declarations packs are validated against, the
functions the engine calls, and the evaluation of a condition tree from them.

Importing this module imports each family of checks (who the business is, its
sales, its circumstances), so :data:`CHECKS` is complete and a pack can only name
a check that has logic. A check is added in its family module with
``@check(name, summary, param=Param(...))`` (see ``desk.rules.declare``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from desk.rules import business, circumstances, sales
from desk.rules.declare import DECLARED, CheckFn, CheckSpec, type_problems
from desk.rules.outcome import Facts, Outcome, all_of, any_of

FAMILIES = (business, sales, circumstances)

CHECKS: Mapping[str, CheckSpec] = DECLARED
# The engine calls IMPLEMENTATIONS[name](params, facts) once per condition: a plain dict.
IMPLEMENTATIONS: dict[str, CheckFn] = {name: spec.fn for name, spec in DECLARED.items()}


def evaluate_condition(condition: dict[str, Any], facts: Facts, memo: dict[int, Outcome] | None = None) -> Outcome:
    """A condition tree's outcome. ``memo`` (one per match and provider) remembers outcomes by
    the condition object, so a provider's general conditions, shared by every variant, and fee
    or document conditions repeated across variants are evaluated once."""
    if memo is not None:
        key = id(condition)
        known = memo.get(key)
        if known is not None:
            return known
    check = condition.get("check")
    if check is not None:
        outcome = IMPLEMENTATIONS[check](condition.get("params") or _NO_PARAMS, facts)
    elif "any_of" in condition:
        outcome = any_of([evaluate_condition(c, facts, memo) for c in condition["any_of"]], condition.get("text"))
    else:
        outcome = all_of([evaluate_condition(c, facts, memo) for c in condition["all_of"]])
    if memo is not None:
        memo[key] = outcome
    return outcome


_NO_PARAMS: dict[str, Any] = {}   # what a check without parameters is given (checks only read them)


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
        problems.extend(f"{check}.{name}: {p}" for p in type_problems(param, params[name]))
    if spec.rule is not None:
        problems.extend(spec.rule(params))
    return problems
