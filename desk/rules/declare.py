"""How a check is declared: the ``@check`` decorator puts a check's name, summary and
parameters beside the function that implements it.

Data packs name a check and give its parameters (the rule's numbers, lists and
thresholds: data); the check's logic is code. Declaring the parameters lets a pack
that names an unknown check, or gives it a wrong parameter, be rejected at import
with the file and line instead of failing during a match. The families of checks
(``business``, ``sales``, ``circumstances``) declare with this module;
``desk.rules.registry`` loads every family and is what the rest of desk reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from desk.rules.outcome import Facts, Outcome

CheckFn = Callable[[dict[str, Any], Facts], Outcome]
# Problems across several parameters of one check (the single ones are the types'):
# each message is shown as it is, after the type problems.
ParamsRule = Callable[[dict[str, Any]], list[str]]
ParamType = Literal["any", "int", "number", "bool", "str", "mapping", "list[mapping]", "list[int]", "list[str]"]


@dataclass(frozen=True)
class Param:
    """One parameter of a check: its type and, for codes, the allowed values."""

    type: ParamType
    required: bool = False
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CheckSpec:
    """A declared check: what packs may write (name, params) and the function that decides."""

    name: str
    summary: str                # Japanese, for the admin screen
    fn: CheckFn
    params: dict[str, Param] = field(default_factory=dict)
    rule: ParamsRule | None = None


# Filled as the family modules are imported; read it through desk.rules.registry, which
# imports every family first.
DECLARED: dict[str, CheckSpec] = {}


def check(name: str, summary: str, *, rule: ParamsRule | None = None,
          **params: Param) -> Callable[[CheckFn], CheckFn]:
    """Declare the decorated function as the check ``name`` with these parameters."""
    def register(fn: CheckFn) -> CheckFn:
        if name in DECLARED:
            raise ValueError(f"check {name!r} declared twice ({DECLARED[name].fn.__module__} and {fn.__module__})")
        DECLARED[name] = CheckSpec(name, summary, fn, dict(params), rule)
        return fn
    return register


def type_problems(param: Param, value: Any) -> list[str]:
    """What is wrong with one parameter's value (an empty list when nothing is)."""
    t = param.type
    if t == "any":
        return []
    if t == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return [] if ok else ["0以上の整数でなければなりません"]
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
        ok = isinstance(value, list) and bool(value) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value)
        return [] if ok else ["整数の空でないリストでなければなりません"]
    # list[str]
    if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
        return ["文字列の空でないリストでなければなりません"]
    if param.choices is not None:
        bad = [v for v in value if v not in param.choices]
        if bad:
            return [f"未知の値 {', '.join(bad)}（使えるもの: {', '.join(param.choices)}）"]
    return []
