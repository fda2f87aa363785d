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
    closed = view.model.index(2, 0)
    view.tree.selectionModel().setCurrentIndex(view.model.index(0, 0, closed),
                                               QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert "対象になるには" in view.detail.toPlainText() and ROUTE in view.detail.toPlainText()
    view.tree.selectionModel().setCurrentIndex(view.model.index(1, 0, closed),
                                               QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert "対象になるには" not in view.detail.toPlainText()       # a fact no one chooses: no route
