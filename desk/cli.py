"""The `desk` command: the app with no arguments, the engine and the catalogue without a screen.

Qt is imported only when the app starts, so every other command runs on a
machine without a display and loads quickly. Errors a user can cause (a bad
pack, an unknown municipality, a locked file) end with a one-line message and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desk import __version__, paths, vocab

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_PROBLEM):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk", description="融資相談窓口デスク: 引数なしでアプリを起動します。")
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    _add_app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("programs", help="融資制度の一覧")
    p.add_argument("--json", action="store_true", help="JSON で出力")
    p.add_argument("--provider", metavar="ID", help="提供者で絞り込む（kanagawa, sagamihara）")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="この日に有効な制度（既定: 今日）")

    p = sub.add_parser("match", help="相談内容（インテークファイル）に合う融資制度と相談先")
    p.add_argument("intake", type=Path, metavar="INTAKE.json")
    p.add_argument("--json", action="store_true", help="INTAKE.md の JSON で出力")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="この日時点で判定（既定: 今日）")

    p = sub.add_parser("referral", help="来訪者にお渡しする案内書（PDF）を作り、相談記録に残す")
    p.add_argument("intake", type=Path, metavar="INTAKE.json")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="この日時点で判定（既定: 今日）")

    p = sub.add_parser("handout", help="日産関連・売上減少の融資制度の一覧（1枚のチラシ、PDF）")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="この日に有効な制度（既定: 今日）")

    p = sub.add_parser("contacts", help="相談先・窓口の一覧")
    p.add_argument("--json", action="store_true", help="JSON で出力")
    p.add_argument("--role", choices=list(vocab.ROLES), help="種類で絞り込む")
    p.add_argument("--municipality", metavar="M", help="この市区町村を担当する窓口（例: 横須賀市、横浜市中区）")
    p.add_argument("--prefecture", metavar="P", help="都道府県（既定: 神奈川県）")
    p.add_argument("--postal-code", metavar="NNN-NNNN", help="郵便番号から市区町村を決める")

    p = sub.add_parser("import", help="データパックを取り込む（全部成功するか、何も変えないか）")
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK")
    p.add_argument("--overwrite-edits", action="store_true", help="管理画面での編集を上書きしてよい")

    p = sub.add_parser("export", help="データベースの内容をデータパックとして書き出す")
    p.add_argument("directory", type=Path, metavar="DIR")

    p = sub.add_parser("validate", help="データパックを検査する（データベースは変えない）")
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK")

    p = sub.add_parser("db", help="データベースの管理")
    db_sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="スキーマを最新にする（初回は同梱データで作成）")
    db_sub.add_parser("check", help="整合性と外部キーを検査する（問題があれば終了コード1）")
    db_sub.add_parser("backup", help="データベースのバックアップを作る（移行・取り込みの前にも自動で作ります）")
    db_sub.add_parser("backups", help="バックアップの一覧（新しい順）")
    restore = db_sub.add_parser("restore", help="バックアップから戻す（今の内容も先にバックアップします）")
    restore.add_argument("file", type=Path, metavar="FILE")

    p = sub.add_parser("log", help="相談記録の管理")
    log_sub = p.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    purge = log_sub.add_parser("purge", help="古い記録から個人情報（来訪者の氏名・電話）を消す")
    purge.add_argument("--older-than", type=int, required=True, metavar="DAYS", help="この日数より前の記録が対象")
    export = log_sub.add_parser("export", help="この端末の記録のうち、前回の書き出し以降のものをファイルに書き出す")
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--all", action="store_true", help="書き出し済みのものも含め、この端末の記録をすべて")
    export.add_argument("--without-personal", action="store_true", help="個人情報（来訪者の氏名・電話）を含めない")
    imp = log_sub.add_parser("import", help="書き出されたファイルの記録を取り込む（何度取り込んでも重複しません）")
    imp.add_argument("file", type=Path, metavar="FILE")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください: {text!r}") from None


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    """The options of the bare `desk` (the app), which every command also takes."""
    parser.add_argument("--db", metavar="PATH|URL", help="使うデータベース（SQLite のファイルか URL）")
    parser.add_argument("--basedir", metavar="DIR", help="データと設定をこのフォルダの下に置く")
    parser.add_argument("--exit-when-ready", action="store_true",
                        help="アプリを起動し、画面と最初の結果が表示されたら終了する（動作確認・計測用）")
    parser.add_argument("--exit-when-loaded", action="store_true",
                        help="アプリを起動し、判定の仕組みまで読み込んだら終了する（動作確認・計測用）")


def _parse_app_start(argv: list[str]) -> argparse.Namespace | None:
    """The bare `desk` and its options, without building every command's parser (a few
    milliseconds of the app's start); None when ``argv`` names a command or asks for help."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    parser = argparse.ArgumentParser(prog="desk", add_help=False, exit_on_error=False)
    _add_app_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None   # the full parser says what is wrong
    if rest:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parse_app_start(argv) or build_parser().parse_args(argv)
    paths.init(args.basedir)
    try:
        if args.command is None:
            return _start_app(args)
        handler = COMMANDS[args.command]
        return handler(args)
    except CliError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `desk programs | head`: the reader left; say nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        print(f"desk: データベースを開けません（{_short(exc)}）", file=sys.stderr)
        return EXIT_PROBLEM


def _is_database_error(exc: BaseException) -> bool:
    # SQLAlchemy is not imported by the quick commands, so its errors are recognised
    # only when it was (importing it here would cost every command its import time).
    import sqlite3

    sa_exc = sys.modules.get("sqlalchemy.exc")
    return isinstance(exc, sqlite3.DatabaseError) or (sa_exc is not None and isinstance(exc, sa_exc.DatabaseError))


# --- database access ----------------------------------------------------------------------

def _database_url(args: argparse.Namespace) -> str:
    from desk.db.urls import resolve_database_url
    from desk.settings import Settings, SettingsError

    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise CliError(str(exc)) from exc
    return resolve_database_url(cli_db=args.db, setting=settings.get("database_url"))


def _store(args: argparse.Namespace):
    """The database for the quick commands (match, referral, the app): see desk.store."""
    from desk.store import Store

    with _opening_database():
        store = Store.open(_database_url(args))
    for warning in store.warnings:
        print(f"desk: 警告: {warning}", file=sys.stderr)
    return store


def _engine(args: argparse.Namespace, *, ready: bool = True):
    from desk.db import engine as db_engine
    from desk.db import setup

    with _opening_database():
        engine = db_engine.make_engine(_database_url(args))
        if ready:
            setup.ensure_ready(engine)
    return engine


@contextmanager
def _opening_database():
    """Opening (and on first run filling) the database: a locked file or a broken bundled pack
    is a one-line message."""
    try:
        yield
    except OSError as exc:
        raise CliError(f"データベースを開けません（{_short(exc)}）") from exc
    except Exception as exc:
        from desk.db.packs.schema import PackInvalid  # the pack reader: not on the quick path

        if isinstance(exc, PackInvalid):
            raise CliError(f"同梱データパックを読めません:\n{exc}") from exc
        raise


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# --- commands -------------------------------------------------------------------------------

def cmd_programs(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from desk import catalogue, textfmt

    on = args.date or dt.date.today()
    with Session(_engine(args)) as session:
        known = catalogue.provider_ids(session)
        if args.provider and args.provider not in known:
            raise CliError(f"提供者 '{args.provider}' はありません（あるもの: {', '.join(known)}）", EXIT_USAGE)
        programs = catalogue.list_programs(session, provider=args.provider, on=on)
    if args.json:
        _print_json({"as_of": on.isoformat(), "programs": programs})
        return EXIT_OK
    rows = []
    for program in programs:
        for v in program["variants"]:
            fees = [f for f in v["guarantee_fees"] if f["in_force"]]
            fee = " / ".join(textfmt.pct_range(f["min_pct"], f["max_pct"]) for f in fees) or "—"
            source = f"{program['source']['file'] or ''} {program['data_as_of'] or '日付なし'}"
            rows.append([v["name"], program["provider"]["name"] or "", textfmt.yen(v["limit_yen"]),
                         textfmt.rate_tiers(v["rate_tiers"], v["rate_kind"]), textfmt.months(v["max_term_months"]),
                         fee, source + (" ※旧年度" if program["stale"] else "")])
    print(textfmt.table(["制度", "提供者", "限度額", "利率", "最長期間", "保証料率", "出典"], rows))
    print(f"\n{len(programs)} 制度 / {len(rows)} 区分（{on.isoformat()} 時点）")
    return EXIT_OK


def cmd_match(args: argparse.Namespace) -> int:
    from desk import textfmt
    from desk.intake import IntakeError, read_intake_file
    from desk.matching.engine import STATUS_LABELS

    on = args.date or dt.date.today()
    try:
        read = read_intake_file(args.intake)
        result = _store(args).matcher.match(read.intake, on=on, warnings=read.warnings)
    except IntakeError as exc:
        raise CliError(f"{args.intake.name}: {exc}", EXIT_USAGE) from exc
    if args.json:
        _print_json(result)
    else:
        print(f"{result['as_of']} 時点　所在地: {result['place']}　中小企業者: {result['sme']['reason']}")
        for status in ("eligible", "conditional", "ineligible"):
            group = [p for p in result["programs"] if p["status"] == status]
            if not group:
                continue
            print(f"\n■ {STATUS_LABELS[status]}（{len(group)}）")
            rows = []
            for p in group:
                fee = textfmt.pct_range(*p["guarantee_fee_pct"]) if p["guarantee_fee_pct"] else "—"
                rate = textfmt.visitor_rate(p["own_rate_pct"], p["rate_pct"], p["rate_tiers"])
                detail = "／".join(p["reasons"]) if status != "eligible" else "、".join(t["what"] for t in p["todo"])
                rows.append([p["name"], p["provider"], textfmt.yen(p["remaining_limit_yen"]), rate, fee, detail])
            print(textfmt.table(["制度", "提供者", "利用可能額", "利率", "保証料率", "理由・やること"], rows, max_width=60))
        print("\n■ 相談先")
        print(textfmt.table(["種類", "名称", "電話", "距離", "理由"], [
            [c["role_label"], c["name"], c["phone"] or "—", "—" if c["distance_km"] is None else f"{c['distance_km']}km",
             c["why"]] for c in result["contacts"]], max_width=50))
    for warning in result["warnings"]:
        print(f"desk: 注意: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_referral(args: argparse.Namespace) -> int:
    from desk.fileio import atomic_write_bytes
    from desk.intake import IntakeError, read_intake_file
    from desk.referral_service import create_referral, discard
    from desk.reports.fonts import FontNotFound
    from desk.settings import Settings

    on = args.date or dt.date.today()
    settings = Settings.load()
    store = _store(args)
    try:
        read = read_intake_file(args.intake)
        referral = create_referral(store.log_writer, read.intake, on=on, settings=settings, service=store.matcher,
                                   warnings=read.warnings)
    except IntakeError as exc:
        raise CliError(f"{args.intake.name}: {exc}", EXIT_USAGE) from exc
    except FontNotFound as exc:
        raise CliError(str(exc)) from exc
    try:
        atomic_write_bytes(args.output, referral.pdf, mode=0o644)
    except OSError as exc:
        discard(store.log_writer, referral)  # no sheet reached the visitor: not logged as printed
        raise CliError(f"{args.output} に書き込めません（{exc.strerror}）") from exc
    print(f"{args.output}（受付番号 {referral.reference_no}）")
    for warning in referral.result["warnings"]:
        print(f"desk: 注意: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_handout(args: argparse.Namespace) -> int:
    from desk.fileio import atomic_write_bytes
    from desk.handout import build_handout
    from desk.reports.fonts import FontNotFound
    from desk.reports.handout import HandoutRenderer
    from desk.settings import Settings

    on = args.date or dt.date.today()
    settings = Settings.load()
    loaded = _store(args).matcher.loaded()
    catalogue, offices = loaded.catalogue, loaded.offices
    # The special windows of the 2025-07-16 release: the prefecture's, KIP's and the guarantee association's.
    windows = [(settings.get("window_name"), settings.get("window_phone"))]
    windows += [(o.name_current or o.name, o.phone) for o in offices
                if o.prefecture == "神奈川県" and o.phone and (o.role == "guarantee_branch" or o.id == "kip.yorozu")]
    handout = build_handout(catalogue, on=on, windows=windows)
    try:
        atomic_write_bytes(args.output, HandoutRenderer(handout, font_path=settings.get("pdf_font_path")).render(),
                           mode=0o644)
    except FontNotFound as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"{args.output} に書き込めません（{exc.strerror}）") from exc
    print(f"{args.output}（{len(handout.rows)} 制度）")
    return EXIT_OK


def cmd_contacts(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from desk import directory, textfmt
    from desk.places import PlaceError

    with Session(_engine(args)) as session:
        place = None
        if args.municipality or args.postal_code or args.prefecture:
            try:
                place = directory.resolve_place(session, prefecture=args.prefecture, municipality=args.municipality,
                                                postal_code=args.postal_code)
            except PlaceError as exc:
                raise CliError(str(exc), EXIT_USAGE) from exc
        contacts = directory.list_contacts(session, role=args.role, place=place)
    if args.json:
        _print_json({"place": place.label if place else None, "contacts": contacts})
        return EXIT_OK
    rows = [[c["role_label"], c["name"], c["phone"] or "—", c["address"] or "—",
             "—" if c["distance_km"] is None else f"{c['distance_km']}km", c["hours"] or ""] for c in contacts]
    print(textfmt.table(["種類", "名称", "電話", "所在地", "距離", "受付時間"], rows))
    print(f"\n{len(contacts)} 件" + (f"（{place.label}）" if place else ""))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from desk.db.packs import importer
    from desk.db.packs.schema import PackInvalid

    try:
        loaded = importer.read_packs(args.packs)
    except PackInvalid as exc:
        raise CliError(f"データパックに問題があります:\n{exc}") from exc
    for pack in loaded:
        counts = ", ".join(f"{k} {len(v)}" for k, v in pack.data.sections.items() if v)
        print(f"{pack.path.name}: OK（{pack.data.id} {pack.data.header['version']}: {counts}）")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from desk.db import setup
    from desk.db.packs.importer import EditsWouldBeLost
    from desk.db.packs.schema import PackInvalid

    engine = _engine(args)
    try:
        summaries = setup.import_files(engine, args.packs, overwrite_edits=args.overwrite_edits)
    except PackInvalid as exc:
        raise CliError(f"取り込みを中止しました（データベースは変わっていません）:\n{exc}") from exc
    except EditsWouldBeLost as exc:
        raise CliError(f"{exc}\n上書きしてよければ --overwrite-edits を付けてください（データベースは変わっていません）") from exc
    for s in summaries:
        counts = ", ".join(f"{k} {n}" for k, n in s.counts.items())
        before = f"{s.replaced_version} → " if s.replaced_version else "新規 "
        print(f"{s.pack_id}: {before}{s.version}（{counts}）")
    _refresh_snapshot(engine)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from desk.db.packs import exporter

    with Session(_engine(args)) as session:
        try:
            written = exporter.export_packs(session, args.directory)
        except OSError as exc:
            raise CliError(f"{args.directory} に書き出せません（{exc.strerror}）") from exc
    for path in written:
        print(path)
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    if args.db_command in ("backup", "backups", "restore"):
        return _cmd_backup(args)
    from desk.db import setup

    engine = _engine(args, ready=False)
    if args.db_command == "upgrade":
        from desk.db.packs.schema import PackInvalid

        before, after = setup.upgrade(engine)
        try:
            imported = setup.ensure_ready(engine)
            updated, kept = setup.update_bundled_packs(engine)
        except PackInvalid as exc:
            raise CliError(f"同梱データパックを取り込めません（データベースは変わっていません）:\n{exc}") from exc
        print(f"スキーマ: {before or '（新規）'} → {after}")
        for s in imported:
            print(f"  取り込み: {s.pack_id} {s.version}")
        for s in updated:
            print(f"  更新: {s.pack_id} {s.replaced_version or '（新規）'} → {s.version}")
        for line in kept:
            print(f"  {line}", file=sys.stderr)
        _refresh_snapshot(engine)
        return EXIT_OK
    result = setup.check(engine)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    for note in result.notes:
        print(f"注意: {note}", file=sys.stderr)
    if result.ok:
        print("OK: " + (", ".join(f"{k} {n}" for k, n in result.counts.items()) or "ファイルは健全です"))
        return EXIT_OK
    return EXIT_PROBLEM


def _cmd_backup(args: argparse.Namespace) -> int:
    from desk.db import backup

    url = _database_url(args)
    try:
        if args.db_command == "backup":
            made = backup.backup(url, "manual")
            if made is None:
                raise CliError("データベースがまだありません（desk db upgrade で作成できます）")
            print(made)
        elif args.db_command == "backups":
            for b in backup.list_backups():
                print(f"{b.created:%Y-%m-%d %H:%M:%S}  {b.reason:<28}  {b.path}")
        else:
            safety = backup.restore(url, args.file)
            print(f"{args.file} から戻しました" + (f"（戻す前の内容: {safety}）" if safety else ""))
    except backup.BackupError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"バックアップを扱えません（{_short(exc)}）") from exc
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    if args.log_command in ("export", "import"):
        return _cmd_log_sync(args)
    if args.older_than < 0:
        raise CliError("--older-than は 0 以上の日数で指定してください", EXIT_USAGE)
    store = _store(args)
    cleared = store.purge_personal_details(older_than_days=args.older_than)
    print(f"{cleared} 件の記録から個人情報を消しました（{args.older_than} 日より前）")
    return EXIT_OK


def _cmd_log_sync(args: argparse.Namespace) -> int:
    from desk import logsync
    from desk.logbook import device_id
    from desk.settings import Settings

    store = _store(args)
    try:
        if args.log_command == "export":
            count = logsync.export_log(store.make_session, args.file, device=device_id(Settings.load()),
                                       everything=args.all, personal=not args.without_personal)
            print(f"{args.file} に {count} 件を書き出しました" if count else "書き出す記録はありません（前回の書き出し以降の記録がありません）")
            return EXIT_OK
        report = logsync.import_log(store.make_session, args.file)
    except logsync.LogFileError as exc:
        raise CliError(f"{exc}（データベースは変わっていません）") from exc
    except OSError as exc:
        raise CliError(f"{args.file} に書き込めません（{exc.strerror}）") from exc
    print(f"追加 {len(report.added)} 件、取り込み済み {report.already_there} 件、食い違い {len(report.conflicts)} 件")
    for line in report.conflicts:
        print(f"  食い違い: {line}", file=sys.stderr)
    return EXIT_PROBLEM if report.conflicts else EXIT_OK


def _refresh_snapshot(engine) -> None:
    """Make the catalogue's copy on disk now, so the next start and referral are quick."""
    from desk.store import Store

    Store.for_engine(engine).matcher.loaded()


def _start_app(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        raise CliError("画面（ディスプレイ）がないためアプリを起動できません。"
                       "コマンドは desk --help をご覧ください（例: desk programs）。")
    import gc

    # Start-up makes next to no garbage, but enough objects to set off a dozen collections
    # (each walks everything made so far): none until the window is up (desk.ui.app.run_app).
    gc.disable()
    store = _store(args)
    from desk.ui.app import run_app  # Qt is loaded only here

    return run_app(store=store, exit_when_ready=args.exit_when_ready, exit_when_loaded=args.exit_when_loaded)


COMMANDS = {
    "programs": cmd_programs,
    "match": cmd_match,
    "referral": cmd_referral,
    "handout": cmd_handout,
    "contacts": cmd_contacts,
    "validate": cmd_validate,
    "import": cmd_import,
    "export": cmd_export,
    "db": cmd_db,
    "log": cmd_log,
}
