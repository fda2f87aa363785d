"""The results pane: a closed fund's detail says what would open it; the funds made for a
circumstance the visitor did not mention are gathered under one line that says what to ask."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from desk.matching.answer import FundTodo
from desk.ui.results_model import CIRCUMSTANCES, CLOSED
from desk.ui.results_view import ResultsView
from tests import answers

ROUTE = "事業継続力強化計画を作成し、経済産業大臣の認定を受けることで対象になります（関東経済産業局）"


def test_the_detail_of_a_closed_fund_gives_its_route(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(answers.report()._replace(funds=(
        answers.fund(id="bcp", name="BCP策定支援融資", status="ineligible", reasons=("計画の認定が必要です",),
                     route=ROUTE, route_contact_id="meti-kanto.main"),
        answers.fund(id="flood", name="災害対応融資", status="ineligible", reasons=("被害を受けた方が対象です",)),
    )))
    closed = view.model.index(CLOSED, 0)
    view.tree.selectionModel().setCurrentIndex(view.model.index(0, 0, closed),
                                               QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert "対象になるには" in view.detail.toPlainText() and ROUTE in view.detail.toPlainText()
    view.tree.selectionModel().setCurrentIndex(view.model.index(1, 0, closed),
                                               QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert "対象になるには" not in view.detail.toPlainText()       # a fact no one chooses: no route


def test_the_steps_that_open_funds_are_a_group_of_their_own_and_the_closed_list_starts_collapsed(qtbot,
                                                                                                 qtmodeltester):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(answers.report()._replace(funds=(
        answers.fund(id="ok", status="eligible"),
        answers.fund(id="bcp.i", name="BCP策定支援融資（イ）", status="ineligible", route=ROUTE),
        answers.fund(id="bcp.u", name="BCP策定支援融資（ウ）", status="ineligible", route=ROUTE),
    )))
    qtmodeltester.check(view.model)
    model = view.model
    openings = model.index(2, 0)
    assert model.data(openings) == "取り組めば対象（1通り）"
    step = model.index(0, 0, openings)
    assert model.data(step) == f"［2件］{ROUTE}" and view.tree.isFirstColumnSpanned(0, openings)
    assert model.fund(step) is None and model.opening(step).step == ROUTE
    assert view.tree.isExpanded(openings) and not view.tree.isExpanded(model.index(CLOSED, 0))
    view.tree.selectionModel().setCurrentIndex(step, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    detail = view.detail.toPlainText()
    assert ROUTE in detail and "BCP策定支援融資（イ）" in detail and "BCP策定支援融資（ウ）" in detail


def test_the_window_lists_the_best_five_steps(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(answers.report()._replace(funds=tuple(
        answers.fund(id=f"f{i}", status="ineligible", route=f"計画{i}の認定を受けることで対象になります")
        for i in range(7))))
    openings = view.model.index(2, 0)
    assert view.model.data(openings) == "取り組めば対象（上位5通り／全7通り）"
    assert view.model.rowCount(openings) == 5 and view.model.rowCount(view.model.index(CLOSED, 0)) == 7


DISASTER = FundTodo("自然災害などで被害を受けた", None, None, "situation")
TRADE = FundTodo("貿易の仕事（輸出入・輸出品製造）", None, None, "situation")


def test_funds_made_for_an_unmentioned_circumstance_are_gathered_under_one_line_saying_what_to_ask(
        qtbot, qtmodeltester):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(answers.report()._replace(funds=(
        answers.fund(id="saigai.a", name="災害対応融資（ア）", status="ineligible", todos=(DISASTER,)),
        answers.fund(id="small", name="小規模事業資金", status="ineligible", reasons=("従業員数が上限を超えています",)),
        answers.fund(id="boeki", name="輸出入促進資金", status="ineligible", todos=(TRADE,),
                     reasons=("貿易関連業者が対象です",)),
        answers.fund(id="saigai.u", name="災害対応融資（ウ）", status="ineligible", todos=(DISASTER,)),
    )))
    qtmodeltester.check(view.model)
    model = view.model
    made_for = model.index(CIRCUMSTANCES, 0)
    assert model.data(made_for) == "災害・貿易など特定の事情がある方向けの資金（3件）"
    assert not view.tree.isExpanded(made_for) and view.tree.isFirstColumnSpanned(CIRCUMSTANCES, made_for.parent())
    # One row per circumstance: what to ask, and the funds it would bring within reach.
    assert [model.data(model.index(r, 0, made_for)) for r in range(2)] == [
        "自然災害などで被害を受けた → 災害対応融資（ア）、災害対応融資（ウ）",
        "貿易の仕事（輸出入・輸出品製造） → 輸出入促進資金"]
    assert view.tree.isFirstColumnSpanned(1, made_for) and model.fund(model.index(0, 0, made_for)) is None
    closed = model.index(CLOSED, 0)   # not listed again among the rest
    assert model.data(closed) == "対象外（1）" and model.data(model.index(0, 0, closed)) == "小規模事業資金"
    view.tree.selectionModel().setCurrentIndex(model.index(1, 0, made_for),
                                               QItemSelectionModel.SelectionFlag.ClearAndSelect)
    detail = view.detail.toPlainText()
    assert "「貿易の仕事（輸出入・輸出品製造）」に当てはまる場合に対象になり得ます" in detail
    assert "輸出入促進資金" in detail


def test_without_such_funds_the_line_is_an_empty_group(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(answers.report()._replace(funds=(answers.fund(id="ok", status="eligible"),)))
    assert view.model.data(view.model.index(CIRCUMSTANCES, 0)) == "災害・貿易など特定の事情がある方向けの資金（0件）"
