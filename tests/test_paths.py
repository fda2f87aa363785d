"""Where desk keeps its files: the platform's folders for a user's data and settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk import paths

HOME = Path("/home/staff")


def test_linux_follows_the_xdg_base_directories():
    assert paths.user_dirs("linux", {}, HOME) == (HOME / ".local/share", HOME / ".config")
    env = {"XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": "/srv/config"}
    assert paths.user_dirs("linux", env, HOME) == (Path("/srv/data"), Path("/srv/config"))


def test_a_relative_or_blank_xdg_folder_is_ignored_as_the_specification_says():
    env = {"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "  "}
    assert paths.user_dirs("linux", env, HOME) == (HOME / ".local/share", HOME / ".config")


def test_windows_keeps_both_under_local_app_data():
    local = Path("C:/Users/staff/AppData/Local")
    assert paths.user_dirs("win32", {"LOCALAPPDATA": str(local)}, HOME) == (local, local)
    assert paths.user_dirs("win32", {}, HOME) == (HOME / "AppData/Local", HOME / "AppData/Local")


def test_macos_keeps_both_under_application_support():
    support = HOME / "Library/Application Support"
    assert paths.user_dirs("darwin", {}, HOME) == (support, support)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
def test_init_puts_desk_in_its_own_folder_below_them(monkeypatch, tmp_path):
    monkeypatch.delenv("DESK_BASEDIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    where = paths.init(None)
    assert where.default_database == tmp_path / "data" / "desk" / "desk.sqlite3"
    assert where.settings_file == tmp_path / "config" / "desk" / "settings.json"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_desks_own_open_folders_are_closed_and_others_left_alone(tmp_path):
    """Issue 15, item 13: a 0777 data or config folder (and those below it) becomes 0700 when
    desk uses it; the parents above desk's folders and any folder not desk's keep their mode."""
    import os
    import stat

    locations = paths.init(tmp_path / "base")
    cache, config, elsewhere = locations.data_dir / "cache", locations.config_dir, tmp_path / "shared"
    old_umask = os.umask(0)
    try:
        for folder in (cache, config, elsewhere):
            folder.mkdir(parents=True, mode=0o777)
            folder.chmod(0o777)
        locations.data_dir.chmod(0o777)
        (tmp_path / "base").chmod(0o777)
        paths.ensure_private_dir(cache)
        paths.tighten_private_dir(config)
        paths.ensure_private_dir(elsewhere)
        paths.ensure_private_dir(tmp_path / "new" / "folder")
    finally:
        os.umask(old_umask)

    def mode(path):
        return oct(stat.S_IMODE(path.stat().st_mode))

    assert {p.name: mode(p) for p in (cache, locations.data_dir, config)} == {
        "cache": "0o700", "data": "0o700", "config": "0o700"}
    assert mode(tmp_path / "base") == "0o777" and mode(elsewhere) == "0o777"
    assert mode(tmp_path / "new" / "folder") == "0o700"
