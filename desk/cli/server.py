"""`desk server`: the shared PostgreSQL server's roles and windows (the administrator's commands)."""

from __future__ import annotations

import argparse
import sys

from desk.cli.common import EXIT_OK, EXIT_USAGE, CliError, open_database


def cmd_server(args: argparse.Namespace) -> int:
    from desk.db import server
    from desk.textfmt import table

    engine = open_database(args, ready=False).engine
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
        elif args.server_command == "remove-window":
            kept = server.remove_window(engine, args.name)
            print(f"窓口 {args.name} のログインを止めました（相談記録 {kept} 件はそのまま残しています）")
    except server.ServerSetupError as exc:
        raise CliError(str(exc), EXIT_USAGE if args.server_command != "init" else 1) from exc
    return EXIT_OK


def _password(args: argparse.Namespace) -> str | None:
    if not args.password_stdin:
        return None
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise CliError("標準入力からパスワードを読めませんでした（空です）", EXIT_USAGE)
    return value
