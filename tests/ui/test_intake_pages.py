"""The intake form's steps: each page loads and saves its part; extras sit where a page declares them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QFormLayout

from desk.ui import intake_form
from desk.ui.intake_pages import PAGES, IntakePage, open_questions, sales_table

CHOICES = {"municipality": {"横須賀市": "横須賀市", "藤沢市": "藤沢市"}, "plans": {"bcp": "事業継続力強化計画"},
           "situations": {"trade": "貿易の仕事", "new_business": "新しい事業・商品・販路に取り組む"}}
INTAKE = {
    "business_name": "追浜精工株式会社", "entity": "corporation", "founding_form": "corporation",
    "months_until_start": "1か月", "industry": "manufacturing", "capital_yen": "1,000万円", "employees": "18",
    "municipality": "横須賀市", "postal_code": "238-0008", "months_in_business": "240", "months_in_kanagawa": "20年",
    "licence": "not_needed",
    "sales_basis": "gross_profit",
    "sales_change": {"last_1m_pct": "▲15%", "last_3m_pct": "▲12.5%", "last_6m_pct": "▲8%",
                     "next_3m_forecast_pct": "▲12%", "last_fy_pct": "▲6%"},
    "causes": ["nissan", "materials"],
    "purposes": ["working", "equipment"], "amount_yen": "2,000万円", "term_months": "5年", "grace_months": "1年",
    "repayment": "equal_payment", "fee_options": ["no_personal_guarantee"], "situations": ["trade"],
    "certifications": ["sn1"], "plans": ["bcp"], "guaranteed_balance_yen": "500万円", "has_eased_conditions": False,
    "tax_arrears": True, "bank_suspension": False, "subrogation_debt": True,
    "visitor_name": "山田 太郎", "visitor_phone": "046-000-0000",
}


def part(page) -> dict:
    """The page's share of INTAKE, by the keys it declares."""
    out: dict = {}
    for spec in page.fields:
        outer, _, inner = spec.key.partition(".")
        if inner:
            out.setdefault(outer, {})[inner] = INTAKE[outer][inner]
        else:
            out[spec.key] = INTAKE[spec.key]
    return out


def test_every_intake_key_belongs_to_one_page():
    keys = [spec.key for page in PAGES for spec in page.fields]
    assert len(keys) == len(set(keys))
    assert {key.split(".")[0] for key in keys} == set(INTAKE)


@pytest.mark.parametrize("page", PAGES, ids=[page.title for page in PAGES])
def test_a_page_saves_the_part_it_loaded(qtbot, page):
    widget = IntakePage(page, CHOICES)
    qtbot.addWidget(widget)
    widget.load(INTAKE)
    assert widget.save() == part(page)
    assert page.filled_by(INTAKE) and not page.filled_by({})


def test_a_page_loaded_from_nothing_is_empty_but_for_its_flags(qtbot):
    page = next(page for page in PAGES if page.title == "認定・計画・借入状況")
    widget = IntakePage(page, CHOICES)
    qtbot.addWidget(widget)
    widget.load(INTAKE)
    widget.load({})
    assert widget.save() == {"tax_arrears": False, "bank_suspension": False, "subrogation_debt": False}


def test_a_page_takes_the_catalogues_list_only_where_it_declares_none(qtbot):
    widget = IntakePage(PAGES[0], CHOICES)
    qtbot.addWidget(widget)
    widget.set_choices({"municipality": {"鎌倉市": "鎌倉市"}, "entity": {"x": "ｘ"}})
    assert widget.fields["municipality"].editor.completer().model().stringList() == ["鎌倉市"]
    assert widget.fields["entity"].editor.findData("x") < 0       # declared in the spec: kept


def last_row(page: IntakePage):
    form = page.layout()
    return form.itemAt(form.rowCount() - 1, QFormLayout.ItemRole.SpanningRole).widget()


def test_extras_sit_on_the_page_that_declares_them_whatever_the_order(qtbot, monkeypatch):
    reordered = tuple(reversed(PAGES))
    monkeypatch.setattr(intake_form, "PAGES", reordered)
    stepper = intake_form.IntakeStepper(municipalities=["横須賀市"], plans={}, today=dt.date(2026, 11, 22))
    qtbot.addWidget(stepper)
    [sales_at] = [i for i, page in enumerate(reordered) if sales_table in page.extras]
    [questions_at] = [i for i, page in enumerate(reordered) if open_questions in page.extras]
    assert (reordered[sales_at].title, reordered[questions_at].title) == ("売上", "確認")
    assert sales_at != 1 and questions_at != len(reordered) - 1        # not where an index would put them
    assert last_row(stepper.page(sales_at)) is stepper.sales
    assert last_row(stepper.page(questions_at)) is stepper.questions
    assert stepper.steps.item(0).text() == "1. 確認"
