"""The shared server's own tables: the windows, the record of provision, the catalogue's audit trail.

They exist in every database (one schema everywhere, revision 0008) but only a PostgreSQL server
set up by `desk server init` fills them: the windows are its login roles, and the two logs are
written by the server itself (desk.db.server's functions and triggers), never by a client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk.db.model_base import Base


class ServiceWindow(Base):
    """A consultation window (a chamber, a branch, the prefecture's desk): a login role on the server."""

    __tablename__ = "service_window"

    role: Mapped[str] = mapped_column(String(63), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"ServiceWindow(role={self.role!r}, title={self.title!r})"


class ProvisionLog(Base):
    """One consultation read by a window other than its own, with the visitor's consent (APPI's
    record of provision to a third party): who read it, when, which record, from which window."""

    __tablename__ = "provision_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    reader: Mapped[str] = mapped_column(String(63))            # the login role that read it
    consultation_id: Mapped[str] = mapped_column(String(36))
    reference_no: Mapped[str] = mapped_column(String(32))
    from_window: Mapped[str | None] = mapped_column(String(63))
    to_window: Mapped[str] = mapped_column(String(63))
    action: Mapped[str] = mapped_column(String(16))            # "read"

    def __repr__(self) -> str:
        return f"ProvisionLog(at={self.at!r}, reference_no={self.reference_no!r}, to_window={self.to_window!r})"


class CatalogueAudit(Base):
    """A change to the catalogue: an admin edit of any row (old and new values), a pack imported,
    replaced or removed (its data_pack row)."""

    __tablename__ = "catalogue_audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    who: Mapped[str] = mapped_column(String(63))
    table_name: Mapped[str] = mapped_column(String(63))
    record_id: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(8))             # INSERT, UPDATE, DELETE
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"CatalogueAudit(at={self.at!r}, who={self.who!r}, table={self.table_name!r}, id={self.record_id!r})"
