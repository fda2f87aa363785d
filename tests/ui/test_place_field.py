"""所在地 as staff type it: read at once, the reading shown, nothing unreadable used silently."""

from __future__ import annotations

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
    assert "横須賀市" in window.results.summary.text()
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
