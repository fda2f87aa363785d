"""The results pane: a closed fund's detail says what would open it; the funds made for a
circumstance the visitor did not mention are gathered under one line that says what to ask."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk.matching.answer import FundTodo
from desk.ui.results_model import CIRCUMSTANCES, CLOSED
from desk.ui.results_view import COMPARE_HINT, DETAIL_HINT, ResultsView
from tests import answers
from tests.ui.ticks import click_tick

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


FITTING = answers.report()._replace(funds=tuple(
    answers.fund(id=f"f{n}", name=f"資金{n}", status="eligible" if n < 3 else "conditional") for n in range(5)))


def _showing_fitting(qtbot) -> ResultsView:
    """A results view on screen (900 × 600) showing FITTING: three funds that fit, two conditional."""
    view = ResultsView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.show_report(FITTING)
    return view


def test_a_click_on_a_funds_box_ticks_it_and_a_fourth_is_refused_in_words(qtbot):
    view = _showing_fitting(qtbot)
    assert not view.compare_button.isEnabled() and view.compare_button.text() == "比較・試算（✓0件）"
    rows = [view.model.index(r, 0, view.model.index(0, 0)) for r in range(3)]
    rows.append(view.model.index(0, 0, view.model.index(1, 0)))
    for row in rows[:3]:
        with qtbot.waitSignal(view.model.ticks_changed):
            click_tick(view.tree, row)
    assert view.compare_button.isEnabled() and view.compare_button.text() == "比較・試算（✓3件）"
    with qtbot.waitSignal(view.model.tick_refused):
        click_tick(view.tree, rows[3])
    assert view.compare_hint.lines() == ["比較は3件までです。ほかの資金の✓を外してから加えてください。"]
    assert view.model.data(rows[3], Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    with qtbot.waitSignal(view.model.ticks_changed):
        click_tick(view.tree, rows[0])                      # one off: the hint says what ticking does again
    assert view.compare_hint.lines() == [COMPARE_HINT] and view.compare_button.text() == "比較・試算（✓2件）"
    with qtbot.waitSignal(view.compare_requested):
        QTest.mouseClick(view.compare_button, Qt.MouseButton.LeftButton)


def test_the_context_menu_adds_a_fund_to_the_comparison(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    view.show()
    view.show_report(FITTING)
    row = view.model.index(1, 0, view.model.index(0, 0))
    menu = view._tree_menu(view.tree.visualRect(row).center())
    assert menu is not None
    add, opened = menu.actions()
    assert add.text() == "比較に加える" and not opened.isEnabled()
    add.trigger()
    assert [f.id for f in view.model.ticked()] == ["f1"]
    menu.close()
    menu = view._tree_menu(view.tree.visualRect(row).center())
    assert menu is not None and menu.actions()[0].text() == "比較から外す" and menu.actions()[1].isEnabled()
    menu.close()


def test_the_refusal_gives_way_to_the_usual_hint_on_an_untick_by_key_and_on_the_next_answer(qtbot):
    """Fresh eyes: 「比較は3件までです…」 stayed on screen after it no longer applied."""
    view = _showing_fitting(qtbot)
    group = view.model.index(0, 0)
    for row in range(3):
        view.model.tick(view.model.fund(view.model.index(row, 0, group)).id)
    fourth = view.model.index(0, 0, view.model.index(1, 0))
    with qtbot.waitSignal(view.model.tick_refused):
        click_tick(view.tree, fourth)
    view.tree.setFocus()
    view.tree.setCurrentIndex(view.model.index(1, 0, group))
    with qtbot.waitSignal(view.model.ticks_changed):
        QTest.keyClick(view.tree, Qt.Key.Key_Space)      # Space on a ticked fund unticks it
    assert view.compare_hint.lines() == [COMPARE_HINT] and len(view.model.ticked()) == 2
    with qtbot.waitSignal(view.model.tick_refused):
        view.model.tick(view.model.fund(view.model.index(1, 0, group)).id)
        click_tick(view.tree, fourth)
    view.show_report(FITTING)                             # the next answer: the same three stay ticked
    assert view.compare_hint.lines() == [COMPARE_HINT] and len(view.model.ticked()) == 3


def test_with_no_fund_chosen_the_detail_says_what_it_is_for_whole_at_the_largest_size(qtbot):
    """A placeholder is drawn on one line: at 24 pt 「…ここに出ます。」 was cut at the pane's edge."""
    font = QApplication.font()
    font.setPointSize(24)
    view = ResultsView()
    view.setFont(font)
    qtbot.addWidget(view)
    view.resize(762, 661)   # the results pane on a 1366×768 laptop
    view.show()
    qtbot.waitExposed(view)
    detail = view.detail
    assert detail.toPlainText() == DETAIL_HINT
    assert detail.document().size().width() <= detail.viewport().width()            # wrapped, not cut
    assert detail.document().size().height() <= detail.viewport().height()
    view.show_report(answers.report()._replace(funds=(answers.fund(id="a", name="小規模事業資金"),)))
    first = view.model.index(0, 0, view.model.index(0, 0))
    view.tree.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert "小規模事業資金" in detail.toPlainText()
    view.show_report(answers.report()._replace(funds=()))   # the fund gone: the hint again
    assert detail.toPlainText() == DETAIL_HINT
