"""`desk db`: upgrade, check, backup, backups, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    CliError,
    database_url,
    open_database,
    opening_database,
    refresh_snapshot,
    short,
)


def cmd_db(args: argparse.Namespace) -> int:
    if args.db_command in ("backup", "backups", "restore"):
        return _cmd_backup(args)
    if args.db_command == "password":
        return _cmd_password(args)
    from desk.db import setup

    store = open_database(args, ready=False)
    engine = store.engine
    if args.db_command == "upgrade":
        from desk.db.packs.schema import PackInvalid

        with opening_database():   # a newer desk's database, another application's: one line
            before, after = setup.upgrade(engine)
        try:
            imported = setup.ensure_ready(engine)
            # A window's role reads the catalogue the administrator keeps: no pack update from it.
            updated, kept = setup.update_bundled_packs(engine) if setup.may_write_catalogue(engine) else ([], [])
        except PackInvalid as exc:
            raise CliError(f"同梱データパックを取り込めません（データベースは変わっていません）:\n{exc}") from exc
        print(f"スキーマ: {before or '（新規）'} → {after}")
        for s in imported:
            print(f"  取り込み: {s.pack_id} {s.version}")
        for s in updated:
            print(f"  更新: {s.pack_id} {s.replaced_version or '（新規）'} → {s.version}")
            if s.removed:   # the bundled packs are desk's own: removed, and said
                from desk.db.packs.importer import removal_lines

                print(f"    新しい版にないため削除した {len(s.removed)} 件:")
                print("\n".join("  " + line for line in removal_lines(list(s.removed))))
        for line in kept:
            print(f"  {line}", file=sys.stderr)
        refresh_snapshot(store)
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
    from desk.db import backup, restore

    url = database_url(args)
    _refuse_another_applications_file(url)
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
            _restore(url, args.file)
    except restore.RestoreRefused as exc:   # the file given is not a desk database: bad input
        raise CliError(str(exc), EXIT_USAGE) from exc
    except backup.BackupError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"バックアップを扱えません（{short(exc)}）") from exc
    return EXIT_OK


def _restore(url: str, file: Path) -> None:
    from desk.db.restore import restore
    from desk.settings import Settings, SettingsError

    try:
        days = int(Settings.load().get("personal_retention_days") or 0)
    except (SettingsError, TypeError, ValueError) as exc:
        raise CliError(f"個人情報を残す日数の設定を読めないため戻せません（{exc}）") from exc
    done = restore(url, file, retention_days=days)
    print(f"{file} から戻しました" + (f"（戻す前の内容: {done.safety}）" if done.safety else ""))
    if days > 0:
        print(f"保存期間（{days} 日）を過ぎた {done.cleared} 件の記録から来訪者の氏名・電話を消しました")
    else:
        print("個人情報を残す日数が 0（消さない）のため、来訪者の氏名・電話はそのまま戻しました")


def _refuse_another_applications_file(url: str) -> None:
    """--db naming another application's SQLite file: no backup of it, no list as if it were
    desk's (exit 2). A newer desk's database may be backed up: going back is the way out."""
    from desk.db.guard import ForeignDatabase, NewerDatabase, check_sqlite_file
    from desk.db.urls import plain_sqlite_file

    path = plain_sqlite_file(url)
    if path is None:
        return
    try:
        check_sqlite_file(path)
    except ForeignDatabase as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    except NewerDatabase:
        pass    # a newer desk's: backed up and restored as any desk database


def _cmd_password(args: argparse.Namespace) -> int:
    """The shared server's password into the system keyring, and this desk reading it from there
    (the setting use_keyring), or both undone with --forget. Read from standard input, never from
    the command line, where other users' `ps` would see it."""
    import getpass

    from desk.db import passwords
    from desk.settings import Settings, SettingsError

    url = database_url(args)
    try:
        name = passwords.entry_name(url)   # a URL that cannot have an entry is said before a password is asked
        if args.forget:
            gone = passwords.forget_password(url)
        else:
            typed = getpass.getpass("パスワード: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
            passwords.store_password(url, typed)
    except passwords.PasswordStoreError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    try:
        settings = Settings.load()
        settings.set("use_keyring", not args.forget)
        settings.save()
    except SettingsError as exc:
        raise CliError(f"キーリングは更新しましたが、設定を保存できません: {exc}") from exc
    if args.forget:
        print(f"キーリングから消しました: {name}" if gone else f"キーリングに保存されていません: {name}")
        print("この端末は PostgreSQL のパスワードファイル（~/.pgpass）を使います")
    else:
        print(f"キーリングに保存しました: {name}（この端末は接続のたびにキーリングから読みます）")
    return EXIT_OK
