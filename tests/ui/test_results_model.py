"""The results model passes Qt's model tester, empty and filled."""

from __future__ import annotations

from desk.ui.results_model import ProgramRole, ResultsTreeModel
from tests import answers

REPORT = answers.report()._replace(funds=(
    answers.fund(id="a", name="日産自動車関連対策特別融資", provider="神奈川県", status="eligible", reasons=(),
                 remaining_limit_yen=80_000_000, own_rate_pct=None, rate_pct=1.8, rate_tiers=(),
                 guarantee_fee_pct=(0.225, 0.95), stale=False),
    answers.fund(id="b", name="景気対策特別資金", provider="相模原市", status="conditional", reasons=("確認が必要",),
                 remaining_limit_yen=30_000_000, own_rate_pct=1.1, rate_pct=2.0, rate_tiers=(),
                 guarantee_fee_pct=None, stale=True),
))


def test_model_tester_empty_and_filled(qtmodeltester):
    model = ResultsTreeModel()
    qtmodeltester.check(model)
    model.set_report(REPORT)
    qtmodeltester.check(model)
    eligible = model.index(0, 0)
    assert model.data(eligible) == "対象（1）" and model.rowCount(eligible) == 1
    fund = model.index(0, 0, eligible)
    assert model.data(fund) == "日産自動車関連対策特別融資" and model.data(fund, ProgramRole) == "a"
    assert model.data(model.index(0, 4, eligible)) == "0.225〜0.95%"
    conditional = model.index(1, 0)
    assert model.data(model.index(0, 0, conditional)) == "景気対策特別資金（前年度の資料）"
    assert model.data(model.index(0, 3, conditional)) == "1.1%"
    assert model.data(model.index(0, 4, conditional)) == "—"        # an unknown fee, for staff at the counter
    assert model.data(model.index(0, 2, conditional)) == "3,000万円"
    assert model.fund(model.index(0, 0, conditional)) is REPORT.funds[1]
    assert model.parent(fund) == eligible
