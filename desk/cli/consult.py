"""Commands for a consultation: `desk match`, `desk referral`, `desk handout`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from desk.cli.common import EXIT_OK, EXIT_USAGE, CliError, open_store, print_json


def cmd_match(args: argparse.Namespace) -> int:
    from desk import textfmt
    from desk.intake.reader import IntakeError, read_intake_file
    from desk.matching.engine import STATUS_LABELS

    on = args.date or dt.date.today()
    try:
        read = read_intake_file(args.intake)
        result = open_store(args).matcher.match(read.intake, on=on, warnings=read.warnings)
    except IntakeError as exc:
        raise CliError(f"{args.intake.name}: {exc}", EXIT_USAGE) from exc
    if args.json:
        print_json(result)
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
    from desk.intake.reader import IntakeError, read_intake_file
    from desk.reports.fonts import FontNotFound
    from desk.settings import Settings
    from desk.sheets.issuing import create_referral, discard

    on = args.date or dt.date.today()
    settings = Settings.load()
    store = open_store(args)
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
    from desk.reports.fonts import FontNotFound
    from desk.reports.leaflet import HandoutRenderer
    from desk.settings import Settings
    from desk.sheets.leaflet import build_handout

    on = args.date or dt.date.today()
    settings = Settings.load()
    loaded = open_store(args).matcher.loaded()
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
