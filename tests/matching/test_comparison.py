"""The comparison in words: a row per figure, a column per fund; an unknown fee is never free."""

from __future__ import annotations

from desk.costs.cost import Cost
from desk.costs.estimate import Request
from desk.matching import comparison
from desk.matching.comparison import UNKNOWN_FEE, Column
from tests import answers

SHARED = ("利率は各資金の上限の値で計算。", "元金均等返済（毎月）で計算。", "2026年11月22日時点の条件。")
COST = Cost(amount_yen=30_000_000, term_months=84, grace_months=12, method="equal_principal",
            monthly_during_grace=55_000, monthly_first=471_667, monthly_last=417_431, interest_yen=2_667_500,
            city_share_yen=0, own_interest_yen=2_667_500, guarantee_fee_yen=(215_943, 911_762),
            total_yen=(2_883_443, 3_579_262), assumptions=SHARED, rate_pct=2.2, city_share_pct=None)
CAPPED = COST._replace(amount_yen=20_000_000, total_yen=(2_000_000, 2_500_000),
                       assumptions=("ご希望額のうち、この資金で借りられる2,000万円で計算しています。", *SHARED,
                                    "保証が任意の資金は、保証を付ける場合の額（付けなければ保証料なし）。"))
NO_FEE = COST._replace(guarantee_fee_yen=None, total_yen=(1_500_000, None), rate_pct=2.5, city_share_pct=1.2,
                       city_share_yen=600_000, assumptions=(*SHARED, "保証料が資料にない資金は、保証料を含みません。"))
REQUEST = Request(30_000_000, 84, 12, None)


def _table(*costs: Cost | None) -> dict[str, tuple[str, ...]]:
    columns = [Column(answers.fund(id=f"f{n}", cost=cost), cost) for n, cost in enumerate(costs)]
    return {row.label: row.cells for row in comparison.rows(columns, REQUEST)}


def test_each_figure_is_a_row_and_each_fund_a_column():
    table = _table(COST, CAPPED)
    assert table["試算した借入"] == ("3,000万円・7年（うち据置1年）\n元金均等返済",
                                   "2,000万円・7年（うち据置1年）\n元金均等返済")
    assert table["毎月（据置中）"][0] == "55,000円" and table["毎月（初回）"][0] == "471,667円"
    assert table["利息"][0] == "2,667,500円" and table["うち市の利子補給"][0] == "なし"
    assert table["保証料"][0] == "215,943〜911,762円" and table["ご負担の合計（目安）"][0] == "2,883,443〜3,579,262円"


def test_a_fee_the_seeds_do_not_give_is_never_shown_as_free():
    table = _table(NO_FEE)
    assert table["保証料"] == (UNKNOWN_FEE,)
    assert table["ご負担の合計（目安）"] == (f"1,500,000円＋保証料（{UNKNOWN_FEE}）",)
    assert table["融資利率"] == ("2.5%（市の利子補給 1.2%、ご負担 1.3%）",)
    assert table["うち市の利子補給"] == ("600,000円",)
    assert comparison.cheapest([Column(answers.fund(), NO_FEE), Column(answers.fund(), COST)]) is None


def test_where_a_cap_applied_it_is_said_and_what_all_assume_is_said_once():
    columns = [Column(answers.fund(), COST), Column(answers.fund(), CAPPED)]
    table = {row.label: row.cells for row in comparison.rows(columns, REQUEST)}
    assert table["この資金での調整"] == ("ご希望どおり",
                                     "ご希望額のうち、この資金で借りられる2,000万円で計算しています。")
    assert comparison.shared_assumptions(columns) == SHARED
    assert table["この資金の前提"] == ("—", "保証が任意の資金は、保証を付ける場合の額（付けなければ保証料なし）。")
    assert comparison.cheapest(columns) == 1
    assert table["計算の前提（共通）"] == ("\n".join(f"※{a}" for a in (*SHARED, comparison.REVIEW)), "")
    assert table["ご負担の合計（目安）"] == ("2,883,443〜3,579,262円", "2,000,000〜2,500,000円\n（この中で最も安い）")


def test_a_fund_without_a_figure_says_why():
    table = _table(None)
    assert table["試算した借入"] == ("期間を入れると試算します",) and table["利息"] == ("—",)
    no_amount = comparison.rows([Column(answers.fund(), None)], Request(None, 60, None, None))
    assert no_amount[2].cells == ("借入額を入れると試算します",)


def test_a_grace_over_the_funds_limit_and_the_term_is_one_adjustment():
    """The comparison's 「この資金での調整」 cell: a line for the grace, the one actually used."""
    import datetime as dt

    from desk.costs.estimate import estimate
    from tests.costs.test_estimate import KANAGAWA_LIKE
    from tests.costs.test_guarantee_fee import STANDARD

    request = Request(10_000_000, 12, 24, None)
    cost = estimate(request, KANAGAWA_LIKE._replace(max_grace_months=12), STANDARD, on=dt.date(2026, 11, 22))
    assert cost is not None and cost.grace_months == 11
    cells = {row.label: row.cells for row in comparison.rows([Column(answers.fund(), cost)], request)}
    assert cells["この資金での調整"] == ("ご希望の据置期間はこの資金の上限（1年）を超え、"
                                     "据置は期間（1年）より短くなければならないため、11か月で計算しています。",)
    assert cells["試算した借入"] == ("1,000万円・1年（うち据置11か月）\n元金均等返済",)
