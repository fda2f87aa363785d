"""`desk log search`, `desk log stats`, `desk log csv`, `desk log follow-up`: the log for scripts and reports.

Each reads the log through :class:`desk.db.services.LogService`: a page, counts grouped by the
database, a CSV streamed to its file. A bad date, number or unit is said in one Japanese line
(exit 2) before the database is opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from desk.cli.common import EXIT_OK, EXIT_USAGE, CliError, file_error, open_store, output_file, print_json

if TYPE_CHECKING:
    from desk.db.services import LogFilter

MAX_LIMIT = 100_000


def run(args: argparse.Namespace) -> int:
    if args.log_command == "follow-up":
        return _follow_up(args)
    where = _period(args, getattr(args, "text", None))
    if args.log_command == "search":
        return _search(args, where, _limit(args.limit))
    if args.log_command == "stats":
        return _stats(args, where)
    return _csv(args, where)


def _date(option: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} は YYYY-MM-DD の日付で指定してください（{text!r}）", EXIT_USAGE) from None


def _period(args: argparse.Namespace, text: str | None) -> LogFilter:
    from desk.db.services import LogFilter

    since, until = _date("--since", args.since), _date("--until", args.until)
    if since and until and since > until:
        raise CliError(f"--since（{since}）が --until（{until}）より後です", EXIT_USAGE)
    return LogFilter(text=text or None, since=since, until=until)


def _limit(text: str) -> int:
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise CliError(f"--limit は 1〜{MAX_LIMIT:,} の件数で指定してください（{text!r}）", EXIT_USAGE)
    return limit


def _search(args: argparse.Namespace, where: LogFilter, limit: int) -> int:
    from desk import textfmt
    from desk.db.services import LOG_COLUMNS

    store = open_store(args, quick_log=True)   # the page without SQLAlchemy where it can (desk.db.log_quick)
    try:
        page = store.log.page(where, limit=limit)
    finally:
        store.close()
    if args.json:
        print_json({"rows": page.rows, "more": page.next is not None})
        return EXIT_OK
    print(textfmt.table([label for _, label in LOG_COLUMNS],
                        [[str(dict(row)[key]) for key, _ in LOG_COLUMNS] for row in page.rows], max_width=30))
    more = "（さらにあります: --limit で増やせます）" if page.next is not None else ""
    print(f"\n{len(page.rows)} 件{more}")
    return EXIT_OK


def _stats(args: argparse.Namespace, where: LogFilter) -> int:
    from desk import textfmt
    from desk.db.services import LOG_DIMENSIONS

    if args.by not in LOG_DIMENSIONS:
        raise CliError(f"--by は {' / '.join(LOG_DIMENSIONS)} のどれかです（{args.by!r}）", EXIT_USAGE)
    groups = open_store(args).log.stats(where, by=args.by)
    if args.json:
        print_json({"by": args.by, "since": where.since.isoformat() if where.since else None,
                    "until": where.until.isoformat() if where.until else None,
                    "groups": [{"key": g.key, "label": g.label, "consultations": g.consultations,
                                "businesses": g.businesses} for g in groups]})
        return EXIT_OK
    print(textfmt.table([LOG_DIMENSIONS[args.by], "相談件数", "相談事業者数"],
                        [[g.label, f"{g.consultations:,}", f"{g.businesses:,}"] for g in groups]))
    if args.by in ("day", "month", "industry", "municipality", "window", "follow_up"):   # one group a consultation
        print(f"\n計 {sum(g.consultations for g in groups):,} 件")
    return EXIT_OK


# The statuses as staff may type them: the code or its Japanese word; "clear" (消す) removes one.
CLEAR = ("clear", "消す")


def _follow_up(args: argparse.Namespace) -> int:
    from desk import fiscal, vocab

    by_word = {label: code for code, label in vocab.FOLLOW_UPS.items()}
    status = args.status if args.status in vocab.FOLLOW_UPS else by_word.get(args.status)
    if status is None and args.status not in CLEAR:
        choices = " / ".join(f"{code}（{label}）" for code, label in vocab.FOLLOW_UPS.items())
        raise CliError(f"--status は {choices} / clear のどれかです（{args.status!r}）", EXIT_USAGE)
    from desk.db.services import FollowUpTooEarly

    day = (_date("--date", args.date) or fiscal.today()) if status is not None else None
    try:
        found = open_store(args).log.set_follow_up(args.reference_no, status=status, day=day)
    except FollowUpTooEarly as exc:
        raise CliError(f"--date（{exc.day}）は相談日（{exc.consulted_on}）より前です", EXIT_USAGE) from None
    if not found:
        raise CliError(f"受付番号 {args.reference_no!r} の記録はありません", EXIT_USAGE)
    said = f"{vocab.FOLLOW_UPS[status]}（{day}）" if status else "未入力に戻しました"
    print(f"{args.reference_no}: その後 {said}")
    return EXIT_OK


def _csv(args: argparse.Namespace, where: LogFilter) -> int:
    output_file(args.file)
    store = open_store(args)
    try:
        count = store.log.write_csv(args.file, where, include_personal=args.with_personal)
    except OSError as exc:
        raise file_error(args.file, exc) from exc
    personal = "（個人情報を含む）" if args.with_personal else ""
    print(f"{args.file} に {count:,} 件を書き出しました{personal}")
    return EXIT_OK
