"""Everything the CLI prints reaches the terminal safe: one filter on stdout and stderr.

A municipality, a business name or a pack's text can hold escape sequences that retitle the
terminal, clear the screen or reorder a line (issue 15, item 15). Rather than trusting every
print of every command, present and future, to escape what it prints, the streams themselves
pass each write through :func:`desk.textfmt.terminal_safe`, which leaves the newline and the tab
and writes any other control as ``\\uXXXX`` (the same escape JSON uses, so ``--json`` stays exact).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

_terminal_safe: Callable[[str], str] | None = None


class SafeText:
    """A text stream whose writes are made terminal-safe; everything else is the stream's own."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        global _terminal_safe
        if _terminal_safe is None:   # on the first write: the app prints nothing
            from desk.textfmt import terminal_safe

            _terminal_safe = terminal_safe
        return self._stream.write(_terminal_safe(text))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:   # flush, fileno, encoding, isatty, buffer…
        return getattr(self._stream, name)


@contextmanager
def safe_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr filtered while a command runs (put back after: tests call
    desk.cli.main in-process)."""
    out, err = sys.stdout, sys.stderr
    if out is not None:   # None under pythonw on Windows
        sys.stdout = cast(TextIO, SafeText(out))
    if err is not None:
        sys.stderr = cast(TextIO, SafeText(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
