"""The typed answer: every schema of the JSON it was ever written in reads back, and the current
schema is written exactly as it is read (frozen records in tests/matching/records)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.matching.answer import SCHEMA, MatchReport, SchemaError
from tests.answers import FUND

RECORDS = Path(__file__).parent / "records"


def _record(schema: int) -> dict:
    return json.loads((RECORDS / f"schema-{schema}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("schema", range(SCHEMA + 1))
def test_every_schema_ever_written_reads(schema):
    """schema-0.json: `desk match --json` of examples/intakes/yokosuka-supplier.json on 2026-11-22,
    made before the typed answer (what old consultation records and kept first views hold)."""
    report = MatchReport.from_json(_record(schema))
    assert report.as_of.isoformat() == "2026-11-22" and report.place == "神奈川県横須賀市"
    nissan = report.fund("kanagawa.nissan.main")
    assert nissan is not None and nissan.status == "eligible" and nissan.guarantee_fee_pct == (0.225, 0.95)
    assert [(t.max_months, t.rate_pct) for t in nissan.rate_tiers] == [(24, 1.5), (60, 1.8), (None, 2.2)]
    assert report.contacts[0].id == "kanagawa-cgc.yokosuka" and report.sme.size_class == "micro"
    if schema <= 3:   # later, the short answer (issue 13) asks this visitor nothing
        assert any(t.question for f in report.funds for t in f.todos), "a to-do waiting on a question"


def test_the_current_schema_is_written_as_it_is_read():
    current = _record(SCHEMA)
    assert current["schema"] == SCHEMA and next(iter(current)) == "schema"
    assert MatchReport.from_json(current).to_json() == current


def test_schema_0_is_schema_1_without_its_number():
    """Same keys, order and values: only the number was added (tools/outputs.sh leaves its line out)."""
    one = _record(1)
    assert one.pop("schema") == 1
    assert json.dumps(one, ensure_ascii=False) == json.dumps(_record(0), ensure_ascii=False)


def test_an_older_schema_reads_with_no_route_and_is_written_in_the_current_one():
    rewritten = MatchReport.from_json(_record(1)).to_json()
    assert rewritten["schema"] == SCHEMA
    added = ("route", "route_contact_id", "term_by_use_months", "cost")   # schemas 2, 3 and 4
    assert all(p[key] is None for p in rewritten["programs"] for key in added)
    assert all(p["source"]["title"] is None for p in rewritten["programs"])
    for program in rewritten["programs"]:
        for key in added:
            del program[key]
        del program["source"]["title"]
    assert {**rewritten, "schema": 1} == _record(1)


def test_schema_3_is_schema_2_with_the_terms_by_use():
    two, three = _record(2), _record(3)
    by_use = {p["id"]: p.pop("term_by_use_months") for p in three["programs"]}
    titles = {p["source"].pop("title") for p in three["programs"]}
    assert titles == {"神奈川県中小企業制度融資 令和8年度", "相模原市中小企業融資制度等 令和7年度"}
    assert by_use["kanagawa.nissan.main"] == {"working": 120, "equipment": 180, "refinance": 120}
    assert by_use["kanagawa.uriage-rieki.main"] is None
    assert {**three, "schema": 2} == two
    nissan = MatchReport.from_json(_record(3)).fund("kanagawa.nissan.main")
    assert nissan is not None and dict(nissan.term_by_use)["working"] == 120


@pytest.mark.parametrize("schema", [SCHEMA + 1, "1", -1])
def test_a_newer_or_unknown_schema_is_refused_by_name(schema):
    with pytest.raises(SchemaError, match="新しい版"):
        MatchReport.from_json({**_record(SCHEMA), "schema": schema})


@pytest.mark.parametrize("damage", ["programs", "as_of", "contacts"])
def test_damaged_json_is_a_schema_error(damage):
    data = _record(SCHEMA)
    data[damage] = [{"id": 1}] if damage != "as_of" else "yesterday"
    with pytest.raises(SchemaError):
        MatchReport.from_json(data)


def test_the_answer_cannot_be_changed_in_place():
    with pytest.raises(AttributeError):
        FUND.status = "ineligible"  # type: ignore[misc]
    assert FUND._replace(status="ineligible").status == "ineligible" and FUND.status == "eligible"


def test_schema_4_is_schema_3_with_the_costs():
    three, four = _record(3), _record(4)
    costs = {p["id"]: p.pop("cost") for p in four["programs"]}
    nissan = costs["kanagawa.nissan.main"]
    assert nissan["interest_yen"] == 915_000 and nissan["guarantee_fee_yen"] == [123_750, 522_500]
    assert all(costs[p["id"]] is None for p in four["programs"] if p["status"] == "ineligible")
    # The same funds, now ranked by cost in yen inside each group.
    assert sorted(p["id"] for p in four["programs"]) == sorted(p["id"] for p in three["programs"])
    eligible = [p["id"] for p in four["programs"] if p["status"] == "eligible" and costs[p["id"]]]
    totals = [costs[i]["total_yen"][1] for i in eligible]
    assert len(totals) > 3 and totals == sorted(totals)
    report = MatchReport.from_json(_record(4)).fund("kanagawa.nissan.main")
    assert report is not None and report.cost is not None and report.cost.total_yen == (1_038_750, 1_437_500)
