"""A pack whose content changes must change its version, or databases never receive it."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("pack_lock", REPO / "tools" / "pack_lock.py")
pack_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pack_lock)


def test_changed_packs_have_new_versions_and_the_lock_is_current():
    locked, now = pack_lock.read_lock(), pack_lock.current()
    same_version = [name for name, (version, digest) in now.items()
                    if name in locked and locked[name][0] == version and locked[name][1] != digest]
    assert same_version == [], f"content changed without a version bump: {same_version}"
    assert locked == now, "run .venv/bin/python tools/pack_lock.py after bumping the versions"
