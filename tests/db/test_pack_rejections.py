"""Broken copies of the real bundled packs are refused with the file, the record and the line,
and the database is left exactly as it was (all or nothing). Each case changes one thing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.db import setup
from desk.db.packs.schema import PackInvalid
from desk.db.urls import plain_sqlite_file
from tests.conftest import PACKS_DIR

PROGRAMS = "kanagawa-fy2026.yaml"
CONTACTS = "kanagawa-contacts.yaml"
RULES = "kanagawa-rules.yaml"


def _replace_once(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return change


def _drop_line_containing(fragment: str):
    def change(text: str) -> str:
        lines = text.splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if fragment in line)
        return "".join(lines[:index] + lines[index + 1:])
    return change


def _replace_block(start: str, new: str):
    """Replace the lines from ``start`` to the end of its record (the next ``  - `` line)."""
    def change(text: str) -> str:
        begin = text.index(start)
        end = text.index("\n  - ", begin)
        return text[:begin] + new + text[end:]
    return change


# (case, pack, change, words the message must hold)
CASES = [
    ("yaml syntax error", PROGRAMS, _replace_once("    kind: loan\n", "    kind: [loan\n"), ":"),
    ("tab indentation", PROGRAMS, _replace_once("    kind: loan\n", "\tkind: loan\n"), ":"),
    ("truncated file", PROGRAMS, lambda t: t[: len(t) // 2].rsplit("\n", 3)[0] + "\n    - {", ":"),
    ("not UTF-8", CONTACTS, lambda t: t.replace("金融課", "\udcff", 1), "UTF-8"),
    ("alias", PROGRAMS,
     _replace_once("uses: [working, equipment, refinance]", "uses: &u [working]\n    uses_text2: *u"), "エイリアス"),
    ("python tag", PROGRAMS, _replace_once("kind: loan", "kind: !!python/object/apply:os.system [echo]"),
     "python/object"),
    ("missing required field", PROGRAMS, _drop_line_containing("    name: 経営安定融資"), "name"),
    ("unknown key", PROGRAMS, _replace_once("    kind: loan\n", "    kind: loan\n    knd: loan\n"), "knd"),
    ("unknown check name", PROGRAMS, _replace_once("{check: certification_any, params: {any_of: [sn5]}",
                                                   "{check: certification_anyy, params: {any_of: [sn5]}"),
     "certification_anyy"),
    ("bad check parameter", PROGRAMS, _replace_once("params: {limit: 30}}", "params: {limit: -30}}"), "limit"),
    ("overlapping rate tiers", PROGRAMS, _replace_once("- {max_months: 60, rate_pct: 2.0}\n        - {max_months: null",
                                                       "- {max_months: 60, rate_pct: 2.0}\n        - {max_months: 60, "
                                                       "rate_pct: 2.2}\n        - {max_months: null"), "max_months"),
    ("negative limit", PROGRAMS,
     _replace_once("amount_yen: 80000000, separate: true", "amount_yen: -80000000, separate: true"), "amount_yen"),
    ("dates in the wrong order", PROGRAMS,
     _replace_once("    valid_from: 2026-04-01\n    valid_to: 2027-03-31",
                   "    valid_from: 2027-04-01\n    valid_to: 2027-03-31"), "valid"),
    ("fee range upside down", PROGRAMS, _replace_once("{min_pct: 0.45, max_pct: 1.52", "{min_pct: 1.52, max_pct: 0.45"),
     "pct"),
    ("duplicate id", PROGRAMS,
     _replace_once("      - id: kanagawa.keiei-antei.sn5\n", "      - id: kanagawa.keiei-antei.sn\n"),
     "kanagawa.keiei-antei.sn"),
    ("duplicate key", CONTACTS,
     _replace_once("  phone: 045-210-5695\n", "  phone: 045-210-5695\n  phone: 045-210-5696\n"), "phone"),
    ("contact with no phone, address or parent", CONTACTS,
     lambda t: _drop_line_containing("  address: 横浜市中区日本大通1（県庁本庁舎2階）")(
         _drop_line_containing("  phone: 045-210-5695")(_drop_line_containing("  organisation: pref\n")(t))),
     "pref.kinyu-window"),
    ("phone with letters", CONTACTS, _replace_once("  phone: 045-210-5695\n", "  phone: 045-210-569X\n"), "phone"),
    ("reference to a missing provider", PROGRAMS,
     _replace_once("    provider: kanagawa\n", "    provider: kanagawaa\n"), "kanagawaa"),
    ("wrong type", PROGRAMS, _replace_once("      grace_months: 12\n", "      grace_months: twelve\n"), "grace_months"),
    ("empty file", CONTACTS, lambda t: "", ""),
    ("overlapping fee coefficient rows", RULES, _replace_once("{least: 7, most: 12", "{least: 6, most: 12"),
     "fee_tables"),
    ("fee coefficient above one", RULES, _replace_once("equal: 0.70", "equal: 1.70"), "係数"),
    ("reference to a missing fee table", RULES,
     _replace_once("  guarantee_fee_table: kanagawa-cgc\n", "  guarantee_fee_table: kanagawa-cgcc\n"), "kanagawa-cgcc"),
    # Issue 15, item 9: each passed validate, then crashed or printed what is not a number.
    ("bad program id", PROGRAMS, _replace_once("  - id: kanagawa.keiei-antei\n", "  - id: Kanagawa Keiei\n"),
     "Kanagawa Keiei"),
    ("a day that does not exist", PROGRAMS,
     _replace_once("    valid_from: 2026-04-01\n", "    valid_from: 2025-02-30\n"), "存在しない日付"),
    ("variants not a list", PROGRAMS, _replace_block("    variants:\n      - id: kanagawa.keiei-antei.sn\n",
                                                      "    variants: 7"), "variants"),
    ("a huge amount", PROGRAMS, _replace_once("amount_yen: 80000000, separate: true",
                                              "amount_yen: 100000000000000000000000000000, separate: true"),
     "大きすぎます"),
    ("an integer of 5,000 digits", PROGRAMS, _replace_once("amount_yen: 80000000, separate: true",
                                                           "amount_yen: " + "9" * 5000 + ", separate: true"),
     "桁が多すぎます"),
    ("an infinite amount", PROGRAMS, _replace_once("amount_yen: 80000000, separate: true",
                                                   "amount_yen: .inf, separate: true"), "amount_yen"),
    ("an infinite share", PROGRAMS, _replace_once("      city_share_pct: null\n", "      city_share_pct: .inf\n"),
     ".inf"),
    ("a rate that is not a number", PROGRAMS,
     _replace_once("- {max_months: 60, rate_pct: 2.0}", "- {max_months: 60, rate_pct: .nan}"), ".nan"),
    ("a fee that is not a number", PROGRAMS,
     _replace_once("{min_pct: 0.45, max_pct: 1.52", "{min_pct: .nan, max_pct: 1.52"), ".nan"),
    # Issue 15, item 17: a variant that is not a mapping was dropped without a word.
    ("a variant that is not a mapping", PROGRAMS,
     _replace_once("    variants:\n      - id: kanagawa.keiei-antei.sn\n",
                   "    variants:\n      - 経営安定融資\n      - id: kanagawa.keiei-antei.sn\n"), "variants[0]"),
]


def _snapshot_of(db: Path) -> list:
    with sqlite3.connect(db) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(t, c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables] + \
            c.execute("SELECT id, version, checksum, imported_at FROM data_pack ORDER BY id").fetchall()


@pytest.mark.parametrize("case, pack, change, words", CASES, ids=[c[0] for c in CASES])
def test_a_broken_real_pack_is_refused_and_changes_nothing(case, pack, change, words, catalogue_engine, tmp_path,
                                                          reliability):
    original = (PACKS_DIR / pack).read_text(encoding="utf-8")
    broken = change(original)
    target = tmp_path / pack
    target.write_bytes(broken.encode("utf-8", errors="surrogateescape"))
    db = plain_sqlite_file(catalogue_engine.url.render_as_string())
    before = _snapshot_of(db)
    with pytest.raises(PackInvalid) as info:
        setup.import_files(catalogue_engine, [PACKS_DIR / "common.yaml", target])
    message = str(info.value)
    assert pack in message and words in message, message
    assert any(f"{pack}:" in line for line in message.splitlines()), message   # file (and line where known)
    assert _snapshot_of(db) == before
    reliability.add("data packs: broken copies of the real packs refused", packs=1, refused=1, database_changed=0)


@pytest.mark.parametrize("case, pack, change, words", [c for c in CASES if c[0] in (
    "bad program id", "a day that does not exist", "variants not a list", "a huge amount", "an infinite share",
    "a variant that is not a mapping")], ids=lambda v: v if isinstance(v, str) and " " in v else "")
def test_desk_validate_refuses_with_exit_2_and_one_line_per_problem(case, pack, change, words, tmp_path, capsys):
    from desk import cli

    target = tmp_path / pack
    target.write_text(change((PACKS_DIR / pack).read_text(encoding="utf-8")), encoding="utf-8")
    code = cli.main(["validate", str(target)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert words in err and f"{pack}:" in err and "Traceback" not in err


def test_a_folder_given_as_a_pack_is_refused_by_name(tmp_path, capsys):
    from desk import cli

    folder = tmp_path / "packs"
    folder.mkdir()
    code = cli.main(["validate", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "packs: " in err and "フォルダ" in err, err   # refused before it is read (desk.fileio)
