"""Write consultation records as fast as possible, for the concurrency tests and the bench.

    python -m tests.faults.log_writer URL COUNT WRITER START_AT

WRITER: ``quick`` (stdlib sqlite3, as `desk referral` and the app) or ``orm`` (SQLAlchemy,
as the log and admin screens, and PostgreSQL). Waits until the wall clock reaches
START_AT (a float, time.time()) so several processes start together, then prints one line:
``wrote N in S seconds``. Any error is printed and exits 1.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time


def main(argv: list[str]) -> int:
    url, count, kind, start_at = argv[0], int(argv[1]), argv[2], float(argv[3])
    from desk import paths
    from desk.intake.reader import read_intake
    from desk.log import records
    from tests import answers

    paths.init(os.environ.get("DESK_BASEDIR"))
    if kind == "quick":
        from desk.db.quick import QuickSqlite
        from desk.db.urls import plain_sqlite_file

        writer = QuickSqlite.open(plain_sqlite_file(url))
        assert writer is not None, "not a SQLite file at the current revision"
    else:
        from desk.db import engine as db_engine
        from desk.db.consultations import OrmLogWriter

        writer = OrmLogWriter(db_engine.session_factory(db_engine.make_engine(url)))
    intake = read_intake({"business_name": f"同時書き込み {os.getpid()}", "causes": ["nissan"]}).intake
    report = answers.report(funds=(("p", "eligible"),))
    while time.time() < start_at:
        time.sleep(0.001)
    began = time.perf_counter()
    for _ in range(count):
        records.record(writer, intake=intake, report=report, device="6f1c2a9e-0000-4000-8000-000000000000",
                       window_name=None, staff_name=None, now=dt.datetime.now(dt.UTC))
    print(f"wrote {count} in {time.perf_counter() - began:.3f} seconds", flush=True)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main(sys.argv[1:]))
    except Exception as exc:  # the test reads stderr: one line, the error a user would have seen
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
