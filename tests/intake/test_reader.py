"""Reading intake files: numbers as people type them, unknown vs zero, clear errors."""

from __future__ import annotations

import json

import pytest

from desk.intake.numbers import parse_number
from desk.intake.reader import IntakeError, read_intake, read_intake_file


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("１，２００万円", "yen", 12_000_000),
    ("1億2,000万円", "yen", 120_000_000),
    ("3億円", "yen", 300_000_000),
    ("500万", "yen", 5_000_000),
    ("12,345円", "yen", 12_345),
    # 千 and 百 as people write them (INTAKE.md: 千円, 千万, 千万円).
    ("3千万", "yen", 30_000_000),
    ("２千万", "yen", 20_000_000),
    ("3千万円", "yen", 30_000_000),
    ("千万円", "yen", 10_000_000),
    ("500千円", "yen", 500_000),
    ("1億2千万", "yen", 120_000_000),
    ("1億5千万円", "yen", 150_000_000),
    ("3千5百万円", "yen", 35_000_000),
    ("3百万円", "yen", 3_000_000),
    ("12万3千円", "yen", 123_000),
    ("2千", "yen", 2_000),
    ("▲12.5%", "pct", -12.5),
    ("△５％", "pct", -5.0),
    ("-10", "pct", -10.0),
    ("1年6か月", "months", 18),
    ("２年", "months", 24),
    ("6ヶ月", "months", 6),
    ("30人", "count", 30),
    (" 45 ", "count", 45),
])
def test_numbers_as_people_type_them(text, unit, expected):
    assert parse_number(text, "k", unit=unit) == expected


@pytest.mark.parametrize(("text", "unit"), [("abc", "yen"), ("12万円円", "yen"), ("", "pct"), ("1年6", "months"),
                                            ("NaN", "count"), ("万円", "yen"), ("千千", "yen"),
                                            ("1..2万", "yen"), ("円", "yen")])
def test_unreadable_numbers_name_the_key(text, unit):
    with pytest.raises(IntakeError) as info:
        parse_number(text, "capital_yen", unit=unit)
    assert str(info.value).startswith("capital_yen: ")
    # What the window shows under the field: Japanese only, no key.
    assert "capital_yen" not in info.value.message and info.value.message.endswith("）")


def test_missing_keys_are_unknown_but_general_flags_default_false():
    intake = read_intake({}).intake
    assert intake.employees is None and intake.purposes is None
    assert intake.plans == () and intake.situations == ()   # complete lists: missing is empty (INTAKE.md)
    assert intake.tax_arrears is False and intake.bank_suspension is False and intake.subrogation_debt is False
    assert intake.prefecture is None   # not stated: the postal code's prefecture, else 神奈川県 (desk.intake.places)


def test_a_full_intake_reads():
    result = read_intake({
        "entity": "corporation", "industry": "manufacturing", "capital_yen": "１，０００万円", "employees": "１８",
        "municipality": "横須賀市", "purposes": ["working", "working"], "amount_yen": "2,000万円",
        "sales_change": {"last_3m_pct": "▲12.5%", "last_1m_pct": [-15, None, -20]},
        "monthly_sales": {"2026-10": "820万円"}, "causes": ["nissan"], "certifications": ["sn5"],
        "answers": {"spin_off": False}, "surprise": 1,
    })
    intake = result.intake
    assert intake.capital_yen == 10_000_000 and intake.employees == 18 and intake.amount_yen == 20_000_000
    assert intake.purposes == ("working",)
    assert intake.sales_change.last_3m == (-12.5, None, None)
    assert intake.sales_change.last_1m == (-15.0, None, -20.0)
    assert intake.monthly_sales == {"2026-10": 8_200_000}
    assert result.warnings == ["未知のキー 'surprise' は無視しました"]


@pytest.mark.parametrize(("data", "message"), [
    ({"entity": "company"}, "entity: 次のいずれかを指定してください"),
    ({"employees": -3}, "employees: 0以上の値を指定してください"),
    ({"purposes": "working"}, "purposes: 文字列のリストで指定してください"),
    ({"causes": ["nissan", "weather"]}, "causes: 未知の値 weather"),
    ({"tax_arrears": "no"}, "tax_arrears: true か false で指定してください"),
    ({"term_months": 0}, "term_months: 融資期間は1以上の整数の月数で指定してください"),
    ({"sales_change": {"last_3m": -5}}, "sales_change: 未知のキー last_3m"),
    ({"sales_change": {"last_3m_pct": -150}}, "sales_change.last_3m_pct: 増減率は -100% 以上"),
    ({"monthly_sales": {"2026-13": 1}}, "monthly_sales.2026-13: 月は YYYY-MM の形で"),
    ({"answers": []}, "answers: {質問id: 回答} のオブジェクトで"),
    ({"capital_yen": True}, "capital_yen: 金額（円）"),
])
def test_bad_values_name_the_key(data, message):
    with pytest.raises(IntakeError) as info:
        read_intake(data)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_file_errors(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"entity": "corporation",\n "employees": }', encoding="utf-8")
    with pytest.raises(IntakeError, match=r"^\(line 2\): JSON として読めません"):
        read_intake_file(broken)
    array = tmp_path / "array.json"
    array.write_text(json.dumps([1, 2]), encoding="utf-8")
    with pytest.raises(IntakeError, match="オブジェクト"):
        read_intake_file(array)
    with pytest.raises(IntakeError, match="ファイルを開けません"):
        read_intake_file(tmp_path / "missing.json")
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({"employees": 3}).encode())
    assert read_intake_file(bom).intake.employees == 3


def test_situations_and_plans_are_lists_of_ids():
    read = read_intake({"situations": ["trade", "trade", "new_business"], "plans": ["bcp"]}).intake
    assert read.situations == ("trade", "new_business") and read.plans == ("bcp",)
    with pytest.raises(IntakeError, match=r"^situations: "):
        read_intake({"situations": "trade"})


# --- hostile documents (issue 15, items 7 and 8) --------------------------------------------

def _file(tmp_path, text: str):
    path = tmp_path / "intake.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, key, words", [
    ('{"employees": ' + "9" * 400 + "}", "employees", "400 桁"),
    ('{"amount_yen": ' + "9" * 5000 + "}", "amount_yen", "5,000 桁"),
    ('{"hidden": ' + "9" * 5000 + "}", "hidden", "5,000 桁"),   # an unknown key is printed too
    ("[" * 100_000 + "]" * 100_000, "(top)", "入れ子が深すぎます"),
    ('{"answers": ' + '{"q": ' * 500 + "1" + "}" * 500 + "}", "answers.q", "入れ子が深すぎます"),
    ('{"business_name": "\\ud800"}', "business_name", "サロゲート"),
    ('{"visitor_name": "山田\\udfff"}', "visitor_name", "サロゲート"),
    ('{"plans": ["a\\ud800"]}', "plans[0]", "サロゲート"),
    ('{"x\\ud800": 1}', "x\\ud800", "サロゲート"),
    ('{"plans": ' + json.dumps([f"p{i}" for i in range(1000)]) + "}", "plans", "項目が多すぎます"),
])
def test_a_hostile_document_is_refused_naming_its_field(tmp_path, text, key, words):
    with pytest.raises(IntakeError) as info:
        read_intake_file(_file(tmp_path, text))
    assert info.value.key.startswith(key), info.value.key
    assert words in str(info.value)
    str(info.value).encode("utf-8")   # the message itself can be printed


def test_a_huge_python_integer_is_refused_too():
    with pytest.raises(IntakeError, match="桁が多すぎます") as info:
        read_intake({"capital_yen": 10**400})
    assert info.value.key == "capital_yen"


def test_many_unknown_keys_make_one_warning_naming_the_first_few():
    result = read_intake({f"k{i:05d}": i for i in range(5000)} | {"industry": "retail"})
    assert result.warnings == ["未知のキー 5,000 個は無視しました: 'k00000', 'k00001', 'k00002', 'k00003', "
                               "'k00004' ほか 4,995 個"]


def test_a_fifo_a_folder_or_a_growing_size_is_refused_naming_why(tmp_path):
    """Issue 15, item 7: the intake reader (the CLI's and the app's) never waits on a FIFO and
    counts the size on what it reads (a device is tried in tests/faults/test_files.py)."""
    import os

    from tests.test_fileio import outcome_within

    fifo = tmp_path / "intake.json"
    os.mkfifo(fifo)
    refused = outcome_within(5, read_intake_file, fifo)
    assert isinstance(refused, IntakeError)
    assert "通常のファイルではないため読みません（名前付きパイプ（FIFO））" in str(refused)
    with pytest.raises(IntakeError, match="フォルダ"):
        read_intake_file(tmp_path)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(IntakeError, match="大きすぎます"):
        read_intake_file(big)


def test_the_cost_keys_are_read_as_intake_md_says():
    read = read_intake({"grace_months": "1年", "repayment": "equal_payment", "fee_options": ["no_personal_guarantee"]})
    assert (read.intake.grace_months, read.intake.repayment, read.intake.fee_options) == \
        (12, "equal_payment", ("no_personal_guarantee",))
    for bad, key in (({"grace_months": "1.5か月"}, "grace_months"), ({"repayment": "balloon"}, "repayment"),
                     ({"fee_options": ["free"]}, "fee_options")):
        with pytest.raises(IntakeError) as info:
            read_intake(bad)
        assert info.value.key == key


@pytest.mark.parametrize(("typed", "stated"), [
    ("20", False), ("２０", False), (" 20 ", False), ("1.5", False),
    ("20年", True), ("６か月", True), ("1年6ヶ月", True), ("3カ月", True), ("12月", True),
])
def test_whether_typed_months_say_their_unit(typed, stated):
    """The form flags a bare number of months (it may have been meant as years): the unit words are
    the reader's own."""
    from desk.intake.numbers import months_unit_stated

    assert months_unit_stated(typed) is stated
    assert read_intake({"months_in_business": typed}).intake.months_in_business is not None


def test_read_all_names_every_value_refused_and_reads_the_rest():
    """read_intake stops at the first value it cannot read; the form names them all."""
    from desk.intake.reader import read_all

    data = {"capital_yen": "たくさん", "employees": 5, "amount_yen": "2千まん",
            "sales_change": {"last_1m_pct": "x", "last_3m_pct": [-5, "y"], "last_6m_pct": -8},
            "monthly_sales": {"2026-13": 1, "2026-10": 100}, "visitor_name": 3}
    read, errors = read_all(data)
    assert [e.key for e in errors] == ["visitor_name", "capital_yen", "amount_yen", "sales_change.last_1m_pct",
                                       "sales_change.last_3m_pct[1]", "monthly_sales.2026-13"]
    assert read.intake.employees == 5 and read.intake.sales_change.last_6m == (-8, None, None)
    assert read.intake.monthly_sales == {"2026-10": 100}
    assert data["sales_change"]["last_1m_pct"] == "x"   # the caller's data untouched
    assert read_all({"employees": 5}) == (read_intake({"employees": 5}), [])


def test_a_file_names_every_value_refused_and_one_refusal_stays_one(tmp_path):
    from desk.intake.reader import IntakeErrors

    path = tmp_path / "intake.json"
    path.write_text(json.dumps({"employees": -3, "capital_yen": "abc", "industry": "manufacturing"}), "utf-8")
    with pytest.raises(IntakeErrors) as several:
        read_intake_file(path)
    assert [e.key for e in several.value.errors] == ["employees", "capital_yen"]
    assert several.value.key == "employees"   # the first, where the window moves
    assert str(several.value).splitlines() == [str(e) for e in several.value.errors]
    path.write_text(json.dumps({"employees": -3}), "utf-8")
    with pytest.raises(IntakeError) as one:
        read_intake_file(path)
    assert type(one.value) is IntakeError and one.value.key == "employees"


def test_a_hostile_file_of_thousands_of_bad_keys_is_not_read_once_per_key(tmp_path, monkeypatch):
    """Each refusal reads the rest again: past MAX_ERRORS_NAMED the reader stops naming them."""
    from desk.intake import reader

    reads = []
    real = reader.read_intake
    monkeypatch.setattr(reader, "read_intake", lambda data: reads.append(1) or real(data))
    path = tmp_path / "intake.json"
    lone_surrogate = '"\\ud800"'   # JSON's escape of a half of a pair: unreadable as text
    path.write_text("{" + ", ".join(f'"k{i}": {lone_surrogate}' for i in range(5000)) + "}", "utf-8")
    with pytest.raises(reader.IntakeErrors) as refused:
        read_intake_file(path)
    assert [e.key for e in refused.value.errors] == [f"k{i}" for i in range(reader.MAX_ERRORS_NAMED)]   # the first
    assert len(reads) == reader.MAX_ERRORS_NAMED + 1
    last = f"（誤りが多いため、最初の {reader.MAX_ERRORS_NAMED} 件だけを挙げました）"
    assert str(refused.value).splitlines()[-1] == last
