"""Admin edits: validated like packs, visible in matching, reported before a re-import."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import admin
from desk.db import models as m
from desk.db.engine import session_factory
from desk.db.loaders import OrmSource
from desk.db.packs.importer import admin_edits
from desk.intake.reader import read_intake
from desk.matching.service import MatchService


def test_an_office_edit_is_validated_saved_and_used(catalogue_engine):
    make = session_factory(catalogue_engine)
    admin.update_office(make, "kanagawa-cgc.yokosuka", {"phone": "046-822-9999", "hours": "平日9時～17時"})
    intake = read_intake({"municipality": "横須賀市", "industry": "manufacturing"}).intake
    result = MatchService(OrmSource(make)).match(intake, on=dt.date(2026, 11, 22))
    branch = next(c for c in result.contacts if c.role == "guarantee_branch")
    assert branch.phone == "046-822-9999"
    with Session(catalogue_engine) as s:
        assert [e.record_id for e in admin_edits(s, ["kanagawa-contacts"])] == ["kanagawa-cgc.yokosuka"]


def test_a_bad_office_edit_names_the_field_and_changes_nothing(catalogue_engine):
    make = session_factory(catalogue_engine)
    with pytest.raises(admin.AdminEditError) as info:
        admin.update_office(make, "kanagawa-cgc.yokosuka", {"phone": "046 822 3821 内線", "name": ""})
    assert any(p.startswith("phone: 電話番号は半角数字とハイフン") for p in info.value.problems)
    assert any(p.startswith("name: ") for p in info.value.problems)
    with Session(catalogue_engine) as s:
        office = s.get(m.Office, "kanagawa-cgc.yokosuka")
        assert office.phone == "046-822-3821" and office.edited_at is None


def test_a_variant_edit_changes_matching(catalogue_engine):
    make = session_factory(catalogue_engine)
    admin.update_variant(make, "kanagawa.nissan.main", {"limit_yen": 100_000_000, "term_max_months": 120,
                                                        "grace_months": 12})
    intake = read_intake({"municipality": "横須賀市"}).intake
    result = MatchService(OrmSource(make)).match(intake, on=dt.date(2026, 11, 22))
    nissan = result.fund("kanagawa.nissan.main")
    assert nissan is not None and nissan.limit_yen == 100_000_000
    with pytest.raises(admin.AdminEditError) as info:
        admin.update_variant(make, "kanagawa.nissan.main", {"limit_yen": -5, "term_max_months": 12,
                                                            "grace_months": 24})
    assert any(p.startswith("limit_yen: ") for p in info.value.problems)
    assert any(p.startswith("grace_months: ") for p in info.value.problems)


def test_tables_list_every_variant_and_office(catalogue_engine):
    from sqlalchemy import func, select

    with Session(catalogue_engine) as s:
        programs, offices = admin.program_rows(s), admin.office_rows(s)
        assert len(programs) == s.scalar(select(func.count()).select_from(m.Variant))
        assert len(offices) == s.scalar(select(func.count()).select_from(m.Office))
    assert any(r["name"] == "日産自動車関連対策特別融資" and r["limit"] == "8,000万円" for r in programs)
    # Kanagawa's offices first; the others by prefecture, north to south.
    prefectures = [r["prefecture"] for r in offices]
    kanagawa = prefectures.count("神奈川県")
    assert set(prefectures[:kanagawa]) == {"神奈川県"} and prefectures[kanagawa] == "北海道"


def test_kanagawas_offices_are_listed_by_the_reading_of_their_municipality(catalogue_engine):
    with Session(catalogue_engine) as s:
        offices = admin.office_rows(s)
        towns = dict(s.execute(select(m.Office.id, m.Office.municipality)).all())
        readings = {name: reading for name, reading in s.execute(select(m.Municipality.name, m.Municipality.reading))}
    order = [readings[towns[r["id"]]] for r in offices if r["prefecture"] == "神奈川県" and towns[r["id"]] in readings]
    assert order == sorted(order) and order[0].startswith("あ")             # 愛川町 before 横須賀市


def test_rates_and_fee_ranges_are_edited_by_the_pack_rules(catalogue_engine):
    make = session_factory(catalogue_engine)
    intake = read_intake({"municipality": "横須賀市", "term_months": 60, "industry": "manufacturing",
                          "capital_yen": 10_000_000, "employees": 18, "entity": "corporation",
                          "causes": ["nissan"], "sales_change": {"last_3m_pct": -12}}).intake
    admin.update_variant(make, "kanagawa.nissan.main", {"tiers[1].rate_pct": 1.7, "fees[0]": (0.2, 0.9)},
                         now=dt.datetime(2026, 11, 22, tzinfo=dt.UTC))
    nissan = MatchService(OrmSource(make)).match(intake, on=dt.date(2026, 11, 22)).fund("kanagawa.nissan.main")
    assert nissan is not None and nissan.rate_pct == 1.7 and nissan.guarantee_fee_pct == (0.2, 0.9)
    with Session(catalogue_engine) as s:
        assert admin.variant_values(s, "kanagawa.nissan.main")["limit_yen"] == 80_000_000   # untouched
    with pytest.raises(admin.AdminEditError) as info:
        admin.update_variant(make, "kanagawa.nissan.main", {"tiers[0].rate_pct": 25, "fees[1]": (1.5, 0.4),
                                                            "fees[0]": (-1, 0.5)})
    problems = info.value.problems
    assert any(p.startswith("tiers[0].rate_pct: 利率 25") for p in problems)
    assert any(p.startswith("fees[1]: 下限（min_pct）が上限（max_pct）より大きく") for p in problems)
    assert any(p.startswith("fees[0]: ") for p in problems)
    with Session(catalogue_engine) as s:
        values = admin.variant_values(s, "kanagawa.nissan.main")
    assert values["tiers[0].rate_pct"] == 1.5 and values["fees[1]"] == (0.36, 1.52)   # nothing half-saved


def test_a_service_area_edit_is_checked_and_changes_referrals(catalogue_engine):
    make = session_factory(catalogue_engine)
    with Session(catalogue_engine) as s:
        text = admin.office_values(s, "kanagawa-cgc.yokosuka")["service_area"]
    assert text == ""          # the guarantee branches serve by distance: no area recorded
    with pytest.raises(admin.AdminEditError) as info:
        admin.update_office(make, "yokosuka-cci", {"service_area": "横須賀市\n横須賀町\n: 扇町"})
    assert info.value.problems == ["service_area: 2行目 '横須賀町' は神奈川県の市区町村として登録がありません",
                                   "service_area: 3行目 町名は市区町村のあとに書いてください"
                                   "（例: 小田原市: 扇町、寿町）"]
    # The chamber of Yokosuka now also covers 三浦市's 南下浦町 towns: a visitor there is referred to it.
    admin.update_office(make, "yokosuka-cci", {"service_area": "横須賀市\n三浦市: 南下浦町"})
    with Session(catalogue_engine) as s:
        assert admin.office_values(s, "yokosuka-cci")["service_area"] == "横須賀市\n三浦市: 南下浦町"
    intake = read_intake({"municipality": "三浦市", "postal_code": "238-0101"}).intake
    result = MatchService(OrmSource(make)).match(intake, on=dt.date(2026, 11, 22))
    assert "yokosuka-cci" in [c.id for c in result.contacts]
