"""Keeping the form in progress on disk, and offering it back after a crash.

The window's form is written to the draft file (:mod:`desk.intake.draft`) once the clerk has
stopped typing for a moment: a timer restarted by each edit, so a keystroke only restarts a
timer and the file is written outside its 16 ms. At start, the window asks only whether a
draft exists; if one does, it is read once the window is up and offered back in a window-modal
question that does not hold up the start: what was found first (when it was kept, whose, how
much of the form it fills and on which steps), then the question, 「復元する」 (the default: it
loses nothing) or 「破棄する」, each said in words. Until the clerk answers, nothing is written over it.

A hurried Enter never loses the draft: restoring is the safe answer (the form can still be cleared
with 新しい相談, which asks; a discarded draft is gone for good), so Enter restores, even with the
keyboard on 破棄する (not an auto-default button), and discarding takes a click or Space on it. The
question closed without an answer (the application quitting under it) keeps the draft for the next start.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from desk.intake.draft import Draft
    from desk.ui.intake_form import IntakeStepper

SAVE_DELAY_MS = 1500     # after the last edit: a pause in typing, not every keystroke
OFFER_DELAY_MS = 200     # after the window is up and its later steps are being built
RESTORE_TEXT = "復元する"
DISCARD_TEXT = "破棄する"


class DraftKeeper(QObject):
    """The draft of one form: written after edits, removed by :meth:`end`, offered back at start."""

    saved = Signal()           # the draft file now holds the form
    offered = Signal()         # the question is on screen (``prompt``)
    answered = Signal(bool)    # restored (True) or discarded
    problem = Signal(str, str)   # a title and a message for the clerk

    def __init__(self, stepper: IntakeStepper, file: Path, parent: QWidget):
        super().__init__(parent)
        self._stepper = stepper
        self._parent = parent
        self.file = file
        self.prompt: QMessageBox | None = None
        self._recorded: dict[str, Any] | None = None   # the form as last recorded (a sheet, a file)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        # The one look at the disk the start makes: reading and asking come later.
        self._waiting = file.exists()
        stepper.changed.connect(self._edited)
        if self._waiting:
            QTimer.singleShot(OFFER_DELAY_MS, self, self.offer)

    @property
    def waiting(self) -> bool:
        """A draft from an earlier run waits for the clerk's answer (nothing is written meanwhile)."""
        return self._waiting

    def recorded(self) -> None:
        """The form as it is now is kept elsewhere: its sheet was printed or saved (the consultation
        is in the log), or it was saved to or opened from a file. Closing the window or a new
        consultation then loses nothing, and does not ask, until the next edit."""
        self._recorded = self._stepper.intake_data()

    def unrecorded_input(self) -> bool:
        """Whether the form holds input that closing would lose: not empty, and not as last recorded."""
        return not self._stepper.is_empty() and self._stepper.intake_data() != self._recorded

    def _edited(self) -> None:
        if not self._waiting:
            self._timer.start()

    def save_now(self) -> None:
        from desk.intake import draft

        self._timer.stop()
        if self._waiting:
            return
        if self._stepper.is_empty():   # cleared by hand: nothing to keep
            draft.remove(self.file)
            return
        try:
            draft.write(self.file, self._stepper.intake_data())
        except OSError as exc:
            self.problem.emit("入力を一時保存できません",
                              f"{self.file} に書き込めませんでした（{exc.strerror}）。入力はこのまま続けられます。")
            return
        self.saved.emit()

    def end(self) -> None:
        """The consultation ended normally (the form was cleared, or the window closed after the
        question): no draft. A draft still waiting for its answer stays for the next start."""
        self._timer.stop()
        # Looked for first: a close with nothing kept (every quit of a start without edits) reads nothing more.
        if not self._waiting and self.file.exists():
            from desk.intake import draft

            draft.remove(self.file)

    # --- the offer at start ---------------------------------------------------------------------------
    def offer(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from desk.intake import draft

        try:
            found = draft.read(self.file)
        except FileNotFoundError:   # removed meanwhile (another window of this desk ended it)
            self._waiting = False
            return
        except draft.DraftDamaged as exc:
            self._set_aside(str(exc))
            return
        box = QMessageBox(QMessageBox.Icon.Question, "前回の入力の復元", offer_text(found),
                          QMessageBox.StandardButton.NoButton, self._parent)
        box.setInformativeText(offer_details(found.data))
        restore = box.addButton(RESTORE_TEXT, QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(DISCARD_TEXT, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        # An auto-default button takes Enter while it has the keyboard: a Tab too many and a hurried
        # Enter would have discarded the draft for good.
        discard.setAutoDefault(False)
        # No escape button: the clerk chooses one of the two (Esc does neither).
        box.finished.connect(lambda _result: self._answer(box, chosen=box.clickedButton(), restore=restore,
                                                          found=found))
        self.prompt = box
        box.open()   # window-modal, not exec(): the start goes on
        self.offered.emit()

    def _answer(self, box: QMessageBox, *, chosen: object, restore: object, found: Draft) -> None:
        from desk.intake import draft

        self.prompt = None
        box.deleteLater()
        if chosen is None:   # closed with no button pressed: not an answer, the draft waits for the next start
            return
        self._waiting = False
        if chosen is not restore:
            draft.remove(self.file)
            self.answered.emit(False)
            return
        try:
            self._stepper.load(found.data)
        except Exception as exc:   # values no field takes (a newer desk's draft): never a crash
            self._stepper.load({})
            self._waiting = True   # set aside, not overwritten by the cleared form
            self._set_aside(f"入力欄に戻せない値があります（{type(exc).__name__}）")
            return
        self.answered.emit(True)

    def _set_aside(self, why: str) -> None:
        from desk.intake import draft

        moved = draft.set_aside(self.file)
        self._waiting = False
        kept = f"ファイルは {moved.name} として残しました。" if moved is not None else ""
        self.problem.emit("前回の入力を復元できません", f"前回の入力を読めませんでした（{why}）。{kept}")


def offer_text(found: Draft, now: dt.datetime | None = None) -> str:
    """「2026-11-22 14:05（3時間前）に一時保存した相談の入力が残っています。復元しますか？」"""
    return f"{found.saved_label}（{_ago(found.saved_at, now)}）に一時保存した相談の入力が残っています。復元しますか？"


def offer_details(data: dict[str, Any]) -> str:
    """Whose form it is, how much of it is filled and where, and what each answer does."""
    from desk.ui.intake_fields import value_at
    from desk.ui.intake_pages import PAGES

    filled = sum(value_at(data, spec.key) not in (None, "", [], {}, False) for page in PAGES for spec in page.fields)
    filled += len(data.get("answers") or {}) + bool(data.get("monthly_sales"))
    # The extras' parts too: the monthly figures are on 売上, the answers on 確認.
    extras = {"売上": bool(data.get("monthly_sales")), "確認": bool(data.get("answers"))}
    steps = "、".join(f"{i}. {page.title}" for i, page in enumerate(PAGES, 1)
                     if page.filled_by(data) or extras.get(page.title))
    lines = [f"事業者名: {data.get('business_name') or '（未入力）'}",
             f"入力済み: {filled}項目" + (f"（{steps}）" if steps else ""),
             "",
             f"{RESTORE_TEXT}: この入力の続きから始めます。",
             f"{DISCARD_TEXT}: この入力を消して、空の入力欄で始めます（元に戻せません）。"]
    return "\n".join(lines)


def _ago(saved_at: dt.datetime, now: dt.datetime | None = None) -> str:
    minutes = int(((now or dt.datetime.now(dt.UTC)) - saved_at).total_seconds() // 60)
    if minutes < 1:
        return "たった今"
    if minutes < 60:
        return f"{minutes}分前"
    if minutes < 24 * 60:
        return f"{minutes // 60}時間前"
    return f"{minutes // (24 * 60)}日前"
