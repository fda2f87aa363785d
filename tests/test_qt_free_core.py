"""The core never imports Qt: the CLI and scripts run without a display."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CORE = [p for p in (REPO / "desk").rglob("*.py") if "ui" not in p.relative_to(REPO / "desk").parts]


def test_no_core_module_imports_qt_or_the_ui():
    offenders = []
    for path in CORE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith(("PySide6", "shiboken6", "desk.ui")) and not _is_app_entry(path, node):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} imports {name}")
    assert offenders == []


def _is_app_entry(path: Path, node: ast.AST) -> bool:
    # `desk` with no arguments starts the app: desk/cli/entry.py imports desk.ui lazily, inside that function only.
    return path.relative_to(REPO).as_posix() == "desk/cli/entry.py" and getattr(node, "col_offset", 0) > 0


def test_running_the_cli_loads_no_qt(tmp_path):
    code = ("import sys; from desk import cli; "
            "rc = cli.main(['--basedir', sys.argv[1], 'programs', '--json']); "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt was imported'; "
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
