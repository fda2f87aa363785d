"""The contact directory's offices as plain, immutable objects: who they are, where, and the areas
they serve (loaded once; selecting contacts for a visitor is :mod:`desk.matching.contacts`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    prefecture: str
    municipality: str | None
    towns: list[str] | None


@dataclass(frozen=True)
class OfficeInfo:
    id: str
    name: str
    name_current: str | None
    role: str
    organisation: str | None
    department: str | None
    phone: str | None
    address: str | None
    hours: str | None
    url: str | None
    prefecture: str | None
    municipality: str | None
    lat: float | None
    lon: float | None
    areas: tuple[Area, ...]
    issues: tuple[str, ...]
    from_seed: bool
    source_file: str | None
    as_of: str | None
