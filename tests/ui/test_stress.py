"""20,000 widget updates in one process end cleanly (PySide6 6.12 on Python 3.11 crashes
with none_dealloc after a few thousand void Qt calls: the interpreter choice prevents it)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_twenty_thousand_widget_updates(make_window):
    window = make_window()
    employees = window.stepper.field("employees").editor
    matches = []
    window.results_updated.connect(lambda: matches.append(1))
    for i in range(20_000):
        employees.setText(str(i % 400))            # each keystroke restarts the coalescing timer
        window.results.summary.setToolTip(str(i))  # and a void call on another widget
        if i % 2_000 == 1_999:
            QApplication.processEvents()           # the timer fires: one match for the burst
    QApplication.processEvents()
    assert 10 <= len(matches) <= 12                # coalesced: not 20,000 matches
    assert window.stepper.intake_data()["employees"] == str(19_999 % 400)
