"""What the business could open: closed funds gathered by the step that opens them."""

from __future__ import annotations

from desk.matching.answer import FundTodo
from desk.matching.routes import awaited, circumstances, openings, ranked_questions
from tests.answers import fund, report

BCP = "事業継続力強化計画の認定を受けることで対象になります（関東経済産業局）"
SDGS = "「かながわSDGsパートナー」として県に登録することで対象になります"


def _report(*funds):
    return report()._replace(funds=funds)


def test_one_step_gathers_every_fund_it_opens_best_first():
    result = _report(
        fund(id="ok", status="eligible"),
        fund(id="bcp.i", status="ineligible", route=BCP, route_contact_id="meti-kanto.main"),
        fund(id="sdgs.a", status="ineligible", route=SDGS),
        fund(id="bcp.u", status="ineligible", route=BCP, route_contact_id="meti-kanto.main"),
        fund(id="closed", status="ineligible"),
    )
    steps = openings(result)
    assert [s.step for s in steps] == [BCP, SDGS]
    assert [f.id for f in steps[0].funds] == ["bcp.i", "bcp.u"] and steps[0].contact_id == "meti-kanto.main"


def test_a_step_that_opens_more_funds_wins_a_tie_and_closed_funds_without_a_route_open_nothing():
    result = _report(fund(id="a", status="ineligible", route=SDGS), fund(id="b", status="ineligible"))
    assert [s.step for s in openings(result)] == [SDGS]
    assert openings(_report(fund(id="x", status="conditional", route=None))) == []


def test_a_route_of_several_steps_is_numbered_and_ranks_after_single_steps():
    from desk.matching import wording
    from desk.matching.answer import FundTodo

    two = wording.route((FundTodo("事業承継の計画を立てる", "事業承継・引継ぎ支援センター", None, "step"),
                         FundTodo("県の認定を受ける", None, None, "step")))
    assert two == ("次のすべてで対象になります: ①事業承継の計画を立てる　②県の認定を受ける"
                   "（事業承継・引継ぎ支援センター）")
    assert wording.route_steps(two) == 2 and wording.route_steps(BCP) == 1
    result = _report(fund(id="cheap", status="ineligible", route=two), fund(id="dear", status="ineligible", route=BCP))
    assert [s.step for s in openings(result)] == [BCP, two]


DISASTER = FundTodo("自然災害などで被害を受けた", None, None, "situation")
TRADE = FundTodo("貿易の仕事（輸出入・輸出品製造）", None, None, "situation")


def test_funds_waiting_on_an_unmentioned_circumstance_are_gathered_by_it_in_the_order_of_their_best_fund():
    result = _report(
        fund(id="ok", status="eligible"),
        fund(id="boeki", status="ineligible", todos=(TRADE,)),
        fund(id="saigai.a", status="ineligible", todos=(DISASTER,)),
        fund(id="small", status="ineligible"),
        fund(id="saigai.u", status="ineligible", todos=(DISASTER,)),
        fund(id="bcp", status="ineligible", route=BCP, todos=(DISASTER,)),   # a route says it already
    )
    waiting = circumstances(result)
    assert [(c.name, [f.id for f in c.funds]) for c in waiting] == [
        (TRADE.what, ["boeki"]), (DISASTER.what, ["saigai.a", "saigai.u"])]
    assert awaited(result.fund("small")) is None and awaited(result.fund("ok")) is None


def test_questions_are_ranked_by_the_first_fund_waiting_then_by_how_many_wait():
    def asks(*qids):
        return tuple(FundTodo(q, None, None, "question", q) for q in qids)

    result = _report(
        fund(id="a", status="eligible", todos=asks("ignored")),     # an eligible fund asks nothing
        fund(id="b", status="conditional", todos=asks("late", "shared")),
        fund(id="c", status="conditional", todos=asks("shared", "other")),
    )
    assert ranked_questions(result) == ["shared", "late", "other"]   # tie at fund b: the one more wait on
