"""PySide's enums made the quick way (desk.ui.qt_enums) are the functional API's, member by member."""

from __future__ import annotations

import enum
import json
import os
import pickle
import subprocess
import sys
from typing import Any

import pytest

from desk.ui import qt_enums


def census(way: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "tests.ui.enum_census", way], capture_output=True, text=True,
                          env=env, check=True, timeout=120)
    return json.loads(done.stdout)   # type: ignore[no-any-return]


def test_every_qt_enum_made_quickly_is_the_one_the_functional_api_makes() -> None:
    quick, functional = census("quick"), census("functional")
    assert len(functional["enums"]) > 600   # QtCore, QtGui, QtWidgets, QtPrintSupport, QtTest
    assert quick["made_quickly"] == len(quick["enums"])   # every one went the quick way
    differing = [name for name, described in functional["enums"].items() if quick["enums"].get(name) != described]
    assert differing == []
    assert quick["enums"].keys() == functional["enums"].keys()


def made_both_ways(*args: Any, **options: Any) -> tuple[type[enum.Enum], type[enum.Enum], int]:
    """The same call through the installed maker and through the functional API's own."""
    before = qt_enums.made_quickly
    quick = args[0](*args[1:], **options)
    made = qt_enums.made_quickly - before
    qt_enums.uninstall()
    try:
        functional = args[0](*args[1:], **options)
    finally:
        qt_enums.install()
    return quick, functional, made


def test_a_call_shaped_as_pysides_is_made_quickly_with_the_callers_module_and_pickles() -> None:
    quick, functional, made = made_both_ways(enum.IntFlag, "Bits", [("A", 1), ("B", 2), ("AB", 3)],
                                             boundary=enum.KEEP)
    assert made == 1
    assert quick.__module__ == functional.__module__ == __name__
    assert [repr(member) for member in quick] == [repr(member) for member in functional]
    assert repr(quick.A | quick.B) == repr(functional.A | functional.B) == "<Bits.AB: 3>"
    assert quick._member_map_.keys() == functional._member_map_.keys()
    globals()["Bits"] = quick   # where pickle looks for it
    try:
        assert pickle.loads(pickle.dumps(quick.AB)) is quick.AB
    finally:
        del globals()["Bits"]


@pytest.mark.parametrize("args, options", [
    ((enum.Enum, "Colour", "RED GREEN"), {}),                                   # names in a string
    ((enum.IntEnum, "Level", [("LOW", 1)]), {"module": __name__}),              # a module of its own
    ((enum.IntEnum, "Level", [("LOW", 1)]), {}),                                # no KEEP: not PySide's shape
    ((enum.StrEnum, "Word", [("A", "a")]), {"boundary": enum.KEEP}),            # not a plain int base
    ((enum.IntEnum, "Level", [("LOW", True)]), {"boundary": enum.KEEP}),        # a bool is not a C++ value
    ((enum.IntEnum, "Level", [("_low", 1)]), {"boundary": enum.KEEP}),          # a private name
    ((enum.IntEnum, "Level", {"LOW": 1}), {"boundary": enum.KEEP}),             # a mapping
])
def test_any_other_call_goes_the_functional_apis_way(args: tuple[Any, ...], options: dict[str, Any]) -> None:
    quick, functional, made = made_both_ways(*args, **options)
    assert made == 0
    assert [repr(member) for member in quick] == [repr(member) for member in functional]
    assert quick.__module__ == functional.__module__


def test_a_name_given_twice_is_refused_as_the_functional_api_refuses_it() -> None:
    before = qt_enums.made_quickly
    with pytest.raises(TypeError, match="'A'"):
        enum.IntEnum("Twice", [("A", 1), ("A", 2)], boundary=enum.KEEP)
    assert qt_enums.made_quickly == before
