"""Offline laptops bring their records back: export what is new, import idempotently, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

import pytest
from sqlalchemy import func, select

from desk.cli import main
from desk.db import engine as db_engine
from desk.db import logsync, setup
from desk.db import models as m
from desk.db.consultations import OrmLogWriter, search_consultations, set_follow_up
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.log import records
from tests import answers

DEVICE = "6f1c2a9e-0000-4000-8000-000000000000"
REPORT = answers.report(funds=(("kanagawa.nissan.main", "eligible"),))


# Before the follow-ups' days below (a follow-up before its consultation's day is refused).
MADE_AT = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)


def _record(make_session, name: str, **extra):
    return records.record(OrmLogWriter(make_session), intake=read_intake({"business_name": name, **extra}).intake,
                          report=REPORT, device=DEVICE, window_name="出張相談", staff_name="担当", now=MADE_AT)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared(request, tmp_path):
    """The shared database, on SQLite and on a PostgreSQL server."""
    if request.param == "sqlite":
        url = db_engine.sqlite_url(tmp_path / "shared.sqlite3")
    else:
        url = request.getfixturevalue("pg_server").create_database()
    engine = db_engine.make_engine(url)
    setup.upgrade(engine)
    yield db_engine.session_factory(engine)
    engine.dispose()


def test_export_then_import_twice_adds_once(empty_engine, shared, tmp_path):
    laptop = db_engine.session_factory(empty_engine)
    first = [_record(laptop, "追浜精工", visitor_name="山田"), _record(laptop, "浦賀工業")]
    file = tmp_path / "laptop-1.json"
    assert logsync.export_log(laptop, file, device=DEVICE) == 2
    assert file.stat().st_mode & 0o777 == 0o600
    report = logsync.import_log(shared, file)
    assert sorted(report.added) == sorted(r.reference_no for r in first) and not report.conflicts
    again = logsync.import_log(shared, file)
    assert again.added == [] and again.already_there == 2 and not again.conflicts
    rows = search_consultations(shared, text="精工")
    assert [r["visitor_name"] for r in rows] == ["山田"] and rows[0]["window_name"] == "出張相談"
    # Since the last export: only the new record goes in the next file.
    third = _record(laptop, "久里浜製作所")
    assert logsync.export_log(laptop, tmp_path / "laptop-2.json", device=DEVICE) == 1
    assert logsync.export_log(laptop, tmp_path / "laptop-3.json", device=DEVICE) == 0
    assert not (tmp_path / "laptop-3.json").exists()
    assert logsync.import_log(shared, tmp_path / "laptop-2.json").added == [third.reference_no]
    # Everything again (a lost file): nothing is added twice.
    assert logsync.export_log(laptop, tmp_path / "all.json", device=DEVICE, everything=True, personal=False) == 3
    report = logsync.import_log(shared, tmp_path / "all.json")
    assert report.added == [] and report.already_there == 3 and not report.conflicts


def test_everything_exports_every_record_whatever_its_device_id(empty_engine, tmp_path):
    # Two first referrals at once used to save two device ids: the records of the one not
    # saved last never left with `desk log export --all` (issue 15, item 1).
    laptop = db_engine.session_factory(empty_engine)
    _record(laptop, "追浜精工")
    records.record(OrmLogWriter(laptop), intake=read_intake({"business_name": "浦賀工業"}).intake, report=REPORT,
                   device="0badc0de-0000-4000-8000-000000000000", window_name=None, staff_name=None)
    assert logsync.export_log(laptop, tmp_path / "mine.json", device=DEVICE) == 1
    assert logsync.export_log(laptop, tmp_path / "all.json", device=DEVICE, everything=True) == 2


def test_a_changed_or_cut_file_is_refused_and_changes_nothing(empty_engine, shared, tmp_path):
    laptop = db_engine.session_factory(empty_engine)
    _record(laptop, "追浜精工")
    file = tmp_path / "log.json"
    logsync.export_log(laptop, file, device=DEVICE)
    document = json.loads(file.read_text(encoding="utf-8"))
    document["records"][0]["business_name"] = "書き換え"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(logsync.LogFileError, match="チェックサム"):
        logsync.import_log(shared, tampered)
    cut = tmp_path / "cut.json"
    cut.write_text(file.read_text(encoding="utf-8")[:200], encoding="utf-8")
    with pytest.raises(logsync.LogFileError, match="読めません"):
        logsync.import_log(shared, cut)
    assert search_consultations(shared) == []


def test_the_same_number_for_another_record_is_reported_not_overwritten(empty_engine, shared, tmp_path):
    laptop = db_engine.session_factory(empty_engine)
    mine = _record(laptop, "追浜精工")
    theirs = _record(shared, "別の事業者")          # same device id, same day: the same number
    assert mine.reference_no == theirs.reference_no
    logsync.export_log(laptop, tmp_path / "log.json", device=DEVICE)
    report = logsync.import_log(shared, tmp_path / "log.json")
    assert report.added == [] and report.conflicts and mine.reference_no in report.conflicts[0]
    assert [r["business_name"] for r in search_consultations(shared)] == ["別の事業者"]


def test_cli_log_export_and_import(tmp_path, capsys, monkeypatch):
    laptop_base, shared_db = tmp_path / "laptop", tmp_path / "shared.sqlite3"
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"municipality": "横須賀市"}), encoding="utf-8")
    assert main(["--basedir", str(laptop_base), "referral", str(intake), "-o", str(tmp_path / "s.pdf")]) == 0
    capsys.readouterr()
    assert main(["--basedir", str(laptop_base), "log", "export", str(tmp_path / "out.json")]) == 0
    assert "1 件を書き出しました" in capsys.readouterr().out
    assert main(["--db", str(shared_db), "log", "import", str(tmp_path / "out.json")]) == 0
    assert "追加 1 件" in capsys.readouterr().out
    assert main(["--db", str(shared_db), "log", "import", str(tmp_path / "out.json")]) == 0
    assert "追加 0 件、取り込み済み 1 件" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    assert main(["--db", str(shared_db), "log", "import", str(tmp_path / "bad.json")]) == 2
    assert "desk log export のファイルではありません" in capsys.readouterr().err
    store = Store.open(db_engine.sqlite_url(shared_db))
    assert len(search_consultations(store.make_session)) == 1


def _shared_copy(tmp_path, catalogue_file):
    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(catalogue_file, path)
    return path


def _consultations(db) -> int:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT count(*) FROM consultation").fetchone()[0]


def _exported(tmp_path, make_session, count: int = 2) -> dict:
    for i in range(count):
        _record(make_session, f"事業者{i}", visitor_name="山田")
    file = tmp_path / "good.json"
    logsync.export_log(make_session, file, device=DEVICE)
    return json.loads(file.read_text(encoding="utf-8"))


def _write(tmp_path, document: dict, name: str = "hostile.json"):
    document["count"] = len(document["records"])
    document["sha256"] = logsync.checksum(document["records"])   # a right checksum: anyone can write one
    file = tmp_path / name
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return file


HOSTILE = {
    "year-9999": ("created_at", "9999-12-31T23:59:59+00:00", "created_at の年 9999"),
    "year-1": ("evaluated_on", "0001-01-01", "evaluated_on の年 1"),
    "result-a-string": ("result", "everything eligible", "result がオブジェクトではありません"),
    "result-a-list": ("result", [1, 2], "result がオブジェクトではありません"),
    "eligible-a-number": ("result", {"eligible": 7}, "result.eligible"),
    "causes-an-integer": ("causes", 7, "causes が文字列の並び"),
    "causes-of-objects": ("causes", [{"a": 1}], "causes が文字列の並び"),
    "intake-a-list": ("intake", [], "intake が"),
    "id-not-a-uuid": ("id", "x" * 36, "id が UUID ではありません"),
    "name-a-number": ("visitor_name", 5, "visitor_name が"),
    "versions-nested": ("pack_versions", {"p": {"v": 1}}, "pack_versions"),
    "follow-up-a-string": ("follow_up", "実行", "follow_up が"),
    "follow-up-unknown": ("follow_up", {"status": "approved", "day": None, "recorded_at": "2026-12-01T00:00:00+00:00"},
                          "follow_up.status"),
    "follow-up-day-year-1": ("follow_up", {"status": "applied", "day": "0001-01-01",
                                           "recorded_at": "2026-12-01T00:00:00+00:00"}, "follow_up.day の年 1"),
    "follow-up-no-zone": ("follow_up", {"status": "applied", "day": None, "recorded_at": "2026-12-01T00:00:00"},
                          "follow_up.recorded_at に時差"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_record_desk_would_not_write_is_refused_by_name_and_exit_2(empty_engine, tmp_path, capsys, case,
                                                                                   _catalogue_file):
    field, value, said = HOSTILE[case]
    laptop = db_engine.session_factory(empty_engine)
    document = _exported(tmp_path, laptop)
    document["records"][1][field] = value
    file = _write(tmp_path, document)
    shared_db = _shared_copy(tmp_path, _catalogue_file)
    assert main(["--db", str(shared_db), "log", "import", str(file)]) == 2
    err = capsys.readouterr().err
    assert "2 件目の記録" in err and said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert _consultations(shared_db) == 0


def test_two_new_records_with_one_number_are_refused_naming_both(empty_engine, tmp_path, capsys, _catalogue_file):
    laptop = db_engine.session_factory(empty_engine)
    document = _exported(tmp_path, laptop, count=3)
    document["records"][2]["reference_no"] = document["records"][0]["reference_no"]
    file = _write(tmp_path, document)
    shared_db = _shared_copy(tmp_path, _catalogue_file)
    assert main(["--db", str(shared_db), "log", "import", str(file)]) == 2
    err = capsys.readouterr().err
    assert "3 件目の記録" in err and "1 件目の記録と受付番号が同じです" in err and "開けません" not in err
    assert _consultations(shared_db) == 0


def test_an_intake_nested_deeper_than_python_can_follow_is_refused(empty_engine, tmp_path, capsys, _catalogue_file):
    laptop = db_engine.session_factory(empty_engine)
    document = _exported(tmp_path, laptop, count=1)
    text = json.dumps(document, ensure_ascii=False).replace('"intake": {', '"intake": {"x": ' + "[" * 100_000
                                                            + "]" * 100_000 + ", ", 1)
    file = tmp_path / "deep.json"
    file.write_text(text, encoding="utf-8")
    assert main(["--db", str(_shared_copy(tmp_path, _catalogue_file)), "log", "import", str(file)]) == 2
    err = capsys.readouterr().err
    assert "入れ子が深すぎます" in err or "intake が" in err


def test_a_fifo_or_a_folder_as_a_log_file_is_refused_not_waited_on(tmp_path):
    """Issue 15, item 7: the log importer reads through desk.fileio."""
    import os

    from tests.test_fileio import outcome_within

    fifo = tmp_path / "laptop.json"
    os.mkfifo(fifo)
    refused = outcome_within(5, logsync.read_log_file, fifo)
    assert isinstance(refused, logsync.LogFileError)
    assert str(refused) == f"{fifo}: 通常のファイルではないため読みません（名前付きパイプ（FIFO））"
    with pytest.raises(logsync.LogFileError, match="フォルダ"):
        logsync.read_log_file(tmp_path)


T0 = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


def _hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def _said(make_session, number: str) -> tuple[str, str | None] | None:
    with make_session() as session:
        row = session.execute(select(m.LogFollowUp.status, m.LogFollowUp.day).join(
            m.Consultation, m.Consultation.id == m.LogFollowUp.consultation_id).where(
            m.Consultation.reference_no == number)).one_or_none()
        return None if row is None or row.status == m.FOLLOW_UP_CLEARED else tuple(row)   # cleared: none


def test_follow_ups_travel_with_their_records_and_the_later_one_stays(empty_engine, shared, tmp_path):
    laptop = db_engine.session_factory(empty_engine)
    a, b = _record(laptop, "追浜精工"), _record(laptop, "浦賀工業")
    set_follow_up(laptop, a.reference_no, status="applied", day=dt.date(2026, 11, 30), now=T0)
    assert logsync.export_log(laptop, tmp_path / "1.json", device=DEVICE, now=_hours(1)) == 2
    report = logsync.import_log(shared, tmp_path / "1.json")
    assert sorted(report.added) == sorted([a.reference_no, b.reference_no]) and report.follow_ups == [a.reference_no]
    assert _said(shared, a.reference_no) == ("applied", "2026-11-30") and _said(shared, b.reference_no) is None
    again = logsync.import_log(shared, tmp_path / "1.json")           # the same file: nothing changes
    assert again.follow_ups == [] and again.follow_ups_kept == 0 and again.already_there == 2
    # A follow-up entered after its record left sends the record again, and only that record.
    set_follow_up(laptop, b.reference_no, status="executed", day=None, now=_hours(2))
    assert logsync.export_log(laptop, tmp_path / "2.json", device=DEVICE, now=_hours(3)) == 1
    report = logsync.import_log(shared, tmp_path / "2.json")
    assert report.added == [] and report.already_there == 1 and report.follow_ups == [b.reference_no]
    assert _said(shared, b.reference_no) == ("executed", None)
    assert logsync.export_log(laptop, tmp_path / "none.json", device=DEVICE, now=_hours(3.5)) == 0
    # The server's follow-up, recorded later than the laptop's, is not overwritten by it.
    set_follow_up(laptop, a.reference_no, status="undecided", day=None, now=_hours(4))
    set_follow_up(shared, a.reference_no, status="declined", day=dt.date(2026, 12, 1), now=_hours(5))
    assert logsync.export_log(laptop, tmp_path / "3.json", device=DEVICE, now=_hours(6)) == 1
    report = logsync.import_log(shared, tmp_path / "3.json")
    assert report.follow_ups == [] and report.follow_ups_kept == 1 and not report.conflicts
    assert _said(shared, a.reference_no) == ("declined", "2026-12-01")
    # One recorded later on the laptop replaces it.
    set_follow_up(laptop, a.reference_no, status="executed", day=dt.date(2026, 12, 2), now=_hours(7))
    assert logsync.export_log(laptop, tmp_path / "4.json", device=DEVICE, now=_hours(8)) == 1
    assert logsync.import_log(shared, tmp_path / "4.json").follow_ups == [a.reference_no]
    assert _said(shared, a.reference_no) == ("executed", "2026-12-02")
    with shared() as session:
        assert session.scalar(select(func.count()).select_from(m.LogFollowUp)) == 2


def test_a_file_from_before_follow_ups_still_imports(empty_engine, shared, tmp_path):
    laptop = db_engine.session_factory(empty_engine)
    a = _record(laptop, "追浜精工")
    set_follow_up(laptop, a.reference_no, status="applied", day=None, now=T0)
    logsync.export_log(laptop, tmp_path / "new.json", device=DEVICE, now=_hours(1))
    document = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    assert document["format"] == "desk-log/1" and document["records"][0]["follow_up"]["status"] == "applied"
    for record in document["records"]:
        del record["follow_up"]
    report = logsync.import_log(shared, _write(tmp_path, document, "old.json"))
    assert report.added == [a.reference_no] and report.follow_ups == [] and not report.conflicts
    assert _said(shared, a.reference_no) is None
    # The newer file later brings the follow-up to the record already there.
    assert logsync.import_log(shared, tmp_path / "new.json").follow_ups == [a.reference_no]
    assert _said(shared, a.reference_no) == ("applied", None)


def test_a_cleared_follow_up_travels_and_an_older_file_does_not_bring_it_back(empty_engine, shared, tmp_path):
    """The latest change wins, a clearing too, by the time recorded with it: whichever side changed last."""
    from desk.db.consultations import log_stats
    from desk.db.services import NO_FOLLOW_UP

    laptop = db_engine.session_factory(empty_engine)
    a = _record(laptop, "追浜精工")
    set_follow_up(laptop, a.reference_no, status="applied", day=dt.date(2026, 11, 30), now=T0)
    assert logsync.export_log(laptop, tmp_path / "1.json", device=DEVICE, now=_hours(1)) == 1
    logsync.import_log(shared, tmp_path / "1.json")
    assert _said(shared, a.reference_no) == ("applied", "2026-11-30")
    # Cleared on the laptop: the clearing sends the record again, and clears it on the server.
    set_follow_up(laptop, a.reference_no, status=None, day=None, now=_hours(2))
    assert logsync.export_log(laptop, tmp_path / "2.json", device=DEVICE, now=_hours(3)) == 1
    document = json.loads((tmp_path / "2.json").read_text(encoding="utf-8"))
    assert document["records"][0]["follow_up"] == {"status": None, "day": None, "recorded_at": _hours(2).isoformat()}
    report = logsync.import_log(shared, tmp_path / "2.json")
    assert report.follow_ups_cleared == [a.reference_no] and report.follow_ups == [] and not report.conflicts
    assert _said(shared, a.reference_no) is None
    assert search_consultations(shared, text="追浜")[0]["follow_up"] == ""
    assert [(s.label, s.consultations) for s in log_stats(shared, by="follow_up") if s.consultations] == [
        (NO_FOLLOW_UP, 1)]
    # The older file, imported again (another copy on a stick), does not bring the follow-up back.
    again = logsync.import_log(shared, tmp_path / "1.json")
    assert again.follow_ups == [] and again.follow_ups_kept == 1 and _said(shared, a.reference_no) is None
    # The other way: entered on the server after the laptop's clearing, it stays ...
    set_follow_up(shared, a.reference_no, status="declined", day=dt.date(2026, 12, 1), now=_hours(4))
    kept = logsync.import_log(shared, tmp_path / "2.json")
    assert kept.follow_ups_cleared == [] and kept.follow_ups_kept == 1
    assert _said(shared, a.reference_no) == ("declined", "2026-12-01")
    # ... until the laptop clears it again later.
    set_follow_up(laptop, a.reference_no, status=None, day=None, now=_hours(5))
    assert logsync.export_log(laptop, tmp_path / "3.json", device=DEVICE, now=_hours(6)) == 1
    assert logsync.import_log(shared, tmp_path / "3.json").follow_ups_cleared == [a.reference_no]
    assert _said(shared, a.reference_no) is None
    # A clearing with a day is not what desk writes.
    document["records"][0]["follow_up"]["day"] = "2026-12-01"
    with pytest.raises(logsync.LogFileError, match="follow_up"):
        logsync.import_log(shared, _write(tmp_path, document, "odd.json"))


def test_a_cleared_follow_up_reaches_a_database_that_never_had_it(empty_engine, shared, tmp_path):
    """Cleared before its record ever left: the record arrives without a follow-up, and a copy of an
    older file that still carries one does not give it one."""
    laptop = db_engine.session_factory(empty_engine)
    a = _record(laptop, "浦賀工業")
    set_follow_up(laptop, a.reference_no, status="executed", day=None, now=T0)
    logsync.export_log(laptop, tmp_path / "1.json", device=DEVICE, everything=True, now=_hours(1))
    set_follow_up(laptop, a.reference_no, status=None, day=None, now=_hours(2))
    logsync.export_log(laptop, tmp_path / "2.json", device=DEVICE, everything=True, now=_hours(3))
    report = logsync.import_log(shared, tmp_path / "2.json")
    assert report.added == [a.reference_no] and _said(shared, a.reference_no) is None
    assert logsync.import_log(shared, tmp_path / "1.json").follow_ups_kept == 1
    assert _said(shared, a.reference_no) is None
