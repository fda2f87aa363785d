"""Checks on the business's circumstances: certificates, approved plans, the causes
of its difficulty, guaranteed balances and eased conditions, founders, the purposes
and amount of the loan, and answers to a program's own questions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from desk import textfmt, vocab
from desk.rules.business import entity_label
from desk.rules.declare import Param, check
from desk.rules.outcome import STEP, UNKNOWN, Facts, Outcome, Todo
from desk.rules.questions import Settled, plan_step, settle, situation_step
from desk.rules.sales import sales_fell

if TYPE_CHECKING:
    from desk.catalogue.domain import PlanInfo, QuestionInfo


def _one_comparison(params: dict[str, Any]) -> list[str]:
    """The rule of ``answer``: exactly one of equals, at_least, at_most."""
    given = [k for k in ("equals", "at_least", "at_most") if k in params]
    return [] if len(given) == 1 else ["answer: equals, at_least, at_most のうち一つだけを指定してください"]


# Which stated facts make a certificate one the business could be issued: 5号 (業況の悪化)
# follows a sales decline, 1号 a customer's bankruptcy, 4号 and 罹災証明 a disaster. The other
# numbers (2, 3, 6-8, 危機関連) rest on facts the intake does not hold, so desk does not suggest them.
_CERT_HINTS = {
    "sn1": lambda f: "customer_bankruptcy" in (f.intake.causes or ()),
    "sn4": lambda f: "disaster" in (f.intake.causes or ()),
    "sn5": lambda f: bool(sales_fell(f)),
    "disaster_certificate": lambda f: "disaster" in (f.intake.causes or ()),
}


def certification_names(codes: list[str]) -> str:
    """「セーフティネット保証1・2・3・4・6号の認定」 rather than five separate names."""
    return _certification_names(tuple(codes))


@lru_cache(maxsize=1024)   # a few dozen lists in a catalogue, named in every match
def _certification_names(codes: tuple[str, ...]) -> str:
    numbers = [c[2:] for c in codes if c.startswith("sn")]
    others = [vocab.CERTIFICATIONS[c] for c in codes if not c.startswith("sn")]
    parts = [f"セーフティネット保証{'・'.join(numbers)}号の認定"] if numbers else []
    return "、".join(parts + others)


@check("certification_any", "次のいずれかの認定・証明を受けていること",
       any_of=Param("list[str]", required=True, choices=tuple(vocab.CERTIFICATIONS)))
def certification_any(params: dict[str, Any], facts: Facts) -> Outcome:
    wanted = params["any_of"]
    held = set(facts.intake.certifications or ())
    if held & set(wanted):
        return Outcome.ok()
    names = certification_names(wanted)
    obtainable = [c for c in wanted if _CERT_HINTS.get(c, lambda f: False)(facts)]
    fell = sales_fell(facts)
    if obtainable:
        # One to-do per issuing section: in Sagamihara 5号イ・7号 and the rest come from different offices.
        todo = Todo(f"{certification_names(obtainable)}を受ける（事業の状況に合う号を窓口で相談）", "municipality",
                    "certificate", obtainable[0] if len(obtainable) == 1 else None)
        return Outcome(UNKNOWN, (f"{names}が必要です（お伺いした事情から認定を受けられる可能性があります）",), (todo,))
    if fell is None and facts.intake.certifications is None:
        return Outcome.unknown(f"{names}が必要です: 認定の有無と売上の状況を確認してください",
                               Todo(f"{names}の有無", kind="question"))
    return Outcome.fail(f"{names}が必要です（お持ちでなく、認定の要件に当たる事情も入力されていません）")


@check("plan_any", "次のいずれかの計画の認定・承認・登録を受けていること",
       any_of=Param("list[str]", required=True),   # plan ids: built-in or declared in a pack
       how=Param("str"))
def plan_any(params: dict[str, Any], facts: Facts) -> Outcome:
    # `plans` is a complete list (INTAKE.md): a plan not in it is not held, and obtaining it is a route.
    if not facts.plans_held.isdisjoint(params["any_of"]):
        return Outcome.ok()
    # The failure depends only on the condition and the catalogue's plans, both alive as long as
    # the catalogue: worked out once, not in every match (a match's instructions fell by 4.8 %).
    key = (id(params), id(facts.plans))
    kept = _PLAN_FAILURES.get(key)
    if kept is None or kept[0] is not params or kept[1] is not facts.plans:
        if len(_PLAN_FAILURES) > 4096:   # catalogues reloaded many times in one process
            _PLAN_FAILURES.clear()
        kept = _PLAN_FAILURES[key] = (params, facts.plans, _plan_failure(params, facts.plans))
    return kept[2]


_PLAN_FAILURES: dict[tuple[int, int], tuple[dict[str, Any], dict[str, PlanInfo], Outcome]] = {}


def _plan_failure(params: dict[str, Any], known: dict[str, PlanInfo]) -> Outcome:
    """Why none of the condition's plans is held, and the step that would open it."""
    plans = [known.get(p) for p in params["any_of"]]
    names = "、".join(p.name if p else pid for p, pid in zip(plans, params["any_of"], strict=True))
    how = params.get("how") or "／".join(p.how for p in plans if p and p.how)
    first = next((p for p in plans if p is not None), None)
    step = Todo(how or names, first.contact if first else None, STEP)
    return Outcome.fail_until(f"{names}が必要です。{how}ことで対象になります" if how else f"{names}が必要です", step)


@check("cause_any", "次のいずれかの影響を受けていること",
       any_of=Param("list[str]", required=True, choices=tuple(vocab.CAUSES)))
def cause_any(params: dict[str, Any], facts: Facts) -> Outcome:
    wanted = params["any_of"]
    names = "、".join(vocab.CAUSES[c] for c in wanted)
    causes = facts.intake.causes
    if causes is None:
        return Outcome.unknown(f"売上減少の原因の確認が必要です（{names}の影響であること）",
                               Todo("売上減少の原因", kind="question"))
    if set(causes) & set(wanted):
        return Outcome.ok()
    return Outcome.fail(f"{names}の影響を受けていることが条件です")



@check("has_guaranteed_balance", "信用保証協会の保証付き融資の残高があること")
def has_guaranteed_balance(params: dict[str, Any], facts: Facts) -> Outcome:
    balance = facts.intake.guaranteed_balance_yen
    if balance is None:
        return Outcome.unknown("信用保証協会の保証付き融資の残高の確認が必要です",
                               Todo("保証付き融資の残高", kind="question"))
    if balance > 0:
        return Outcome.ok()
    return Outcome.fail("信用保証協会の保証付き融資の残高があることが条件です")


@check("has_eased_conditions", "保証付き融資の返済条件の緩和を行っていること")
def has_eased_conditions(params: dict[str, Any], facts: Facts) -> Outcome:
    eased = facts.intake.has_eased_conditions
    if eased is None:
        return Outcome.unknown("保証付き融資の返済条件の緩和（条件変更）の有無の確認が必要です",
                               Todo("条件変更の有無", kind="question"))
    return Outcome.ok() if eased else Outcome.fail("返済条件の緩和を行っている保証付き融資の残高があることが条件です")


@check("founder", "創業前又は創業後一定期間内であること",
       before_start_months=Param("mapping"),   # {sole_proprietor: 1, corporation: 2}
       after_start_max_months=Param("int"),
       forms=Param("list[str]", choices=("sole_proprietor", "corporation")),
       extended_before_start_months=Param("int"),   # with tokutei_sogyo_shien
       any_before_start=Param("bool"))              # any prospective founder, however far off the start
def founder(params: dict[str, Any], facts: Facts) -> Outcome:
    intake = facts.intake
    forms = params.get("forms")
    if intake.is_founder:
        form = intake.founding_form
        if forms and form is not None and form not in forms:
            return Outcome.fail("創業の形態（" + ("会社" if form == "corporation" else "個人事業") + "）が対象外です")
        before = params.get("before_start_months")
        if not before:
            if not params.get("any_before_start"):
                limit = params.get("after_start_max_months")
                after = f"（事業開始後{textfmt.months(limit)}未満）" if limit else ""
                return Outcome.fail(f"すでに事業を始めている方が対象です{after}")
            return Outcome.ok() if (not forms or form is not None) else Outcome.unknown(
                "創業の形態（個人事業か会社設立か）の確認が必要です", Todo("創業の形態", kind="question"))
        if form is None:
            return Outcome.unknown("創業の形態（個人事業か会社設立か）の確認が必要です",
                                   Todo("創業の形態", kind="question"))
        limit = before.get(form)
        if limit is None:
            return Outcome.fail("この創業の形態は対象外です")
        if params.get("extended_before_start_months") and "tokutei_sogyo_shien" in facts.plans_held:
            limit = max(limit, params["extended_before_start_months"])
        if intake.months_until_start is None:
            return Outcome.unknown(f"事業開始の予定時期の確認が必要です（{limit}か月以内）",
                                   Todo("事業開始の予定時期", kind="question"))
        if intake.months_until_start <= limit:
            return Outcome.ok()
        return Outcome.fail(f"事業開始まで{limit}か月以内であることが条件です"
                            f"（{intake.months_until_start:g}か月後の予定）")
    limit = params.get("after_start_max_months")
    if limit is None:
        return Outcome.fail("これから創業する方が対象です")
    if forms and intake.entity is not None:
        entity_form = "corporation" if intake.entity == "corporation" else (
            "sole_proprietor" if intake.entity == "sole_proprietor" else None)
        if entity_form not in forms:
            return Outcome.fail(f"{entity_label(intake.entity)}は対象外です")
    months = intake.months_in_business
    if months is None:
        return Outcome.unknown(f"創業（会社設立）からの期間の確認が必要です（{textfmt.months(limit)}未満）",
                               Todo("事業を始めてからの期間", kind="question"))
    if months < limit:
        return Outcome.ok()
    return Outcome.fail(f"創業後{textfmt.months(limit)}未満であることが条件です"
                        f"（営業期間 {textfmt.months(int(months))}）")


@check("purpose_any", "資金使途が次のいずれかを含むこと",
       any_of=Param("list[str]", required=True, choices=tuple(vocab.PURPOSES)))
def purpose_any(params: dict[str, Any], facts: Facts) -> Outcome:
    names = "・".join(vocab.PURPOSES[p] for p in params["any_of"])
    if facts.intake.purposes is None:
        return Outcome.unknown(f"資金使途の確認が必要です（{names}を含むこと）", Todo("資金使途", kind="question"))
    if set(facts.intake.purposes) & set(params["any_of"]):
        return Outcome.ok()
    return Outcome.fail(f"資金使途に{names}を含むことが条件です")


@check("amount_at_most_answer", "希望額が回答の金額（例: 債権相当額）の範囲内であること",
       question=Param("str", required=True))
def amount_at_most_answer(params: dict[str, Any], facts: Facts) -> Outcome:
    """A limit set by an answer (債権相当額の範囲内): above it is conditional, with the figure."""
    qid = params["question"]
    question = facts.questions.get(qid)
    text = question.text if question else qid
    value = facts.intake.answers.get(qid)
    settled = _settled(qid, question, facts) if value is None else None
    if settled is not None and settled.value in (False, 0):
        return Outcome.fail(f"条件に当たりません: {text}")
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return Outcome.unknown(f"限度額の確認が必要です: {text}", Todo(text, kind="question", question=qid))
    amount = facts.intake.amount_yen
    if amount is None or amount <= value:
        return Outcome.ok()
    return Outcome.unknown(f"希望額（{textfmt.yen(amount)}）が{text}（{textfmt.yen(int(value))}）を超えています: "
                           f"{textfmt.yen(int(value))}まで",
                           Todo(f"{textfmt.yen(int(value))}までで申し込む", kind="confirm"))


@check("answer", "追加の質問への回答", rule=_one_comparison,
       question=Param("str", required=True),
       equals=Param("any"),
       at_least=Param("number"),
       at_most=Param("number"))
def answer(params: dict[str, Any], facts: Facts) -> Outcome:
    qid = params["question"]
    question = facts.questions.get(qid)
    text = question.text if question else qid
    value = facts.intake.answers.get(qid)
    settled = _settled(qid, question, facts) if value is None else None
    if settled is not None:
        value = settled.value
    if value is None:
        return Outcome.unknown(f"確認が必要です: {text}", Todo(text, kind="question", question=qid))
    if "equals" in params:
        ok = value == params["equals"]
    elif settled is not None and isinstance(value, bool):
        ok = value   # a figure asked only inside a family the visitor is not in: the condition does not hold
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return Outcome.unknown(f"回答を数値で確認してください: {text}", Todo(text, kind="question", question=qid))
        ok = value >= params["at_least"] if "at_least" in params else value <= params["at_most"]
    if ok:
        return Outcome.ok()
    # A plan or an undertaking the business could choose opens the fund, however the "no" was given.
    step = settled.step if settled is not None else _step_of(question, facts)
    reason = f"条件に当たりません: {text}"
    return Outcome.fail_until(reason, step) if step is not None else Outcome.fail(reason)


def _settled(qid: str, question: QuestionInfo | None, facts: Facts) -> Settled | None:
    """settle(), once per question and provider (several conditions ask the same question)."""
    if question is None:
        return None
    cache = facts.settled
    if qid not in cache:
        cache[qid] = settle(question, facts)
    found: Settled | None = cache[qid]
    return found


def _step_of(question: QuestionInfo | None, facts: Facts) -> Todo | None:
    if question is None or not question.implies:
        return None
    if question.kind == "plan":
        return plan_step(facts.plans.get(question.implies))
    return situation_step(facts.situations.get(question.implies))
