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


def _with_shape_keys(catalogue: domain.Catalogue) -> domain.Catalogue:
    # Shape keys hold object identities, which a pickle does not keep: make them anew
    # (the pickle does keep the sharing the keys are made of).
    return replace(catalogue, variants=tuple(replace(v, shape_key=domain.shape_key(v)) for v in catalogue.variants))

