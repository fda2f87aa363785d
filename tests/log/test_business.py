"""The business key: the same business however staff typed its name and wherever in its municipality
it was placed, a key that does not say it."""

from __future__ import annotations

from desk.log.business import business_key, business_place, normalised_name
from tests.conftest import PACKS_DIR


def test_the_same_business_typed_differently_has_one_key():
    key = business_key("株式会社追浜精工", "神奈川県横須賀市")
    assert key is not None and len(key) == 16 and "追浜" not in key
    for typed in ("㈱追浜精工", "追浜精工 株式会社", "（株）追浜精工", "(株) 追浜 精工", "追浜精工",
                  "株式会社　追浜精工"):
        assert business_key(typed, "神奈川県横須賀市") == key, typed
    assert business_key("ＡＢＣ商店", "横浜市") == business_key("abc 商店", "横浜市")


def test_another_name_or_place_is_another_business():
    key = business_key("追浜精工", "神奈川県横須賀市")
    assert business_key("追浜製作所", "神奈川県横須賀市") != key
    assert business_key("追浜精工", "神奈川県横浜市") != key
    assert business_key("コーヒー商会", "横浜市") != business_key("コヒー商会", "横浜市")   # ー is part of a word


def test_no_name_no_key():
    assert business_key(None, "横浜市") is None and business_key("", "横浜市") is None
    assert business_key("株式会社", "横浜市") is None and normalised_name(" ㈱ ") == ""


def test_the_place_is_the_municipality_not_the_town():
    # What a record stores: the place's label, with the town a postal code gave, a district, or none
    # of its prefecture (older records, log files).
    for stored in ("神奈川県横須賀市", "神奈川県横須賀市夏島町", "横須賀市", "横須賀市夏島町", " 神奈川県 横須賀市 ",
                   "神奈川県横須賀市夏島町2-1"):
        assert business_place(stored) == "神奈川県横須賀市", stored
        assert business_key("株式会社追浜精工", stored) == business_key("㈱追浜精工", "神奈川県横須賀市"), stored
    assert business_place("神奈川県三浦郡葉山町堀内") == business_place("神奈川県葉山町") == "神奈川県葉山町"
    assert business_place("神奈川県") == "神奈川県" and business_place(None) == business_place("") == ""


def test_a_designated_citys_ward_is_its_city():
    # 「横浜市」 typed with a postal code keeps the city and takes the town; the postal code alone gives the ward.
    for stored in ("神奈川県横浜市", "神奈川県横浜市本町", "神奈川県横浜市中区", "神奈川県横浜市中区本町",
                   "神奈川県横浜市保土ケ谷区岩井町"):
        assert business_place(stored) == "神奈川県横浜市", stored
    assert business_place("神奈川県相模原市緑区橋本") == "神奈川県相模原市"
    assert business_place("神奈川県川崎市川崎区本町") == "神奈川県川崎市"
    assert business_place("大阪府大阪市北区梅田1-1") == "大阪府大阪市"


def test_another_prefecture_keeps_its_name_and_tokyos_wards_are_municipalities():
    assert business_place("東京都大田区") == business_place("東京都大田区蒲田1-2-3") == "東京都大田区"
    assert business_place("東京都大田区") != business_place("東京都品川区")
    assert business_key("追浜精工", "東京都大田区") != business_key("追浜精工", "神奈川県横須賀市")
    # The same name in two cities of two prefectures: two places.
    assert business_place("東京都府中市") != business_place("広島県府中市")
    # 横浜市's 緑区 and 相模原市's 緑区 are in two cities.
    assert business_key("緑精工", "神奈川県横浜市緑区") != business_key("緑精工", "神奈川県相模原市緑区")


def test_every_kanagawa_place_desk_stores_is_its_municipality():
    """Every label a postal code gives (神奈川県, the municipality or ward, the town), and the same
    without the town, or with the bare city a visitor may type: one place, the municipality's."""
    import yaml

    def pack(name: str) -> dict:
        return yaml.safe_load((PACKS_DIR / name).read_text(encoding="utf-8"))

    city_of = {row["name"]: row["city"] or row["name"] for row in pack("geo-japan.yaml")["municipalities"]}
    postal = pack("postal-kanagawa.yaml")["postal_codes"]
    assert len(postal) > 3000
    for row in postal:
        municipality, town = row["municipality"], row["town"] or ""
        city = city_of[municipality]
        for stored in (f"神奈川県{municipality}{town}", f"神奈川県{municipality}", f"神奈川県{city}{town}"):
            assert business_place(stored) == f"神奈川県{city}", stored
