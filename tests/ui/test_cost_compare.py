"""比較・試算: the ticked funds side by side, with desk.costs' figures for the form's request and,
as the clerk types another amount, term, grace or method, for that one; the form changes only
when the clerk carries the values back. Driven with real clicks and keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QWidget

from desk.costs.cost import Cost
from desk.intake.reader import read_intake
from desk.matching import comparison
from desk.matching.answer import FundResult
from desk.matching.costing import request_of
from desk.ui import cost_compare, look
from desk.ui.cost_compare import CostCompareDialog
from tests.ui.conftest import TODAY
from tests.ui.keys import type_text
from tests.ui.ticks import click_tick

EXAMPLE = Path(__file__).parents[2] / "examples" / "intakes" / "yokosuka-supplier-cost.json"
TOTAL, FITTED, LOAN = "ご負担の合計（目安）", "この資金での調整", "試算した借入"


@pytest.fixture
def window(make_window, qtbot):
    """The Yokosuka supplier (3,000万円, 7 years, a year's grace) on screen, its results fitted."""
    window = make_window()
    window.resize(1366, 740)
    with qtbot.waitSignal(window.engine_loaded, timeout=10_000):
        pass
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.load(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    tree = window.results.tree
    qtbot.waitUntil(lambda: tree.visualRect(window.results.model.index(0, 0, window.results.model.index(0, 0)))
                    .width() > 40)
    return window


@pytest.fixture
def dialog(window, qtbot) -> CostCompareDialog:
    """The first three funds that fit, ticked by clicks, compared through the button."""
    model, tree = window.results.model, window.results.tree
    eligible = model.index(0, 0)
    assert model.rowCount(eligible) >= 3
    for row in range(3):
        with qtbot.waitSignal(model.ticks_changed):
            click_tick(tree, model.index(row, 0, eligible))
    QTest.mouseClick(window.results.compare_button, Qt.MouseButton.LeftButton)
    found = window.findChild(CostCompareDialog)
    assert found is not None
    qtbot.waitUntil(lambda: len(found.columns) == 3)
    return found


def _match(window, **changes: object) -> dict[str, FundResult]:
    """The funds of a match on the form with these changes: what the figures must equal."""
    data = {**window.stepper.intake_data(), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    report = window.services.matcher.match(read_intake(data).intake, on=TODAY)
    return {f.id: f for f in report.funds}


def _shows(dialog: CostCompareDialog, column: int, cost: Cost) -> None:
    """The column's figures are ``cost``'s, to the yen."""
    cell = lambda label: dialog.model.cell(label, column)   # noqa: E731
    assert cell(LOAN) == comparison.loan(cost, method_apart="\n")
    assert cell("毎月（初回）") == f"{cost.monthly_first:,}円" and cell("毎月（最終回）") == f"{cost.monthly_last:,}円"
    assert cell("毎月（据置中）") == (f"{cost.monthly_during_grace:,}円" if cost.monthly_during_grace else "据置なし")
    assert cell("利息") == f"{cost.interest_yen:,}円"
    assert cell("保証料") == comparison.fee(cost)
    assert cell(TOTAL).startswith(comparison.total(cost))


def _type_into(qtbot, dialog: CostCompareDialog, spin: QAbstractSpinBox, text: str) -> None:
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    with qtbot.waitSignal(dialog.figures_updated):
        QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(spin, text)


def test_ticked_funds_side_by_side_with_the_answers_own_figures(window, dialog, qtmodeltester):
    qtmodeltester.check(dialog.model)
    ticked = window.results.model.ticked()
    assert [c.fund.id for c in dialog.columns] == [f.id for f in ticked]
    assert dialog.model.row_labels()[:1] == ["資金"] and dialog.model.cell("資金", 0) == ticked[0].name
    for column, fund in enumerate(ticked):
        assert fund.cost is not None and dialog.columns[column].cost == fund.cost
        _shows(dialog, column, fund.cost)
        assert dialog.model.cell(FITTED, column) == "ご希望どおり"
    assert "まず取得するもの" in dialog.model.row_labels() and "□ " in dialog.model.cell("まず取得するもの", 0)
    assert (dialog.amount.text(), dialog.term.text(), dialog.grace.text()) == ("3,000 万円", "84 か月", "12 か月")
    assert not dialog.carry_button.isEnabled() and "フォームの条件で計算" in dialog.note.text()
    common = dialog.model.cell("計算の前提（共通）", 0)
    assert "※利率は各資金の上限の値で計算。" in common and "※2026年11月22日時点の条件。" in common
    assert common.endswith(comparison.REVIEW) and dialog.table.columnSpan(dialog.model.rowCount() - 1, 0) == 3


def test_a_new_term_typed_updates_every_figure_and_leaves_the_form_alone(window, dialog, qtbot):
    form = window.stepper.intake_data()
    _type_into(qtbot, dialog, dialog.term, "60")
    assert dialog.request().term_months == 60
    by_id = _match(window, term_months=60)
    for column, shown in enumerate(dialog.columns):
        expected = by_id[shown.fund.id].cost
        assert expected is not None and shown.cost == expected and expected.term_months == 60
        _shows(dialog, column, expected)
    assert window.stepper.intake_data() == form
    assert dialog.carry_button.isEnabled() and "フォームは変わっていません" in dialog.note.text()
    assert dialog.term_words.text() == "（5年）"


def test_amount_grace_and_method_follow_too(window, dialog, qtbot):
    _type_into(qtbot, dialog, dialog.amount, "1500")
    _type_into(qtbot, dialog, dialog.grace, "6")
    dialog.method.setFocus()
    qtbot.waitUntil(dialog.method.hasFocus)
    with qtbot.waitSignal(dialog.figures_updated):
        QTest.keyClick(dialog.method, Qt.Key.Key_Down)
        QTest.keyClick(dialog.method, Qt.Key.Key_Down)         # 元利均等
    assert dialog.request().method is not None and dialog.request().method.value == "equal_payment"
    by_id = _match(window, amount_yen=15_000_000, grace_months=6, repayment="equal_payment")
    for column, shown in enumerate(dialog.columns):
        expected = by_id[shown.fund.id].cost
        assert expected is not None and shown.cost == expected and expected.amount_yen == 15_000_000
        _shows(dialog, column, expected)


def test_where_a_funds_own_terms_cap_the_request_the_comparison_says_so(dialog, qtbot):
    _type_into(qtbot, dialog, dialog.term, "240")
    _type_into(qtbot, dialog, dialog.amount, "50000")
    for column, shown in enumerate(dialog.columns):
        said = dialog.model.cell(FITTED, column)
        assert "ご希望の期間はこの資金の最長を超えるため" in said and "ご希望額のうち" in said
        assert shown.cost is not None and shown.cost.term_months < 240
        assert shown.cost.amount_yen == shown.fund.remaining_limit_yen


def test_carrying_the_values_back_changes_the_form_and_the_results_follow(window, dialog, qtbot):
    _type_into(qtbot, dialog, dialog.term, "60")
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        QTest.mouseClick(dialog.carry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.carry_button.isEnabled())
    assert window.stepper.field("term_months").editor.text() == "60"
    assert window.stepper.field("amount_yen").editor.text() == "3,000万円"
    assert window.intake_on_screen is not None and window.intake_on_screen.term_months == 60
    assert [c.cost for c in dialog.columns] == [f.cost for f in window.results.model.ticked()]
    assert "フォームの条件で計算" in dialog.note.text()


def test_a_change_in_the_form_starts_the_what_if_again_from_it(window, dialog, qtbot):
    _type_into(qtbot, dialog, dialog.grace, "3")
    with qtbot.waitSignal(dialog.figures_updated, timeout=5000):
        window.stepper.field("amount_yen").set_value("2,000万円")
    qtbot.waitUntil(lambda: dialog.amount.value() == 2000)
    assert dialog.grace.value() == 12 and not dialog.reset_button.isEnabled()


def test_unticking_a_fund_takes_it_out_and_a_fourth_is_refused(window, dialog, qtbot):
    model = window.results.model
    conditional = model.index(0, 0, model.index(1, 0))
    with qtbot.waitSignal(model.tick_refused):
        click_tick(window.results.tree, conditional)
    assert "比較は3件までです" in window.results.compare_hint.lines()[0] and len(dialog.columns) == 3
    with qtbot.waitSignal(dialog.figures_updated):
        click_tick(window.results.tree, model.index(0, 0, model.index(0, 0)))
    assert len(dialog.columns) == 2


def test_a_fee_the_seeds_do_not_give_is_said_never_free(window, qtbot):
    """A guaranteed fund whose fee the seeds do not give (the fee taken out of two real funds)."""
    funds = [f for f in window.results.report.funds if f.cost is not None][:2]

    def no_fee(chosen):
        return tuple(b._replace(pricing=b.pricing._replace(fee_range_pct=None))
                     for b in cost_compare._bases(window, chosen))

    dialog = CostCompareDialog(bases_for=no_fee, carry_back=lambda request: None, parent=window)
    with qtbot.waitSignal(dialog.figures_updated):
        dialog.show_funds(funds, request_of(window.intake_on_screen))
    assert all(dialog.model.cell("保証料", n) == "保証料は資料に記載なし" for n in range(len(funds)))
    assert all("＋保証料（保証料は資料に記載なし）" in dialog.model.cell(TOTAL, n) for n in range(len(funds)))
    dialog.close()


def _wheel_over(widget: QWidget, angle: QPoint) -> None:
    top = widget.window()
    at = widget.mapTo(top, widget.rect().center())
    QTest.wheelEvent(top.windowHandle(), QPointF(at), angle)


def test_the_wheel_over_the_what_if_changes_nothing(dialog, qtbot):
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    before = (dialog.request(), [c.cost for c in dialog.columns])
    for widget in (dialog.amount, dialog.term, dialog.grace, dialog.method):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        for angle in (QPoint(0, -120), QPoint(0, 120), QPoint(0, 120)):
            _wheel_over(widget, angle)
    qtbot.wait(10)
    assert (dialog.request(), [c.cost for c in dialog.columns]) == before


def test_a_new_consultation_compares_nothing_of_the_last_visitors(window, dialog, qtbot):
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.menu_actions.new_action.trigger()
    assert window.results.model.ticked() == ()
    qtbot.waitUntil(lambda: dialog.columns == ())
    assert dialog.model.rowCount() == 0 and dialog.note.text().startswith("比べる資金がありません")


def _close_and_reopen(window, dialog: CostCompareDialog, qtbot, change) -> None:
    """Close the comparison, change the form, open it again with the button."""
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        change()
    with qtbot.waitSignal(dialog.figures_updated):
        QTest.mouseClick(window.results.compare_button, Qt.MouseButton.LeftButton)


def test_reopened_after_the_form_changed_it_shows_the_forms_new_figures(window, dialog, qtbot):
    """Closed, the form's term and method changed, opened again: the form's figures, not those
    of when it was first opened (it used to keep them and still say 「フォームの条件で計算」)."""
    _type_into(qtbot, dialog, dialog.grace, "3")      # a what-if, left behind when it closes
    stepper = window.stepper
    _close_and_reopen(window, dialog, qtbot, lambda: (stepper.field("term_months").set_value(60),
                                                      stepper.field("repayment").set_value("equal_payment")))
    assert (dialog.term.value(), dialog.grace.value()) == (60, 12)
    assert dialog.method.currentData() == "equal_payment"
    by_id = _match(window)
    for column, shown in enumerate(dialog.columns):
        expected = by_id[shown.fund.id].cost
        assert expected is not None and expected.term_months == 60 and shown.cost == expected
        _shows(dialog, column, expected)
    assert "フォームの条件で計算" in dialog.note.text() and not dialog.reset_button.isEnabled()


def test_reopened_after_a_fee_option_changed_the_fees_follow(window, dialog, qtbot):
    before = [c.cost for c in dialog.columns]
    _close_and_reopen(window, dialog, qtbot,
                      lambda: window.stepper.field("fee_options").set_value(["no_personal_guarantee"]))
    by_id = _match(window)
    assert by_id and window.intake_on_screen is not None and window.intake_on_screen.fee_options
    assert [c.cost for c in dialog.columns] == [by_id[c.fund.id].cost for c in dialog.columns]
    assert [c.cost for c in dialog.columns] != before    # 注5 raises the fee: the old figures were wrong


def test_open_it_follows_the_forms_fee_options_at_once(window, dialog, qtbot):
    with qtbot.waitSignal(dialog.figures_updated, timeout=5000):
        window.stepper.field("fee_options").set_value(["no_personal_guarantee"])
    by_id = _match(window)
    assert [c.cost for c in dialog.columns] == [by_id[c.fund.id].cost for c in dialog.columns]


def _cut_rows(dialog: CostCompareDialog) -> list[str]:
    table = dialog.table
    return [label for row, label in enumerate(dialog.model.row_labels())
            if table.rowHeight(row) < table.sizeHintForRow(row)]


def test_every_row_keeps_its_words_as_the_columns_narrow_and_no_empty_row_is_left(dialog, qtbot):
    """Fresh eyes at 1366 wide: the rows kept the height of wider columns (a line of ご負担の合計
    cut once a scroll bar took width), and an empty row stood under the last."""
    dialog.resize(1366, 700)
    qtbot.waitUntil(lambda: dialog.table.columnWidth(0) > 300)
    dialog.resize(900, 700)
    qtbot.waitUntil(lambda: dialog.table.columnWidth(0) < 260)
    qtbot.waitUntil(lambda: not _cut_rows(dialog), timeout=2000)
    dialog.resize(1366, 1400)   # room for every row: the table ends at the last
    table = dialog.table
    qtbot.waitUntil(lambda: table.height() > 400)
    qtbot.waitUntil(lambda: table.viewport().height() <= table.verticalHeader().length() + 1, timeout=2000)


def test_a_grace_not_shorter_than_the_term_is_said_in_the_form_the_detail_and_the_comparison(window, qtbot):
    """Fresh eyes: a grace of 24 months on a term of 12 was costed as 11 with a grey note at the very
    end of the detail pane, and nothing under the form's field."""
    window.stepper.go_to(2)   # 資金ニーズ
    term, grace = window.stepper.field("term_months"), window.stepper.field("grace_months")
    for field, typed in ((term, "12"), (grace, "24")):
        field.editor.setFocus()
        field.editor.selectAll()
        with qtbot.waitSignal(window.results_updated, timeout=5000):
            type_text(field.editor, typed)
    said = grace.reading.text()
    assert "希望の期間（1年）以上です" in said and "据置を11か月以内にして" in said
    assert grace.reading.palette().windowText().color().name() == look.ATTENTION
    model = window.results.model
    window.results.tree.setCurrentIndex(model.index(0, 0, model.index(0, 0)))
    detail = window.results.detail.toPlainText()
    assert "ご希望と違う条件で計算しています" in detail
    assert detail.index("より短くなければならない") < detail.index("返済の予定")   # above the table
    for row in range(2):
        click_tick(window.results.tree, model.index(row, 0, model.index(0, 0)))
    dialog = window.show_comparison()
    qtbot.waitUntil(lambda: len(dialog.columns) == 2)
    assert "より短くなければならない" in dialog.model.cell(FITTED, 0)
    assert "期間以上" in dialog.grace_words.text()
    term.editor.setFocus()
    term.editor.selectAll()
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        type_text(term.editor, "36")              # a term longer than the grace: the usual reading
    assert grace.reading.text() == "→ 2年（24か月）"


def test_reopened_it_shows_the_funds_names_again(window, dialog, qtbot):
    """Scrolled down to ご負担の合計 with the wheel, closed and opened again: it opened where it was
    left, and at 24 pt that was two columns of figures without the funds' names (the first row)."""
    dialog.resize(dialog.width(), 420)   # a table that scrolls, as at 24 pt on a laptop
    bar = dialog.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    for _ in range(3):
        _wheel_over(dialog.table.viewport(), QPoint(0, -120))
    qtbot.waitUntil(lambda: bar.value() > 0)
    assert dialog.table.rowViewportPosition(0) < 0                       # the names scrolled away
    _close_and_reopen(window, dialog, qtbot, lambda: window.stepper.field("term_months").set_value(60))
    assert bar.value() == 0 and dialog.table.rowViewportPosition(0) == 0


@pytest.fixture
def app_font_restored():
    """The application's font is shared by every test: put back as it was."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)


def test_at_the_largest_text_the_total_is_in_sight_without_scrolling(window, dialog, qtbot, app_font_restored):
    """Fresh eyes at 24 pt on a 1366×768 laptop: ご負担の合計 was the eleventh row, below the fold, and
    the clerk scrolled to find what the visitor came to compare."""
    font = QApplication.font()
    font.setPointSize(24)
    QApplication.setFont(font)
    dialog.resize(1180, 690)   # what fit_to_screen gives it on a 1366×768 screen
    table = dialog.table
    qtbot.waitUntil(lambda: table.font().pointSize() == 24 and table.rowHeight(0) > 3 * 24)
    row = dialog.model.row_labels().index(TOTAL)
    qtbot.waitUntil(lambda: not _cut_rows(dialog), timeout=2000)
    assert table.verticalScrollBar().value() == 0
    assert 0 <= table.rowViewportPosition(row)
    assert table.rowViewportPosition(row) + table.rowHeight(row) <= table.viewport().height()
    assert "この中で最も安い" in dialog.model.cell(TOTAL, 0) + dialog.model.cell(TOTAL, 1) + dialog.model.cell(TOTAL, 2)
