"""`make reliability`: run the reliability tests and write docs/RELIABILITY.md from what they tried.

    python tools/reliability.py [--long] [--check]

The figures (inputs fuzzed, packs refused, kill points, concurrent writes, records lost)
come from the tests themselves (the `reliability` fixture in tests/conftest.py), so the
document says what this run really did. --long adds the `slow` runs (every kill point,
20,000 fuzzed inputs per engine fuzzer and 10,000 per hostile-input fuzzer (intakes, packs, log
files), a soak of concurrent writers); the default run's hostile-input fuzzers try a derandomised
1,000 each. --check fails when the tests fail or
when docs/RELIABILITY.md says something else than the run (CI can use it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "RELIABILITY.md"

# What the issue asks, and the tests that show it (files under tests/).
GUARANTEES = [
    ("Bad intake input (wrong types, absurd numbers, full-width, broken JSON, huge files; thousands of digits, "
     "nesting 100,000 deep, lone surrogates, thousands of keys): a message naming the field, exit 2, never a "
     "traceback", ["test_fuzz.py", "test_fuzz_hostile.py", "intake/test_reader.py", "cli/test_match.py",
                   "cli/test_referral.py"]),
    ("Broken data packs refused with file, record and line; the database untouched; nothing in a pack runs code; "
     "depth and size bounded, and what validates imports, matches, caches and exports",
     ["db/test_pack_rejections.py", "db/test_pack_schema.py", "db/test_importer.py", "db/test_pack_limits.py",
      "test_fuzz_hostile.py"]),
    ("Admin edits go through the pack validation", ["db/test_admin.py", "ui/test_admin_dialog.py"]),
    ("SIGKILL during an import, a migration or a log write: the database as before (or after), db check passes",
     ["faults/test_kill.py"]),
    ("Backups before every migration and import, rotated; desk db backup / backups / restore",
     ["db/test_backup.py"]),
    ("Concurrent writers on one SQLite file: no 'database is locked', nothing lost; network shares warned about",
     ["faults/test_concurrency.py", "db/test_location.py", "db/test_quick.py"]),
    ("Files written atomically; database, WAL, backups, cache and settings 0600 in 0700 folders",
     ["test_private_files.py", "cli/test_referral.py"]),
    ("Personal details only when typed, purged by retention (desk log purge), left out of exports unless asked",
     ["db/test_consultations.py", "ui/test_log_dialog.py"]),
    ("No network: every socket but loopback and Unix sockets refused for the whole suite",
     ["test_offline.py"]),
    ("Text reaching SQL or a PDF cannot inject; search with quotes, %, _ and < is literal",
     ["db/test_consultations.py", "sheets/test_referral.py"]),
    # Issue 15: what an adversarial run of about 1,750 commands broke, each family with its tests.
    ("Never a traceback: one hostile-input harness over every command of the parser and every file it "
     "reads (inputs, settings, databases), a command added later attacked as it lands",
     ["faults/test_hostile_harness.py"]),
    ("Read only regular files within a size limit (/dev/zero, /dev/urandom, a FIFO, a folder refused at once); "
     "write only onto regular files or new names in existing folders (device nodes refused, /dev/full, a full "
     "tmpfs and RLIMIT_FSIZE one line, no partial file)",
     ["test_fileio.py", "faults/test_files.py"]),
    ("Personal files 0600 from creation whatever the umask (sheets, exports, window.ini, backups); desk's "
     "folders closed to 0700; backups lose names and phones with desk log purge",
     ["test_private_files.py", "faults/test_files.py", "db/test_backup.py", "db/test_consultations.py",
      "ui/test_retention.py"]),
    ("A consultation is logged exactly when its sheet exists: SIGTERM, SIGHUP and SIGKILL at every point of a "
     "referral, and with the app's preview open",
     ["faults/test_referral_signals.py", "ui/test_referral_preview.py"]),
    ("One device id, made once under a lock, every record exportable; concurrent backups and imports queue "
     "instead of failing; a lock held too long and a constraint error say what happened",
     ["log/test_device_id.py", "faults/test_concurrent_backups.py", "faults/test_database_busy.py"]),
    ("A database that is not desk's (another application's SQLite file, a fake backup, a newer desk's) is "
     "refused in one line and left as it was; a restore is checked, read and purged before it is used",
     ["db/test_guard.py", "db/test_restore.py", "db/test_store.py", "db/test_urls.py"]),
    ("Log files checked record by record before anything is imported; CSV cells never run as formulas; text "
     "from files printed to a terminal can neither retitle nor clear it",
     ["db/test_logsync.py", "db/test_fuzz_logfile.py", "db/test_consultations.py", "cli/test_terminal.py"]),
    # Issue 17: many windows on one PostgreSQL server, each a login role under row-level security.
    ("Many windows, one server: a window sees and changes only its own records, whatever it sends or types in "
     "psql (another window's rows are neither read, updated, deleted nor added to; a record is stamped with the "
     "connected window); it cannot change the catalogue nor read the audit trail; the report role counts without "
     "personal fields; another window reads a record only with the visitor's consent, each read recorded; a log "
     "file made for one window goes into no other. The figures count the attempts, the refusals (an error, or "
     "nothing seen or changed) and the leaks",
     ["db/test_server_roles.py"]),
]


def run_tests(long: bool, figures_file: Path, junit: Path) -> int:
    files = sorted({f for _, fs in GUARANTEES for f in fs})
    marker = "slow or not slow" if long else "not slow"
    env = {**os.environ, "DESK_RELIABILITY_JSON": str(figures_file), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marker,
               f"--junitxml={junit}", *[f"tests/{f}" for f in files]]
    return subprocess.run(command, cwd=REPO, env=env).returncode


def test_counts(junit: Path) -> dict[str, tuple[int, int]]:
    """passed, failed per test file."""
    counts: dict[str, list[int]] = {}
    for case in ET.parse(junit).iter("testcase"):
        module = case.get("classname", "").split(".")
        path = "/".join(module[1:]) + ".py" if module and module[0] == "tests" else ".".join(module)
        failed = any(child.tag in ("failure", "error") for child in case)
        skipped = any(child.tag == "skipped" for child in case)
        entry = counts.setdefault(path, [0, 0])
        if failed:
            entry[1] += 1
        elif not skipped:
            entry[0] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def render(figures: dict[str, dict[str, int]], counts: dict[str, tuple[int, int]], long: bool) -> str:
    lines = [
        "# Reliability: what was tried, and what happened",
        "",
        "Written by `make reliability` (`python tools/reliability.py`" + (" --long" if long else "") + ") from one run "
        "of the reliability tests; the figures are counted by the tests themselves. "
        "`make reliability-long` adds the long runs (every kill point, 20,000 fuzzed inputs per engine fuzzer and "
        "10,000 random ones per hostile-input fuzzer, a soak of concurrent writers); the default run's hostile-input "
        "fuzzers try the same derandomised 1,000 inputs each every time.",
        "",
        f"Run: {dt.date.today().isoformat()}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {'long' if long else 'default'} run.",
        "",
        "## Figures",
        "",
        "| What was tried | Figures |",
        "|---|---|",
    ]
    for row, values in sorted(figures.items()):
        shown = ", ".join(f"{key.replace('_', ' ')} {value:,}" for key, value in values.items())
        lines.append(f"| {row} | {shown} |")
    lost = sum(v.get("records_lost", 0) for v in figures.values())
    crashes = sum(v.get("crashes", 0) for v in figures.values())
    lines += ["", f"Records lost: **{lost}**. Crashes (an exception other than a named message): **{crashes}**.", "",
              "## Guarantees and the tests that show them", "", "| Guarantee | Tests (passed / failed) |", "|---|---|"]
    for text, files in GUARANTEES:
        shown = "; ".join(f"`tests/{f}` {counts.get(f, (0, 0))[0]} / {counts.get(f, (0, 0))[1]}" for f in files)
        lines.append(f"| {text} | {shown} |")
    lines.append("")
    return "\n".join(lines)


def _stable_rows(document: str) -> list[str]:
    """The table rows, without the figures that differ from run to run by design (how the
    fuzzers' random inputs split between matched and refused)."""
    import re

    rows = [line for line in document.splitlines() if line.startswith("| ")]
    return [re.sub(r", (matched|refused|accepted) \d{1,3}(?:,\d{3})*", "", row) if row.startswith("| fuzz:") else row
            for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--long", action="store_true", help="include the slow runs")
    parser.add_argument("--check", action="store_true",
                        help="fail unless the tests pass and the document's figures match this run's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures_file, junit = Path(tmp) / "figures.json", Path(tmp) / "junit.xml"
        code = run_tests(args.long, figures_file, junit)
        figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.exists() else {}
        counts = test_counts(junit) if junit.exists() else {}
    if code != 0:
        print("reliability: tests failed; docs/RELIABILITY.md not written", file=sys.stderr)
        return code
    text = render(figures, counts, args.long)
    if args.check:
        if not DOC.exists() or _stable_rows(DOC.read_text(encoding="utf-8")) != _stable_rows(text):
            print("reliability: docs/RELIABILITY.md differs from this run (make reliability)", file=sys.stderr)
            return 1
        print("reliability: docs/RELIABILITY.md matches this run")
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
