"""The Qt user interface. Widgets gather input and show results; rules live in the core."""

import sys

from desk.ui import qt_enums

qt_enums.install()   # before PySide6 makes its first enum

import PySide6.QtCore  # noqa: E402, F401 - loads PySide's import hook, made cheaper below


def _scan_sources_quickly() -> None:
    """PySide looks at every module imported after it for the word "PySide6", to know which
    modules may switch its `__feature__` options (PYSIDE-2029), and it does so with
    inspect.getsource: the window's 80 modules cost 40 million instructions (3 % of the
    start-up). The same question asked of the file's bytes gives the same answer for a
    fraction of that; a module without a plain source file still goes the slow way."""
    feature = sys.modules.get("shibokensupport.feature")
    slow = getattr(feature, "_mod_uses_pyside", None)
    if slow is None or getattr(slow, "quick", False):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(slow(module))

    uses_pyside.quick = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_scan_sources_quickly()
