"""The logic of each named check (its parameters are declared in ``desk.rules.checks``).

Every function takes the check's parameters and the :class:`Facts` and returns an
:class:`Outcome`: ``pass``, ``fail`` (the stated facts rule it out, with the reason
in plain Japanese) or ``unknown`` (something a question, a confirmation or a
certificate issued on the stated facts can settle, with a to-do saying what).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk import textfmt, vocab
from desk.rules.outcome import FAIL, PASS, UNKNOWN, Facts, Outcome, Todo

CheckFn = Callable[[dict[str, Any], Facts], Outcome]
IMPLEMENTATIONS: dict[str, CheckFn] = {}
YEARS_JA = {1: "1年前", 2: "2年前", 3: "3年前"}


def implements(name: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        IMPLEMENTATIONS[name] = fn
        return fn
    return register


def _entity_label(entity: str) -> str:
    return vocab.ENTITIES.get(entity, entity)


def _industry_label(industry: str) -> str:
    return vocab.INDUSTRIES.get(industry, industry)


ASK = "窓口で確認"


# --- who the business is -----------------------------------------------------------------------

@implements("sme")
def sme(params: dict[str, Any], facts: Facts) -> Outcome:
    verdict, reason = sme_verdict(facts)
    if verdict == PASS:
        return Outcome.ok()
    if verdict == FAIL:
        return Outcome.fail(reason)
    return Outcome.unknown(reason, Todo(reason, kind="question"))


def sme_verdict(facts: Facts) -> tuple[str, str]:
    """Whether the business is an SME by the provider's table: capital OR employees."""
    intake, table = facts.intake, facts.provider.sme_table
    entity = intake.entity
    if entity in ("cooperative", "prospective_founder"):
        return PASS, ""
    if table is None:
        return UNKNOWN, "中小企業者の基準が登録されていません"
    employees = intake.employees
    if entity == "medical_corporation" and entity not in table.entity_rules:
        # Sagamihara: 「医業を主たる事業とする法人につきましては、お問い合わせください」
        return UNKNOWN, f"{_entity_label(entity)}の中小企業者の基準は{facts.provider.name}にお問い合わせください"
    if entity in ("npo", "medical_corporation") and entity in table.entity_rules:
        rule = table.entity_rules[entity]
        limit = (rule.get("by_industry") or {}).get(intake.industry or "", rule["employees_max"])
        if employees is None:
            return UNKNOWN, f"{_entity_label(entity)}は常時使用する従業員数（{limit}人以下）で判定します: 従業員数を確認してください"
        if employees <= limit:
            return PASS, ""
        return FAIL, f"{_entity_label(entity)}の中小企業者の基準（従業員{limit}人以下）を超えています（{employees:g}人）"
    if intake.industry is None:
        return UNKNOWN, "業種が分からないため中小企業者に当たるか判定できません: 業種を確認してください"
    row = table.rows.get(intake.industry) or table.rows.get("other")
    if row is None:
        return UNKNOWN, f"業種「{_industry_label(intake.industry)}」の基準が登録されていません"
    capital_applies = entity not in ("sole_proprietor", "npo", "medical_corporation") and row.capital_max_yen is not None
    capital_ok = None if not capital_applies or intake.capital_yen is None else intake.capital_yen <= row.capital_max_yen
    staff_ok = None if employees is None or row.employees_max is None else employees <= row.employees_max
    if capital_ok or staff_ok:
        return PASS, ""
    limits = f"資本金{textfmt.yen(row.capital_max_yen)}以下又は従業員{row.employees_max}人以下" if capital_applies \
        else f"従業員{row.employees_max}人以下"
    if (capital_ok is False or not capital_applies) and staff_ok is False:
        return FAIL, f"中小企業者の基準（{_industry_label(intake.industry)}: {limits}）を超えています"
    missing = "従業員数" if staff_ok is None and (capital_ok is False or not capital_applies) else (
        "資本金" if capital_ok is None and staff_ok is False else "資本金と従業員数")
    return UNKNOWN, f"中小企業者の基準（{limits}）の判定に{missing}が必要です"


def applicable_employee_limit(params: dict[str, Any], facts: Facts) -> tuple[int | None, bool]:
    """The employee limit for this business, and whether the industry (still unknown) matters."""
    intake = facts.intake
    for override in params.get("overrides") or ():
        entities, industries = override.get("entities"), override.get("industries")
        if entities and intake.entity not in entities:
            continue
        if industries and intake.industry not in industries:
            continue
        return override["limit"], False
    commerce = params.get("commerce_limit")
    if commerce is None:
        return params["limit"], False
    if intake.industry is None:
        return None, True
    return (commerce if intake.industry in vocab.COMMERCE_INDUSTRIES else params["limit"]), False


@implements("employees_at_most")
def employees_at_most(params: dict[str, Any], facts: Facts) -> Outcome:
    employees = facts.intake.employees
    limit, industry_matters = applicable_employee_limit(params, facts)
    if employees is None:
        need = f"従業員{params['limit']}人" + (f"（商業・サービス業は{params['commerce_limit']}人）" if params.get("commerce_limit") else "")
        return Outcome.unknown(f"常時使用する従業員数の確認が必要です（{need}以下）", Todo("常時使用する従業員数", kind="question"))
    if limit is None:  # the industry decides between the two limits
        if employees <= params["commerce_limit"]:
            return Outcome.ok()
        if employees > params["limit"]:
            return Outcome.fail(f"従業員数が上限（{params['limit']}人）を超えています（{employees:g}人）")
        return Outcome.unknown(f"業種により従業員の上限が{params['commerce_limit']}人又は{params['limit']}人です: 業種を確認してください",
                               Todo("業種", kind="question"))
    if employees <= limit:
        return Outcome.ok()
    return Outcome.fail(f"従業員数が上限（{limit}人）を超えています（{employees:g}人）")


@implements("employees_more_than")
def employees_more_than(params: dict[str, Any], facts: Facts) -> Outcome:
    employees = facts.intake.employees
    if employees is None:
        return Outcome.unknown("従業員数の確認が必要です", Todo("常時使用する従業員数", kind="question"))
    if employees > params["limit"]:
        return Outcome.ok()
    return Outcome.fail(f"従業員数が{params['limit']}人以下です")


@implements("industry_in")
def industry_in(params: dict[str, Any], facts: Facts) -> Outcome:
    industry = facts.intake.industry
    allowed = "、".join(_industry_label(i) for i in params["industries"])
    if industry is None:
        return Outcome.unknown(f"業種の確認が必要です（{allowed}に限る）", Todo("業種", kind="question"))
    if industry in params["industries"]:
        return Outcome.ok()
    return Outcome.fail(f"{allowed}に限られます（業種: {_industry_label(industry)}）")


@implements("entity_in")
def entity_in(params: dict[str, Any], facts: Facts) -> Outcome:
    entity = facts.intake.entity
    allowed = "、".join(_entity_label(e) for e in params["entities"])
    if entity is None:
        return Outcome.unknown(f"事業者の形態の確認が必要です（{allowed}が対象）", Todo("事業者の形態", kind="question"))
    if entity in params["entities"]:
        return Outcome.ok()
    return Outcome.fail(f"対象は{allowed}です（{_entity_label(entity)}は対象外）")


@implements("entity_not_in")
def entity_not_in(params: dict[str, Any], facts: Facts) -> Outcome:
    entity = facts.intake.entity
    if entity is None:
        excluded = "、".join(_entity_label(e) for e in params["entities"])
        return Outcome.unknown(f"事業者の形態の確認が必要です（{excluded}は対象外）", Todo("事業者の形態", kind="question"))
    if entity in params["entities"]:
        return Outcome.fail(f"{_entity_label(entity)}は対象外です")
    return Outcome.ok()


@implements("located_in")
def located_in(params: dict[str, Any], facts: Facts) -> Outcome:
    wanted = params["municipalities"] if params.get("municipalities") else None
    where = "、".join(wanted) if wanted else params["prefecture"]
    if facts.prefecture != params["prefecture"]:
        return Outcome.fail(f"{where}内の事業者が対象です（所在地: {facts.prefecture}）")
    if not wanted:
        return Outcome.ok()
    if facts.municipality is None:
        return Outcome.unknown(f"事業所の所在地の確認が必要です（{where}内が対象）", Todo("事業所の市区町村", kind="question"))
    if facts.municipality in wanted or facts.city in wanted:
        return Outcome.ok()
    return Outcome.fail(f"{where}内の事業者が対象です（所在地: {facts.municipality}）")


@implements("track_record")
def track_record(params: dict[str, Any], facts: Facts) -> Outcome:
    intake, months = facts.intake, params["months"]
    if intake.is_founder:
        return Outcome.fail(f"同一事業を{textfmt.months(months)}以上営んでいることが条件です（創業前）")
    in_pref, anywhere = intake.months_in_kanagawa, intake.months_in_business
    if in_pref is not None and in_pref >= months:
        return Outcome.ok()
    if params.get("outside_counts") and anywhere is not None and anywhere >= months:
        return Outcome.ok()  # a business with a track record elsewhere moving in
    if in_pref is None and anywhere is None:
        return Outcome.unknown(f"同一事業の営業期間の確認が必要です（{textfmt.months(months)}以上）",
                               Todo("事業を始めてからの期間", kind="question"))
    known = anywhere if anywhere is not None else in_pref
    if anywhere is None and params.get("outside_counts"):
        return Outcome.unknown(f"県内での営業は{textfmt.months(int(known))}です。県外での実績を含めて{textfmt.months(months)}以上か確認してください",
                               Todo("県外を含めた営業期間", kind="question"))
    return Outcome.fail(f"同一事業を{textfmt.months(months)}以上営んでいることが条件です（営業期間 {textfmt.months(int(known))}）")


@implements("licence_held")
def licence_held(params: dict[str, Any], facts: Facts) -> Outcome:
    intake, months = facts.intake, params["months"]
    if intake.licence == "not_needed":
        return Outcome.ok()
    if intake.licence == "expected":
        if intake.is_founder:
            return Outcome.ok()  # founders need only the prospect of obtaining it
        return Outcome.fail("許認可を要する事業は、許認可を得てから営んでいることが条件です")
    if intake.licence == "held":
        if months == 0:
            return Outcome.ok()
        if intake.licence_months is None:
            return Outcome.unknown(f"許認可を得てからの期間の確認が必要です（{textfmt.months(months)}以上）",
                                   Todo("許認可を得てからの期間", kind="question"))
        if intake.licence_months >= months:
            return Outcome.ok()
        return Outcome.fail(f"許認可を得てから{textfmt.months(months)}以上営んでいることが条件です")
    return Outcome.unknown("許認可の要否の確認が必要です", Todo("許認可の要否と取得時期", kind="question"))


@implements("industry_covered")
def industry_covered(params: dict[str, Any], facts: Facts) -> Outcome:
    if facts.intake.industry is None:
        return Outcome.unknown("業種の確認が必要です（信用保険の対象業種であること）", Todo("業種", kind="question"))
    if facts.intake.industry == "excluded":
        return Outcome.fail("信用保険の対象外の業種です")
    return Outcome.ok()


@implements("no_tax_arrears")
def no_tax_arrears(params: dict[str, Any], facts: Facts) -> Outcome:
    return Outcome.fail("期限の到来した税金に未納があります（完納が条件です）") if facts.intake.tax_arrears else Outcome.ok()


@implements("no_bank_suspension")
def no_bank_suspension(params: dict[str, Any], facts: Facts) -> Outcome:
    return Outcome.fail("金融機関の取引停止処分を受けています") if facts.intake.bank_suspension else Outcome.ok()


@implements("no_subrogation_debt")
def no_subrogation_debt(params: dict[str, Any], facts: Facts) -> Outcome:
    if facts.intake.subrogation_debt:
        return Outcome.fail("信用保証協会の代位弁済に対する債務があります")
    return Outcome.ok()


# --- certificates, plans, causes ---------------------------------------------------------------

def _sales_fell(facts: Facts) -> bool | None:
    """Whether any stated or computed comparison shows a decline (None: nothing known)."""
    values = [v for name in ("last_1m", "last_3m", "last_6m", "next_3m_forecast")
              for v in facts.sales.period(name) if v is not None]
    if facts.sales.last_fy is not None:
        values.append(facts.sales.last_fy)
    if not values:
        return None
    return any(v < 0 for v in values)


# Which stated facts make a certificate one the business could be issued: 5号 (業況の悪化)
# follows a sales decline, 1号 a customer's bankruptcy, 4号 and 罹災証明 a disaster. The other
# numbers (2, 3, 6-8, 危機関連) rest on facts the intake does not hold, so desk does not suggest them.
_CERT_HINTS = {
    "sn1": lambda f: "customer_bankruptcy" in (f.intake.causes or ()),
    "sn4": lambda f: "disaster" in (f.intake.causes or ()),
    "sn5": lambda f: bool(_sales_fell(f)),
    "disaster_certificate": lambda f: "disaster" in (f.intake.causes or ()),
}


def certification_names(codes: list[str]) -> str:
    """「セーフティネット保証1・2・3・4・6号の認定」 rather than five separate names."""
    numbers = [c[2:] for c in codes if c.startswith("sn")]
    others = [vocab.CERTIFICATIONS[c] for c in codes if not c.startswith("sn")]
    parts = [f"セーフティネット保証{'・'.join(numbers)}号の認定"] if numbers else []
    return "、".join(parts + others)


@implements("certification_any")
def certification_any(params: dict[str, Any], facts: Facts) -> Outcome:
    wanted = params["any_of"]
    held = set(facts.intake.certifications or ())
    if held & set(wanted):
        return Outcome.ok()
    names = certification_names(wanted)
    obtainable = [c for c in wanted if _CERT_HINTS.get(c, lambda f: False)(facts)]
    fell = _sales_fell(facts)
    if obtainable:
        # One to-do per issuing section: in Sagamihara 5号イ・7号 and the rest come from different offices.
        todo = Todo(f"{certification_names(obtainable)}を受ける（事業の状況に合う号を窓口で相談）", "municipality",
                    "certificate", obtainable[0] if len(obtainable) == 1 else None)
        return Outcome(UNKNOWN, (f"{names}が必要です（お伺いした事情から認定を受けられる可能性があります）",), (todo,))
    if fell is None and facts.intake.certifications is None:
        return Outcome.unknown(f"{names}が必要です: 認定の有無と売上の状況を確認してください",
                               Todo(f"{names}の有無", kind="question"))
    return Outcome.fail(f"{names}が必要です（お持ちでなく、認定の要件に当たる事情も入力されていません）")


@implements("plan_any")
def plan_any(params: dict[str, Any], facts: Facts) -> Outcome:
    held = set(facts.intake.plans or ())
    if held & set(params["any_of"]):
        return Outcome.ok()
    plans = [facts.plans.get(p) for p in params["any_of"]]
    names = "、".join(p.name if p else pid for p, pid in zip(plans, params["any_of"]))
    how = params.get("how") or "／".join(p.how for p in plans if p and p.how)
    if facts.intake.plans is None:  # not asked: unknown, never "no" (INTAKE.md)
        return Outcome.unknown(f"{names}を受けているかの確認が必要です", Todo(f"{names}の有無", kind="question"))
    todo = Todo(how or names, (plans[0].issuer if plans and plans[0] else None), "plan")
    return Outcome.fail(f"{names}が必要です。{how}ことで対象になります" if how else f"{names}が必要です", todo)


@implements("cause_any")
def cause_any(params: dict[str, Any], facts: Facts) -> Outcome:
    wanted = params["any_of"]
    names = "、".join(vocab.CAUSES[c] for c in wanted)
    causes = facts.intake.causes
    if causes is None:
        return Outcome.unknown(f"売上減少の原因の確認が必要です（{names}の影響であること）", Todo("売上減少の原因", kind="question"))
    if set(causes) & set(wanted):
        return Outcome.ok()
    return Outcome.fail(f"{names}の影響を受けていることが条件です")


# --- sales -------------------------------------------------------------------------------------

def _declined(value: float, at_least: float) -> bool:
    # Inclusive ("5%以上減少" holds at -5.0); at_least 0 means any decline.
    return value < 0 if at_least == 0 else value <= -at_least


def _basis_outcome(params: dict[str, Any], facts: Facts) -> Outcome | None:
    bases = params.get("bases")
    basis = facts.intake.sales_basis
    if bases and basis and basis not in bases:
        wanted = "売上高" if bases == ["sales"] else "売上総利益"
        return Outcome.unknown(f"{wanted}での比較が必要です（入力は{'売上総利益' if basis == 'gross_profit' else '売上高'}）",
                               Todo(f"{wanted}の増減", kind="question"))
    return None


@implements("sales_decline")
def sales_decline(params: dict[str, Any], facts: Facts) -> Outcome:
    basis = _basis_outcome(params, facts)
    years = params.get("years") or [1]
    at_least = params["at_least_pct"]
    periods = params["periods"]
    missing = []
    for period in periods:
        values = facts.sales.period(period)
        for year in (years if period != "last_fy" else [1]):
            value = values[year - 1]
            if value is None:
                missing.append((period, year))
            elif _declined(value, at_least):
                return basis or Outcome.ok()
    what = "・".join(vocab.SALES_PERIODS[p] for p in periods)
    size = "減少" if at_least == 0 else f"{textfmt.pct(at_least).rstrip('%')}%以上の減少"
    against = "・".join(YEARS_JA[y] for y in years)
    if missing:
        if len(missing) == sum(1 if p == "last_fy" else len(years) for p in periods):
            return Outcome.unknown(f"売上高等の{what}の増減の確認が必要です（{against}同期比で{size}）",
                                   Todo(f"{what}の売上高等と{against}の同期の売上高等", kind="question"))
        return Outcome.unknown(f"入力された比較では{size}に当たりません。{against}の同期とも比較してください",
                               Todo(f"{against}の同期との比較", kind="question"))
    return Outcome.fail(f"売上高等の{what}が{against}の同期比で{size}に当たりません")


@implements("sales_decline_month_and_forecast")
def sales_decline_month_and_forecast(params: dict[str, Any], facts: Facts) -> Outcome:
    basis = _basis_outcome(params, facts)
    years = params.get("years") or [1]
    at_least = params["at_least_pct"]
    size = f"{textfmt.pct(at_least).rstrip('%')}%以上"
    unknown = False
    for year in years:
        month = facts.sales.last_1m[year - 1]
        outlook = facts.sales.next_3m_forecast[year - 1]
        if month is not None and outlook is not None and _declined(month, at_least) and _declined(outlook, at_least):
            return basis or Outcome.ok()
        if (month is None and (outlook is None or _declined(outlook, at_least))) or \
           (outlook is None and _declined(month, at_least)):
            unknown = True
    against = "・".join(YEARS_JA[y] for y in years)
    if unknown:
        return Outcome.unknown(f"最近1か月と、その後2か月を含む3か月の見込みの売上高等の確認が必要です（{against}同期比で各{size}減少）",
                               Todo("最近1か月の売上高等と今後2か月の見込み", kind="question"))
    return Outcome.fail(f"最近1か月の売上高等と、その後2か月を含む3か月の見込みが{against}の同期比で各{size}減少に当たりません")


# --- balances, founders, purposes, questions ------------------------------------------------------

@implements("has_guaranteed_balance")
def has_guaranteed_balance(params: dict[str, Any], facts: Facts) -> Outcome:
    balance = facts.intake.guaranteed_balance_yen
    if balance is None:
        return Outcome.unknown("信用保証協会の保証付き融資の残高の確認が必要です", Todo("保証付き融資の残高", kind="question"))
    if balance > 0:
        return Outcome.ok()
    return Outcome.fail("信用保証協会の保証付き融資の残高があることが条件です")


@implements("has_eased_conditions")
def has_eased_conditions(params: dict[str, Any], facts: Facts) -> Outcome:
    eased = facts.intake.has_eased_conditions
    if eased is None:
        return Outcome.unknown("保証付き融資の返済条件の緩和（条件変更）の有無の確認が必要です", Todo("条件変更の有無", kind="question"))
    return Outcome.ok() if eased else Outcome.fail("返済条件の緩和を行っている保証付き融資の残高があることが条件です")


@implements("founder")
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
            return Outcome.unknown("創業の形態（個人事業か会社設立か）の確認が必要です", Todo("創業の形態", kind="question"))
        limit = before.get(form)
        if limit is None:
            return Outcome.fail("この創業の形態は対象外です")
        if params.get("extended_before_start_months") and "tokutei_sogyo_shien" in (intake.plans or ()):
            limit = max(limit, params["extended_before_start_months"])
        if intake.months_until_start is None:
            return Outcome.unknown(f"事業開始の予定時期の確認が必要です（{limit}か月以内）", Todo("事業開始の予定時期", kind="question"))
        if intake.months_until_start <= limit:
            return Outcome.ok()
        return Outcome.fail(f"事業開始まで{limit}か月以内であることが条件です（{intake.months_until_start:g}か月後の予定）")
    limit = params.get("after_start_max_months")
    if limit is None:
        return Outcome.fail("これから創業する方が対象です")
    if forms and intake.entity is not None:
        entity_form = "corporation" if intake.entity == "corporation" else (
            "sole_proprietor" if intake.entity == "sole_proprietor" else None)
        if entity_form not in forms:
            return Outcome.fail(f"{_entity_label(intake.entity)}は対象外です")
    months = intake.months_in_business
    if months is None:
        return Outcome.unknown(f"創業（会社設立）からの期間の確認が必要です（{textfmt.months(limit)}未満）",
                               Todo("事業を始めてからの期間", kind="question"))
    if months < limit:
        return Outcome.ok()
    return Outcome.fail(f"創業後{textfmt.months(limit)}未満であることが条件です（営業期間 {textfmt.months(int(months))}）")


@implements("purpose_any")
def purpose_any(params: dict[str, Any], facts: Facts) -> Outcome:
    names = "・".join(vocab.PURPOSES[p] for p in params["any_of"])
    if facts.intake.purposes is None:
        return Outcome.unknown(f"資金使途の確認が必要です（{names}を含むこと）", Todo("資金使途", kind="question"))
    if set(facts.intake.purposes) & set(params["any_of"]):
        return Outcome.ok()
    return Outcome.fail(f"資金使途に{names}を含むことが条件です")


@implements("amount_at_most_answer")
def amount_at_most_answer(params: dict[str, Any], facts: Facts) -> Outcome:
    """A limit set by an answer (債権相当額の範囲内): above it is conditional, with the figure."""
    qid = params["question"]
    question = facts.questions.get(qid)
    text = question.text if question else qid
    value = facts.intake.answers.get(qid)
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return Outcome.unknown(f"限度額の確認が必要です: {text}", Todo(text, kind="question", question=qid))
    amount = facts.intake.amount_yen
    if amount is None or amount <= value:
        return Outcome.ok()
    return Outcome.unknown(f"希望額（{textfmt.yen(amount)}）が{text}（{textfmt.yen(int(value))}）を超えています: "
                           f"{textfmt.yen(int(value))}まで",
                           Todo(f"{textfmt.yen(int(value))}までで申し込む", kind="confirm"))


@implements("answer")
def answer(params: dict[str, Any], facts: Facts) -> Outcome:
    qid = params["question"]
    question = facts.questions.get(qid)
    text = question.text if question else qid
    if qid not in facts.intake.answers or facts.intake.answers[qid] is None:
        return Outcome.unknown(f"確認が必要です: {text}", Todo(text, kind="question", question=qid))
    value = facts.intake.answers[qid]
    if "equals" in params:
        ok = value == params["equals"]
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return Outcome.unknown(f"回答を数値で確認してください: {text}", Todo(text, kind="question", question=qid))
        ok = value >= params["at_least"] if "at_least" in params else value <= params["at_most"]
    if ok:
        return Outcome.ok()
    return Outcome.fail(f"条件に当たりません: {text}")
