"""A place as staff type it: names with or without 市, readings, slips, wards, other prefectures."""

from __future__ import annotations

import pytest
import yaml

from desk.intake.place_text import municipality_label, read_place_text, suggestions
from tests.conftest import PACKS_DIR

GEO = yaml.safe_load((PACKS_DIR / "geo-japan.yaml").read_text(encoding="utf-8"))
KANAGAWA = {m["name"]: m["reading"] for m in GEO["municipalities"]}


def test_every_municipality_of_the_pack_has_a_reading_in_hiragana():
    assert len(KANAGAWA) == 61
    assert all(r and all("ぁ" <= c <= "ゖ" for c in r) for r in KANAGAWA.values())


@pytest.mark.parametrize(("typed", "name", "note"), [
    ("横須賀市", "横須賀市", None),
    ("横須賀", "横須賀市", None),
    ("よこすか", "横須賀市", None),
    ("ヨコスカ", "横須賀市", None),
    ("ｙｏｋｏ", None, None),                      # nothing close: a message, not a guess
    ("横須加", "横須賀市", "「横須加」を横須賀市と読みました"),   # one character wrong
    ("茅ケ崎市", "茅ヶ崎市", "「茅ケ崎市」を茅ヶ崎市と読みました"),
    ("港北区", "横浜市港北区", None),
    ("こうほく", "横浜市港北区", None),
    ("ほどがや", "横浜市保土ケ谷区", None),
    ("川崎", "川崎市", None),                      # the city, not a question between it and 川崎区
    ("さがみ", "相模原市", None),                  # the start of a reading
    ("三浦郡葉山町", "葉山町", None),
    ("はやま", "葉山町", None),
    ("神奈川県横須賀市", "横須賀市", None),
])
def test_a_kanagawa_place_is_read_as_its_name(typed, name, note):
    read = read_place_text(typed, KANAGAWA)
    assert (read.municipality, read.note) == (name, note)
    assert (read.problem is None) == (name is not None)


def test_a_name_two_places_share_is_a_question_naming_them():
    read = read_place_text("緑区", KANAGAWA)
    assert read.municipality is None and read.problem == "「緑区」はどれですか: 横浜市緑区、相模原市緑区"
    assert read_place_text("よこ", KANAGAWA).problem == "「よこ」はどれですか: 横浜市、横須賀市"


def test_another_prefecture_takes_any_municipality_and_a_bare_ward_elsewhere_is_explained():
    assert read_place_text("東京都大田区", KANAGAWA)[:2] == ("東京都", "大田区")
    assert read_place_text("静岡県", KANAGAWA)[:2] == ("静岡県", None)
    assert read_place_text("和歌山県和歌山市", KANAGAWA)[:2] == ("和歌山県", "和歌山市")
    assert all(read_place_text(p["name"], KANAGAWA).prefecture == p["name"] for p in GEO["prefectures"])
    problem = read_place_text("大田区", KANAGAWA).problem
    assert problem is not None and "「東京都大田区」のように" in problem


def test_suggestions_name_what_a_slip_meant():
    assert suggestions("横須加", KANAGAWA) == ["横須賀市"]
    assert suggestions("まったく違う", KANAGAWA) == []


@pytest.mark.parametrize("stored, municipality", [
    ("神奈川県横須賀市本町", "神奈川県横須賀市"), ("神奈川県横浜市金沢区釜利谷東", "神奈川県横浜市金沢区"),
    ("神奈川県横浜市", "神奈川県横浜市"), ("神奈川県横浜市山下町", "神奈川県横浜市"),
    ("神奈川県三浦郡葉山町堀内", "神奈川県葉山町"), ("横須賀市", "神奈川県横須賀市"),
    ("東京都大田区蒲田1-2-3", "東京都大田区"), ("神奈川県", "神奈川県"), ("", ""), (None, ""),
])
def test_a_stored_place_is_counted_by_its_municipality(stored, municipality):
    assert municipality_label(stored, list(KANAGAWA)) == municipality
