"""Making a referral sheet from a match: log the consultation, build the sheet, render the PDF.

One function for the CLI and the app, given the match already made (the CLI matches
the file, the app passes the report on screen). The consultation is logged with the
reference number the sheet prints; :func:`discard` removes the record again when the
sheet never reaches the visitor (the file could not be written, the preview was closed).
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.intake.reader import Intake
from desk.log import records
from desk.log.records import LogWriter
from desk.matching.answer import MatchReport
from desk.settings import Settings
from desk.sheets.referral import build_sheet


@dataclass(frozen=True)
class Referral:
    pdf: bytes
    reference_no: str
    consultation_id: str
    report: MatchReport


def create_referral(log: LogWriter, intake: Intake, report: MatchReport, *, settings: Settings) -> Referral:
    """The PDF for this intake and its match, logged as a consultation (raises FontNotFound)."""
    from desk.reports.referral import ReferralSheetRenderer  # reportlab: only when a sheet is made

    record = records.record(log, intake=intake, report=report, device=records.device_id(settings),
                            window_name=settings.get("window_name"), staff_name=settings.get("staff_name"))
    try:
        sheet = build_sheet(report, intake, reference_no=record.reference_no, window_name=settings.get("window_name"),
                            window_phone=settings.get("window_phone"), staff_name=settings.get("staff_name"))
        pdf = ReferralSheetRenderer(sheet, font_path=settings.get("pdf_font_path")).render()
    except BaseException:
        log.delete(record.id)
        raise
    return Referral(pdf, record.reference_no, record.id, report)


def discard(log: LogWriter, referral: Referral) -> None:
    """The sheet never reached the visitor: it is not logged as printed."""
    log.delete(referral.consultation_id)
