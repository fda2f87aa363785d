"""`desk match`: the JSON contract of INTAKE.md, the table, and bad input."""

from __future__ import annotations

import json

import pytest

from desk import cli
from desk.matching.answer import SCHEMA

PROGRAM_KEYS = {"id", "name", "program", "provider", "kind", "status", "reasons", "todo", "uses", "limit_yen",
                "remaining_limit_yen", "separate_limit", "rate_pct", "rate_tiers", "city_share_pct", "own_rate_pct",
                "guarantee_fee_pct", "max_term_months", "grace_months", "source", "data_as_of", "stale", "notes",
                "route", "route_contact_id"}
CONTACT_KEYS = {"role", "name", "phone", "address", "hours", "distance_km", "why"}



def write(tmp_path, data, name="intake.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


SUPPLIER = {"entity": "corporation", "industry": "manufacturing", "employees": "１８", "capital_yen": "1,000万円",
            "municipality": "横須賀市", "months_in_kanagawa": 240, "licence": "not_needed", "purposes": ["working"],
            "amount_yen": "2,000万円", "term_months": 60, "causes": ["nissan"], "certifications": [], "plans": [],
            "sales_change": {"last_3m_pct": "▲12.5%"}, "guaranteed_balance_yen": 0}


def test_match_json_follows_the_contract(capsys, db, tmp_path):
    code = cli.main(["--db", db, "match", "--json", "--date", "2026-11-22", write(tmp_path, SUPPLIER)])
    out, err = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert next(iter(data)) == "schema" and data["schema"] == SCHEMA   # first: tools/outputs.sh drops its line
    assert data["as_of"] == "2026-11-22"
    assert data["sme"] == {"is_sme": True, "size_class": "micro", "reason": "製造業: 従業員20人以下（小規模企業者）"}
    assert {p["status"] for p in data["programs"]} == {"eligible", "conditional", "ineligible"}
    for program in data["programs"]:
        assert PROGRAM_KEYS <= set(program), PROGRAM_KEYS - set(program)
        for todo in program["todo"]:
            assert {"what", "where", "contact_id"} <= set(todo)
    # INTAKE.md's order: eligible, conditional, ineligible; inside the ineligible, those with a route first.
    order = [{"eligible": 0, "conditional": 1, "ineligible": 2}[p["status"]] for p in data["programs"]]
    assert order == sorted(order)
    closed = [p["route"] is None for p in data["programs"] if p["status"] == "ineligible"]
    assert closed == sorted(closed) and False in closed and True in closed
    bcp = next(p for p in data["programs"] if p["id"] == "kanagawa.bcp.a")
    assert bcp["route"].endswith("ことで対象になります（神奈川産業振興センター よろず・ワンストップ相談窓口）")
    assert bcp["route_contact_id"] == "kip.yorozu"
    nissan = next(p for p in data["programs"] if p["id"] == "kanagawa.nissan.main")
    assert nissan["status"] == "eligible" and nissan["rate_pct"] == 1.8
    for contact in data["contacts"]:
        assert CONTACT_KEYS <= set(contact)
    branch = next(c for c in data["contacts"] if c["role"] == "guarantee_branch")
    assert branch["phone"] == "046-822-3821"
    assert "相模原市の制度は前年度の資料" in err


def test_match_table(capsys, db, tmp_path):
    assert cli.main(["--db", db, "match", "--date", "2026-11-22", write(tmp_path, SUPPLIER)]) == 0
    out = capsys.readouterr().out
    assert "■ 対象" in out and "日産自動車関連対策特別融資" in out and "■ 相談先" in out
    # The third layer: steps that would open closed funds, before the closed list, at most five shown.
    openings = out[out.index("■ 取り組めば対象になる資金"):out.index("■ 対象外")]
    assert "経営力向上計画を作成し" in openings and "→ 生産性向上支援融資" in openings
    assert sum(line[:2] in {f"{i}." for i in range(1, 10)} for line in openings.splitlines()) == 5


@pytest.mark.parametrize(("data", "message"), [
    ({**SUPPLIER, "employees": "たくさん"}, "employees: 人数を数値で指定してください"),
    ({**SUPPLIER, "municipality": "横須賀町"}, "municipality: '横須賀町' は神奈川県の市区町村として登録がありません"),
    ({**SUPPLIER, "prefecture": "神奈川州"}, "prefecture: 都道府県 '神奈川州' は47都道府県のどれでもありません"),
    ({**SUPPLIER, "postal_code": "123"}, "postal_code: 郵便番号 '123' は7桁の数字ではありません"),
    ('{"employees": 3,,}', "(line 1): JSON として読めません"),
])
def test_bad_intake_exits_2_with_one_line(capsys, db, tmp_path, data, message):
    code = cli.main(["--db", db, "match", "--json", write(tmp_path, data)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(f"desk: intake.json: {message}"), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_file_with_several_values_refused_names_each_on_its_own_line(capsys, db, tmp_path):
    """A file edited by hand: every mistake at once, as the window names them, not one per run."""
    data = {**SUPPLIER, "employees": "たくさん", "capital_yen": "abc", "entity": "corp"}
    code = cli.main(["--db", db, "match", "--json", write(tmp_path, data)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert [line.split(": ")[2] for line in lines] == ["entity", "employees", "capital_yen"]
    assert all(line.startswith("desk: intake.json: ") for line in lines)
    assert "人数を数値で指定してください" in lines[1] and "Traceback" not in err


def test_a_prefecture_without_its_suffix_is_understood(capsys, db, tmp_path):
    code = cli.main(["--db", db, "match", "--json", write(tmp_path, {**SUPPLIER, "prefecture": "神奈川"})])
    assert code == 0 and json.loads(capsys.readouterr().out)["place"] == "神奈川県横須賀市"


def test_unknown_keys_warn_and_still_match(capsys, db, tmp_path):
    code = cli.main(["--db", db, "match", "--json", write(tmp_path, {**SUPPLIER, "favourite_colour": "blue"})])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["programs"]
    assert "未知のキー 'favourite_colour' は無視しました" in err


def test_a_bare_designated_city_is_the_whole_city(capsys, db, tmp_path):
    code = cli.main(["--db", db, "match", "--json", write(tmp_path, {**SUPPLIER, "municipality": "横浜市"})])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["place"] == "神奈川県横浜市"
    branch = next(c for c in data["contacts"] if c["role"] == "guarantee_branch")
    assert branch["id"] == "kanagawa-cgc.hq"  # HQ's 企業支援部 serves Yokohama
