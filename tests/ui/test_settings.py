"""Settings are saved and take effect; the window layout is remembered apart from them."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desk.db.store import Store
from desk.settings import Settings
from desk.ui.main_window import MainWindow
from desk.ui.settings_dialog import SettingsDialog


def test_settings_are_saved_and_applied(qtbot, catalogue_engine, tmp_path):
    settings = Settings(tmp_path / "settings.json")
    window = MainWindow(store=Store.for_engine(catalogue_engine), settings=settings, today=dt.date(2026, 11, 22))
    qtbot.addWidget(window)
    dialog = window.show_settings()
    dialog.editors["staff_name"].setText("窓口 花子")
    dialog.editors["window_phone"].setText("046-822-3821")
    dialog.editors["font_size_pt"].setValue(14)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
    saved = Settings.load(tmp_path / "settings.json")
    assert saved.get("staff_name") == "窓口 花子" and saved.get("window_phone") == "046-822-3821"
    assert QApplication.font().pointSizeF() == 14
    dialog = SettingsDialog(saved)
    qtbot.addWidget(dialog)
    dialog.editors["staff_name"].setText("")
    dialog.apply()
    assert Settings.load(tmp_path / "settings.json").get("staff_name") == ""   # empty: back to the default ("")


def test_the_window_layout_is_remembered(make_window, tmp_path):
    first = make_window()
    splitter = first.centralWidget()
    splitter.setSizes([700, 900])
    saved_splitter = splitter.saveState()
    first.close()
    state = (tmp_path / "base" / "config" / "window.ini").read_text(encoding="utf-8")
    assert "geometry=" in state and "splitter=" in state           # window state, apart from settings.json
    second = make_window(show=False)
    assert second.centralWidget().saveState() == saved_splitter


def test_a_layout_left_as_it_was_is_not_written_again(make_window, tmp_path):
    """The file is synced to disk on every write: a window closed as it opened writes nothing."""
    state_file = tmp_path / "base" / "config" / "window.ini"
    first = make_window()
    first.centralWidget().setSizes([700, 900])
    first.close()
    make_window().close()   # Qt settles a restored geometry once (frame margins): then it stays
    written = state_file.stat().st_mtime_ns
    state_file.write_text(state_file.read_text(encoding="utf-8") + "; kept as it was\n", encoding="utf-8")
    second = make_window()
    second.close()
    assert "; kept as it was" in state_file.read_text(encoding="utf-8")
    assert state_file.stat().st_mtime_ns >= written


def test_a_new_install_keeps_personal_data_three_years_and_an_old_one_keeps_its_choice_told_once(qtbot, tmp_path):
    from desk.settings import RETENTION_DEFAULT_DAYS

    assert Settings.load(tmp_path / "none.json").get("personal_retention_days") == RETENTION_DEFAULT_DAYS == 1095
    old = tmp_path / "old.json"
    old.write_text('{"staff_name": "窓口 太郎"}\n', encoding="utf-8")     # written before the default changed
    settings = Settings.load(old)
    assert settings.get("personal_retention_days") == 0                  # it ran keeping everything: it still does
    first = SettingsDialog(settings)
    qtbot.addWidget(first)
    assert first.editors["personal_retention_days"].currentText() == "消さない"
    assert "3年（1095日）が既定" in first.retention_notice.text()
    again = SettingsDialog(Settings.load(old))
    qtbot.addWidget(again)
    assert not hasattr(again, "retention_notice")                        # said once
    assert Settings.load(old).get("personal_retention_days") == 0


def test_the_retention_period_is_chosen_not_stepped_into(qtbot, tmp_path):
    """From 消さない, one ↑ in a spin box gave 1日 and the next start purged every name but today's."""
    from PySide6.QtCore import Qt

    settings = Settings(tmp_path / "s.json", {"personal_retention_days": 0})
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    box = dialog.editors["personal_retention_days"]
    assert box.currentText() == "消さない" and box.value() == 0
    assert [box.itemText(i) for i in range(box.count())] == ["90日", "180日", "1年", "3年", "5年", "10年", "消さない"]
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.value() == 3650                      # the next choice up is 10年, never a day
    custom = SettingsDialog(Settings(tmp_path / "c.json", {"personal_retention_days": 200}))
    qtbot.addWidget(custom)
    assert custom.editors["personal_retention_days"].currentText() == "200日"   # a value set elsewhere is kept
    custom.apply()
    assert Settings.load(tmp_path / "c.json").get("personal_retention_days") == 200


def test_window_ini_is_private_whatever_the_umask(make_window, tmp_path):
    """QSettings writes window.ini with the umask's mode, and keeps an existing file's mode: it is
    made 0600 first, and an old 0644 one is closed (issue 15, item 13)."""
    import os
    import stat

    state_file = tmp_path / "base" / "config" / "window.ini"
    old_umask = os.umask(0)
    try:
        make_window().close()
        assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
        state_file.chmod(0o644)
        make_window().close()
        assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(state_file.parent.stat().st_mode) == 0o700
    finally:
        os.umask(old_umask)


def test_settings_that_cannot_be_saved_keep_the_dialog_open_and_the_file_as_it_was(qtbot, tmp_path, monkeypatch):
    """A full disk or a read-only folder (here: the folder's place taken by a file) is one message."""
    from PySide6.QtWidgets import QMessageBox

    blocker = tmp_path / "config"
    blocker.write_text("not a folder", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(f"{title}: {text}"))
    dialog = SettingsDialog(Settings(blocker / "settings.json"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editors["staff_name"].setText("窓口 花子")
    dialog.accept()
    assert dialog.isVisible() and dialog.editors["staff_name"].text() == "窓口 花子"
    target = blocker / "settings.json"
    assert len(shown) == 1 and shown[0].startswith(f"設定を保存できません: {target}: 設定を保存できません（")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_password_in_the_database_url_is_refused_and_the_window_and_purpose_are_saved(qtbot, tmp_path,
                                                                                         monkeypatch):
    """Issue 17: the password goes to PostgreSQL's password file, never to settings.json in plain
    text; the window a laptop's files are for and the purpose of use are settings like the others."""
    from PySide6.QtWidgets import QMessageBox

    from desk.settings import PASSWORD_IN_SETTINGS, PRIVACY_PURPOSE_DEFAULT

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    path = tmp_path / "settings.json"
    dialog = SettingsDialog(Settings(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.editors["privacy_purpose"].text() == PRIVACY_PURPOSE_DEFAULT
    for url in ("postgresql+psycopg://kip:s3cret@db.example/desk", "postgresql://kip@db/desk?password=s3cret"):
        dialog.editors["database_url"].setText(url)
        dialog.accept()
        assert dialog.isVisible() and shown.pop() == PASSWORD_IN_SETTINGS and not path.exists()
    dialog.editors["database_url"].setText("postgresql+psycopg://kip@db.example/desk?sslmode=verify-full")
    dialog.editors["server_window"].setText("kip_yokosuka")
    dialog.editors["privacy_purpose"].setText("ご連絡のためにだけ使います。")
    dialog.accept()
    assert not dialog.isVisible() and not shown
    saved = Settings.load(path)
    assert saved.get("server_window") == "kip_yokosuka"
    assert saved.get("privacy_purpose") == "ご連絡のためにだけ使います。"


def test_a_password_left_in_the_settings_file_is_warned_about_in_one_line(tmp_path, capsys):
    from desk.cli.common import database_url
    from desk.settings import PASSWORD_IN_SETTINGS

    settings = Settings.load()
    settings.set("database_url", "postgresql+psycopg://kip:s3cret@localhost/desk")
    settings.save()

    class Args:
        db = None

    assert database_url(Args()) == "postgresql+psycopg://kip:s3cret@localhost/desk"   # not refused: still opens
    assert capsys.readouterr().err == f"desk: 警告: {PASSWORD_IN_SETTINGS}\n"
    assert database_url(type("Given", (), {"db": "postgresql+psycopg://kip@localhost/desk"})()) and \
        not capsys.readouterr().err


def test_a_long_value_shows_its_start(qtbot, tmp_path):
    """窓口名 and 個人情報の利用目的 are longer than their fields: they showed their ends (「奈川県 金融課…」)."""
    window = "神奈川県 産業労働局 中小企業部 金融課 金融相談窓口（日産自動車関連 特別相談窓口・横須賀市内出張相談）"
    # Three times over: longer than its field whatever text size an earlier test left.
    dialog = SettingsDialog(Settings(tmp_path / "s.json", {"window_name": window * 3}))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for key in ("window_name", "privacy_purpose"):
        line = dialog.editors[key]
        assert isinstance(line, QLineEdit)
        assert line.fontMetrics().horizontalAdvance(line.text()) > line.width(), key   # longer than the field
        assert line.cursorPosition() == 0 and line.cursorRect().left() < line.width() // 4, key
        qtbot.keyClick(line, Qt.Key.Key_End)   # and staff still reach its end with the keyboard
        assert line.cursorPosition() == len(line.text()), key
