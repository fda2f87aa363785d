"""The bundled catalogue against the seed documents: complete, sourced, and right on spot facts.

Completeness lists come from issue #2 (every fund and variant it names); phone
numbers and section counts are read from the seeds themselves, so a record lost
in transcription fails here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest
from sqlalchemy import select

from desk.db import models as m

# Fund name → fragments that must appear in the labels of its variants (None: a single variant).
KANAGAWA_FUNDS: dict[str, list[str] | None] = {
    "経営安定融資": ["1～4", "5号"],
    "売上・利益減少対策融資": None,
    "原油・原材料高騰等対策特別融資": None,
    "日産自動車関連対策特別融資": None,
    "借換支援融資": None,
    "経営力強化サポート融資": ["ア", "イ"],
    "条件変更改善借換融資": None,
    "リターンアシスト長期保証融資": ["別枠"],
    "再生支援融資": None,
    "事業再生サポート融資": ["強化"],
    "災害対応融資": ["ア", "イ", "ウ"],
    "小口零細企業保証資金": ["500万"],
    "小規模事業資金": ["特別小口"],
    "事業振興融資": ["保証あり", "保証なし"],
    "流動資産担保融資": None,
    "生産性向上支援融資": ["ア", "イ", "ウ"],
    "新たな事業展開対策融資": ["ア", "イ"],
    "経営革新支援融資": None,
    "協調支援型特別融資": ["ア", "イ"],
    "モニタリング強化型特別融資": None,
    "BCP策定支援融資": ["ア", "イ", "ウ"],
    "輸出入促進資金": None,
    "創業支援融資": ["創業特例"],
    "事業承継関連融資": ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "クa", "クb", "クc"],
    "脱炭素": None,
    "ソーラー発電等促進融資": None,
    "地球温暖化対策省エネ設備等導入融資": None,
    "電気自動車等・充電設備導入融資": None,
    "SDGsパートナー支援融資": ["ア", "イ"],
    "パートナーシップ構築宣言支援融資": None,
    "かながわイノベーション戦略的支援融資": ["創業"],
}
SAGAMIHARA_FUNDS: dict[str, list[str] | None] = {
    "中小企業振興資金": None,
    "小企業小口資金": None,
    "小企業特別資金": None,
    "設備導入促進特別資金": ["一般型", "社会的課題取組型"],
    "創業支援資金": None,
    "景気対策特別資金": None,
    "景気対策特別小口資金": None,
    "経営安定支援資金": None,
    "災害等対策特別資金": None,
    "SDGs企業振興資金": None,
    "マル経": None,
}
PHONE_RE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}|0120-\d{3}-\d{3}|0570-\d{3}-\d{3}")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _programs(session, provider):
    return session.scalars(select(m.Program).where(m.Program.provider_id == provider)).all()


def _variant_text(program: m.Program) -> str:
    """Labels and condition labels of a program's variants, where ア–ク branches are named."""
    parts = []
    for v in program.variants:
        parts.append(v.label or "")
        stack = list(v.conditions)
        while stack:
            cond = stack.pop()
            parts.append(cond.get("label", ""))
            stack.extend(cond.get("any_of", []) + cond.get("all_of", []))
    return _norm(" ".join(parts))


@pytest.mark.parametrize(("provider", "funds"), [("kanagawa", KANAGAWA_FUNDS), ("sagamihara", SAGAMIHARA_FUNDS)])
def test_every_named_fund_and_variant_is_there(session, provider, funds):
    programs = _programs(session, provider)
    missing = []
    for fund, fragments in funds.items():
        matches = [p for p in programs if _norm(fund) in _norm(p.name)]
        if not matches:
            missing.append(fund)
            continue
        text = " ".join(_variant_text(p) for p in matches)
        missing.extend(f"{fund} {frag}" for frag in fragments or () if _norm(frag) not in text)
    assert missing == []


def test_variants_that_differ_in_terms_are_separate_entries(session):
    variants = {v.id: v for v in session.scalars(select(m.Variant))}
    by_program = Counter(v.program_id for v in variants.values())
    assert by_program["kanagawa.keiei-antei"] == 2
    assert by_program["kanagawa.saigai"] == 3
    assert by_program["kanagawa.bcp"] == 3
    assert by_program["kanagawa.seisansei"] >= 2  # ア/イ share their terms, ウ differs
    assert by_program["kanagawa.sogyo"] == 2      # ア–ク as one entry, 創業特例 apart


def test_every_record_has_a_source_and_a_date(session):
    packs = {p.id: p for p in session.scalars(select(m.DataPack))}
    for model in (m.Program, m.Variant, m.Office, m.Organisation, m.Provider):
        for row in session.scalars(select(model)):
            pack_id = row.pack_id if hasattr(row, "pack_id") else row.program.pack_id
            pack = packs[pack_id]
            assert row.source_section or row.source_file or not getattr(row, "from_seed", True), row
            if getattr(row, "from_seed", True) and pack.source_file:
                assert row.source_file, row
            assert row.as_of or pack.as_of_note, row


def test_every_phone_of_seed_000_is_a_contact(session, seeds_dir):
    text = _norm((seeds_dir / "000_52ea44281041b7e4.txt").read_text(encoding="utf-8"))
    phones = set(PHONE_RE.findall(text))
    assert len(phones) >= 44
    offices = session.scalars(select(m.Office).where(m.Office.pack_id == "kanagawa-contacts")).all()
    recorded = {o.phone for o in offices} | {p for o in offices for n in o.notes for p in PHONE_RE.findall(_norm(n))}
    assert sorted(phones - recorded) == []


def test_seed_000_addresses_and_hours(session):
    window = session.get(m.Office, "pref.kinyu-window")
    assert window.phone == "045-210-5695" and window.hours and "9時" in window.hours
    assert window.role == "window"
    # The seed states hours for the prefecture's window only.
    others = session.scalars(select(m.Office).where(m.Office.pack_id == "kanagawa-contacts",
                                                    m.Office.id != "pref.kinyu-window")).all()
    assert all(o.hours is None for o in others)
    assert session.get(m.Office, "kanagawa-cgc.yokosuka").address.startswith("横須賀市小川町")


def test_guarantee_association_and_chambers_are_complete(session):
    def count(role, pack="kanagawa-contacts", suffix=""):
        rows = session.scalars(select(m.Office).where(m.Office.pack_id == pack, m.Office.role == role)).all()
        return len([r for r in rows if r.name.endswith(suffix)])

    assert count("guarantee_branch") == 7            # HQ 企業支援部 and six branches
    assert count("chamber", suffix="商工会議所") == 14
    assert count("chamber", suffix="商工会") == 19


SEED_001_SECTIONS = {
    # section heading (as the seed heads it) → entries, counted by reading the seed
    "中小企業庁": 15,
    "都道府県中小企業担当課": 47,
    "都道府県経営革新計画担当課": 47,
    "都道府県等中小企業支援センター": 47,
    "政令指定都市における都道府県等中小企業支援センター": 13,
    "中小企業再生支援協議会": 47,
    "事業引継ぎ相談窓口": 47,
    "都道府県中小企業団体中央会": 47,
    "JETRO 国内事務所一覧": 38,
    "政府系金融機関等": 4,
}


@pytest.mark.parametrize(("section", "expected"), sorted(SEED_001_SECTIONS.items()))
def test_seed_001_count_per_section(session, section, expected):
    rows = session.scalars(select(m.Office).where(m.Office.pack_id == "national-directory")).all()
    assert sum(1 for r in rows if _norm(r.source_section or "") == _norm(section)) == expected


def test_every_phone_of_seed_001_is_a_contact(session, seeds_dir):
    text = _norm((seeds_dir / "001_62962a91d201220d.txt").read_text(encoding="utf-8"))
    phones = set(PHONE_RE.findall(text))
    assert len(phones) >= 533  # distinct numbers in seed 001 (some offices share one)
    offices = session.scalars(select(m.Office).where(m.Office.pack_id == "national-directory")).all()
    recorded = {o.phone for o in offices} | {p for o in offices for n in o.notes for p in PHONE_RE.findall(_norm(n))}
    assert sorted(phones - recorded) == []


def test_renamed_bodies_keep_the_seed_name_and_show_the_current_one(session):
    office = session.get(m.Office, "revitalization.kanagawa")
    assert office.name == "神奈川県中小企業再生支援協議会"
    assert office.name_current == "神奈川県中小企業活性化協議会"
    assert office.interpretations
    office = session.get(m.Office, "succession.kanagawa")
    assert "事業承継・引継ぎ支援センター" in office.name_current


def test_roles_of_seed_001(session):
    roles = Counter(o.role for o in session.scalars(select(m.Office).where(m.Office.pack_id == "national-directory")))
    assert roles["prefecture"] == 94 and roles["revitalization"] == 47 and roles["succession"] == 47
    assert roles["federation"] == 47 and roles["jetro"] == 38 and roles["lender"] >= 3


def test_all_kanagawa_municipalities_and_wards_with_coordinates(session):
    rows = session.scalars(select(m.Municipality).where(m.Municipality.prefecture == "神奈川県")).all()
    kinds = Counter(r.kind for r in rows)
    assert kinds["ward"] == 18 + 7 + 3
    assert kinds["designated_city"] == 3
    assert kinds["city"] + kinds["designated_city"] == 19 and kinds["town"] == 13 and kinds["village"] == 1
    assert all(r.lat and r.lon and r.geo_precision_m for r in rows)


def test_every_municipality_has_a_certificate_office(session):
    municipalities = {r.name for r in session.scalars(select(m.Municipality).where(
        m.Municipality.prefecture == "神奈川県", m.Municipality.ward.is_(None)))}
    offices = session.scalars(select(m.Office).where(m.Office.role == "municipality")).all()
    covered = {a.municipality for o in offices for a in o.service_area}
    assert sorted(municipalities - covered) == []
    generic = [o for o in offices if not o.from_seed]
    assert generic and all(o.phone is None and o.notes for o in generic)


def test_kanagawa_offices_are_geocoded(session):
    offices = session.scalars(select(m.Office).where(m.Office.prefecture == "神奈川県")).all()
    located = [o for o in offices if o.role != "lender" and o.address]
    assert located
    assert [o.id for o in located if o.lat is None or not o.geo_precision_m] == []


def test_all_47_prefectures(session):
    assert len(session.scalars(select(m.Prefecture)).all()) == 47


# --- spot facts against the seeds ------------------------------------------------------------

def _variant(session, variant_id) -> m.Variant:
    variant = session.get(m.Variant, variant_id)
    assert variant is not None, variant_id
    return variant


def _tiers(variant):
    return [(t.max_months, t.rate_pct) for t in variant.rate_tiers]


def test_spot_facts_nissan_and_sales_decline(session):
    (nissan,) = session.get(m.Program, "kanagawa.nissan").variants
    assert nissan.limit_yen == 80_000_000
    assert _tiers(nissan) == [(24, 1.5), (60, 1.8), (None, 2.2)]
    # The (※) note of seed 002: the expanded subsidy runs to December 2026, then 0.36–1.52% (planned).
    fees = [(f.min_pct, f.max_pct, str(f.valid_from), str(f.valid_to)) for f in nissan.guarantee_fees]
    assert fees == [(0.225, 0.95, "None", "2026-12-31"), (0.36, 1.52, "2027-01-01", "None")]
    assert any("令和9年1月" in i or "2027" in i for i in nissan.interpretations)
    (sales,) = session.get(m.Program, "kanagawa.uriage-rieki").variants
    assert _tiers(sales) == [(60, 2.0), (None, 2.4)]
    assert [(f.min_pct, f.max_pct) for f in sales.guarantee_fees] == [(0.45, 1.52)]


def test_spot_facts_safety_net_and_small_business(session):
    sn, sn5 = session.get(m.Program, "kanagawa.keiei-antei").variants
    assert sn.limit_yen == sn5.limit_yen == 80_000_000 and sn.limit_separate
    assert {f.min_pct for f in sn.guarantee_fees} == {1.0, 0.85}
    assert {f.min_pct for f in sn5.guarantee_fees} == {0.68, 0.85}  # 0.85% when more than 30 staff
    koguchi = session.get(m.Program, "kanagawa.koguchi")
    assert {v.limit_yen for v in koguchi.variants} == {20_000_000, 5_000_000}
    assert all(v.limit_includes_existing for v in koguchi.variants if v.limit_yen == 20_000_000)
    shokibo = session.get(m.Program, "kanagawa.shokibo")
    assert {v.limit_yen for v in shokibo.variants} == {40_000_000, 20_000_000}
    assert session.get(m.Program, "kanagawa.return-assist").variants[0].limit_yen == 160_000_000


def test_spot_facts_founders(session):
    sogyo = session.get(m.Program, "kanagawa.sogyo")
    main, special = sogyo.variants
    assert main.limit_yen == 35_000_000 and _tiers(main) == [(None, 2.2)]
    assert [f.min_pct for f in main.guarantee_fees] == [0.4]
    assert _tiers(special) == [(None, 2.0)] and [f.min_pct for f in special.guarantee_fees] == [0.0]


def test_spot_facts_sagamihara(session):
    shinko = session.get(m.Program, "sagamihara.shinko").variants[0]
    assert shinko.limit_yen == 30_000_000
    assert _tiers(shinko) == [(12, 1.9), (None, 2.5)]
    # 融資利率 2.5% − 市負担利率 1.2% = 利用者負担利率 1.3% (seed 004 ①)
    koguchi = session.get(m.Program, "sagamihara.koguchi").variants[0]
    assert koguchi.limit_yen == 10_000_000
    assert _tiers(koguchi)[-1][1] == 2.5
    assert (koguchi.city_share_pct, koguchi.own_rate_pct) == (1.2, 1.3)
    assert koguchi.limit_shared_with == ["sagamihara.shinko.main"]
    keiki = {v.id: v for p in ("sagamihara.keiki", "sagamihara.keiki-koguchi")
             for v in session.get(m.Program, p).variants}
    assert (keiki["sagamihara.keiki.main"].city_share_pct, keiki["sagamihara.keiki.main"].own_rate_pct) == (0.9, 1.1)
    assert (keiki["sagamihara.keiki-koguchi.main"].city_share_pct,
            keiki["sagamihara.keiki-koguchi.main"].own_rate_pct) == (1.2, 0.8)
    tokubetsu = session.get(m.Program, "sagamihara.tokubetsu").variants[0]
    assert tokubetsu.limit_yen == 20_000_000 and tokubetsu.limit_includes_existing
    assert session.get(m.Program, "sagamihara.marukei").kind == "interest_subsidy"
    keiki = session.get(m.Program, "sagamihara.keiki").variants[0]
    assert keiki.uses == ["working"]


def test_spot_facts_contacts(session):
    assert session.get(m.Office, "kanagawa-cgc.yokosuka").phone == "046-822-3821"
    assert session.get(m.Office, "kanagawa-cgc.sagamihara").phone == "042-752-0575"
    assert session.get(m.Office, "yokosuka-cci").phone == "046-823-0402"
    assert session.get(m.Office, "pref-sme.kanagawa").phone == "045-210-5556"
    hotline = [o for o in session.scalars(select(m.Office)) if o.phone == "0570-009-111"]
    assert hotline and "9時" in _norm(hotline[0].hours or "")
