"""run(): the engine's results become the typed answer field by field (the service builds
FundResult positionally, for speed; this test names every field)."""

from __future__ import annotations

import datetime as dt

from desk.intake.places import resolve_place
from desk.intake.reader import read_intake
from desk.matching import engine
from desk.matching.service import run
from desk.matching.terms import ASSUMED_FEE_NOTE

ON = dt.date(2026, 11, 22)
SUPPLIER = {"entity": "corporation", "industry": "manufacturing", "employees": 18, "capital_yen": 10_000_000,
            "municipality": "横須賀市", "purposes": ["working"], "amount_yen": 20_000_000, "term_months": 60,
            "causes": ["nissan"], "sales_change": {"last_3m_pct": -12.5}, "guaranteed_balance_yen": 5_000_000}


def test_every_field_of_a_fund_comes_from_its_source(loaded_catalogue):
    loaded = loaded_catalogue
    intake = read_intake(SUPPLIER).intake
    place = resolve_place(loaded.places, municipality="横須賀市")
    report = run(loaded, intake, place, on=ON)
    results = engine.match(loaded.catalogue, intake, on=ON, sales=intake.sales_change, prefecture=place.prefecture,
                           municipality=place.municipality, city=place.city).programs
    assert [f.id for f in report.funds] == [r.variant.id for r in results]
    assert any(r.pricing.city_share_pct is not None for r in results), "a city's share is covered"
    assert any(r.remaining_limit_yen != r.variant.limit_yen for r in results), "a reduced limit is covered"
    for fund, r in zip(report.funds, results, strict=True):
        v, p = r.variant, r.pricing
        assert (fund.name, fund.program, fund.provider, fund.kind) == (v.name, v.program_name, r.provider.name, v.kind)
        assert (fund.status, fund.reasons, fund.stale) == (r.status, r.reasons, r.stale)
        assert [t.what for t in fund.todos] == [t.what for t in r.todos]
        assert (fund.uses, fund.use_notes, fund.target_text) == (v.uses, v.use_notes, v.target_text)
        assert (fund.limit_yen, fund.remaining_limit_yen, fund.separate_limit) == \
            (v.limit_yen, r.remaining_limit_yen, v.limit_separate)
        assert (fund.rate_pct, fund.city_share_pct, fund.own_rate_pct, fund.guarantee_fee_pct) == \
            (p.rate_pct, p.city_share_pct, p.own_rate_pct, p.fee_range_pct)
        assert [(t.max_months, t.rate_pct) for t in fund.rate_tiers] == [(t.max_months, t.rate_pct) for t in v.tiers]
        assert (fund.max_term_months, fund.grace_months) == (v.term_max_months, v.grace_months)
        assert (fund.source.file, fund.source.section) == (v.source_file, v.source_section)
        assert fund.data_as_of == (v.as_of.isoformat() if v.as_of else None)
        assumed = () if p.assumed_fee_pct is None else (ASSUMED_FEE_NOTE.format(pct="1.76"),)
        assert fund.notes == v.interpretations + v.notes + assumed


def test_a_guaranteed_fund_whose_fee_the_seeds_do_not_give_is_never_ranked_as_free(loaded_catalogue):
    """INTAKE.md's order: ranked at the highest upper fee bound of the catalogue's guaranteed funds,
    and the fund says so; a fund without a guarantee has no fee to assume."""
    loaded = loaded_catalogue
    founder = read_intake({**SUPPLIER, "employees": 3, "amount_yen": 5_000_000, "guaranteed_balance_yen": 0}).intake
    place = resolve_place(loaded.places, municipality="横須賀市")
    report = run(loaded, founder, place, on=ON)
    results = {r.variant.id: r for r in engine.match(
        loaded.catalogue, founder, on=ON, sales=founder.sales_change, prefecture=place.prefecture,
        municipality=place.municipality, city=place.city).programs}
    highest = loaded.catalogue.highest_guarantee_fee_pct
    assert highest == 1.76
    mini = results["kanagawa.koguchi.mini"]
    assert mini.variant.guarantee == "required" and mini.pricing.fee_range_pct is None
    assert mini.pricing.assumed_fee_pct == highest
    assert mini.pricing.cost_pct == (mini.pricing.own_rate_pct or mini.pricing.rate_pct) + highest
    fund = report.fund("kanagawa.koguchi.mini")
    assert fund is not None and fund.notes[-1] == ASSUMED_FEE_NOTE.format(pct="1.76")
    unguaranteed = [r for r in results.values() if r.variant.guarantee == "none"]
    assert unguaranteed and all(r.pricing.assumed_fee_pct is None for r in unguaranteed)


def test_a_postal_code_from_another_prefecture_places_the_business_there(loaded_catalogue):
    """Fresh eyes: 144-0052 alone was a Kanagawa business (the intake's default prefecture won),
    and 144-0052 beside 横須賀市 was accepted without a word."""
    import pytest

    from desk.intake.places import PlaceError
    from desk.matching.service import resolve_intake_place

    places = loaded_catalogue.places
    alone = resolve_intake_place(places, read_intake({"postal_code": "144-0052"}).intake)
    assert alone.prefecture == "東京都"
    home = resolve_intake_place(places, read_intake({"postal_code": "238-0008"}).intake)
    assert (home.prefecture, home.municipality) == ("神奈川県", "横須賀市")
    for clash in ({"postal_code": "144-0052", "municipality": "横須賀市"},
                  {"postal_code": "144-0052", "prefecture": "神奈川県"}):
        with pytest.raises(Exception) as info:
            resolve_intake_place(places, read_intake(clash).intake)
        assert "144-0052 は東京都のもの" in str(info.value)
    with pytest.raises(PlaceError):
        resolve_place(places, postal_code="1440052", municipality="横須賀市")
    tokyo = resolve_intake_place(places, read_intake({"postal_code": "144-0052", "prefecture": "東京都",
                                                      "municipality": "大田区"}).intake)
    assert (tokyo.prefecture, tokyo.municipality) == ("東京都", "大田区")


def test_input_errors_names_every_refused_value_and_an_unknown_place(loaded_catalogue):
    """Reading and matching stop at the first input in error; the form names them all."""
    from desk.matching.service import MatchService

    class Source:
        def fingerprint(self):
            return ("fixed",)

        def load(self, _fingerprint):
            return loaded_catalogue

    service = MatchService(Source())
    wrong = {**SUPPLIER, "capital_yen": "たくさん", "amount_yen": "2千まん", "municipality": "ぬぬぬ市"}
    assert [e.key for e in service.input_errors(wrong)] == ["capital_yen", "amount_yen", "municipality"]
    assert service.input_errors(SUPPLIER) == []
