"""The data layer as the window and the commands see it: interfaces and plain data, no SQL.

The UI imports nothing else from :mod:`desk.db` (tests/test_layers.py holds it to that), and
only for type checking: this module is off the app's start path. The implementations are
:class:`desk.db.store.Store` (the catalogue, the log writer, the services below) and the
classes of :mod:`desk.db.service_impl`, built on the store's sessions.

- catalogue: the fingerprint, the match service and its kept first view;
- admin: the tables of programs and offices and their validated edits;
- log: the consultation log, paged, by record, counted and exported;
- packs: importing and exporting data packs;
- server: what a shared server secured by `desk server init` adds (the windows to refer a
  visitor to, the catalogue's audit trail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from desk import vocab

if TYPE_CHECKING:
    from desk.db.backup import BackupPurge
    from desk.log.records import LogWriter
    from desk.matching.service import MatchService


# --- errors the callers show -------------------------------------------------------------------------


class AdminEditError(ValueError):
    """An edit the pack rules refuse, or of a record that is not there; each problem reads
    ``key: message`` with the edit field's key first."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class ConsentError(ValueError):
    """A consent that cannot be recorded: no such record of this window, an unknown window."""


class FollowUpTooEarly(ValueError):
    """A follow-up dated before the consultation it follows; ``consulted_on`` is the
    consultation's Japanese day."""

    def __init__(self, day: dt.date, consulted_on: dt.date):
        super().__init__(f"その日（{day}）は相談日（{consulted_on}）より前です")
        self.day = day
        self.consulted_on = consulted_on


class PacksRejected(ValueError):
    """A pack that cannot be imported: the database is unchanged; the text names file and line."""


class EditsAtStake(RuntimeError):
    """Importing would overwrite admin edits: ask, then import again with ``overwrite_edits``."""


class DatabaseUnreachable(Exception):   # not an OSError: a file's errors are told apart
    """The database did not answer: the shared server stopped or restarting, the network gone, a
    SQLite file held by another process past the busy timeout. The text is for staff; ``detail``
    is the driver's own words, for the log of the problem. Nothing was read or written."""

    TEXT = "データベースに接続できません（共有サーバーが止まっているか、ネットワークが切れています）。"

    def __init__(self, detail: str = ""):
        super().__init__(self.TEXT)
        self.detail = detail


class RemovalsAtStake(RuntimeError):
    """Importing would remove records the packs' older versions had (listed in the text): ask,
    then import again with ``allow_removals``."""


# --- catalogue ---------------------------------------------------------------------------------------


class CatalogueService(Protocol):
    """What the window matches on and how it notices a catalogue changed elsewhere."""

    @property
    def matcher(self) -> MatchService: ...

    @property
    def first_view_file(self) -> Path: ...

    def fingerprint(self) -> tuple[object, ...]:
        """The catalogue's fingerprint now; it changes with an import or an admin edit."""
        ...


class CatalogueQueries(Protocol):
    """The catalogue and the directory as lists (`desk programs`, `desk contacts`)."""

    def provider_ids(self) -> list[str]: ...

    def programs(self, *, provider: str | None, on: dt.date) -> list[dict[str, Any]]: ...

    def contacts(self, *, role: str | None, prefecture: str | None, municipality: str | None,
                 postal_code: str | None) -> tuple[str | None, list[dict[str, Any]]]:
        """The contacts for a place (all when none is named) and the place's label; raises
        :class:`desk.intake.places.PlaceError` for a place that is not known."""
        ...


# --- admin -------------------------------------------------------------------------------------------


class AdminService(Protocol):
    """The データの管理 screen's data; an unknown id raises :class:`AdminEditError`."""

    def program_rows(self) -> list[dict[str, Any]]: ...

    def office_rows(self) -> list[dict[str, Any]]: ...

    def office_values(self, office_id: str) -> dict[str, Any]: ...

    def variant_values(self, variant_id: str) -> dict[str, Any]: ...

    def variant_labels(self, variant_id: str) -> dict[str, str]: ...

    def variant_title(self, variant_id: str) -> str: ...

    def update_office(self, office_id: str, changes: dict[str, Any]) -> None: ...

    def update_variant(self, variant_id: str, changes: dict[str, Any]) -> None: ...


# --- the consultation log ----------------------------------------------------------------------------


class LogRow(TypedDict):
    """One consultation as a list shows it (times in Japanese time; no personal details, no result)."""

    id: str
    reference_no: str
    created_at: str          # "2026-11-22 12:00"
    day: str                 # "2026-11-22"
    window_name: str
    staff_name: str
    business_name: str
    industry: str            # in words
    municipality: str
    cause_codes: list[str]
    causes: str              # in words, 「・」 between
    eligible: int            # how many funds were eligible
    conditional: int         # how many were conditional
    follow_up: str           # what became of it with its day (「実行（2026-12-01）」), "" before one is entered
    follow_up_status: str    # its code (vocab.FOLLOW_UPS), ""
    follow_up_day: str       # "2026-12-01", ""


# A list's columns and their headings, in order (the CSV's too, before the personal ones).
LOG_COLUMNS = (("reference_no", "受付番号"), ("created_at", "日時"), ("window_name", "窓口"), ("staff_name", "担当"),
               ("business_name", "事業者名"), ("industry", "業種"), ("municipality", "所在地"), ("causes", "原因"),
               ("eligible", "対象の資金"), ("conditional", "条件付きの資金"))


@dataclass(frozen=True)
class LogFilter:
    """Which records: ``text`` matches reference number, business, place or staff literally;
    ``since`` and ``until`` are Japanese dates, both included."""

    text: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


EVERYTHING = LogFilter()


@dataclass(frozen=True)
class LogCursor:
    """Where a page ended: the next page starts after this record (newest first)."""

    created_at: dt.datetime
    id: str


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    next: LogCursor | None       # None: this was the last page


@dataclass(frozen=True)
class LogCounts:
    total: int
    per_day: dict[str, int]                                   # oldest day first
    per_cause: dict[str, int] = field(default_factory=dict)   # every known cause, in vocabulary order
    businesses: int = 0       # 相談事業者数: each business once however often it came (as LogStat's)


# What the log is counted by, and its heading: in the vocabulary, where the command line's grammar
# reads it without importing this module (22 ms of every command).
LOG_DIMENSIONS = vocab.LOG_DIMENSIONS
NOT_STATED = "（記入なし）"
NO_FOLLOW_UP = "（未入力）"


@dataclass(frozen=True)
class LogStat:
    """One group of a count: days and months oldest first, causes and industries in the vocabulary's
    order (every cause, counted or not), the rest most consultations first."""

    key: str             # the day, the month, the code, the name ("" for a record that states none)
    label: str           # in words
    consultations: int
    # How many businesses those were (相談事業者数): one however often it came; a consultation without
    # a business name is a business of its own.
    businesses: int = 0


@dataclass(frozen=True)
class ConsultationRecord:
    """A whole record (visitor's details included where they are still kept)."""

    id: str
    reference_no: str
    created_at: dt.datetime      # aware, UTC
    evaluated_on: dt.date
    device_id: str
    window_name: str | None
    staff_name: str | None
    business_name: str | None
    visitor_name: str | None
    visitor_phone: str | None
    industry: str | None
    municipality: str | None
    causes: list[str]
    intake: dict[str, Any]
    pack_versions: dict[str, Any]
    report: bytes | None = None          # the match the sheet was made from (desk.log.stored); None before 0006
    reprint_count: int = 0
    reprinted_at: dt.datetime | None = None   # aware, UTC
    purged: tuple[str, ...] = ()         # the personal keys the retention rule cleared ("visitor_name", …)
    # Issue 17: the window (server role) the record belongs to, the visitor's consent to share it
    # and the window it may be shared with (None where not recorded).
    window_role: str | None = None
    consent_to_share: bool | None = None
    referred_window: str | None = None


class LogService(Protocol):
    """The consultation log, newest first on (created_at, id)."""

    def page(self, where: LogFilter = EVERYTHING, *, limit: int | None = None,
             after: LogCursor | None = None) -> LogPage: ...

    def record(self, record_id: str) -> ConsultationRecord | None: ...

    def stored_result(self, record_id: str) -> dict[str, Any] | None:
        """The result as the record keeps it (raw JSON; the caller reads it into a report)."""
        ...

    def record_reprint(self, record_id: str, *, now: dt.datetime | None = None) -> int | None:
        """The record's sheet was printed again (not another consultation): its reprint count
        after this one, None when there is no such record."""
        ...

    def counts(self, where: LogFilter = EVERYTHING) -> LogCounts: ...

    def stats(self, where: LogFilter = EVERYTHING, *, by: str) -> list[LogStat]:
        """Consultations counted by the database per ``by`` (a key of :data:`LOG_DIMENSIONS`;
        a consultation with two causes counts once under each)."""
        ...

    def set_follow_up(self, reference_no: str, *, status: str | None, day: dt.date | None = None) -> bool:
        """Record what became of the consultation ``reference_no`` (a code of vocab.FOLLOW_UPS, on
        ``day``), replacing what was entered before; ``status`` None clears it. False when there is
        no such consultation; raises FollowUpTooEarly for a day before the consultation's and
        ValueError for an unknown status."""
        ...

    def pack_titles(self) -> dict[str, str]:
        """Each data pack's title by its id: what a record's data versions are called for people."""
        ...

    def export_csv(self, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> bytes:
        """CSV that Excel in Japan opens (UTF-8 with a byte-order mark, CRLF)."""
        ...

    def write_csv(self, path: Path, where: LogFilter = EVERYTHING, *, include_personal: bool = False) -> int:
        """The same CSV written to ``path`` as the rows come (flat memory, atomic); how many rows;
        raises OSError."""

    def record_consent(self, reference_no: str, *, consent: bool, referred_window: str | None) -> None:
        """The visitor's yes or no to sharing one of this window's records with the window they
        were referred to (a server's window role); raises :class:`ConsentError`."""
        ...

    def shared_record(self, reference_no: str) -> ConsultationRecord | None:
        """Another window's record the visitor agreed to share with this one (None otherwise);
        the server writes the read to its provision log."""
        ...


# --- packs -------------------------------------------------------------------------------------------


class ImportedPack(Protocol):
    @property
    def pack_id(self) -> str: ...

    @property
    def version(self) -> str: ...


class PackService(Protocol):
    """Thread-safe: the window calls it from a worker thread."""

    def import_files(self, files: Sequence[Path], *, overwrite_edits: bool = False,
                     allow_removals: bool = False) -> Sequence[ImportedPack]:
        """All or nothing; raises :class:`PacksRejected`, :class:`EditsAtStake` or
        :class:`RemovalsAtStake`, the database unchanged."""
        ...

    def export(self, directory: Path) -> list[Path]:
        """Every pack as YAML into ``directory``; raises OSError."""
        ...


# --- the shared server (issue 17) --------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralWindow:
    """A window of the shared server a visitor may be referred to (and their record shared with)."""

    role: str
    title: str


@dataclass(frozen=True)
class AuditEntry:
    """One change to the catalogue, as the server wrote it (old and new: the changed columns)."""

    at: dt.datetime          # aware
    who: str
    table: str
    record_id: str
    action: str              # INSERT, UPDATE, DELETE
    old: dict[str, Any] | None
    new: dict[str, Any] | None


class ServerService(Protocol):
    """What a shared PostgreSQL server secured by `desk server init` adds; a SQLite file and a
    server not secured have none of it (None below)."""

    def referral_windows(self) -> list[ReferralWindow] | None:
        """The other open windows, by role; None where nothing is shared between windows."""
        ...

    def audit_trail(self, *, limit: int = 500) -> list[AuditEntry] | None:
        """The newest catalogue changes first; None where there is no trail to read (a SQLite
        file, a server not secured, a role other than desk_admin's)."""
        ...


# --- all of it, as the window is handed it ------------------------------------------------------------


@dataclass(frozen=True)
class SchemaBehind:
    """A database at an older revision than this desk's that the connected role may not migrate (a
    counter's role on a shared server, issue 17). The app opens to help the visitor with what it
    safely can, and writes nothing to the old schema: no consultation is logged, no sheet is made,
    nothing is imported or edited (the log tables of an older revision cannot be trusted to be what
    this desk writes)."""

    line: str                              # what to do, as `desk db upgrade` says it (one line)
    catalogue_saved: dt.datetime | None    # when this counter kept the catalogue it matches on; None: none kept


class DeskServices(CatalogueService, Protocol):
    """What the main window is given (a :class:`desk.db.store.Store` is one)."""

    @property
    def warnings(self) -> list[str]: ...

    @property
    def schema_behind(self) -> SchemaBehind | None:
        """Set when the database is behind and may not be upgraded from here: then only the matcher
        (on the kept catalogue, when there is one) and the fingerprint may be used."""
        ...

    @property
    def log_writer(self) -> LogWriter: ...

    @property
    def admin(self) -> AdminService: ...

    @property
    def log(self) -> LogService: ...

    @property
    def packs(self) -> PackService: ...

    @property
    def server(self) -> ServerService: ...

    def purge_personal_details(self, *, older_than_days: int) -> int: ...

    def purge_backups(self, *, older_than_days: int) -> BackupPurge | None:
        """The same in the backups (slow: call it off the GUI thread)."""
        ...
