"""A fund's result in the words people read: limit, rate, guarantee fee, term, to-dos, source.

The results table, the detail pane, the CLI table and the referral sheet all write a
fund through these functions, so the same figure is never written two ways by accident.
Where surfaces differ, they differ on purpose, and the caller says so by the function
or the argument it picks:

- **Who reads it.** Staff read the screens and the terminal at the counter, where 「—」
  in a narrow column means "the seeds do not say" and they can explain it. The visitor
  reads the sheet alone at home, where a bare 「—」 would read as "no fee": the sheet
  spells it out (``fee(fund, unknown=SHEET_UNKNOWN_FEE)``) and writes rates and terms as
  the loan guides do (年1.8%以内, 最長10年（据置1年以内）).
- **How much room.** A table cell holds one figure: what this visitor pays
  (:func:`visitor_rate`) and what is left for them (:func:`available`). The detail pane
  has room for the fund's whole rate table (:func:`rate_tiers`) and its limit beside
  what is left. The sheet gives the rate for the wanted term with the city's share
  (:func:`rate_for_term`) and the limit with what is left (:func:`limit_with_available`).

Light: the window's first view uses it before the engine is loaded.
"""

from __future__ import annotations

import re

from desk import textfmt, vocab
from desk.costs.cost import Cost
from desk.matching.answer import Contact, FundResult, FundTodo

# The sheet's word for a fee the seeds do not give (see the module's docstring).
SHEET_UNKNOWN_FEE = "資料に記載なし"
NO_DATE = "日付なし"
# A business in another prefecture: the answer's warning, which the sheet puts where the funds would be.
OUTSIDE_PREFECTURE = "{prefecture}の制度融資は収録していません。{prefecture}の担当課・信用保証協会にご相談ください"


# A warning that begins with an intake key (「answers: 」, 「sales_change.last_3m_pct（1年前比）: 」) is
# about what staff typed: the window names the field, the sheet leaves it out. Groups: the key,
# then what qualifies it.
INPUT_KEY = re.compile(r"([a-z][a-z0-9_.]*)((?:（[^）]*）)?): ")


def available(fund: FundResult) -> str:
    """What is left of the limit for this visitor: 8,000万円 (「—」 without a limit)."""
    return textfmt.yen(fund.remaining_limit_yen)


def limit(fund: FundResult) -> str:
    """The fund's limit: 8,000万円 (「—」 without a limit)."""
    return textfmt.yen(fund.limit_yen)


def limit_with_available(fund: FundResult) -> str:
    """「別枠 8,000万円（ご利用できる額 7,500万円）」: the limit, whether it is a separate frame, and
    what is left when existing balances count against it."""
    text = textfmt.yen(fund.limit_yen)
    if fund.separate_limit:
        text = f"別枠 {text}"
    if fund.remaining_limit_yen is not None and fund.remaining_limit_yen != fund.limit_yen:
        text += f"（ご利用できる額 {textfmt.yen(fund.remaining_limit_yen)}）"
    return text


def rate_tiers(fund: FundResult) -> str:
    """The fund's whole rate table: 「2年以内 1.5%以内 / 2年超5年以内 1.8%以内 / 5年超 2.2%以内」."""
    return textfmt.tier_text([(t.max_months, t.rate_pct) for t in fund.rate_tiers])


def visitor_rate(fund: FundResult) -> str:
    """What the visitor pays per year, in a table's cell: the own rate after a city's share, else
    the rate for the wanted term, else (no term given, tiers that differ) the span of the tiers'
    rates, 「1.5〜2.2%」 (the detail pane and the sheet give the whole table)."""
    rate = fund.own_rate_pct if fund.own_rate_pct is not None else fund.rate_pct
    if rate is not None:
        return textfmt.pct(rate)
    rates = [t.rate_pct for t in fund.rate_tiers if t.rate_pct is not None]
    return textfmt.pct_range(min(rates), max(rates)) if rates else rate_tiers(fund)


def city_share(fund: FundResult) -> str:
    """The city's share of the rate (利子補給): 「0.7%」, 「—」 without one."""
    return textfmt.pct(fund.city_share_pct)


def rate_for_term(fund: FundResult) -> str:
    """「年1.8%以内（市の利子補給 0.7%、ご負担 1.1%）」: the rate for the wanted term as the guides
    write it, the rate table without a term, 「金融機関所定」 without a table; then the city's share."""
    if fund.rate_pct is not None:
        text = f"年{textfmt.pct(fund.rate_pct)}以内"
    else:
        text = rate_tiers(fund) if fund.rate_tiers else "金融機関所定"
    if fund.own_rate_pct is not None:
        text += f"（市の利子補給 {city_share(fund)}、ご負担 {textfmt.pct(fund.own_rate_pct)}）"
    return text


def fee(fund: FundResult, *, unknown: str = "—") -> str:
    """The guarantee fee range in force: 「0.225〜0.95%」; ``unknown`` when the seeds do not give it."""
    fee_range = fund.guarantee_fee_pct
    return textfmt.pct_range(*fee_range) if fee_range else unknown


def term(fund: FundResult) -> str:
    """「最長10年（据置1年以内）」; by use where the uses differ: 「運転資金・借換 最長10年、設備資金
    最長15年（据置1年以内）」; 「—」 without a maximum term."""
    by_months: dict[int, list[str]] = {}
    for use, months in fund.term_by_use:
        by_months.setdefault(months, []).append(vocab.PURPOSES.get(use, use))
    if len(by_months) > 1:
        text = "、".join(f"{'・'.join(uses)} 最長{textfmt.months(months)}" for months, uses in by_months.items())
    else:
        text = f"最長{textfmt.months(fund.max_term_months)}" if fund.max_term_months else "—"
    if fund.grace_months:
        text += f"（据置{textfmt.months(fund.grace_months)}以内）"
    return text


def uses(fund: FundResult) -> str:
    """「運転資金・設備資金」."""
    return "・".join(vocab.PURPOSES.get(u, u) for u in fund.uses) or "—"


def listed_name(fund: FundResult) -> str:
    """The fund's name in a list, marked when its data is last fiscal year's."""
    return fund.name + ("（前年度の資料）" if fund.stale else "")


def todo_text(todo: FundTodo) -> str:
    """「何を（どこで）」, without repeating a place the to-do's own name already gives."""
    where = todo.where
    return f"{todo.what}（{where}）" if where and where not in todo.what else todo.what


def source_line(fund: FundResult) -> str:
    """The sheet's line under a fund: whose paper, as of when (last year's marked)."""
    if fund.stale:
        return f"※{fund.provider}の前年度（{fund.data_as_of} 時点）の資料"
    return f"{fund.provider}の資料（{fund.data_as_of or NO_DATE} 時点）"


def source_entry(fund: FundResult) -> str:
    """One entry of the sheet's list of sources, as a visitor can ask for it:
    「神奈川県中小企業制度融資 令和8年度（2026-04-01 時点）」 (the document's title, not its file)."""
    title = fund.source.title or f"{fund.provider}の資料"
    return f"{title}（{fund.data_as_of or NO_DATE} 時点）"


def source_detail(fund: FundResult) -> str:
    """The detail pane's source: the document by its title, its section and date (issue 14, item 8:
    no seed file's hashed name on any screen; `desk programs --json` gives it to whoever needs it)."""
    source = fund.source
    title = source.title or fund.provider
    return f"出典: {title} {source.section or ''}（{fund.data_as_of or NO_DATE} 時点）"


# Where the seeds give an office no phone, what to do instead (a town hall's switchboard finds
# the section); a bare 「—」 leaves a visitor with nowhere to call.
NO_PHONE = {"municipality": "代表電話で「セーフティネット保証の認定」の担当課をお尋ねください"}


def phone(contact: Contact) -> str:
    """The contact's phone, else what to do instead (「—」 where the seeds say nothing more)."""
    return contact.phone or NO_PHONE.get(contact.role, "—")


ROUTE_ALL_OF = "次のすべてで対象になります: "


def route(steps: tuple[FundTodo, ...]) -> str:
    """A closed fund's route in one plain sentence:
    「事業継続力強化計画を作成し、経済産業大臣の認定を受けることで対象になります（関東経済産業局）」;
    several steps numbered: 「次のすべてで対象になります: ①…する ②…する（…）」."""
    whats = list(dict.fromkeys(s.what.rstrip("。") for s in steps))
    where = next((s.where for s in steps if s.where), None)
    office = f"（{where}）" if where else ""
    if len(whats) == 1:
        return f"{whats[0]}ことで対象になります{office}"
    return ROUTE_ALL_OF + "　".join(f"{CIRCLED[i]}{w}" for i, w in enumerate(whats)) + office


def route_steps(route_text: str) -> int:
    """How many steps a route sentence asks for (1 for a plain one)."""
    return route_text.count("　") + 1 if route_text.startswith(ROUTE_ALL_OF) else 1


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _man(amount: int) -> str:
    """An amount in 万円 to the nearest 万, for a table cell: 1,038,750 → 「104万」."""
    return f"{(amount + 5_000) // 10_000:,}万"


def total(fund: FundResult) -> str:
    """The visitor's total cost at a glance, at most: 「144万円」 (interest after the city's share,
    plus the guarantee fee of the costliest class: what funds are ranked by; the range is in the
    tooltip and the detail); 「28万円〜」 where the seeds give no fee; 「—」 where there is no estimate."""
    cost = fund.cost
    if cost is None:
        return "—"
    low, high = cost.total_yen
    return f"{_man(low)}円〜" if high is None else f"{_man(high)}円"


METHOD = {"equal_principal": "元金均等", "equal_payment": "元利均等", "bullet": "一括"}


def cost_lines(fund: FundResult) -> list[str]:
    """The estimate in words, for the detail pane and the sheet: the loan costed, the monthly
    payments, interest, the city's share, the fee and the total (each figure exact to the yen)."""
    cost = fund.cost
    if cost is None:
        return []
    loan = f"{textfmt.yen(cost.amount_yen)}・{textfmt.months(cost.term_months)}"
    if cost.grace_months:
        loan += f"（うち据置{textfmt.months(cost.grace_months)}）"
    lines = [f"{loan}・{METHOD.get(cost.method, cost.method)}返済で計算"]
    monthly = f"毎月のお支払い 初回 {cost.monthly_first:,}円・最終回 {cost.monthly_last:,}円"
    if cost.monthly_during_grace is not None:
        monthly = f"据置中 毎月 {cost.monthly_during_grace:,}円、据置後の" + monthly.removeprefix("毎月のお支払い ")
    lines.append(monthly)
    interest = f"利息 {cost.interest_yen:,}円"
    if cost.city_share_yen:
        interest += f"（うち市の負担 {cost.city_share_yen:,}円、ご負担 {cost.own_interest_yen:,}円）"
    lines.append(interest)
    fee_yen = cost.guarantee_fee_yen
    lines.append("保証料 資料に記載なし（合計に含みません）" if fee_yen is None else f"保証料 {yen_range(*fee_yen)}")
    lines.append(f"ご負担の合計（目安） {yen_range(*cost.total_yen)}")
    return lines


def loan_costed(cost: Cost) -> str:
    """The loan an estimate is for, as a sentence's object: 「3,000万円を7年（うち据置1年）」."""
    grace = f"（うち据置{textfmt.months(cost.grace_months)}）" if cost.grace_months else ""
    return f"{textfmt.yen(cost.amount_yen)}を{textfmt.months(cost.term_months)}{grace}"


def monthly_lines(cost: Cost) -> list[str]:
    """The monthly payments in a table cell of two lines: 「据置中 55,000円」「据置後 476,667円」 with
    a grace (the first instalment after it), else 「初回 …円」「最終回 …円」 (元金均等 falls month by
    month: the first is the most); a bullet's 「毎月（利息） …円」「最終回 …円」."""
    if cost.method == "bullet":
        return [f"毎月（利息） {cost.monthly_first:,}円", f"最終回 {cost.monthly_last:,}円"]
    if cost.monthly_during_grace is not None:
        return [f"据置中 {cost.monthly_during_grace:,}円", f"据置後 {cost.monthly_first:,}円"]
    if cost.monthly_first == cost.monthly_last:
        return [f"毎月 {cost.monthly_first:,}円"]
    return [f"初回 {cost.monthly_first:,}円", f"最終回 {cost.monthly_last:,}円"]


def yen_lines(low: int, high: int | None) -> list[str]:
    """A range of yen in a narrow cell, a line an end: 「290,250円」「〜1,225,500円」; one figure
    where both ends agree; 「279,583円〜」「（保証料別）」 without an upper end."""
    if high is None:
        return [f"{low:,}円〜", "（保証料別）"]
    return [f"{low:,}円"] if low == high else [f"{low:,}円", f"〜{high:,}円"]


def yen_range(low: int, high: int | None) -> str:
    """「1,038,750〜1,437,500円」, 「440,000円」, 「279,583円〜（保証料別）」 (no upper end)."""
    if high is None:
        return f"{low:,}円〜（保証料別）"
    return f"{low:,}円" if low == high else f"{low:,}〜{high:,}円"
