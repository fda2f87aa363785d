"""How firmly failures close a fund when conditions combine (INTAKE.md `route`)."""

from __future__ import annotations

from desk.matching.engine import _route_and_todos
from desk.rules.outcome import FAIL, OPEN, SHUT, SITUATION, STEP, UNSTATED, Outcome, Todo, all_of, any_of

PLAN = Todo("経営革新計画の承認を受ける", "pref.kanagawa", STEP)
DISASTER = Todo("自然災害などで被害を受けた", None, SITUATION)
SIZE = Outcome.fail("従業員数が上限を超えています")
DOCUMENTS = (Todo("納税証明書等", "applicant", "document"),)


def test_a_step_opens_a_failure_and_a_circumstance_leaves_it_to_be_asked_about():
    assert Outcome.fail_until("計画が必要です", PLAN).closed == OPEN
    assert Outcome.fail_until("被害を受けた方が対象です", DISASTER).closed == UNSTATED
    assert SIZE.closed == SHUT


def test_all_of_is_as_closed_as_its_most_closed_failure():
    plan, disaster = Outcome.fail_until("計画", PLAN), Outcome.fail_until("被害", DISASTER)
    assert all_of([plan, disaster]).closed == UNSTATED
    assert all_of([plan, disaster, SIZE]).closed == SHUT
    assert all_of([plan, Outcome.fail_until("計画2", PLAN)]).closed == OPEN


def test_any_of_is_as_open_as_its_most_open_branch_and_takes_that_branchs_way_in():
    combined = any_of([SIZE, Outcome.fail_until("被害", DISASTER), Outcome.fail_until("計画", PLAN)])
    assert combined.status == FAIL and combined.closed == OPEN and combined.todos == (PLAN,)
    assert any_of([SIZE, Outcome.fail_until("被害", DISASTER)]).closed == UNSTATED
    assert any_of([SIZE, SIZE]).closed == SHUT


def test_a_fund_names_the_circumstance_it_waits_on_only_when_nothing_else_shuts_it():
    route, todos = _route_and_todos(all_of([Outcome.fail_until("被害", DISASTER), SIZE]), DOCUMENTS)
    assert route == () and todos == DOCUMENTS                       # asking would not open it
    route, todos = _route_and_todos(Outcome.fail_until("被害", DISASTER), DOCUMENTS)
    assert route == () and todos == (DISASTER, *DOCUMENTS)
    route, todos = _route_and_todos(Outcome.fail_until("計画", PLAN), DOCUMENTS)
    assert route == (PLAN,) and todos == DOCUMENTS
