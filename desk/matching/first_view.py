"""The window's first screen without the engine: the pickers, the data's status and the
results of an untouched form.

Loading the catalogue copy, the engine and their modules takes about 50 ms and 8 MB,
and the window used to wait for them before it could show its first results. Those
results are the same all day for one catalogue: the match of an untouched form. So
the app keeps them in a small file next to the catalogue copy, keyed by the
catalogue fingerprint, the day and desk's own code (:mod:`desk.db.cache`), shows them at
once, and loads the engine as soon as the window is on screen. The engine's first
real match then takes over; if it ever disagrees with the file, it rewrites the file.
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from desk.db import cache
from desk.matching import answer
from desk.matching.answer import MatchReport

if TYPE_CHECKING:
    from desk.db.snapshot import Loaded
    from desk.matching.service import MatchService

FORMAT = 4   # 4: with the readings; 3: with the situations; 2: a pickle of the typed answer (1 was JSON)
UNTOUCHED: dict[str, Any] = {}   # what an untouched form hands the core


class Choices(NamedTuple):
    """What the form and the status bar take from the catalogue."""

    fingerprint: tuple[Any, ...]
    municipalities: list[str]                  # the home prefecture's, in catalogue order
    plans: dict[str, str]                      # plan id -> name
    questions: dict[str, tuple[str, str]]      # question id -> (text, answer type)
    packs: list[dict[str, Any]]                # snapshot.pack_summaries on the day
    situations: dict[str, str]                 # situation id -> the form's short label
    readings: dict[str, str]                   # municipality -> its reading in hiragana, where known


class FirstView(NamedTuple):
    choices: Choices
    result: MatchReport                        # the match of an untouched form


def choices_of(loaded: Loaded, on: dt.date) -> Choices:
    from desk.db.snapshot import pack_summaries

    return Choices(loaded.fingerprint, loaded.places.municipality_names(),
                   {p.id: p.name for p in loaded.catalogue.plans.values()},
                   {q.id: (q.text, q.type) for q in loaded.catalogue.questions.values()},
                   pack_summaries(loaded.packs, on),
                   {s.id: s.name for s in loaded.catalogue.situations.values()},
                   loaded.places.readings())


def compute(service: MatchService, on: dt.date) -> FirstView:
    """The first view from the engine (loads the catalogue)."""
    from desk.intake.reader import read_intake
    from desk.matching.service import resolve_intake_place, run

    loaded = service.loaded()
    read = read_intake(UNTOUCHED)
    report = run(loaded, read.intake, resolve_intake_place(loaded.places, read.intake), on=on, warnings=read.warnings)
    return FirstView(choices_of(loaded, on), report)


def _key(fingerprint: tuple[Any, ...], on: dt.date) -> bytes:
    return f"{FORMAT}|{cache.code_stamp()}|{on.isoformat()}|{fingerprint!r}\n".encode()


# A pickle, read by an unpickler that knows only the view's own classes (cache.load_restricted,
# as the catalogue copy is): it loads in half the time of the JSON and the typed answer
# made from it, a cold process's 3 ms, and a tampered file can fail to load, never run code.
_ALLOWED = {(cls.__module__, cls.__qualname__): cls for cls in answer.CLASSES} | {("datetime", "date"): dt.date}


def load(path: Path, fingerprint: tuple[Any, ...], on: dt.date) -> FirstView | None:
    """The view kept at ``path`` if it was made from this catalogue, on this day, by this desk."""
    key = _key(fingerprint, on)
    try:
        with open(path, "rb") as fh:
            if fh.read(len(key)) != key:
                return None
            municipalities, plans, questions, packs, situations, readings, result = cache.load_restricted(
                fh, _ALLOWED, "a first view")
        if not isinstance(result, MatchReport):
            return None
        return FirstView(Choices(fingerprint, municipalities, plans, questions, packs, situations, readings), result)
    except Exception:   # missing or damaged: the engine makes it anew, only a little later
        return None


def save(path: Path, view: FirstView, on: dt.date) -> None:
    """Keep the view for the next start (desk.db.cache.write)."""
    choices = view.choices
    kept = (choices.municipalities, choices.plans, choices.questions, choices.packs, choices.situations,
            choices.readings, view.result)
    cache.write(path, _key(choices.fingerprint, on) + pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
