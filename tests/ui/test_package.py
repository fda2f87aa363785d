"""desk.ui's package: PySide's per-module source scan answered from the file's bytes."""

from __future__ import annotations

import json
import sys

import desk.fiscal
import desk.ui
import desk.ui.look


def test_pyside_scan_is_the_quick_one_and_answers_as_pyside_would():
    feature = sys.modules["shibokensupport.feature"]
    quick = feature._mod_uses_pyside
    assert getattr(quick, "quick", False)
    # The same answers as PySide's own question ("PySide6" in the module's source).
    assert quick(desk.ui.look) is True
    assert quick(desk.fiscal) is False
    assert quick(json) is False
    assert quick(sys) is False   # built in: no file, the slow way, which says no


def test_scanning_twice_does_not_wrap_the_quick_scan_again():
    feature = sys.modules["shibokensupport.feature"]
    before = feature._mod_uses_pyside
    desk.ui._scan_sources_quickly()
    assert feature._mod_uses_pyside is before
