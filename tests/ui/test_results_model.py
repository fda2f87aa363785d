"""The results model passes Qt's model tester, empty and filled."""

from __future__ import annotations

from PySide6.QtCore import Qt

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


FITTING = answers.report()._replace(funds=(
    *(answers.fund(id=f"f{n}", status="eligible" if n < 3 else "conditional") for n in range(5)),
    answers.fund(id="closed", status="ineligible")))


def _row(model: ResultsTreeModel, group: int, row: int):
    return model.index(row, 0, model.index(group, 0))


def test_the_funds_that_fit_can_be_ticked_and_a_fourth_is_refused_in_words(qtbot, qtmodeltester):
    model = ResultsTreeModel()
    model.set_report(FITTING)
    qtmodeltester.check(model)
    checked, unchecked = Qt.CheckState.Checked, Qt.CheckState.Unchecked
    assert model.flags(_row(model, 0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(_row(model, 4, 0)) & Qt.ItemFlag.ItemIsUserCheckable      # a closed fund
    assert not model.flags(_row(model, 0, 0).siblingAtColumn(2)) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.data(_row(model, 4, 0), Qt.ItemDataRole.CheckStateRole) is None
    for group, row in ((1, 1), (0, 2), (0, 0)):
        with qtbot.waitSignal(model.ticks_changed):
            assert model.setData(_row(model, group, row), checked.value, Qt.ItemDataRole.CheckStateRole)
    assert [f.id for f in model.ticked()] == ["f0", "f2", "f4"]      # the answer's order, not the ticking's
    with qtbot.waitSignal(model.tick_refused) as refused, qtbot.assertNotEmitted(model.ticks_changed):
        assert not model.setData(_row(model, 0, 1), checked.value, Qt.ItemDataRole.CheckStateRole)
    assert refused.args == ["比較は3件までです。ほかの資金の✓を外してから加えてください。"]
    assert model.data(_row(model, 0, 1), Qt.ItemDataRole.CheckStateRole) == unchecked
    assert model.setData(_row(model, 0, 0), unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.setData(_row(model, 0, 1), checked.value, Qt.ItemDataRole.CheckStateRole)
    assert [f.id for f in model.ticked()] == ["f1", "f2", "f4"]


def test_a_ticked_fund_stays_ticked_while_it_fits_and_drops_out_when_it_no_longer_does(qtbot):
    model = ResultsTreeModel()
    model.set_report(FITTING)
    model.tick("f0")
    model.tick("f4")
    with qtbot.assertNotEmitted(model.ticks_changed):
        model.set_report(FITTING)
    closed = FITTING._replace(funds=tuple(f._replace(status="ineligible") if f.id == "f4" else f
                                          for f in FITTING.funds))
    with qtbot.waitSignal(model.ticks_changed):
        model.set_report(closed)
    assert [f.id for f in model.ticked()] == ["f0"]
