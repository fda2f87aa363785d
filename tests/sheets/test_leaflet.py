"""The overview leaflet: the Nissan-related and sales-decline funds in force on the front, each
on one worked example on the back."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
from sqlalchemy.orm import Session

from desk import cli
from desk.db.loaders import load_catalogue
from desk.sheets.leaflet import build_leaflet


def test_the_leaflet_picks_its_funds_from_their_conditions(catalogue_engine):
    with Session(catalogue_engine) as session:
        catalogue = load_catalogue(session)
    names = [r.name for r in build_leaflet(catalogue, on=dt.date(2026, 11, 22), windows=[]).rows]
    assert "日産自動車関連対策特別融資" in names and "売上・利益減少対策融資" in names
    assert "原油・原材料高騰等対策特別融資" in names and "景気対策特別資金" in names
    assert not any("災害" in n for n in names)          # disaster funds have their own grounds
    assert not any("創業" in n for n in names)
    before = [r.name for r in build_leaflet(catalogue, on=dt.date(2026, 3, 1), windows=[]).rows]
    assert "日産自動車関連対策特別融資" not in before      # FY2026 not yet in force


def test_desk_handout_is_the_list_on_one_page_the_worked_example_on_the_back(capsys, tmp_path, _catalogue_file):
    db = tmp_path / "h.sqlite3"
    db.write_bytes(_catalogue_file.read_bytes())
    out = tmp_path / "leaflet.pdf"
    assert cli.main(["--db", str(db), "handout", "--date", "2026-11-22", "-o", str(out)]) == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2
    text = "".join(reader.pages[0].extract_text().split())
    assert "045-210-5695" in text and "046-822-3821" in text and "日産自動車関連対策特別融資" in text
    back = "".join(reader.pages[1].extract_text().split())
    assert "費用の例（1,000万円を7年（うち据置1年）、元金均等返済で借りた場合）" in back
    assert "取扱金融機関と信用保証協会の審査で決まります" in back and "計算の前提" in back


def test_the_worked_example_is_desk_costs_own_figures(catalogue_engine):
    """Issue 16: every fund on 1,000万円 over 7 years with a year's grace, 元金均等: desk.costs'
    estimate on the fund's terms, and for the Nissan fund COSTS.md's formulas worked out here."""
    import math
    from fractions import Fraction

    from desk.costs.estimate import estimate
    from desk.costs.guarantee_fee import CoefficientTable
    from desk.intake.reader import Intake
    from desk.matching.costing import fund_terms
    from desk.matching.terms import compute_pricing
    from desk.sheets.leaflet import EXAMPLE, _unsettled

    on = dt.date(2026, 11, 22)
    with Session(catalogue_engine) as session:
        catalogue = load_catalogue(session)
    leaflet = build_leaflet(catalogue, on=on, windows=[])
    assert leaflet.costs is not None
    by_name = {v.name: v for v in catalogue.variants}
    assert [r.name for r in leaflet.costs.rows] == [r.name for r in leaflet.rows if r.example is not None]
    assert len(leaflet.costs.rows) == len(leaflet.rows)     # every fund on the leaflet has a fixed rate
    for row in leaflet.costs.rows:
        variant = by_name[row.name]
        terms = fund_terms(variant, compute_pricing(variant, term_months=84, on=on, applies=_unsettled), EXAMPLE,
                           Intake(), variant.limit_yen)
        table = catalogue.providers[variant.provider_id].fee_table or CoefficientTable(())   # Sagamihara: no fee
        assert row.cost == estimate(EXAMPLE, terms, table, on=on)
        assert row.interest == f"{row.cost.interest_yen:,}円"
    nissan = next(r for r in leaflet.costs.rows if r.name == "日産自動車関連対策特別融資").cost
    p, i, grace, n = 10_000_000, Fraction(22, 1000) / 12, 12, 72          # 2.2 % beyond 5 years

    def fee(pct: str) -> int:
        rate = Fraction(pct) / 100
        return math.floor(p * rate * grace / 12) + math.floor(p * rate * n * Fraction(55, 100) / 12)

    assert nissan.interest_yen == math.floor(p * i * grace + p * i * (n + 1) / 2 + Fraction(1, 2)) == 889_167
    assert (nissan.monthly_during_grace, nissan.monthly_first) == (18_333, 157_222)
    assert nissan.guarantee_fee_yen == (fee("0.225"), fee("0.95")) == (96_750, 408_500)
    assert nissan.total_yen == (889_167 + 96_750, 889_167 + 408_500)


def test_a_term_that_differs_by_use_is_given_for_each_use(catalogue_engine):
    """「最長15年」 alone read as fifteen years for working capital too."""
    with Session(catalogue_engine) as session:
        catalogue = load_catalogue(session)
    terms = {r.name: r.term for r in build_leaflet(catalogue, on=dt.date(2026, 11, 22), windows=[]).rows}
    assert terms["日産自動車関連対策特別融資"].splitlines() == ["運転10年", "設備15年", "借換10年"]
    assert terms["景気対策特別資金"] == "7年"      # one term for every use: said once
