"""Issuing a referral sheet from the window (log it, render it, open the preview), and printing
a logged one again from the log.

Loaded on the first sheet, off the app's start path (reportlab, PDFium and Qt's print
module come with it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desk.reports.fonts import FontNotFound
from desk.sheets.issuing import create_referral, discard
from desk.sheets.reissue import NotReissuable, reissue_referral
from desk.ui.referral_preview import ReferralPreviewDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desk.db.services import LogService
    from desk.intake.reader import Intake
    from desk.log.records import LogWriter
    from desk.matching.answer import MatchReport
    from desk.settings import Settings
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


def reissue_and_preview(parent: QWidget, log: LogService, record_id: str, *, settings: Settings,
                        notify: Callable[[str, str], None],
                        reprinted: Callable[[int], None]) -> ReferralPreviewDialog | None:
    """A logged consultation's sheet again, stamped 再発行, in a window-modal preview; counted on its
    record (``reprinted`` gets the count) once printed or saved, not logged as another consultation."""
    record = log.record(record_id)
    if record is None:   # removed meanwhile (a sheet never delivered, on another counter)
        notify("再発行できません", "この相談記録は見つかりません。一覧を更新してください。")
        return None
    try:
        reissue = reissue_referral(record, settings=settings)
    except (NotReissuable, FontNotFound) as exc:
        notify("再発行できません", str(exc))
        return None
    dialog = ReferralPreviewDialog(reissue.pdf, reference_no=reissue.reference_no,
                                   suggested_name=f"融資制度のご案内_{reissue.reference_no}_再発行.pdf", parent=parent)
    dialog.setWindowTitle(f"案内書の再発行（受付番号 {reissue.reference_no}）")

    def finished(_result: int) -> None:
        if dialog.delivered:
            count = log.record_reprint(record_id)
            if count is not None:
                reprinted(count)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
