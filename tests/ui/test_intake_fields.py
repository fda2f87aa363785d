"""Each kind of intake field: what staff do in its editor comes back as its value, and back again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QStyle, QStyleOptionButton, QWidget

from desk.ui.intake_fields import (
    UNSET,
    ChecklistField,
    ChoiceField,
    FieldSpec,
    FlagField,
    MultiChoiceField,
    TextField,
    ToggleLabel,
    YesNoField,
)

LONG = "事業再生計画（中小企業活性化協議会の支援によるもの）の策定"   # too long for one line beside a box


@pytest.fixture
def make(qtbot):
    def make(kind, choices=None, **spec):
        field = kind(FieldSpec(spec.pop("key", "key"), spec.pop("label", "ラベル"), kind, **spec), choices)
        qtbot.addWidget(field)
        field.show()
        return field

    return make


def click_box(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(5, box.height() // 2))   # on the indicator


def test_a_text_field_hands_back_what_was_typed(qtbot, make):
    field = make(TextField, placeholder="例: 18")
    assert field.editor.placeholderText() == "例: 18" and field.value() is None and not field.touched
    with qtbot.waitSignal(field.changed, timeout=1000):
        qtbot.keyClicks(field.editor, " 18 ")
    assert field.value() == "18" and field.touched           # as typed, trimmed: the reader parses it
    field.set_value(240)
    assert field.editor.text() == "240" and field.value() == "240"
    field.set_value(None)
    assert field.editor.text() == "" and field.value() is None


def test_a_choice_field_hands_back_the_key_of_the_label_chosen(qtbot, make):
    field = make(ChoiceField, {"sales": "売上高", "gross_profit": "売上総利益（粗利益）"})
    assert field.editor.currentText() == UNSET and field.value() is None
    with qtbot.waitSignal(field.changed, timeout=1000):
        qtbot.keyClick(field.editor, Qt.Key.Key_Down)
    assert field.editor.currentText() == "売上高" and field.value() == "sales" and field.touched
    field.set_value("gross_profit")
    assert field.editor.currentText() == "売上総利益（粗利益）" and field.value() == "gross_profit"
    field.set_value("no_such_key")
    assert field.editor.currentText() == UNSET and field.value() is None
    assert not field.editor.isEditable()                     # picked, never typed


def test_a_long_choice_list_takes_no_typed_text_so_the_screen_never_shows_a_value_unused(qtbot, make):
    """業種 (13 items): typed text that is no item would stay on screen while the value is unset."""
    field = make(ChoiceField, {f"industry{i}": f"業種{i}" for i in range(13)})
    assert not field.editor.isEditable() and field.editor.lineEdit() is None
    field.editor.setFocus()
    qtbot.keyClicks(field.editor, "xyz")
    assert field.editor.currentText() in {UNSET, *(f"業種{i}" for i in range(13))}
    assert (field.value() is None) == (field.editor.currentText() == UNSET)


def test_new_choices_keep_what_was_chosen_where_it_still_exists(qtbot, make):
    field = make(ChoiceField, {"a": "あ", "b": "い"})
    field.set_value("b")
    touched = field.touched
    with qtbot.assertNotEmitted(field.changed):
        field.set_choices({"b": "い", "c": "う"})
    assert field.value() == "b" and field.touched == touched and field.editor.count() == 3
    field.set_choices({"c": "う"})
    assert field.value() is None


def test_a_yes_no_field_hands_back_true_false_or_unknown(qtbot, make):
    field = make(YesNoField)
    assert [field.editor.itemText(i) for i in range(field.editor.count())] == [UNSET, "はい", "いいえ"]
    assert field.value() is None
    qtbot.keyClick(field.editor, Qt.Key.Key_Down)
    assert field.value() is True
    qtbot.keyClick(field.editor, Qt.Key.Key_Down)
    assert field.value() is False
    field.set_value(True)
    assert field.editor.currentText() == "はい"
    field.set_value(None)
    assert field.value() is None


def test_a_check_box_list_is_unknown_until_touched(qtbot, make):
    field = make(MultiChoiceField, {"working": "運転資金", "equipment": "設備資金", "refinance": "借換"})
    assert field.value() is None                             # untouched: unknown, not "none of them"
    with qtbot.waitSignal(field.changed, timeout=1000):
        click_box(qtbot, field.boxes["equipment"])
    assert field.value() == ["equipment"]
    click_box(qtbot, field.boxes["equipment"])
    assert field.value() == []                               # touched and emptied: none of them
    field.set_value(["working", "refinance"])
    assert [k for k, box in field.boxes.items() if box.isChecked()] == ["working", "refinance"]
    field.set_value(None)
    assert field.value() is None and not field.touched


def test_short_labels_go_two_to_a_row_and_a_long_one_gets_a_line(make):
    short = make(MultiChoiceField, {"a": "運転資金", "b": "設備資金", "c": "借換"})
    assert short.boxes["a"].y() == short.boxes["b"].y() < short.boxes["c"].y()
    mixed = make(MultiChoiceField, {"a": "運転資金", "b": "原油・原材料価格の高騰等"})
    assert mixed.boxes["a"].y() < mixed.boxes["b"].y()


def test_clicking_the_wrapping_label_of_a_long_choice_toggles_its_box(qtbot, make):
    field = make(MultiChoiceField, {"plan": LONG, "bcp": "事業継続力強化計画"})
    box = field.boxes["plan"]
    label = next(lab for lab in field.findChildren(ToggleLabel) if lab.buddy() is box)
    assert box.text() == "" and box.accessibleName() == LONG == label.text() and label.wordWrap()
    assert field.boxes["bcp"].text() == "事業継続力強化計画"     # short enough to carry its own text
    with qtbot.waitSignal(field.changed, timeout=1000):
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert box.isChecked() and field.value() == ["plan"]
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert field.value() == []


def test_new_choices_for_a_check_box_list_keep_the_boxes_still_offered(qtbot, make):
    field = make(MultiChoiceField, {"bcp": "事業継続力強化計画", "keiei": "経営革新計画"})
    field.set_value(["bcp", "keiei"])
    field.set_choices({"bcp": "事業継続力強化計画", "plan": LONG})
    assert set(field.boxes) == {"bcp", "plan"} and field.value() == ["bcp"]
    qtbot.waitUntil(lambda: len(field.findChildren(QCheckBox)) == 2)   # the old boxes are gone (deleteLater)


def test_a_flag_is_a_box_beside_its_statement_which_wraps_and_toggles_it(qtbot, make):
    field = make(FlagField, label="期限の到来した税金に未納がある")
    statement = field.findChild(ToggleLabel)
    assert statement.text() == "期限の到来した税金に未納がある" and statement.wordWrap() and field.row_label() == ""
    assert field.editor.accessibleName() == "期限の到来した税金に未納がある"
    assert field.value() is False                            # unticked: the statement does not hold
    with qtbot.waitSignal(field.changed, timeout=1000):
        click_box(qtbot, field.editor)
    assert field.value() is True
    qtbot.mouseClick(statement, Qt.MouseButton.LeftButton)   # the words toggle it too, as a box's own text
    assert field.value() is False


def test_a_message_shows_under_the_field_and_goes(make):
    field = make(TextField)
    field.show_error(None)
    assert field.findChild(QLabel, "fieldError") is None     # made with the first message only
    field.show_error("employees: 人数を数値で入力してください")
    assert field.error.isVisible() and field.error.text().startswith("employees:")
    field.show_error(None)
    assert not field.error.isVisible()


def test_on_a_checklist_none_is_an_answer_apart_from_not_asked(qtbot, make):
    field = make(ChecklistField, {"sn4": "セーフティネット保証4号", "sn5": "セーフティネット保証5号"})
    assert field.value() is None                                  # nothing ticked: not asked yet
    with qtbot.waitSignal(field.changed, timeout=1000):
        qtbot.mouseClick(field.none_box, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert field.value() == []                                     # asked: none
    qtbot.mouseClick(field.boxes["sn5"], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert field.value() == ["sn5"] and not field.none_box.isChecked()
    qtbot.mouseClick(field.none_box, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert field.value() == [] and not field.boxes["sn5"].isChecked()
    qtbot.mouseClick(field.none_box, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert field.value() is None                                   # unticked again: back to not asked
    field.set_value([])
    assert field.none_box.isChecked() and field.value() == []      # a file's empty list shows as なし
    field.set_value(None)
    assert not field.none_box.isChecked() and field.value() is None


def _indicator_centre_y(box: QCheckBox, within: QWidget) -> int:
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    return box.mapTo(within, indicator.center()).y()


@pytest.mark.parametrize("points", [9, 24])
@pytest.mark.parametrize("kind", [FlagField, MultiChoiceField])
def test_a_box_sits_on_the_first_line_of_its_wrapped_label(qtbot, make, points, kind):
    """Fresh eyes: at 24 pt the box of a wrapped statement sat half a line above its first line."""
    font = QApplication.font()
    font.setPointSize(points)
    field = (make(FlagField, label="信用保証協会の代位弁済に対する債務がある") if kind is FlagField
             else make(MultiChoiceField, {"plan": LONG}))
    field.setFont(font)
    label = field.findChild(ToggleLabel)
    box = label.buddy()
    line = label.fontMetrics().height()
    field.resize(label.fontMetrics().horizontalAdvance("あ") * 10, 400)   # a narrow step: the words wrap
    qtbot.waitUntil(lambda: label.height() >= 2 * line)
    first_line = label.mapTo(field, QPoint(0, label.contentsRect().top() + line // 2)).y()
    assert abs(_indicator_centre_y(box, field) - first_line) <= 2
    with qtbot.waitSignal(field.changed, timeout=1000):   # a click where the box is drawn ticks it
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton,
                         pos=QPoint(box.width() // 4, box.mapFrom(field, QPoint(0, first_line)).y()))
    assert box.isChecked()
