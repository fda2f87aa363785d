"""Commands for the catalogue and the directory: `desk programs`, `desk contacts`, `desk validate`,
`desk import`, `desk export`."""

from __future__ import annotations

import argparse

from desk import fiscal
from desk.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    file_error,
    input_files,
    open_database,
    print_json,
    refresh_snapshot,
)


def cmd_programs(args: argparse.Namespace) -> int:
    from desk import textfmt

    on = args.date or fiscal.today()
    queries = open_database(args).queries
    known = queries.provider_ids()
    if args.provider and args.provider not in known:
        raise CliError(f"提供者 '{args.provider}' はありません（あるもの: {', '.join(known)}）", EXIT_USAGE)
    programs = queries.programs(provider=args.provider, on=on)
    if args.json:
        print_json({"as_of": on.isoformat(), "programs": programs})
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


def cmd_contacts(args: argparse.Namespace) -> int:
    from desk import textfmt
    from desk.intake.places import PlaceError

    try:
        place, contacts = open_database(args).queries.contacts(
            role=args.role, prefecture=args.prefecture, municipality=args.municipality, postal_code=args.postal_code)
    except PlaceError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    if args.json:
        print_json({"place": place, "contacts": contacts})
        return EXIT_OK
    rows = [[c["role_label"], c["name"], c["phone"] or "—", c["address"] or "—",
             "—" if c["distance_km"] is None else f"{c['distance_km']}km", c["hours"] or ""] for c in contacts]
    print(textfmt.table(["種類", "名称", "電話", "所在地", "距離", "受付時間"], rows))
    print(f"\n{len(contacts)} 件" + (f"（{place}）" if place else ""))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from desk.db.packs import importer
    from desk.db.packs.schema import PackInvalid

    input_files(args.packs)
    try:
        loaded = importer.read_packs(args.packs)
    except PackInvalid as exc:
        raise CliError(f"データパックに問題があります:\n{exc}", EXIT_USAGE) from exc
    for pack in loaded:
        counts = ", ".join(f"{k} {len(v)}" for k, v in pack.data.sections.items() if v)
        print(f"{pack.path.name}: OK（{pack.data.id} {pack.data.header['version']}: {counts}）")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from desk.db.packs.importer import removal_lines
    from desk.db.services import EditsAtStake, PacksRejected, RemovalsAtStake

    input_files(args.packs)
    store = open_database(args)
    try:
        summaries = store.packs.import_files(args.packs, overwrite_edits=args.overwrite_edits,
                                             allow_removals=args.allow_removals)
    except PacksRejected as exc:
        raise CliError(f"取り込みを中止しました（データベースは変わっていません）:\n{exc}", EXIT_USAGE) from exc
    except EditsAtStake as exc:
        raise CliError(f"{exc}\n上書きしてよければ --overwrite-edits を付けてください"
                       "（データベースは変わっていません）") from exc
    except RemovalsAtStake as exc:
        raise CliError(f"{exc}\n削除してよければ --allow-removals を付けてください"
                       "（データベースは変わっていません）") from exc
    for s in summaries:
        counts = ", ".join(f"{k} {n}" for k, n in s.counts.items())
        before = f"{s.replaced_version} → " if s.replaced_version else "新規 "
        print(f"{s.pack_id}: {before}{s.version}（{counts}）")
        if s.removed:
            print(f"  削除した {len(s.removed)} 件:")
            print("\n".join(removal_lines(list(s.removed))))
    refresh_snapshot(store)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from desk.fileio import FileRefused

    # A folder that exists, or a new one in an existing folder (a mistyped parent makes no tree).
    if args.directory.exists() and not args.directory.is_dir():
        raise file_error(args.directory, FileRefused(args.directory, "フォルダではないため書き出しません"))
    if not args.directory.parent.is_dir():
        raise file_error(args.directory, FileRefused(args.directory, "書き出し先のフォルダがありません"))
    try:
        written = open_database(args).packs.export(args.directory)
    except OSError as exc:
        raise file_error(args.directory, exc, "に書き出せません") from exc
    for path in written:
        print(path)
    return EXIT_OK
