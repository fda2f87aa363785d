"""Packs are bounded in depth and size (desk.db.packs.limits), and whatever `desk validate`
accepts imports, matches, caches and exports (issue 15, item 2); `desk db check` says so when
a catalogue in the database cannot be loaded."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from desk.db import cache
from desk.db.engine import sqlite_url
from desk.db.packs.limits import (
    MAX_CONDITION_CHECKS,
    MAX_CONDITION_DEPTH,
    MAX_INTEGER,
    MAX_TEXT_CHARS,
    MAX_YAML_DEPTH,
)
from tests.conftest import REPO
from tests.conftest import run_cli as run
from tests.packs import PROVIDER, write_pack

INTAKE = {"business_name": "限界商店", "entity": "corporation", "industry": "retail", "employees": 3,
          "municipality": "横須賀市", "purposes": ["working"], "amount_yen": 3_000_000}


def _nested(depth: int) -> str:
    """A condition ``depth`` levels deep (the check itself is the last level)."""
    condition = "{check: employees_at_most, params: {limit: 20}}"
    for _ in range(depth - 1):
        condition = "{all_of: [" + condition + "]}"
    return condition


def _wide(checks: int) -> str:
    return "{any_of: [" + ", ".join(["{check: employees_at_most, params: {limit: 20}}"] * checks) + "]}"


def _program(conditions: list[str], *, amount: int = 80_000_000, remarks: str = "備考") -> str:
    listed = "\n".join(f"          - {c}" for c in conditions)
    return f"""\
programs:
  - id: testpref.fund
    provider: testpref
    name: テスト融資
    uses: [working]
    remarks_text: {remarks}
    variants:
      - id: testpref.fund.main
        limit: {{amount_yen: {amount}, text: 限度額}}
        conditions:
{listed}
"""




def test_a_pack_at_every_limit_imports_matches_caches_and_exports(capsys, db, tmp_path):
    pack = write_pack(tmp_path, PROVIDER + _program(
        [_nested(MAX_CONDITION_DEPTH), _wide(MAX_CONDITION_CHECKS)], amount=MAX_INTEGER,
        remarks="長" * MAX_TEXT_CHARS), pack_id="limits-pack")
    assert run(capsys, "validate", str(pack))[0] == 0
    code, out, err = run(capsys, "--db", str(db), "import", str(pack))
    assert code == 0, err
    assert "limits-pack" in out
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps(INTAKE, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db), "match", "--json", "--date", "2026-11-22", str(intake))
    assert code == 0, err
    assert "testpref.fund.main" in {f["id"] for f in json.loads(out)["programs"]}
    assert cache.catalogue_file(sqlite_url(db)).stat().st_size > 0   # the copy on disk was made
    sheet = tmp_path / "sheet.pdf"
    code, _, err = run(capsys, "--db", str(db), "referral", "--date", "2026-11-22", str(intake), "-o", str(sheet))
    assert code == 0, err
    assert sheet.read_bytes().startswith(b"%PDF-")
    code, out, err = run(capsys, "--db", str(db), "export", str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / "limits-pack.yaml").exists()
    assert run(capsys, "validate", str(tmp_path / "out" / "limits-pack.yaml"))[0] == 0   # what it wrote reads back
    assert run(capsys, "--db", str(db), "db", "check")[0] == 0


@pytest.mark.parametrize("body, words", [
    (PROVIDER + _program([_nested(MAX_CONDITION_DEPTH + 1)]), f"上限 {MAX_CONDITION_DEPTH} 段"),
    (PROVIDER + _program([_wide(MAX_CONDITION_CHECKS + 1)]), f"上限 {MAX_CONDITION_CHECKS} 個"),
    (PROVIDER + _program([_nested(400)]), f"上限 {MAX_YAML_DEPTH} 段"),
    (PROVIDER + _program([_nested(1)], remarks="長" * (MAX_TEXT_CHARS + 1)), "文字列が長すぎます"),
    (PROVIDER + _program([_nested(1)], amount=MAX_INTEGER + 1), "値が大きすぎます"),
], ids=["condition depth", "condition checks", "yaml depth", "text length", "integer"])
def test_a_pack_past_a_limit_is_refused_with_its_line(capsys, tmp_path, body, words, reliability):
    pack = write_pack(tmp_path, body, pack_id="past-limit")
    code, _, err = run(capsys, "validate", str(pack))
    assert code == 2
    assert words in err and "past-limit.yaml:" in err, err
    assert "Traceback" not in err
    reliability.add("data packs: past a depth or size limit, refused", packs=1, refused=1)


def test_conditions_400_deep_are_refused_before_import_in_real_processes(tmp_path):
    """The issue's case end to end: once, import validated it, committed, and every later
    command failed with a RecursionError."""
    pack = write_pack(tmp_path, PROVIDER + _program([_nested(400)]), pack_id="deep-pack")
    base = tmp_path / "base"
    proc = subprocess.run([sys.executable, "-m", "desk", "--basedir", str(base), "import", str(pack)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "入れ子が深すぎます" in proc.stderr and "Traceback" not in proc.stderr


def test_db_check_fails_when_the_catalogue_cannot_be_loaded(capsys, db):
    # A database a desk without the limits filled: a condition hundreds of levels deep.
    text = '[' + '{"all_of": [' * 500 + '{"check": "employees_at_most", "params": {"limit": 20}}' + ']}' * 500 + ']'
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE variant SET conditions = ? WHERE id = (SELECT min(id) FROM variant)", (text,))
    code, out, err = run(capsys, "--db", str(db), "db", "check")
    assert code == 1
    assert "カタログを読み込めません" in err and not out
