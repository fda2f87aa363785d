"""The referral sheet's content, computed from a match: every string the visitor reads.

:func:`build_sheet` turns a match's :class:`~desk.matching.answer.MatchReport` and the
intake into a :class:`ReferralSheet` of plain strings and rows; the PDF renderer
only lays it out (it computes and formats nothing). The sheet lists the suitable
funds (eligible, then conditional), what to obtain first and where, the next steps,
whom to see, and the caveat that the bank's and the guarantee association's review
decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from desk import textfmt, vocab
from desk.costs.cost import Cost
from desk.intake.reader import Intake
from desk.matching import wording
from desk.matching.answer import (
    CONDITIONAL,
    ELIGIBLE,
    INELIGIBLE,
    Contact,
    FundResult,
    FundTodo,
    MatchReport,
    SalesFigures,
)
from desk.matching.contacts import UNDATED
from desk.matching.routes import circumstances, openings
from desk.matching.wording import todo_text
from desk.sheets.cost_table import CostTable, cost_table
from desk.vocab import HOME_PREFECTURE, HOTLINE_OFFICE_ID

TITLE = "融資制度のご案内"
CAVEAT = ("このご案内は、窓口でお伺いした内容をもとにした事前の目安です。融資を受けられるか、"
          "またその条件は、取扱金融機関と{association}（保証を付す場合）の審査で決まります。"
          "利率・保証料率は市中金利の動向や補助の見直しにより変わることがあります。")
# 個人情報の取扱い (issue 17): the purpose is the window's setting (desk.settings.PRIVACY_PURPOSE_DEFAULT).
PRIVACY = "個人情報の取扱い: {purpose}"
HOME_ASSOCIATION = f"{HOME_PREFECTURE}信用保証協会"   # a business elsewhere: its own prefecture's association
SIZE_CLASSES = {"micro": "小規模企業者", "small": "小規模事業者（30人以下）", "sme": "中小企業者",
                "large": "中小企業者に当たりません"}
FLOW = (
    ("取扱金融機関に相談", "まずは取引のある金融機関（取扱金融機関）に、このご案内をお持ちください。"),
    ("認定書・確認書の取得",
     "資金によっては、市区町村などの認定書・確認書が先に必要です（1ページ目の「先に用意すること」）。"),
    ("金融機関で申込み", "必要書類をそろえて、取扱金融機関に申し込みます。"),
    ("審査", "取扱金融機関と信用保証協会（保証を付す場合）が審査します。"),
    ("契約・融資の実行", "金融機関と契約し、融資が実行されます。"),
    ("信用保証料の支払い", "保証を付す場合は、所定の信用保証料を支払います。"),
    ("返済", "毎月、所定の返済をします。返済が難しくなりそうなときは、早めに金融機関にご相談ください。"),
)
ALWAYS_BRING = ("決算書（直近2期分）又は確定申告書", "試算表など最近の売上が分かる資料", "本人確認書類・印鑑")
FOUNDER_BRING = ("創業計画（事業の内容・必要な資金とその見積書）", "自己資金が分かる資料（通帳など）",
                 "本人確認書類・印鑑")
# A sheet an older owner can act on, in two pages: page 1 the facts, a handful of funds (the
# cheapest first) and their costs side by side, page 2 the best step that would open more, whom to
# see and the caveats; the rest as 「ほかにX件（窓口でご説明します）」. Sized so that a typical visitor's
# sheet fits the first time: each line shortened away is a whole layout again. With the cost
# comparison, every visitor of examples/ and tests/matching/visitors with three eligible funds was
# laid out again with two: two it is.
MAX_FUNDS = 3
MAX_ELIGIBLE = 2
MAX_CONDITIONAL = 1
MAX_OPENINGS = 1   # beside the costs, one route fits page 2 with the rest (more: 「ほかにN件」)
MAX_WARNINGS = 6  # the answer's caveats printed; an intake could make thousands (issue 15, item 7)
MAX_PAGES = 2     # the sheet's budget: page 1 the facts and funds, page 2 the way on
UNDATED_NOTE = "※の相談先は日付のない資料によるもので、名称・電話番号が変わっている可能性があります。"
REFERRAL_ROLES = {"guarantee_branch": 1, "chamber": 1, "municipality": 1, "window": 1, "support_center": 1}
# A visitor from another prefecture is referred to that prefecture's own desks (seed 001).
OUTSIDE_ROLES = {"prefecture": 1, "support_center": 1, "federation": 1, "revitalization": 1}


@dataclass(frozen=True)
class FundRow:
    name: str
    provider: str
    status: str              # eligible | conditional
    uses: str
    limit: str               # 限度額 and what is left for this visitor
    rate: str                # for the wanted term, with the city's share and the own rate
    term: str
    fee: str
    todo: list[str]          # what to obtain first, and where
    reasons: list[str]       # what is still unsettled (conditional)
    source: str
    stale: bool
    estimate: Cost | None = None   # the answer's cost, for the comparison (desk.sheets.cost_table)


@dataclass(frozen=True)
class OpeningRow:
    step: str                # what to do, and where to start
    funds: str               # the funds it would open


@dataclass(frozen=True)
class ContactRow:
    role: str
    name: str
    address: str
    phone: str
    hours: str
    distance: str
    why: str
    url: str | None          # ASCII URL of an official page given by the seeds (QR code)
    undated: bool = False    # from the undated national directory (said once under the table, not per row)


@dataclass
class ReferralSheet:
    title: str
    date_label: str
    reference_no: str
    window_name: str
    window_phone: str
    staff_name: str | None
    business: list[tuple[str, str]]          # (label, value) rows; no personal names unless entered
    eligible: list[FundRow]
    conditional: list[FundRow]
    more_conditional: int                    # conditional funds not printed
    steps: list[tuple[str, str]]
    bring: list[str]
    contacts: list[ContactRow]
    caveat: str
    warnings: list[str]
    sources: list[str]
    hotline: ContactRow | None = None
    qr: list[tuple[str, str]] = field(default_factory=list)   # (label, ASCII url)
    more_eligible: int = 0                   # eligible funds not printed (costlier ones)
    openings: list[OpeningRow] = field(default_factory=list)   # the best steps that would open closed funds
    more_openings: int = 0
    circumstances: list[str] = field(default_factory=list)   # the unmentioned ones funds are made for
    reissue: str | None = None   # on a sheet printed again from the log: 再発行, when, and why it may differ
    costs: CostTable | None = None   # the printed funds side by side on what they cost
    more_warnings: int = 0       # caveats not printed (past MAX_WARNINGS)
    elsewhere: str | None = None   # a business in another prefecture, no fund listed: where to ask instead
    privacy: str = ""            # 個人情報の取扱い: the purpose of use; shared only with consent


def reiwa(day: dt.date) -> str:
    """2026-11-22 → 令和8年11月22日（2026年）."""
    era = day.year - 2018
    return f"令和{era}年{day.month}月{day.day}日（{day.year}年）"


def _sales_line(sales: SalesFigures) -> str | None:
    parts = []
    labels = (("最近1か月", sales.last_1m_pct), ("最近3か月", sales.last_3m_pct), ("最近6か月", sales.last_6m_pct),
              ("今後3か月の見込み", sales.next_3m_forecast_pct))
    for label, figures in labels:
        value = (figures or (None,))[0]
        if value is not None:
            parts.append(f"{label} 前年同期比 {'▲' if value < 0 else '+'}{abs(value):.1f}%")
    if sales.last_fy_pct is not None:
        value = sales.last_fy_pct
        parts.append(f"直近決算期 {'▲' if value < 0 else '+'}{abs(value):.1f}%")
    return "、".join(parts) or None


def _business(intake: Intake, report: MatchReport) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if intake.business_name:
        rows.append(("事業者名", intake.business_name))
    if intake.visitor_name:
        rows.append(("ご来訪者", intake.visitor_name))
    who = [vocab.ENTITIES.get(intake.entity or "", ""), vocab.INDUSTRIES.get(intake.industry or "", "")]
    rows.append(("事業", "・".join(w for w in who if w) or "—"))
    size_text = SIZE_CLASSES.get(report.sme.size_class or "", "")
    staff = f"従業員{intake.employees:g}人" if intake.employees is not None else ""
    capital = f"資本金{textfmt.yen(intake.capital_yen)}" if intake.capital_yen is not None else ""
    rows.append(("規模", "、".join(p for p in (size_text, staff, capital) if p) or "—"))
    rows.append(("所在地", report.place or "—"))
    needs = []
    if intake.purposes:
        needs.append("・".join(vocab.PURPOSES[p] for p in intake.purposes))
    if intake.amount_yen is not None:
        needs.append(f"{textfmt.yen(intake.amount_yen)}")
    if intake.term_months is not None:
        needs.append(f"期間{textfmt.months(intake.term_months)}")
    rows.append(("資金のご希望", "、".join(needs) or "—"))
    sales = _sales_line(report.sales_change)
    causes = "・".join(vocab.CAUSES[c] for c in intake.causes or ())
    if sales or causes:
        rows.append(("売上の状況", "、".join(p for p in (sales, f"原因: {causes}" if causes else "") if p)))
    return rows


def _actionable(fund: FundResult) -> bool:
    """A conditional fund the visitor can act on: nothing waits on a question staff have not asked."""
    return not any(t.kind == "question" for t in fund.todos)


def _fund(fund: FundResult, common: set[str]) -> FundRow:
    # A certificate the check asks for and the fund's own document line name the same office: once.
    # Papers every printed fund asks for are said once, under お持ちいただくもの; a paper of this
    # fund's own (the bank's confirmation of the decline for 売上減少 funds) stays in its row too.
    # One certificate per issuing office: the check's 「認定を受ける」 and the fund's 「認定書」 are one paper.
    first_certificate: dict[str, FundTodo] = {}   # issuing office -> the certificate listed for it
    for t in fund.todos:
        if t.kind == "certificate" and t.where:
            first_certificate.setdefault(t.where, t)
    todo = [todo_text(t) for t in fund.todos if todo_text(t) not in common
            and not (t.kind == "document" and t.where in first_certificate)
            and not (t.kind == "certificate" and t.where and first_certificate[t.where] is not t)]
    return FundRow(
        name=fund.name, provider=fund.provider, status=fund.status, uses=wording.uses(fund),
        limit=wording.limit_with_available(fund), rate=wording.rate_for_term(fund), term=wording.term(fund),
        fee=wording.fee(fund, unknown=wording.SHEET_UNKNOWN_FEE), todo=todo,
        reasons=list(fund.reasons)[:3] if fund.status != ELIGIBLE else [], source=wording.source_line(fund),
        stale=fund.stale, estimate=fund.cost)


def compared(funds: list[FundRow]) -> CostTable | None:
    """The listed funds side by side on their costs, in the order listed (each group cheapest first)."""
    return cost_table([(f.name, f.status, f.estimate) for f in funds])


def _bring_item(t: FundTodo) -> bool:
    """A paper the visitor prepares or brings (tax papers, forms, the bank's confirmation)."""
    return t.kind == "document" and t.where in (vocab.GENERIC_ISSUERS["applicant"],
                                                vocab.GENERIC_ISSUERS["bank"], None)


def _contact(c: Contact) -> ContactRow:
    url = c.url if c.url and c.url.isascii() else None
    why = c.why or ""
    # The directory's caveat, repeated on every row of a visitor from elsewhere, doubled their rows'
    # height and pushed the sheet onto a nearly blank second page: the sheet says it once.
    undated = why.endswith(UNDATED)
    return ContactRow(
        role=c.role_label, name=c.name, address=c.address or "", phone=wording.phone(c),
        hours=c.hours or "", distance=textfmt.distance(c.distance_km),
        why=why.removesuffix(UNDATED), url=url, undated=undated)


def _relevant_warnings(warnings: list[str], funds: list[FundRow]) -> list[str]:
    """The warnings about the funds printed: an older fiscal year's data only when such a fund is
    shown; none about the input (what staff typed is theirs to settle, never the visitor's to read)."""
    stale_providers = {f.provider for f in funds if f.stale}
    return [w for w in warnings if not wording.INPUT_KEY.match(w)
            and ("前年度の資料" not in w or any(w.startswith(p) for p in stale_providers))]



def build_sheet(report: MatchReport, intake: Intake, *, reference_no: str, window_name: str, window_phone: str,
                staff_name: str | None = None, privacy_purpose: str | None = None, max_eligible: int = MAX_ELIGIBLE,
                max_conditional: int = MAX_CONDITIONAL, max_funds: int = MAX_FUNDS) -> ReferralSheet:
    """The sheet for one consultation, from its match."""
    funds = [f for f in report.funds if f.kind == "loan" or f.status != INELIGIBLE]
    eligible_all = [f for f in funds if f.status == ELIGIBLE]
    conditional_all = [f for f in funds if f.status == CONDITIONAL]
    printed_eligible = eligible_all[:max_eligible]
    room = max(max_funds - len(printed_eligible), 1)   # a conditional fund, if any, always has a line
    printed_conditional = [f for f in conditional_all if _actionable(f)][:min(room, max_conditional)]
    printed = printed_eligible + printed_conditional
    # Papers every printed fund asks for are listed once, under お持ちいただくもの.
    common = set.intersection(*({todo_text(t) for t in f.todos} for f in printed)) if printed else set()
    eligible = [_fund(f, common) for f in printed_eligible]
    conditional = [_fund(f, common) for f in printed_conditional]
    contacts: list[ContactRow] = []
    seen_roles: dict[str, int] = {}
    at_home = (report.place or "").startswith(HOME_PREFECTURE)
    roles = REFERRAL_ROLES if at_home else OUTSIDE_ROLES
    for c in report.contacts:
        limit = roles.get(c.role, 0)  # best first within each role, as few as useful
        if seen_roles.get(c.role, 0) >= limit or (c.phone and c.phone == window_phone):
            continue   # the window issuing the sheet is at its head already
        seen_roles[c.role] = seen_roles.get(c.role, 0) + 1
        contacts.append(_contact(c))
    hotline = next((_contact(c) for c in report.contacts if c.id == HOTLINE_OFFICE_ID), None)
    qr = []
    for c in report.contacts:
        url = c.url
        if url and url.isascii() and c.role in ("national",) and "nearest" in url:
            qr.append(("最寄りの信用保証協会", url))
    bring = list(FOUNDER_BRING if intake.is_founder else ALWAYS_BRING)
    for item in sorted(common) + [todo_text(t) for f in printed for t in f.todos if _bring_item(t)]:
        if item not in bring:
            bring.append(item)
    sources = sorted({wording.source_entry(f) for f in funds if f.status != INELIGIBLE and f.source.file})
    steps = openings(report)
    warnings = _relevant_warnings(list(report.warnings), eligible + conditional)
    elsewhere = None
    if not at_home and not printed:
        # Said where the funds would be, in place of 「条件に当てはまる資金はありませんでした」 under a heading
        # of its own: a visitor from elsewhere learns first where to ask (and the sheet keeps to a page).
        for warning in warnings:
            prefecture = warning.partition("の")[0]
            if (report.place or "").startswith(prefecture) and \
                    warning == wording.OUTSIDE_PREFECTURE.format(prefecture=prefecture):
                warnings.remove(warning)
                elsewhere = (f"{warning}（下の「ご相談先」）。この窓口でご案内している融資制度は、"
                             f"{HOME_PREFECTURE}内の事業者が対象です。")
                break
    opening_rows = [OpeningRow(o.step, "、".join(dict.fromkeys(f.name for f in o.funds))) for o in steps[:MAX_OPENINGS]]
    return ReferralSheet(
        title=TITLE, date_label=reiwa(report.as_of), reference_no=reference_no, window_name=window_name,
        window_phone=window_phone, staff_name=staff_name or None, business=_business(intake, report),
        eligible=eligible, conditional=conditional, more_conditional=len(conditional_all) - len(conditional),
        more_eligible=len(eligible_all) - len(eligible),
        steps=list(FLOW), bring=bring, contacts=contacts,
        caveat=CAVEAT.format(association=HOME_ASSOCIATION if at_home else "信用保証協会"),
        warnings=warnings[:MAX_WARNINGS], more_warnings=max(len(warnings) - MAX_WARNINGS, 0),
        sources=sources, hotline=hotline, qr=qr, openings=opening_rows,
        more_openings=max(len(steps) - len(opening_rows), 0),
        circumstances=[c.name for c in circumstances(report)], costs=compared(eligible + conditional),
        elsewhere=elsewhere,
        privacy=PRIVACY.format(purpose=privacy_purpose.strip()) if privacy_purpose and privacy_purpose.strip() else "")


def shorter(sheet: ReferralSheet) -> ReferralSheet | None:
    """The sheet with its least useful line counted instead of printed, or None when nothing more
    can go: a route beyond the first, then a conditional fund beyond the first, then an eligible
    fund beyond the second (each list is best first, so the last goes), then the last route
    (「ほかにN件」 still says they exist)."""
    if len(sheet.openings) > 1:
        return replace(sheet, openings=sheet.openings[:-1], more_openings=sheet.more_openings + 1)
    if len(sheet.conditional) > 1:
        conditional = sheet.conditional[:-1]
        return replace(sheet, conditional=conditional, more_conditional=sheet.more_conditional + 1,
                       costs=compared(sheet.eligible + conditional))
    if len(sheet.eligible) > 2:
        eligible = sheet.eligible[:-1]
        return replace(sheet, eligible=eligible, more_eligible=sheet.more_eligible + 1,
                       costs=compared(eligible + sheet.conditional))
    if sheet.openings:
        return replace(sheet, openings=[], more_openings=sheet.more_openings + len(sheet.openings))
    return None
