"""A logged consultation's sheet printed again: as issued, not matched again, stamped 再発行."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import update

from desk.db import models as m
from desk.db.engine import session_factory
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.settings import Settings
from desk.sheets.issuing import create_referral
from desk.sheets.referral import reiwa
from desk.sheets.reissue import PURGED, NotReissuable, kept_sheet, record_facts, reissue_referral
from tests.sheets.test_referral import SUPPLIER, squash, text_of

ON = dt.date(2026, 11, 22)
LATER = dt.date(2026, 12, 5)


@pytest.fixture
def store(catalogue_engine):
    store = Store.for_engine(catalogue_engine)
    yield store
    store.close()


def issue(store, tmp_path, data=SUPPLIER):
    settings = Settings(tmp_path / "s.json", {"staff_name": "窓口 太郎"})
    intake = read_intake(data).intake
    referral = create_referral(store.log_writer, intake, store.matcher.match(intake, on=ON), settings=settings)
    return referral, settings


def test_the_sheet_prints_again_as_issued_stamped_and_not_matched_again(store, catalogue_engine, tmp_path):
    from desk.db import admin

    referral, settings = issue(store, tmp_path)
    # The catalogue changes after the visit: the reprint still says what the visitor was told.
    admin.update_variant(session_factory(catalogue_engine), "kanagawa.nissan.main", {"limit_yen": 12_340_000})
    today = store.matcher.match(read_intake(SUPPLIER).intake, on=ON)
    assert next(f for f in today.funds if f.id == "kanagawa.nissan.main").limit_yen == 12_340_000
    record = store.log.record(referral.consultation_id)
    again = reissue_referral(record, settings=settings, on=LATER)
    _, original_text = text_of(referral.pdf)
    _, text = text_of(again.pdf)
    flat = squash(text)
    assert "再発行" in flat and squash(reiwa(LATER)) in flat
    assert squash(f"{reiwa(ON)}受付番号{referral.reference_no}再発行") in flat        # the original date and number
    assert "8,000万円" in flat and "1,234万円" not in flat                            # the kept match
    assert "日産自動車関連対策特別融資" in flat and "046-822-3821" in flat and "窓口太郎" in flat
    # Apart from the stamp, the same sheet.
    assert flat.count("8,000万円") == squash(original_text).count("8,000万円")
    assert again.reference_no == referral.reference_no and again.consultation_id == referral.consultation_id
    assert store.log.counts().total == 1 and store.log.record(referral.consultation_id).reprint_count == 0


def test_a_detail_purged_since_prints_as_deleted(store, tmp_path):
    given, settings = issue(store, tmp_path, {**SUPPLIER, "visitor_name": "山田 太郎", "visitor_phone": "090-1"})
    none_given, _ = issue(store, tmp_path, SUPPLIER)
    assert store.log_writer.purge_personal(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)) == 1
    purged = store.log.record(given.consultation_id)
    sheet = kept_sheet(purged, window_phone="045", on=LATER)
    assert ("ご来訪者", PURGED) in sheet.business
    flat = squash(text_of(reissue_referral(purged, settings=settings, on=LATER).pdf)[1])
    assert "ご来訪者（削除済み）" in flat and "山田" not in flat
    assert "ご来訪者" not in [label for label, _ in kept_sheet(store.log.record(none_given.consultation_id),
                                                             window_phone="045", on=LATER).business]
    facts = dict(record_facts(purged))
    assert facts["ご来訪者"] == PURGED and facts["ご来訪者の電話"] == PURGED


def test_a_record_made_before_sheets_were_kept_says_so(store, catalogue_engine, tmp_path):
    referral, settings = issue(store, tmp_path)
    with session_factory(catalogue_engine)() as session, session.begin():
        session.execute(update(m.Consultation).values(report=None))
    record = store.log.record(referral.consultation_id)
    with pytest.raises(NotReissuable, match="案内書の内容が残っていません"):
        reissue_referral(record, settings=settings, on=LATER)
    facts = dict(record_facts(record))             # still shown, from the record's own columns
    assert facts["受付番号"] == referral.reference_no and facts["所在地"] == "神奈川県横須賀市"
    assert "残っていません" in facts["案内書"]
    damaged = dataclasses.replace(record, report=b"\x78\x9c broken")
    with pytest.raises(NotReissuable, match="読めません"):
        reissue_referral(damaged, settings=settings, on=LATER)


def test_the_record_on_screen_names_its_funds_versions_and_reprints(store, tmp_path):
    referral, _ = issue(store, tmp_path)
    store.log.record_reprint(referral.consultation_id, now=dt.datetime(2026, 12, 5, 1, 30, tzinfo=dt.UTC))
    facts = dict(record_facts(store.log.record(referral.consultation_id)))
    assert facts["受付番号"] == referral.reference_no and facts["事業者名"] == SUPPLIER["business_name"]
    assert "日産自動車関連対策特別融資" in facts["対象の資金"] and facts["所在地"].endswith("横須賀市")
    assert facts["判定日"] == "2026-11-22" and "kanagawa" in facts["データの版"]
    assert facts["再発行"] == "1 回（最後 2026-12-05 10:30）"
    # On screen the versions are named by the packs' titles, not their ids (issue 14, item 8).
    titled = dict(record_facts(store.log.record(referral.consultation_id), store.log.pack_titles()))
    versions = titled["データの版"]
    assert "神奈川県中小企業制度融資 令和8年度（版 " in versions and "kanagawa-fy2026" not in versions
    assert facts["担当"] == "窓口 太郎"
