"""The main window: for now the frame the consultation screens will live in,
showing which data the desk runs on (pack versions and as-of dates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from desk import catalogue


class MainWindow(QMainWindow):
    def __init__(self, *, make_session: Callable[[], Session], today: dt.date | None = None):
        super().__init__()
        self._make_session = make_session
        self._today = today or dt.date.today()
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
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(self.packs_label)
        layout.addStretch(2)
        self.setCentralWidget(central)
        self.refresh_data_status()

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
