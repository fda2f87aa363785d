"""Issuing a referral sheet from the window (log it, render it, open the preview), and printing
a logged one again from the log.

Loaded on the first sheet, off the app's start path (reportlab, PDFium and Qt's print
module come with it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desk.db.services import DatabaseUnreachable
from desk.reports.fonts import FontNotFound
from desk.settings import SettingsError
from desk.sheets.issuing import Referral, create_referral, discard
from desk.sheets.reissue import NotReissuable, reissue_referral
from desk.ui.referral_preview import ReferralPreviewDialog

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from desk.db.services import LogService
    from desk.intake.reader import Intake
    from desk.log.records import LogWriter
    from desk.matching.answer import MatchReport
    from desk.settings import Settings
    from desk.sheets.pending import SheetInProgress
    from desk.ui.consent_panel import Consent
    from desk.ui.input_errors import FieldError
    from desk.ui.main_window import MainWindow


def issue_and_preview(window: MainWindow, log: LogWriter, intake: Intake, report: MatchReport,
                      consent: Consent | None = None) -> ReferralPreviewDialog | None:
    """The sheet for ``report``, logged and shown in a window-modal preview; kept in the log only
    once it is printed or saved (closing the preview unprinted discards it). Until then a note
    on disk (desk.sheets.pending) names the record, so that an app killed with the preview open
    leaves no record of a sheet nobody received: the next start removes it. The visitor's
    consent to share (when answered) is recorded on the record at once: with it or not at all."""
    import uuid

    record_id = str(uuid.uuid4())
    note = _note(window, record_id)
    try:
        referral = create_referral(log, intake, report, settings=window.settings, record_id=record_id)
    except (FontNotFound, SettingsError) as exc:   # no font; a device_id edited by hand
        _close(note)
        window.notify_problem("案内書を作れません", str(exc))
        return None
    except DatabaseUnreachable as exc:   # the shared server away: a sheet whose number is in no log
        _close(note)
        window.notify_problem("案内書を作れません", f"{exc}相談を記録できないため、案内書は作っていません"
                              "（入力はそのまま残っています）。")
        return None
    except BaseException:
        _close(note)
        raise
    if consent is not None and consent.consent is not None and not _record_consent(window, log, referral, consent):
        _close(note)
        return None
    dialog = ReferralPreviewDialog(referral.pdf, reference_no=referral.reference_no,
                                   suggested_name=f"融資制度のご案内_{referral.reference_no}.pdf", parent=window)
    dialog.printed.connect(lambda: _close(note))     # delivered: the record stays, whatever comes next
    dialog.saved.connect(lambda _path: _close(note))

    def finished(_result: int) -> None:
        if not dialog.delivered:
            try:
                discard(log, referral)  # neither printed nor saved: not logged
            except DatabaseUnreachable:   # the shared server away: the note has the next start remove it
                if note is not None:
                    note.leave_for_recovery()
                window.statusBar().showMessage(
                    f"受付番号 {referral.reference_no} の案内書を破棄しました（データベースに接続できないため、"
                    "相談記録は次の起動時に取り消します）")
                return
            except Exception:   # the database held by another process: removed at the next start
                if note is not None:
                    note.leave_for_recovery()
                raise
            _close(note)
        window.statusBar().showMessage(
            f"受付番号 {referral.reference_no} の案内書を" + ("記録しました" if dialog.delivered else "破棄しました"))

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def _record_consent(window: MainWindow, log: LogWriter, referral: Referral, consent: Consent) -> bool:
    """The consent on the sheet's record; a refusal (a window removed meanwhile, the server away)
    takes the record back: no sheet goes out with a consent that was not recorded."""
    from desk.db.services import ConsentError

    try:
        window.services.log.record_consent(referral.reference_no, consent=bool(consent.consent),
                                           referred_window=consent.referred_window)
    except Exception as exc:
        discard(log, referral)
        text = str(exc) if isinstance(exc, ConsentError) else f"共有の同意を記録できません（{str(exc)[:200]}）"
        window.notify_problem("案内書を作れません", text)
        return False
    return True


def _note(window: MainWindow, record_id: str) -> SheetInProgress | None:
    from desk.sheets.pending import SheetInProgress

    database = getattr(window.services, "url", None)   # a Store's; services made otherwise keep no note
    if not isinstance(database, str):
        return None
    # No file to find afterwards: a sheet printed or saved closes the note at once.
    return SheetInProgress.begin(record_id=record_id, target=None, database=database)


def _close(note: SheetInProgress | None) -> None:
    if note is not None:
        note.close()


def reissue_and_preview(parent: QWidget, log: LogService, record_id: str, *, settings: Settings,
                        notify: Callable[[str, str], None],
                        reprinted: Callable[[int], None]) -> ReferralPreviewDialog | None:
    """A logged consultation's sheet again, stamped 再発行, in a window-modal preview; counted on its
    record (``reprinted`` gets the count) once printed or saved, not logged as another consultation."""
    try:
        record = log.record(record_id)
    except DatabaseUnreachable as exc:   # the record window's 再発行 and the log's alike
        notify("再発行できません", str(exc))
        return None
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
            try:
                count = log.record_reprint(record_id)
            except DatabaseUnreachable as exc:   # the sheet went out; only its count is missing
                notify("再発行の回数を記録できません",
                       f"{exc}案内書は再発行されましたが、再発行の回数は記録されていません。")
                return
            if count is not None:
                reprinted(count)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def from_form(window: MainWindow) -> ReferralPreviewDialog | None:
    """The sheet for what the form shows now: the results on screen when they were made from
    this form and this catalogue (no second match), else a match once more first. A field in
    error, or a form too empty to judge on, stops it: the message names what to fix, and the
    cursor goes there."""
    from desk.intake.reader import IntakeError, read_intake
    from desk.intake.readiness import missing_for_sheet

    stepper = window.stepper
    try:
        intake = read_intake(stepper.intake_data()).intake
    except IntakeError as exc:
        window.update_results()   # every message under its field, every step in error marked
        _refuse_for_errors(window, stepper.errors or stepper.show_errors([exc]))
        return None
    missing = missing_for_sheet(intake)
    if missing:
        labels = "、".join(f"「{stepper.field(key).spec.label}」" for key in missing)
        stepper.focus_field(missing[0])
        window.notify_problem("案内書を作れません",
                              f"判定に必要な {labels} が入力されていません。入力してから、もう一度お試しください。")
        return None
    if intake != window.intake_on_screen or window.results.report is None:
        window.update_results()
    else:
        window.check_catalogue()   # matches again by itself when another counter changed the catalogue
    report = window.results.report
    if window.intake_on_screen != intake or report is None:   # never stale: a place unknown, say
        if stepper.errors:
            _refuse_for_errors(window, stepper.errors)
        else:
            window.notify_problem("案内書を作れません", "入力内容に読めない値があります（赤字の項目）。")
        return None
    consent = stepper.consent.choice()
    if consent.consent and consent.referred_window is None:
        stepper.focus_field("visitor_name")   # the 確認 step, where the consent is
        stepper.consent.referred.setFocus()
        window.notify_problem("案内書を作れません", "共有に同意いただいた場合は、紹介先の窓口を選んでください。")
        return None
    dialog = issue_and_preview(window, window.services.log_writer, intake, report, consent)
    if dialog is not None:
        # Printed or saved, the consultation is in the log: closing the window loses nothing.
        dialog.printed.connect(window.drafts.recorded)
        dialog.saved.connect(lambda _path: window.drafts.recorded())
    return dialog


def _refuse_for_errors(window: MainWindow, errors: Sequence[FieldError]) -> None:
    """No sheet: every input in error named with its step, the cursor in the first."""
    from desk.ui.input_errors import refusal

    window.stepper.focus_field(errors[0].key)
    window.notify_problem("案内書を作れません", refusal(errors))


def from_file(window: MainWindow, path: Path) -> ReferralPreviewDialog | None:
    """Match an intake file, log it, render the sheet and open the preview (window-modal)."""
    from desk.intake.reader import IntakeError, read_intake_file, refusal_of_file

    try:
        read = read_intake_file(path)
        report = window.services.matcher.match(read.intake, on=window.today, warnings=read.warnings)
    except IntakeError as exc:
        window.notify_problem("相談ファイルを読めません", refusal_of_file(path.name, exc))
        return None
    return issue_and_preview(window, window.services.log_writer, read.intake, report)


LEAFLET_TITLE = "チラシのプレビュー（日産関連・売上減少の融資制度の一覧）"


def leaflet_preview(window: MainWindow) -> ReferralPreviewDialog | None:
    """The one-page leaflet (`desk handout`) for the day, previewed to print or save; not a
    consultation, so nothing is logged."""
    from desk.reports.leaflet import LeafletRenderer
    from desk.sheets.leaflet import build_leaflet, special_windows

    settings = window.settings
    loaded = window.services.matcher.loaded()
    windows = special_windows(loaded.offices, settings.get("window_name"), settings.get("window_phone"))
    try:
        pdf = LeafletRenderer(build_leaflet(loaded.catalogue, on=window.today, windows=windows),
                              font_path=settings.get("pdf_font_path")).render()
    except FontNotFound as exc:
        window.notify_problem("チラシを作れません", str(exc))
        return None
    dialog = ReferralPreviewDialog(pdf, reference_no="", suggested_name=f"融資制度のご案内_チラシ_{window.today}.pdf",
                                   parent=window, title=LEAFLET_TITLE)
    dialog.open()
    return dialog
