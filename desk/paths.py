"""Where desk keeps its files, decided once at start-up.

Like qutebrowser's ``standarddir``: :func:`init` fills the locations (with a
``--basedir`` or ``DESK_BASEDIR`` override, which tests use), everything else asks
:func:`get`. Importing this module has no side effects.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

APP_NAME = "desk"
_REPO_RESOURCES = Path(__file__).resolve().parent.parent / "resources"
_INSTALLED_RESOURCES = Path(sys.prefix) / "share" / APP_NAME   # from the wheel (pyproject's data-files)


def bundled_resources() -> Path:
    """The bundled data: the checkout's when desk runs from one, else the installed wheel's."""
    return _REPO_RESOURCES if (_REPO_RESOURCES / "data").is_dir() else _INSTALLED_RESOURCES


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
    def draft_file(self) -> Path:   # the form in progress (desk.intake.draft)
        return self.data_dir / "draft-intake.json"

    @property
    def data_packs_dir(self) -> Path:
        return self.resources_dir / "data"


_locations: Locations | None = None


def init(basedir: str | os.PathLike[str] | None = None) -> Locations:
    """Fill the locations; ``basedir`` puts data and config below one folder."""
    global _locations
    basedir = basedir or os.environ.get("DESK_BASEDIR") or None
    resources = Path(os.environ.get("DESK_RESOURCES") or bundled_resources())
    if basedir:
        base = Path(basedir).expanduser().resolve()
        _locations = Locations(base / "data", base / "config", resources)
    else:
        data, config = user_dirs()
        _locations = Locations(data / APP_NAME, config / APP_NAME, resources)
    return _locations


def user_dirs(platform: str = sys.platform, env: Mapping[str, str] = os.environ,
              home: Path | None = None) -> tuple[Path, Path]:
    """The folders the platform gives a user's application data and settings: the same as
    platformdirs' ``user_data_dir`` and ``user_config_dir``, written out here: importing
    platformdirs (tempfile, shutil and random come with it) cost the app's start a few ms."""
    home = home or Path.home()
    if platform == "win32":   # both under %LOCALAPPDATA%: a counter's data stays on its own machine
        local = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return local, local
    if platform == "darwin":
        support = home / "Library" / "Application Support"
        return support, support
    # The XDG Base Directory specification: a relative path in the variable is to be ignored.
    return _xdg(env, "XDG_DATA_HOME", home / ".local" / "share"), _xdg(env, "XDG_CONFIG_HOME", home / ".config")


def _xdg(env: Mapping[str, str], name: str, default: Path) -> Path:
    value = env.get(name, "").strip()
    return Path(value) if value and os.path.isabs(value) else default


def get() -> Locations:
    return _locations if _locations is not None else init()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` readable by the user alone (it holds consultation data); one of desk's
    own folders found open to others is closed (:func:`tighten_private_dir`)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten_private_dir(path)
    return path


def tighten_private_dir(path: Path) -> None:
    """Make ``path`` and its parents up to desk's data or config folder 0700 when others may
    enter them: a 0777 folder (made by hand, by an installer, by an old desk under umask 0)
    lets any user read the consultations, or swap the database for another. Only desk's own
    folders: the folder a ``--db`` file sits in, /tmp say, is not desk's to change."""
    if os.name != "posix":
        return   # Windows: the folder's ACL decides, and the user's profile is private already
    locations = get()
    try:
        path = path.resolve()
        roots = [root.resolve() for root in (locations.data_dir, locations.config_dir)]
    except OSError:
        return
    for root in roots:
        if path != root and root not in path.parents:
            continue
        for folder in (path, *path.parents):
            _close_folder(folder)
            if folder == root:
                return


def _close_folder(folder: Path) -> None:
    try:
        st = os.stat(folder)
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            os.chmod(folder, 0o700)
    except OSError:
        pass   # gone, or not ours to change: the files inside are still 0600
