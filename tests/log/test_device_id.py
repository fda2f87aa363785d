"""The device id: created once, whatever the number of first referrals at once; a hand-edited
one that is not an id is one line (issue 15, items 1 and 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk.log import records
from desk.settings import RETENTION_DEFAULT_DAYS, Settings, SettingsError

REPO = Path(__file__).resolve().parents[2]


def test_first_uses_at_once_in_many_processes_agree_on_one_id(tmp_path):
    settings_file = tmp_path / "config" / "settings.json"
    start_at = time.time() + 1.0      # every process imported and waiting before the first read
    processes = [subprocess.Popen([sys.executable, "-m", "tests.faults.device_id_driver", str(settings_file),
                                   str(start_at)], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    ids = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        ids.append(out.strip())
    saved = json.loads(settings_file.read_text(encoding="utf-8"))
    assert set(ids) == {saved["device_id"]}
    # A fresh install's first settings file keeps the default retention (a file without it is
    # read as an install from before the default purge, which kept names for ever).
    assert saved["personal_retention_days"] == RETENTION_DEFAULT_DAYS
    assert Settings.load(settings_file).get("personal_retention_days") == RETENTION_DEFAULT_DAYS


def test_an_existing_settings_file_keeps_its_values(tmp_path):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"personal_retention_days": 30, "staff_name": "佐藤"}), encoding="utf-8")
    made = records.device_id(Settings.load(settings_file))
    assert json.loads(settings_file.read_text(encoding="utf-8")) == {
        "personal_retention_days": 30, "staff_name": "佐藤", "device_id": made}


@pytest.mark.parametrize("value", ["not-hex-at-all", "zz" * 16, 12345, "6f1c2a9e"])
def test_a_device_id_that_is_not_an_id_is_one_line(tmp_path, value):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"device_id": value}), encoding="utf-8")
    with pytest.raises(SettingsError, match="device_id") as raised:
        records.device_id(Settings.load(settings_file))
    assert "\n" not in str(raised.value) and str(settings_file) in str(raised.value)


def test_settings_read_before_another_process_made_the_id_keep_it_when_saved(tmp_path):
    settings_file = tmp_path / "config" / "settings.json"
    settings_file.parent.mkdir()
    settings_file.write_text(json.dumps({"personal_retention_days": 30}), encoding="utf-8")
    open_app = Settings.load(settings_file)          # the app, open before the first referral
    done = subprocess.run([sys.executable, "-m", "tests.faults.device_id_driver", str(settings_file), "0"], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=60)
    made = done.stdout.strip()                       # a referral at the command line made the id
    open_app.set("staff_name", "佐藤")
    open_app.save()                                  # the app's settings dialog
    saved = json.loads(settings_file.read_text(encoding="utf-8"))
    assert saved["device_id"] == made and saved["staff_name"] == "佐藤"
    assert records.device_id(open_app) == made
