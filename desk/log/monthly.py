"""The monthly report's figures, as a view model: the month's consultations and businesses by cause,
industry, municipality, window, referred fund and follow-up, and the month beside the ones before.

Every figure is a count of :meth:`desk.db.services.LogService.stats` over the month's Japanese days
(the same call as ``desk log stats --since --until --by``), so the report and the command never
disagree. No personal field is read: the log's counts group by cause, industry, place, window,
fund and follow-up, never by business or visitor. Qt-free; laid out on paper by
:mod:`desk.reports.monthly`, written for Excel by :func:`to_csv`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk.textfmt import csv_safe

if TYPE_CHECKING:
    from pathlib import Path

    from desk.db.services import LogService, LogStat

MONTHS_SHOWN = 12     # the month and the eleven before it
SECTIONS = (("cause", "原因別"), ("industry", "業種別"), ("municipality", "所在地別"), ("window", "窓口別"),
            ("fund", "紹介した資金"), ("follow_up", "その後（申込・実行・謝絶）"))
# Dimensions where a consultation falls in one group (its groups add up to the month); a consultation
# names several causes and funds, or none.
ONE_GROUP_EACH = frozenset({"industry", "municipality", "window", "follow_up"})


class MonthError(ValueError):
    """A month that is not YYYY-MM, said in Japanese."""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    consultations: int
    businesses: int


@dataclass(frozen=True)
class Section:
    dimension: str          # a key of LOG_DIMENSIONS
    title: str
    groups: tuple[Group, ...]   # every group the log's count gives, in its order
    adds_up: bool           # True when each consultation is in exactly one group


@dataclass(frozen=True)
class MonthlyReport:
    month: str              # "2026-11"
    title: str              # "2026年11月 相談実績報告"
    period: str             # "2026年11月1日〜30日（日本時間）"
    consultations: int
    businesses: int
    previous: Group | None  # the month before, for 前月比
    trend: tuple[Group, ...]    # MONTHS_SHOWN months, oldest first, label "2026年11月"
    sections: tuple[Section, ...]
    made_on: str            # "2026年12月3日作成"


def parse_month(text: str) -> dt.date:
    """The first day of ``text`` ("2026-11"); MonthError otherwise."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1900:
        raise MonthError(f"--month は YYYY-MM の年月で指定してください（{text!r}）")
    return dt.date(int(found[1]), int(found[2]), 1)


def month_after(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def months_before(first: dt.date, count: int) -> dt.date:
    index = first.year * 12 + first.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{int(year)}年{int(month)}月"


def build(log: LogService, month: str, *, today: dt.date | None = None) -> MonthlyReport:
    """The report of ``month`` ("YYYY-MM") from the log's counts (raises MonthError)."""
    from desk import fiscal
    from desk.db.services import LogFilter

    first = parse_month(month)
    last = month_after(first) - dt.timedelta(days=1)
    where = LogFilter(since=first, until=last)
    sections = tuple(Section(by, title, tuple(_groups(log.stats(where, by=by))), by in ONE_GROUP_EACH)
                     for by, title in SECTIONS)
    start = months_before(first, MONTHS_SHOWN - 1)
    counted = {s.key: s for s in log.stats(LogFilter(since=start, until=last), by="month")}
    trend = []
    for n in range(MONTHS_SHOWN):
        key = f"{months_before(first, MONTHS_SHOWN - 1 - n):%Y-%m}"
        stat = counted.get(key)
        trend.append(Group(key, month_label(key), stat.consultations if stat else 0, stat.businesses if stat else 0))
    made = today or fiscal.today()
    return MonthlyReport(
        month=f"{first:%Y-%m}", title=f"{month_label(f'{first:%Y-%m}')} 相談実績報告",
        period=f"{first.year}年{first.month}月1日〜{last.day}日（日本時間）",
        consultations=trend[-1].consultations, businesses=trend[-1].businesses, previous=trend[-2],
        trend=tuple(trend), sections=sections, made_on=f"{made.year}年{made.month}月{made.day}日作成")


def write(log: LogService, month: str, pdf: Path, csv: Path | None = None, *,
          font_path: str | None = None) -> MonthlyReport:
    """The report of ``month`` laid out (desk.reports.monthly) and written to ``pdf`` (and its figures
    to ``csv``), each atomically; raises MonthError, FontNotFound, OSError."""
    from desk.fileio import atomic_write_bytes
    from desk.reports.monthly import MonthlyReportRenderer

    report = build(log, month)
    document = MonthlyReportRenderer(report, font_path=font_path).render()
    atomic_write_bytes(pdf, document)
    if csv is not None:
        atomic_write_bytes(csv, to_csv(report))
    return report


def _groups(stats: list[LogStat]) -> list[Group]:
    return [Group(s.key, s.label, s.consultations, s.businesses) for s in stats]


def change(now: int, before: int) -> str:
    """前月比 in words: 「+12件（+8.5%）」, 「±0件」, 「+5件（前月 0件）」."""
    diff = now - before
    if diff == 0:
        return "±0件"
    sign = "+" if diff > 0 else "−"
    if before == 0:
        return f"{sign}{abs(diff):,}件（前月 0件）"
    return f"{sign}{abs(diff):,}件（{sign}{abs(diff) / before * 100:.1f}%）"


def to_csv(report: MonthlyReport) -> bytes:
    """The report's figures for Excel (UTF-8 with a byte-order mark, CRLF): one table of
    区分, 項目, 相談件数, 相談事業者数, every group of every section and every month of the trend."""
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["区分", "項目", "相談件数", "相談事業者数"])
    writer.writerow(["合計", report.title, report.consultations, report.businesses])
    for section in report.sections:
        for group in section.groups:
            writer.writerow([section.title, _cell(group.label), group.consultations, group.businesses])
    for group in report.trend:
        writer.writerow(["月別の推移", group.label, group.consultations, group.businesses])
    return b"\xef\xbb\xbf" + text.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    """A label as a cell that never runs as a formula (a window's name is typed by staff)."""
    return str(csv_safe(value))
