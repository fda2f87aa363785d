"""INTAKE.md ``fee_options`` against the seed's numbers (seed 002): 注5 経営者保証非提供 adds 0.25 or
0.45 points, 企業経営の未病改善 and スタートアップ創出促進保証 replace the range with their own rates;
an option a fund does not offer is a warning and a sentence of its cost, never an error. The
fees are worked out here from COSTS.md's formula, apart from desk.costs."""

from __future__ import annotations

import datetime as dt
import json
import math
from fractions import Fraction
from pathlib import Path

import pytest

from desk import cli, vocab
from desk.intake.places import resolve_place
from desk.intake.reader import read_intake
from desk.matching.fee_options import option_of
from desk.matching.service import run

ON = dt.date(2026, 11, 22)
EXAMPLE = Path(__file__).parents[2] / "examples" / "intakes" / "yokosuka-supplier-cost.json"
MICRO = {"entity": "corporation", "industry": "manufacturing", "capital_yen": 20_000_000, "employees": 4,
         "municipality": "横須賀市", "months_in_business": 180, "months_in_kanagawa": 180, "licence": "not_needed",
         "purposes": ["working"], "amount_yen": 10_000_000, "term_months": 60}
FOUNDER = {"entity": "prospective_founder", "founding_form": "corporation", "months_until_start": 1,
           "industry": "retail", "municipality": "藤沢市", "purposes": ["working"], "amount_yen": 10_000_000,
           "term_months": 60}


def fee(amount: int, pct: str, term: int, grace: int = 0) -> int:
    """COSTS.md: each part truncated; 25 or more instalments take the coefficient 0.55."""
    rate = Fraction(pct) / 100
    return math.floor(amount * rate * grace / 12) + math.floor(amount * rate * (term - grace) * Fraction(55, 100) / 12)


def match(loaded, data: dict) -> tuple[dict, tuple[str, ...]]:
    intake = read_intake(data).intake
    place = resolve_place(loaded.places, municipality=intake.municipality)
    report = run(loaded, intake, place, on=ON)
    return {f.id: f for f in report.funds}, report.warnings


def test_every_option_is_offered_by_some_fund_of_the_packs(loaded_catalogue):
    """The options are named in the packs' labels: a renamed label would silently drop one."""
    offered = {option_of(a.label) for v in loaded_catalogue.catalogue.variants for a in v.fee_adjustments}
    assert set(vocab.FEE_OPTIONS) <= offered


def test_no_personal_guarantee_adds_a_quarter_or_045_points(capsys, _catalogue_file, tmp_path):
    """注5 on the Nissan fund of the Yokosuka supplier (3,000万円, 84 months, 12 of grace), through
    `desk match --json`: 0.225〜0.95% becomes 0.475〜1.40%, the January change 0.36〜1.52% becomes
    0.61〜1.97%."""
    intake = tmp_path / "no-guarantee.json"
    intake.write_text(json.dumps({**json.loads(EXAMPLE.read_text(encoding="utf-8")),
                                  "fee_options": ["no_personal_guarantee"]}, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "cost.sqlite3"
    db.write_bytes(_catalogue_file.read_bytes())
    assert cli.main(["--db", str(db), "match", "--json", "--date", "2026-11-22", str(intake)]) == 0
    nissan = next(p for p in json.loads(capsys.readouterr().out)["programs"] if p["id"] == "kanagawa.nissan.main")
    assert nissan["guarantee_fee_pct"] == [0.475, 1.4]
    cost = nissan["cost"]
    assert cost["guarantee_fee_yen"] == [fee(30_000_000, "0.475", 84, 12), fee(30_000_000, "1.40", 84, 12)] \
        == [612_750, 1_806_000]
    assert cost["total_yen"] == [cost["own_interest_yen"] + 612_750, cost["own_interest_yen"] + 1_806_000]
    assert any("0.25%又は0.45%を上乗せ" in a for a in cost["assumptions"])
    assert any("2027年1月1日から" in a and "0.61〜1.97%" in a for a in cost["assumptions"])
    assert cli.main(["--db", str(db), "match", "--json", "--date", "2027-02-01", str(intake)]) == 0
    later = next(p for p in json.loads(capsys.readouterr().out)["programs"] if p["id"] == "kanagawa.nissan.main")
    assert later["cost"]["guarantee_fee_yen"] == [fee(30_000_000, "0.61", 84, 12), fee(30_000_000, "1.97", 84, 12)]


@pytest.mark.parametrize(("fund_id", "low", "high"), [
    ("kanagawa.shokibo.main", "0.36", "1.14"),      # 小規模事業資金: 「未病改善に取り組む場合は、0.36~1.14%」
    ("kanagawa.koguchi.main", "0.40", "1.32"),      # 小口零細企業保証資金: 0.40~1.32%
    ("kanagawa.koguchi.mini", "0.30", "0.88"),      # そのミニ: 0.30~0.88%
    ("kanagawa.shokibo.tokubetsu-koguchi", "0.6", "0.6"),   # 特別小口: 0.6%
])
def test_mibyo_kaizen_replaces_the_range_with_its_own_rates(loaded_catalogue, fund_id, low, high):
    funds, _warnings = match(loaded_catalogue, {**MICRO, "fee_options": ["mibyo_kaizen"]})
    fund = funds[fund_id]
    assert fund.guarantee_fee_pct == (float(low), float(high))
    assert fund.cost is not None
    amount = min(10_000_000, fund.remaining_limit_yen or 10_000_000)   # ミニ: up to 500万円
    assert fund.cost.amount_yen == amount
    assert fund.cost.guarantee_fee_yen == (fee(amount, low, 60), fee(amount, high, 60))
    assert any("企業経営の未病改善" in a and "で計算" in a for a in fund.cost.assumptions)


def test_an_option_a_fund_does_not_offer_is_a_warning_and_a_sentence_not_an_error(loaded_catalogue):
    plain, _ = match(loaded_catalogue, MICRO)
    funds, warnings = match(loaded_catalogue, {**MICRO, "fee_options": ["mibyo_kaizen"]})
    nissan = funds["kanagawa.nissan.main"]          # 未病改善 is not among its rates
    assert nissan.status != "ineligible" and nissan.cost is not None
    assert nissan.guarantee_fee_pct == plain["kanagawa.nissan.main"].guarantee_fee_pct
    assert nissan.cost.guarantee_fee_yen == plain["kanagawa.nissan.main"].cost.guarantee_fee_yen
    assert "企業経営の未病改善の保証料率はこの資金の資料にないため、通常の保証料率で計算。" in nissan.cost.assumptions
    warning = next(w for w in warnings if w.startswith("fee_options: 企業経営の未病改善"))
    assert "日産自動車関連対策特別融資" in warning or "ほか" in warning
    assert not any("小規模事業資金" in w for w in warnings if w.startswith("fee_options:"))


def test_startup_guarantee_replaces_the_founders_fee_and_no_surcharge_is_added_on_it(loaded_catalogue):
    """創業支援融資 ※2: 0.6%, 創業特例 0.2%; the scheme itself needs no personal guarantee, so 注5's
    surcharge, on the fund's own rates, is not added to it."""
    funds, _ = match(loaded_catalogue, {**FOUNDER, "plans": ["tokutei_sogyo_shien"],
                                        "fee_options": ["startup_guarantee", "no_personal_guarantee"]})
    for fund_id, pct in (("kanagawa.sogyo.main", "0.6"), ("kanagawa.sogyo.tokurei", "0.2")):
        fund = funds[fund_id]
        assert fund.guarantee_fee_pct == (float(pct), float(pct))
        assert fund.cost is not None
        assert fund.cost.guarantee_fee_yen == (fee(10_000_000, pct, 60),) * 2
        assert any("上乗せは加えていません" in a for a in fund.cost.assumptions)


def test_startup_guarantee_for_a_sole_proprietor_is_refused_by_its_requirement(loaded_catalogue):
    """The scheme is for companies (①イ、ウ、オ…に該当する会社): a sole founder keeps 0.40%."""
    funds, warnings = match(loaded_catalogue, {**FOUNDER, "founding_form": "sole_proprietor",
                                               "fee_options": ["startup_guarantee"]})
    fund = funds["kanagawa.sogyo.main"]
    assert fund.guarantee_fee_pct == (0.4, 0.4)
    assert fund.cost is not None and fund.cost.guarantee_fee_yen == (fee(10_000_000, "0.40", 60),) * 2
    refused = "スタートアップ創出促進保証はこの事業者の要件に当たらないため、通常の保証料率で計算。"
    assert refused in fund.cost.assumptions
    assert any(w.startswith("fee_options: スタートアップ創出促進保証") and "創業支援融資" in w for w in warnings)


def test_a_fund_without_a_guarantee_has_no_fee_to_change(loaded_catalogue):
    funds, warnings = match(loaded_catalogue, {**MICRO, "fee_options": ["no_personal_guarantee"]})
    assert not any("事業振興融資（信用保証なし）" in w for w in warnings)
    assert funds["kanagawa.jigyo-shinko.hosho-nashi"].guarantee_fee_pct is None
