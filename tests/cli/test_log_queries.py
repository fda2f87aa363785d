"""`desk log search`, `desk log stats`, `desk log csv` on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desk.cli import main
from desk.db import engine as db_engine
from desk.db import setup
from desk.db.services import LogFilter
from desk.db.store import Store
from tests import synthetic_log


@pytest.fixture(params=["sqlite", "postgresql"])
def log_url(request, tmp_path):
    """A database of each kind, ready (the bundled catalogue) and holding 300 synthetic records."""
    url = (db_engine.sqlite_url(tmp_path / "log.sqlite3") if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    engine = db_engine.make_engine(url)
    setup.ensure_ready(engine)
    rows = list(synthetic_log.consultations(300))
    for row in rows:
        row["report"] = b"x"
    synthetic_log.fill_engine(engine, rows)
    engine.dispose()
    return url


def run(capsys, url, *argv):
    code = main(["--db", url, "log", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_search_pages_the_log_newest_first(log_url, capsys):
    code, out, _ = run(capsys, log_url, "search", "--text", "精工", "--limit", "7", "--json")
    found = json.loads(out)
    service = Store.open(log_url).log
    assert code == 0 and found["more"] is True
    assert found["rows"] == service.page(LogFilter(text="精工"), limit=7).rows
    code, out, _ = run(capsys, log_url, "search", "--since", "2022-04-05", "--until", "2022-04-05")
    day = dt.date(2022, 4, 5)
    listed = service.page(LogFilter(since=day, until=day)).rows
    assert len(listed) > 50 and code == 0 and "\n50 件（さらにあります" in out
    assert listed[0]["reference_no"] in out and listed[50]["reference_no"] not in out


def test_stats_are_the_services_counts(log_url, capsys):
    service = Store.open(log_url).log
    for by in ("day", "month", "cause", "industry", "municipality", "window", "fund", "follow_up"):
        code, out, _ = run(capsys, log_url, "stats", "--by", by, "--json")
        groups = json.loads(out)["groups"]
        assert code == 0 and groups == [{"key": s.key, "label": s.label, "consultations": s.consultations,
                                         "businesses": s.businesses} for s in service.stats(by=by)], by
    code, out, _ = run(capsys, log_url, "stats", "--by", "month")
    assert code == 0 and "計 300 件" in out and "相談件数" in out and "相談事業者数" in out
    code, out, _ = run(capsys, log_url, "stats", "--by", "cause", "--since", "2022-04-04")
    assert code == 0 and "日産自動車追浜工場" in out


def test_csv_streams_to_a_file(log_url, capsys, tmp_path):
    target = tmp_path / "out.csv"
    code, out, _ = run(capsys, log_url, "csv", str(target))
    assert code == 0 and "300 件" in out
    text = target.read_bytes().decode("utf-8-sig")
    assert text.count("\r\n") == 301 and "来訪者" not in text
    code, out, _ = run(capsys, log_url, "csv", str(target), "--with-personal", "--until", "2022-04-04")
    assert code == 0 and "個人情報を含む" in out and "来訪者氏名" in target.read_bytes().decode("utf-8-sig")


def test_follow_up_is_entered_by_reference_number(log_url, capsys, tmp_path):
    service = Store.open(log_url).log
    number = service.page(limit=1).rows[0]["reference_no"]
    code, out, _ = run(capsys, log_url, "follow-up", number, "--status", "実行", "--date", "2026-12-01")
    assert code == 0 and "実行（2026-12-01）" in out
    assert service.page(limit=1).rows[0]["follow_up"] == "実行（2026-12-01）"
    code, _, _ = run(capsys, log_url, "csv", str(tmp_path / "out.csv"))        # the CSV shows it too
    header, first = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig").split("\r\n")[:2]
    assert code == 0 and header.endswith(",その後,その後の日付") and first.endswith(",実行,2026-12-01")
    code, out, _ = run(capsys, log_url, "follow-up", number, "--status", "declined")
    assert code == 0 and service.page(limit=1).rows[0]["follow_up_status"] == "declined"
    code, out, _ = run(capsys, log_url, "stats", "--by", "follow_up", "--json")
    assert json.loads(out)["groups"][2] == {"key": "declined", "label": "謝絶", "consultations": 1, "businesses": 1}
    code, out, _ = run(capsys, log_url, "follow-up", number, "--status", "clear")
    assert code == 0 and service.page(limit=1).rows[0]["follow_up"] == ""
    code, _, err = run(capsys, log_url, "follow-up", "20990101-XXXXX-001", "--status", "applied")
    assert code == 2 and "記録はありません" in err and err.count("\n") == 1


def test_a_follow_up_before_the_consultation_is_one_line_and_exit_2(log_url, capsys):
    service = Store.open(log_url).log
    row = service.page(limit=1).rows[0]
    early = dt.date.fromisoformat(row["day"]) - dt.timedelta(days=1)
    code, out, err = run(capsys, log_url, "follow-up", row["reference_no"], "--status", "applied",
                         "--date", early.isoformat())
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"--date（{early}）は相談日（{row['day']}）より前です" in err
    assert service.page(limit=1).rows[0]["follow_up"] == ""


@pytest.mark.parametrize("argv, said", [
    (("follow-up", "20260101-AAAAA-001", "--status", "approved"), "--status は applied"),
    (("follow-up", "20260101-AAAAA-001", "--status", "applied", "--date", "12/1"), "--date は YYYY-MM-DD"),
    (("search", "--since", "2026-13-01"), "--since は YYYY-MM-DD"),
    (("search", "--limit", "0"), "--limit は 1〜"),
    (("search", "--limit", "many"), "--limit は 1〜"),
    (("stats", "--by", "week"), "--by は day / month"),
    (("stats", "--since", "2026-05-01", "--until", "2026-04-01"), "より後です"),
    (("csv", "/", "--until", "x"), "--until は"),
])
def test_bad_input_is_one_japanese_line_and_exit_2(tmp_path, capsys, argv, said):
    code = main(["--db", str(tmp_path / "never.sqlite3"), "log", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and said in err and err.count("\n") == 1 and out == ""
    assert not (tmp_path / "never.sqlite3").exists()      # said before the database is opened


def test_csv_refuses_a_folder(tmp_path, capsys):
    code = main(["--db", str(tmp_path / "db.sqlite3"), "log", "csv", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1
