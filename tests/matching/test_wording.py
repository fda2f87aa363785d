"""The words for a fund: one function per figure, the surface's choice explicit."""

from __future__ import annotations

import pytest

from desk.matching import wording
from desk.matching.answer import FundTodo, RateTier, SourceRef
from tests.answers import fund

TIERS = (RateTier(24, 1.5), RateTier(60, 1.8), RateTier(None, 2.2))


def test_an_unknown_fee_is_a_dash_for_staff_and_spelled_out_for_the_visitor():
    unknown = fund(guarantee_fee_pct=None)
    assert wording.fee(unknown) == "—"
    assert wording.fee(unknown, unknown=wording.SHEET_UNKNOWN_FEE) == "資料に記載なし"
    assert wording.fee(fund(guarantee_fee_pct=(0.225, 0.95))) == "0.225〜0.95%"
    assert wording.fee(fund(guarantee_fee_pct=(0.8, 0.8)), unknown="x") == "0.8%"


def test_the_limit_says_what_is_left_for_this_visitor():
    full = fund(limit_yen=80_000_000, remaining_limit_yen=80_000_000, separate_limit=False)
    assert wording.limit_with_available(full) == "8,000万円" and wording.available(full) == "8,000万円"
    left = fund(limit_yen=80_000_000, remaining_limit_yen=75_000_000, separate_limit=True)
    assert wording.limit_with_available(left) == "別枠 8,000万円（ご利用できる額 7,500万円）"
    assert (wording.limit(left), wording.available(left)) == ("8,000万円", "7,500万円")
    assert wording.limit_with_available(fund(limit_yen=None, remaining_limit_yen=None)) == "—"


@pytest.mark.parametrize(("changes", "visitor", "for_term"), [
    ({"rate_pct": 1.8, "rate_tiers": TIERS}, "1.8%", "年1.8%以内"),
    ({"rate_pct": None, "rate_tiers": TIERS}, "1.5〜2.2%",   # no term: the span in a cell, the table on paper
     "2年以内 1.5%以内 / 2年超5年以内 1.8%以内 / 5年超 2.2%以内"),
    ({"rate_pct": None, "rate_tiers": ()}, "—", "金融機関所定"),
    ({"rate_pct": 1.8, "city_share_pct": 0.7, "own_rate_pct": 1.1}, "1.1%",
     "年1.8%以内（市の利子補給 0.7%、ご負担 1.1%）"),
])
def test_the_rate_is_what_the_visitor_pays_in_a_cell_and_the_guides_wording_on_the_sheet(changes, visitor, for_term):
    f = fund(**changes)
    assert wording.visitor_rate(f) == visitor
    assert wording.rate_for_term(f) == for_term


def test_the_detail_pane_has_room_for_the_whole_rate_table():
    assert wording.rate_tiers(fund(rate_tiers=TIERS)) == "2年以内 1.5%以内 / 2年超5年以内 1.8%以内 / 5年超 2.2%以内"
    assert wording.rate_tiers(fund(rate_tiers=(RateTier(None, None),))) == "金融機関所定"


def test_term_and_grace():
    assert wording.term(fund(max_term_months=120, grace_months=12)) == "最長10年（据置1年以内）"
    assert wording.term(fund(max_term_months=None, grace_months=None)) == "—"


def test_a_term_that_differs_by_use_is_given_by_use_with_uses_of_one_term_together():
    """日産 and 原油 (the 2025-05-07 release): working capital 10 years, equipment 15; not 「最長15年」."""
    nissan = fund(max_term_months=180, grace_months=12,
                  term_by_use=(("working", 120), ("equipment", 180), ("refinance", 120)))
    assert wording.term(nissan) == "運転資金・借換 最長10年、設備資金 最長15年（据置1年以内）"
    same = fund(max_term_months=120, grace_months=None, term_by_use=(("working", 120), ("equipment", 120)))
    assert wording.term(same) == "最長10年"


def test_a_todo_names_its_place_once():
    tax = FundTodo("納税証明書等", "ご自身で用意", None, "document")
    assert wording.todo_text(tax) == "納税証明書等（ご自身で用意）"
    certificate = FundTodo("横須賀市の認定書", "横須賀市", "muni.yokosuka", "certificate")
    assert wording.todo_text(certificate) == "横須賀市の認定書"
    assert wording.todo_text(FundTodo("確認", None, None, "confirm")) == "確認"


def test_source_lines_mark_last_years_papers():
    assert wording.source_line(fund()) == "神奈川県の資料（2026-04-01 時点）"
    assert wording.source_line(fund(stale=True, provider="相模原市", data_as_of="2025-04-01")) == \
        "※相模原市の前年度（2025-04-01 時点）の資料"
    # People read the document's title; the seed file is for staff, labelled, in the detail pane.
    assert wording.source_entry(fund(data_as_of=None)) == "神奈川県の資料（日付なし 時点）"
    titled = fund(source=SourceRef("002.txt", "経営安定資金", "神奈川県中小企業制度融資 令和8年度"))
    assert wording.source_entry(titled) == "神奈川県中小企業制度融資 令和8年度（2026-04-01 時点）"
    assert wording.source_detail(titled) == \
        "出典: 神奈川県中小企業制度融資 令和8年度 経営安定資金（2026-04-01 時点）"
    assert wording.listed_name(fund(stale=True)) == "日産自動車関連対策特別融資（前年度の資料）"
    assert wording.uses(fund(uses=("working", "equipment"))) == "運転資金・設備資金"
    assert wording.uses(fund(uses=())) == "—"


def test_an_office_without_a_phone_says_what_to_do_instead():
    from tests.answers import contact

    town_hall = contact("muni.yokosuka", role="municipality", phone=None)
    assert wording.phone(town_hall) == "代表電話で「セーフティネット保証の認定」の担当課をお尋ねください"
    assert wording.phone(contact("x", role="chamber", phone=None)) == "—"
    assert wording.phone(contact("x", phone="046-822-3821")) == "046-822-3821"
