"""The consultation log's tables: one row per referral sheet given at a window, and what a list,
a search and a count read of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from desk.db.model_base import Base


class Consultation(Base):
    """One consultation at a window, recorded when a referral is printed or saved.

    ``id`` is a UUID so records made on offline laptops never collide when they
    are brought back; ``reference_no`` is the short number printed on the sheet.
    Personal details (visitor name and phone) are kept only when staff typed them.
    """

    __tablename__ = "consultation"
    __table_args__ = (Index("ix_consultation_device_id_created_at", "device_id", "created_at"),
                      # The CSV with the visitor's details reads them from here, not from the wide rows
                      # (revision 0010; desk.db.log_csv names it on SQLite, whose planner would not).
                      Index("ix_consultation_visitor", "id", "visitor_name", "visitor_phone"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference_no: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    evaluated_on: Mapped[dt.date] = mapped_column(Date)
    device_id: Mapped[str] = mapped_column(String(36))
    window_name: Mapped[str | None] = mapped_column(Text)
    staff_name: Mapped[str | None] = mapped_column(Text)
    business_name: Mapped[str | None] = mapped_column(Text)
    visitor_name: Mapped[str | None] = mapped_column(Text)
    visitor_phone: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(String(32))
    municipality: Mapped[str | None] = mapped_column(String(64))
    causes: Mapped[list[str]] = mapped_column(default=list)
    intake: Mapped[dict[str, Any]] = mapped_column(default=dict)   # without personal details
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)   # statuses and referrals as shown
    pack_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The whole match the sheet was made from (desk.log.stored: compressed JSON), so that the sheet
    # prints again as it was issued; None for records made before revision 0006. Last in the row:
    # a list that reads the columns before it never reads these bytes.
    report: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Printing the sheet again is not another consultation: counted here.
    reprint_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reprinted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the retention rule cleared the name or the phone: a reprint says （削除済み）
    # where the visitor gave one, and prints nothing where none was given.
    visitor_name_purged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    visitor_phone_purged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # --- issue 17: whose record it is, and whom the visitor let see it (revision 0008) -----------
    # The window (its database role) the record belongs to. On a shared server set by the server
    # from the connected role (desk.db.server's trigger), never from what the client sends; on a
    # laptop's SQLite file the window the laptop works for (the `server_window` setting).
    window_role: Mapped[str | None] = mapped_column(String(63))
    # The visitor's answer to sharing this record with the window they were referred to:
    # True / False as recorded, None where it was not asked (records before 0008, no name given).
    consent_to_share: Mapped[bool | None] = mapped_column(Boolean)
    referred_window: Mapped[str | None] = mapped_column(String(63))   # the role of that window

    def __repr__(self) -> str:
        return f"Consultation(reference_no={self.reference_no!r}, created_at={self.created_at!r})"


# --- what the log lists and counts, beside the record (revision 0009) -------------------------------------
# A record's row is wide (its intake, its result, the match it kept): a list, a search, a count or a
# CSV that read it grow with the log. These narrow tables hold what those read, written with each
# record (desk.log.records.entry_rows) and derived from it alone, so they never disagree with it.


def _record_fk() -> Mapped[str]:
    return mapped_column(String(36), ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True)


class LogEntry(Base):
    """A consultation as the log lists it: no personal details, no result; its Japanese day and month.

    The key is the list's order, (created_at, consultation_id), newest first read backwards: a page
    continues after the last one shown, so every record there when a listing began is listed once
    even while imports from laptops add older ones. On SQLite the table is stored in that order
    (WITHOUT ROWID): a search reads it from the newest on, not a row here and a row there.
    """

    __tablename__ = "log_entry"
    __table_args__ = (Index("ix_log_entry_consultation_id", "consultation_id", unique=True),
                      Index("ix_log_entry_month_day", "month", "day", "business_key"),
                      Index("ix_log_entry_day", "day"),
                      {"sqlite_with_rowid": False})

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    consultation_id: Mapped[str] = mapped_column(String(36), ForeignKey("consultation.id", ondelete="CASCADE"),
                                                 primary_key=True)
    day: Mapped[str] = mapped_column(String(10))       # "2026-11-22", in Japan
    month: Mapped[str] = mapped_column(String(7))      # "2026-11", in Japan
    reference_no: Mapped[str] = mapped_column(String(32))
    window_name: Mapped[str | None] = mapped_column(Text)
    staff_name: Mapped[str | None] = mapped_column(Text)
    business_name: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(String(32))
    municipality: Mapped[str | None] = mapped_column(String(64))
    causes: Mapped[list[str]] = mapped_column(default=list)
    eligible: Mapped[int] = mapped_column(Integer)       # how many funds were eligible
    conditional: Mapped[int] = mapped_column(Integer)    # how many were conditional
    # The business, as a key that counts and does not name it: its name and municipality, not its town
    # (desk.log.business; revisions 0010 and 0011); a record without a business name has its own id. On
    # the causes and funds too: counted from their index.
    business_key: Mapped[str | None] = mapped_column(String(36))

    def __repr__(self) -> str:
        return f"LogEntry(reference_no={self.reference_no!r}, day={self.day!r})"


class LogCause(Base):
    """One cause a consultation named (its ``causes`` as rows), with its Japanese day: counted
    per cause over a period from the index alone."""

    __tablename__ = "log_cause"
    __table_args__ = (Index("ix_log_cause_cause_day", "cause", "day", "business_key"),)

    consultation_id: Mapped[str] = _record_fk()
    cause: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    business_key: Mapped[str | None] = mapped_column(String(36))      # as its log_entry's

    def __repr__(self) -> str:
        return f"LogCause({self.consultation_id!r}, {self.cause!r})"


class LogFund(Base):
    """One fund a consultation was referred to (eligible or conditional in its result), with its day."""

    __tablename__ = "log_fund"
    __table_args__ = (Index("ix_log_fund_fund_id_day", "fund_id", "day", "business_key"),)

    consultation_id: Mapped[str] = _record_fk()
    fund_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))     # eligible / conditional
    day: Mapped[str] = mapped_column(String(10))
    business_key: Mapped[str | None] = mapped_column(String(36))      # as its log_entry's

    def __repr__(self) -> str:
        return f"LogFund({self.consultation_id!r}, {self.fund_id!r}, {self.status!r})"


# The status of a follow-up that was cleared: the row stays, with the time of the clearing, so that
# the clearing travels in `desk log export` files and an older follow-up cannot come back on import
# (the latest change wins). Every reader shows it as no follow-up, as it shows a record without a row.
FOLLOW_UP_CLEARED = ""


class LogFollowUp(Base):
    """What became of a consultation (申込済 / 実行 / 謝絶 / 未定, a code of vocab.FOLLOW_UPS) and on
    which day, entered later from the log; at most one per consultation, the latest (revision 0010).
    ``recorded_at`` is when it was last changed, a clearing too (status FOLLOW_UP_CLEARED)."""

    __tablename__ = "log_follow_up"

    consultation_id: Mapped[str] = _record_fk()
    status: Mapped[str] = mapped_column(String(16))
    day: Mapped[str | None] = mapped_column(String(10))        # "2026-12-01", the day it happened
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"LogFollowUp({self.consultation_id!r}, {self.status!r}, {self.day!r})"
