"""The pack's rules across fields and records: unique ids, date ranges, rate tiers in
ascending order, fee ranges, terms longer than their grace, coordinates inside Japan,
SME tables covering every industry.

Each rule reports through a :data:`Report` (where, message, line), so the validator
collects them with its other problems and admin edits get them as plain pairs
(:func:`variant_rule_problems`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk import vocab
from desk.db.packs.schema import SECTIONS, PackData

Report = Callable[[str, str, "int | None"], None]


def cross_checks(data: PackData, report: Report) -> None:
    """Checks that look at more than one field: ids, ranges, orders."""
    def line_of(section: str, key: Any) -> int | None:
        return data.lines.get(f"{section}:{key}")

    seen: dict[str, str] = {}

    def claim(identifier: str, section: str, key: Any) -> None:
        if identifier in seen:
            report(f"{section} ({key})", f"id '{key}' が {section} の中で重複しています", line_of(section, key))
        else:
            seen[identifier] = section

    for section in SECTIONS:
        for rec in data.records(section):
            key = rec.get("id") or rec.get("code") or rec.get("prefix")
            if key is not None:
                claim(f"{section}:{key}", section, key)
    for program in data.records("programs"):
        pid = program["id"]
        where = f"programs ({pid})"
        line = line_of("programs", pid)
        if program["valid_from"] and program["valid_to"] and program["valid_from"] > program["valid_to"]:
            report(where, "valid_from が valid_to より後になっています", line)
        if not program["variants"]:
            report(where, "variants が空です（少なくとも一つ必要です）", line)
        for variant in program["variants"]:
            claim(f"variants:{variant['id']}", "variants", variant["id"])
            if not variant["id"].startswith(pid + "."):
                report(f"{where} variant {variant['id']}", f"variant の id は '{pid}.' で始めてください", line)
            check_variant(variant, f"{where} variant {variant['id']}", line, report)
    for office in data.records("offices"):
        where, line = f"offices ({office['id']})", line_of("offices", office["id"])
        if not (office["phone"] or office["address"] or office["organisation"]):
            report(where, "電話番号・住所・所属組織のどれかが必要です", line)
        _check_coordinates(office, where, line, report)
    for muni in data.records("municipalities"):
        _check_coordinates(muni, f"municipalities ({muni['id']})", line_of("municipalities", muni["id"]), report)
    for pref in data.records("prefectures"):
        if not 1 <= pref["code"] <= 47:
            report(f"prefectures ({pref['code']})", "code は 1〜47 でなければなりません",
                   line_of("prefectures", pref["code"]))
        _check_coordinates(pref, f"prefectures ({pref['code']})", line_of("prefectures", pref["code"]), report)
    for table in data.records("sme_tables"):
        covered = {row["industry"] for row in table["rows"]}
        missing = [i for i in vocab.INDUSTRIES if i != "excluded" and i not in covered]
        if missing:
            report(f"sme_tables ({table['id']})", f"業種 {missing} の行がありません",
                   line_of("sme_tables", table["id"]))
    for table in data.records("fee_tables"):
        problem = _fee_rows_problem(table["rows"])
        if problem:
            report(f"fee_tables ({table['id']})", problem, line_of("fee_tables", table["id"]))


def _fee_rows_problem(rows: list[dict[str, Any]]) -> str | None:
    """Rows in order of instalments, each range after the one before, only the last open-ended,
    coefficients between 0 and 1 (an instalment count must find one row at most)."""
    end = 0
    for index, row in enumerate(rows):
        if row["least"] < 1 or row["least"] <= end:
            return f"{index + 1}行目: 回数の範囲が前の行と重なるか、順に並んでいません"
        if row["most"] is None and index != len(rows) - 1:
            return f"{index + 1}行目: 上限のない行は最後に置きます"
        if row["most"] is not None and row["most"] < row["least"]:
            return f"{index + 1}行目: most が least より小さい"
        if not (0 < row["equal"] <= 1 and 0 < row["unequal"] <= 1):
            return f"{index + 1}行目: 係数は 0 より大きく 1 以下です"
        end = row["most"] if row["most"] is not None else end
    return None


def check_variant(variant: dict[str, Any], where: str, line: int | None, report: Report) -> None:
    """One variant's limit, rate tiers, term, fees, fee adjustments and documents."""
    limit = variant["limit"]
    if limit and limit["amount_yen"] is not None and limit["amount_yen"] <= 0:
        report(where, "融資限度額は正の金額でなければなりません", line)
    rate = variant["rate"]
    if rate:
        previous: int | None = -1
        for i, tier in enumerate(rate["tiers"]):
            if previous is None:
                report(f"{where} rate.tiers[{i}]", "上限なし（max_months: null）の段の後に段があります", line)
                break
            if tier["max_months"] is not None and tier["max_months"] <= previous:
                report(f"{where} rate.tiers[{i}]",
                       "期間の段は重ならず昇順でなければなりません（max_months が前の段以下です）", line)
            previous = tier["max_months"]
            if tier["rate_pct"] is not None and not 0 <= tier["rate_pct"] <= 20:
                report(f"{where} rate.tiers[{i}]", f"利率 {tier['rate_pct']}% は範囲外です", line)
    term = variant["term"]
    if term:
        lo, hi, grace = term["min_months"], term["max_months"], term["grace_months"]
        if lo is not None and hi is not None and lo > hi:
            report(f"{where} term", "min_months が max_months より大きくなっています", line)
        if grace is not None and hi is not None and grace >= hi:
            report(f"{where} term", "据置期間が融資期間以上になっています", line)
    for i, fee in enumerate(variant["guarantee_fees"]):
        if fee["min_pct"] > fee["max_pct"]:
            report(f"{where} guarantee_fees[{i}]", "下限（min_pct）が上限（max_pct）より大きくなっています", line)
        if not 0 <= fee["min_pct"] <= 5 or not 0 <= fee["max_pct"] <= 5:
            report(f"{where} guarantee_fees[{i}]", "保証料率が範囲外です（0〜5%）", line)
        if fee["valid_from"] and fee["valid_to"] and fee["valid_from"] > fee["valid_to"]:
            report(f"{where} guarantee_fees[{i}]", "valid_from が valid_to より後になっています", line)
    for i, adj in enumerate(variant["fee_adjustments"]):
        if all(adj[key] is None for key in ("min_pct", "add_min_pct", "max_pct", "add_max_pct")):
            report(f"{where} fee_adjustments[{i}]", "料率（min_pct/max_pct か add_min_pct/add_max_pct）がありません",
                   line)
    keys = [d["id"] for d in variant["documents"]]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        report(f"{where} documents", f"書類 id '{dup}' が重複しています", line)


def _check_coordinates(rec: dict[str, Any], where: str, line: int | None, report: Report) -> None:
    lat, lon = rec.get("lat"), rec.get("lon")
    if lat is None or lon is None:
        if (lat is None) != (lon is None):
            report(where, "lat と lon は両方書くか、両方省いてください", line)
    elif not (20 <= lat <= 46 and 122 <= lon <= 154):
        report(where, f"座標 ({lat}, {lon}) が日本の範囲外です", line)


def variant_rule_problems(variant: dict[str, Any]) -> list[tuple[str, str]]:
    """The pack's rules across one variant's fields (limit, rate tiers, term, fees), for admin
    edits: (where, message) with ``where`` as the pack would name it (``rate.tiers[1]``, ``term``)."""
    found: list[tuple[str, str]] = []
    full = {"limit": None, "rate": None, "term": None, "guarantee_fees": [], "fee_adjustments": [], "documents": [],
            **variant}
    check_variant(full, "", None, lambda where, message, line: found.append((where.strip(), message)))
    return found

