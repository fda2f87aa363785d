"""The command line: catalogue listings, import/export, validation, db commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from desk.db.migrations import HEAD_REVISION
from tests.conftest import PACKS_DIR, REPO
from tests.conftest import run_cli as run
from tests.packs import PROGRAM, PROVIDER, write_pack


def test_programs_json_carries_sources(capsys, db):
    code, out, _ = run(capsys, "--db", db, "programs", "--json", "--date", "2026-11-22")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2026-11-22"
    assert data["programs"], "the bundled catalogue has programs"
    for program in data["programs"]:
        assert program["source"]["file"], program["id"]
        for variant in program["variants"]:
            assert variant["source"]["file"] and variant["data_as_of"], variant["id"]


def test_programs_table_is_readable(capsys, db):
    code, out, _ = run(capsys, "--db", db, "programs", "--provider", "kanagawa", "--date", "2026-11-22")
    assert code == 0
    assert "日産自動車関連対策特別融資" in out
    assert "制度" in out.splitlines()[0]


def test_unknown_provider_is_a_usage_error(capsys, db):
    code, _, err = run(capsys, "--db", db, "programs", "--provider", "yokohama")
    assert code == 2
    assert err == "desk: 提供者 'yokohama' はありません（あるもの: kanagawa, sagamihara）\n"


def test_before_april_2026_only_the_city_programs_are_in_force(capsys, db):
    code, out, _ = run(capsys, "--db", db, "programs", "--json", "--date", "2026-03-01")
    providers = {p["provider"]["id"] for p in json.loads(out)["programs"]}
    assert code == 0 and providers == {"sagamihara"}


def test_city_programs_after_their_fiscal_year_are_marked_stale(capsys, db):
    _, out, _ = run(capsys, "--db", db, "programs", "--json", "--date", "2026-11-22")
    stale = {p["provider"]["id"]: p["stale"] for p in json.loads(out)["programs"]}
    assert stale == {"kanagawa": False, "sagamihara": True}


def test_contacts_json_for_a_municipality(capsys, db):
    code, out, _ = run(capsys, "--db", db, "contacts", "--json", "--municipality", "横須賀市",
                       "--role", "guarantee_branch")
    assert code == 0
    contacts = json.loads(out)["contacts"]
    assert contacts[0]["name"].endswith("横須賀支店")
    assert contacts[0]["phone"] == "046-822-3821"
    assert contacts[0]["source"]["file"] == "000_52ea44281041b7e4.txt"
    distances = [c["distance_km"] for c in contacts]
    assert distances == sorted(distances)


def test_contacts_for_an_unknown_municipality_is_a_usage_error(capsys, db):
    code, out, err = run(capsys, "--db", db, "contacts", "--municipality", "横須賀町")
    assert code == 2 and out == ""
    assert err.startswith("desk: '横須賀町' は神奈川県の市区町村として登録がありません")
    assert "Traceback" not in err


def test_contacts_by_postal_code(capsys, db):
    code, out, _ = run(capsys, "--db", db, "contacts", "--json", "--postal-code", "238-0008", "--role", "municipality")
    assert code == 0
    data = json.loads(out)
    assert data["place"].startswith("神奈川県横須賀市")
    assert data["contacts"][0]["id"] == "muni.yokosuka"


def test_validate_reports_file_and_line(capsys, tmp_path):
    bad = write_pack(tmp_path, PROVIDER + PROGRAM.replace("amount_yen: 80000000", "amount_yen: -1"))
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2   # bad input (issue 15, item 9)
    assert "test-pack.yaml:" in err and "0以上の整数" in err


def test_import_refuses_a_bad_pack_and_says_nothing_changed(capsys, db, tmp_path):
    bad = write_pack(tmp_path, "plans:\n  - {id: x}\n", pack_id="kanagawa-fy2026")
    code, _, err = run(capsys, "--db", db, "import", str(bad))
    assert code == 2
    assert "データベースは変わっていません" in err and "'name' がありません" in err
    code, out, _ = run(capsys, "--db", db, "programs", "--json", "--provider", "kanagawa", "--date", "2026-11-22")
    assert json.loads(out)["programs"], "the catalogue is untouched"


def test_export_import_export_is_identical(capsys, db, tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run(capsys, "--db", db, "export", str(first))[0] == 0
    monkeypatch.setenv("DESK_RESOURCES", str(tmp_path / "no-bundled-packs"))
    fresh = str(tmp_path / "fresh.sqlite3")
    code, _, err = run(capsys, "--db", fresh, "import", *sorted(str(p) for p in first.glob("*.yaml")))
    assert code == 0, err
    assert run(capsys, "--db", fresh, "export", str(second))[0] == 0
    names = sorted(p.name for p in first.glob("*.yaml"))
    assert names == sorted(p.name for p in second.glob("*.yaml"))
    assert len(names) == len(list(PACKS_DIR.glob("*.yaml")))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_interpretations_survive_the_round_trip(capsys, db, tmp_path):
    run(capsys, "--db", db, "export", str(tmp_path / "out"))
    text = (tmp_path / "out" / "national-directory.yaml").read_text(encoding="utf-8")
    assert "interpretations:" in text and "中小企業活性化協議会" in text


def test_db_upgrade_on_first_run_fills_the_catalogue(capsys, tmp_path):
    target = str(tmp_path / "new.sqlite3")
    code, out, _ = run(capsys, "--db", target, "db", "upgrade")
    assert code == 0
    assert f"（新規） → {HEAD_REVISION}" in out and "取り込み: kanagawa-fy2026" in out
    code, out, _ = run(capsys, "--db", target, "db", "check")
    assert code == 0 and out.startswith("OK: packs ")


def test_first_use_of_any_command_creates_the_database(capsys, tmp_path):
    code, out, _ = run(capsys, "--basedir", str(tmp_path / "fresh"), "programs", "--json")
    assert code == 0 and json.loads(out)["programs"]
    db_file = tmp_path / "fresh" / "data" / "desk.sqlite3"
    assert db_file.exists()
    assert oct(db_file.stat().st_mode & 0o777) == "0o600"
    assert oct(db_file.parent.stat().st_mode & 0o777) == "0o700"


def test_db_check_fails_on_a_broken_database(capsys, tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    code, _, err = run(capsys, "--db", str(broken), "db", "check")
    assert code == 1
    assert err.startswith("desk: データベースを開けません")


def test_python_m_desk_without_a_display_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DESK_BASEDIR"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "desk"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert "画面（ディスプレイ）がないため" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_bare_desk_is_parsed_without_the_commands_parser():
    from desk.cli.entry import _parse_app_start

    args = _parse_app_start(["--db", "x.sqlite3", "--basedir", "b", "--exit-when-loaded"])
    assert (args.command, args.db, args.basedir, args.exit_when_ready, args.exit_when_loaded) == (
        None, "x.sqlite3", "b", False, True)
    # A command, help, the version or a broken option: the full parser decides (and says what is wrong).
    for argv in (["programs"], ["--db", "x", "match", "i.json"], ["--help"], ["-h"], ["--version"], ["--db"],
                 ["--bogus"]):
        assert _parse_app_start(argv) is None, argv


def test_import_lists_what_a_pack_would_remove_and_needs_allow_removals(capsys, db, tmp_path):
    """Issue 15, item 17."""
    from tests.packs import gutted_sagamihara

    gutted = tmp_path / "sagamihara-fy2025.yaml"
    gutted.write_text(gutted_sagamihara((PACKS_DIR / "sagamihara-fy2025.yaml").read_text(encoding="utf-8")),
                      encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "import", str(gutted))
    assert code == 1
    assert "36 件がデータベースからなくなります" in err and "--allow-removals" in err
    assert "窓口 city.sagamihara.sogyo" in err and "データベースは変わっていません" in err
    code, out, _ = run(capsys, "--db", db, "programs", "--json", "--provider", "sagamihara", "--date", "2025-11-22")
    assert len(json.loads(out)["programs"]) == 11
    code, out, err = run(capsys, "--db", db, "import", "--allow-removals", str(gutted))
    assert code == 0, err
    assert "削除した 36 件" in out and "制度 sagamihara.koguchi" in out
    code, out, _ = run(capsys, "--db", db, "programs", "--json", "--provider", "sagamihara", "--date", "2025-11-22")
    assert len(json.loads(out)["programs"]) == 1


def test_db_upgrade_lists_what_a_newer_bundled_pack_removes_and_proceeds(capsys, db, tmp_path, monkeypatch):
    import shutil

    from tests.packs import gutted_sagamihara

    resources = tmp_path / "resources"
    shutil.copytree(PACKS_DIR.parent, resources)
    pack = resources / "data" / "sagamihara-fy2025.yaml"
    pack.write_text(gutted_sagamihara(pack.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv("DESK_RESOURCES", str(resources))
    code, out, err = run(capsys, "--db", db, "db", "upgrade")
    assert code == 0, err
    assert "更新: sagamihara-fy2025" in out and "新しい版にないため削除した 36 件" in out
    assert "制度 sagamihara.koguchi" in out
