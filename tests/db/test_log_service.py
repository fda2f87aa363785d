"""The log service: pages on (created_at, id), a record, its stored result, counts and the CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from desk import vocab
from desk.db.services import AdminEditError, LogFilter
from desk.db.store import Store
from desk.intake.reader import read_intake
from desk.log import records
from tests import answers

DEVICE = "6f1c2a9e-0000-4000-8000-000000000000"
REPORT = answers.report(funds=(("kanagawa.nissan.main", "eligible"), ("kanagawa.uriage-rieki.main", "conditional"),
                               ("kanagawa.other", "conditional")))


def fill(store: Store) -> list[records.Recorded]:
    """Five records: three at the same moment (the page order falls back on the id), two on
    other Japanese days (one just before midnight in Japan, one just after)."""
    made = []
    moments = [dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)] * 3 + [
        dt.datetime(2026, 11, 21, 14, 59, tzinfo=dt.UTC),     # 2026-11-21 23:59 in Japan
        dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)]      # 2026-11-21 00:00 in Japan
    for i, now in enumerate(moments):
        intake = read_intake({"business_name": f"事業者{i}", "causes": ["nissan"] if i % 2 else ["materials", "nissan"],
                              "visitor_name": "山田"}).intake
        made.append(records.record(store.log_writer, intake=intake, report=REPORT, device=DEVICE,
                                   window_name="窓口", staff_name="担当", now=now))
    return made


def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(empty_engine):
    store = Store.for_engine(empty_engine)
    fill(store)
    everything = store.log.page()
    assert everything.next is None and len(everything.rows) == 5
    keys = [(r["created_at"], r["id"]) for r in everything.rows]
    assert keys == sorted(keys, reverse=True)
    first = store.log.page(limit=2)
    second = store.log.page(limit=2, after=first.next)
    third = store.log.page(limit=2, after=second.next)
    assert third.next is None and len(third.rows) == 1
    assert [r["id"] for r in first.rows + second.rows + third.rows] == [r["id"] for r in everything.rows]
    row = everything.rows[0]
    assert row["eligible"] == 1 and row["conditional"] == 2 and row["created_at"] == "2026-11-22 12:00"
    assert "visitor_name" not in row and "result" not in row     # only what a list shows


def test_filters_and_counts_by_japanese_day_and_cause(empty_engine):
    store = Store.for_engine(empty_engine)
    fill(store)
    counts = store.log.counts()
    assert counts.total == 5 and counts.per_day == {"2026-11-21": 2, "2026-11-22": 3}
    assert counts.per_cause[vocab.CAUSES["nissan"]] == 5 and counts.per_cause[vocab.CAUSES["materials"]] == 3
    assert list(counts.per_cause) == list(vocab.CAUSES.values())     # every cause, in the vocabulary's order
    day = LogFilter(since=dt.date(2026, 11, 21), until=dt.date(2026, 11, 21))
    assert store.log.counts(day).total == 2 and len(store.log.page(day).rows) == 2
    assert store.log.counts(LogFilter(text="事業者3")).per_day == {"2026-11-21": 1}


def test_a_record_its_stored_result_and_the_csv(empty_engine):
    store = Store.for_engine(empty_engine)
    made = fill(store)
    record = store.log.record(made[0].id)
    assert record is not None and record.reference_no == made[0].reference_no and record.visitor_name == "山田"
    assert record.created_at == dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
    assert store.log.stored_result(made[0].id)["eligible"] == ["kanagawa.nissan.main"]
    assert store.log.record("no-such-id") is None and store.log.stored_result("no-such-id") is None
    csv = store.log.export_csv(LogFilter(text="事業者1"), include_personal=True).decode("utf-8-sig")
    assert csv.count("\r\n") == 2 and "山田" in csv and "事業者1" in csv
    assert "山田" not in store.log.export_csv().decode("utf-8-sig")


@pytest.mark.parametrize("call", ["office_values", "variant_values", "variant_labels"])
def test_an_unknown_id_is_a_clean_edit_error(catalogue_engine, call):
    service = Store.for_engine(catalogue_engine).admin
    with pytest.raises(AdminEditError, match="no-such-id"):
        getattr(service, call)("no-such-id")


def test_an_update_of_an_unknown_id_is_a_clean_edit_error(catalogue_engine):
    service = Store.for_engine(catalogue_engine).admin
    with pytest.raises(AdminEditError) as office:
        service.update_office("no-such-office", {"phone": "046-822-9999"})
    with pytest.raises(AdminEditError) as variant:
        service.update_variant("no-such-variant", {"limit_yen": 10_000_000})
    assert office.value.problems[0].startswith("id: ") and variant.value.problems[0].startswith("id: ")


def test_a_record_keeps_its_match_and_counts_its_reprints(empty_engine):
    from desk.log.stored import unpack_report

    store = Store.for_engine(empty_engine)
    made = fill(store)
    record = store.log.record(made[0].id)
    assert unpack_report(record.report) == REPORT
    assert record.reprint_count == 0 and record.reprinted_at is None and record.purged == ()
    first, second = (dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC), dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC))
    assert store.log.record_reprint(made[0].id, now=first) == 1
    assert store.log.record_reprint(made[0].id, now=second) == 2
    again = store.log.record(made[0].id)
    assert again.reprint_count == 2 and again.reprinted_at == second
    assert store.log.counts().total == 5                                   # not another consultation
    assert store.log.record(made[1].id).reprint_count == 0
    assert store.log.record_reprint("no-such-id") is None


def test_the_purge_says_which_details_it_cleared(empty_engine):
    store = Store.for_engine(empty_engine)
    old = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    made = {}
    for name, details in (("both", {"visitor_name": "山田", "visitor_phone": "090"}),
                          ("name", {"visitor_name": "佐藤"}), ("none", {})):
        intake = read_intake({"business_name": name, **details}).intake
        made[name] = records.record(store.log_writer, intake=intake, report=REPORT, device=DEVICE, window_name=None,
                                    staff_name=None, now=old).id
    assert store.purge_personal_details(older_than_days=30) == 2
    purged = {name: store.log.record(record_id) for name, record_id in made.items()}
    assert purged["both"].purged == ("visitor_name", "visitor_phone") and purged["both"].visitor_name is None
    assert purged["name"].purged == ("visitor_name",)
    assert purged["none"].purged == ()
