"""Exporting the database as data packs: one YAML file per pack, written atomically.

Export, import into an empty database and export again gives identical files:
the writer is deterministic and every value (interpretations included) is a field.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db.packs import mapping, yamlio
from desk.fileio import atomic_write_text

HEADER = "# desk data pack: exported by `desk export`; format in docs/DATA_PACKS.md\n"


def export_text(session: Session, pack: m.DataPack) -> str:
    return HEADER + yamlio.dump(mapping.to_records(session, pack))


def export_packs(session: Session, directory: str | Path) -> list[Path]:
    """Write every pack of the database into ``directory`` as ``<pack id>.yaml``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for pack in session.scalars(select(m.DataPack).order_by(m.DataPack.id)):
        written.append(atomic_write_text(directory / f"{pack.id}.yaml", export_text(session, pack), mode=0o644))
    return written
