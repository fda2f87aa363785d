"""Making a referral sheet: match, log the consultation, build the sheet, render the PDF.

One function for the CLI and the app. The consultation is logged with the reference
number the sheet prints; :func:`discard` removes the record again when the sheet
never reaches the visitor (the file could not be written, the preview was closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from desk.consultations import device_id, forget_consultation, record_consultation
from desk.intake import Intake
from desk.matching.service import MatchService
from desk.referral import build_sheet
from desk.reports.sheet import ReferralSheetRenderer
from desk.settings import Settings


@dataclass(frozen=True)
class Referral:
    pdf: bytes
    reference_no: str
    consultation_id: str
    result: dict[str, Any]


def create_referral(make_session: Callable[[], Session], intake: Intake, *, on: dt.date, settings: Settings,
                    service: MatchService | None = None, warnings: list[str] | None = None,
                    result: dict[str, Any] | None = None) -> Referral:
    """The PDF for this intake, logged as a consultation (raises FontNotFound, IntakeError)."""
    if result is None:
        result = (service or MatchService(make_session)).match(intake, on=on, warnings=warnings)
    record = record_consultation(make_session, intake=intake, result=result, device=device_id(settings),
                                 window_name=settings.get("window_name"), staff_name=settings.get("staff_name"))
    try:
        sheet = build_sheet(result, intake, reference_no=record.reference_no, window_name=settings.get("window_name"),
                            window_phone=settings.get("window_phone"), staff_name=settings.get("staff_name"))
        pdf = ReferralSheetRenderer(sheet, font_path=settings.get("pdf_font_path")).render()
    except BaseException:
        forget_consultation(make_session, record.id)
        raise
    return Referral(pdf, record.reference_no, record.id, result)


def discard(make_session: Callable[[], Session], referral: Referral) -> None:
    """The sheet never reached the visitor: it is not logged as printed."""
    forget_consultation(make_session, referral.consultation_id)
