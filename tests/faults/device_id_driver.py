"""Ask for this machine's device id at a given moment, as a referral does on first use.

    python -m tests.faults.device_id_driver SETTINGS_FILE START_AT

Prints the id. Several of these started at once on a fresh install race for the first id.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from desk.log.records import device_id
    from desk.settings import Settings

    settings_file, start_at = Path(argv[0]), float(argv[1])
    time.sleep(max(0.0, start_at - time.time()))
    print(device_id(Settings.load(settings_file)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
