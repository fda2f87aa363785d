"""Properties of the engine over generated intakes (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk import vocab
from desk.intake.places import resolve_place
from desk.intake.reader import IntakeError, read_intake
from desk.matching import engine
from desk.matching.answer import MatchReport
from desk.matching.service import run
from desk.rules.outcome import FAIL

PLACES = ["横須賀市", "横浜市中区", "相模原市緑区", "葉山町", "藤沢市", None]
ON = dt.date(2026, 11, 22)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def world(loaded_catalogue):
    loaded = loaded_catalogue
    places = {m: resolve_place(loaded.places, municipality=m) for m in PLACES}
    places["静岡県"] = resolve_place(loaded.places, prefecture="静岡県", municipality="浜松市")
    return loaded, places


pct = st.one_of(st.none(), st.floats(min_value=-100, max_value=200, allow_nan=False))
years = st.one_of(pct, st.lists(pct, max_size=3))
valid_intakes = st.fixed_dictionaries({}, optional={
    "entity": st.sampled_from(list(vocab.ENTITIES)),
    "founding_form": st.sampled_from(["sole_proprietor", "corporation"]),
    "months_until_start": st.integers(0, 24),
    "industry": st.sampled_from(list(vocab.INDUSTRIES)),
    "capital_yen": st.integers(0, 10**10),
    "employees": st.integers(0, 2000),
    "months_in_business": st.integers(0, 600),
    "months_in_kanagawa": st.integers(0, 600),
    "licence": st.sampled_from(["not_needed", "held", "expected"]),
    "licence_months": st.integers(0, 120),
    "purposes": st.lists(st.sampled_from(list(vocab.PURPOSES)), max_size=4),
    "amount_yen": st.integers(0, 10**9),
    "term_months": st.integers(1, 300),
    "sales_change": st.fixed_dictionaries({}, optional={
        "last_1m_pct": years, "last_3m_pct": years, "last_6m_pct": years, "next_3m_forecast_pct": years,
        "last_fy_pct": pct}),
    "sales_basis": st.sampled_from(["sales", "gross_profit"]),
    "causes": st.lists(st.sampled_from(list(vocab.CAUSES)), max_size=3),
    "certifications": st.lists(st.sampled_from(list(vocab.CERTIFICATIONS)), max_size=3),
    "plans": st.lists(st.sampled_from(list(vocab.BUILTIN_PLANS)), max_size=3),
    "guaranteed_balance_yen": st.integers(0, 10**9),
    "has_eased_conditions": st.booleans(),
    "tax_arrears": st.booleans(),
    "answers": st.dictionaries(st.sampled_from(["spin_off", "restart_after_closure", "receivable_bridge",
                                                "bankrupt_customer_receivable_yen", "disaster_damage"]),
                               st.one_of(st.booleans(), st.integers(0, 10**8))),
})
places = st.sampled_from([*PLACES, "静岡県"])


def _run(world, data, place_key):
    loaded, resolved = world
    intake = read_intake(data).intake
    return intake, run(loaded, intake, resolved[place_key], on=ON)


@SETTINGS
@given(data=valid_intakes, place_key=places)
def test_no_valid_intake_crashes_and_every_program_gets_a_status(world, data, place_key):
    _, report = _run(world, data, place_key)
    assert report.funds
    for fund in report.funds:
        assert fund.status in ("eligible", "conditional", "ineligible")
        if fund.status != "eligible":
            assert fund.reasons, fund.id
    statuses = [engine.STATUS_ORDER[f.status] for f in report.funds]
    assert statuses == sorted(statuses)


@SETTINGS
@given(data=valid_intakes, place_key=places)
def test_every_report_comes_back_equal_through_its_json(world, data, place_key):
    _, report = _run(world, data, place_key)
    text = json.dumps(report.to_json(), ensure_ascii=False)
    assert MatchReport.from_json(json.loads(text)) == report


@SETTINGS
@given(raw=st.dictionaries(st.sampled_from([*sorted(read_intake({}).intake.__dataclass_fields__), "junk"]),
                           st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                                     st.lists(st.text(max_size=5), max_size=3),
                                     st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))))
def test_junk_intakes_are_refused_cleanly_or_matched(world, raw):
    try:
        intake = read_intake(raw).intake
    except IntakeError as exc:
        assert str(exc).split(":")[0], "the message names a key"
        return
    loaded, resolved = world
    run(loaded, intake, resolved["横須賀市"], on=ON)


@SETTINGS
@given(data=valid_intakes, extra=st.integers(1, 500), place_key=places)
def test_more_employees_never_makes_a_size_limited_program_newly_eligible(world, data, extra, place_key):
    if "employees" not in data:
        data = {**data, "employees": 0}
    _, before = _run(world, data, place_key)
    _, after = _run(world, {**data, "employees": data["employees"] + extra}, place_key)
    was = {f.id: f.status for f in before.funds}
    loaded, _ = world
    for fund in after.funds:
        variant = loaded.catalogue.variant(fund.id)
        limited = any("employees_at_most" in str(c) for c in variant.conditions)
        if limited and fund.status == "eligible":
            assert was[fund.id] == "eligible", fund.id


@SETTINGS
@given(data=valid_intakes, place_key=places)
def test_an_eligible_program_never_has_a_failed_check(world, data, place_key):
    loaded, resolved = world
    intake = read_intake(data).intake
    place = resolved[place_key]
    result = engine.match(loaded.catalogue, intake, on=ON, sales=intake.sales_change, prefecture=place.prefecture,
                          municipality=place.municipality, city=place.city)
    for r in result.programs:
        if r.status != engine.ELIGIBLE:
            continue
        facts = engine.facts_for(loaded.catalogue, intake, sales=intake.sales_change, on=ON, provider=r.provider,
                                 prefecture=place.prefecture, municipality=place.municipality, city=place.city)
        # A provider-wide check the variant waives (founders and the 1-year rule) may fail: it does not apply.
        waived = {e["check"] for e in r.variant.general_exceptions if e["effect"] == "waive"}
        general = [c for c in r.provider.general_conditions if c.get("check") not in waived]
        for condition in general + list(r.variant.conditions):
            assert engine.evaluate_condition(condition, facts).status != FAIL, (r.variant.id, condition)


def test_a_match_leaves_the_garbage_collector_as_it_found_it(world):
    import gc

    loaded, resolved = world
    intake = read_intake({"industry": "manufacturing"}).intake
    for state in (True, False):
        (gc.enable if state else gc.disable)()
        run(loaded, intake, resolved["横須賀市"], on=ON)
        assert gc.isenabled() is state
    gc.enable()
