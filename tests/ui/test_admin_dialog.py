"""データの管理: tables and validated edits that matching then uses."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desk.db.store import Store
from desk.ui.admin_dialog import AdminDialog
from desk.ui.rows_model import RowRole


def test_tables_pass_the_model_tester_and_filter(qtbot, qtmodeltester, catalogue_engine):
    dialog = AdminDialog(Store.for_engine(catalogue_engine).admin)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.programs.model)
    qtmodeltester.check(dialog.offices.model)
    dialog.offices.filter.setText("046-822-3821")
    assert dialog.offices.proxy.rowCount() == 1


def test_an_admin_edit_is_saved_and_visible_in_matching(qtbot, make_window):
    window = make_window(show=False)
    window.stepper.field("municipality").editor.setText("横須賀市")
    dialog = window.show_admin()
    edit = dialog.edit_office("kanagawa-cgc.yokosuka")
    assert "kanagawa-cgc" not in edit.windowTitle() and "横須賀" in edit.windowTitle()
    edit.editors["phone"].setText("046 822")                      # invalid: spaces
    edit.accept()
    assert edit.isVisible() and edit.errors["phone"].text().startswith("電話番号は半角数字")
    edit.editors["phone"].setText("046-822-0000")
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        edit.accept()
    assert "046-822-0000" in window.results.contacts.toPlainText()
    variant = dialog.edit_variant("kanagawa.nissan.main")
    assert variant.windowTitle() == "融資制度の編集（日産自動車関連対策特別融資）"   # a name, not an id
    variant.editors["limit_yen"].setText("１億円")
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        variant.accept()
    assert any(r["id"] == "kanagawa.nissan.main" and r["limit"] == "1億円" and r["edited"]
               for r in dialog.programs.model.rows)
    rates = dialog.edit_variant("kanagawa.nissan.main")
    assert rates.editors["tiers[1].rate_pct"].text() == "1.8" and rates.editors["fees[0]"].text() == "0.225〜0.95"
    rates.editors["fees[0]"].setText("０．９〜０．２")                  # full width, upside down
    rates.accept()
    assert rates.isVisible() and rates.errors["fees[0]"].text().startswith("下限が上限より大きく")
    rates.editors["fees[0]"].setText("0.2～0.9")
    rates.editors["tiers[1].rate_pct"].setText("1.7%")
    with qtbot.waitSignal(window.results_updated, timeout=5000):
        rates.accept()
    assert any(r["id"] == "kanagawa.nissan.main" and "0.2" in r["fee"] for r in dialog.programs.model.rows)


def test_a_service_area_is_edited_in_its_own_box(qtbot, catalogue_engine):
    dialog = AdminDialog(Store.for_engine(catalogue_engine).admin)
    qtbot.addWidget(dialog)
    edit = dialog.edit_office("yokosuka-cci")
    box = edit.editors["service_area"]
    assert "横須賀市" in box.toPlainText()
    box.setPlainText("横須賀市\n横須賀村")
    edit.accept()
    assert edit.isVisible() and "2行目 '横須賀村'" in edit.errors["service_area"].text()
    box.setPlainText("横須賀市\n三浦市: 南下浦町")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        edit.accept()
    assert dialog.edit_office("yokosuka-cci").editors["service_area"].toPlainText() == "横須賀市\n三浦市: 南下浦町"


def test_the_tables_show_the_data_layers_order_until_a_heading_is_clicked(qtbot, catalogue_engine):
    """Kanagawa's contacts first (fresh eyes saw 鹿児島県… first: sorting was switched on descending)."""
    dialog = AdminDialog(Store.for_engine(catalogue_engine).admin)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.offices
    shown = [table.proxy.index(row, 0).data(RowRole) for row in range(table.proxy.rowCount())]
    assert shown == [row["id"] for row in table.model.rows]   # the order tests/db/test_admin.py checks
    programs = dialog.programs
    assert [programs.proxy.index(r, 0).data(RowRole) for r in range(programs.proxy.rowCount())] == \
        [row["id"] for row in programs.model.rows]


# What a message may not show staff: a key of the data pack (min_pct, name, limit_yen).
INTERNAL_KEY = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+|'[a-z]+'")


@pytest.mark.parametrize(("which", "key", "typed"), [
    ("variant", "fees[0]", "2-1"),          # upside down
    ("variant", "fees[0]", ""),             # emptied
    ("variant", "grace_months", "-1"),
    ("office", "name", ""),
])
def test_every_message_names_the_field_in_the_forms_words(qtbot, catalogue_engine, which, key, typed):
    """Typed and saved as staff do, with keys and the mouse: the message under the field names no
    key of the data pack (fresh eyes read 「下限（min_pct）」 and 「'name' は空にできません」)."""
    dialog = AdminDialog(Store.for_engine(catalogue_engine).admin)
    qtbot.addWidget(dialog)
    edit = dialog.edit_variant("kanagawa.nissan.main") if which == "variant" else dialog.edit_office("yokosuka-cci")
    qtbot.waitExposed(edit)
    editor = edit.editors[key]
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, typed)
    save = edit.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    shown = [label.text() for label in edit.errors.values() if label.isVisible()]
    assert edit.isVisible() and shown, "the edit is refused, with a message"
    assert not any(INTERNAL_KEY.search(text) for text in shown), shown
    edit.reject()


def test_a_sqlite_file_has_no_trail_of_changes_to_show(qtbot, catalogue_engine):
    store = Store.for_engine(catalogue_engine)
    dialog = AdminDialog(store.admin, server=store.server)
    qtbot.addWidget(dialog)
    assert dialog.audit is None


def test_at_the_largest_size_every_heading_of_a_column_in_view_is_in_view(qtbot, catalogue_engine):
    """Fresh eyes at 24 pt: 利率, centred over a column of rate tables wider than the rest of the view,
    was out of sight, and its figures stood under no heading."""
    from PySide6.QtWidgets import QApplication

    original = QApplication.font()   # shared by every test: put back
    font = QApplication.font()
    font.setPointSize(24)
    QApplication.setFont(font)
    try:
        dialog = AdminDialog(Store.for_engine(catalogue_engine).admin)
        qtbot.addWidget(dialog)
        dialog.resize(1150, 650)
        dialog.show()
        qtbot.waitExposed(dialog)
        for table in (dialog.programs, dialog.offices):
            table.parentWidget().parentWidget().setCurrentWidget(table)   # its tab
            header, view = table.view.horizontalHeader(), table.view
            qtbot.waitUntil(lambda view=view: view.viewport().width() > 500)
            hidden = []
            for column in range(header.count()):
                start, size = header.sectionViewportPosition(column), header.sectionSize(column)
                if not 0 <= start < view.viewport().width():
                    continue   # the column itself is scrolled away
                title = str(table.proxy.headerData(column, Qt.Orientation.Horizontal))
                width = header.fontMetrics().horizontalAdvance(title)
                left = (start if header.defaultAlignment() & Qt.AlignmentFlag.AlignLeft
                        else start + (size - width) // 2)
                if left + width // 2 > view.viewport().width():
                    hidden.append(title)
            assert hidden == [], hidden
    finally:
        QApplication.setFont(original)
