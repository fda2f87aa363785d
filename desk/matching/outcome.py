"""What a check says: pass, fail or unknown, with reasons and what would settle it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from desk.intake import Intake, SalesChange
from desk.matching.domain import PlanInfo, Provider, QuestionInfo

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Todo:
    """Something to obtain, confirm or answer; ``where`` is an office id or a generic issuer."""

    what: str
    where: str | None = None          # office id, or municipality / bank / guarantee_association / applicant
    kind: str = "confirm"             # question | certificate | plan | document | confirm
    certification: str | None = None  # sn5 …: picks the issuing section of the municipality
    question: str | None = None       # the question id to answer


@dataclass(frozen=True)
class Outcome:
    status: str
    reasons: tuple[str, ...] = ()
    todos: tuple[Todo, ...] = ()

    @classmethod
    def ok(cls, todos: tuple[Todo, ...] = ()) -> Outcome:
        return cls(PASS, (), todos)

    @classmethod
    def fail(cls, reason: str, todo: Todo | None = None) -> Outcome:
        return cls(FAIL, (reason,), (todo,) if todo else ())

    @classmethod
    def unknown(cls, reason: str, todo: Todo | None = None) -> Outcome:
        return cls(UNKNOWN, (reason,), (todo,) if todo else ())


@dataclass(frozen=True)
class Facts:
    """Everything a check may look at, for one intake, one provider and one date."""

    intake: Intake
    sales: SalesChange
    on: dt.date
    provider: Provider
    plans: dict[str, PlanInfo] = field(default_factory=dict)
    questions: dict[str, QuestionInfo] = field(default_factory=dict)
    prefecture: str = "神奈川県"
    municipality: str | None = None   # the resolved municipality or ward
    city: str | None = None           # the designated city of a ward


def all_of(outcomes: list[Outcome]) -> Outcome:
    """Every outcome must pass: fail lists every failure, unknown every open point."""
    failed = [o for o in outcomes if o.status == FAIL]
    if failed:
        return Outcome(FAIL, _flat(o.reasons for o in failed), _flat(o.todos for o in failed))
    open_ = [o for o in outcomes if o.status == UNKNOWN]
    todos = _flat(o.todos for o in outcomes)
    if open_:
        return Outcome(UNKNOWN, _flat(o.reasons for o in open_), todos)
    return Outcome(PASS, (), todos)


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
    return Outcome(FAIL, reasons, _flat(o.todos for o in outcomes if o.todos))


def _flat(groups: Any) -> tuple:
    out: list = []
    for group in groups:
        for item in group:
            if item not in out:
                out.append(item)
    return tuple(out)
