"""The visitor's personal details in the app (issue 17): their purpose shown where staff type them,
the visitor's consent to share, never pre-ticked, recorded with the consultation when the sheet is
issued; on a SQLite file nothing is shared and the panel says so."""

from __future__ import annotations

import datetime as dt
import io
from functools import cached_property

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db.services import ReferralWindow
from desk.db.store import Store
from desk.settings import PRIVACY_PURPOSE_DEFAULT, Settings
from desk.ui.consent_panel import AGREED, NOT_ANSWERED, NOTHING_SHARED, ConsentPanel
from desk.ui.main_window import MainWindow
from desk.ui.referral_preview import ReferralPreviewDialog
from tests.ui.conftest import TODAY

SUPPLIER = {"business_name": "追浜精工", "entity": "corporation", "industry": "manufacturing", "employees": 18,
            "municipality": "横須賀市",
            "causes": ["nissan"], "sales_change": {"last_3m_pct": -12.5}, "purposes": ["working"],
            "visitor_name": "山田太郎"}
LAST_STEP = 4


@pytest.fixture(autouse=True)
def problems(monkeypatch) -> list[str]:
    """What the window would say in a box (a real box would wait for a click)."""
    said: list[str] = []
    monkeypatch.setattr(MainWindow, "notify_problem", lambda self, title, text: said.append(text))
    return said


class _Windows:
    def __init__(self, windows: list[ReferralWindow] | None):
        self.windows = windows

    def referral_windows(self) -> list[ReferralWindow] | None:
        return self.windows

    def audit_trail(self, *, limit: int = 500) -> None:
        return None


class SharingStore(Store):
    """The bundled catalogue in a SQLite copy, seen as a server that lists windows to refer to."""

    @cached_property
    def server(self) -> _Windows:  # type: ignore[override]
        return _Windows([ReferralWindow("kip_yokosuka", "KIP 横須賀"), ReferralWindow("kanagawa_cgc", "保証協会")])


def _consultations(engine) -> list[tuple[str, bool | None, str | None]]:
    c = m.Consultation
    with Session(engine) as s:
        return list(s.execute(select(c.reference_no, c.consent_to_share, c.referred_window)).all())


def _ctrl_p(window: MainWindow) -> ReferralPreviewDialog | None:
    """The sheet as staff ask for it: Ctrl+P on the window."""
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    return window.findChild(ReferralPreviewDialog)


def _panel(qtbot, window: MainWindow) -> ConsentPanel:
    with qtbot.waitActive(window):
        window.activateWindow()
    window.stepper.go_to(LAST_STEP)
    panel = window.stepper.consent
    qtbot.waitUntil(panel.isVisible)
    return panel


def _sheet_text(dialog: ReferralPreviewDialog) -> str:
    return "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages)


def test_on_a_sqlite_file_the_purpose_is_shown_and_nothing_is_asked(qtbot, make_window, catalogue_engine, problems):
    window = make_window()
    window.stepper.load(SUPPLIER)
    panel = _panel(qtbot, window)
    assert PRIVACY_PURPOSE_DEFAULT in panel.purpose.text() and panel.purpose.isVisible()
    assert not panel.answer.isVisible() and panel.answer.currentText() == NOT_ANSWERED
    assert panel.explanation.isVisible() and panel.explanation.text() == NOTHING_SHARED
    assert not panel.sharing and panel.choice() == (None, None)
    window.settings.set("privacy_purpose", "ご連絡のためにだけ使います。")   # the settings dialog's edit
    window.stepper.go_to(0)
    window.stepper.go_to(LAST_STEP)
    qtbot.waitUntil(lambda: "ご連絡のためにだけ使います。" in panel.purpose.text())
    dialog = _ctrl_p(window)
    assert dialog is not None, problems
    assert "個人情報の取扱い:ご連絡のためにだけ使います。" in _sheet_text(dialog)
    [(_, consent, referred)] = _consultations(catalogue_engine)
    assert consent is None and referred is None          # nothing asked, nothing recorded
    dialog.reject()


def test_the_consent_is_asked_never_preticked_and_recorded_with_the_sheet(qtbot, catalogue_engine, tmp_path,
                                                                           problems):
    with Session(catalogue_engine) as s, s.begin():   # the windows as a server lists them
        for role in ("kip_yokosuka", "kanagawa_cgc"):
            s.add(m.ServiceWindow(role=role, title=role, created_at=dt.datetime.now(dt.UTC)))
    window = MainWindow(store=SharingStore.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                        today=TODAY)
    qtbot.addWidget(window)
    window.show()
    window.stepper.load(SUPPLIER)
    panel = _panel(qtbot, window)
    assert panel.sharing and panel.answer.isVisible() and not panel.explanation.isVisible()
    assert panel.answer.currentText() == NOT_ANSWERED and not panel.referred.isEnabled()
    assert [panel.referred.itemData(i) for i in range(panel.referred.count())] == [
        None, "kip_yokosuka", "kanagawa_cgc"]
    panel.answer.setFocus()
    QTest.keyClick(panel.answer, Qt.Key.Key_Down)          # 未回答 → 同意する, as a clerk picks it
    assert panel.answer.currentText() == AGREED and panel.referred.isEnabled()

    assert _ctrl_p(window) is None and _consultations(catalogue_engine) == []
    # no window chosen yet
    assert problems == ["共有に同意いただいた場合は、紹介先の窓口を選んでください。"]
    assert panel.referred.hasFocus()

    QTest.keyClick(panel.referred, Qt.Key.Key_Down)
    QTest.keyClick(panel.referred, Qt.Key.Key_Down)
    assert panel.choice() == (True, "kanagawa_cgc")
    dialog = _ctrl_p(window)
    assert dialog is not None
    assert _consultations(catalogue_engine) == [(dialog.reference_no, True, "kanagawa_cgc")]
    dialog.reject()                                          # not delivered: the record goes, consent with it
    qtbot.waitUntil(lambda: _consultations(catalogue_engine) == [])

    window.new_consultation()                                # another visitor: unanswered again
    assert panel.answer.currentText() == NOT_ANSWERED and panel.choice() == (None, None)
    assert not panel.referred.isEnabled()
    window.stepper.load(SUPPLIER)
    panel.answer.setCurrentIndex(2)                          # 同意しない: recorded as a no
    dialog = _ctrl_p(window)
    assert dialog is not None and _consultations(catalogue_engine) == [(dialog.reference_no, False, None)]
    dialog.reject()


def test_a_window_removed_meanwhile_stops_the_sheet_and_keeps_no_record(qtbot, catalogue_engine, tmp_path,
                                                                        problems):
    window = MainWindow(store=SharingStore.for_engine(catalogue_engine), settings=Settings(tmp_path / "s.json"),
                        today=TODAY)   # the server lists windows the database has not (removed since)
    qtbot.addWidget(window)
    window.show()
    window.stepper.load(SUPPLIER)
    panel = _panel(qtbot, window)
    panel.answer.setCurrentIndex(1)
    panel.referred.setCurrentIndex(1)
    assert _ctrl_p(window) is None and _consultations(catalogue_engine) == []
    assert len(problems) == 1 and "kip_yokosuka" in problems[0]
