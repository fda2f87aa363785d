"""The `desk` command: the app with no arguments, the engine and the catalogue without a screen.

Qt is imported only when the app starts, so every other command runs on a
machine without a display and loads quickly. Errors a user can cause (a bad
pack, an unknown municipality, a locked file) end with a one-line message and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from desk import paths
from desk.cli.common import EXIT_OK, EXIT_PROBLEM, CliError, database_problem, open_store
from desk.settings import SettingsError  # light: every command and the app read the settings

if TYPE_CHECKING:
    import argparse

# Each command's module is imported only when it runs: the app's start stays light.
COMMANDS = {
    "programs": "catalogue", "contacts": "catalogue", "validate": "catalogue", "import": "catalogue",
    "export": "catalogue", "match": "consult", "referral": "consult", "handout": "consult",
    "db": "database", "log": "log", "server": "server",
}


# The bare `desk`'s options live here, not in desk.cli.parser, which the app's start never loads.
def add_app_options(parser: argparse.ArgumentParser) -> None:
    """The options of the bare `desk` (the app), which every command also takes."""
    parser.add_argument("--db", metavar="PATH|URL", help="使うデータベース（SQLite のファイルか URL）")
    parser.add_argument("--basedir", metavar="DIR", help="データと設定をこのフォルダの下に置く")
    parser.add_argument("--exit-when-ready", action="store_true",
                        help="アプリを起動し、画面と最初の結果が表示されたら終了する（動作確認・計測用）")
    parser.add_argument("--exit-when-loaded", action="store_true",
                        help="アプリを起動し、判定の仕組みまで読み込んだら終了する（動作確認・計測用）")


def _full_parser() -> argparse.ArgumentParser:
    from desk.cli.parser import build_parser  # every command's grammar: not needed to start the app

    return build_parser()


def command(name: str) -> Callable[[argparse.Namespace], int]:
    module = importlib.import_module(f"desk.cli.{COMMANDS[name]}")
    handler: Callable[[argparse.Namespace], int] = getattr(module, f"cmd_{name}")
    return handler


# The bare `desk`'s options as the app's start reads them: each value option with its value
# next to it or after "=", each flag alone. Anything else (an abbreviation, a command, help, a
# missing value) goes to argparse, which the start never needs to load: its import, its help
# formatter's terminal query (shutil, bz2, lzma) and its translations (gettext, locale) were
# 9 ms of the start.
_APP_VALUES = {"--db": "db", "--basedir": "basedir"}
_APP_FLAGS = {"--exit-when-ready": "exit_when_ready", "--exit-when-loaded": "exit_when_loaded"}


def _parse_app_start(argv: list[str]) -> argparse.Namespace | None:
    """The bare `desk` and its options, without argparse; None when ``argv`` holds anything
    else (a command, help, the version, an option written another way), for the full parser."""
    values: dict[str, object] = {"command": None, **dict.fromkeys(_APP_VALUES.values()),
                                 **dict.fromkeys(_APP_FLAGS.values(), False)}
    rest = iter(argv)
    for arg in rest:
        option, equals, value = arg.partition("=")
        if option in _APP_VALUES:
            if not equals:
                value = next(rest, "")
            if not value or value.startswith("-"):
                return None   # argparse says what is missing
            values[_APP_VALUES[option]] = value
        elif arg in _APP_FLAGS:
            values[_APP_FLAGS[arg]] = True
        else:
            return None
    from types import SimpleNamespace

    return SimpleNamespace(**values)  # type: ignore[return-value]   # read like argparse's Namespace


def main(argv: Sequence[str] | None = None) -> int:
    from desk.cli.terminal import safe_streams

    with safe_streams():   # argparse's own messages repeat the arguments: filtered as well
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(argv: list[str]) -> int:
    args = _parse_app_start(argv) or _full_parser().parse_args(argv)
    paths.init(args.basedir)
    try:
        if args.command is None:
            return _start_app(args)
        return command(args.command)(args)
    except CliError as exc:
        say_problem(str(exc))
        return exc.code
    except SettingsError as exc:   # read by most commands, saved by the first referral: said here once
        print(f"desk: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `desk programs | head`: the reader left; say nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if _is_broken_catalogue(exc):
            print(f"desk: {exc}", file=sys.stderr)
            return EXIT_PROBLEM
        if not _is_database_error(exc):
            raise
        print(f"desk: {database_problem(exc)}", file=sys.stderr)
        return EXIT_PROBLEM


def say_problem(message: str) -> None:
    """A refusal on stderr, each of its lines beginning "desk: " (several refused values of one
    intake file are several lines, and a script can find each by that start)."""
    for line in message.splitlines() or [""]:
        print(f"desk: {line}", file=sys.stderr)


def _is_broken_catalogue(exc: BaseException) -> bool:
    # Like the database errors below: the catalogue's module is not imported to ask.
    domain = sys.modules.get("desk.catalogue.domain")
    return domain is not None and isinstance(exc, domain.BrokenCatalogue)


def _is_database_error(exc: BaseException) -> bool:
    # SQLAlchemy is not imported by the quick commands, so its errors are recognised
    # only when it was (importing it here would cost every command its import time).
    import sqlite3

    sa_exc = sys.modules.get("sqlalchemy.exc")
    libpq = sys.modules.get("desk.db.libpq")   # the quick log's pages on a server
    services = sys.modules.get("desk.db.services")   # DatabaseUnreachable, from the log's service
    return (isinstance(exc, sqlite3.DatabaseError) or (sa_exc is not None and isinstance(exc, sa_exc.DatabaseError))
            or (libpq is not None and isinstance(exc, libpq.LibpqError))
            or (services is not None and isinstance(exc, services.DatabaseUnreachable)))


def _start_app(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        raise CliError("画面（ディスプレイ）がないためアプリを起動できません。"
                       "コマンドは desk --help をご覧ください（例: desk programs）。")
    import gc

    # Start-up makes next to no garbage, but enough objects to set off a dozen collections
    # (each walks everything made so far): none until the window is up (desk.ui.app.run_app).
    gc.disable()
    try:
        # A server behind this desk that this counter's role may not upgrade: the window opens all the
        # same and says so (issue 17); a newer desk's or another application's database is refused.
        store = open_store(args, behind_ok=True)
    except CliError as exc:
        gc.enable()
        if not (args.exit_when_ready or args.exit_when_loaded):   # those runs are scripted: no box
            from desk.ui.app import show_start_problem

            show_start_problem(str(exc))
        raise
    from desk.ui.app import run_app  # Qt is loaded only here

    return run_app(store=store, exit_when_ready=args.exit_when_ready, exit_when_loaded=args.exit_when_loaded)
