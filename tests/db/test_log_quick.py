"""The log's pages by the quick path (sqlite3, libpq) are the ORM's pages: the same rows in the same
order, the same cursor, on SQLite and PostgreSQL; a database the quick path does not know goes the
full way; `desk log search` runs without SQLAlchemy."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from desk.cli import main
from desk.db import engine as db_engine
from desk.db import setup
from desk.db.engine import session_factory
from desk.db.log_quick import QuickLogService, server_pages, sqlite_pages
from desk.db.log_service import OrmLogService
from desk.db.services import EVERYTHING, DatabaseUnreachable, LogFilter, LogPage
from desk.db.store import Store
from desk.db.urls import plain_sqlite_file
from tests import synthetic_log
from tests.conftest import REPO

# Business names that are LIKE patterns if not escaped, quotes, the escape character itself.
TRICKY_NAMES = ("100%出資商事", "a_b商店", "50%オフ_堂", "斜め/線工業", "O'Brien & Sons", "％全角", "＿全角")
FILTERS = (EVERYTHING, LogFilter(text="%"), LogFilter(text="_"), LogFilter(text="50%"), LogFilter(text="/"),
           LogFilter(text="a_b"), LogFilter(text="'"), LogFilter(text="精工"), LogFilter(text="横浜"),
           LogFilter(text="該当なしの文字"), LogFilter(text="％"),
           LogFilter(since=dt.date(2022, 4, 5), until=dt.date(2022, 4, 6)), LogFilter(since=dt.date(2022, 4, 7)),
           LogFilter(until=dt.date(2022, 4, 4)), LogFilter(text="商", since=dt.date(2022, 4, 5)),
           LogFilter(since=dt.date(2030, 1, 1)))


def _url(kind: str, request: pytest.FixtureRequest, tmp_path) -> str:
    return (db_engine.sqlite_url(tmp_path / "log.sqlite3") if kind == "sqlite"
            else request.getfixturevalue("pg_url"))


def _fill(url: str, count: int = 240) -> None:
    """A ready database with synthetic records, ties in created_at (several records at one moment,
    ids in no particular order), names holding %, _, / and quotes, and follow-ups (one cleared)."""
    engine = db_engine.make_engine(url)
    setup.ensure_ready(engine)
    rows = synthetic_log.made(count)
    for i, row in enumerate(rows[:60]):
        row["created_at"] = rows[60 + i // 6]["created_at"]           # groups of up to seven at one time
    for i, name in enumerate(TRICKY_NAMES):
        rows[100 + i]["business_name"] = name
        rows[110 + i]["staff_name"] = name
    synthetic_log.fill_engine(engine, rows)
    engine.dispose()
    log = Store.open(url).log
    for row, status in zip(rows[::37], ("applied", "executed", "declined", "undecided", "executed"), strict=False):
        assert log.set_follow_up(row["reference_no"], status=status, day=dt.date(2023, 1, 10))
    assert log.set_follow_up(rows[0]["reference_no"], status=None)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(request, tmp_path_factory) -> str:
    """One filled database of each kind for the tests that only read it."""
    url = (db_engine.sqlite_url(tmp_path_factory.mktemp("quick-log") / "log.sqlite3") if request.param == "sqlite"
           else request.getfixturevalue("pg_server").create_database())
    _fill(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def filled_here(request, tmp_path) -> str:
    """A filled database of each kind for a test that changes it."""
    url = _url(request.param, request, tmp_path)
    _fill(url, 120)
    return url


def _both(url: str) -> tuple[QuickLogService, OrmLogService, Store]:
    store = Store.open(url, quick_log=True)
    quick = store.log
    assert isinstance(quick, QuickLogService)
    return quick, OrmLogService(session_factory(store.engine)), store


def _walk(service, where: LogFilter, limit: int | None) -> list[LogPage]:
    pages = [service.page(where, limit=limit)]
    while pages[-1].next is not None:
        pages.append(service.page(where, limit=limit, after=pages[-1].next))
    return pages


@pytest.mark.parametrize("limit", [None, 1, 7, 50])
def test_quick_pages_are_the_orms_pages(filled, limit):
    quick, orm, store = _both(filled)
    for where in FILTERS:
        expected = _walk(orm, where, limit)
        assert _walk(quick, where, limit) == expected, where
        if limit == 7 and where == EVERYTHING:
            assert len(expected) > 30
    store.close()


def test_the_filters_find_what_they_should(filled):
    """Not only equal to the ORM: the escaped text is matched as text (a name with % is found by
    "%", no other), and the follow-ups show."""
    quick, _, store = _both(filled)
    for literal, names in (("%", {"100%出資商事", "50%オフ_堂"}), ("_", {"a_b商店", "50%オフ_堂"})):
        found = quick.page(LogFilter(text=literal)).rows   # two businesses and two staff names
        assert len(found) == 4 and all(literal in r["business_name"] + r["staff_name"] for r in found)
        assert {r["business_name"] for r in found} >= names and {r["staff_name"] for r in found} >= names
    assert quick.page(LogFilter(text="該当なしの文字")) == LogPage([], None)
    ties = [r["created_at"] for r in quick.page(limit=400).rows]
    assert len(ties) - len(set(ties)) > 40
    said = {r["follow_up"] for r in quick.page().rows}
    assert "実行（2023-01-10）" in said and "" in said
    store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_empty_log(kind, request, tmp_path):
    url = _url(kind, request, tmp_path)
    setup.ensure_ready(engine := db_engine.make_engine(url))
    engine.dispose()
    quick, orm, store = _both(url)
    for where in (EVERYTHING, LogFilter(text="%"), LogFilter(since=dt.date(2026, 1, 1))):
        assert quick.page(where, limit=50) == orm.page(where, limit=50) == LogPage([], None)
    store.close()


@pytest.mark.parametrize("revision", ["0009", "9999"])
def test_a_revision_the_quick_path_does_not_know_goes_the_full_way(filled_here, revision, capsys):
    filled = filled_here
    engine = db_engine.make_engine(filled)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()
    path = plain_sqlite_file(filled)
    assert (sqlite_pages(path) if path else server_pages(filled)) is None
    if revision == "9999":   # a newer desk's database: refused in one line, as every command refuses it
        code = main(["--db", filled, "log", "search", "--limit", "5"])
        out, err = capsys.readouterr()
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "desk" in err


def test_an_unfilled_database_goes_the_full_way(empty_engine):
    assert sqlite_pages(plain_sqlite_file(empty_engine.url.render_as_string())) is None
    log = Store.for_engine(empty_engine).log
    assert log._pages is None and log.page(limit=5).rows == []   # the ORM's pages, behind the same service


@pytest.mark.parametrize("argv", [["--limit", "50", "--json"], ["--text", "%", "--json"],
                                  ["--text", "精工", "--since", "2022-04-05", "--until", "2022-04-06", "--json"],
                                  ["--limit", "50"], ["--text", "a_b"]])
def test_desk_log_search_prints_the_orms_page_without_sqlalchemy(filled, argv, tmp_path):
    """A fresh process, as staff run it: the output is what the ORM's page gives, and SQLAlchemy
    is never imported."""
    probe = ("import sys\nfrom desk.cli import main\ncode = main(sys.argv[1:])\n"
             "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'NO-SQLALCHEMY', file=sys.stderr)\n"
             "raise SystemExit(code)")
    done = subprocess.run([sys.executable, "-c", probe, "--basedir", str(tmp_path / "base"), "--db", filled,
                           "log", "search", *argv], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr.strip().endswith("NO-SQLALCHEMY"), done.stderr
    _, orm, store = _both(filled)
    options = dict(zip(argv[::2], argv[1::2], strict=False))
    where = LogFilter(text=options.get("--text"),
                      since=dt.date.fromisoformat(options["--since"]) if "--since" in options else None,
                      until=dt.date.fromisoformat(options["--until"]) if "--until" in options else None)
    page = orm.page(where, limit=int(options.get("--limit", 50)))
    if "--json" in argv:
        assert json.loads(done.stdout) == {"rows": page.rows, "more": page.next is not None}
    else:
        assert [line.split()[0] for line in done.stdout.splitlines()[2:2 + len(page.rows)]] == [
            r["reference_no"] for r in page.rows]
    store.close()


def test_the_store_closes_its_quick_pages(filled_here):
    filled = filled_here
    store = Store.open(filled, quick_log=True)
    store.log.page(limit=1)
    store.close()
    with pytest.raises(Exception):   # noqa: B017 - sqlite3.ProgrammingError or LibpqError: closed
        store.log.page(limit=1)


def test_a_server_that_cannot_be_reached_is_one_line(pg_server, capsys, tmp_path):
    """libpq's own words, as psycopg says them, once (not tried again through the full path)."""
    url = f"postgresql+psycopg://postgres@/desk?host={tmp_path}&port=5432"
    code = main(["--db", url, "log", "search"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "データベースを開けません" in err and str(tmp_path) in err


def test_an_option_libpq_refuses_goes_the_full_way(pg_server, capsys):
    """libpq refusing the URI is not this path's to say: the full path reads the URL (here psycopg
    refuses the option too, and says so in the command's one line)."""
    url = pg_server.create_database() + "&bogus_option=1"
    assert server_pages(url) is None
    code = main(["--db", url, "log", "search"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and err.count("\n") == 1 and "bogus_option" in err
    assert "URI" not in err   # psycopg's words (libpq's: 'invalid URI query parameter')


def test_the_apps_store_on_a_server_pages_through_libpq_and_comes_back_after_a_dropped_connection(pg_server):
    """The app opens its store without quick_log: on a server the log window's pages come through
    libpq all the same, and a connection the server dropped (a restart, an idle timeout) is made
    again before a page fails."""
    url = pg_server.create_database()
    _fill(url, 120)
    store = Store.open(url)
    log = store.log
    assert isinstance(log, QuickLogService)
    orm = OrmLogService(session_factory(store.engine))
    first = log.page(limit=7)
    assert first == orm.page(limit=7)
    with store.engine.connect() as other:   # the server ends every other session of this database
        other.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    assert log.page(limit=7, after=first.next) == orm.page(limit=7, after=first.next)
    store.close()


def test_a_server_that_stops_answering_is_database_unreachable_on_every_path_and_comes_back(pg_server):
    """The log window met a stopped server as SQLAlchemy's error from one path and libpq's from the
    other, raised out of Qt's slots. Every question the windows ask says DatabaseUnreachable, the
    driver's words kept; the same service reads again once the server answers."""
    url = pg_server.create_database()
    _fill(url, 120)
    name = url.split("@/")[1].split("?")[0]
    store = Store.open(url)
    log = store.log
    first = log.page(limit=5)
    record_id = first.rows[0]["id"]
    assert log.record(record_id) is not None
    pg_server.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    pg_server.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        for ask in (lambda: log.page(limit=5), lambda: log.page(limit=5, after=first.next),
                    lambda: log.record(record_id), lambda: log.counts(), lambda: log.set_follow_up("x", status=None),
                    store.fingerprint):
            with pytest.raises(DatabaseUnreachable) as said:
                ask()
            assert "not currently accepting connections" in said.value.detail
            assert str(said.value) == DatabaseUnreachable.TEXT
    finally:
        pg_server.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert log.page(limit=5) == first and log.record(record_id) is not None
    store.close()


def test_only_a_database_that_does_not_answer_is_said_unreachable(tmp_path):
    """A missing table or a refused query is a fault of another kind: it goes on as it was."""
    import sqlite3

    from desk.db.libpq import LibpqError
    from desk.db.reach import is_unreachable

    assert is_unreachable(sqlite3.OperationalError("database is locked"))
    assert not is_unreachable(sqlite3.OperationalError("no such table: log_entry"))
    assert is_unreachable(LibpqError("connection to server failed", connection=True))
    assert not is_unreachable(LibpqError('relation "log_entry" does not exist'))
    assert not is_unreachable(ValueError("a bug"))


def test_a_connection_waits_a_bounded_time_for_a_server_gone_unless_the_url_says_otherwise(pg_server):
    """libpq waits for ever for a connection by default, and for the network's own timeouts (many
    minutes) for an answer: both paths give desk's bounds, the URL's own options winning."""
    from desk.db.libpq import PgConnection

    url = pg_server.create_database()
    for given, expected in ((url, "connect_timeout=10"), (url + "&connect_timeout=3", "connect_timeout=3")):
        engine = db_engine.make_engine(given)
        with engine.connect() as connection:
            dsn = connection.connection.dbapi_connection.info.dsn
        engine.dispose()
        assert expected in dsn and "tcp_user_timeout=30000" in dsn and "keepalives_idle=30" in dsn
        quick = PgConnection.open(given)
        assert quick is not None
        assert quick.rows("SELECT 1") == [("1",)]   # libpq took every option
        quick.close()
