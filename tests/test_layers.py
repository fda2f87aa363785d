"""The layers hold: SQL only under desk/db, the UI sees only the data layer's interfaces, the core no Qt.

Every import counts, at module level or inside a function, under TYPE_CHECKING too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

DESK = REPO / "desk"


def _modules(under: str = "") -> list[Path]:
    return sorted((DESK / under).rglob("*.py"))


def _part(path: Path) -> str:
    return path.relative_to(DESK).parts[0]


def _imports(path: Path) -> Iterator[tuple[ast.stmt, str]]:
    """Each imported module's full name (``from desk.db import services`` gives desk.db.services)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node, node.module
            for alias in node.names:
                yield node, f"{node.module}.{alias.name}"


def _where(path: Path, node: ast.stmt) -> str:
    return f"{path.relative_to(REPO)}:{node.lineno}"


def test_nothing_outside_the_data_layer_imports_sqlalchemy():
    offenders = [f"{_where(path, node)} imports {name}" for path in _modules() if _part(path) != "db"
                 for node, name in _imports(path) if name == "sqlalchemy" or name.startswith("sqlalchemy.")]
    assert offenders == []


def test_the_ui_imports_only_the_data_layers_interfaces():
    # `from desk.db import services` names desk.db (the package, nothing in it) and desk.db.services.
    offenders = [f"{_where(path, node)} imports {name}" for path in _modules("ui")
                 for node, name in _imports(path)
                 if name.startswith("desk.db.") and name.split(".")[2] != "services"]
    assert offenders == []


def test_no_core_module_imports_qt_or_the_ui():
    offenders = [f"{_where(path, node)} imports {name}" for path in _modules() if _part(path) != "ui"
                 for node, name in _imports(path)
                 if name.startswith(("PySide6", "shiboken6", "desk.ui")) and not _is_app_entry(path, node)]
    assert offenders == []


def _is_app_entry(path: Path, node: ast.stmt) -> bool:
    # `desk` with no arguments starts the app: desk/cli/entry.py imports desk.ui lazily, inside that function only.
    return path.relative_to(REPO).as_posix() == "desk/cli/entry.py" and node.col_offset > 0


def test_the_checks_see_what_they_look_for(tmp_path):
    """The walker finds imports inside functions and under TYPE_CHECKING (a check that cannot fail is no check)."""
    sample = tmp_path / "sample.py"
    sample.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlalchemy.orm import Session\n"
                      "def f():\n    import sqlalchemy\n    from desk.db import admin, services\n", encoding="utf-8")
    names = [name for _node, name in _imports(sample)]
    assert {"sqlalchemy.orm", "sqlalchemy", "desk.db.admin", "desk.db.services"} <= set(names)


def test_running_the_cli_loads_no_qt(tmp_path):
    code = ("import sys; from desk import cli; "
            "rc = cli.main(['--basedir', sys.argv[1], 'programs', '--json']); "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt was imported'; "
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
