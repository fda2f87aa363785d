"""Qt's enums made the way the standard library makes the enums it converts from C constants.

PySide turns each C++ enum into a Python one through the functional API,
``IntEnum("Name", [(key, value), ...], boundary=KEEP)``, and the metaclass behind it
checks every member in Python: the Qt namespace alone (94 enums, 1,199 members) cost
16 ms at the window's first ``Qt.`` (10 ms made the quick way), and a whole start runs
105 million instructions fewer made so, nearly a tenth of it. The standard library makes its own enums
from C constants (``signal.Signals``, ``socket.AddressFamily``: ``Enum._convert_``)
with ``enum._simple_enum``, which builds the same class without those checks, for
members it knows to be plain. PySide's are: a name and an int each, from C++.

:func:`install` sends PySide's calls that way and leaves every other call to the
functional API as it was. ``tests/ui/test_qt_enums.py`` makes every enum of the Qt
modules desk loads both ways and compares them, member by member.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from typing import Any

_PLAIN_BASES = (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)
_functional_api: Callable[..., type[enum.Enum]] | None = None   # the metaclass's own, once replaced
made_quickly = 0   # enums made the quick way in this process (the tests look)


def install() -> None:
    """Route PySide's enums through the quick path; before PySide6 is imported, to cover them all.
    Does nothing where the standard library lacks the path (it is private, so a future Python
    may drop it: the enums are then made the slow way, as before)."""
    global _functional_api
    if _functional_api is not None or not callable(getattr(enum, "_simple_enum", None)):
        return
    _functional_api = enum.EnumType._create_  # type: ignore[attr-defined]
    enum.EnumType._create_ = _create  # type: ignore[attr-defined]


def uninstall() -> None:
    """The metaclass's own path again (the tests make each enum both ways)."""
    global _functional_api
    if _functional_api is not None:
        enum.EnumType._create_ = _functional_api  # type: ignore[attr-defined]
        _functional_api = None


def _create(cls: type[enum.Enum], class_name: str, names: object, **options: Any) -> type[enum.Enum]:
    """EnumType._create_, the functional API's maker: PySide's calls the quick way, the rest its own."""
    assert _functional_api is not None
    members = _plain_members(cls, names, options)
    module = options.get("module") or _caller_module()
    if members is None or module is None:   # (without a module the API makes the class unpicklable)
        # The module named, as the API looks for it a fixed number of frames up, one more now.
        return _functional_api(cls, class_name, names, **{**options, "module": module})
    global made_quickly
    made = enum._simple_enum(cls, boundary=enum.KEEP)(_holder(class_name, module, members))  # type: ignore[attr-defined]
    made.__doc__ = None   # as the functional API leaves it; _simple_enum writes a generic line
    made_quickly += 1
    return made  # type: ignore[no-any-return]


def _caller_module() -> str | None:
    """The module the functional API gives a class made without one: its caller's, three frames up
    from here as two from its own ``_create_`` (PySide sets its own module afterwards)."""
    frame_module_name = getattr(sys, "_getframemodulename", None)   # Python 3.12+
    if frame_module_name is not None:
        return frame_module_name(3)  # type: ignore[no-any-return]
    return sys._getframe(3).f_globals.get("__name__")


def _plain_members(cls: type[enum.Enum], names: object, options: dict[str, Any]) -> list[tuple[str, int]] | None:
    """The members of a call shaped as PySide's are (a plain base, KEEP, no module or other option,
    a list of distinct names with int values), else None: anything else takes the functional API."""
    if (cls not in _PLAIN_BASES or options.get("boundary") is not enum.KEEP or options.get("start", 1) != 1
            or any(options.get(name) is not None for name in ("module", "qualname", "type"))
            or not isinstance(names, list)):
        return None
    members: list[tuple[str, int]] = []
    for member in names:
        if not (isinstance(member, tuple) and len(member) == 2 and isinstance(member[0], str)
                and member[0].isidentifier() and not member[0].startswith("_") and _is_int(member[1])):
            return None
        members.append(member)
    if len({name for name, _ in members}) != len(members):
        return None
    return members


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _holder(class_name: str, module: str, members: list[tuple[str, int]]) -> type:
    """The plain class _simple_enum converts."""
    return type(class_name, (), {"__module__": module, **dict(members)})
