"""Run one desk operation in this process and SIGKILL it just before its Nth SQL statement.

    python -m tests.faults.kill_driver OPERATION DB KILL_AT [PACK...]

OPERATION: ``import`` (the packs given), ``migrate`` (0001 -> head), ``log`` (consultation
records, alternating the quick sqlite3 writer and the ORM writer). KILL_AT 0 runs to
the end and prints how many statements there were, so the tests can pick kill points
across the whole operation. Statements are counted on SQLAlchemy's cursor events and
on sqlite3's trace callback (the quick path), so COMMIT is a kill point too.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

LOG_RECORDS = 6


class Killer:
    def __init__(self, kill_at: int):
        self.kill_at = kill_at
        self.count = 0

    def __call__(self, *_args) -> None:
        self.count += 1
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> int:
    operation, db, kill_at = argv[0], Path(argv[1]), int(argv[2])
    from sqlalchemy import event

    from desk import paths
    from desk.db import engine as db_engine
    from desk.db import setup

    paths.init(os.environ.get("DESK_BASEDIR") or db.parent / "base")
    killer = Killer(kill_at)
    engine = db_engine.make_engine(db_engine.sqlite_url(db))
    event.listen(engine, "before_cursor_execute", lambda *a: killer())
    event.listen(engine, "begin", lambda *a: killer())
    event.listen(engine, "commit", lambda *a: killer())
    if operation == "import":
        setup.import_files(engine, [Path(p) for p in argv[3:]])
    elif operation == "migrate":
        setup.upgrade(engine)
    elif operation == "log":
        from desk.db.consultations import OrmLogWriter
        from desk.db.quick import QuickSqlite
        from desk.intake.reader import read_intake
        from desk.log import records
        from tests import answers

        quick = QuickSqlite.open(db)
        quick._connection.set_trace_callback(lambda _sql: killer())
        writers = [quick, OrmLogWriter(db_engine.session_factory(engine))]
        report = answers.report()
        for i in range(LOG_RECORDS):
            records.record(writers[i % 2], intake=read_intake({"business_name": f"記録{i}"}).intake, report=report,
                           device="6f1c2a9e-0000-4000-8000-000000000000", window_name=None, staff_name=None,
                           now=dt.datetime(2026, 11, 22, 3, 0, i, tzinfo=dt.UTC))
            print(f"recorded {i}", flush=True)
    else:
        raise SystemExit(f"unknown operation {operation}")
    print(f"statements {killer.count}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
