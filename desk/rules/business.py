"""Checks on who the business is: SME status, employees, industry, entity, location,
track record, licence, credit-insurance coverage, tax, bank and subrogation standing.

Every check takes its parameters (declared with it) and the :class:`Facts` and
returns an :class:`Outcome`: ``pass``, ``fail`` (the stated facts rule it out, with
the reason in plain Japanese) or ``unknown`` (something a question or a confirmation
can settle, with a to-do saying what).
"""

from __future__ import annotations

from typing import Any

from desk import textfmt, vocab
from desk.rules.declare import Param, check
from desk.rules.outcome import FAIL, PASS, STEP, UNKNOWN, Facts, Outcome, Todo

_ENTITIES = tuple(vocab.ENTITIES)
_INDUSTRIES = tuple(vocab.INDUSTRIES)


def entity_label(entity: str) -> str:
    return vocab.ENTITIES.get(entity, entity)


def industry_label(industry: str) -> str:
    return vocab.INDUSTRIES.get(industry, industry)


@check("sme", "中小企業者（又は協同組合等）であること（業種ごとの資本金又は従業員数）")
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
        return UNKNOWN, f"{entity_label(entity)}の中小企業者の基準は{facts.provider.name}にお問い合わせください"
    if entity in ("npo", "medical_corporation") and entity in table.entity_rules:
        rule = table.entity_rules[entity]
        limit = (rule.get("by_industry") or {}).get(intake.industry or "", rule["employees_max"])
        if employees is None:
            return UNKNOWN, (f"{entity_label(entity)}は常時使用する従業員数（{limit}人以下）で判定します: "
                             "従業員数を確認してください")
        if employees <= limit:
            return PASS, ""
        return FAIL, f"{entity_label(entity)}の中小企業者の基準（従業員{limit}人以下）を超えています（{employees:g}人）"
    if intake.industry is None:
        return UNKNOWN, "業種が分からないため中小企業者に当たるか判定できません: 業種を確認してください"
    row = table.rows.get(intake.industry) or table.rows.get("other")
    if row is None:
        return UNKNOWN, f"業種「{industry_label(intake.industry)}」の基準が登録されていません"
    capital_max = None if entity in ("sole_proprietor", "npo", "medical_corporation") else row.capital_max_yen
    capital_applies = capital_max is not None
    capital_ok = None if capital_max is None or intake.capital_yen is None else intake.capital_yen <= capital_max
    staff_ok = None if employees is None or row.employees_max is None else employees <= row.employees_max
    if capital_ok or staff_ok:
        return PASS, ""
    limits = f"資本金{textfmt.yen(capital_max)}以下又は従業員{row.employees_max}人以下" if capital_applies \
        else f"従業員{row.employees_max}人以下"
    if (capital_ok is False or not capital_applies) and staff_ok is False:
        return FAIL, f"中小企業者の基準（{industry_label(intake.industry)}: {limits}）を超えています"
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


@check("employees_at_most", "常時使用する従業員数が上限以下であること",
       limit=Param("int", required=True),
       commerce_limit=Param("int"),
       overrides=Param("list[mapping]"))   # [{entities, industries, limit}]
def employees_at_most(params: dict[str, Any], facts: Facts) -> Outcome:
    employees = facts.intake.employees
    limit, _ = applicable_employee_limit(params, facts)
    if employees is None:
        commerce = f"（商業・サービス業は{params['commerce_limit']}人）" if params.get("commerce_limit") else ""
        need = f"従業員{params['limit']}人{commerce}"
        return Outcome.unknown(f"常時使用する従業員数の確認が必要です（{need}以下）",
                               Todo("常時使用する従業員数", kind="question"))
    if limit is None:  # the industry decides between the two limits
        if employees <= params["commerce_limit"]:
            return Outcome.ok()
        if employees > params["limit"]:
            return Outcome.fail(f"従業員数が上限（{params['limit']}人）を超えています（{employees:g}人）")
        return Outcome.unknown(f"業種により従業員の上限が{params['commerce_limit']}人又は{params['limit']}人です: "
                               "業種を確認してください",
                               Todo("業種", kind="question"))
    if employees <= limit:
        return Outcome.ok()
    return Outcome.fail(f"従業員数が上限（{limit}人）を超えています（{employees:g}人）")


@check("employees_more_than", "常時使用する従業員数が一定数を超えること（保証料率の区分など）",
       limit=Param("int", required=True))
def employees_more_than(params: dict[str, Any], facts: Facts) -> Outcome:
    employees = facts.intake.employees
    if employees is None:
        return Outcome.unknown("従業員数の確認が必要です", Todo("常時使用する従業員数", kind="question"))
    if employees > params["limit"]:
        return Outcome.ok()
    return Outcome.fail(f"従業員数が{params['limit']}人以下です")


@check("industry_in", "業種が次のいずれかであること",
       industries=Param("list[str]", required=True, choices=_INDUSTRIES))
def industry_in(params: dict[str, Any], facts: Facts) -> Outcome:
    industry = facts.intake.industry
    allowed = "、".join(industry_label(i) for i in params["industries"])
    if industry is None:
        return Outcome.unknown(f"業種の確認が必要です（{allowed}に限る）", Todo("業種", kind="question"))
    if industry in params["industries"]:
        return Outcome.ok()
    return Outcome.fail(f"{allowed}に限られます（業種: {industry_label(industry)}）")


@check("entity_in", "事業者の形態が次のいずれかであること",
       entities=Param("list[str]", required=True, choices=_ENTITIES))
def entity_in(params: dict[str, Any], facts: Facts) -> Outcome:
    entity = facts.intake.entity
    allowed = "、".join(entity_label(e) for e in params["entities"])
    if entity is None:
        return Outcome.unknown(f"事業者の形態の確認が必要です（{allowed}が対象）",
                               Todo("事業者の形態", kind="question"))
    if entity in params["entities"]:
        return Outcome.ok()
    return Outcome.fail(f"対象は{allowed}です（{entity_label(entity)}は対象外）")


@check("entity_not_in", "事業者の形態が次のいずれでもないこと",
       entities=Param("list[str]", required=True, choices=_ENTITIES))
def entity_not_in(params: dict[str, Any], facts: Facts) -> Outcome:
    entity = facts.intake.entity
    if entity is None:
        excluded = "、".join(entity_label(e) for e in params["entities"])
        return Outcome.unknown(f"事業者の形態の確認が必要です（{excluded}は対象外）",
                               Todo("事業者の形態", kind="question"))
    if entity in params["entities"]:
        return Outcome.fail(f"{entity_label(entity)}は対象外です")
    return Outcome.ok()


@check("located_in", "事業所が次の地域にあること",
       prefecture=Param("str", required=True),
       municipalities=Param("list[str]"))
def located_in(params: dict[str, Any], facts: Facts) -> Outcome:
    wanted = params["municipalities"] if params.get("municipalities") else None
    where = "、".join(wanted) if wanted else params["prefecture"]
    if facts.prefecture != params["prefecture"]:
        return Outcome.fail(f"{where}内の事業者が対象です（所在地: {facts.prefecture}）")
    if not wanted:
        return Outcome.ok()
    if facts.municipality is None:
        return Outcome.unknown(f"事業所の所在地の確認が必要です（{where}内が対象）",
                               Todo("事業所の市区町村", kind="question"))
    if facts.municipality in wanted or facts.city in wanted:
        return Outcome.ok()
    return Outcome.fail(f"{where}内の事業者が対象です（所在地: {facts.municipality}）")


@check("track_record", "同一事業を一定期間以上営んでいること",
       months=Param("int", required=True),
       outside_counts=Param("bool"))
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
    assert known is not None  # one of the two is stated (see above)
    if anywhere is None and params.get("outside_counts"):
        return Outcome.unknown(f"県内での営業は{textfmt.months(int(known))}です。"
                               f"県外での実績を含めて{textfmt.months(months)}以上か確認してください",
                               Todo("県外を含めた営業期間", kind="question"))
    return Outcome.fail(f"同一事業を{textfmt.months(months)}以上営んでいることが条件です"
                        f"（営業期間 {textfmt.months(int(known))}）")


@check("licence_held", "許認可を要する事業では許認可を得て一定期間以上であること",
       months=Param("int", required=True))
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


@check("industry_covered", "信用保険の対象業種であること")
def industry_covered(params: dict[str, Any], facts: Facts) -> Outcome:
    if facts.intake.industry is None:
        return Outcome.unknown("業種の確認が必要です（信用保険の対象業種であること）", Todo("業種", kind="question"))
    if facts.intake.industry == "excluded":
        return Outcome.fail("信用保険の対象外の業種です")
    return Outcome.ok()


@check("no_tax_arrears", "期限の到来した税金を完納していること")
def no_tax_arrears(params: dict[str, Any], facts: Facts) -> Outcome:
    if facts.intake.tax_arrears:
        return Outcome.fail_until("期限の到来した税金に未納があります（完納が条件です）",
                                  Todo("未納の税金を納める（納税証明書で確認されます）", "applicant", STEP))
    return Outcome.ok()


@check("no_bank_suspension", "金融機関から取引停止処分を受けていないこと")
def no_bank_suspension(params: dict[str, Any], facts: Facts) -> Outcome:
    return Outcome.fail("金融機関の取引停止処分を受けています") if facts.intake.bank_suspension else Outcome.ok()


@check("no_subrogation_debt", "信用保証協会の代位弁済に対する債務がないこと")
def no_subrogation_debt(params: dict[str, Any], facts: Facts) -> Outcome:
    if facts.intake.subrogation_debt:
        return Outcome.fail("信用保証協会の代位弁済に対する債務があります")
    return Outcome.ok()
