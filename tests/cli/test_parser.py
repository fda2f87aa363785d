"""The command line's grammar errors: one Japanese line that names what to fix, exit code 2."""

from __future__ import annotations

import pytest

from desk import cli
from desk.cli.parser import japanese_error

CASES = [
    (["referral", "in.json"], "desk referral: 指定が足りません: -o/--output（使い方: desk referral -h）"),
    (["match"], "desk match: 指定が足りません: INTAKE.json（使い方: desk match -h）"),
    (["referral", "--reprint"], "desk referral: --reprint の後に値を書いてください（使い方: desk referral -h）"),
    (["log"], "desk log: 指定が足りません: 操作（使い方: desk log -h）"),
    (["nosuch"], "desk: コマンド 'nosuch' はありません（あるもの: programs, match, "),
    (["contacts", "--role", "zzz"], "desk contacts: --role に 'zzz' は使えません（使えるもの: guarantee_branch, "),
    (["match", "x.json", "--bogus"], "desk: 知らない指定です: --bogus（使い方: desk -h）"),
    (["match", "x.json", "--date", "2026-13-01"], "desk match: --date: 日付は YYYY-MM-DD で指定してください"),
]


@pytest.mark.parametrize(("argv", "said"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_a_grammar_error_is_one_japanese_line_and_exit_2(capsys, argv, said):
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(said) and err.count("\n") == 1
    assert "usage" not in err and "error:" not in err


def test_a_message_argparse_does_not_make_is_shown_as_it_is():
    assert japanese_error("something new") == "something new"
