"""Recording a consultation: its values, its reference number, the writers.

Each record has a UUID (records made on offline laptops never collide when they
are brought back) and a short reference number printed on the sheet:
``YYYYMMDD-DDDDD-NNN`` — the date, five characters of this machine's device id
and the machine's sequence for the day. Personal details (the visitor's name and
phone) are stored only when staff typed them, and never inside the stored intake.

The values are computed here, once; a *writer* stores them: the ORM one
(:class:`desk.db.consultations.OrmLogWriter`, any database) or the stdlib sqlite3 one
of the quick path (:class:`desk.db.quick.QuickSqlite`). No SQLAlchemy here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, NamedTuple, Protocol

from desk import fiscal
from desk.fiscal import as_utc
from desk.intake.reader import Intake
from desk.log.business import business_key
from desk.log.stored import pack_report
from desk.matching.answer import CONDITIONAL, ELIGIBLE, MatchReport
from desk.settings import Settings

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: easy to read aloud
PERSONAL_KEYS = ("visitor_name", "visitor_phone")
MAX_ATTEMPTS = 20


class Recorded(NamedTuple):
    id: str
    reference_no: str


class LogWriter(Protocol):
    def try_insert(self, values: dict[str, Any], prefix: str, record_id: str | None = None) -> Recorded | None:
        """In one transaction: the next number with ``prefix`` (:func:`next_ids`), and the
        record (with ``record_id`` when given); None when another process took that number meanwhile."""

    def delete(self, consultation_id: str) -> None: ...

    def purge_personal(self, before: dt.datetime) -> int:
        """Clear visitors' names and phones from records made before ``before``; how many."""


def device_id(settings: Settings) -> str:
    """This machine's id, created and saved once on first use (raises SettingsError for a saved
    value that is not an id)."""
    value = settings.get("device_id")
    if not value:
        value = _create_device_id(settings)
    return _checked_device_id(value, settings)


def _create_device_id(settings: Settings) -> str:
    # Under a lock, re-reading the file: the first referrals of a fresh install made at once
    # (several counters, the app and a CLI) each saved an id of their own, and the records of
    # all ids but the last saved were left out of `desk log export` (issue 15, item 1).
    import uuid  # uuid imports platform: only when a record is made, not at start-up

    from desk.fileio import describe, locked
    from desk.settings import RETENTION_DEFAULT_DAYS, SettingsError

    try:
        with locked(settings.path.parent / ".device-id.lock"):
            saved = Settings.load(settings.path)
            value = saved.get("device_id")
            if not value:
                value = str(uuid.uuid4())
                if not settings.path.exists():
                    # A settings file without the retention is read as an install from before the
                    # default purge (kept 0): a fresh install's first file must carry its default.
                    saved.set("personal_retention_days", RETENTION_DEFAULT_DAYS)
                saved.set("device_id", value)
                saved.save()
    except OSError as exc:   # the lock file: a read-only or full config folder, as Settings.save says it
        raise SettingsError(f"{settings.path}: 設定を保存できません（{describe(exc)}）") from exc
    settings.set("device_id", value)
    return str(value)


def _checked_device_id(value: object, settings: Settings) -> str:
    # device_code reads it as 128 bits of hex: anything else (edited by hand) is said in one line.
    digits = value.replace("-", "") if isinstance(value, str) else ""
    if len(digits) != 32 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        from desk.settings import SettingsError

        raise SettingsError(f"{settings.path}: device_id の値 {str(value)[:40]!r} は端末の識別子（UUID）ではありません"
                            "（この行を消すと新しい識別子が作られます）")
    return str(value)


def device_code(device: str) -> str:
    number = int(device.replace("-", ""), 16) >> (128 - 25)
    return "".join(CROCKFORD[(number >> shift) & 31] for shift in (20, 15, 10, 5, 0))


def reference_prefix(now: dt.datetime, device: str) -> str:
    return f"{now.astimezone(fiscal.JAPAN).date():%Y%m%d}-{device_code(device)}-"


def _intake_without_personal_details(intake: Intake) -> dict[str, Any]:
    data = asdict(intake)
    for key in PERSONAL_KEYS:
        data.pop(key, None)
    data["sales_change"] = {k: list(v) if isinstance(v, tuple) else v for k, v in data["sales_change"].items()}
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}


def result_summary(report: MatchReport) -> dict[str, Any]:
    """What the log keeps of a match, as JSON: each fund's status, the contacts given, the warnings."""
    return {
        "programs": {f.id: f.status for f in report.funds},
        "eligible": [f.id for f in report.funds if f.status == ELIGIBLE],
        "conditional": [f.id for f in report.funds if f.status == CONDITIONAL],
        "contacts": [c.id for c in report.contacts],
        "warnings": list(report.warnings),
    }


def consultation_values(*, intake: Intake, report: MatchReport, device: str, window_name: str | None,
                        staff_name: str | None, now: dt.datetime) -> dict[str, Any]:
    """Every column of a consultation record but its id and reference number, as plain values
    (the result and the pack versions as JSON-ready objects, the match as compressed bytes) for the
    writers to store; the reprint columns start at their defaults."""
    return {
        "created_at": now, "evaluated_on": report.as_of, "device_id": device,
        "window_name": window_name, "staff_name": staff_name or None, "business_name": intake.business_name,
        "visitor_name": intake.visitor_name or None, "visitor_phone": intake.visitor_phone or None,
        "industry": intake.industry, "municipality": report.place, "causes": list(intake.causes or ()),
        "intake": _intake_without_personal_details(intake), "result": result_summary(report),
        "pack_versions": dict(report.pack_versions),
        "report": pack_report(report),   # the sheet again, as issued (desk.log.stored)
    }


class EntryRows(NamedTuple):
    """What the log lists and counts of one record (the tables of revisions 0009 and 0010), as plain values."""

    entry: dict[str, Any]
    causes: list[dict[str, Any]]
    funds: list[dict[str, Any]]


def entry_rows(record_id: str, reference_no: str, values: dict[str, Any]) -> EntryRows:
    """The list's row, the causes and the referred funds of a record from its values (those of
    :func:`consultation_values`, or of a record a log file brings): derived from the record alone,
    so that every writer, the import and the migration's backfill agree."""
    local = as_utc(values["created_at"]).astimezone(fiscal.JAPAN)
    day = local.strftime("%Y-%m-%d")
    result = values.get("result") or {}
    eligible, conditional = list(result.get("eligible") or ()), list(result.get("conditional") or ())
    causes = list(values.get("causes") or ())
    funds = dict.fromkeys(conditional, CONDITIONAL) | dict.fromkeys(eligible, ELIGIBLE)
    # Without a business name, a consultation is a business of its own.
    business = business_key(values.get("business_name"), values.get("municipality")) or record_id
    entry = {
        "consultation_id": record_id, "created_at": values["created_at"], "day": day, "month": day[:7],
        "reference_no": reference_no, "window_name": values.get("window_name"),
        "staff_name": values.get("staff_name"), "business_name": values.get("business_name"),
        "industry": values.get("industry"), "municipality": values.get("municipality"), "causes": causes,
        "eligible": len(eligible), "conditional": len(conditional),
        "business_key": business,
    }
    return EntryRows(entry, [{"consultation_id": record_id, "cause": code, "day": day, "business_key": business}
                             for code in dict.fromkeys(causes)],
                     [{"consultation_id": record_id, "fund_id": fund_id, "status": status, "day": day,
                       "business_key": business} for fund_id, status in funds.items()])


# Retention beyond a century is no retention rule: `desk log purge` refuses it, and a setting
# above it (timedelta and the dates overflow near a million days) purges nothing.
MAX_RETENTION_DAYS = 36_500


def purge_cutoff(older_than_days: int, now: dt.datetime | None = None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=min(max(older_than_days, 0), MAX_RETENTION_DAYS))


def next_ids(prefix: str, last: str | None, record_id: str | None = None) -> Recorded:
    """A new id and the number after ``last``, the highest number issued with ``prefix``.

    After the highest rather than after the count: a record removed in the middle (a
    sheet never delivered while another process delivered the next) leaves a gap, and
    counting would hand out a number that is still taken.
    """
    import uuid

    number = int(last[len(prefix):]) + 1 if last else 1
    return Recorded(record_id or str(uuid.uuid4()), f"{prefix}{number:03d}")


# The highest reference number with a prefix: longest first, so 1000 comes after 999.
LAST_REFERENCE_SQL = ("SELECT reference_no FROM consultation WHERE reference_no LIKE :pattern"
                      " ORDER BY length(reference_no) DESC, reference_no DESC LIMIT 1")


def record(writer: LogWriter, *, intake: Intake, report: MatchReport, device: str, window_name: str | None,
           staff_name: str | None, now: dt.datetime | None = None, record_id: str | None = None) -> Recorded:
    """Store one consultation and return its id and reference number (``record_id``: an id chosen
    beforehand, so that a note of the sheet in progress can name the record before it exists)."""
    now = now or dt.datetime.now(dt.UTC)
    values = consultation_values(intake=intake, report=report, device=device, window_name=window_name,
                                 staff_name=staff_name, now=now)
    prefix = reference_prefix(now, device)
    for _attempt in range(MAX_ATTEMPTS):
        recorded = writer.try_insert(values, prefix, record_id)
        if recorded is not None:
            return recorded
        # Another process took the number between our count and our insert: count again.
    raise RuntimeError("受付番号を発行できませんでした（同時に多数の記録があります）")
