"""Golden cases: intake in, expected status, reasons and terms out (files in golden/).

A case: `name`, `base` (bases.yaml) + `intake` overrides (sales_change and answers merge) + `unset`,
`date`, `expect: {variant id: {status, reasons_include, todo_include, route_include (fragments of the
route; [] for none), route_contact_id, rate_pct, own_rate_pct, city_share_pct, remaining_limit_yen,
guarantee_fee_pct, stale, absent}}`, `output: {warnings_include,
warnings_exclude, first_contact: {role: office id}, is_sme, size_class}` and, for a known defect of the
engine or a pack, `xfail: "<one-line reason>"` (strict: the case must still fail).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from desk.db.engine import session_factory
from desk.db.loaders import OrmSource
from desk.intake.reader import read_intake
from desk.matching.service import MatchService

GOLDEN = Path(__file__).parent / "golden"
BASES = yaml.safe_load((GOLDEN / "bases.yaml").read_text(encoding="utf-8"))
DEFAULT_DATE = dt.date(2026, 11, 22)


def _cases() -> list[Any]:
    params = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        if path.name == "bases.yaml":
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request, _catalogue_file) -> MatchService:
    """Every case on SQLite and on a PostgreSQL server holding the same bundled packs."""
    from desk.db import engine as db_engine
    from desk.db import setup

    if request.param == "sqlite":
        engine = db_engine.make_engine(db_engine.sqlite_url(_catalogue_file))
    else:
        engine = db_engine.make_engine(request.getfixturevalue("pg_server").create_database())
        setup.ensure_ready(engine)
    yield MatchService(OrmSource(session_factory(engine)))
    engine.dispose()


def build_intake(case: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASES[case["base"]]) if case.get("base") else {}
    for key, value in (case.get("intake") or {}).items():
        if key in ("sales_change", "answers") and isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    for key in case.get("unset") or ():
        data.pop(key, None)
    return data


@pytest.mark.parametrize("case", _cases())
def test_golden(case, service):
    """A case marked `xfail: "<reason>"` documents a known defect of the engine or a pack: it
    is expected to fail (reported as xfail); if every assertion holds, the test fails (strict),
    so a fixed defect is noticed and the marker removed."""
    reason = case.get("xfail")
    if not reason:
        check_case(case, service)
        return
    try:
        check_case(case, service)
    except AssertionError as exc:
        pytest.xfail(f"{reason} — {str(exc).splitlines()[0] if str(exc) else 'assertion failed'}")
    pytest.fail(f"XPASS(strict): the case now holds; remove its xfail marker ({reason})")


def check_case(case: dict[str, Any], service: MatchService) -> None:
    read = read_intake(build_intake(case))
    on = case.get("date") or DEFAULT_DATE
    result = service.match(read.intake, on=on, warnings=read.warnings).to_json()   # the cases read INTAKE.md's JSON
    programs = {p["id"]: p for p in result["programs"]}
    for variant_id, expected in case.get("expect", {}).items():
        program = programs.get(variant_id)
        if expected.get("absent"):
            assert program is None, f"{variant_id} should not be in force on {on}"
            continue
        assert program is not None, f"{variant_id} is not in the result"
        context = f"{variant_id}: status {program['status']}, reasons {program['reasons']}"
        if "status" in expected:
            assert program["status"] == expected["status"], f"{context}, route {program['route']!r}"
        for fragment in expected.get("reasons_include", ()):
            assert any(fragment in r for r in program["reasons"]), f"{fragment!r} not in reasons; {context}"
        for fragment in expected.get("todo_include", ()):
            assert any(fragment in t["what"] or fragment in (t["where"] or "") for t in program["todo"]), \
                f"{fragment!r} not in todo {program['todo']}"
        if "route_include" in expected:
            fragments = expected["route_include"]
            assert (program["route"] is None) == (not fragments), f"route: {program['route']!r}; {context}"
            for fragment in fragments:
                assert fragment in program["route"], f"{fragment!r} not in route {program['route']!r}"
        for key in ("rate_pct", "own_rate_pct", "city_share_pct", "remaining_limit_yen", "guarantee_fee_pct", "stale",
                    "route_contact_id"):
            if key in expected:
                assert program[key] == expected[key], f"{key}: {program[key]!r}; {context}"
    output = case.get("output") or {}
    for fragment in output.get("warnings_include", ()):
        assert any(fragment in w for w in result["warnings"]), f"{fragment!r} not in {result['warnings']}"
    for fragment in output.get("warnings_exclude", ()):
        assert not any(fragment in w for w in result["warnings"]), f"{fragment!r} unexpectedly in {result['warnings']}"
    for role, contact_id in (output.get("first_contact") or {}).items():
        first = next((c for c in result["contacts"] if c["role"] == role), None)
        assert first is not None and first["id"] == contact_id, f"first {role}: {first and first['id']}"
    if "size_class" in output:
        assert result["sme"]["size_class"] == output["size_class"], result["sme"]
    if "is_sme" in output:
        assert result["sme"]["is_sme"] == output["is_sme"], result["sme"]
