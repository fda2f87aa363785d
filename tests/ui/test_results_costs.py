"""Costs in the results: the 総額の目安 column, sorting each group by a heading (the answer's
order until then), and the detail pane's figures and yearly table."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desk.costs.cost import Cost
from desk.ui.results_model import TOTAL, ResultsTreeModel
from desk.ui.results_view import ResultsView
from tests import answers


def _cost(low: int, high: int | None, **changes) -> Cost:
    base = Cost(amount_yen=20_000_000, term_months=60, grace_months=12, method="equal_principal",
                monthly_during_grace=30_000, monthly_first=446_667, monthly_last=417_292, interest_yen=915_000,
                city_share_yen=0, own_interest_yen=915_000,
                guarantee_fee_yen=None if high is None else (low - 915_000, high - 915_000), total_yen=(low, high),
                assumptions=("利率は上限で計算しています。",), rate_pct=1.8, city_share_pct=None)
    return base._replace(**changes)


CHEAP = answers.fund(id="cheap", name="安い資金", cost=_cost(1_038_750, 1_437_500))
DEAR = answers.fund(id="dear", name="高い資金", cost=_cost(1_365_833, 1_954_333), remaining_limit_yen=90_000_000)
NONE = answers.fund(id="none", name="銀行所定の資金", cost=None, remaining_limit_yen=200_000_000)
REPORT = answers.report()._replace(funds=(CHEAP, DEAR, NONE))


def _eligible_ids(model: ResultsTreeModel) -> list[str]:
    group = model.index(0, 0)
    return [model.fund(model.index(row, 0, group)).id for row in range(model.rowCount(group))]


def test_the_total_column_and_its_tooltip(qtmodeltester):
    model = ResultsTreeModel()
    model.set_report(REPORT)
    qtmodeltester.check(model)
    group = model.index(0, 0)
    assert model.headerData(TOTAL, Qt.Orientation.Horizontal) == "総額（目安）"
    assert [model.data(model.index(r, TOTAL, group)) for r in range(3)] == ["144万円", "195万円", "—"]
    tip = model.data(model.index(0, TOTAL, group), Qt.ItemDataRole.ToolTipRole)
    assert "据置中 毎月 30,000円" in tip and "ご負担の合計（目安） 1,038,750〜1,437,500円" in tip


def test_a_heading_sorts_each_group_and_a_fund_without_the_figure_stays_last(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(REPORT)
    assert _eligible_ids(view.model) == ["cheap", "dear", "none"]   # the answer's order
    view.tree.sortByColumn(TOTAL, Qt.SortOrder.DescendingOrder)
    assert _eligible_ids(view.model) == ["dear", "cheap", "none"]
    view.tree.sortByColumn(2, Qt.SortOrder.DescendingOrder)          # the most left of the limit first
    assert _eligible_ids(view.model) == ["none", "dear", "cheap"]
    view.show_report(REPORT)                                          # a new match keeps the chosen order
    assert _eligible_ids(view.model) == ["none", "dear", "cheap"]


def test_the_detail_pane_gives_the_figures_and_a_yearly_table(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show_report(REPORT)
    view.tree.setCurrentIndex(view.model.index(0, 0, view.model.index(0, 0)))
    text = view.detail.toPlainText()
    assert "費用の目安" in text and "利息 915,000円" in text and "保証料 123,750〜522,500円" in text
    assert "1年目" in text and "5年目" in text and "6年目" not in text
    assert "合計は丸める前の額で計算しています" in text and "※利率は上限で計算しています。" in text


def test_a_warning_about_an_input_names_the_field_as_the_form_does(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    about_input = "answers: 「省エネ設備等を導入する」に回答がありますが、「省エネ」が選ばれていません"
    warned = REPORT._replace(warnings=(about_input, "相模原市の制度は前年度の資料によるものです"))
    view.show_report(warned)
    said = "\n".join(view.summary.lines())
    assert "⚠ 追加の質問: 「省エネ設備等を導入する」" in said and "answers" not in said
    assert "⚠ 相模原市の制度は前年度の資料によるものです" in said
