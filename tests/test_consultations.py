"""The consultation log: reference numbers, personal details, concurrency-safe numbering."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.consultations import device_code, device_id, record_consultation
from desk.db import models as m
from desk.db.engine import session_factory
from desk.intake import read_intake
from desk.settings import Settings

RESULT = {"as_of": "2026-11-22", "place": "神奈川県横須賀市", "programs": [
    {"id": "kanagawa.nissan.main", "status": "eligible"}, {"id": "kanagawa.uriage-rieki.main", "status": "conditional"}],
    "contacts": [{"id": "kanagawa-cgc.yokosuka"}], "warnings": [], "pack_versions": {"kanagawa-fy2026": "x"}}
NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)  # 12:00 in Japan


def test_reference_numbers_follow_date_device_and_sequence(empty_engine):
    intake = read_intake({"business_name": "追浜精工", "visitor_name": "山田 太郎", "visitor_phone": "090-0000-0000",
                          "industry": "manufacturing", "causes": ["nissan"]}).intake
    device = "6f1c2a9e-0000-4000-8000-000000000000"
    make = session_factory(empty_engine)
    first = record_consultation(make, intake=intake, result=RESULT, device=device, window_name="窓口", staff_name="",
                                now=NOW)
    second = record_consultation(make, intake=intake, result=RESULT, device=device, window_name="窓口",
                                 staff_name="担当", now=NOW)
    code = device_code(device)
    assert first.reference_no == f"20261122-{code}-001" and second.reference_no == f"20261122-{code}-002"
    other = record_consultation(make, intake=intake, result=RESULT, device="00000000-0000-4000-8000-000000000001",
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
