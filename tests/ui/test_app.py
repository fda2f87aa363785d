"""Qt's own dialogs and menus speak Japanese: its translation is loaded, and what it misses is set."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QMessageBox, QWidget

from desk.ui import app as desk_app
from desk.ui import file_dialogs


@pytest.fixture
def japanese(qapp):
    """The app's translation, installed as at start, removed afterwards (other tests read Qt's English)."""
    before = set(qapp.findChildren(QTranslator))
    desk_app._install_japanese_translations(qapp)
    added = [t for t in qapp.findChildren(QTranslator) if t not in before]
    assert added, "Qt's Japanese catalogue is found where PySide6 keeps its translations"
    yield
    for translator in added:
        qapp.removeTranslator(translator)


def test_standard_buttons_and_a_line_edits_menu_are_in_japanese(qtbot, japanese):
    box = QMessageBox(QMessageBox.Icon.Question, "入力中の相談", "入力中の内容を破棄しますか？",
                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["変更を破棄", "キャンセル"])
    editor = QLineEdit("追浜精工")
    qtbot.addWidget(editor)
    menu = editor.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert {"元に戻す(&U)", "コピー(&C)", "貼り付け(&P)", "すべてを選択"} <= set(texts)


def test_the_file_dialog_has_no_english_label(qtbot, japanese, tmp_path, monkeypatch):
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: tmp_path)
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog) or not dialog.isVisible():
            QTimer.singleShot(20, look)
            return
        seen.extend(label.text() for label in dialog.findChildren(QLabel) if label.isVisible() and label.text())
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, look)
    assert file_dialogs.ask_save_file(parent, file_dialogs.SHEET, "案内書をPDFとして保存", "a.pdf", "PDF (*.pdf)",
                                      "pdf") is None
    assert {"場所:", "ファイル名(&N):", "ファイルの種類:"} <= set(seen), seen
    assert not any(text[:1].isascii() and text[:1].isalpha() for text in seen), seen
