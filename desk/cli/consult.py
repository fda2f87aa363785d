"""Commands for a consultation: `desk match`, `desk referral`, `desk handout` (the leaflet)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from desk import fiscal, textfmt
from desk.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    file_error,
    input_files,
    open_database,
    open_store,
    output_file,
    print_json,
)

if TYPE_CHECKING:
    from desk.db.store import Store
    from desk.intake.reader import Intake
    from desk.matching.answer import MatchReport
    from desk.matching.routes import Circumstance, Opening


def _match_file(args: argparse.Namespace, store: Store) -> tuple[Intake, MatchReport]:
    """The intake file and its match on ``--date`` (a bad file is a usage error)."""
    from desk.intake.reader import IntakeError, read_intake_file, refusal_of_file

    input_files([args.intake])
    try:
        read = read_intake_file(args.intake)
        return read.intake, store.matcher.match(read.intake, on=args.date or fiscal.today(), warnings=read.warnings)
    except IntakeError as exc:
        raise CliError(refusal_of_file(args.intake.name, exc), EXIT_USAGE) from exc


def cmd_match(args: argparse.Namespace) -> int:
    _intake, report = _match_file(args, open_store(args))
    if args.json:
        print_json(report.to_json())
    else:
        print_report(report)
    for warning in report.warnings:
        print(f"desk: 注意: {warning}", file=sys.stderr)
    return EXIT_OK


def print_report(report: MatchReport) -> None:
    """`desk match`'s tables: the funds by status, then the contacts."""
    from desk.matching import wording
    from desk.matching.engine import STATUS_LABELS
    from desk.matching.routes import circumstances, openings

    print(f"{report.as_of.isoformat()} 時点　所在地: {report.place}　中小企業者: {report.sme.reason}")
    for status in ("eligible", "conditional", "ineligible"):
        group = [f for f in report.funds if f.status == status]
        if status == "ineligible":
            _print_openings(openings(report))
            waiting = circumstances(report)
            _print_circumstances(waiting)
            made_for = {id(fund) for c in waiting for fund in c.funds}
            group = [f for f in group if id(f) not in made_for]
        if not group:
            continue
        print(f"\n■ {STATUS_LABELS[status]}（{len(group)}）")
        rows = []
        for f in group:
            detail = "／".join(f.reasons) if status != "eligible" else "、".join(t.what for t in f.todos)
            rows.append([f.name, f.provider, wording.available(f), wording.visitor_rate(f), wording.fee(f), detail])
        print(textfmt.table(["制度", "提供者", "利用可能額", "利率", "保証料率", "理由・やること"], rows, max_width=60))
    print("\n■ 相談先")
    print(textfmt.table(["種類", "名称", "電話", "距離", "理由"], [
        [c.role_label, c.name, wording.phone(c), textfmt.distance(c.distance_km) or "—", c.why]
        for c in report.contacts], max_width=50))


def _print_openings(steps: list[Opening]) -> None:
    """The answer's third layer: what the business could do to open closed funds, best first."""
    from desk.matching.routes import BEST_SHOWN

    if not steps:
        return
    print(f"\n■ 取り組めば対象になる資金（{len(steps)}通り）")
    for i, opening in enumerate(steps[:BEST_SHOWN], 1):
        names = "、".join(f.name for f in opening.funds)
        print(f"{i}. {opening.step}\n   → {names}")
    if len(steps) > BEST_SHOWN:
        print(f"（ほかに{len(steps) - BEST_SHOWN}通り: 全文は desk match --json の route）")


def _print_circumstances(waiting: list[Circumstance]) -> None:
    """The closed funds made for a circumstance the visitor did not mention: what to ask."""
    from desk.matching.routes import CIRCUMSTANCES_LINE

    if not waiting:
        return
    count = sum(len(c.funds) for c in waiting)
    print(f"\n■ {CIRCUMSTANCES_LINE}（{count}件）: 当てはまれば対象になり得ます")
    for circumstance in waiting:
        print(f"・{circumstance.name} → {'、'.join(f.name for f in circumstance.funds)}")


def cmd_referral(args: argparse.Namespace) -> int:
    from desk.sheets.interrupt import Interrupted, signals_as_exceptions

    if (args.intake is None) == (args.reprint is None):
        raise CliError("相談ファイル（INTAKE.json）か --reprint 受付番号 のどちらか一つを指定してください", EXIT_USAGE)
    output_file(args.output)   # before anything is logged
    if args.reprint is not None:
        return _reprint(args)
    try:
        # SIGTERM and SIGHUP (a logout, a service stopping) undo the referral like Ctrl-C.
        with signals_as_exceptions():
            return _referral(args)
    except (Interrupted, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else 2
        name = str(exc) if isinstance(exc, Interrupted) else "SIGINT"
        raise CliError(f"中断しました（{name}）: 案内書は作らず、相談記録も残していません", 128 + signum) from exc


def _referral(args: argparse.Namespace) -> int:
    from desk.fileio import atomic_write_bytes
    from desk.reports.fonts import FontNotFound
    from desk.settings import Settings, SettingsError
    from desk.sheets.issuing import UndoPending, issue_to_file

    settings = Settings.load()
    store = open_store(args)
    intake, report = _match_file(args, store)
    try:
        referral = issue_to_file(store.log_writer, intake, report, settings=settings, database=store.url,
                                 target=args.output,
                                 # 0600 like every file with the visitor's name and phone (issue 15, item 13)
                                 write=lambda pdf: atomic_write_bytes(args.output, pdf))
    except (FontNotFound, SettingsError) as exc:
        raise CliError(str(exc)) from exc
    except UndoPending as exc:
        from desk.cli.common import short

        what = (str(file_error(args.output, exc.problem)) if isinstance(exc.problem, OSError)
                else f"案内書を作れません（{short(exc.problem)}）")
        raise CliError(f"{what}。その相談記録は、データベースがほかの処理に使われているため今は取り消せません"
                       f"（{short(exc.__cause__ or exc)}）: 次に desk を使うときに取り消します") from exc
    except OSError as exc:   # no sheet reached the visitor: the record is removed again
        raise file_error(args.output, exc) from exc
    print(f"{args.output}（受付番号 {referral.reference_no}）")
    for warning in report.warnings:
        print(f"desk: 注意: {warning}", file=sys.stderr)
    return EXIT_OK


def _reprint(args: argparse.Namespace) -> int:
    """A logged consultation's sheet again, as issued, stamped 再発行; counted on its record once written."""
    from desk.db.services import LogFilter
    from desk.fileio import atomic_write_bytes
    from desk.reports.fonts import FontNotFound
    from desk.settings import Settings
    from desk.sheets.reissue import NotReissuable, reissue_referral

    settings = Settings.load()
    log = open_database(args).log
    number = args.reprint.strip()
    found = [row for row in log.page(LogFilter(text=number)).rows if row["reference_no"] == number]
    record = log.record(found[0]["id"]) if found else None
    if record is None:
        raise CliError(f"受付番号 {number} の相談記録はありません")
    try:
        reissue = reissue_referral(record, settings=settings, on=args.date)
    except (NotReissuable, FontNotFound) as exc:
        raise CliError(str(exc)) from exc
    try:
        atomic_write_bytes(args.output, reissue.pdf)
    except OSError as exc:
        raise file_error(args.output, exc) from exc
    count = log.record_reprint(record.id)
    print(f"{args.output}（受付番号 {reissue.reference_no} の再発行、{count} 回目）")
    return EXIT_OK


def cmd_handout(args: argparse.Namespace) -> int:
    from desk.fileio import atomic_write_bytes
    from desk.reports.fonts import FontNotFound
    from desk.reports.leaflet import LeafletRenderer
    from desk.settings import Settings
    from desk.sheets.leaflet import build_leaflet, special_windows

    on = args.date or fiscal.today()
    output_file(args.output)
    settings = Settings.load()
    loaded = open_store(args).matcher.loaded()
    windows = special_windows(loaded.offices, settings.get("window_name"), settings.get("window_phone"))
    leaflet = build_leaflet(loaded.catalogue, on=on, windows=windows)
    try:
        atomic_write_bytes(args.output, LeafletRenderer(leaflet, font_path=settings.get("pdf_font_path")).render(),
                           mode=0o644)
    except FontNotFound as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise file_error(args.output, exc) from exc
    print(f"{args.output}（{len(leaflet.rows)} 制度）")
    return EXIT_OK
