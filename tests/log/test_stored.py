"""What a record keeps of its sheet reads back: the match as it was, the intake without the visitor's details."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from pathlib import Path

import pytest

from desk.intake.reader import read_intake
from desk.log import records, stored
from desk.matching.answer import MatchReport
from tests import answers

RECORDS = Path(__file__).resolve().parents[1] / "matching" / "records"
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("record", sorted(RECORDS.glob("schema-*.json")), ids=lambda path: path.stem)
def test_a_kept_match_of_every_schema_reads_back(record):
    data = json.loads(record.read_text(encoding="utf-8"))
    report = MatchReport.from_json(data)
    blob = zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))   # as an older desk kept it
    assert stored.unpack_report(blob) == report
    assert stored.unpack_report(stored.pack_report(report)) == report


@pytest.mark.parametrize("blob", [b"", b"not zlib", zlib.compress(b"{"), zlib.compress(b"[]"),
                                  zlib.compress(b'{"schema": 99}'), zlib.compress(b'{"schema": 2}'),
                                  zlib.compress(json.dumps({"schema": 2, "as_of": 5}).encode()),
                                  zlib.compress(b"\xff\xfe"), zlib.compress(b"{}")[:-3]],
                         ids=["empty", "not-zlib", "cut-json", "list", "newer", "missing", "wrong-type", "not-utf8",
                              "cut-stream"])
def test_a_damaged_kept_match_is_refused_in_words(blob):
    with pytest.raises(stored.StoredReportError) as caught:
        stored.unpack_report(blob)
    assert str(caught.value)


def test_a_kept_match_too_large_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(stored, "MAX_REPORT_BYTES", 100)
    with pytest.raises(stored.StoredReportError, match="大きすぎ"):
        stored.unpack_report(stored.pack_report(answers.report(funds=(("a", "eligible"),))))


def test_the_intake_a_record_keeps_reads_back_with_the_details_given():
    intake = read_intake({"business_name": "追浜精工", "visitor_name": "山田", "visitor_phone": "090",
                          "entity": "corporation", "industry": "manufacturing", "employees": "18",
                          "capital_yen": "1000万円", "purposes": ["working"], "causes": ["nissan"],
                          "sales_change": {"last_3m_pct": -12.5}, "plans": ["bcp"],
                          "answers": {"spin_off": False}}).intake
    values = records.consultation_values(intake=intake, report=answers.report(), device="d", window_name=None,
                                         staff_name=None, now=NOW)
    kept = json.loads(json.dumps(values["intake"]))                 # as the database gives it back
    assert "visitor_name" not in kept
    assert stored.intake_of_record(kept, visitor_name="山田", visitor_phone="090") == intake
    assert stored.intake_of_record(kept).visitor_name is None


def test_an_old_or_odd_kept_intake_still_reads():
    intake = stored.intake_of_record({"business_name": "x", "causes": "nissan", "plans": None, "sales_change": [],
                                      "answers": [], "a_newer_key": 1, "employees": [3]})
    assert intake.business_name == "x" and intake.causes is None and intake.plans == () and intake.answers == {}
    assert intake.employees is None
