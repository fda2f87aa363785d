"""Issuing a referral sheet from the window: log it, render it, open the preview.

Loaded on the first sheet, off the app's start path (reportlab, PDFium and Qt's print
module come with it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk.reports.fonts import FontNotFound
from desk.sheets.issuing import create_referral, discard
from desk.ui.referral_preview import ReferralPreviewDialog

if TYPE_CHECKING:
    from desk.intake.reader import Intake
    from desk.log.records import LogWriter
    from desk.matching.answer import MatchReport
    from desk.ui.main_window import MainWindow


def issue_and_preview(window: MainWindow, log: LogWriter, intake: Intake,
                      report: MatchReport) -> ReferralPreviewDialog | None:
    """The sheet for ``report``, logged and shown in a window-modal preview; kept in the log only
    once it is printed or saved (closing the preview unprinted discards it)."""
    try:
        referral = create_referral(log, intake, report, settings=window.settings)
    except FontNotFound as exc:
        window.notify_problem("案内書を作れません", str(exc))
        return None
    dialog = ReferralPreviewDialog(referral.pdf, reference_no=referral.reference_no,
                                   suggested_name=f"融資制度のご案内_{referral.reference_no}.pdf", parent=window)

    def finished(_result: int) -> None:
        if not dialog.delivered:
            discard(log, referral)  # neither printed nor saved: not logged
        window.statusBar().showMessage(
            f"受付番号 {referral.reference_no} の案内書を" + ("記録しました" if dialog.delivered else "破棄しました"))

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
