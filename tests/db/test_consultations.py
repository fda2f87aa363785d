"""The consultation log: reference numbers, personal details, concurrency-safe numbering."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db.consultations import record_consultation
from desk.db.engine import session_factory
from desk.intake.reader import read_intake
from desk.log.records import device_code, device_id
from desk.settings import Settings
from tests import answers

REPORT = answers.report(funds=(("kanagawa.nissan.main", "eligible"), ("kanagawa.uriage-rieki.main", "conditional")),
                        contacts=("kanagawa-cgc.yokosuka",), pack_versions={"kanagawa-fy2026": "x"})
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)  # 12:00 in Japan


def test_reference_numbers_follow_date_device_and_sequence(empty_engine):
    intake = read_intake({"business_name": "追浜精工", "visitor_name": "山田 太郎", "visitor_phone": "090-0000-0000",
                          "industry": "manufacturing", "causes": ["nissan"]}).intake
    device = "6f1c2a9e-0000-4000-8000-000000000000"
    make = session_factory(empty_engine)
    first = record_consultation(make, intake=intake, report=REPORT, device=device, window_name="窓口", staff_name="",
                                now=NOW)
    second = record_consultation(make, intake=intake, report=REPORT, device=device, window_name="窓口",
                                 staff_name="担当", now=NOW)
    code = device_code(device)
    assert first.reference_no == f"20261122-{code}-001" and second.reference_no == f"20261122-{code}-002"
    other = record_consultation(make, intake=intake, report=REPORT, device="00000000-0000-4000-8000-000000000001",
                                window_name=None, staff_name=None, now=NOW)
    assert other.reference_no.endswith("-001") and other.reference_no != first.reference_no
    with Session(empty_engine) as s:
        row = s.scalar(select(m.Consultation).where(m.Consultation.reference_no == first.reference_no))
        assert row.visitor_name == "山田 太郎"             # kept: staff typed it
        assert "visitor_name" not in row.intake and "visitor_phone" not in row.intake
        assert row.result["eligible"] == ["kanagawa.nissan.main"] and row.staff_name is None


def test_device_id_is_created_once(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    first = device_id(settings)
    assert device_id(Settings.load(tmp_path / "settings.json")) == first
    assert len(device_code(first)) == 5


def _log(engine, **intake):
    make = session_factory(engine)
    return record_consultation(make, intake=read_intake(intake).intake, report=REPORT,
                               device="6f1c2a9e-0000-4000-8000-000000000000", window_name="窓口", staff_name="担当",
                               now=NOW)


def test_search_is_literal_and_counts_follow(empty_engine):
    from desk.db.consultations import log_counts, search_consultations

    _log(empty_engine, business_name="100%_精工 \"本社\"", causes=["nissan"])
    _log(empty_engine, business_name="相模商店 <支店>", causes=["materials", "nissan"])
    make = session_factory(empty_engine)
    assert [r["business_name"] for r in search_consultations(make, text="100%_")] == ['100%_精工 "本社"']
    assert search_consultations(make, text="%") and len(search_consultations(make, text="_")) == 1
    assert [r["business_name"] for r in search_consultations(make, text="<支店>")] == ["相模商店 <支店>"]
    assert search_consultations(make, text="'; DROP TABLE consultation; --") == []
    summary = log_counts(make)
    assert summary.per_day == {"2026-11-22": 2}
    assert summary.per_cause["日産自動車追浜工場・日産車体湘南工場の生産終了等"] == 2
    assert search_consultations(make, since=dt.date(2026, 11, 23)) == []


def test_csv_opens_in_excel_and_leaves_personal_details_out(empty_engine):
    from desk.db.consultations import search_consultations
    from desk.db.log_csv import to_csv

    _log(empty_engine, business_name="=HYPERLINK(\"x\")", visitor_name="山田 太郎")
    rows = search_consultations(session_factory(empty_engine))
    plain = to_csv(rows)
    assert plain.startswith(b"\xef\xbb\xbf") and b"\r\n" in plain
    text = plain.decode("utf-8-sig")
    assert "山田" not in text and "来訪者氏名" not in text
    assert "'=HYPERLINK" in text                      # not run as a formula
    assert "山田 太郎" in to_csv(rows, include_personal=True).decode("utf-8-sig")


# Every start a spreadsheet may read as a formula (issue 15, item 14): = + - @ in half and full
# width, after spaces (ASCII and ideographic), and cells opening with a tab or a carriage return.
FORMULA_CELLS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", " =1+1", "  +1", "\u3000=1+1",
                 "＝1+1", "＋1+1", "－1+1", "＠SUM(A1)", " ＝1+1", "\t", "\rcmd", "﹦1", "\u22121+1",
                 "=HYPERLINK(\"http://x\",\"y\")", "\n=1+1"]


@pytest.mark.parametrize("cell", FORMULA_CELLS)
def test_csv_neutralises_every_start_of_a_formula(empty_engine, cell):
    import csv
    import io

    from desk.db.consultations import search_consultations
    from desk.db.log_csv import to_csv

    _log(empty_engine, business_name="追浜精工", visitor_name="山田 太郎", municipality="横須賀市")
    row = search_consultations(session_factory(empty_engine))[0]
    for key in ("business_name", "visitor_name"):
        row[key] = cell
    text = to_csv([row], include_personal=True).decode("utf-8-sig")
    header, written = list(csv.reader(io.StringIO(text, newline="")))
    for label in ("事業者名", "来訪者氏名（個人情報）"):
        assert written[header.index(label)] == "'" + cell     # text, whole, never a formula


@pytest.mark.parametrize("cell", ["追浜精工", "a=b", "3-1", "メール a@b.jp", "", "'quoted"])
def test_csv_leaves_plain_text_as_it_is(empty_engine, cell):
    import csv
    import io

    from desk.db.consultations import search_consultations
    from desk.db.log_csv import to_csv

    _log(empty_engine, business_name="追浜精工")
    row = search_consultations(session_factory(empty_engine))[0]
    row["business_name"] = cell
    header, written = list(csv.reader(io.StringIO(to_csv([row]).decode("utf-8-sig"), newline="")))
    assert written[header.index("事業者名")] == cell


def test_purge_clears_personal_details_of_old_records_only(empty_engine):
    from desk.db.quick import QuickSqlite
    from desk.db.urls import plain_sqlite_file
    from desk.log.records import purge_cutoff

    make = session_factory(empty_engine)
    old = record_consultation(make, intake=read_intake({"visitor_name": "山田", "visitor_phone": "090-1"}).intake,
                              report=REPORT, device="6f1c2a9e-0000-4000-8000-000000000000", window_name=None,
                              staff_name=None, now=NOW - dt.timedelta(days=100))
    new = record_consultation(make, intake=read_intake({"visitor_name": "佐藤"}).intake, report=REPORT,
                              device="6f1c2a9e-0000-4000-8000-000000000000", window_name=None, staff_name=None,
                              now=NOW)
    quick = QuickSqlite.open(plain_sqlite_file(empty_engine.url.render_as_string()))
    assert quick.purge_personal(purge_cutoff(90, NOW)) == 1
    assert quick.purge_personal(purge_cutoff(90, NOW)) == 0            # nothing left to clear
    with Session(empty_engine) as s:
        rows = {r.id: r for r in s.scalars(select(m.Consultation))}
    assert rows[old.id].visitor_name is None and rows[old.id].visitor_phone is None
    assert rows[old.id].reference_no == old.reference_no               # the record itself stays
    assert rows[old.id].visitor_name_purged and rows[old.id].visitor_phone_purged   # a reprint says so
    assert rows[new.id].visitor_name == "佐藤" and not rows[new.id].visitor_name_purged
    from desk.db.consultations import OrmLogWriter

    assert OrmLogWriter(make).purge_personal(purge_cutoff(0, NOW + dt.timedelta(seconds=1))) == 1
    with Session(empty_engine) as s:
        cleared = s.get(m.Consultation, new.id)
        assert cleared.visitor_name is None and cleared.visitor_name_purged and not cleared.visitor_phone_purged


def test_cli_log_purge(catalogue_engine, capsys):
    from desk.cli import main

    url = catalogue_engine.url.render_as_string()
    assert main(["--db", url, "log", "purge", "--older-than", "30"]) == 0
    assert "0 件" in capsys.readouterr().out
    assert main(["--db", url, "log", "purge", "--older-than", "-1"]) == 2


@pytest.mark.parametrize("days", ["999999999", "36501", str(10**30)])
def test_cli_log_purge_beyond_a_century_is_one_line(catalogue_engine, capsys, days):
    from desk.cli import main

    assert main(["--db", catalogue_engine.url.render_as_string(), "log", "purge", "--older-than", days]) == 2
    err = capsys.readouterr().err
    assert "--older-than は 0〜36500" in err and len(err.strip().splitlines()) == 1


def test_a_retention_setting_beyond_a_century_purges_nothing():
    from desk.log.records import purge_cutoff

    assert purge_cutoff(10**12, NOW) == purge_cutoff(36_500, NOW) < NOW
