"""What an intake must say before a sheet is issued from the window."""

from __future__ import annotations

from desk.intake.reader import read_intake
from desk.intake.readiness import missing_for_sheet


def _missing(data):
    return missing_for_sheet(read_intake(data).intake)


def test_an_empty_form_misses_the_form_the_trade_and_the_place():
    assert _missing({}) == ["entity", "industry", "municipality"]


def test_the_place_is_known_from_a_municipality_a_postal_code_or_another_prefecture():
    base = {"entity": "corporation", "industry": "manufacturing"}
    assert _missing({**base, "municipality": "横須賀市"}) == []
    assert _missing({**base, "postal_code": "238-0008"}) == []
    assert _missing({**base, "prefecture": "東京都", "municipality": "大田区"}) == []
    assert _missing({**base, "prefecture": "静岡県"}) == []
    assert _missing({**base, "prefecture": "神奈川県"}) == ["municipality"]   # the default says nothing
