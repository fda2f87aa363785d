"""The consultation screen: fill in the form, watch the results follow."""

from __future__ import annotations

import json
from pathlib import Path

from desk.intake.sales import shift_month
from desk.ui.main_window import MainWindow
from desk.ui.referral_preview import ReferralPreviewDialog

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "intakes"


def choose(window, key: str, data) -> None:
    combo = window.stepper.field(key).editor
    combo.setCurrentIndex(combo.findData(data))


def type_in(window, key: str, text: str) -> None:
    window.stepper.field(key).editor.setText(text)


def statuses(window) -> dict[str, str]:
    model = window.results.model
    out = {}
    for group in range(model.rowCount()):
        parent = model.index(group, 0)
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            fund, circumstance = model.fund(index), model.circumstance(index)
            if fund is not None:                 # else a step of 取り組めば対象, or a circumstance
                out[fund.id] = fund.status
            for made_for in circumstance.funds if circumstance is not None else ():
                out[made_for.id] = made_for.status
    return out


def fill_yokosuka_supplier(qtbot, window) -> None:
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        choose(window, "entity", "corporation")
        choose(window, "industry", "manufacturing")
        type_in(window, "capital_yen", "１，０００万円")          # full-width, as people type
        type_in(window, "employees", "１８")
        type_in(window, "municipality", "横須賀市")
        type_in(window, "months_in_kanagawa", "20年")
        choose(window, "licence", "not_needed")
        type_in(window, "sales_change.last_3m_pct", "▲12.5%")
        window.stepper.field("causes").boxes["nissan"].setChecked(True)
        window.stepper.field("purposes").boxes["working"].setChecked(True)
        type_in(window, "amount_yen", "2,000万円")


def test_the_yokosuka_supplier_sees_the_nissan_fund_and_the_branch(qtbot, make_window, tmp_path):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    assert statuses(window)["kanagawa.nissan.main"] == "eligible"
    first_group = window.results.model.index(0, 0)
    assert window.results.model.data(first_group).startswith("対象（")
    assert "046-822-3821" in window.results.contacts.toPlainText()     # 横須賀支店
    assert "横須賀市" in window.results.summary.toolTip()


def test_live_update_follows_each_change(qtbot, make_window, tmp_path):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.field("causes").boxes["nissan"].setChecked(False)
        window.stepper.field("causes").boxes["materials"].setChecked(True)
    assert statuses(window)["kanagawa.nissan.main"] == "ineligible"
    assert statuses(window)["kanagawa.genyu.main"] == "eligible"


def test_an_unreadable_value_is_named_under_its_field(qtbot, make_window, tmp_path):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    before = statuses(window)
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        type_in(window, "employees", "たくさん")
    error = window.stepper.field("employees").error
    assert error.isVisibleTo(window) and error.text().startswith("人数を数値で")   # Japanese only, no key
    assert statuses(window) == before                                   # the last results stay...
    assert window.results.input_error.isVisibleTo(window)               # ...and say they are the last ones
    assert "「常時使用する従業員数」を読めません" in window.results.input_error.text()
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        type_in(window, "employees", "18")
    assert not error.isVisibleTo(window)


def test_the_sheet_comes_from_the_form(qtbot, make_window, tmp_path):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    window.menu_actions.referral_action.trigger()
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None and dialog.pages
    dialog.reject()


def test_the_steps_move_with_next_and_back(qtbot, make_window, tmp_path):
    window = make_window()
    stepper = window.stepper
    assert stepper.stack.currentIndex() == 0 and not stepper.back_button.isEnabled()
    stepper.next_button.click()
    assert stepper.stack.currentIndex() == 1 and stepper.steps.currentRow() == 1
    for _ in range(5):
        stepper.next_button.click()
    assert stepper.stack.currentIndex() == len(stepper.pages) - 1 and not stepper.next_button.isEnabled()
    stepper.back_button.click()
    assert stepper.stack.currentIndex() == len(stepper.pages) - 2


def test_new_consultation_asks_before_discarding(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    asked = []
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: asked.append(1) or False))
    window.menu_actions.new_action.trigger()
    assert asked and window.stepper.field("employees").value() == "１８"     # kept: staff said no
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: True))
    window.menu_actions.new_action.trigger()
    assert window.stepper.is_empty() and window.stepper.stack.currentIndex() == 0


def test_an_intake_saved_reopens_the_same(qtbot, make_window, tmp_path, monkeypatch):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    target = tmp_path / "consultation"
    monkeypatch.setattr(MainWindow, "ask_save_intake_path", classmethod(lambda cls, parent: target))
    window.menu_actions.save_action.trigger()
    saved = target.with_suffix(".json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["employees"] == "１８" and data["causes"] == ["nissan"]
    other = make_window()
    monkeypatch.setattr(MainWindow, "ask_open_path", classmethod(lambda cls, parent: saved))
    with qtbot.waitSignal(other.results_updated, timeout=5000):
        other.menu_actions.open_action.trigger()
    assert other.stepper.intake_data() == data
    assert statuses(other)["kanagawa.nissan.main"] == "eligible"


def test_answering_a_question_settles_a_conditional_fund(qtbot, make_window, tmp_path):
    """A detail is asked only inside its family: a customer's bankruptcy among the causes opens
    Sagamihara's 経営安定資金 questions, and answering them settles the fund."""
    window = make_window()
    shop = json.loads((EXAMPLES / "sagamihara-shop.json").read_text(encoding="utf-8"))
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.load({**shop, "causes": ["materials", "customer_bankruptcy"]})
    assert statuses(window)["sagamihara.keiei-antei.main"] == "conditional"
    panel = window.stepper.questions
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        panel.editor("bankrupt_customer_receivable_yen").setText("300万円")
        panel.editor("bankrupt_customer_dependency_pct").setText("25%")
    assert statuses(window)["sagamihara.keiei-antei.main"] == "eligible"
    assert window.stepper.intake_data()["answers"] == {"bankrupt_customer_receivable_yen": 3_000_000,
                                                       "bankrupt_customer_dependency_pct": 25}


def test_a_fund_made_for_a_circumstance_not_stated_is_closed_not_asked(qtbot, make_window):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    assert statuses(window)["kanagawa.saigai.a"] == "ineligible"       # no disaster stated: not "maybe"
    assert "disaster_damage" not in {q[0] for q in window.stepper.questions._wanted}


def test_the_sales_calculator_shows_nissan_criteria_as_figures_are_typed(qtbot, make_window, tmp_path):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    calculator = window.stepper.sales
    rows = {month: i for i, month in enumerate(calculator.months)}
    latest = calculator.latest                     # 2026-11 on 2026-11-22
    months = [shift_month(latest, d) for d in (-2, -1, 0, 1, 2)]
    this_year = {months[0]: "880万円", months[1]: "900万円", months[2]: "880万円", months[3]: "890万円",
                 months[4]: "880万円"}
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        for month, text in this_year.items():
            calculator.set_figure(rows[month], 0, text)
            calculator.set_figure(rows[month], 1, "１，０００万円")   # one year earlier, full width
    summary = calculator.summary.text()
    assert "最近1か月: 1年前比 ▲12.0%" in summary
    assert "日産自動車関連 ①: 当たります" in summary and "日産自動車関連 ②: 当たります" in summary
    data = window.stepper.intake_data()
    assert data["monthly_sales"][latest] == 8_800_000 and data["monthly_sales"][shift_month(latest, -12)] == 10_000_000
    assert statuses(window)["kanagawa.nissan.main"] == "eligible"


def test_enter_moves_to_the_next_field(qtbot, make_window, tmp_path):
    from PySide6.QtCore import Qt

    window = make_window()
    window.activateWindow()
    capital = window.stepper.field("capital_yen").editor
    capital.setFocus()
    qtbot.waitUntil(capital.hasFocus, timeout=2000)
    qtbot.keyClicks(capital, "10000000")   # QtTest synthesises ASCII keys only
    qtbot.keyClick(capital, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stepper.field("employees").editor.hasFocus(), timeout=2000)


def test_later_steps_are_built_when_visited_filled_or_idle(qtbot, make_window, tmp_path):
    window = make_window()
    stepper = window.stepper
    built = lambda: [page is not None for page in stepper._built]  # noqa: E731
    assert built() == [True, False, False, False, False]
    empty = stepper.intake_data()
    stepper.next_button.click()                                   # a visit builds the step
    assert built()[:2] == [True, True] and stepper.stack.currentWidget().widget() is stepper.page(1)
    assert stepper.intake_data() == empty                         # an untouched step adds nothing
    stepper.load({"amount_yen": 20_000_000})                      # a file fills 資金ニーズ: built now
    assert built()[2] and stepper.field("amount_yen").value() == "20000000"
    qtbot.waitUntil(lambda: all(built()), timeout=5000)           # the rest follows in idle time
    assert stepper.questions.parent() is not None and stepper.sales.parent() is not None


def test_a_long_choice_wraps_and_its_text_toggles_the_box(qtbot, make_window):
    from PySide6.QtCore import QPoint, Qt

    from desk.ui.intake_fields import ToggleLabel

    window = make_window()
    field = window.stepper.field("plans")
    long_keys = [k for k, box in field.boxes.items() if not box.text()]
    assert long_keys, "the plans list has names too long for one line"
    box = field.boxes[long_keys[0]]
    label = next(lab for lab in field.findChildren(ToggleLabel) if lab.buddy() is box)
    assert label.wordWrap() and box.accessibleName() == label.text()
    with qtbot.waitSignal(field.changed, timeout=2000):
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert box.isChecked() and long_keys[0] in window.stepper.intake_data()["plans"]


def test_pickers_follow_new_choices_and_keep_what_was_chosen(qtbot, make_window):
    window = make_window()
    stepper = window.stepper
    type_in(window, "municipality", "横須賀市")
    stepper.field("plans").boxes["bcp"].setChecked(True)
    before = stepper.intake_data()
    offered = stepper.field("municipality").editor.completer().model()
    municipalities = offered.stringList()
    plans = {key: box.text() or box.accessibleName() for key, box in stepper.field("plans").boxes.items()}
    stepper.set_choices(municipalities=[*municipalities, "新しい町"], plans={**plans, "new_plan": "新しい計画の認定"})
    assert "新しい町" in offered.stringList()
    assert "new_plan" in stepper.field("plans").boxes
    assert stepper.intake_data() == before                          # 横須賀市 and bcp still chosen
    stepper.set_choices(municipalities=[m for m in municipalities if m != "横須賀市"],
                        plans={k: v for k, v in plans.items() if k != "bcp"})
    data = stepper.intake_data()
    assert data.get("plans") == []                                  # gone from the list: no longer chosen
    # A place no longer known goes to the core as typed, to be named as unknown, not read as another.
    assert data["municipality"] == "横須賀市" and stepper.field("municipality").reading.isHidden()


def test_ticking_a_situation_on_step_3_brings_its_funds_forward_at_once(qtbot, make_window):
    window = make_window()
    fill_yokosuka_supplier(qtbot, window)
    fund = "kanagawa.shin-jigyo.main"
    assert statuses(window)[fund] == "ineligible"
    window.stepper.go_to(2)
    boxes = window.stepper.field("situations").boxes
    assert set(boxes) >= {"new_business", "disaster_damage", "trade"}
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        boxes["new_business"].click()
    assert statuses(window)[fund] in ("eligible", "conditional")
    assert window.stepper.intake_data()["situations"] == ["new_business"]


def test_the_confirm_step_keeps_the_focused_question_in_place_and_shows_five_unanswered(qtbot, make_window):
    """Driven with the keyboard: Tab into the first answer, choose はい with the arrow keys; the
    results follow, but no row moves, and never more than five unanswered questions show."""
    from PySide6.QtCore import Qt

    window = make_window()
    visitor = json.loads((Path(__file__).resolve().parents[1] / "matching" / "visitors"
                          / "yokosuka-supplier-issue13.json").read_text(encoding="utf-8"))
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        window.stepper.load({**visitor, "situations": ["succession", "energy_equipment", "disaster_damage"]})
    window.stepper.go_to(4)
    panel = window.stepper.questions
    qtbot.waitUntil(panel.isVisible)
    shown = panel.visible_questions()
    assert len(shown) == 5 and panel.more.isVisible() and "ほかの質問（4件）" == panel.more.text()
    first = panel.editor(shown[0])
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.wait(100)                                   # the step's layout settled, as staff see it
    top = first.mapTo(window, first.rect().topLeft())
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        qtbot.keyClick(first, Qt.Key.Key_Down)        # （未回答） → はい
    assert first.currentData() is True and first.hasFocus()
    assert first.mapTo(window, first.rect().topLeft()) == top            # nothing above it moved
    assert panel.visible_questions()[0] == shown[0]
    unanswered = [q for q in panel.visible_questions() if q not in panel.answers()]
    assert len(unanswered) <= 5
    qtbot.keyClick(first, Qt.Key.Key_Tab)                                 # on to the next answer box
    assert panel.editor(shown[1]).hasFocus()
    panel.more.click()
    assert len(panel.visible_questions()) == 9
