"""Answers worked out once from a catalogue object and remembered while it lives.

A match reads the same interned catalogue objects (tier tables, document lists, the offices) in
every keystroke; what the answer makes of them depends on nothing else. They are keyed by id(),
with the object kept beside its answer, so an id is never reused while it is a key; a cache is
cleared when full (catalogues reloaded many times in one process)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def by_identity(cache: dict[int, tuple[K, V]], obj: K, make: Callable[[K], V], *, size: int) -> V:
    """``make(obj)``, remembered in ``cache`` for as long as ``obj`` is the object of its id."""
    found = cache.get(id(obj))
    if found is None or found[0] is not obj:
        if len(cache) > size:
            cache.clear()
        found = cache[id(obj)] = (obj, make(obj))
    return found[1]
