"""The app on a secured server (issue 17): the consent panel lists the server's other windows, the
consent is recorded on the window's own record with the sheet, and the referred window reads it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import text

from desk.db.store import Store
from desk.settings import Settings
from desk.ui.main_window import MainWindow
from desk.ui.referral_preview import ReferralPreviewDialog
from tests.db import test_server_roles
from tests.ui.conftest import TODAY
from tests.ui.test_consent import SUPPLIER

# The secured database and its windows, as test_server_roles makes them (a database for this module).
_secured_database, secured = test_server_roles._secured_database, test_server_roles.secured


@pytest.fixture(autouse=True)
def problems(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: said.append(text))
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: True))
    return said


def test_the_consent_chosen_in_the_app_opens_the_record_to_the_referred_window(qtbot, secured, tmp_path,
                                                                                problems):
    a, b = secured.new_window("横須賀商工会議所"), secured.new_window("KIP")
    store = Store.open(a.url)
    window = MainWindow(store=store, settings=Settings(tmp_path / "s.json"), today=TODAY)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.stepper.load({**SUPPLIER, "visitor_phone": "046-000-0000"})
    window.stepper.go_to(4)
    panel = window.stepper.consent
    qtbot.waitUntil(panel.isVisible)
    offered = [panel.referred.itemData(i) for i in range(1, panel.referred.count())]
    assert b.role in offered and a.role not in offered          # the other windows, never this one
    panel.answer.setFocus()
    QTest.keyClick(panel.answer, Qt.Key.Key_Down)                # 同意する
    panel.referred.setCurrentIndex(panel.referred.findData(b.role))
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ReferralPreviewDialog)
    assert dialog is not None, problems
    with secured.engine.connect() as c:
        row = c.execute(text("SELECT window_role, consent_to_share, referred_window FROM consultation"
                             " WHERE reference_no = :r"), {"r": dialog.reference_no}).one()
    assert tuple(row) == (a.role, True, b.role)
    other = Store.open(b.url)
    shared = other.log.shared_record(dialog.reference_no)
    assert shared is not None and shared.visitor_name == "山田太郎" and shared.visitor_phone == "046-000-0000"
    other.close()
    dialog.reject()
    store.close()


def test_the_admin_screen_shows_the_servers_trail_of_catalogue_changes(qtbot, qtmodeltester, secured):
    from desk.ui.admin_dialog import AdminDialog, EditDialog

    admin = secured.new_login("desk_admin")
    store = Store.open(admin.url)
    dialog = AdminDialog(store.admin, server=store.server)
    qtbot.addWidget(dialog)
    assert dialog.audit is not None
    qtmodeltester.check(dialog.audit.model)
    office = store.admin.office_rows()[0]["id"]
    before = store.admin.office_values(office)["phone"]
    edit = dialog.edit_office(office)
    assert isinstance(edit, EditDialog)
    edit.editors["phone"].setText("045-999-0017")
    edit.accept()                                         # saved through the service; the tab follows
    mine = [r for r in dialog.audit.model.rows if r["who"] == admin.role]   # newest first
    assert {(r["table"], r["record_id"], r["action"]) for r in mine} == {("office", office, "変更")}
    changes = [c for r in mine for c in r["change"].split("、")]
    assert f"phone: {before} → 045-999-0017" in changes and not any(c.startswith("name:") for c in changes)
    store.admin.update_office(office, {"phone": before})
    store.close()
    window = Store.open(secured.new_window("窓口A").url)   # a window reads no trail: no tab
    assert AdminDialog(window.admin, server=window.server).audit is None
    window.close()


def test_a_window_may_export_the_catalogue_but_never_write_it_back(secured, tmp_path, capsys):
    """Export-overwrite (issue 17's must-show): the packs a window exports, edited and imported
    over the catalogue with every overwrite allowed, are refused by the server, in one line."""
    from desk.cli import main
    from desk.cli.common import REFUSED_BY_SERVER

    a = secured.new_window("窓口A")
    with secured.engine.connect() as c:
        before = c.execute(text("SELECT id, version FROM data_pack ORDER BY id")).all()
        audited = c.execute(text("SELECT count(*) FROM catalogue_audit")).scalar_one()
    capsys.readouterr()
    assert main(["--db", a.url, "export", str(tmp_path / "packs")]) == 0       # reading is a window's right
    exported = sorted((tmp_path / "packs").glob("*.yaml"))
    assert exported
    common = next(p for p in exported if p.stem == "common")
    common.write_text(common.read_text(encoding="utf-8").replace("version:", "version: x", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", a.url, "import", "--overwrite-edits", "--allow-removals", *map(str, exported)]) == 1
    assert capsys.readouterr().err == f"desk: {REFUSED_BY_SERVER}\n"
    with secured.engine.connect() as c:
        assert c.execute(text("SELECT id, version FROM data_pack ORDER BY id")).all() == before
        assert c.execute(text("SELECT count(*) FROM catalogue_audit")).scalar_one() == audited


def test_retention_on_the_server_is_the_administrators_desk_log_purge_across_windows(secured, capsys):
    """The administrator schedules `desk log purge --older-than DAYS` as a desk_admin login: every
    window's old records lose the visitor's name and phone; a window's own purge reaches only its own."""
    import datetime as dt

    from desk.cli import main

    a, b = secured.new_window("窓口A"), secured.new_window("窓口B")
    admin = secured.new_login("desk_admin")
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    made = {}
    for window, device in ((a, test_server_roles.DEVICE_A), (b, test_server_roles.DEVICE_B)):
        store = Store.open(window.url)
        made[window.role] = (test_server_roles._record(store, device, "古い相談", created_at=old).reference_no,
                             test_server_roles._record(store, device, "新しい相談").reference_no)
        store.close()

    def names() -> dict[str, str | None]:
        with secured.engine.connect() as c:
            return dict(c.execute(text("SELECT reference_no, visitor_name FROM consultation"
                                       " WHERE window_role IN (:a, :b)"), {"a": a.role, "b": b.role}).all())

    capsys.readouterr()
    assert main(["--db", a.url, "log", "purge", "--older-than", "365"]) == 0    # a window: its own only
    assert "1 件の記録" in capsys.readouterr().out
    assert names() == {made[a.role][0]: None, made[a.role][1]: "山田", made[b.role][0]: "山田", made[b.role][1]: "山田"}
    assert main(["--db", admin.url, "log", "purge", "--older-than", "365"]) == 0   # the server's rule
    assert "1 件の記録" in capsys.readouterr().out
    assert names() == {made[a.role][0]: None, made[a.role][1]: "山田", made[b.role][0]: None, made[b.role][1]: "山田"}
    with secured.engine.connect() as c:   # the window stays the record's, the purge is marked
        rows = c.execute(text("SELECT window_role, visitor_name_purged FROM consultation WHERE reference_no = :r"),
                         {"r": made[b.role][0]}).one()
    assert tuple(rows) == (b.role, True)
