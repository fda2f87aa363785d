"""Where desk keeps its files, decided once at start-up.

Like qutebrowser's ``standarddir``: :func:`init` fills the locations (with a
``--basedir`` or ``DESK_BASEDIR`` override, which tests use), everything else asks
:func:`get`. Importing this module has no side effects.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

APP_NAME = "desk"
_REPO_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


class Locations(NamedTuple):   # a NamedTuple, not a dataclass: a tenth of the cost at start-up
    data_dir: Path        # the database, backups, the consultation log
    config_dir: Path      # settings.json
    resources_dir: Path   # bundled data packs, fonts, icons

    @property
    def default_database(self) -> Path:
        return self.data_dir / "desk.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def data_packs_dir(self) -> Path:
        return self.resources_dir / "data"


_locations: Locations | None = None


def init(basedir: str | os.PathLike[str] | None = None) -> Locations:
    """Fill the locations; ``basedir`` puts data and config below one folder."""
    global _locations
    basedir = basedir or os.environ.get("DESK_BASEDIR") or None
    resources = Path(os.environ.get("DESK_RESOURCES") or _REPO_RESOURCES)
    if basedir:
        base = Path(basedir).expanduser().resolve()
        _locations = Locations(base / "data", base / "config", resources)
    else:
        import platformdirs

        _locations = Locations(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            resources,
        )
    return _locations


def get() -> Locations:
    return _locations if _locations is not None else init()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` readable by the user alone (it holds consultation data)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
