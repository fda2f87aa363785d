"""What a check says: pass, fail or unknown, with reasons and what would settle it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from desk import vocab
from desk.catalogue.domain import PlanInfo, Provider, QuestionInfo, SituationInfo
from desk.intake.reader import Intake, SalesChange

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
STEP = "step"   # a to-do that would open a closed fund: the kind of a route's steps
SITUATION = "situation"   # a to-do naming a circumstance the fund is made for, one no one chooses
# How firmly a failure closes a fund (INTAKE.md `route`), from the most open: a step the business
# can choose opens it; a circumstance it did not mention (disaster damage, trade) would, if it
# applies, so staff may ask; a fact on record (size, area, a failed figure) keeps it shut.
OPEN, UNSTATED, SHUT = 0, 1, 2
T = TypeVar("T")


class Todo(NamedTuple):
    """Something to obtain, confirm or answer; ``where`` is an office id or a generic issuer.
    (Outcomes and to-dos are NamedTuples: a match builds thousands, and tuples are built and
    hashed in C.)"""

    what: str
    where: str | None = None          # office id, or municipality / bank / guarantee_association / applicant
    kind: str = "confirm"             # question | certificate | plan | document | confirm | step
    certification: str | None = None  # sn5 …: picks the issuing section of the municipality
    question: str | None = None       # the question id to answer


class Outcome(NamedTuple):
    status: str
    reasons: tuple[str, ...] = ()
    todos: tuple[Todo, ...] = ()
    # For a failure, how firmly it closes the fund (OPEN, UNSTATED or SHUT). An open one is
    # something the business can choose to obtain or do, and its to-dos of kind ``step`` say what;
    # an unstated one waits on a circumstance no one chooses, named by a to-do of kind ``situation``.
    closed: int = SHUT

    @classmethod
    def ok(cls, todos: tuple[Todo, ...] = ()) -> Outcome:
        return cls(PASS, (), todos) if todos else PASSED

    @classmethod
    def fail(cls, reason: str, todo: Todo | None = None) -> Outcome:
        return cls(FAIL, (reason,), (todo,) if todo else ())

    @classmethod
    def fail_until(cls, reason: str, step: Todo) -> Outcome:
        """A failure that ``step`` would undo: a to-do of kind ``step`` the business can take (a plan,
        an undertaking, paying arrears), or of kind ``situation``, a circumstance it may be in."""
        return cls(FAIL, (reason,), (step,), UNSTATED if step.kind == SITUATION else OPEN)

    @classmethod
    def unknown(cls, reason: str, todo: Todo | None = None) -> Outcome:
        return cls(UNKNOWN, (reason,), (todo,) if todo else ())


PASSED = Outcome(PASS)  # the common answer, shared rather than rebuilt thousands of times per match


@dataclass(frozen=True)
class Facts:
    """Everything a check may look at, for one intake, one provider and one date."""

    intake: Intake
    sales: SalesChange
    on: dt.date
    provider: Provider
    plans: dict[str, PlanInfo] = field(default_factory=dict)
    questions: dict[str, QuestionInfo] = field(default_factory=dict)
    prefecture: str = vocab.HOME_PREFECTURE
    municipality: str | None = None   # the resolved municipality or ward
    city: str | None = None           # the designated city of a ward
    situations: dict[str, SituationInfo] = field(default_factory=dict)
    # What the business has or is in: the intake's complete lists, with what its answers imply.
    situations_held: frozenset[str] = frozenset()
    plans_held: frozenset[str] = frozenset()
    # What the facts settle, by question id: asked by several conditions, worked out once.
    settled: dict[str, Any] = field(default_factory=dict)


def all_of(outcomes: list[Outcome]) -> Outcome:
    """Every outcome must pass: fail lists every failure, unknown every open point."""
    if len(outcomes) == 1:   # a list of one condition, the most common: its outcome
        return outcomes[0]
    rest = [o for o in outcomes if o is not PASSED]
    if not rest:
        return PASSED
    if len(rest) == 1:
        return rest[0]
    failed = [o for o in rest if o.status == FAIL]
    if failed:
        return Outcome(FAIL, _flat([o.reasons for o in failed]), _flat([o.todos for o in failed]),
                       max([o.closed for o in failed]))
    todos = _flat([o.todos for o in rest])
    open_ = [o for o in rest if o.status == UNKNOWN]
    if open_:
        return Outcome(UNKNOWN, _flat([o.reasons for o in open_]), todos)
    return Outcome(PASS, (), todos) if todos else PASSED


def any_of(outcomes: list[Outcome], text: str | None = None) -> Outcome:
    """One outcome must pass; unknown when none passes but one still might."""
    passed = [o for o in outcomes if o.status == PASS]
    if passed:
        return Outcome(PASS, (), passed[0].todos)
    open_ = [o for o in outcomes if o.status == UNKNOWN]
    if open_:
        reasons = _flat(o.reasons for o in open_)
        if text and len(open_) > 1:
            reasons = (f"{text}: " + "、又は".join(reasons),)
        return Outcome(UNKNOWN, reasons, _flat(o.todos for o in open_))
    reasons = _flat(o.reasons for o in outcomes)
    if text:
        reasons = (f"{text}（" + "／".join(reasons) + "）",)
    # As open as the most open branch: its steps are the way in (the first such branch's).
    opened = min(outcomes, key=lambda o: o.closed)
    if opened.closed != SHUT:
        return Outcome(FAIL, reasons, opened.todos, opened.closed)
    return Outcome(FAIL, reasons, _flat(o.todos for o in outcomes if o.todos))


def _flat(groups: Iterable[Iterable[T]]) -> tuple[T, ...]:
    """The items of several groups, each once, in order."""
    out: list[T] = []
    for group in groups:
        out.extend(group)
    return tuple(out) if len(out) < 2 else tuple(dict.fromkeys(out))
