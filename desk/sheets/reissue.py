"""A logged consultation read back: what its record shows on screen, and its sheet printed again.

The sheet is built again from what the record kept (:mod:`desk.log.stored`): the match it was
made from, so the same date, funds, contacts and data versions, never a match against today's
catalogue; the window and the staff as printed then. It is stamped 再発行 with the day it is
printed again, and a visitor's detail the retention rule cleared since prints as （削除済み）.
Printing it again is not another consultation: the caller counts it on the record
(``LogService.record_reprint``) once the sheet has reached the visitor, as a first sheet is
logged only once printed or saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desk import fiscal, vocab
from desk.log.stored import StoredReportError, intake_of_record, unpack_report
from desk.matching.answer import CONDITIONAL, ELIGIBLE, MatchReport
from desk.settings import Settings
from desk.sheets.referral import ReferralSheet, build_sheet, reiwa

if TYPE_CHECKING:
    from desk.db.services import ConsultationRecord

PURGED = "（削除済み）"
NOT_GIVEN = "—"


class NotReissuable(ValueError):
    """A record whose sheet cannot be printed again; the message says why, in words."""


@dataclass(frozen=True)
class Reissue:
    pdf: bytes
    reference_no: str
    consultation_id: str


def kept_report(record: ConsultationRecord) -> MatchReport:
    """The match the record's sheet was made from (raises NotReissuable)."""
    if record.report is None:
        raise NotReissuable("この記録には案内書の内容が残っていません"
                            "（案内書を記録に残すようになる前の版のデスクで作られた記録です）。")
    try:
        return unpack_report(record.report)
    except StoredReportError as exc:
        raise NotReissuable(f"記録された案内書の内容を読めません: {exc}") from exc


def reissue_stamp(issued_on: dt.date, on: dt.date) -> str:
    return (f"再発行　{reiwa(on)}　この案内書は {reiwa(issued_on)} にお渡ししたものの再発行です。"
            "内容はその日の判定と、その時点のデータによります。")


def _detail(record: ConsultationRecord, key: str) -> str | None:
    """A visitor's detail as the record keeps it, （削除済み） where the retention rule cleared it."""
    value: str | None = getattr(record, key)
    return value if value is not None else (PURGED if key in record.purged else None)


def kept_sheet(record: ConsultationRecord, *, window_phone: str, on: dt.date,
               privacy_purpose: str | None = None) -> ReferralSheet:
    """The record's sheet as it was issued, stamped 再発行 (raises NotReissuable)."""
    report = kept_report(record)
    intake = intake_of_record(record.intake, visitor_name=_detail(record, "visitor_name"),
                              visitor_phone=_detail(record, "visitor_phone"))
    sheet = build_sheet(report, intake, reference_no=record.reference_no, window_name=record.window_name or "",
                        window_phone=window_phone, staff_name=record.staff_name, privacy_purpose=privacy_purpose)
    return replace(sheet, reissue=reissue_stamp(report.as_of, on))


def reissue_referral(record: ConsultationRecord, *, settings: Settings, on: dt.date | None = None) -> Reissue:
    """The PDF of the record's sheet again (raises NotReissuable, FontNotFound). Nothing is
    recorded here: see the module's docstring."""
    from desk.reports.referral import ReferralSheetRenderer  # reportlab: only when a sheet is made

    # The record keeps the window's name, not its phone: this desk's phone when it is the same window.
    same_window = (record.window_name or "") == (settings.get("window_name") or "")
    phone = (settings.get("window_phone") or NOT_GIVEN) if same_window else NOT_GIVEN
    sheet = kept_sheet(record, window_phone=phone, on=on or fiscal.today(),
                       privacy_purpose=settings.get("privacy_purpose"))
    pdf = ReferralSheetRenderer(sheet, font_path=settings.get("pdf_font_path")).render()
    return Reissue(pdf, record.reference_no, record.id)


# --- the record on screen ------------------------------------------------------------------------


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(fiscal.JAPAN).strftime("%Y-%m-%d %H:%M")


def record_facts(record: ConsultationRecord, pack_titles: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The record as (label, value) rows for a read-only view: what was recorded, what the sheet
    said of the visitor and which funds it gave, its data versions (by the packs' titles, where
    ``pack_titles`` knows them) and its reprints."""
    titles = pack_titles or {}
    rows = [("受付番号", record.reference_no), ("日時", _local(record.created_at)),
            ("窓口", record.window_name or NOT_GIVEN), ("担当", record.staff_name or NOT_GIVEN),
            ("事業者名", record.business_name or NOT_GIVEN),
            ("ご来訪者", _detail(record, "visitor_name") or NOT_GIVEN),
            ("ご来訪者の電話", _detail(record, "visitor_phone") or NOT_GIVEN)]
    try:
        report: MatchReport | None = kept_report(record)
    except NotReissuable as exc:
        report = None
        rows += [("業種", vocab.INDUSTRIES.get(record.industry or "", NOT_GIVEN)),
                 ("所在地", record.municipality or NOT_GIVEN),
                 ("原因", "・".join(vocab.CAUSES.get(c, c) for c in record.causes) or NOT_GIVEN),
                 ("案内書", str(exc))]
    if report is not None:
        intake = intake_of_record(record.intake)
        sheet = build_sheet(report, intake, reference_no=record.reference_no, window_name="", window_phone="")
        rows += [(label, value) for label, value in sheet.business if label not in ("事業者名", "ご来訪者")]
        for status, label in ((ELIGIBLE, "対象の資金"), (CONDITIONAL, "条件付きの資金")):
            names = [f.name for f in report.funds if f.status == status]
            rows.append((label, "、".join(dict.fromkeys(names)) or "なし"))
    rows.append(("判定日", record.evaluated_on.isoformat()))
    rows.append(("データの版", "、".join(f"{titles.get(pack, pack)}（版 {version}）"
                                         for pack, version in sorted(record.pack_versions.items()))
                 or NOT_GIVEN))
    reprints = f"{record.reprint_count} 回" + (f"（最後 {_local(record.reprinted_at)}）" if record.reprinted_at else "")
    rows.append(("再発行", reprints if record.reprint_count else "なし"))
    return rows
