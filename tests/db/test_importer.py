"""Import: all-or-nothing, a pack replaces itself whole, edits are reported first."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import models as m
from desk.db import setup
from desk.db.packs.importer import EditsWouldBeLost
from desk.db.packs.schema import PackInvalid
from tests.packs import PROGRAM, PROVIDER, write_pack


def count(engine, model) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_import_then_replace_the_same_pack(empty_engine, tmp_path):
    setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER + PROGRAM)])
    assert count(empty_engine, m.Variant) == 1
    changed = PROGRAM.replace("amount_yen: 80000000", "amount_yen: 40000000")
    (summary,) = setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER + changed)])
    assert summary.replaced_version == "1"
    with Session(empty_engine) as s:
        assert s.scalars(select(m.Variant.limit_yen)).all() == [40_000_000]
        assert s.scalar(select(func.count()).select_from(m.RateTier)) == 2  # old tiers gone, not doubled


def test_a_bad_pack_changes_nothing(empty_engine, tmp_path):
    good = write_pack(tmp_path, PROVIDER + PROGRAM)
    setup.import_files(empty_engine, [good])
    with Session(empty_engine) as s:
        before = s.scalar(select(m.DataPack.checksum))
    bad = write_pack(tmp_path, PROVIDER + PROGRAM.replace("amount_yen: 80000000", "amount_yen: oops"),
                     pack_id="test-pack", name="bad.yaml")
    with pytest.raises(PackInvalid) as info:
        setup.import_files(empty_engine, [bad])
    assert str(info.value).startswith("bad.yaml:")
    with Session(empty_engine) as s:
        assert s.scalar(select(m.DataPack.checksum)) == before
        assert s.scalars(select(m.Variant.limit_yen)).all() == [80_000_000]


def test_one_bad_pack_among_several_imports_none(empty_engine, tmp_path):
    first = write_pack(tmp_path, PROVIDER, pack_id="first")
    second = write_pack(tmp_path, PROGRAM.replace("provider: testpref", "provider: nowhere"), pack_id="second")
    with pytest.raises(PackInvalid) as info:
        setup.import_files(empty_engine, [first, second])
    assert "provider 'nowhere' がどのパックにもありません" in str(info.value)
    assert count(empty_engine, m.DataPack) == 0


def test_references_may_cross_packs(empty_engine, tmp_path):
    setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER, pack_id="rules")])
    setup.import_files(empty_engine, [write_pack(tmp_path, PROGRAM, pack_id="loans")])
    assert count(empty_engine, m.Program) == 1


def test_removing_what_another_pack_uses_is_refused(empty_engine, tmp_path):
    setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER, pack_id="rules"),
                                      write_pack(tmp_path, PROGRAM, pack_id="loans")])
    emptied = write_pack(tmp_path, "plans: []\n", pack_id="rules")
    with pytest.raises(PackInvalid, match="provider 'testpref' が取り込み後になくなります"):
        setup.import_files(empty_engine, [emptied])
    assert count(empty_engine, m.Provider) == 1


def test_an_id_owned_by_another_pack_is_refused(empty_engine, tmp_path):
    setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER, pack_id="one")])
    with pytest.raises(PackInvalid, match="別のパック 'one'"):
        setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER, pack_id="two")])


def test_admin_edits_are_reported_before_they_are_overwritten(empty_engine, tmp_path):
    path = write_pack(tmp_path, PROVIDER + PROGRAM)
    setup.import_files(empty_engine, [path])
    with Session(empty_engine) as s, s.begin():
        variant = s.get(m.Variant, "testpref.fund.main")
        variant.limit_yen = 90_000_000
        variant.edited_at = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(EditsWouldBeLost) as info:
        setup.import_files(empty_engine, [path])
    assert "testpref.fund.main" in str(info.value)
    with Session(empty_engine) as s:
        assert s.get(m.Variant, "testpref.fund.main").limit_yen == 90_000_000
    setup.import_files(empty_engine, [path], overwrite_edits=True)
    with Session(empty_engine) as s:
        assert s.get(m.Variant, "testpref.fund.main").limit_yen == 80_000_000


def test_plans_and_questions_must_exist(empty_engine, tmp_path):
    body = PROVIDER + PROGRAM.replace(
        "          - {check: employees_at_most, params: {limit: 20, commerce_limit: 5}, text: 従業員20人以下}",
        "          - {check: plan_any, params: {any_of: [no_such_plan]}}\n"
        "          - {check: answer, params: {question: no_such_question, equals: true}}")
    with pytest.raises(PackInvalid) as info:
        setup.import_files(empty_engine, [write_pack(tmp_path, body)])
    assert "計画 'no_such_plan'" in str(info.value)
    assert "質問 'no_such_question'" in str(info.value)


def test_db_check_finds_a_broken_reference(empty_engine, tmp_path):
    setup.import_files(empty_engine, [write_pack(tmp_path, PROVIDER + PROGRAM)])
    assert setup.check(empty_engine).ok
    with Session(empty_engine) as s, s.begin():
        s.get(m.Program, "testpref.fund").provider_id = "gone"
    result = setup.check(empty_engine)
    assert not result.ok
    assert result.problems == ["testpref.fund: provider 'gone' がありません"]


KINDS = """\
plans:
  - {id: test_plan, name: テスト計画の認定, how: テスト計画を作って認定を受ける}
situations:
  - {id: test_damage, name: 被害を受けた, choosable: false}
  - {id: test_project, name: 新しい取組をする, choosable: true, step: 新しい取組を始める}
questions:
  - {id: q_damage, text: 被害を受けた, type: bool, kind: situation, implies: test_damage, reason: 事情そのもの}
  - {id: q_plan, text: 計画の認定を受けた, type: bool, kind: plan, implies: test_plan}
  - id: q_detail
    text: 被害は大きい
    type: bool
    family: [test_damage, equipment]
    reason: 被害を受けた方にだけ聞く
    settled_by:
      - {when: {check: entity_in, params: {entities: [npo]}}, value: false, reason: テスト用の導出}
"""


def test_situations_and_what_each_question_stands_for_are_loaded(empty_engine, tmp_path):
    from desk.db.loaders import load_catalogue

    setup.import_files(empty_engine, [write_pack(tmp_path, KINDS)])
    with Session(empty_engine) as s:
        assert s.get(m.Situation, "test_project").step == "新しい取組を始める"
        detail = s.get(m.Question, "q_detail")
        assert (detail.kind, detail.family, detail.settled_by[0]["value"]) == ("question", ["test_damage", "equipment"],
                                                                            False)
    with Session(empty_engine) as s:
        catalogue = load_catalogue(s)
    assert catalogue.situations["test_damage"].choosable is False
    assert catalogue.questions["q_damage"].implies == "test_damage"
    assert catalogue.questions["q_detail"].settled_by[0].when["check"] == "entity_in"


@pytest.mark.parametrize(("change", "message"), [
    ("implies: test_damage, reason", "implies 'nothing' がどのパックの situations にもありません"),
    ("family: [test_damage, equipment]", "family 'elsewhere' は計画・事情・資金使途・原因のどれでもありません"),
    ("kind: plan, implies: test_plan", "implies 'nothing' がどのパックの plans にもありません"),
])
def test_what_a_question_stands_for_must_exist(empty_engine, tmp_path, change, message):
    broken = KINDS.replace(change, change.replace("test_damage", "nothing", 1).replace("test_plan", "nothing")
                           .replace("equipment", "elsewhere"))
    with pytest.raises(PackInvalid, match=message):
        setup.import_files(empty_engine, [write_pack(tmp_path, broken)])
    assert count(empty_engine, m.DataPack) == 0


def test_a_pack_that_removes_records_needs_consent_and_lists_them(catalogue_engine, tmp_path):
    """Issue 15, item 17: 10 of 11 programs and every office went without a word."""
    from desk.db.packs.importer import RemovalsNeedConsent
    from tests.conftest import PACKS_DIR
    from tests.packs import gutted_sagamihara

    gutted = tmp_path / "sagamihara-fy2025.yaml"
    gutted.write_text(gutted_sagamihara((PACKS_DIR / "sagamihara-fy2025.yaml").read_text(encoding="utf-8")),
                      encoding="utf-8")
    with Session(catalogue_engine) as s:
        before = s.scalar(select(func.count()).select_from(m.Program))
    with pytest.raises(RemovalsNeedConsent) as info:
        setup.import_files(catalogue_engine, [gutted])
    kinds = [r.kind for r in info.value.removals]
    assert kinds.count("program") == 10 and kinds.count("office") == 26
    assert "制度 sagamihara.koguchi（小企業小口資金）" in str(info.value)
    with Session(catalogue_engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Program)) == before   # nothing changed
    (summary,) = setup.import_files(catalogue_engine, [gutted], allow_removals=True)
    assert len(summary.removed) == 36
    with Session(catalogue_engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Program)) == before - 10


def test_a_fifo_or_a_folder_as_a_pack_is_a_pack_problem_not_a_hang(tmp_path):
    """Issue 15, item 7: validate and import (the app's too) read packs through desk.fileio."""
    import os

    from desk.db.packs.importer import read_packs
    from tests.test_fileio import outcome_within

    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    refused = outcome_within(5, read_packs, [fifo])
    assert isinstance(refused, PackInvalid) and "pack.yaml: 通常のファイルではないため読みません" in str(refused)
    with pytest.raises(PackInvalid, match="フォルダ"):
        read_packs([tmp_path])
