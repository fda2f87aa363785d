"""Record each bundled pack's version and checksum in resources/data/packs.lock.

Run after changing a pack (and bumping its `version`): `desk db upgrade` brings a pack
to existing databases only when its version differs, so content changed under an old
version would never reach them. tests/db/test_pack_lock.py fails until this is run,
and fails outright when a pack's content changed but its version did not.

    .venv/bin/python tools/pack_lock.py
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "resources" / "data"
LOCK = DATA / "packs.lock"


def current() -> dict[str, tuple[str, str]]:
    out = {}
    for path in sorted(DATA.glob("*.yaml")):
        raw = path.read_bytes()
        header = yaml.safe_load(raw)["pack"]
        out[path.name] = (str(header["version"]), hashlib.sha256(raw).hexdigest())
    return out


def read_lock() -> dict[str, tuple[str, str]]:
    if not LOCK.exists():
        return {}
    rows = (line.split() for line in LOCK.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return {name: (version, digest) for name, version, digest in rows}


def main() -> int:
    lines = ["# pack version sha256 — written by tools/pack_lock.py; bump a pack's version when its content changes"]
    lines += [f"{name} {version} {digest}" for name, (version, digest) in current().items()]
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{LOCK}: {len(lines) - 1} packs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
