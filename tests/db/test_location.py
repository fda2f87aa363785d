"""A SQLite database on a network share is warned about, by the CLI and the app."""

from __future__ import annotations

from pathlib import Path

from desk.db import location

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /home rw,relatime shared:20 - ext4 /dev/sda2 rw
41 40 0:36 / /home/share rw,relatime shared:21 - cifs //server/desk rw,vers=3.0
42 22 0:37 / /mnt/nfs\\040data rw,relatime - nfs4 server:/export rw
"""


def test_the_mount_holding_a_path_decides():
    assert location.linux_filesystem(Path("/home/staff/desk.sqlite3"), MOUNTINFO) == "ext4"
    assert location.linux_filesystem(Path("/home/share/desk/desk.sqlite3"), MOUNTINFO) == "cifs"
    assert location.linux_filesystem(Path("/home/shared/desk.sqlite3"), MOUNTINFO) == "ext4"   # not /home/share
    assert location.linux_filesystem(Path("/mnt/nfs data/desk.sqlite3"), MOUNTINFO) == "nfs4"


def test_a_share_is_warned_about_and_a_local_disk_is_not(tmp_path):
    assert location.network_share_warning(tmp_path / "desk.sqlite3", "ext4") is None
    warning = location.network_share_warning(tmp_path / "desk.sqlite3", "cifs")
    assert warning and "共有フォルダ（cifs）" in warning and "PostgreSQL" in warning
    assert location.network_share_warning(tmp_path / "desk.sqlite3") is None     # the test folder is local


def test_the_cli_warns_and_goes_on(catalogue_engine, monkeypatch, capsys, tmp_path):
    import json

    from desk.cli import main

    monkeypatch.setattr(location, "filesystem_type", lambda path: "nfs4")
    intake = tmp_path / "i.json"
    intake.write_text(json.dumps({"municipality": "横須賀市"}), encoding="utf-8")
    assert main(["--db", catalogue_engine.url.render_as_string(), "match", str(intake), "--json"]) == 0
    captured = capsys.readouterr()
    assert "警告: データベース" in captured.err and "nfs4" in captured.err and json.loads(captured.out)
