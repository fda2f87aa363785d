"""Run `desk referral` in this process and send it a real signal at one point of its work.

    python -m tests.faults.referral_driver DB INTAKE OUTPUT POINT SIGNAL

POINT: ``recording`` (before the record is made), ``recorded`` (just after its commit),
``rendering`` (while the PDF is made), ``writing`` (before the sheet's atomic write),
``replacing`` (its temporary file written, before the rename), ``renamed`` (the sheet just
renamed into place), ``written`` (the write returned) or ``none``. SIGNAL: TERM, HUP or KILL,
sent with os.kill to this process so it arrives exactly there; or HOLD: another process takes
the database's write lock there and keeps it (its pid printed), and the sheet's write then
fails as on a full disk. The exit code is `desk`'s.
"""

from __future__ import annotations

import errno
import os
import signal
import sys

HOLD = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(120)
"""


def main(argv: list[str]) -> int:
    db, intake, output, point, name = argv
    signum = getattr(signal, f"SIG{name}", 0)
    if name == "HOLD":
        from desk.db import quick

        quick.BUSY_TIMEOUT_MS = 300     # the wait for the lock, shortened for the test

    def hit(where: str) -> None:
        if where != point:
            return
        if name == "HOLD":      # another process takes the database's write lock here, and keeps it
            import subprocess

            holder = subprocess.Popen([sys.executable, "-c", HOLD, db], stdout=subprocess.PIPE, text=True,
                                      stderr=subprocess.DEVNULL)   # not our pipes: the test reads them to the end
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            print(f"holder {holder.pid}", flush=True)
            return
        os.kill(os.getpid(), signum)

    from desk import fileio
    from desk.log import records
    from desk.reports import referral

    real_record, real_render, real_write, real_replace = (records.record, referral.ReferralSheetRenderer.render,
                                                          fileio.atomic_write_bytes, os.replace)

    def record(*args, **kwargs):
        hit("recording")
        made = real_record(*args, **kwargs)
        hit("recorded")
        return made

    def render(self):
        hit("rendering")
        return real_render(self)

    def write(path, data, **kwargs):
        sheet = os.path.abspath(path) == os.path.abspath(output)    # not the note beside it
        if sheet and name == "HOLD":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))   # as on a full disk
        if sheet:
            hit("writing")
        done = real_write(path, data, **kwargs)
        if sheet:
            hit("written")
        return done

    def replace(source, destination):
        sheet = os.path.abspath(destination) == os.path.abspath(output)
        if sheet:
            hit("replacing")     # the temporary file written, not yet renamed
        real_replace(source, destination)
        if sheet:
            hit("renamed")

    records.record = record
    referral.ReferralSheetRenderer.render = render
    fileio.atomic_write_bytes = write
    os.replace = replace

    from desk.cli import main as desk_main

    return desk_main(["--db", db, "referral", intake, "-o", output])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
