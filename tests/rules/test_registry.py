"""The registry of checks: every declared check has logic, every check function is declared,
and the packs and docs name only registered checks (and document each of them)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from desk.rules import declare, registry
from desk.rules.declare import Param, check
from desk.rules.outcome import Outcome

ROOT = Path(__file__).resolve().parents[2]
# The packs with conditions (the geography packs have none).
PACKS = [p for p in sorted((ROOT / "resources" / "data").glob("*.yaml")) if "check:" in p.read_text(encoding="utf-8")]
DATA_PACKS_MD = ROOT / "docs" / "DATA_PACKS.md"


def _check_functions() -> Iterator[tuple[str, Any]]:
    """Every function of a family module shaped like a check: ``(params, facts) -> Outcome``."""
    for family in registry.FAMILIES:
        for name, fn in vars(family).items():
            if not (inspect.isfunction(fn) and fn.__module__ == family.__name__):
                continue
            signature = inspect.signature(fn)
            shaped = list(signature.parameters) == ["params", "facts"]
            if shaped and signature.return_annotation in ("Outcome", Outcome):
                yield f"{family.__name__}.{name}", fn


def _named_checks(node: Any) -> Iterator[str]:
    """The value of every ``check:`` key anywhere in a parsed pack (conditions, `when`s,
    general exceptions)."""
    if isinstance(node, dict):
        if isinstance(node.get("check"), str):
            yield node["check"]
        for value in node.values():
            yield from _named_checks(value)
    elif isinstance(node, list):
        for item in node:
            yield from _named_checks(item)


def _documented_checks() -> set[str]:
    """The names in the first column of the checks table of DATA_PACKS.md."""
    text = DATA_PACKS_MD.read_text(encoding="utf-8")
    table = text.split("| check | params | holds when |", 1)[1].split("\n\n", 1)[0]
    names: set[str] = set()
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        names.update(re.findall(r"`([a-z_]+)`", first))
    return names


def test_every_declared_check_has_logic_and_every_check_function_is_declared() -> None:
    assert set(registry.IMPLEMENTATIONS) == set(registry.CHECKS)
    for name, spec in registry.CHECKS.items():
        assert spec.name == name
        assert registry.IMPLEMENTATIONS[name] is spec.fn
        assert callable(spec.fn)
        assert spec.summary.strip()
    declared = {spec.fn for spec in registry.CHECKS.values()}
    functions = dict(_check_functions())
    assert len(functions) >= len(registry.CHECKS)   # the scan finds the checks at all
    undeclared = [name for name, fn in functions.items() if fn not in declared]
    assert undeclared == []


def test_a_check_cannot_be_declared_twice() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        check("sme", "again")(registry.IMPLEMENTATIONS["sme"])
    assert declare.DECLARED["sme"].summary != "again"


def test_the_registry_is_loaded_whole_on_import() -> None:
    # Validating a pack imports only the registry: it must already hold every family.
    families = {spec.fn.__module__ for spec in registry.CHECKS.values()}
    assert families == {family.__name__ for family in registry.FAMILIES}


def test_a_params_rule_runs_after_the_type_problems() -> None:
    assert registry.param_problems("answer", {"question": "q", "equals": 1, "at_most": 2}) == [
        "answer: equals, at_least, at_most のうち一つだけを指定してください"]
    assert registry.param_problems("sales_decline", {"periods": ["last_1m"], "at_least_pct": 5, "years": [4]}) == [
        "sales_decline.years: 4 は 1, 2, 3 のいずれかでなければなりません（比較する年（1=1年前、2=2年前、3=3年前））"]
    # A years value of the wrong type is reported once, by its type.
    assert registry.param_problems("sales_decline", {"periods": ["last_1m"], "at_least_pct": 5, "years": 2}) == [
        "sales_decline.years: 整数の空でないリストでなければなりません"]


def test_the_packs_with_conditions_are_found() -> None:
    assert {"kanagawa-rules.yaml", "kanagawa-fy2026.yaml", "sagamihara-fy2025.yaml"} <= {p.name for p in PACKS}


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_bundled_packs_name_only_registered_checks(path: Path) -> None:
    named = set(_named_checks(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert named, "the pack mentions check: but none was read"
    assert named <= set(registry.CHECKS), named - set(registry.CHECKS)


def test_data_packs_md_documents_every_check_and_names_no_other() -> None:
    documented = _documented_checks()
    assert documented == set(registry.CHECKS)
    text = DATA_PACKS_MD.read_text(encoding="utf-8")
    in_examples = set(re.findall(r"check: ([a-z_]+)", text))
    assert in_examples, "the examples name checks"
    assert in_examples <= set(registry.CHECKS), in_examples - set(registry.CHECKS)


def test_every_parameter_is_declared_with_a_known_type() -> None:
    for spec in registry.CHECKS.values():
        for name, param in spec.params.items():
            assert isinstance(param, Param), (spec.name, name)
            assert param.choices is None or param.type == "list[str]", (spec.name, name)


def test_no_check_writes_to_its_parameters(loaded_catalogue) -> None:
    """A check without parameters is given one shared empty dict (registry._NO_PARAMS: no new dict per
    condition on the match's hot path), one with parameters the pack's own: a check that wrote to
    either would change every match after it. Every visitor the tests keep is matched, and nothing
    the checks were given has changed."""
    import copy
    import datetime as dt
    import json

    from desk.intake.reader import read_intake
    from desk.matching.service import resolve_intake_place, run
    from tests.conftest import REPO

    catalogue = loaded_catalogue.catalogue
    given = [(v.general_exceptions, v.conditions) for v in catalogue.variants]
    before = copy.deepcopy(given)
    visitors = sorted((REPO / "tests" / "matching" / "visitors").glob("*.json"))
    for path in visitors:
        data = json.loads(path.read_text(encoding="utf-8"))
        intake = read_intake(data.get("intake", data)).intake
        run(loaded_catalogue, intake, resolve_intake_place(loaded_catalogue.places, intake), on=dt.date(2026, 11, 22))
    assert len(visitors) >= 10
    assert registry._NO_PARAMS == {}
    assert given == before
