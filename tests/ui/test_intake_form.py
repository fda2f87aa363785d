"""The stepper alone: the intake it merges from its steps, the calculator and the questions."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.ui.intake_form import IntakeStepper


@pytest.fixture
def stepper(qtbot):
    stepper = IntakeStepper(municipalities=["横須賀市", "藤沢市"], plans={"bcp": "事業継続力強化計画"},
                            today=dt.date(2026, 11, 22))
    qtbot.addWidget(stepper)
    return stepper


def built(stepper) -> list[bool]:
    return [page is not None for page in stepper._built]


def test_an_intake_loaded_comes_back_the_same(stepper):
    data = {"employees": "18", "sales_change": {"last_3m_pct": "▲12.5%"}, "plans": ["bcp"],
            "has_eased_conditions": True, "answers": {"disaster_damage": False},
            "monthly_sales": {"2025-11": 10_000_000, "2026-10": 9_000_000, "2026-11": 8_800_000}}
    stepper.load(data)
    assert built(stepper) == [True, True, False, True, False]      # the steps the data fills, and the first
    expected = {**data, "tax_arrears": False, "bank_suspension": False, "subrogation_debt": False}
    assert stepper.intake_data() == expected
    stepper.load({})
    assert stepper.is_empty()


def test_monthly_figures_go_to_their_months_row(stepper):
    stepper.load({"monthly_sales": {"2023-07": 5_000_000, "2026-12": 7_000_000, "2019-01": 1}})
    calculator = stepper.sales
    assert calculator.table.item(calculator.months.index("2026-07"), 3).text() == "5000000"   # 3年前
    assert calculator.table.item(calculator.months.index("2026-12"), 0).text() == "7000000"   # 見込み
    assert stepper.intake_data()["monthly_sales"] == {"2023-07": 5_000_000, "2026-12": 7_000_000}


def test_a_message_goes_under_the_field_it_names_building_its_step(stepper):
    stepper.show_error("sales_change.last_3m_pct", "sales_change.last_3m_pct: 数値で入力してください")
    assert built(stepper)[1]
    error = stepper.field("sales_change.last_3m_pct").error
    assert error.text().startswith("sales_change.last_3m_pct:") and not error.isHidden()
    stepper.show_error("causes[0]", "causes[0]: 選べない原因です")              # an item: under its list
    assert not stepper.field("causes").error.isHidden() and error.isHidden()
    stepper.show_error(None, None)
    assert stepper.field("causes").error.isHidden()
