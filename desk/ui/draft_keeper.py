"""Keeping the form in progress on disk, and offering it back after a crash.

The window's form is written to the draft file (:mod:`desk.intake.draft`) once the clerk has
stopped typing for a moment: a timer restarted by each edit, so a keystroke only restarts a
timer and the file is written outside its 16 ms. At start, the window asks only whether a
draft exists; if one does, it is read once the window is up and offered back in a window-modal
question that does not hold up the start (「前回の入力が残っています…。復元しますか？」). Until
the clerk answers, nothing is written over it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
        box = QMessageBox(QMessageBox.Icon.Question, "前回の入力",
                          f"前回の入力が残っています（{found.saved_label}）。復元しますか？",
                          QMessageBox.StandardButton.NoButton, self._parent)
        box.setInformativeText("「破棄する」を選ぶと、前回の入力は消えます。")
        restore = box.addButton(RESTORE_TEXT, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(DISCARD_TEXT, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        # No escape button: the clerk chooses one of the two (Esc does neither).
        box.finished.connect(lambda _result: self._answer(box, restore_chosen=box.clickedButton() is restore,
                                                          found=found))
        self.prompt = box
        box.open()   # window-modal, not exec(): the start goes on
        self.offered.emit()

    def _answer(self, box: QMessageBox, *, restore_chosen: bool, found: Draft) -> None:
        from desk.intake import draft

        self.prompt = None
        box.deleteLater()
        self._waiting = False
        if not restore_chosen:
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
