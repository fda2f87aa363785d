"""The form in progress, kept on disk: a crash or a power cut mid-consultation loses nothing.

The window writes what its form holds (the intake as plain data, as typed: a value still in
error included) to one file in the user's data folder a moment after the last edit, removes it
when the consultation ends normally, and offers a file still there back at the next start.

The file holds personal data (the visitor's name and phone): it is private (0600, in a private
folder) and written atomically, so a crash mid-write leaves the previous draft whole. A file
this desk cannot read is set aside under another name (kept for whoever wants to look, never
read again), never a reason for the app not to start.

The app's start asks only whether the file exists (``paths.get().draft_file``, without
importing this module); reading it comes later.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, NamedTuple

FORMAT = "desk-draft/1"
MAX_BYTES = 1024 * 1024   # a form's worth is a few kB: anything near this is not a draft


class DraftDamaged(ValueError):
    """A draft file this desk cannot read (cut short, overwritten, from a newer desk); the message says why."""


class Draft(NamedTuple):
    saved_at: dt.datetime      # aware
    data: dict[str, Any]       # the form's intake data, as the form gave it

    @property
    def saved_label(self) -> str:
        """When it was saved, as the clerk's clock says it: 2026-11-22 14:05."""
        return self.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")


def draft_file() -> Path:
    """The draft's place: the user's data folder (or the --basedir one)."""
    from desk import paths

    return paths.get().draft_file


def write(path: Path, data: dict[str, Any], *, now: dt.datetime | None = None) -> None:
    """Keep ``data`` as the draft (raises OSError: the caller says so and carries on)."""
    import json

    from desk.fileio import atomic_write_text
    from desk.paths import ensure_private_dir

    ensure_private_dir(path.parent)
    document = {"format": FORMAT, "saved_at": (now or dt.datetime.now(dt.UTC)).isoformat(), "intake": data}
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n", mode=0o600)


def read(path: Path) -> Draft:
    """The draft at ``path``; raises DraftDamaged for anything but a whole draft, FileNotFoundError
    when there is none."""
    import json

    from desk.fileio import FileRefused, read_regular_file

    try:
        document = json.loads(read_regular_file(path, limit=MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise
    except FileRefused as exc:
        raise DraftDamaged(exc.reason) from exc
    except OSError as exc:
        raise DraftDamaged(f"ファイルを開けません（{exc.strerror}）") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DraftDamaged("ファイルの中身が壊れています") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DraftDamaged("入力の一時保存のファイルではありません")
    data = document.get("intake")
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise DraftDamaged("入力内容の形が正しくありません")
    try:
        saved_at = dt.datetime.fromisoformat(document.get("saved_at") or "")
    except (TypeError, ValueError) as exc:
        raise DraftDamaged("保存した日時が読めません") from exc
    if saved_at.tzinfo is None:
        raise DraftDamaged("保存した日時が読めません")
    return Draft(saved_at, data)


def set_aside(path: Path, *, now: dt.datetime | None = None) -> Path | None:
    """Move a damaged draft out of the way (it is never offered again); its new name, or None
    when it could not be moved (then it is removed: it must not stop every later start)."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone()
    target = path.with_name(f"{path.stem}.damaged-{moment:%Y%m%d-%H%M%S}{path.suffix}")
    try:
        os.replace(path, target)
        return target
    except OSError:
        remove(path)
        return None


def remove(path: Path) -> None:
    """The consultation ended normally: no draft. A file that will not go is left to be offered again."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
