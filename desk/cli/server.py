"""`desk server`: the shared PostgreSQL server's roles and windows (the administrator's commands)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from desk.cli.common import EXIT_OK, EXIT_USAGE, CliError, open_database

if TYPE_CHECKING:
    from desk.db.store import Store


def cmd_server(args: argparse.Namespace) -> int:
    from desk.db import server
    from desk.textfmt import table

    store = open_database(args, ready=False)
    engine = store.engine
    try:
        if args.server_command == "init":
            for line in server.init(engine):
                print(line)
        elif args.server_command == "add-window":
            password = server.add_window(engine, args.name, title=args.title, password=_password(args))
            print(f"窓口 {args.name}（{args.title.strip()}）を作りました")
            if not args.password_stdin:
                # Shown once: the administrator hands it to the window, whose laptop keeps it in its
                # PostgreSQL password file (~/.pgpass, 0600), never in desk's settings.
                print(f"パスワード（この一度だけ表示します）: {password}")
        elif args.server_command == "windows":
            rows = [[w.role, w.title, "停止" if w.disabled_at or not w.can_login else "利用中", str(w.records),
                     f"{w.created_at:%Y-%m-%d}"] for w in server.windows(engine)]
            print(table(["ロール", "窓口", "状態", "記録", "作成日"], rows) if rows else "窓口はまだありません")
        elif args.server_command in ("audit", "provisions"):
            _logs(args, store)
        elif args.server_command == "remove-window":
            kept = server.remove_window(engine, args.name)
            print(f"窓口 {args.name} のログインを止めました（相談記録 {kept} 件はそのまま残しています）")
    except server.ServerSetupError as exc:
        raise CliError(str(exc), EXIT_USAGE if args.server_command != "init" else 1) from exc
    return EXIT_OK


def _logs(args: argparse.Namespace, store: Store) -> None:
    from desk.db import sharing
    from desk.textfmt import table

    make_session = store.make_session
    if args.server_command == "audit":
        rows, columns = sharing.audit_trail(make_session), sharing.AUDIT_COLUMNS
    else:
        rows, columns = sharing.provisions(make_session), sharing.PROVISION_COLUMNS
    if args.csv is not None:
        from desk.cli.common import file_error, output_file
        from desk.fileio import atomic_write_bytes

        output_file(args.csv)
        try:
            atomic_write_bytes(args.csv, sharing.as_csv(rows, columns), mode=0o600)
        except OSError as exc:
            raise file_error(args.csv, exc) from exc
        print(f"{args.csv} に {len(rows)} 件を書き出しました")
        return
    shown = [[_cell(row[key]) for key, _ in columns] for row in rows]
    print(table([label for _, label in columns], shown) if shown else "記録はまだありません")


def _cell(value: object) -> str:
    import datetime as dt
    import json

    from desk.fiscal import JAPAN

    if isinstance(value, dt.datetime):
        return f"{value.astimezone(JAPAN):%Y-%m-%d %H:%M:%S}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def _password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise CliError("標準入力からパスワードを読めませんでした（空です）", EXIT_USAGE)
    return value
