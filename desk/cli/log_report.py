"""`desk log report --month YYYY-MM -o FILE.pdf [--csv FILE]`: the monthly report for the prefecture.

The figures come from the log's counts (desk.log.monthly), the paper from desk.reports.monthly; a bad
month or file is said in one Japanese line (exit 2) before the database is opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.cli.common import EXIT_OK, EXIT_USAGE, CliError, file_error, open_store, output_file


def run(args: argparse.Namespace) -> int:
    from desk.log import monthly

    try:
        monthly.parse_month(args.month)
    except monthly.MonthError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if not args.output.name.lower().endswith(".pdf"):
        raise CliError(f"-o には PDF のファイル名（.pdf）を指定してください（{args.output}）", EXIT_USAGE)
    output_file(args.output)
    if args.csv is not None:
        output_file(args.csv)
    from desk.reports.fonts import FontNotFound
    from desk.settings import Settings

    log = open_store(args).log
    try:
        report = monthly.write(log, args.month, args.output, args.csv, font_path=Settings.load().get("pdf_font_path"))
    except FontNotFound as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise file_error(Path(exc.filename or args.output), exc) from exc
    also = f"、{args.csv}（CSV）" if args.csv else ""
    print(f"{args.output}{also} に {report.title} を書き出しました"
          f"（相談件数 {report.consultations:,} 件、相談事業者数 {report.businesses:,} 者）")
    return EXIT_OK
