"""The main window: the frame the consultation screens live in.

For now it shows which data the desk runs on (pack versions and as-of dates) and
makes a referral sheet from an intake file (ファイル → 相談ファイルから案内書を作成,
Ctrl+O): the core matches, logs and renders; this window only asks for the file
and shows the preview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from desk import catalogue
from desk.intake import IntakeError, read_intake_file
from desk.matching.service import MatchService
from desk.referral_service import create_referral, discard
from desk.reports.fonts import FontNotFound
from desk.settings import Settings
from desk.ui.referral_preview import ReferralPreviewDialog


class MainWindow(QMainWindow):
    def __init__(self, *, make_session: Callable[[], Session], settings: Settings | None = None,
                 today: dt.date | None = None):
        super().__init__()
        self._make_session = make_session
        self._settings = settings or Settings.load()
        self._today = today or dt.date.today()
        self._service = MatchService(make_session)
        self.setWindowTitle("融資相談窓口デスク")
        self.resize(1200, 760)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        title = QLabel("日産自動車の車両生産終了等に伴う中小企業向け特別相談窓口", central)
        title.setObjectName("titleLabel")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        self.packs_label = QLabel(central)
        self.packs_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.packs_label.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel("ファイル → 相談ファイルから案内書を作成（Ctrl+O）", central)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(self.packs_label)
        layout.addWidget(hint)
        layout.addStretch(2)
        self.setCentralWidget(central)
        self._build_menus()
        self.refresh_data_status()

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("ファイル(&F)")
        self.open_intake_action = QAction("相談ファイルから案内書を作成(&O)…", self)
        self.open_intake_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_intake_action.triggered.connect(self.open_intake_for_referral)
        menu.addAction(self.open_intake_action)
        menu.addSeparator()
        quit_action = QAction("終了(&Q)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def refresh_data_status(self) -> None:
        with self._make_session() as session:
            packs = catalogue.pack_summaries(session, self._today)
        lines = [f"{p['title']}（{p['as_of'] or '日付なし'} 時点、版 {p['version']}）"
                 + ("　※旧年度のデータです" if p["stale"] else "") for p in packs if p["fiscal_year"]]
        self.packs_label.setText("\n".join(lines) or "データがありません")
        stale = [p for p in packs if p["stale"]]
        status = f"データ {len(packs)} パック"
        if stale:
            status += "　⚠ 旧年度のデータ: " + "、".join(p["title"] for p in stale)
        self.statusBar().showMessage(status)

    # --- questions and messages (tests replace them) ------------------------------------------------
    @classmethod
    def ask_open_path(cls, parent: QWidget) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, "相談ファイルを開く", "", "相談ファイル (*.json)")
        return Path(path) if path else None

    def notify_problem(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    # --- actions ---------------------------------------------------------------------------------------------
    def open_intake_for_referral(self) -> None:
        path = self.ask_open_path(self)
        if path is not None:
            self.make_referral_from_file(path)

    def make_referral_from_file(self, path: Path) -> ReferralPreviewDialog | None:
        """Match the intake, log it, render the sheet and open the preview (window-modal)."""
        try:
            read = read_intake_file(path)
            referral = create_referral(self._make_session, read.intake, on=self._today, settings=self._settings,
                                       service=self._service, warnings=read.warnings)
        except IntakeError as exc:
            self.notify_problem("相談ファイルを読めません", f"{path.name}: {exc}")
            return None
        except FontNotFound as exc:
            self.notify_problem("案内書を作れません", str(exc))
            return None
        dialog = ReferralPreviewDialog(referral.pdf, reference_no=referral.reference_no,
                                       suggested_name=f"融資制度のご案内_{referral.reference_no}.pdf", parent=self)

        def finished(_result: int) -> None:
            if not dialog.delivered:
                discard(self._make_session, referral)  # neither printed nor saved: not logged
            self.statusBar().showMessage(
                f"受付番号 {referral.reference_no} の案内書を" + ("記録しました" if dialog.delivered else "破棄しました"))

        dialog.finished.connect(finished)
        dialog.open()
        return dialog
