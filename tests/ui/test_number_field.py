"""Numbers as staff type them: the core's reading shown under the field, a bare sales figure flagged."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

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


@pytest.fixture
def business_step(qtbot):
    """The real 事業者 step: its fields' keys decide which bare numbers may have been years."""
    from desk.ui.intake_pages import PAGES, IntakePage

    page = IntakePage(PAGES[0], {})
    qtbot.addWidget(page)
    page.show()
    return page


def _in_attention(label) -> bool:
    return label.palette().windowText().color().name() == look.ATTENTION and label.font().bold()


def test_a_bare_business_age_says_it_reads_months_in_a_warnings_colour(business_step):
    """Fresh eyes: 「20」 under 事業を始めてから read 「→ 1年8か月（20か月）」 in grey, as plainly as 「20年」
    read 20年: a business of twenty years was taken for a young one without a word."""
    field = business_step.fields["months_in_business"]
    field.editor.setFocus()
    QTest.keyClicks(field.editor, "20")
    assert field.reading.text() == "→ 20か月（1年8か月）として計算 — 20年なら「20年」と入力"
    assert _in_attention(field.reading)
    type_text(field.editor, "年")   # the unit said: read as typed, in the usual colour
    assert field.reading.text() == "→ 20年（240か月）" and not _in_attention(field.reading)
    assert field.value() == "20年"
    field.editor.clear()
    QTest.keyClicks(field.editor, "240")   # no one has been in business 240 years: months, plainly
    assert field.reading.text() == "→ 20年（240か月）" and not _in_attention(field.reading)
    field.editor.clear()
    QTest.keyClicks(field.editor, "6")
    type_text(field.editor, "か月")
    assert field.reading.text() == "→ 6か月" and not _in_attention(field.reading)


def test_a_bare_number_in_kanagawa_is_flagged_too_and_zero_is_not(business_step):
    field = business_step.fields["months_in_kanagawa"]
    QTest.keyClicks(field.editor, "3")
    assert field.reading.text() == "→ 3か月として計算 — 3年なら「3年」と入力" and _in_attention(field.reading)
    field.editor.clear()
    QTest.keyClicks(field.editor, "0")   # none: nothing that could be years
    assert field.reading.text() == "→ 0か月" and not _in_attention(field.reading)


def test_a_number_of_months_from_a_file_is_not_flagged_until_typed_over(business_step):
    """An intake file's 「"months_until_start": 2」 is months by INTAKE.md: no one typed it bare."""
    business_step.load({"months_until_start": 2, "months_in_business": 0})
    field = business_step.fields["months_until_start"]
    assert field.editor.text() == "2" and field.reading.text() == "→ 2か月" and not _in_attention(field.reading)
    field.editor.setFocus()
    field.editor.selectAll()
    QTest.keyClicks(field.editor, "3")   # typed bare by the clerk: said
    assert field.reading.text() == "→ 3か月として計算 — 3年なら「3年」と入力" and _in_attention(field.reading)
