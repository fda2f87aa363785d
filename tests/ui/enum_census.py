"""Every enum of the Qt modules desk loads, described member by member, as JSON on stdout.

Run as ``python -m tests.ui.enum_census quick|functional``: one process per way, since
PySide makes each enum once per process, and with a fixed PYTHONHASHSEED (a member's hash
is its name's). The functional way imports nothing of desk's: desk.ui routes the enums
the quick way as it is imported. tests/ui/test_qt_enums.py compares the two.
"""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Callable
from typing import Any

MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtTest")
BEHAVIOUR = ("_flag_mask_", "_singles_mask_", "_all_bits_", "_boundary_", "_inverted_", "_use_args_",
             "_member_type_", "_value_repr_", "_new_member_", "_missing_", "_iter_member_", "__repr__",
             "__str__", "__format__", "__reduce_ex__", "__or__", "__and__", "__xor__", "__invert__",
             "__init__", "__new__", "__call__", "__contains__")


def enums_of(owner: object, seen: dict[int, enum.EnumType], depth: int = 0) -> None:
    """The enums of a module and of its classes and their nested classes (which makes them)."""
    for name in sorted(dir(owner)):
        try:
            value = getattr(owner, name)
        except Exception:   # a getter of the module's that refuses: not an enum
            continue
        if isinstance(value, enum.EnumType):
            seen.setdefault(id(value), value)
        elif isinstance(value, type) and depth < 2 and value.__module__.startswith("PySide6"):
            enums_of(value, seen, depth + 1)


def outcome(step: Callable[[], object]) -> str:
    try:
        return repr(step())
    except Exception as error:   # the error is what is compared
        return f"{type(error).__name__}: {error}"


def describe(kind: enum.EnumType) -> dict[str, Any]:
    members = list(kind)   # type: ignore[var-annotated]
    described: dict[str, Any] = {
        "module": kind.__module__, "qualname": kind.__qualname__, "doc": kind.__doc__,
        "mro": [base.__qualname__ for base in kind.__mro__], "len": len(kind),   # type: ignore[arg-type]
        "names": list(kind._member_names_),
        "members": [(key, member._name_, member._value_, repr(member), str(member), format(member), hash(member))
                    for key, member in kind._member_map_.items()],
        "by_value": sorted((repr(value), member._name_) for value, member in kind._value2member_map_.items()),
        "iterated": [member._name_ for member in members],
        "attributes": sorted(dir(kind)), "own": sorted(kind.__dict__),
        "behaviour": {name: repr(getattr(kind, name, None)).split(" at 0x")[0] for name in BEHAVIOUR},
    }
    if members:
        first, last = members[0], members[-1]
        described["operations"] = [outcome(step) for step in (
            lambda: ~first, lambda: first | last, lambda: first & last, lambda: first ^ last,
            lambda: kind(first._value_), lambda: kind(0), lambda: kind(1 << 29), lambda: kind[first._name_],
            lambda: first == first._value_, lambda: first in kind, lambda: kind.__reduce_ex__(first, 4))]
    return described


def census() -> dict[str, dict[str, Any]]:
    found: dict[int, enum.EnumType] = {}
    for name in MODULES:
        enums_of(__import__(f"PySide6.{name}", fromlist=["_"]), found)
    return {f"{kind.__module__}.{kind.__qualname__}": describe(kind) for kind in found.values()}


def main(way: str) -> None:
    made_quickly = 0
    if way == "quick":
        from desk.ui import qt_enums  # as the app's start does, before PySide6
        described = census()
        made_quickly = qt_enums.made_quickly
    else:
        described = census()
    json.dump({"made_quickly": made_quickly, "enums": described}, sys.stdout, sort_keys=True, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
