"""Making a referral sheet from a match: log the consultation, build the sheet, render the PDF.

One function for the CLI and the app, given the match already made (the CLI matches
the file, the app passes the report on screen). The consultation is logged with the
reference number the sheet prints; :func:`discard` removes the record again when the
sheet never reaches the visitor (the file could not be written, the preview was closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk.intake.reader import Intake
from desk.log import records
from desk.log.records import LogWriter
from desk.matching.answer import MatchReport
from desk.settings import Settings
from desk.sheets.referral import build_sheet

if TYPE_CHECKING:
    from desk.sheets.pending import SheetInProgress


@dataclass(frozen=True)
class Referral:
    pdf: bytes
    reference_no: str
    consultation_id: str
    report: MatchReport


def create_referral(log: LogWriter, intake: Intake, report: MatchReport, *, settings: Settings,
                    record_id: str | None = None) -> Referral:
    """The PDF for this intake and its match, logged as a consultation (raises FontNotFound)."""
    from desk.reports.referral import ReferralSheetRenderer  # reportlab: only when a sheet is made

    record = records.record(log, intake=intake, report=report, device=records.device_id(settings),
                            window_name=settings.get("window_name"), staff_name=settings.get("staff_name"),
                            record_id=record_id)
    try:
        sheet = build_sheet(report, intake, reference_no=record.reference_no, window_name=settings.get("window_name"),
                            window_phone=settings.get("window_phone"), staff_name=settings.get("staff_name"),
                            privacy_purpose=settings.get("privacy_purpose"))
        pdf = ReferralSheetRenderer(sheet, font_path=settings.get("pdf_font_path")).render()
    except BaseException:
        log.delete(record.id)
        raise
    return Referral(pdf, record.reference_no, record.id, report)


def discard(log: LogWriter, referral: Referral) -> None:
    """The sheet never reached the visitor: it is not logged as printed."""
    log.delete(referral.consultation_id)


class UndoPending(Exception):
    """The sheet was not written and its record could not be removed now (another process holds
    the database): it is removed the next time the log is opened (desk.sheets.pending)."""

    def __init__(self, problem: BaseException, record_id: str):
        super().__init__(f"{problem}")
        self.problem = problem
        self.record_id = record_id


def issue_to_file(log: LogWriter, intake: Intake, report: MatchReport, *, settings: Settings, database: str,
                  target: Path, write: Callable[[bytes], object]) -> Referral:
    """Log the consultation and write its sheet with ``write`` (an atomic write to ``target``):
    both or neither, whatever stops the process (desk.sheets.pending keeps a note until the
    sheet is in place; desk.sheets.interrupt makes SIGTERM and SIGHUP an exception here). Raises what
    stopped it (the record removed), or UndoPending when the record could not be removed now."""
    import uuid

    from desk.sheets.interrupt import Interrupted, deferred
    from desk.sheets.pending import SheetInProgress

    record_id = str(uuid.uuid4())
    note = SheetInProgress.begin(record_id=record_id, target=target, database=database)
    delivered = False
    try:
        referral = create_referral(log, intake, report, settings=settings, record_id=record_id)
        note.rendered(referral.pdf)
        with deferred():            # the rename and the note's removal are not cut by a signal
            write(referral.pdf)
            note.close()
            delivered = True
    except Interrupted:
        if delivered:                # the signal came while the sheet was put in place: it is done
            return referral
        _undo(log, note, record_id)
        raise
    except BaseException:
        _undo(log, note, record_id)
        raise
    return referral


def _undo(log: LogWriter, note: SheetInProgress, record_id: str) -> None:
    import sys

    from desk.sheets.interrupt import deferred

    problem = sys.exc_info()[1]
    with deferred():
        try:
            log.delete(record_id)   # nothing to do when it was never committed
        except Exception as exc:    # the database held by another process past the busy timeout
            note.leave_for_recovery()
            raise UndoPending(problem or exc, record_id) from exc
        note.close()
