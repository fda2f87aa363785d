"""What desk prints from a file or the database reaches the terminal harmless (issue 15, item 15).

Real escape sequences (the window's title, clearing the screen, a one-byte C1 CSI, a bidi
override) in a municipality outside Kanagawa, a business name and an unknown key, printed by
real desk processes: not one control byte may reach the terminal, and ``--json`` must still
give back the very same text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desk.textfmt import terminal_safe

REPO = Path(__file__).resolve().parents[2]
RETITLE, CLEAR, C1_CSI, RLO = "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x9b31m", "\u202e"
HOSTILE = f"{RETITLE}{CLEAR}千代田区{C1_CSI}{RLO}"
# Bytes a terminal acts on, as UTF-8: C0 but tab and newline, DEL, C1 (U+0080-U+009F, 0xC2 0x80-0x9F),
# the bidi embeddings, overrides and isolates, the line and paragraph separators.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")



def desk(tmp_path: Path, db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "desk", "--basedir", str(tmp_path / "base"), "--db", str(db), *args],
                          cwd=REPO, env=env, capture_output=True, timeout=120)


def _clean(done: subprocess.CompletedProcess[bytes]) -> None:
    for name, stream in (("stdout", done.stdout), ("stderr", done.stderr)):
        found = CONTROL_BYTES.search(stream)
        assert found is None, f"{name} holds {found.group()!r}: {stream[max(0, found.start() - 60):found.end()]!r}"


def test_match_prints_a_hostile_municipality_visible_and_harmless(tmp_path, db):
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"prefecture": "東京都", "municipality": HOSTILE, "business_name": CLEAR + "商店",
                                  RETITLE: 1}, ensure_ascii=False), encoding="utf-8")
    done = desk(tmp_path, db, "match", str(intake))
    assert done.returncode == 0, done.stderr.decode()
    _clean(done)
    out = done.stdout.decode()
    assert r"\u001b]0;pwned\u0007\u001b[2J\u001b[H千代田区\u009b31m\u202e" in out   # shown, not obeyed
    # The warning names the key, harmless (the reader quotes it escaped, \x1b; _clean found no control byte).
    assert r"未知のキー '\x1b]0;pwned\x07'" in done.stderr.decode()


def test_match_json_keeps_the_exact_text(tmp_path, db):
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"prefecture": "東京都", "municipality": HOSTILE}, ensure_ascii=False),
                      encoding="utf-8")
    done = desk(tmp_path, db, "match", "--json", str(intake))
    assert done.returncode == 0, done.stderr.decode()
    _clean(done)
    assert json.loads(done.stdout)["place"] == "東京都" + HOSTILE


def test_contacts_prints_a_hostile_municipality_harmless(tmp_path, db):
    done = desk(tmp_path, db, "contacts", "--prefecture", "東京都", "--municipality", HOSTILE)
    _clean(done)
    assert "\\u001b]0;pwned" in (done.stdout + done.stderr).decode()


def test_a_bad_intake_value_is_said_harmless(tmp_path, db):
    intake = tmp_path / "intake.json"
    intake.write_text(json.dumps({"industry": CLEAR + "x"}), encoding="utf-8")
    done = desk(tmp_path, db, "match", str(intake))
    assert done.returncode == 2
    _clean(done)


@pytest.mark.parametrize("char", [chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))]
                         + ["\u061c", "\u200e", "\u200f", "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d",
                            "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ud800", "\udfff"])
def test_terminal_safe_writes_every_control_as_its_escape(char):
    shown = terminal_safe(f"a{char}b")
    assert shown == f"a\\u{ord(char):04x}b" and terminal_safe(shown) == shown
    assert json.loads(f'"{shown}"') == f"a{char}b"   # the JSON escape of the very character


def test_terminal_safe_leaves_text_tabs_and_newlines():
    text = "横須賀市\t045-210-5695\n（株）追浜精工　①Ｈ２ 👍 e\u0301 \u200d"
    assert terminal_safe(text) == text
