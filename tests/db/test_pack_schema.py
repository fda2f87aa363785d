"""Pack validation: every bad pack is rejected with its file, record and line."""

from __future__ import annotations

import pytest

from desk.db.packs import importer
from desk.db.packs.schema import PackInvalid
from tests.packs import PROGRAM, PROVIDER, write_pack


def problems_of(path) -> list[str]:
    with pytest.raises(PackInvalid) as info:
        importer.read_pack(path)
    return [str(p) for p in info.value.problems]


def test_a_good_pack_reads_with_variants_resolved(tmp_path):
    pack = importer.read_pack(write_pack(tmp_path, PROVIDER + PROGRAM)).data
    (program,) = pack.records("programs")
    (variant,) = program["variants"]
    assert variant["uses"] == ["working"]  # inherited from the program
    assert variant["limit"]["amount_yen"] == 80_000_000
    assert variant["source"] == {"file": "test.txt", "section": None}
    assert str(variant["as_of"]) == "2026-04-01"


def test_unknown_key_names_file_line_and_record(tmp_path):
    path = write_pack(tmp_path, PROVIDER + PROGRAM.replace("    uses: [working]", "    usse: [working]"))
    (problem,) = problems_of(path)
    assert problem.startswith("test-pack.yaml:14: programs[0] (testpref.fund)")
    assert "未知のキー 'usse'" in problem


def test_unknown_check_name_is_rejected(tmp_path):
    path = write_pack(tmp_path, PROVIDER + PROGRAM.replace("check: employees_at_most", "check: employees_atmost"))
    problems = problems_of(path)
    assert any("未知のチェック名 'employees_atmost'" in p for p in problems)
    assert all(p.startswith("test-pack.yaml:") for p in problems)


def test_wrong_check_parameter_is_rejected(tmp_path):
    path = write_pack(tmp_path, PROVIDER + PROGRAM.replace("commerce_limit: 5", "commerce_limt: 5"))
    assert any("未知のパラメータ 'commerce_limt'" in p for p in problems_of(path))


def test_overlapping_rate_tiers_are_rejected(tmp_path):
    body = PROGRAM.replace("{max_months: null, rate_pct: 2.4}", "{max_months: 48, rate_pct: 2.4}")
    assert any("昇順" in p and "rate.tiers[1]" in p for p in problems_of(write_pack(tmp_path, PROVIDER + body)))


def test_negative_limit_is_rejected(tmp_path):
    body = PROGRAM.replace("amount_yen: 80000000", "amount_yen: -5")
    assert any("0以上の整数" in p for p in problems_of(write_pack(tmp_path, PROVIDER + body)))


def test_dates_in_the_wrong_order_are_rejected(tmp_path):
    body = PROGRAM.replace("    uses: [working]",
                           "    uses: [working]\n    valid_from: 2027-04-01\n    valid_to: 2026-03-31")
    assert any("valid_from が valid_to より後" in p for p in problems_of(write_pack(tmp_path, PROVIDER + body)))


def test_duplicate_ids_are_rejected(tmp_path):
    body = PROVIDER + PROVIDER.replace("providers:\n", "")
    assert any("重複" in p for p in problems_of(write_pack(tmp_path, body)))


def test_duplicate_keys_are_rejected_with_their_line(tmp_path):
    body = PROVIDER.replace("    kind: prefecture\n", "    kind: prefecture\n    kind: city\n")
    (problem,) = problems_of(write_pack(tmp_path, body))
    assert problem == "test-pack.yaml:12: キー 'kind' が重複しています（11行目にもあります）"


def test_contact_needs_phone_address_or_organisation(tmp_path):
    body = """\
    offices:
      - id: lonely
        name: どこにもつながらない窓口
        role: other
    """
    assert any("電話番号・住所・所属組織のどれかが必要です" in p for p in problems_of(write_pack(tmp_path, body)))


def test_yaml_aliases_cannot_expand(tmp_path):
    body = """\
    plans:
      - &a {id: one, name: 計画}
      - *a
    """
    (problem,) = problems_of(write_pack(tmp_path, body))
    assert problem == "test-pack.yaml:9: YAML のアンカーとエイリアス（&name, *name）は使えません"


def test_a_billion_laughs_is_refused_quickly(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert "エイリアス" in problem


def test_yaml_tags_cannot_run_code(tmp_path):
    body = """\
    plans:
      - !!python/object/apply:os.system ["echo hacked"]
    """
    (problem,) = problems_of(write_pack(tmp_path, body))
    assert "YAML の書式" in problem


def test_broken_yaml_reports_its_line(tmp_path):
    body = "plans:\n  - {id: one, name: [unclosed\n"
    (problem,) = problems_of(write_pack(tmp_path, body))
    assert problem.startswith("test-pack.yaml:")
    assert "YAML の書式" in problem


def test_unquoted_postal_code_is_rejected(tmp_path):
    body = """\
    postal_codes:
      - {code: 2380008, municipality: 横須賀市}
    """
    assert any("郵便番号は7桁" in p for p in problems_of(write_pack(tmp_path, body)))


def test_postal_codes_are_normalised(tmp_path):
    body = """\
    postal_codes:
      - {code: "238-0008", municipality: 横須賀市}
    """
    (row,) = importer.read_pack(write_pack(tmp_path, body)).data.records("postal_codes")
    assert row["code"] == "2380008"


def test_non_utf8_file_is_rejected_with_line(tmp_path):
    path = tmp_path / "sjis.yaml"
    path.write_bytes(b"format: desk-pack/1\n# " + "日本".encode("shift_jis") + b"\n")
    (problem,) = problems_of(path)
    assert problem == "sjis.yaml:2: UTF-8 として読めない文字があります"


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    body = PROGRAM.replace("amount_yen: 80000000", "amount_yen: -5").replace("check: employees_at_most", "check: x")
    assert len(problems_of(write_pack(tmp_path, PROVIDER + body))) >= 2
