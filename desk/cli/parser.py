"""The command line's grammar: every command and option, with its Japanese help."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import NoReturn

from desk import __version__, vocab
from desk.cli.entry import add_app_options
from desk.vocab import FOLLOW_UPS, LOG_DIMENSIONS

# argparse's own errors, in the words the rest of the command line speaks (the messages are
# argparse's English, matched as they read in Python 3.11 to 3.13; any other is shown as it is).
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), words) for pattern, words in (
    (r"^the following arguments are required: (?P<what>.+)$", "指定が足りません: {what}"),
    (r"^unrecognized arguments: (?P<what>.+)$", "知らない指定です: {what}"),
    (r"^argument (?P<arg>[^:]+): expected one argument$", "{arg} の後に値を書いてください"),
    (r"^argument (?P<arg>[^:]+): expected (?P<what>.+)$", "{arg} の値が足りません"),
    (r"^argument (?P<arg>COMMAND|ACTION): invalid choice: (?P<value>\S+) \(choose from (?P<choices>.+)\)$",
     "{arg} {value} はありません（あるもの: {choices}）"),
    (r"^argument (?P<arg>[^:]+): invalid choice: (?P<value>\S+) \(choose from (?P<choices>.+)\)$",
     "{arg} に {value} は使えません（使えるもの: {choices}）"),
    (r"^argument (?P<arg>[^:]+): invalid \S+ value: (?P<value>.+)$", "{arg} の値 {value} が読めません"),
    (r"^argument (?P<arg>[^:]+): not allowed with argument (?P<other>.+)$", "{arg} と {other} は一緒に使えません"),
    (r"^argument (?P<arg>[^:]+): (?P<message>.+)$", "{arg}: {message}"),
))


def japanese_error(message: str) -> str:
    """One of argparse's error messages in Japanese (as it is when it is not one argparse makes)."""
    for pattern, words in _ERRORS:
        found = pattern.match(message)
        if found:
            parts = {k: v.replace("'", "") if k == "choices" else v for k, v in found.groupdict().items()}
            return words.format(**{k: v.replace("COMMAND", "コマンド").replace("ACTION", "操作")
                                   for k, v in parts.items()})
    return message


class Parser(argparse.ArgumentParser):
    """argparse, with its errors as one Japanese line (and where to read the usage) and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {japanese_error(message)}（使い方: {self.prog} -h）\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="desk", description="融資相談窓口デスク: 引数なしでアプリを起動します。")
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    add_app_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("programs", help="融資制度の一覧")
    p.add_argument("--json", action="store_true", help="JSON で出力")
    p.add_argument("--provider", metavar="ID", help="提供者で絞り込む（kanagawa, sagamihara）")
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="この日に有効な制度（既定: 今日）")

    p = sub.add_parser("match", help="相談内容（インテークファイル）に合う融資制度と相談先")
    p.add_argument("intake", type=Path, metavar="INTAKE.json")
    p.add_argument("--json", action="store_true", help="INTAKE.md の JSON で出力")
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="この日時点で判定（既定: 今日）")

    p = sub.add_parser("referral", help="来訪者にお渡しする案内書（PDF）を作り、相談記録に残す")
    p.add_argument("intake", type=Path, nargs="?", metavar="INTAKE.json")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    p.add_argument("--reprint", metavar="受付番号",
                   help="記録済みの相談の案内書を、発行したときの内容で再発行する（新しい相談にはなりません）")
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="この日時点で判定（既定: 今日）")

    p = sub.add_parser("handout", help="日産関連・売上減少の融資制度の一覧（1枚のチラシ、PDF）")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="この日に有効な制度（既定: 今日）")

    p = sub.add_parser("contacts", help="相談先・窓口の一覧")
    p.add_argument("--json", action="store_true", help="JSON で出力")
    p.add_argument("--role", choices=list(vocab.ROLES), help="種類で絞り込む")
    p.add_argument("--municipality", metavar="M", help="この市区町村を担当する窓口（例: 横須賀市、横浜市中区）")
    p.add_argument("--prefecture", metavar="P", help="都道府県（既定: 神奈川県）")
    p.add_argument("--postal-code", metavar="NNN-NNNN", help="郵便番号から市区町村を決める")

    p = sub.add_parser("import", help="データパックを取り込む（全部成功するか、何も変えないか）")
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK")
    p.add_argument("--overwrite-edits", action="store_true", help="管理画面での編集を上書きしてよい")
    p.add_argument("--allow-removals", action="store_true",
                   help="パックの前の版にあって新しい版にない制度・窓口などを削除してよい")

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
    password = db_sub.add_parser("password", help="共有サーバーのパスワードをシステムのキーリングに保存し、"
                                                  "この端末はそこから読む（標準入力から1行）")
    password.add_argument("--forget", action="store_true",
                          help="保存したパスワードを消し、パスワードファイル（~/.pgpass）に戻す")

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
    # Dates, numbers and --by are read by the command (desk.cli.log), which says a bad one in one line.
    search = log_sub.add_parser("search", help="相談記録を新しい順に検索する")
    search.add_argument("--text", metavar="T", help="受付番号・事業者名・所在地・担当に含まれる文字")
    _period(search)
    search.add_argument("--limit", default="50", metavar="N", help="最大の件数（既定: 50）")
    search.add_argument("--json", action="store_true", help="JSON で出力")
    stats = log_sub.add_parser("stats", help="相談件数と相談事業者数を集計する（日・月・原因・業種・所在地・窓口・"
                                             "紹介した資金・その後ごと）")
    _period(stats)
    stats.add_argument("--by", default="month", metavar="|".join(LOG_DIMENSIONS),
                       help="集計の単位（既定: month）")
    stats.add_argument("--json", action="store_true", help="JSON で出力")
    csv = log_sub.add_parser("csv", help="相談記録を CSV（Excel 用）に書き出す")
    csv.add_argument("file", type=Path, metavar="FILE")
    _period(csv)
    csv.add_argument("--with-personal", action="store_true", help="個人情報（来訪者の氏名・電話）を含める")
    follow = log_sub.add_parser("follow-up", help="相談のその後（申込済・実行・謝絶・未定）を記録する")
    follow.add_argument("reference_no", metavar="REF", help="受付番号")
    follow.add_argument("--status", required=True, metavar="|".join(FOLLOW_UPS),
                        help="申込済 applied / 実行 executed / 謝絶 declined / 未定 undecided / 消す clear")
    follow.add_argument("--date", metavar="YYYY-MM-DD", help="その日（既定: 今日）")
    report = log_sub.add_parser("report", help="月次の相談実績報告（PDF、A4）と同じ数字の CSV を書き出す")
    report.add_argument("--month", required=True, metavar="YYYY-MM", help="対象の年月（日本時間）")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="PDF の書き出し先")
    report.add_argument("--csv", type=Path, metavar="FILE", help="同じ数字を CSV（Excel 用）にも書き出す")
    consent = log_sub.add_parser("consent", help="紹介先の窓口と記録を共有することへの同意（はい・いいえ）を記録する")
    consent.add_argument("reference_no", metavar="受付番号")
    answer = consent.add_mutually_exclusive_group(required=True)
    answer.add_argument("--yes", action="store_true", help="同意した")
    answer.add_argument("--no", action="store_true", help="同意しなかった")
    consent.add_argument("--to", metavar="窓口", help="紹介先の窓口のロール名（--yes のとき必須）")
    shared = log_sub.add_parser("shared", help="同意のうえ紹介された、ほかの窓口の相談記録を見る（提供を記録します）")
    shared.add_argument("reference_no", metavar="受付番号")

    p = sub.add_parser("server", help="共有サーバーのロールと窓口（サーバーの管理者が使います）")
    server_sub = p.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    server_sub.add_parser("init", help="ロール・権限・行単位セキュリティを設定する（何度実行しても同じ結果）")
    add = server_sub.add_parser("add-window", help="窓口のログインロールを作る")
    add.add_argument("name", metavar="NAME", help="ロール名（英小文字・数字・_）")
    add.add_argument("--title", required=True, metavar="表示名", help="窓口の表示名（例: 横須賀商工会議所）")
    add.add_argument("--password-stdin", action="store_true", help="パスワードを標準入力から読む（既定: 作って表示）")
    server_sub.add_parser("windows", help="窓口の一覧")
    remove = server_sub.add_parser("remove-window", help="窓口のログインを止める（記録は残す）")
    remove.add_argument("name", metavar="NAME")
    audit = server_sub.add_parser("audit", help="カタログの変更履歴（誰が・いつ・どの記録を・変更前と変更後）")
    audit.add_argument("--csv", type=Path, metavar="FILE", help="CSV ファイルに書き出す")
    provisions = server_sub.add_parser("provisions", help="同意による相談記録の提供の記録（誰が・いつ・どの記録を）")
    provisions.add_argument("--csv", type=Path, metavar="FILE", help="CSV ファイルに書き出す")
    return parser


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="この日から（日本時間、当日を含む）")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="この日まで（日本時間、当日を含む）")


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください: {text!r}") from None
