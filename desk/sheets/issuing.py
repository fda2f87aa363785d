"""Making a referral sheet: match, log the consultation, build the sheet, render the PDF.

One function for the CLI and the app. The consultation is logged with the reference
number the sheet prints; :func:`discard` removes the record again when the sheet
never reaches the visitor (the file could not be written, the preview was closed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from desk.intake.reader import Intake
from desk.log import records
from desk.log.records import LogWriter
from desk.matching.service import MatchService
from desk.settings import Settings
from desk.sheets.referral import build_sheet


@dataclass(frozen=True)
class Referral:
    pdf: bytes
    reference_no: str
    consultation_id: str
    result: dict[str, Any]


def create_referral(log: LogWriter, intake: Intake, *, on: dt.date, settings: Settings,
                    service: MatchService | None = None, warnings: list[str] | None = None,
                    result: dict[str, Any] | None = None) -> Referral:
    """The PDF for this intake, logged as a consultation (raises FontNotFound, IntakeError).

    Give ``result`` when the match is already made (the app's live results), else ``service``.
    """
    from desk.reports.referral import ReferralSheetRenderer  # reportlab: only when a sheet is made

    if result is None:
        if service is None:
            raise TypeError("create_referral needs a result or a match service")
        result = service.match(intake, on=on, warnings=warnings)
    record = records.record(log, intake=intake, result=result, device=records.device_id(settings),
                            window_name=settings.get("window_name"), staff_name=settings.get("staff_name"))
    try:
        sheet = build_sheet(result, intake, reference_no=record.reference_no, window_name=settings.get("window_name"),
                            window_phone=settings.get("window_phone"), staff_name=settings.get("staff_name"))
        pdf = ReferralSheetRenderer(sheet, font_path=settings.get("pdf_font_path")).render()
    except BaseException:
        log.delete(record.id)
        raise
    return Referral(pdf, record.reference_no, record.id, result)


def discard(log: LogWriter, referral: Referral) -> None:
    """The sheet never reached the visitor: it is not logged as printed."""
    log.delete(referral.consultation_id)
