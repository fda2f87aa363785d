"""所在地 as staff type it: read at once, the reading shown, nothing unreadable used silently."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.keys import type_text


def _place(window):
    field = window.stepper.field("municipality")
    field.editor.setFocus()
    return field


def _typed(qtbot, window, text: str):
    field = _place(window)
    field.editor.clear()
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        type_text(field.editor, text)
        window.update_results()
    return field


def test_a_reading_or_a_slip_is_read_as_the_place_and_said_under_the_field(qtbot, make_window):
    window = make_window()
    field = _typed(qtbot, window, "よこすか")
    assert field.editor.placeholderText().startswith("例:") and field.editor.text() == "よこすか"
    assert field.reading.isVisible() and field.reading.text() == "→ 神奈川県横須賀市"
    assert window.stepper.intake_data()["municipality"] == "横須賀市"
    assert "横須賀市" in window.results.summary.toolTip()
    assert "046-822-3821" in window.results.contacts.toPlainText()        # the Yokosuka branch, not Yokohama's
    field = _typed(qtbot, window, "横須加")
    assert field.reading.text() == "→ 神奈川県横須賀市（「横須加」を横須賀市と読みました）"


def test_text_that_places_nothing_is_named_under_the_field_and_the_results_say_so(qtbot, make_window):
    window = make_window()
    field = _typed(qtbot, window, "緑区")                  # two cities have one
    assert not field.reading.isVisible()
    assert field.error.isVisible() and "横浜市緑区" in field.error.text() and "相模原市緑区" in field.error.text()
    assert window.results.input_error.isVisible()
    field = _typed(qtbot, window, "大田区")                # another prefecture's ward, without it
    assert field.error.isVisible() and "神奈川県の市区町村として登録がありません" in field.error.text()


def test_another_prefecture_is_typed_before_its_municipality(qtbot, make_window):
    window = make_window()
    field = _typed(qtbot, window, "東京都大田区")
    assert field.reading.text() == "→ 東京都大田区" and not field.error.isVisible()
    data = window.stepper.intake_data()
    assert (data["prefecture"], data["municipality"]) == ("東京都", "大田区")
    assert window.results.report is not None and window.results.report.place.startswith("東京都")


def test_a_whole_address_is_read_by_its_municipality_and_the_street_is_said_to_be_unused(qtbot, make_window):
    """Fresh eyes had 「神奈川県横須賀市本町1-2-3」 refused."""
    window = make_window()
    field = _typed(qtbot, window, "神奈川県横須賀市本町1-2-3")
    assert not field.error.isVisible()
    assert field.reading.isVisible()
    assert field.reading.text() == "→ 神奈川県横須賀市（番地など「本町1-2-3」は判定に使いません）"
    assert window.stepper.intake_data()["municipality"] == "横須賀市"
    assert "046-822-3821" in window.results.contacts.toPlainText()        # the Yokosuka branch
    field = _typed(qtbot, window, "横浜市中区山下町1")
    assert field.reading.text() == "→ 神奈川県横浜市中区（番地など「山下町1」は判定に使いません）"
    field = _typed(qtbot, window, "東京都大田区蒲田5-1")
    assert field.reading.text() == "→ 東京都大田区（番地など「蒲田5-1」は判定に使いません）"
    assert window.stepper.intake_data()["municipality"] == "大田区"
    field = _typed(qtbot, window, "緑区霧が丘1")                          # two cities have one: asked
    assert field.error.isVisible() and "横浜市緑区" in field.error.text() and "相模原市緑区" in field.error.text()


def test_a_postal_code_typed_as_the_place_moves_to_its_own_field(qtbot, make_window):
    window = make_window()
    postal = window.stepper.field("postal_code")
    field = _typed(qtbot, window, "238-0008")
    assert field.editor.text() == "" and postal.editor.text() == "238-0008"
    qtbot.waitUntil(lambda: not field.editor.completer().popup().isVisible())   # the note not hidden under it
    assert field.reading.isVisible() and field.reading.text() == "→ 郵便番号 238-0008 は「郵便番号」の欄に移しました"
    assert not field.error.isVisible() and "横須賀市" in window.results.summary.toolTip()   # placed by the code
    # Pasted before an address (Ctrl+V): the code moves, the address stays and is read.
    postal.editor.clear()
    QApplication.clipboard().setText("〒238-0008 横須賀市本町2")
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        QTest.keyClick(field.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert postal.editor.text() == "238-0008" and field.editor.text() == "〒238-0008 横須賀市本町2"
    assert field.reading.text().startswith("→ 神奈川県横須賀市（番地など「本町2」は判定に使いません）")
    assert field.reading.text().endswith("（郵便番号 238-0008 は「郵便番号」の欄に移しました）")


def test_a_postal_code_typed_as_the_place_beside_another_code_is_named_not_used(qtbot, make_window):
    window = make_window()
    postal = window.stepper.field("postal_code")
    postal.editor.setFocus()
    type_text(postal.editor, "250-0011")
    field = _typed(qtbot, window, "238-0008")
    assert postal.editor.text() == "250-0011" and field.editor.text() == "238-0008"    # nothing moved over it
    assert field.error.isVisible() and field.error.text().startswith("'238-0008' は郵便番号です")
    assert window.results.input_error.isVisible()                          # and no sheet from it
