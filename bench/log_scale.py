"""The consultation log at scale: a synthetic log of N records (tests/synthetic_log.py), kept on disk
by generator version and schema revision, and what the log costs on it.

    python bench/log_scale.py 100000            # ~3.4 GB of SQLite, about 2 minutes to make once
    python bench/log_scale.py 1000000           # `make bench-scale`: ~34 GB, about 20 minutes once
    python bench/log_scale.py 100000 --postgresql   # the same records on a throwaway PostgreSQL server

The kept match (~33 kB a record, as real ones) is most of the size; the measures read none of it.
Each figure is measured in a fresh process (the log window's memory from that process's RSS).
`desk log search --limit 50` is also timed as staff and scripts run it, a whole process from start
to exit (wall time, the median of several runs after one to warm the disk cache), beside the floor
of `python -c pass` measured in the same turns (``process_*``).

PostgreSQL: the server the tests start (tests/pg.py: a Unix socket, fsync off), its data folder
under the temporary folder, made for the run and removed after it (no PostgreSQL log is kept between
runs); the records go in through SQLAlchemy a batch at a time (tests/synthetic_log.fill_engine,
psycopg's batched executemany), the kept match as the same random bytes in a bytea column (stored
out of line and not compressed, as SQLite's blob is not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("DESK_BENCH_CACHE", Path.home() / ".cache" / "desk-bench"))

MEASURE = r"""
import json, os, sys, time
import datetime as dt
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
url, work = sys.argv[1], Path(sys.argv[3])
from desk import paths
paths.init(Path(sys.argv[2]))

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

def peak_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024

def timed(fn, repeat=5):
    fn()
    best = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); best.append(time.perf_counter() - t)
    return sorted(best)[len(best) // 2]

from desk.db.services import LogFilter
from desk.db.store import Store
from desk.db import engine as db_engine
store = Store.for_engine(db_engine.make_engine(url))
log = store.log
out = {}
out["first_page_s"] = timed(lambda: log.page(limit=200))
out["search_common_s"] = timed(lambda: log.page(LogFilter(text="精工"), limit=50))
out["search_rare_s"] = timed(lambda: log.page(LogFilter(text="該当なしの文字"), limit=50), repeat=3)
out["stats_month_s"] = timed(lambda: log.stats(by="month"), repeat=3)
out["stats_cause_s"] = timed(lambda: log.stats(by="cause"), repeat=3)
out["stats_municipality_s"] = timed(lambda: log.stats(by="municipality"), repeat=3)
out["counts_s"] = timed(lambda: log.counts(), repeat=3)
from desk.log import monthly
last_month = log.stats(by="month")[-1].key
out["report_figures_s"] = timed(lambda: monthly.build(log, last_month), repeat=3)
out["report_pdf_s"] = timed(lambda: monthly.write(log, last_month, work / "bench-report.pdf",
                                                  work / "bench-report.csv"), repeat=3)
before = rss_mb()
from PySide6.QtWidgets import QApplication
app = QApplication([])
after_qt = rss_mb()
from desk.ui.log_dialog import ConsultationLogDialog
t = time.perf_counter()
dialog = ConsultationLogDialog(log)
dialog.show(); app.processEvents()
out["open_window_once_s"] = time.perf_counter() - t   # the first page on screen (after the queries above)
while not dialog.is_counted() and time.perf_counter() - t < 120:   # the counts follow from a thread
    app.processEvents(); time.sleep(0.002)
out["window_counted_s"] = time.perf_counter() - t
out["window_memory_mb"] = rss_mb() - after_qt
out["qt_memory_mb"] = after_qt - before
dialog.close()
csv = work / "bench-log.csv"
# The peak resident size starts again from here (Linux: 5 into clear_refs resets VmHWM), so the
# CSV's figure is what writing it added, not an earlier step's peak.
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
rss_before_csv = rss_mb()
t = time.perf_counter()
rows = log.write_csv(csv, include_personal=True)
out["csv_rows_per_s"] = rows / (time.perf_counter() - t)
out["csv_rows"] = rows
out["csv_memory_mb"] = peak_mb() - rss_before_csv
csv.unlink()
for made in ("bench-report.pdf", "bench-report.csv"):
    (work / made).unlink()
print(json.dumps(out))
"""


def synthetic_database(count: int) -> Path:
    """The SQLite file of ``count`` synthetic records, made once per generator version and revision."""
    sys.path.insert(0, str(REPO))
    from desk.db.migrations import HEAD_REVISION
    from tests.synthetic_log import GENERATOR_VERSION, fill_sqlite

    path = CACHE / f"log-g{GENERATOR_VERSION}-r{HEAD_REVISION}-{count}.sqlite3"
    if path.exists():
        return path
    from desk.db import engine as db_engine
    from desk.db import setup

    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    # The same records at an older revision: migrated in place (minutes less than making them again,
    # and what the migration does to a large log is worth seeing).
    older = sorted(CACHE.glob(f"log-g{GENERATOR_VERSION}-r*-{count}.sqlite3"))
    if older:
        older[-1].rename(partial)
        started = time.perf_counter()
        engine = db_engine.make_engine(db_engine.sqlite_url(partial))
        setup.upgrade(engine)
        engine.dispose()
        print(f"migrated {older[-1].name} to {HEAD_REVISION} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        partial.rename(path)
        return path
    engine = db_engine.make_engine(db_engine.sqlite_url(partial))
    setup.ensure_ready(engine)
    engine.dispose()
    started = time.perf_counter()
    fill_sqlite(partial, count)
    print(f"made {count:,} records in {time.perf_counter() - started:.0f} s: {partial.stat().st_size / 2**30:.1f} GiB",
          file=sys.stderr)
    partial.rename(path)
    return path


def _measured(url: str, work: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, url, str(work / "base"), str(work)], cwd=REPO,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


PROCESS_RUNS = 7
SEARCHES = {"process_search_s": ["--limit", "50"], "process_search_json_s": ["--limit", "50", "--json"],
            "process_search_text_s": ["--text", "精工", "--limit", "50"],
            "process_search_dates_s": ["--since", "2024-04-01", "--until", "2024-06-30", "--limit", "50"]}


def _process_figures(url: str, work: Path) -> dict[str, float]:
    """`desk log search` as a whole process, each variant and the floor in turns (a busy moment of
    the host falls on all of them alike); medians of :data:`PROCESS_RUNS`."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    commands = {"process_floor_s": [sys.executable, "-c", "pass"]}
    for name, argv in SEARCHES.items():
        commands[name] = [sys.executable, "-m", "desk", "--basedir", str(work / "base"), "--db", url,
                          "log", "search", *argv]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for turn in range(PROCESS_RUNS + 1):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, check=True)
            if turn:   # the first turn warms the disk cache
                times[name].append(time.perf_counter() - started)
    return {name: sorted(found)[len(found) // 2] for name, found in times.items()}


# The log window opened in a fresh process as staff open it from the running app: the main window's
# modules are loaded (desk.ui.app), the log window's own are imported at the click. Its module, its
# widgets and their first text are most of the time (the page itself takes milliseconds). One
# opening in the measures' process read 0.14–0.21 s from one run to the next: a median instead.
OPEN_WINDOW = r"""
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from desk import paths
paths.init(Path(sys.argv[2]))
from desk.db import engine as db_engine
from desk.db.store import Store
log = Store.for_engine(db_engine.make_engine(sys.argv[1])).log
import desk.ui.app
from PySide6.QtWidgets import QApplication
app = QApplication([])
t = time.perf_counter()
from desk.ui.log_dialog import ConsultationLogDialog
dialog = ConsultationLogDialog(log)
dialog.show(); app.processEvents()
print(time.perf_counter() - t)
os._exit(0)
"""


def _window_opens(url: str, work: Path) -> dict[str, float]:
    """The log window to its first page in :data:`PROCESS_RUNS` fresh processes (after one that warms
    the disk cache): the median."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    times = []
    for turn in range(PROCESS_RUNS + 1):
        done = subprocess.run([sys.executable, "-c", OPEN_WINDOW, url, str(work / "base")], cwd=REPO, env=env,
                              capture_output=True, text=True, check=True)
        if turn:
            times.append(float(done.stdout.strip().splitlines()[-1]))
    return {"open_window_s": sorted(times)[len(times) // 2]}


def measure(count: int) -> dict[str, float]:
    from desk.db import engine as db_engine

    path = synthetic_database(count)
    url = db_engine.sqlite_url(path)
    return {**_measured(url, path.parent), **_process_figures(url, path.parent), **_window_opens(url, path.parent)}


def measure_postgresql(count: int) -> dict[str, float]:
    """The same measures on a PostgreSQL server started for the run, filled with the same records."""
    sys.path.insert(0, str(REPO))
    from desk.db import engine as db_engine
    from desk.db import setup
    from tests.pg import PgServer
    from tests.synthetic_log import consultations, fill_engine

    CACHE.mkdir(parents=True, exist_ok=True)
    server = PgServer().start()    # its data folder under the temporary folder, which the postgres user can reach
    try:
        url = server.create_database()
        engine = db_engine.make_engine(url)
        setup.upgrade(engine)
        started = time.perf_counter()
        fill_engine(engine, consultations(count), batch=2_000)
        with engine.begin() as connection:
            size = connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")   # as autovacuum would leave a server's log
        engine.dispose()
        made_s = time.perf_counter() - started
        print(f"made {count:,} records on PostgreSQL in {made_s:.0f} s: {size / 2**30:.1f} GiB", file=sys.stderr)
        figures = {**_measured(url, CACHE), **_process_figures(url, CACHE), **_window_opens(url, CACHE)}
        return {**figures, "made_s": made_s, "database_gib": size / 2**30}
    finally:
        server.stop()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(arguments[0]) if arguments else 100_000
    print(json.dumps(measure_postgresql(count) if "--postgresql" in sys.argv else measure(count), indent=1))
