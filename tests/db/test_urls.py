"""Database URLs: a scheme desk does not run on is one line and exit 2 (issue 15, item 11)."""

from __future__ import annotations

import json

import pytest

from desk import cli, paths


@pytest.mark.parametrize("url", ["nonsense://x", "mysql://desk@server/desk", "postgresql+asyncpg://s/d", "://"])
def test_an_unknown_scheme_is_one_line_and_exit_2(capsys, url):
    code = cli.main(["--db", url, "programs"])
    err = capsys.readouterr().err
    assert code == 2 and "対応していません" in err and len(err.strip().splitlines()) == 1


def test_the_same_from_the_settings(capsys):
    settings = paths.get().settings_file
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"database_url": "mysql://desk@server/desk"}), encoding="utf-8")
    assert cli.main(["log", "purge", "--older-than", "30"]) == 2
    assert "'mysql'" in capsys.readouterr().err
