"""The results pane: a closed fund's detail says what would open it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

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
    closed = view.model.index(3, 0)
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
    assert view.tree.isExpanded(openings) and not view.tree.isExpanded(model.index(3, 0))
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
    assert view.model.rowCount(openings) == 5 and view.model.rowCount(view.model.index(3, 0)) == 7
