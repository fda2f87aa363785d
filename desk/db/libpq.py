"""A few read-only queries on a PostgreSQL server through libpq itself (ctypes), for the quick log.

`desk log search` on a shared server spent a quarter of a second importing psycopg (its
errors, asyncio, importlib.metadata: 0.25 s of a process whose query takes milliseconds), and
more importing SQLAlchemy. libpq is what psycopg talks through: here the library psycopg's
binary wheel ships (or the system's), the server URL handed to it as the libpq connection URI
SQLAlchemy's URL already is, parameters and results as text. Nothing here writes.

Anything unusual (no libpq found, a URL libpq reads otherwise than psycopg would, an option it
does not take) gives None from :meth:`PgConnection.open`: the caller takes the full path. A server
that cannot be reached or refuses the connection raises :class:`LibpqError` with libpq's words,
which are psycopg's (the command says them in its one line, desk.cli.entry).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Sequence
from pathlib import Path

_CONNECTION_OK = 0
_TUPLES_OK = 2


class LibpqError(Exception):
    """A query the server refused, or a server that did not answer (``connection``); the message
    is libpq's or the server's first line."""

    def __init__(self, message: str, *, connection: bool = False):
        super().__init__(message)
        self.connection = connection


def _library_candidates() -> list[str]:
    """psycopg-binary's own libpq first (the one psycopg would use), then the system's."""
    import importlib.util

    found: list[str] = []
    spec = importlib.util.find_spec("psycopg_binary")
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        for folder in (package.parent / "psycopg_binary.libs", package / ".dylibs", package):
            found.extend(str(p) for p in sorted(folder.glob("libpq*")) if p.is_file())
    found.extend({"win32": ["libpq.dll"], "darwin": ["libpq.5.dylib"]}.get(sys.platform, ["libpq.so.5"]))
    return found


_library: ctypes.CDLL | None = None


def _libpq() -> ctypes.CDLL | None:
    global _library
    if _library is not None:
        return _library
    for candidate in _library_candidates():
        try:
            lib = ctypes.CDLL(candidate)
        except OSError:
            continue
        p, i, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
        for name, args, result in (
                ("PQconnectdbParams", [ctypes.POINTER(s), ctypes.POINTER(s), i], p), ("PQstatus", [p], i),
                ("PQerrorMessage", [p], s), ("PQfinish", [p], None),
                ("PQexecParams", [p, s, i, p, ctypes.POINTER(s), p, p, i], p), ("PQresultStatus", [p], i),
                ("PQresultErrorMessage", [p], s), ("PQntuples", [p], i), ("PQnfields", [p], i),
                ("PQgetisnull", [p, i, i], i), ("PQgetvalue", [p, i, i], s), ("PQclear", [p], None)):
            function = getattr(lib, name)
            function.argtypes, function.restype = args, result
        _library = lib
        return lib
    return None


def libpq_uri(url: str) -> str | None:
    """The libpq connection URI of a desk server URL (``postgresql+psycopg://…`` → ``postgresql://…``),
    None for one whose reading could differ from psycopg's: a repeated query key (several hosts)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("postgresql", "postgresql+psycopg"):
        return None
    query = rest.partition("?")[2]
    keys = [part.partition("=")[0] for part in query.split("&") if part]
    if len(keys) != len(set(keys)):
        return None
    return "postgresql://" + rest


class PgConnection:
    """One libpq connection; :meth:`rows` runs a query with text parameters and gives text back."""

    def __init__(self, lib: ctypes.CDLL, handle: int):
        self._lib = lib
        self._handle: int | None = handle

    @classmethod
    def open(cls, url: str) -> PgConnection | None:
        uri = libpq_uri(url)
        lib = _libpq() if uri is not None else None
        if lib is None or uri is None:
            return None
        # The URI as "dbname", expanded by libpq, after the timeouts desk gives a connection (the URI's
        # own win: libpq takes the last value of a key); the client's encoding pinned to the text we decode.
        from desk.db.reach import CONNECTION_OPTIONS

        given = [*CONNECTION_OPTIONS.items(), ("dbname", uri), ("client_encoding", "UTF8")]
        keys = (ctypes.c_char_p * (len(given) + 1))(*(key.encode() for key, _ in given), None)
        values = (ctypes.c_char_p * (len(given) + 1))(*(value.encode() for _, value in given), None)
        handle = lib.PQconnectdbParams(keys, values, 1)
        if not handle:
            return None
        if lib.PQstatus(handle) != _CONNECTION_OK:
            message = (lib.PQerrorMessage(handle) or b"").decode(errors="replace").strip()
            lib.PQfinish(handle)
            if message.startswith("invalid"):   # an option libpq does not take: psycopg's path says so
                return None
            # The server cannot be reached or refused the role: psycopg would meet the same libpq
            # answer (trying again through it would double the wait on an unreachable host).
            raise LibpqError(message.splitlines()[0] if message else "connection failed", connection=True)
        return cls(lib, handle)

    def rows(self, sql: str, params: Sequence[str | None] = ()) -> list[tuple[str | None, ...]]:
        """``sql`` with ``$1``… bound to ``params`` (text; None is NULL)."""
        lib, handle = self._lib, self._handle
        if handle is None:
            raise LibpqError("connection closed", connection=True)
        values = (ctypes.c_char_p * max(len(params), 1))(*(None if v is None else v.encode() for v in params))
        result = lib.PQexecParams(handle, sql.encode(), len(params), None, values, None, None, 0)
        if not result:
            message = (lib.PQerrorMessage(handle) or b"").decode(errors="replace").strip()
            raise LibpqError(message.splitlines()[0] if message else "no answer", connection=self.is_broken())
        try:
            if lib.PQresultStatus(result) != _TUPLES_OK:
                message = (lib.PQresultErrorMessage(result) or b"").decode(errors="replace").strip()
                raise LibpqError(message.splitlines()[0] if message else "query failed", connection=self.is_broken())
            width = lib.PQnfields(result)
            return [tuple(None if lib.PQgetisnull(result, row, column) else
                          (lib.PQgetvalue(result, row, column) or b"").decode() for column in range(width))
                    for row in range(lib.PQntuples(result))]
        finally:
            lib.PQclear(result)

    def is_broken(self) -> bool:
        """Whether the connection is gone (the server restarted, an idle timeout closed it)."""
        return self._handle is None or self._lib.PQstatus(self._handle) != _CONNECTION_OK

    def close(self) -> None:
        if self._handle is not None:
            self._lib.PQfinish(self._handle)
            self._handle = None
