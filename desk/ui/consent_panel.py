"""The visitor's personal details, their purpose and consent to share (issue 17), on the 確認 step.

Under the name and phone fields: the purpose they are used for (the ``privacy_purpose``
setting), then the visitor's yes or no to sharing this consultation with the window they are
referred to, and that window, chosen from the shared server's windows. The answer starts unset
(never pre-ticked) and goes back to unset with every new consultation; it is recorded with the
consultation when its sheet is issued (desk.ui.sheet_actions). A SQLite file is one counter's:
nothing is shared, and the panel says so instead of asking.

The windows are asked of the server the first time the panel is shown (off the app's start).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from desk.ui import look
from desk.ui.value_guard import guard_value

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from desk.db.services import ReferralWindow

NOT_ANSWERED, AGREED, DECLINED = "（未回答）", "同意する", "同意しない"
NOTHING_SHARED = ("このデータベースはこの窓口だけのもの（共有サーバーではありません）のため、"
                  "ほかの窓口との共有はありません。")
NO_OTHER_WINDOW = ("共有サーバーにほかの窓口が登録されていません"
                   "（サーバーの管理者が desk server add-window で登録します）。")
WINDOWS_UNREADABLE = "共有サーバーから窓口の一覧を読めませんでした: "


class ConsentSource(NamedTuple):
    """What the panel reads: the purpose text now, and the windows a visitor may be referred to
    (None where nothing is shared); given by the main window from its settings and services."""

    purpose: Callable[[], str]
    windows: Callable[[], list[ReferralWindow] | None]


class Consent(NamedTuple):
    consent: bool | None             # None: not asked or not answered (nothing is recorded)
    referred_window: str | None      # the role, when consent is given and a window chosen


class ConsentPanel(QWidget):
    changed = Signal()

    def __init__(self, source: ConsentSource | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._source = source
        self._windows: list[ReferralWindow] | None = None
        self._asked = False
        self._form = form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.purpose = QLabel(self)
        self.purpose.setWordWrap(True)
        look.tint(self.purpose, look.MUTED)
        form.addRow(self.purpose)
        self.answer = QComboBox(self)
        for text, value in ((NOT_ANSWERED, None), (AGREED, True), (DECLINED, False)):
            self.answer.addItem(text, value)
        guard_value(self.answer)
        form.addRow("紹介先の窓口との共有（氏名・電話を含む）", self.answer)
        self.referred = QComboBox(self)
        self.referred.addItem("（選んでください）", None)
        guard_value(self.referred)
        form.addRow("紹介先の窓口", self.referred)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        look.tint(self.explanation, look.MUTED)
        form.addRow(self.explanation)
        self.answer.currentIndexChanged.connect(self._answered)
        self.referred.currentIndexChanged.connect(self.changed)
        self._show_purpose()
        self._offer(None, NOTHING_SHARED)

    @property
    def sharing(self) -> bool:
        """Whether this database shares records between windows (known once the panel was shown)."""
        return self._windows is not None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's virtual
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """The purpose as the settings say now; the windows, asked of the server once."""
        self._show_purpose()
        if self._source is not None and not self._asked:
            self._asked = True
            try:
                windows = self._source.windows()
            except Exception as exc:   # the server away or refusing: the form goes on without sharing
                self._offer(None, WINDOWS_UNREADABLE + (str(exc).splitlines() or [type(exc).__name__])[0][:200])
                return
            self._offer(windows, NOTHING_SHARED if windows is None else NO_OTHER_WINDOW if not windows else "")

    def _show_purpose(self) -> None:
        # Set before the panel is first shown: a text arriving with the show would move the rows
        # below after they were laid out (and under the pointer of a clerk about to click).
        text = "" if self._source is None else "個人情報の利用目的: " + self._source.purpose()
        if text != self.purpose.text():
            self.purpose.setText(text)

    def _offer(self, windows: list[ReferralWindow] | None, explanation: str) -> None:
        self._windows = windows
        if explanation != self.explanation.text():
            self.explanation.setText(explanation)
        self.explanation.setVisible(bool(explanation))
        while self.referred.count() > 1:
            self.referred.removeItem(1)
        for choice in windows or ():
            self.referred.addItem(f"{choice.title}（{choice.role}）", choice.role)
        for row in (self.answer, self.referred):   # nothing to ask where nothing is shared: the reason instead
            if self._form.isRowVisible(row) != (windows is not None):   # unchanged: no new layout
                self._form.setRowVisible(row, windows is not None)
        self._answered()

    def _answered(self) -> None:
        agreed = self.answer.currentData() is True
        self.referred.setEnabled(agreed and bool(self._windows))
        if not agreed:
            self.referred.setCurrentIndex(0)
        self.changed.emit()

    def choice(self) -> Consent:
        if self._windows is None:
            return Consent(None, None)
        consent = self.answer.currentData()
        return Consent(consent, self.referred.currentData() if consent else None)

    def reset(self) -> None:
        """A new consultation: unanswered again."""
        self.answer.setCurrentIndex(0)
        self.referred.setCurrentIndex(0)
