"""The declarative base every table of desk derives from, and what catalogue rows share."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON, list[str]: JSON}


def _pack_fk() -> Mapped[str]:
    return mapped_column(String(64), ForeignKey("data_pack.id", ondelete="CASCADE"), index=True)


class SourcedMixin:
    """Where a record's values come from: the seed file, its section, its date."""

    source_file: Mapped[str | None] = mapped_column(String(128))
    source_section: Mapped[str | None] = mapped_column(Text)
    as_of: Mapped[dt.date | None] = mapped_column(Date)


class AnnotatedMixin:
    notes: Mapped[list[str]] = mapped_column(default=list)
    interpretations: Mapped[list[str]] = mapped_column(default=list)
