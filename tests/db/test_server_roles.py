"""Many windows, one server (issue 17): roles, row-level security and the refusals, on a real server.

One database per module, at the current revision with the bundled catalogue and secured by
`desk server init`; each test makes its own windows, login roles with per-run names that are
dropped afterwards (roles belong to the whole cluster). The group roles (desk_admin, …) have
fixed names, which a cluster made for this test session does not mind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from desk.db import engine as db_engine
from desk.db import server, setup
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.log import records
from tests import answers
from tests.conftest import PACKS_DIR

DEVICE_A = "6f1c2a9e-0000-4000-8000-00000000000a"
DEVICE_B = "7f1c2a9e-0000-4000-8000-00000000000b"
REPORT = answers.report(funds=(("kanagawa.nissan.main", "eligible"),))


@dataclass
class Window:
    role: str
    url: str


@dataclass
class Secured:
    engine: Engine           # the server's administrator (a superuser here)
    url: str
    database: str
    new_window: Callable[[str], Window]
    new_login: Callable[[str], Window]    # a login role in a group: desk_report, desk_admin


@pytest.fixture(scope="module")
def _secured_database(pg_server) -> Iterator[tuple[Engine, str]]:
    from desk import paths

    paths.init(pg_server.root / "base")   # the module fixture runs before the per-test folders
    url = pg_server.create_database()
    engine = db_engine.make_engine(url)
    setup.ensure_ready(engine)
    server.init(engine)
    yield engine, url
    engine.dispose()


@pytest.fixture
def secured(pg_server, _secured_database) -> Iterator[Secured]:
    engine, url = _secured_database
    database = str(make_url(url).database)
    made: list[str] = []

    def name() -> str:
        role = f"w{os.getpid()}_{len(made) + 1}_{secrets.token_hex(2)}"
        made.append(role)
        return role

    def new_window(title: str) -> Window:
        role = name()
        server.add_window(engine, role, title=title)
        return Window(role, pg_server.url(database, role))

    def new_login(group: str) -> Window:
        role = name()
        pg_server.execute(f"CREATE ROLE {role} LOGIN IN ROLE {group}")
        return Window(role, pg_server.url(database, role))

    yield Secured(engine, url, database, new_window, new_login)
    for role in made:
        pg_server.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'")
        pg_server.execute(f"DROP ROLE IF EXISTS {role}")


def _record(store: Store, device: str, business: str, **extra: Any) -> records.Recorded:
    """A consultation as the app logs it (``extra``: values a client might try to slip in)."""
    intake = read_intake({"business_name": business, "causes": ["nissan"], "visitor_name": "山田",
                          "visitor_phone": "045-000-0000"}).intake
    now = dt.datetime.now(dt.UTC)
    values = records.consultation_values(intake=intake, report=REPORT, device=device, window_name="窓口",
                                         staff_name="担当", now=now)
    recorded = store.log_writer.try_insert({**values, **extra}, records.reference_prefix(now, device))
    assert recorded is not None
    return recorded


def _count(reliability, row: str, held: list[bool]) -> None:
    """What a security test tried against the rules (``held``: each attempt refused, by an error
    or by touching nothing), for docs/RELIABILITY.md; then every attempt must have been refused."""
    reliability.add(f"security (issue 17): {row}", attempts=len(held), refused=sum(held),
                    leaks=len(held) - sum(held))
    assert all(held), held


def _admin_rows(secured: Secured, roles: tuple[str, ...]) -> dict[str, tuple[str, str | None]]:
    with secured.engine.connect() as c:
        return {ref: (role, name) for ref, role, name in c.execute(
            text("SELECT reference_no, window_role, visitor_name FROM consultation WHERE window_role = ANY(:r)"),
            {"r": list(roles)})}


# --- slice 1: init, the windows ------------------------------------------------------------------------


def test_init_is_idempotent_and_secures_the_log(secured):
    again = server.init(secured.engine)           # the fixture ran it once already
    assert not any("ロール" in line for line in again)   # no role made twice
    with secured.engine.connect() as c:
        groups = set(c.scalars(text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'desk\\_%'")))
        security = c.execute(text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
                                  " WHERE relname = 'consultation'")).one()
        owners = set(c.scalars(text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
    assert {"desk_admin", "desk_window", "desk_report"} <= groups
    assert tuple(security) == (True, True) and owners == {"desk_admin"}


def test_windows_are_added_listed_and_removed_keeping_their_records(secured, pg_server):
    a = secured.new_window("横須賀商工会議所")
    store = Store.open(a.url)
    kept = _record(store, DEVICE_A, "事業者A")
    store.close()
    listed = {w.role: w for w in server.windows(secured.engine)}
    assert listed[a.role].title == "横須賀商工会議所" and listed[a.role].can_login and listed[a.role].records == 1
    assert server.remove_window(secured.engine, a.role) == 1
    listed = {w.role: w for w in server.windows(secured.engine)}
    assert not listed[a.role].can_login and listed[a.role].disabled_at is not None
    refused = pg_server.psql(secured.database, a.role, "SELECT 1")
    assert refused.returncode != 0 and "not permitted to log in" in refused.stderr
    assert kept.reference_no in _admin_rows(secured, (a.role,))        # the records stay


def test_bad_window_names_and_servers_are_refused(secured, empty_engine):
    for name in ("Desk", "desk_admin", "pg_x", "a-b", "1a", "a" * 64, "x; DROP TABLE consultation"):
        with pytest.raises(server.ServerSetupError):
            server.add_window(secured.engine, name, title="x")
    with pytest.raises(server.ServerSetupError, match="PostgreSQL"):
        server.init(empty_engine)


def test_the_server_commands(secured, capsys):
    from desk.cli import main

    assert main(["--db", secured.url, "server", "init"]) == 0
    role = f"w{os.getpid()}_cli_{secrets.token_hex(2)}"
    try:
        assert main(["--db", secured.url, "server", "add-window", role, "--title", "相模原商工会議所"]) == 0
        out = capsys.readouterr().out
        assert f"窓口 {role}（相模原商工会議所）を作りました" in out and "パスワード（この一度だけ表示します）: " in out
        assert main(["--db", secured.url, "server", "windows"]) == 0
        assert role in capsys.readouterr().out
        assert main(["--db", secured.url, "server", "add-window", role, "--title", "x"]) == 2
        assert "既にあります" in capsys.readouterr().err
        assert main(["--db", secured.url, "server", "remove-window", role]) == 0
        assert "ログインを止めました" in capsys.readouterr().out
        assert main(["--db", secured.url, "server", "remove-window", "nobody_here"]) == 2
    finally:
        with secured.engine.begin() as c:
            c.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")


# --- slice 2: each window sees its own; the catalogue is the administrator's ---------------------------


def test_a_record_belongs_to_the_connected_window_whatever_the_client_sends(secured):
    a, b = secured.new_window("窓口A"), secured.new_window("窓口B")
    store_a = Store.open(a.url)
    forged = _record(store_a, DEVICE_A, "なりすまし", window_role=b.role)   # the client claims B's window
    store_a.close()
    assert _admin_rows(secured, (a.role, b.role))[forged.reference_no][0] == a.role
    # An administrator may name the window (a laptop's file brought in for it).
    admin = Store(secured.url)
    named = _record(admin, DEVICE_B, "管理者が取り込み", window_role=b.role)
    admin.close()
    assert _admin_rows(secured, (b.role,))[named.reference_no][0] == b.role


def test_two_windows_each_see_only_their_own_through_the_log_service(secured, reliability):
    a, b = secured.new_window("窓口A"), secured.new_window("窓口B")
    store_a, store_b = Store.open(a.url), Store.open(b.url)
    mine = {_record(store_a, DEVICE_A, f"A社{i}").reference_no for i in range(3)}
    theirs = {_record(store_b, DEVICE_B, f"B社{i}").reference_no for i in range(2)}
    assert {r["reference_no"] for r in store_a.log.page().rows} == mine
    assert {r["reference_no"] for r in store_b.log.page().rows} == theirs
    assert store_a.log.counts().total == 3 and store_b.log.counts().total == 2
    b_id = store_b.log.page().rows[0]["id"]
    held = [store_a.log.record(b_id) is None, store_a.log.stored_result(b_id) is None,
            store_a.log.record_reprint(b_id) is None]                 # no count on another's record
    csv = store_a.log.export_csv(include_personal=True).decode("utf-8-sig")
    assert all(ref in csv for ref in mine)
    held.append(not any(ref in csv for ref in theirs))
    assert store_a.purge_personal_details(older_than_days=0) == 3     # its own, not B's
    store_a.log_writer.delete(b_id)                                   # a DELETE that touches nothing
    store_a.close()
    store_b.close()
    rows = _admin_rows(secured, (a.role, b.role))
    held.append(all(name == "山田" for ref, (_, name) in rows.items() if ref in theirs))      # the purge
    held.append({ref for ref, (role, _) in rows.items() if role == b.role} == theirs)       # the delete
    _count(reliability, "a window's log service on another window's records (read, stored result, reprint count,"
                        " CSV, purge, delete)", held)


def test_two_windows_each_see_only_their_own_through_the_cli(secured, tmp_path, capsys):
    from desk.cli import main

    a, b = secured.new_window("窓口A"), secured.new_window("窓口B")
    store_a, store_b = Store.open(a.url), Store.open(b.url)
    mine = {_record(store_a, DEVICE_A, f"A社{i}").reference_no for i in range(2)}
    theirs = {_record(store_b, DEVICE_B, "B社").reference_no}
    store_a.close()
    store_b.close()
    assert main(["--db", a.url, "log", "export", "--all", str(tmp_path / "a.json")]) == 0
    exported = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert {r["reference_no"] for r in exported["records"]} == mine
    capsys.readouterr()
    assert main(["--db", a.url, "log", "purge", "--older-than", "0"]) == 0
    assert capsys.readouterr().out.startswith("2 件の記録から個人情報を消しました")
    assert _admin_rows(secured, (b.role,))[next(iter(theirs))][1] == "山田"


def test_two_windows_each_see_only_their_own_through_raw_sql(secured, pg_server, reliability):
    a, b = secured.new_window("窓口A"), secured.new_window("窓口B")
    store_a, store_b = Store.open(a.url), Store.open(b.url)
    _record(store_a, DEVICE_A, "A社")
    _record(store_b, DEVICE_B, "B社")
    store_a.close()
    store_b.close()

    def psql(sql: str) -> str:
        done = pg_server.psql(secured.database, a.role, sql)
        assert done.returncode == 0, done.stderr
        return done.stdout

    held: list[bool] = []      # each attempt on B's records: nothing seen, nothing changed

    def attempt(sql: str, answer: str) -> None:
        held.append(answer in psql(sql))

    attempt(f"SELECT reference_no, visitor_name FROM consultation WHERE window_role = '{b.role}'", "(0 rows)")
    attempt("SELECT count(*) FROM consultation", " 1\n")                  # A's own only
    attempt(f"UPDATE consultation SET visitor_name = 'x' WHERE window_role = '{b.role}'", "UPDATE 0")
    attempt("UPDATE consultation SET visitor_name = 'x' WHERE business_name = 'B社'", "UPDATE 0")
    attempt("DELETE FROM consultation WHERE business_name = 'B社'", "DELETE 0")
    assert "UPDATE 1" in psql(f"UPDATE consultation SET window_role = '{b.role}'")   # its own row: allowed,
    attempt("SELECT count(*) FROM consultation", " 1\n")                  # but the trigger keeps it A's
    held.append(bool(_admin_rows(secured, (b.role,))) and all(
        name == "山田" for _, name in _admin_rows(secured, (b.role,)).values()))
    # What the log lists and counts beside each record (log_entry, its causes, its funds) is the
    # record's: B's rows are neither seen nor changed, nor can A add rows to B's record.
    attempt("SELECT reference_no FROM log_entry WHERE business_name = 'B社'", "(0 rows)")
    attempt("SELECT count(DISTINCT consultation_id) FROM log_entry", " 1\n")
    attempt("SELECT count(DISTINCT consultation_id) FROM log_cause", " 1\n")
    attempt("UPDATE log_entry SET business_name = 'x' WHERE business_name = 'B社'", "UPDATE 0")
    attempt("SELECT status FROM log_follow_up f JOIN log_entry e USING (consultation_id)"
            " WHERE e.business_name = 'B社'", "(0 rows)")
    with secured.engine.connect() as c:   # the owner's view: B's record's id
        b_id = c.scalar(text("SELECT id FROM consultation WHERE business_name = 'B社'"))
    denied = pg_server.psql(secured.database, a.role,
                            f"INSERT INTO log_cause (consultation_id, cause, day) VALUES ('{b_id}', 'x', '2026-12-01')")
    held.append(denied.returncode != 0 and "row-level security" in denied.stderr)
    _count(reliability, "a window's SQL (psql) on another window's records (SELECT, UPDATE, DELETE, INSERT)", held)
    report = secured.new_login("desk_report")
    refused = pg_server.psql(secured.database, report.role, "SELECT business_name FROM log_entry")
    _count(reliability, "the report role reading personal fields",
           [refused.returncode != 0 and "permission denied" in refused.stderr])


def test_the_report_role_counts_without_personal_fields(secured, pg_server, reliability):
    a = secured.new_window("窓口A")
    report = secured.new_login("desk_report")
    store_a = Store.open(a.url)
    _record(store_a, DEVICE_A, "A社")
    store_a.close()
    held = []
    for sql in ("SELECT visitor_name FROM consultation", "SELECT visitor_phone FROM consultation",
                "SELECT business_name, staff_name FROM consultation", "SELECT * FROM consultation"):
        denied = pg_server.psql(secured.database, report.role, sql)
        held.append(denied.returncode != 0 and "permission denied" in denied.stderr)
    _count(reliability, "the report role reading personal fields", held)
    counted = pg_server.psql(secured.database, report.role,
                             f"SELECT count(*) FROM consultation_stats WHERE window_role = '{a.role}'")
    assert counted.returncode == 0 and " 1\n" in counted.stdout
    with secured.engine.connect() as c:
        columns = set(c.scalars(text("SELECT column_name FROM information_schema.columns"
                                     " WHERE table_name = 'consultation_stats'")))
    assert columns.isdisjoint({"visitor_name", "visitor_phone", "business_name", "staff_name", "intake", "id",
                               "reference_no"})
    assert {"day", "month", "window_role", "industry", "municipality", "causes", "eligible_funds"} <= columns


def test_a_window_cannot_change_the_catalogue_and_desk_says_so(secured, pg_server, capsys, reliability):
    from desk.cli import main
    from desk.cli.common import REFUSED_BY_SERVER, refused_by_server

    a = secured.new_window("窓口A")
    capsys.readouterr()
    assert main(["--db", a.url, "import", str(PACKS_DIR / "common.yaml")]) == 1
    err = capsys.readouterr().err
    assert err == f"desk: {REFUSED_BY_SERVER}\n" and "Traceback" not in err
    store = Store.open(a.url)
    office = store.admin.office_rows()[0]["id"]
    with pytest.raises(Exception) as raised:
        store.admin.update_office(office, {"phone": "000-0000-0000"})
    assert refused_by_server(raised.value)
    store.close()
    held = [True, True]     # desk import and the admin screen's edit, both refused above
    for sql in ("UPDATE program SET name = 'x'", "DELETE FROM data_pack", "INSERT INTO service_window VALUES"
                " ('x', 'x', now(), NULL)", "SELECT * FROM catalogue_audit", "SELECT * FROM provision_log"):
        done = pg_server.psql(secured.database, a.role, sql)
        held.append(done.returncode != 0 and "permission denied" in done.stderr)
    _count(reliability, "catalogue writes (desk import, the admin screen, psql) and audit reads by a window", held)


# --- slice 3: upgrades under a role that may not migrate ------------------------------------------------


def test_a_window_upgrading_at_the_current_revision_does_nothing(secured, capsys):
    from desk.cli import main
    from desk.db.migrations import HEAD_REVISION

    a = secured.new_window("窓口A")
    capsys.readouterr()
    assert main(["--db", a.url, "db", "upgrade"]) == 0
    assert f"スキーマ: {HEAD_REVISION} → {HEAD_REVISION}" in capsys.readouterr().out


@contextmanager
def _behind(secured: Secured) -> Iterator[None]:
    """The server's schema at an older revision desk knows (its tables stay this desk's: only the
    revision says otherwise), put back afterwards."""
    from desk.db.migrations import HEAD_REVISION

    with secured.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    try:
        yield
    finally:
        with secured.engine.begin() as c:
            c.execute(text(f"UPDATE alembic_version SET version_num = '{HEAD_REVISION}'"))


def _consultations(secured: Secured) -> int:
    with secured.engine.connect() as c:
        return int(c.execute(text("SELECT count(*) FROM consultation")).scalar() or 0)


def _start_app(monkeypatch, url: str) -> tuple[int, Any, list[str]]:
    """`desk --db URL` in this process up to the window: its exit code, the store the window would
    be given (None: the app did not start) and the boxes shown instead."""
    import gc

    import desk.ui.app
    from desk.cli import main

    started: list[Any] = []
    boxes: list[str] = []

    def run_app(*, store: Any, exit_when_ready: bool, exit_when_loaded: bool) -> int:
        gc.enable()   # as run_app does: `desk` turned the collector off for the start
        started.append(store)
        return 0

    monkeypatch.setattr(desk.ui.app, "run_app", run_app)
    monkeypatch.setattr(desk.ui.app, "show_start_problem", boxes.append)
    code = main(["--db", url])
    return code, (started[0] if started else None), boxes


def _behind_window(qtbot, monkeypatch, store: Any, tmp_path) -> tuple[Any, list[tuple[str, str]]]:
    """The main window on ``store``, shown, its engine (if any) in; the boxes it showed."""
    from desk.settings import Settings
    from desk.ui.main_window import MainWindow

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: shown.append((title, text)))
    monkeypatch.setattr(MainWindow, "ask_discard", classmethod(lambda cls, parent: True))   # closing with input
    window = MainWindow(store=store, settings=Settings(tmp_path / "s.json"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.engine_loaded, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    return window, shown


SUPPLIER = {"business_name": "追浜精工", "entity": "corporation", "industry": "manufacturing", "employees": 18,
            "municipality": "横須賀市", "causes": ["nissan"], "sales_change": {"last_3m_pct": -12.5},
            "purposes": ["working"], "visitor_name": "山田太郎"}


def test_a_window_behind_the_revision_is_told_to_ask_the_administrator(secured, capsys, monkeypatch, qtbot,
                                                                        tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLabel

    from desk import paths
    from desk.cli import main
    from desk.cli.common import refresh_snapshot
    from desk.db.migrations import HEAD_REVISION
    from desk.ui.held_back import STATUS as BEHIND_STATUS
    from desk.ui.held_back import TITLE as BEHIND_TITLE
    from desk.ui.referral_preview import ReferralPreviewDialog

    a = secured.new_window("窓口A")
    kept = Store.open(a.url)    # the counter's last start at this desk's revision kept the catalogue on disk
    refresh_snapshot(kept)
    kept.close()
    intake = tmp_path / "visitor.json"
    intake.write_text(json.dumps(SUPPLIER, ensure_ascii=False), encoding="utf-8")
    logged = _consultations(secured)
    with _behind(secured):
        capsys.readouterr()
        assert main(["--db", a.url, "db", "upgrade"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "サーバーの管理者が desk_admin のロールで desk db upgrade を実行して" in err
        assert f"現在 0007、この desk は {HEAD_REVISION}" in err and a.role in err
        line = err.removeprefix("desk: ").rstrip("\n")
        for command in (["log", "stats"], ["match", str(intake)]):   # the other commands: refused as before
            assert main(["--db", a.url, *command]) == 2
            assert capsys.readouterr().err == err
        # The app opens, says the line on the terminal too and shows no box in place of the window.
        code, store, boxes = _start_app(monkeypatch, a.url)
        assert (code, boxes) == (0, []) and store is not None
        assert capsys.readouterr().err == f"desk: 警告: {line}\n"
        assert store.schema_behind is not None and store.schema_behind.line == line
        assert store.schema_behind.catalogue_saved is not None
        window, shown = _behind_window(qtbot, monkeypatch, store, tmp_path)
        assert shown[0][0] == BEHIND_TITLE and shown[0][1].startswith(line)
        assert "カタログの写し（" in shown[0][1] and "相談の記録、案内書・チラシの作成" in shown[0][1]
        status = [label for label in window.statusBar().findChildren(QLabel) if label.text() == BEHIND_STATUS]
        assert len(status) == 1 and status[0].isVisible() and status[0].toolTip() == line
        # Matching helps on the kept catalogue.
        with qtbot.waitSignal(window.results_updated, timeout=5000):
            window.stepper.load(SUPPLIER)
        assert window.results.report is not None
        assert "kanagawa.nissan.main" in {f.id for f in window.results.report.funds}
        # Ctrl+P: the same line, no sheet, nothing logged; so for every item that prints, logs, imports or edits.
        with qtbot.waitActive(window):
            window.activateWindow()
        del shown[:]
        QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert shown == [(BEHIND_TITLE, line)] and window.findChild(ReferralPreviewDialog) is None
        menus = window.menu_actions
        for item in (menus.open_intake_action, menus.leaflet_action, menus.admin_action, menus.import_action,
                     menus.export_action, menus.log_action):
            del shown[:]
            item.trigger()
            assert shown == [(BEHIND_TITLE, line)], item.text()
        assert window.make_referral_from_file(intake) is None
        assert window.findChild(ReferralPreviewDialog) is None
        assert _consultations(secured) == logged
        assert not any((paths.get().data_dir / "pending-sheets").glob("*"))
        with pytest.raises(Exception) as refused:   # and the store itself reaches the server no more
            store.log_writer.delete("00000000-0000-4000-8000-000000000000")
        assert str(refused.value) == line
        window.close()
        store.close()
    code, store, boxes = _start_app(monkeypatch, a.url)     # upgraded: the app as ever
    assert (code, boxes) == (0, []) and store.schema_behind is None
    store.close()


def test_a_window_behind_the_revision_with_no_kept_catalogue_opens_on_empty_results(secured, capsys, monkeypatch,
                                                                                   qtbot, tmp_path):
    from desk.ui.held_back import TITLE as BEHIND_TITLE

    b = secured.new_window("窓口B")    # never started here: no catalogue on this counter's disk
    with _behind(secured):
        code, store, boxes = _start_app(monkeypatch, b.url)
        assert (code, boxes) == (0, []) and store.schema_behind.catalogue_saved is None
        window, shown = _behind_window(qtbot, monkeypatch, store, tmp_path)
        assert shown[0][0] == BEHIND_TITLE and shown[0][1].startswith(store.schema_behind.line)
        assert "カタログの写しがないため、判定結果は表示できません" in shown[0][1]
        model = window.results.model
        assert window.results.report is None
        assert all(model.rowCount(model.index(group, 0)) == 0 for group in range(model.rowCount()))
        assert "判定結果は表示できません" in "\n".join(window.results.summary.lines())
        with qtbot.waitSignal(window.results_updated, timeout=5000):
            window.stepper.load(SUPPLIER)
        assert window.results.report is None
        del shown[:]
        window.make_referral_from_form()
        assert shown == [(BEHIND_TITLE, store.schema_behind.line)]
        window.close()
        store.close()


def test_a_newer_schema_is_still_refused_by_the_app(secured, monkeypatch):
    c = secured.new_window("窓口C")
    with _behind(secured):
        with secured.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
        code, store, boxes = _start_app(monkeypatch, c.url)
        assert code == 1 and store is None and len(boxes) == 1 and "新しい版の desk" in boxes[0]


# --- slice 4: consent, the record of provision, the audit trail -----------------------------------------


def _provisions(secured: Secured, reference_no: str) -> list[dict[str, Any]]:
    from desk.db import sharing
    from desk.db.engine import session_factory

    return [p for p in sharing.provisions(session_factory(secured.engine)) if p["reference_no"] == reference_no]


def test_with_consent_the_referred_window_reads_that_one_record_and_the_server_records_it(secured, tmp_path,
                                                                                            capsys, reliability):
    from desk.cli import main
    from desk.db.services import ConsentError

    a, b, c = secured.new_window("窓口A"), secured.new_window("窓口B"), secured.new_window("窓口C")
    store_a, store_b, store_c = Store.open(a.url), Store.open(b.url), Store.open(c.url)
    shared, kept = _record(store_a, DEVICE_A, "A社").reference_no, _record(store_a, DEVICE_A, "A社2").reference_no
    held = [store_b.log.shared_record(shared) is None]                     # no consent yet
    store_a.log.record_consent(shared, consent=True, referred_window=b.role)
    store_a.log.record_consent(kept, consent=False, referred_window=None)
    record = store_b.log.shared_record(shared)
    assert record is not None and record.visitor_name == "山田" and record.window_role == a.role
    held += [store_b.log.shared_record(kept) is None, store_c.log.shared_record(shared) is None,
             shared not in {r["reference_no"] for r in store_b.log.page().rows}]    # one read, not a listing
    logged = _provisions(secured, shared)
    assert [(p["reader"], p["from_window"], p["to_window"], p["action"]) for p in logged] == [
        (b.role, a.role, b.role, "read")]
    with pytest.raises(ConsentError, match="この窓口にありません"):           # another's record
        store_b.log.record_consent(shared, consent=True, referred_window=b.role)
    with pytest.raises(ConsentError, match="ありません"):
        store_a.log.record_consent(kept, consent=True, referred_window="no_such_window")
    with pytest.raises(ConsentError, match="紹介先"):
        store_a.log.record_consent(kept, consent=True, referred_window=None)
    for store in (store_a, store_b, store_c):
        store.close()

    capsys.readouterr()
    assert main(["--db", b.url, "log", "shared", shared]) == 0
    assert "来訪者氏名: 山田" in capsys.readouterr().out and len(_provisions(secured, shared)) == 2
    assert main(["--db", a.url, "log", "consent", shared, "--no"]) == 0     # withdrawn
    held.append(main(["--db", b.url, "log", "shared", shared]) == 1)
    assert "共有されていません" in capsys.readouterr().err and len(_provisions(secured, shared)) == 2
    _count(reliability, "another window reading a record without the visitor's consent (or after it is withdrawn)",
           held)
    assert main(["--db", a.url, "log", "consent", kept, "--yes", "--to", "nobody"]) == 2
    assert main(["--db", secured.url, "server", "provisions", "--csv", str(tmp_path / "p.csv")]) == 0
    assert (tmp_path / "p.csv").read_text(encoding="utf-8-sig").count(shared) == 2


def test_the_audit_trail_records_an_admin_edit_and_an_import(secured, tmp_path, capsys):
    from desk.cli import main
    from desk.db import sharing
    from desk.db.engine import session_factory

    admin = secured.new_login("desk_admin")         # a person in the administrators' group, not a superuser
    store = Store(admin.url)
    office = store.admin.office_rows()[0]["id"]
    before = store.admin.office_values(office)["phone"]
    store.admin.update_office(office, {"phone": "045-999-9999"})
    store.admin.update_office(office, {"phone": before})
    store.close()
    trail = [r for r in sharing.audit_trail(session_factory(secured.engine))
             if r["table"] == "office" and r["record_id"] == office and r["who"] == admin.role]
    assert [(r["action"], r["old"]["phone"], r["new"]["phone"]) for r in trail] == [
        ("UPDATE", before, "045-999-9999"), ("UPDATE", "045-999-9999", before)]
    assert "name" not in trail[0]["new"]                                   # what changed, not the whole row
    capsys.readouterr()
    assert main(["--db", admin.url, "import", str(PACKS_DIR / "common.yaml")]) == 0
    packs = [r for r in sharing.audit_trail(session_factory(secured.engine))
             if r["table"] == "data_pack" and r["who"] == admin.role]
    assert [r["action"] for r in packs] == ["DELETE", "INSERT"] and packs[1]["record_id"] == "common"
    assert main(["--db", secured.url, "server", "audit", "--csv", str(tmp_path / "audit.csv")]) == 0
    written = (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")
    assert "045-999-9999" in written and admin.role in written
    capsys.readouterr()
    assert main(["--db", secured.url, "server", "audit"]) == 0
    shown = capsys.readouterr().out                      # a terminal table: long values are cut
    assert admin.role in shown and office in shown and "UPDATE" in shown


# --- slice 5: an offline laptop's file carries its window -------------------------------------------------


def test_a_laptop_file_goes_only_into_the_window_it_was_made_for(secured, tmp_path, capsys, reliability):
    from desk.cli import main
    from desk.db import logsync

    a, b = secured.new_window("窓口A"), secured.new_window("窓口B")
    import uuid

    device = str(uuid.uuid4())    # the laptop's own numbers: none of the server's records share them
    laptop = Store.open(db_engine.sqlite_url(tmp_path / "laptop.sqlite3"))
    made = {_record(laptop, device, f"出張相談{i}").reference_no for i in range(2)}
    followed = sorted(made)[0]
    applied_on = dt.date(2199, 12, 1)      # not before the record's own day, whenever the test runs
    assert laptop.log.set_follow_up(followed, status="applied", day=applied_on)   # it travels too
    for_a, old_style = tmp_path / "for-a.json", tmp_path / "old.json"
    assert logsync.export_log(laptop.make_session, for_a, device=device, everything=True, window=a.role) == 2
    assert logsync.export_log(laptop.make_session, old_style, device=device, everything=True) == 2
    laptop.close()
    assert json.loads(for_a.read_text(encoding="utf-8"))["window"] == a.role
    assert "window" not in json.loads(old_style.read_text(encoding="utf-8"))

    capsys.readouterr()
    refused = main(["--db", b.url, "log", "import", str(for_a)]) == 2       # another window's file
    err = capsys.readouterr().err
    assert f"窓口 {a.role} のためのファイルです" in err and "データベースは変わっていません" in err
    held = [refused and not _admin_rows(secured, (b.role,))]                # nothing went into B's window
    _count(reliability, "log files made for another window, imported by a window", held)
    assert main(["--db", secured.url, "log", "import", str(old_style)]) == 2   # the admin needs the window named
    capsys.readouterr()
    assert main(["--db", secured.url, "log", "import", str(for_a)]) == 0       # the admin: into the file's window
    assert "その後: 記録 1 件" in capsys.readouterr().out
    placed = {ref: role for ref, (role, _) in _admin_rows(secured, (a.role, b.role)).items()}
    assert placed == dict.fromkeys(made, a.role)
    assert main(["--db", a.url, "log", "import", str(for_a)]) == 0             # its own: already there
    assert "取り込み済み 2 件" in capsys.readouterr().out
    window_a = Store.open(a.url)
    try:                                                                        # the window sees its follow-up
        shown = {r["reference_no"]: r["follow_up"] for r in window_a.log.page().rows}
        assert shown[followed] == f"申込済（{applied_on}）"
    finally:
        window_a.close()
