"""The catalogue as one in-memory snapshot, and its copy on disk.

:class:`Loaded` is everything a match, a referral sheet and the intake form read from
the database: the catalogue, the offices, the places and the packs. Loading it
through the ORM costs a few hundred milliseconds (SQLAlchemy's import, then every
table); a copy on disk, keyed by the database's catalogue fingerprint, brings it
back in a few milliseconds, so `desk referral` and the app's start need neither.

The copy is a pickle read by an unpickler that knows only the snapshot's own
classes: a tampered file can fail to load, never run code. A copy whose key does
not match (another database, a pack re-imported, an admin edit, a newer desk) is
ignored and rewritten.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from desk import fiscal
from desk.catalogue import domain
from desk.catalogue.offices import Area, OfficeInfo
from desk.costs.guarantee_fee import CoefficientRow, CoefficientTable
from desk.db import cache
from desk.intake.places import MunicipalityRow, PlaceIndex, PostalRow, PrefectureRow

MAGIC = b"desk-catalogue-snapshot\n"


@dataclass(frozen=True)
class PackInfo:
    id: str
    title: str
    version: str
    as_of: dt.date | None
    fiscal_year: int | None
    imported_at: dt.datetime
    checksum: str


@dataclass(frozen=True)
class Loaded:
    fingerprint: tuple[object, ...]
    catalogue: domain.Catalogue
    offices: tuple[OfficeInfo, ...]
    places: PlaceIndex
    packs: tuple[PackInfo, ...] = ()


def pack_summaries(packs: tuple[PackInfo, ...], on: dt.date) -> list[dict[str, Any]]:
    """The packs the database runs on, for the status bar and `desk db check`."""
    return [{
        "id": p.id, "title": p.title, "version": p.version, "as_of": p.as_of.isoformat() if p.as_of else None,
        "fiscal_year": p.fiscal_year, "stale": p.fiscal_year is not None and p.fiscal_year < fiscal.fiscal_year(on),
        "imported_at": p.imported_at.isoformat(timespec="seconds"), "checksum": p.checksum,
    } for p in sorted(packs, key=lambda p: p.id)]


# --- the copy on disk ---------------------------------------------------------------------

_CLASSES = (domain.Tier, domain.Fee, domain.FeeAdjustment, domain.DocumentInfo, domain.Variant, domain.SmeRow,
            domain.SituationInfo, domain.Settlement,
            domain.SmeTable, domain.Provider, domain.PlanInfo, domain.QuestionInfo, domain.Catalogue,
            Area, OfficeInfo, PlaceIndex, PrefectureRow, MunicipalityRow, PostalRow,
            PackInfo, Loaded, CoefficientTable, CoefficientRow)
_ALLOWED = {(c.__module__, c.__qualname__): c for c in _CLASSES} | {
    ("datetime", "date"): dt.date, ("datetime", "datetime"): dt.datetime,
    ("datetime", "timezone"): dt.timezone, ("datetime", "timedelta"): dt.timedelta,
    ("fractions", "Fraction"): Fraction}


def _layout() -> str:
    """The fields of every class in a snapshot: a desk whose classes changed ignores old copies."""
    parts = []
    for cls in _CLASSES:
        names = [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else list(cls._fields)
        parts.append(f"{cls.__module__}.{cls.__qualname__}({','.join(names)})")
    return ";".join(parts)


_LAYOUT = _layout()


def snapshot_key(fingerprint: tuple[object, ...]) -> bytes:
    # The key itself rather than a digest of it: a few hundred bytes, and no hashlib to import.
    return f"{_LAYOUT}|{fingerprint!r}".replace("\n", " ").encode()


def save(path: Path, loaded: Loaded) -> None:
    """Write the copy (desk.db.cache.write)."""
    cache.write(path, MAGIC + snapshot_key(loaded.fingerprint) + b"\n"
                + pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))


def load(path: Path, fingerprint: tuple[object, ...]) -> Loaded | None:
    """The copy at ``path`` if it was made from this fingerprint by this desk, else None."""
    header = MAGIC + snapshot_key(fingerprint) + b"\n"
    try:
        with open(path, "rb") as fh:
            if fh.read(len(header)) != header:
                return None
            # Unpickled from the file as it is read: no second copy of it in memory at start-up.
            loaded = cache.load_restricted(fh, _ALLOWED, "a catalogue snapshot")
    except OSError:
        return None
    except Exception:  # a damaged copy is only a slower start
        return None
    if not isinstance(loaded, Loaded):
        return None
    return replace(loaded, catalogue=_with_shape_keys(loaded.catalogue))


class KeptCopy:
    """The catalogue copy this desk last saved for a database, whatever its fingerprint, as a match
    source (desk.matching.service.CatalogueSource) that never asks the database.

    For a database behind this desk's revision that the connected role may not migrate (issue 17)
    the app cannot load the catalogue through the ORM: this desk's models describe this desk's
    tables, and an older schema's may lack columns or hold them in another form. The copy needs
    nothing of the database: it is in this desk's own classes (the key's layout must be this desk's,
    so a desk whose classes differ never reads it) and was read from this same database (the file
    is keyed by its URL) by a desk at the revision of its day, the trust every start places in a
    copy whose layout and fingerprint match. What it cannot say is whether the server's catalogue
    changed since: ``saved_at`` is when this counter wrote it, for the window to say.
    """

    def __init__(self, loaded: Loaded, saved_at: dt.datetime):
        self.loaded = loaded
        self.saved_at = saved_at

    @classmethod
    def read(cls, path: Path) -> KeptCopy | None:
        """The copy at ``path`` when this desk can read it and it holds a catalogue, else None."""
        prefix = MAGIC + f"{_LAYOUT}|".encode()
        try:
            with open(path, "rb") as fh:
                saved_at = dt.datetime.fromtimestamp(os.fstat(fh.fileno()).st_mtime, dt.UTC)
                header = fh.readline()
                if not header.startswith(MAGIC):
                    return None
                header += fh.readline()   # MAGIC ends in a newline: the key is the second line
                if not header.startswith(prefix):
                    return None
                loaded = cache.load_restricted(fh, _ALLOWED, "a catalogue snapshot")
        except Exception:   # missing, damaged or unreadable: no copy
            return None
        # The key as save() wrote it for the copy's own fingerprint: a file put together from two never passes.
        if (not isinstance(loaded, Loaded) or header != MAGIC + snapshot_key(loaded.fingerprint) + b"\n"
                or not cache.is_ready(loaded.fingerprint)):
            return None
        return cls(replace(loaded, catalogue=_with_shape_keys(loaded.catalogue)), saved_at)

    def fingerprint(self) -> tuple[object, ...]:
        return self.loaded.fingerprint

    def load(self, fingerprint: tuple[object, ...]) -> Loaded:
        return self.loaded


def _with_shape_keys(catalogue: domain.Catalogue) -> domain.Catalogue:
    # Shape keys hold object identities, which a pickle does not keep: make them anew
    # (the pickle does keep the sharing the keys are made of).
    return replace(catalogue, variants=tuple(replace(v, shape_key=domain.shape_key(v)) for v in catalogue.variants))

