"""`make bench`: desk's performance, measured against floors taken in the same run.

Whole processes are reported as ratios to a floor measured here and now (a bare
PySide6 window that shows and quits; a one-page reportlab document with the same
embedded font; `python -c pass`), so a slow or busy machine moves both sides.
In-process work is reported as absolute medians (its floor is zero).
Peak memory of a process comes from wait4's rusage (ru_maxrss).

Later issues add their measures to MEASURES below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable

BENCH_INTAKE = {
    "entity": "corporation", "industry": "manufacturing", "capital_yen": "1,000万円", "employees": 18,
    "municipality": "横須賀市", "months_in_business": 240, "months_in_kanagawa": 240, "licence": "not_needed",
    "purposes": ["working"], "amount_yen": "2,000万円", "term_months": 60, "causes": ["nissan"],
    "sales_change": {"last_3m_pct": -12.5, "last_1m_pct": -15, "next_3m_forecast_pct": -12},
    "certifications": [], "plans": [], "guaranteed_balance_yen": 5000000,
}

FLOOR_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(1200, 760); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

FLOOR_PDF = """
import sys
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Paragraph
from reportlab.lib.styles import ParagraphStyle
from desk.reports.fonts import register_font
font = register_font()
doc = SimpleDocTemplate(sys.argv[1], pagesize=A4)
doc.build([Paragraph("融資制度のご案内", ParagraphStyle("b", fontName=font, fontSize=10.5))])
"""


@dataclass
class ProcessResult:
    median_s: float
    peak_rss_mb: float
    times_s: tuple[float, ...] = ()   # every run's wall time, in the order run
    cpu_s: tuple[float, ...] = ()     # every run's CPU time (user + system)

    def per_turn(self, floor: ProcessResult) -> str:
        """This command against a floor run in turns with it: the median of the turns' own ratios
        (each run beside the floor run next to it in time, so a burst of load elsewhere on the
        machine moves one turn, not the figure), with the middle half of the turns, and the same
        median in CPU time, which waiting for a busy machine does not inflate."""
        walls = sorted(a / b for a, b in zip(self.times_s, floor.times_s, strict=True))
        cpus = [a / b for a, b in zip(self.cpu_s, floor.cpu_s, strict=True)]
        quarter = len(walls) // 4
        return (f"{statistics.median(walls):.2f}× window floor (turns {walls[quarter]:.2f}–{walls[-1 - quarter]:.2f}; "
                f"CPU {statistics.median(cpus):.2f}×)")


def run_process(argv: list[str], *, repeat: int, env: dict[str, str] | None = None) -> ProcessResult:
    """Median wall time and the largest peak RSS over ``repeat`` runs of a command."""
    times, peaks, cpus = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.stderr and proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"bench: {' '.join(argv)} failed:\n{stderr}")
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
        cpus.append(usage.ru_utime + usage.ru_stime)
    return ProcessResult(statistics.median(times), max(peaks), tuple(times), tuple(cpus))


def run_interleaved(commands: dict[str, list[str]], *, repeat: int,
                    env: dict[str, str] | None = None) -> dict[str, ProcessResult]:
    """Like run_process for several commands, run in turns (a, b, a, b, ...): a ratio of two
    of them is not skewed by the machine getting busier or quieter half-way through."""
    runs: dict[str, list[ProcessResult]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            runs[name].append(run_process(argv, repeat=1, env=env))
    return {name: ProcessResult(statistics.median(r.median_s for r in done), max(r.peak_rss_mb for r in done),
                                tuple(r.median_s for r in done), tuple(r.cpu_s[0] for r in done))
            for name, done in runs.items()}


def median_ms(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


@dataclass
class Row:
    name: str
    value: str
    goal: str = ""
    detail: str = ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="runs per process measure")
    parser.add_argument("--start-repeat", type=int, default=25,
                        help="runs of the app's start and of its floor (in turns)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--log-records", type=int, default=100_000,
                        help="the synthetic log's size for the log's measures (0: none; bench/log_scale.py)")
    parser.add_argument("--only-logging", action="store_true",
                        help="only the consultations logged per second (SQLite, PostgreSQL, PostgreSQL with"
                             " row-level security)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    if args.only_logging:
        try:
            rows = logging_rates(work, {})
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for r in rows:
            print(f"  {r.name}  {r.value}  {r.detail}")
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DESK_BASEDIR": str(work / "base")}
    desk = [PY, "-m", "desk", "--basedir", str(work / "base")]
    rows: list[Row] = []
    figures: dict[str, float] = {}
    try:
        # A ready database (and its catalogue copy, which `db upgrade` makes), so process
        # measures do not include the first-run import.
        subprocess.run([*desk, "db", "upgrade"], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)

        floor_py = run_process([PY, "-c", "pass"], repeat=args.repeat, env=env)
        # The day's first start makes the window's first view (desk.matching.first_view); it is timed on
        # its own, and the starts measured against the floor are the day's later ones.
        first_start = run_process([*desk, "--exit-when-ready"], repeat=1, env=env)
        starts = run_interleaved({"floor": [PY, "-c", FLOOR_WINDOW], "ready": [*desk, "--exit-when-ready"],
                                  "loaded": [*desk, "--exit-when-loaded"]}, repeat=args.start_repeat, env=env)
        floor_window, app_start, app_loaded = starts["floor"], starts["ready"], starts["loaded"]
        intake_file = work / "intake.json"
        intake_file.write_text(json.dumps(BENCH_INTAKE, ensure_ascii=False), encoding="utf-8")
        sheets = run_interleaved({"floor": [PY, "-c", FLOOR_PDF, str(work / "floor.pdf")],
                                  "referral": [*desk, "referral", str(intake_file), "-o", str(work / "sheet.pdf")]},
                                 repeat=args.repeat, env=env)
        floor_pdf, referral = sheets["floor"], sheets["referral"]
        core_import = run_process([PY, "-c", "import desk.cli, desk.db.catalogue, desk.db.directory, desk.db.models"],
                                  repeat=args.repeat, env=env)
        rows += [
            Row("floor: python -c pass", f"{floor_py.median_s * 1000:.0f} ms",
                detail=f"peak {floor_py.peak_rss_mb:.0f} MB"),
            Row("floor: bare PySide6 window shown and closed", f"{floor_window.median_s * 1000:.0f} ms",
                detail=f"peak {floor_window.peak_rss_mb:.0f} MB"),
            Row("floor: one-page reportlab PDF, embedded IPAex", f"{floor_pdf.median_s * 1000:.0f} ms",
                detail=f"peak {floor_pdf.peak_rss_mb:.0f} MB"),
            Row("import of the core (desk.cli, catalogue, directory, models)",
                f"{core_import.median_s / floor_py.median_s:.2f}× python",
                detail=f"{core_import.median_s * 1000:.0f} ms"),
        ]
        figures.update(floor_python_ms=floor_py.median_s * 1000, floor_window_ms=floor_window.median_s * 1000,
                       floor_pdf_ms=floor_pdf.median_s * 1000, core_import_ms=core_import.median_s * 1000)

        # Ready: the window on screen with the first step usable and the first results shown
        # (from the first view; the engine loads right after, and the later steps in idle time).
        rows.append(Row("process: desk start to main window shown with first results",
                        app_start.per_turn(floor_window), goal="≤ 1.5×",
                        detail=f"{app_start.median_s * 1000:.0f} ms (medians: "
                               f"{app_start.median_s / floor_window.median_s:.2f}×); "
                               f"peak {app_start.peak_rss_mb:.0f} MB = "
                               f"{app_start.peak_rss_mb / floor_window.peak_rss_mb:.2f}× floor (goal ≤ 1.5×)"))
        rows.append(Row("process: desk start to the engine loaded after the window (no goal)",
                        app_loaded.per_turn(floor_window),
                        detail=f"{app_loaded.median_s * 1000:.0f} ms; peak {app_loaded.peak_rss_mb:.0f} MB = "
                               f"{app_loaded.peak_rss_mb / floor_window.peak_rss_mb:.2f}× floor"))
        rows.append(Row("process: the day's first desk start (makes the first view; no goal)",
                        f"{first_start.median_s / floor_window.median_s:.2f}× window floor",
                        detail=f"{first_start.median_s * 1000:.0f} ms; peak {first_start.peak_rss_mb:.0f} MB"))
        figures.update(app_start_ms=app_start.median_s * 1000, app_peak_mb=app_start.peak_rss_mb,
                       app_loaded_ms=app_loaded.median_s * 1000, app_loaded_peak_mb=app_loaded.peak_rss_mb,
                       app_first_start_ms=first_start.median_s * 1000)
        rows.append(Row("process: desk referral (Yokosuka supplier)",
                        f"{referral.median_s / floor_pdf.median_s:.2f}× PDF floor", goal="≤ 2×",
                        detail=f"{referral.median_s * 1000:.0f} ms, peak {referral.peak_rss_mb:.0f} MB"))
        figures["process desk referral ms"] = referral.median_s * 1000
        for name, argv in (("desk match --json (Yokosuka supplier)", [*desk, "match", "--json", str(intake_file)]),
                           ("desk programs --json", [*desk, "programs", "--json"]),
                           ("desk contacts --json --municipality 横須賀市",
                            [*desk, "contacts", "--json", "--municipality", "横須賀市"])):
            result = run_process(argv, repeat=args.repeat, env=env)
            rows.append(Row(f"process: {name}", f"{result.median_s / floor_py.median_s:.2f}× python",
                            detail=f"{result.median_s * 1000:.0f} ms, "
                                   f"{result.median_s / core_import.median_s:.2f}× core import, "
                                   f"peak {result.peak_rss_mb:.0f} MB"))
            figures[f"process {name} ms"] = result.median_s * 1000

        rows += logging_rates(work, figures)
        rows += in_process_measures(work, figures)
        if args.log_records:
            rows += log_scale_rows(args.log_records, figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r.name) for r in rows)
    print(f"desk bench {dt.datetime.now():%Y-%m-%d %H:%M}  python {sys.version.split()[0]}  "
          f"repeat {args.repeat}  cpus {os.cpu_count()}")
    for r in rows:
        goal = f"  (goal {r.goal})" if r.goal else ""
        print(f"  {r.name:<{width}}  {r.value:>16}{goal}  {r.detail}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def log_scale_rows(count: int, figures: dict[str, float]) -> list[Row]:
    """The log on a synthetic log of ``count`` records (SQLite; made once, kept by bench/log_scale.py)."""
    sys.path.insert(0, str(REPO / "bench"))
    import log_scale

    got = log_scale.measure(count)
    figures.update({f"log {count} {key}": value for key, value in got.items()})
    ms = {key: f"{got[key] * 1000:.0f} ms" for key in got if key.endswith("_s")}
    return [
        Row(f"log of {count:,}: first page (200 rows)", ms["first_page_s"], goal="≤ 200 ms"),
        Row(f"log of {count:,}: search --limit 50, frequent / absent text", ms["search_common_s"], goal="≤ 200 ms",
            detail=f"absent text (reads every row): {ms['search_rare_s']}"),
        Row(f"log of {count:,}: stats by month / by cause", f"{ms['stats_month_s']} / {ms['stats_cause_s']}",
            goal="≤ 1 s", detail=f"by municipality {ms['stats_municipality_s']}; the window's counts {ms['counts_s']}"),
        Row(f"log of {count:,}: monthly report, its figures / PDF and CSV written",
            f"{ms['report_figures_s']} / {ms['report_pdf_s']}"),
        Row(f"log of {count:,}: CSV of the whole log, with personal details", f"{got['csv_rows_per_s']:,.0f} rows/s",
            goal="≥ 50,000", detail=f"memory added while writing {got['csv_memory_mb']:.0f} MB"),
        Row(f"log of {count:,}: opening the log window, to its first page", ms["open_window_s"],
            goal="≤ 200 ms; ≤ 50 MB", detail=f"its counts and chart after {ms['window_counted_s']} (a thread); "
                                             f"memory added {got['window_memory_mb']:.0f} MB (Qt itself: "
                                             f"{got['qt_memory_mb']:.0f} MB before it)"),
    ]


LOG_WRITERS, LOG_RECORDS = 4, 250


def _concurrent_log_rate(url: str | list[str], kind: str, basedir: Path) -> float:
    """Consultations logged per second by LOG_WRITERS processes started together (``url``: one
    for all, or one a writer)."""
    urls = url if isinstance(url, list) else [url] * LOG_WRITERS
    start_at = time.time() + 2.0
    processes = [subprocess.Popen([PY, "-m", "tests.faults.log_writer", u, str(LOG_RECORDS), kind, str(start_at)],
                                  cwd=REPO, env={**os.environ, "DESK_BASEDIR": str(basedir)},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for u in urls]
    for p in processes:
        _out, err = p.communicate(timeout=600)
        if p.returncode != 0:
            raise SystemExit(f"bench: log writer failed: {err}")
    finished = time.time()
    return LOG_WRITERS * LOG_RECORDS / (finished - start_at)


def logging_rates(work: Path, figures: dict[str, float]) -> list[Row]:
    sys.path.insert(0, str(REPO))
    from desk.db import engine as db_engine
    from desk.db import setup
    from tests.pg import PgServer, PgUnavailable

    rows = []
    sqlite_url = db_engine.sqlite_url(work / "log-bench.sqlite3")
    engine = db_engine.make_engine(sqlite_url)
    setup.upgrade(engine)
    engine.dispose()
    rate = _concurrent_log_rate(sqlite_url, "quick", work / "log-base")
    figures["log_rate_sqlite_per_s"] = rate
    rows.append(Row(f"processes: consultations logged, {LOG_WRITERS} at once, SQLite file (quick path)",
                    f"{rate:,.0f} /s", detail=f"{LOG_WRITERS} × {LOG_RECORDS} records"))
    try:
        server = PgServer().start()
    except PgUnavailable as exc:
        return [*rows, Row("processes: consultations logged, PostgreSQL", "skipped", detail=str(exc))]
    try:
        url = server.create_database()
        engine = db_engine.make_engine(url)
        setup.upgrade(engine)
        engine.dispose()
        rate = _concurrent_log_rate(url, "orm", work / "log-base")
        secured_rate = _secured_log_rate(server, work / "log-base")
    finally:
        server.stop()
    figures["log_rate_postgresql_per_s"] = rate
    figures["log_rate_postgresql_rls_per_s"] = secured_rate
    rows.append(Row(f"processes: consultations logged, {LOG_WRITERS} at once, PostgreSQL (local socket)",
                    f"{rate:,.0f} /s", detail=f"{LOG_WRITERS} × {LOG_RECORDS} records; fsync off (a test server)"))
    rows.append(Row(f"processes: consultations logged, {LOG_WRITERS} at once, PostgreSQL with row-level security",
                    f"{secured_rate:,.0f} /s",
                    detail=f"each writer a window's login role (desk server init); "
                           f"{secured_rate / rate:.2f}× the rate without"))
    return rows


def _secured_log_rate(server, basedir: Path) -> float:
    """The same writers on a database secured by `desk server init`, each connected as a window's
    login role (named for this run, dropped afterwards), so every insert goes through the policies
    and the trigger that stamps the window."""
    import secrets

    from sqlalchemy.engine import make_url

    from desk.db import engine as db_engine
    from desk.db import server as db_server
    from desk.db import setup

    url = server.create_database()
    database = str(make_url(url).database)
    engine = db_engine.make_engine(url)
    setup.upgrade(engine)
    db_server.init(engine)
    roles = [f"bench_{os.getpid()}_{i}_{secrets.token_hex(2)}" for i in range(LOG_WRITERS)]
    try:
        for i, role in enumerate(roles):
            db_server.add_window(engine, role, title=f"ベンチ窓口{i + 1}")
        return _concurrent_log_rate([server.url(database, role) for role in roles], "orm", basedir)
    finally:
        engine.dispose()
        for role in roles:
            server.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'")
            server.execute(f"DROP ROLE IF EXISTS {role}", database)


def in_process_measures(work: Path, figures: dict[str, float]) -> list[Row]:
    sys.path.insert(0, str(REPO))
    from sqlalchemy.orm import Session

    from desk import paths
    from desk.db import catalogue, directory, setup
    from desk.db import engine as db_engine

    paths.init(work / "inproc")
    packs = setup.bundled_pack_paths()
    counter = iter(range(1_000_000))

    def fresh_import() -> None:
        engine = db_engine.make_engine(db_engine.sqlite_url(work / f"import-{next(counter)}.sqlite3"))
        setup.upgrade(engine)
        setup.import_files(engine, packs)
        engine.dispose()

    import_ms = median_ms(fresh_import, repeat=3, warmup=0)
    engine = db_engine.make_engine(db_engine.sqlite_url(work / "import-0.sqlite3"))
    on = dt.date(2026, 11, 22)

    def programs() -> None:
        with Session(engine) as s:
            catalogue.list_programs(s, on=on)

    def contacts() -> None:
        with Session(engine) as s:
            place = directory.resolve_place(s, municipality="横須賀市")
            directory.list_contacts(s, place=place)

    list_ms = median_ms(programs, repeat=30)
    contacts_ms = median_ms(contacts, repeat=30)
    match_ms, run_ms, variants, synthetic_ms, synthetic_n = match_measures(engine, on)
    keystroke_ms = keystroke_measure(engine, work)
    figures.update(first_run_import_ms=import_ms, list_programs_ms=list_ms, contacts_for_place_ms=contacts_ms,
                   match_full_catalogue_ms=match_ms, match_with_output_ms=run_ms, match_10k_ms=synthetic_ms,
                   keystroke_update_ms=keystroke_ms)
    return [
        Row("in-process: first run (migrate + import all bundled packs)", f"{import_ms:.0f} ms median"),
        Row("in-process: catalogue listing (all programs, plain dicts)", f"{list_ms:.1f} ms median"),
        Row("in-process: contacts serving 横須賀市 with distances", f"{contacts_ms:.1f} ms median"),
        Row(f"in-process: match one intake, full catalogue ({variants} variants)", f"{match_ms:.2f} ms median",
            goal="≤ 2 ms"),
        Row("in-process: the same plus referrals and the JSON-ready result", f"{run_ms:.2f} ms median"),
        Row(f"in-process: match one intake, synthetic catalogue ({synthetic_n:,} variants)",
            f"{synthetic_ms:.1f} ms median", goal="≤ 50 ms"),
        Row("in-process: live result update after a keystroke (match + results view)",
            f"{keystroke_ms:.1f} ms median", goal="≤ 16 ms"),
    ]


def keystroke_measure(engine, work: Path) -> float:
    """One keystroke in the employees field, then the update the timer would run."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from desk.db.store import Store
    from desk.settings import Settings
    from desk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(store=Store.for_engine(engine), settings=Settings(work / "s.json"),
                        today=dt.date(2026, 11, 22))
    window.stepper.load(BENCH_INTAKE)
    window.show()
    app.processEvents()
    field = window.stepper.field("employees").editor
    counter = iter(range(10**6))

    def keystroke() -> None:
        field.setText(str(10 + next(counter) % 30))
        window.update_results()

    result = median_ms(keystroke, repeat=100, warmup=5)
    window.stepper.load({})   # an empty form closes without 入力中の内容を破棄しますか？
    window.close()
    return result


def match_measures(engine, on: dt.date) -> tuple[float, float, int, float, int]:
    """The engine (statuses, reasons, terms, order) with the catalogue already loaded, and
    run(): the engine plus referral contacts and the JSON-ready output of INTAKE.md."""
    from dataclasses import replace

    from sqlalchemy.orm import Session

    from desk.db.loaders import OrmSource
    from desk.intake.reader import read_intake
    from desk.matching import engine as matching
    from desk.matching.service import MatchService, resolve_intake_place, run

    intake = read_intake(BENCH_INTAKE).intake
    loaded = MatchService(OrmSource(lambda: Session(engine))).loaded()
    place = resolve_intake_place(loaded.places, intake)

    def engine_only(catalogue) -> None:
        matching.match(catalogue, intake, on=on, sales=intake.sales_change, prefecture=place.prefecture,
                       municipality=place.municipality, city=place.city)

    engine_ms = median_ms(lambda: engine_only(loaded.catalogue), repeat=300)
    run_ms = median_ms(lambda: run(loaded, intake, place, on=on), repeat=200)
    # 10,000 variants: copies of the real ones, each with its own id and its own limit, so
    # per-variant work (amount, remaining limit, terms, ordering) is really done 10,000 times;
    # the condition lists stay shared, as in a catalogue of many similar programs.
    base = loaded.catalogue.variants
    copies = -(-10_000 // len(base))
    synthetic = tuple(
        replace(v, id=f"{v.id}~{i}", position=i * len(base) + v.position,
                limit_yen=None if v.limit_yen is None else v.limit_yen + i * 1_000_000)
        for i in range(copies) for v in base)[:10_000]
    big = replace(loaded.catalogue, variants=synthetic)
    synthetic_ms = median_ms(lambda: engine_only(big), repeat=15)
    return engine_ms, run_ms, len(base), synthetic_ms, len(synthetic)


if __name__ == "__main__":
    raise SystemExit(main())
