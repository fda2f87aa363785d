"""Numbers as staff type them: the core's reading shown under the field, a bare sales figure flagged."""

from __future__ import annotations

import pytest

from desk.ui import look
from desk.ui.intake_fields import FieldSpec
from desk.ui.number_field import MonthsField, NumberField, SalesChangeField, YenField
from tests.ui.keys import type_text


def _field(qtbot, kind, key="k"):
    field = kind(FieldSpec(key, "ラベル", kind))
    qtbot.addWidget(field)
    field.show()
    return field


@pytest.mark.parametrize(("kind", "typed", "reading"), [
    (YenField, "3千万", "→ 3,000万円"),
    (YenField, "２千万円", "→ 2,000万円"),
    (YenField, "500千円", "→ 50万円"),
    (MonthsField, "20年", "→ 20年（240か月）"),
    (MonthsField, "6か月", "→ 6か月"),
    (NumberField, "１８", "→ 18人"),
    (SalesChangeField, "▲12.5", "→ ▲12.5%（減少）として計算"),
    (SalesChangeField, "-20%", "→ ▲20%（減少）として計算"),
    (SalesChangeField, "+5", "→ +5%（増加）として計算"),
])
def test_the_reading_is_shown_under_the_field_as_it_is_typed(qtbot, kind, typed, reading):
    field = _field(qtbot, kind)
    field.editor.setFocus()
    type_text(field.editor, typed)
    assert field.reading.isVisible() and field.reading.text() == reading
    assert field.value() == typed            # the core reads what was typed; the reading only says how


def test_a_bare_sales_figure_reads_as_an_increase_and_says_so_in_a_warnings_colour(qtbot):
    field = _field(qtbot, SalesChangeField)
    type_text(field.editor, "20")
    assert field.reading.text() == "→ +20%（増加）として計算 — 減少なら ▲ を付けて入力"
    reading = field.reading
    assert reading.palette().windowText().color().name() == look.ATTENTION and reading.font().bold()


def test_unreadable_or_empty_text_shows_no_reading(qtbot):
    field = _field(qtbot, YenField)
    type_text(field.editor, "たくさん")
    assert not field.reading.isVisible()
    field.editor.clear()
    assert not field.reading.isVisible()


@pytest.mark.parametrize(("kind", "key", "typed"), [
    (YenField, "capital_yen", "99999999999999999999"),      # 「→ 1000000000000億円」 beside 値が大きすぎます
    (NumberField, "employees", "99999999999999999"),        # 「→ 1e+17人」
    (NumberField, "employees", "-5"),                       # 「→ -5人」 beside 0以上の値を指定してください
    (MonthsField, "months_in_business", "-3"),
])
def test_a_number_the_core_refuses_shows_no_reading(qtbot, kind, key, typed):
    from desk.intake.reader import IntakeError, read_intake

    with pytest.raises(IntakeError):   # the core refuses it: its message is the one under the field
        read_intake({key: typed})
    field = _field(qtbot, kind, key)
    type_text(field.editor, typed)
    assert not field.reading.isVisible(), field.reading.text()


def test_a_sales_change_the_core_refuses_shows_no_reading(qtbot):
    from desk.intake.reader import IntakeError, read_intake

    with pytest.raises(IntakeError):
        read_intake({"sales_change": {"last_1m_pct": "-150"}})
    field = _field(qtbot, SalesChangeField, "sales_change.last_1m_pct")
    type_text(field.editor, "-150")
    assert not field.reading.isVisible(), field.reading.text()
    field.editor.clear()
    type_text(field.editor, "-100")   # the whole of the sales gone is read, and said
    assert field.reading.text() == "→ ▲100%（減少）として計算"
