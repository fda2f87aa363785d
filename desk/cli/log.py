"""`desk log`: purge, export, import; search, stats, csv."""

from __future__ import annotations

import argparse
import sys

from desk.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    CliError,
    file_error,
    input_files,
    open_store,
    output_file,
)


def cmd_log(args: argparse.Namespace) -> int:
    if args.log_command in ("export", "import"):
        return _cmd_log_sync(args)
    if args.log_command == "report":
        from desk.cli import log_report

        return log_report.run(args)
    if args.log_command in ("search", "stats", "csv", "follow-up"):
        from desk.cli import log_queries

        return log_queries.run(args)
    if args.log_command in ("consent", "shared"):
        return _cmd_sharing(args)
    from desk.log.records import MAX_RETENTION_DAYS

    if not 0 <= args.older_than <= MAX_RETENTION_DAYS:
        raise CliError(f"--older-than は 0〜{MAX_RETENTION_DAYS} の日数で指定してください", EXIT_USAGE)
    store = open_store(args)
    purged = store.purge(older_than_days=args.older_than)
    print(f"{purged.records} 件の記録から個人情報を消しました（{args.older_than} 日より前）")
    if purged.backups is None:
        print("共有サーバーのバックアップ（pg_dump のファイル）は対象外です: サーバー側の保存期間で消してください")
    elif purged.backups.files:
        print(f"バックアップ {purged.backups.files} 個も確かめ、{purged.backups.rewritten} 個から"
              f" {purged.backups.records} 件の記録の個人情報を消して書き直しました")
    return EXIT_OK


def _cmd_log_sync(args: argparse.Namespace) -> int:
    from desk.db import logsync
    from desk.log.records import device_id
    from desk.settings import Settings, SettingsError

    if args.log_command == "export":
        output_file(args.file)
    else:
        input_files([args.file])
    store = open_store(args)
    try:
        if args.log_command == "export":
            settings = Settings.load()
            count = logsync.export_log(store.make_session, args.file, device=device_id(settings),
                                       everything=args.all, personal=not args.without_personal,
                                       window=settings.get("server_window"))
            print(f"{args.file} に {count} 件を書き出しました" if count
                  else "書き出す記録はありません（前回の書き出し以降の記録がありません）")
            return EXIT_OK
        report = logsync.import_log(store.make_session, args.file)
    except SettingsError as exc:
        raise CliError(str(exc)) from exc
    except logsync.LogFileError as exc:   # a bad file is bad input
        raise CliError(f"{exc}（データベースは変わっていません）", EXIT_USAGE) from exc
    except OSError as exc:
        raise file_error(args.file, exc) from exc
    print(f"追加 {len(report.added)} 件、取り込み済み {report.already_there} 件、食い違い {len(report.conflicts)} 件")
    if report.follow_ups or report.follow_ups_cleared or report.follow_ups_kept:
        cleared = f"、未入力に戻したもの {len(report.follow_ups_cleared)} 件" if report.follow_ups_cleared else ""
        kept = f"、データベースの方が新しいため残したもの {report.follow_ups_kept} 件" if report.follow_ups_kept else ""
        print(f"その後: 記録 {len(report.follow_ups)} 件{cleared}{kept}")
    for line in report.conflicts:
        print(f"  食い違い: {line}", file=sys.stderr)
    return EXIT_PROBLEM if report.conflicts else EXIT_OK


def _cmd_sharing(args: argparse.Namespace) -> int:
    from desk.db.services import ConsentError

    store = open_store(args)
    if args.log_command == "consent":
        try:
            store.log.record_consent(args.reference_no, consent=args.yes, referred_window=args.to)
        except ConsentError as exc:
            raise CliError(str(exc), EXIT_USAGE) from exc
        print(f"{args.reference_no}: " + (f"{args.to} との共有に同意（記録しました）" if args.yes
                                          else "共有に同意しない（記録しました）"))
        return EXIT_OK
    record = store.log.shared_record(args.reference_no)
    if record is None:
        raise CliError(f"受付番号 {args.reference_no[:32]} の記録は、この窓口に共有されていません"
                       "（来訪者の同意と紹介先の指定が必要です）")
    from desk.fiscal import JAPAN

    when = f"{record.created_at.astimezone(JAPAN):%Y-%m-%d %H:%M}"
    for label, value in (("受付番号", record.reference_no), ("日時", when), ("記録した窓口", record.window_role or ""),
                         ("事業者名", record.business_name or ""),
                         ("来訪者氏名", record.visitor_name or ""), ("来訪者電話", record.visitor_phone or ""),
                         ("所在地", record.municipality or "")):
        print(f"{label}: {value}")
    return EXIT_OK
