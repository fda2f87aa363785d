"""The business key: the same business however staff typed its name, a key that does not say it."""

from __future__ import annotations

from desk.log.business import business_key, normalised_name


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
