"""What desk writes about consultations is readable by the user alone: 0600 files in 0700 folders."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from desk.cli import main


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_backups_copy_and_settings_are_private(tmp_path, capsys):
    base = tmp_path / "base"
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"municipality": "横須賀市", "visitor_name": "山田"}), encoding="utf-8")
    assert main(["--basedir", str(base), "db", "upgrade"]) == 0
    assert main(["--basedir", str(base), "referral", str(intake), "-o", str(tmp_path / "sheet.pdf")]) == 0
    assert main(["--basedir", str(base), "db", "backup"]) == 0
    data = base / "data"
    files = [p for p in data.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"desk.sqlite3", "desk.sqlite3-wal", "desk.sqlite3-shm"} <= names
    assert any(p.parent.name == "backups" for p in files) and any(p.parent.name == "cache" for p in files)
    assert {p: oct(_mode(p)) for p in files if _mode(p) != 0o600} == {}
    folders = [data, *[p for p in data.rglob("*") if p.is_dir()]]
    assert {p: oct(_mode(p)) for p in folders if _mode(p) != 0o700} == {}
    settings = base / "config" / "settings.json"      # the device id was made for the reference number
    assert _mode(settings) == 0o600 and _mode(settings.parent) == 0o700
    assert _mode(tmp_path / "sheet.pdf") == 0o600       # the visitor's name and phone (issue 15, item 13)
