"""What the stated facts say about a pack's question, before anyone asks it.

INTAKE.md: `situations` and `plans` are complete lists, so a fund made for a circumstance or a
plan the visitor did not mention is closed, not "maybe"; a question a pack declares as a
situation's or a plan's stands for it (a `true` answer implies it, its absence answers "no");
a detail inside a family is asked only when one of its family is stated; and an answer the
stated facts settle (``settled_by``, each with its reason) is never asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from desk import vocab
from desk.rules.outcome import PASS, SITUATION, STEP, Facts, Todo

if TYPE_CHECKING:
    from desk.catalogue.domain import PlanInfo, QuestionInfo, SituationInfo
    from desk.intake.reader import Intake


class Settled(NamedTuple):
    """The answer the facts give, and, when it closes a fund, the step that would open it
    (None: nothing the business chooses changes it)."""

    value: Any
    step: Todo | None


def held(intake: Intake, questions: Mapping[str, QuestionInfo]) -> tuple[frozenset[str], frozenset[str]]:
    """The situations and plans the business has: the intake's lists, and what its answers imply."""
    situations, plans = set(intake.situations), set(intake.plans)
    for qid, value in intake.answers.items():
        question = questions.get(qid)
        if value is True and question is not None and question.implies:
            (situations if question.kind == "situation" else plans).add(question.implies)
    return frozenset(situations), frozenset(plans)


def settle(question: QuestionInfo, facts: Facts) -> Settled | None:
    """The answer the stated facts give to an unanswered question, or None when only asking can tell."""
    if question.kind == "situation" and question.implies:
        if question.implies in facts.situations_held:
            return Settled(True, None)
        return Settled(False, situation_step(facts.situations.get(question.implies)))
    if question.kind == "plan" and question.implies:
        if question.implies in facts.plans_held:
            return Settled(True, None)
        return Settled(False, plan_step(facts.plans.get(question.implies)))
    for settlement in question.settled_by:
        if _holds(settlement.when, facts):
            return Settled(settlement.value, None)
    if question.family and not _family_stated(question.family, facts):
        return Settled(False, _family_step(question.family, facts))
    return None


def list_warnings(facts: Facts) -> list[str]:
    """Where the answers or the other facts disagree with the complete lists. The engine follows
    what was said (an answer over the list, the list over a derivation); staff are told why.
    Each names the intake key it is about (what the CLI's reader is told), then says the rest in
    the words of the form: the question's text and the names of what is listed."""
    intake, out = facts.intake, []
    listed = {"situation": set(intake.situations), "plan": set(intake.plans)}
    for question in facts.questions.values():
        value = intake.answers.get(question.id)
        if question.implies and question.implies in listed.get(question.kind, ()):
            if value is False:
                out.append(f"answers: 「{question.text}」は「いいえ」ですが、「{_name(question.implies, facts)}」"
                           "が選ばれています（回答に従って判定しました）")
            if why := _ruled_out(question, facts):
                out.append(f"{question.kind}s: 「{_name(question.implies, facts)}」は当てはまらない可能性があります"
                           f"（{why}）")
        elif question.family and value not in (None, False, 0) and not _family_stated(question.family, facts):
            names = "・".join(f"「{_name(member, facts)}」" for member in question.family)
            out.append(f"answers: 「{question.text}」に回答がありますが、{names}が選ばれていません"
                       "（回答に従って判定しました）")
    return out


def _name(member: str, facts: Facts) -> str:
    """A situation's, plan's, purpose's or cause's name, as the form shows it."""
    if member in facts.situations:
        return facts.situations[member].name
    if member in facts.plans:
        return facts.plans[member].name
    return vocab.PURPOSES.get(member) or vocab.CAUSES.get(member) or member


def _ruled_out(question: QuestionInfo, facts: Facts) -> str | None:
    """Why the stated facts answer "no" to a question (a settlement that holds), or None."""
    for settlement in question.settled_by:
        if settlement.value in (False, 0) and _holds(settlement.when, facts):
            return settlement.reason
    return None


def situation_step(situation: SituationInfo | None) -> Todo | None:
    """The way into a situation: a step when the business can choose it, else the circumstance
    itself, for staff to ask about (never a route)."""
    if situation is None:
        return None
    if not situation.choosable:
        return Todo(situation.name, situation.contact, SITUATION)
    return Todo(situation.step or situation.name, situation.contact, STEP)


def plan_step(plan: PlanInfo | None) -> Todo | None:
    if plan is None:
        return None
    return Todo(plan.how or f"{plan.name}を受ける", plan.contact, "step")


def _family_stated(family: tuple[str, ...], facts: Facts) -> bool:
    return any(_stated(member, facts) for member in family)


def _stated(member: str, facts: Facts) -> bool:
    """Whether the visitor stated a family member. Purposes and causes are not complete lists:
    while they are unknown, the family may apply and its question stays open."""
    if member in vocab.PURPOSES:
        return facts.intake.purposes is None or member in facts.intake.purposes
    if member in vocab.CAUSES:
        return facts.intake.causes is None or member in facts.intake.causes
    return member in facts.situations_held or member in facts.plans_held


def _family_step(family: tuple[str, ...], facts: Facts) -> Todo | None:
    """The way into a family that is not stated: its first choosable situation or plan, else its
    first circumstance no one chooses (to ask about)."""
    steps = []
    for member in family:
        if member in facts.situations:
            steps.append(situation_step(facts.situations[member]))
        elif member in facts.plans:
            steps.append(plan_step(facts.plans[member]))
        # a purpose: the visitor's need, not a step to take
    return next((s for s in steps if s is not None and s.kind == STEP), None) or next(
        (s for s in steps if s is not None), None)


def _holds(condition: dict[str, Any], facts: Facts) -> bool:
    # The registry imports every family of checks, this module's users among them.
    from desk.rules.registry import evaluate_condition

    return evaluate_condition(condition, facts).status == PASS
