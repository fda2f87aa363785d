"""A synthetic consultation log: deterministic, shaped like the prefecture's network's.

Records as desk writes them (desk.log.records.consultation_values, then entry_rows): windows of the
prefecture, KIP, the guarantee association's branches and the chambers, each with its device and
staff; visitors who come back (a third of the consultations are a business's second or later); the
intake as the log keeps it; a result over 72 funds (a few eligible, a few conditional, the rest
not); the kept match as 24–40 kB of incompressible bytes (a real one is ~33 kB of zlib). Years of
consultations on weekdays in office hours, oldest first, with a laptop's records now and then
arriving late (older than the ones before them).

The same ``count`` and ``seed`` give the same records, byte for byte, for as long as
:data:`GENERATOR_VERSION` stays: the benchmarks keep the database they fill under that version
(bench/run.py). No SQLAlchemy for SQLite: rows go in with sqlite3 in batches.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from desk.fiscal import JAPAN
from desk.log import records

GENERATOR_VERSION = 1
START = dt.datetime(2022, 4, 1, tzinfo=dt.UTC)
PER_DAY = 110                       # the network's consultations on a working day, all windows
REPORT_BYTES = (24_000, 40_000)

MUNICIPALITIES = ("横浜市", "川崎市", "相模原市", "横須賀市", "平塚市", "鎌倉市", "藤沢市", "小田原市", "茅ヶ崎市",
                  "逗子市", "三浦市", "秦野市", "厚木市", "大和市", "伊勢原市", "海老名市", "座間市", "南足柄市",
                  "綾瀬市", "葉山町", "寒川町", "大磯町", "二宮町", "中井町", "大井町", "松田町", "山北町", "開成町",
                  "箱根町", "真鶴町", "湯河原町", "愛川町", "清川村")
WINDOWS = ("神奈川県 産業労働局 金融課 中小企業融資相談窓口", "KIP 経営相談窓口", "神奈川県信用保証協会 本店",
           *(f"神奈川県信用保証協会 {b}支店" for b in ("横須賀", "藤沢", "厚木", "小田原", "相模原")),
           *(f"{m}商工会議所 経営相談窓口" for m in MUNICIPALITIES[:18]),
           *(f"{m}商工会 経営相談" for m in MUNICIPALITIES[18:]))
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木",
            "山口", "松本", "井上", "木村", "林", "斎藤", "清水")
TRADES = ("精工", "製作所", "商店", "工業", "電機", "建設", "運輸", "食品", "印刷", "技研", "物産", "設計", "塗装")
FORMS = ("株式会社", "有限会社", "", "合同会社")
FUNDS = ("kanagawa.nissan.main", "kanagawa.uriage-rieki.main", "kanagawa.shokibo.main",
         "kanagawa.shokibo.tokubetsu-koguchi", "kanagawa.karikae.main", "kanagawa.genyu.main", "kanagawa.bcp.a",
         "kanagawa.koguchi.main", "kanagawa.keiei-antei.sn", "kanagawa.keiei-antei.sn5", "kanagawa.ev.main",
         "kanagawa.innovation.main", "kanagawa.innovation.sogyo", "kanagawa.jigyo-saisei.main",
         *(f"synthetic.fund-{n:02d}" for n in range(58)))
WARNING = "相模原市の制度は前年度の資料によるものです（最新年度の資料は収録していません）。"
INDUSTRY_WEIGHTS = {"manufacturing": 30, "wholesale": 10, "retail": 14, "restaurant": 10, "service": 16,
                    "construction": 12, "transport": 5, "software": 3, "real_estate": 2, "medical": 1, "other": 3}
CAUSE_WEIGHTS = {"nissan": 25, "materials": 40, "tariff": 20, "disaster": 3, "customer_bankruptcy": 5}


class _Business:
    __slots__ = ("industry", "municipality", "name")

    def __init__(self, name: str, industry: str, municipality: str):
        self.name, self.industry, self.municipality = name, industry, municipality


def consultations(count: int, *, seed: int = 18) -> Iterator[dict[str, Any]]:
    """``count`` records as the writers store them: the values of consultation_values with their
    ``id`` and ``reference_no``, oldest first but for the late ones."""
    rng = random.Random(seed)
    industries, industry_weights = list(INDUSTRY_WEIGHTS), list(INDUSTRY_WEIGHTS.values())
    causes, cause_weights = list(CAUSE_WEIGHTS), list(CAUSE_WEIGHTS.values())
    devices = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in WINDOWS]
    staff = [[f"{rng.choice(SURNAMES)}" for _ in range(6)] for _ in WINDOWS]
    businesses: list[_Business] = []
    numbers: dict[str, int] = {}
    step = dt.timedelta(hours=8) / PER_DAY       # office hours; nights and weekends are skipped
    moment = START
    for _ in range(count):
        moment = _office_hours(moment + step * rng.uniform(0.2, 1.8), rng)
        when = moment - dt.timedelta(days=rng.uniform(1, 60)) if rng.random() < 0.03 else moment  # a late laptop
        when = _office_hours(when, rng)
        window = rng.randrange(len(WINDOWS))
        if businesses and rng.random() < 0.33:
            business = businesses[int(len(businesses) * (1 - rng.random() ** 3)) - 1]   # recent ones come back
        else:
            business = _Business(f"{rng.choice(FORMS)}{rng.choice(SURNAMES)}{rng.choice(TRADES)}"
                                 f"{rng.choice(('', '', '', str(len(businesses) % 97)))}",
                                 rng.choices(industries, industry_weights)[0], rng.choice(MUNICIPALITIES))
            businesses.append(business)
        chosen = sorted(set(rng.choices(causes, cause_weights, k=rng.choice((0, 1, 1, 1, 2, 2)))),
                        key=causes.index)
        prefix = records.reference_prefix(when, devices[window])
        numbers[prefix] = numbers.get(prefix, 0) + 1
        yield {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "reference_no": f"{prefix}{numbers[prefix]:03d}",
            "created_at": when, "evaluated_on": when.astimezone(JAPAN).date(),
            "device_id": devices[window], "window_name": WINDOWS[window],
            "staff_name": rng.choice(staff[window]) if rng.random() < 0.9 else None,
            "business_name": business.name if rng.random() < 0.95 else None,
            "visitor_name": f"{rng.choice(SURNAMES)} {rng.choice(('太郎', '花子', '一郎', '恵子', '誠'))}"
            if rng.random() < 0.6 else None,
            "visitor_phone": f"0{rng.randrange(40, 100)}-{rng.randrange(100, 1000)}-{rng.randrange(10000):04d}"
            if rng.random() < 0.4 else None,
            "industry": business.industry, "municipality": f"神奈川県{business.municipality}",
            "causes": chosen, "intake": _intake(rng, business, chosen), "result": _result(rng),
            "pack_versions": {"kanagawa-fy2026": "2026.04.01-8", "kanagawa-contacts": "2026.11.22-2",
                              "common": "2026.12.03-3"},
            "report": rng.randbytes(rng.randrange(*REPORT_BYTES)),
        }


def made(count: int, seed: int = 18, shift: dt.timedelta = dt.timedelta()) -> list[dict[str, Any]]:
    """``count`` records for a test: their kept match a byte (it plays no part in the log's lists),
    their times moved by ``shift``."""
    rows = list(consultations(count, seed=seed))
    for row in rows:
        row["report"] = b"x"
        row["created_at"] += shift
    return rows


def _office_hours(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """The moment moved into a weekday between 9:00 and 17:00 in Japan."""
    local = moment.astimezone(JAPAN)
    while local.weekday() >= 5:
        local = (local + dt.timedelta(days=1)).replace(hour=9, minute=0)
    if not 9 <= local.hour < 17:
        day = local.date() if local.hour < 9 else local.date() + dt.timedelta(days=1)
        local = dt.datetime.combine(day, dt.time(9, rng.randrange(60)), JAPAN)
        while local.weekday() >= 5:
            local += dt.timedelta(days=1)
    return local.astimezone(dt.UTC)


def _intake(rng: random.Random, business: _Business, causes: list[str]) -> dict[str, Any]:
    """The intake as the log keeps it (no personal details), shaped like reader.Intake's."""
    return {
        "business_name": business.name, "entity": rng.choice(("corporation", "corporation", "sole_proprietor")),
        "founding_form": None, "months_until_start": None, "industry": business.industry,
        "capital_yen": rng.choice((3_000_000, 5_000_000, 10_000_000, 30_000_000)),
        "employees": rng.randrange(1, 60), "prefecture": "神奈川県", "municipality": business.municipality,
        "postal_code": None, "months_in_business": rng.randrange(6, 480), "months_in_kanagawa": rng.randrange(6, 480),
        "licence": "not_needed", "licence_months": None, "purposes": [rng.choice(("working", "equipment"))],
        "amount_yen": rng.randrange(1, 80) * 1_000_000, "term_months": rng.choice((36, 60, 84, 120)),
        "grace_months": None, "repayment": None, "fee_options": [],
        "sales_change": {"last_1m": [round(rng.uniform(-40, 10), 1), None, None],
                         "last_3m": [round(rng.uniform(-30, 10), 1), None, None], "last_6m": [None, None, None],
                         "next_3m_forecast": [None, None, None], "last_fy": None},
        "monthly_sales": {}, "sales_basis": None, "causes": causes, "certifications": [], "plans": [],
        "situations": [], "guaranteed_balance_yen": rng.choice((0, 0, 5_000_000, 20_000_000)),
        "has_eased_conditions": None, "tax_arrears": False, "bank_suspension": False, "subrogation_debt": False,
        "answers": {},
    }


def _result(rng: random.Random) -> dict[str, Any]:
    """What result_summary keeps: every fund's status, 0–9 eligible, 0–5 conditional, contacts, warnings."""
    order = rng.sample(FUNDS, k=14)
    eligible, conditional = order[:rng.randrange(0, 10)], order[9:9 + rng.randrange(0, 6)]
    statuses = {fund_id: "ineligible" for fund_id in FUNDS}
    statuses.update({fund_id: "eligible" for fund_id in eligible})
    statuses.update({fund_id: "conditional" for fund_id in conditional})
    return {"programs": statuses, "eligible": eligible, "conditional": conditional,
            "contacts": ["kanagawa-cgc.hq", "pref.kinyu-window", "kip.yorozu"][:rng.randrange(1, 4)],
            "warnings": [WARNING] if rng.random() < 0.2 else []}


def fill_sqlite(path: Path, count: int, *, seed: int = 18, batch: int = 2_000) -> None:
    """Add ``count`` synthetic records (with their list rows, causes and funds) to a desk SQLite file at
    the current revision, in transactions of ``batch``."""
    from desk.db.quick import CONSULTATION_COLUMNS, _stored

    tables = {"consultation": CONSULTATION_COLUMNS, "log_entry": None,
              "log_cause": ("consultation_id", "cause", "day", "business_key"),
              "log_fund": ("consultation_id", "fund_id", "status", "day", "business_key")}
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        for n, row in enumerate(consultations(count, seed=seed), 1):
            pending["consultation"].append(row)
            entry = records.entry_rows(row["id"], row["reference_no"], row)
            pending["log_entry"].append(entry.entry)
            pending["log_cause"].extend(entry.causes)
            pending["log_fund"].extend(entry.funds)
            if n % batch == 0 or n == count:
                connection.execute("BEGIN")
                for table, rows in pending.items():
                    if rows:
                        columns = tables[table] or tuple(rows[0])
                        connection.executemany(
                            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                            [[_stored(name, r[name]) for name in columns] for r in rows])
                    rows.clear()
                connection.execute("COMMIT")
    finally:
        connection.close()


def fill_engine(engine: Any, rows: Iterable[dict[str, Any]], *, batch: int = 1_000) -> int:
    """Add records (those of :func:`consultations`, or any values of the same shape) through
    SQLAlchemy, SQLite or PostgreSQL alike, with their list rows, causes and funds; how many."""
    from sqlalchemy import insert

    from desk.db import models as m

    def write(chunk: list[dict[str, Any]]) -> None:
        entries = [records.entry_rows(r["id"], r["reference_no"], r) for r in chunk]
        with engine.begin() as connection:
            connection.execute(insert(m.Consultation), chunk)
            connection.execute(insert(m.LogEntry), [e.entry for e in entries])
            for table, found in ((m.LogCause, [c for e in entries for c in e.causes]),
                                 (m.LogFund, [f for e in entries for f in e.funds])):
                if found:
                    connection.execute(insert(table), found)

    # One batch in memory at a time: a generator of a million records (~33 kB of kept match each)
    # is never held whole (it was, as a list, 3.7 GB at 10^5).
    count = 0
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        count += 1
        if len(chunk) == batch:
            write(chunk)
            chunk = []
    if chunk:
        write(chunk)
    return count

