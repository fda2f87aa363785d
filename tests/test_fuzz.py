"""Fuzzing the intake reader and the engine: whatever arrives, a result or a message naming
the field, never a crash. The default run tries a few hundred inputs; `-m slow` tens of
thousands. How many were tried goes to docs/RELIABILITY.md (tools/reliability.py)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk import vocab
from desk.intake.reader import KNOWN_KEYS, IntakeError, read_intake, read_intake_file
from desk.matching.service import resolve_intake_place, run

ON = dt.date(2026, 11, 22)
QUICK = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))

# What people and programs really send: numbers in every form, full-width and half-width mixes,
# units, signs, empty strings, wrong types, absurd sizes, NaN and infinity (json.loads reads them).
typed_numbers = st.sampled_from(["１，０００万円", "1,000万円", "2億円", "▲12.5", "-15", "１８", "18人", "0", "",
                                 "  ", "万円", "1e400", "NaN", "12か月", "３年", "20年", "五百万円", "1,2,3", "－５"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), typed_numbers,
                    st.sampled_from([*vocab.INDUSTRIES, *vocab.ENTITIES, *vocab.PURPOSES, *vocab.CAUSES,
                                     "横須賀市", "横浜市中区", "静岡県", "存在しない市", "238-0013", "2380013"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                      max_leaves=12)
sales_change = st.dictionaries(st.sampled_from(["last_1m_pct", "last_3m_pct", "last_6m_pct", "next_3m_forecast_pct",
                                                "last_fy_pct", "unknown"]), values, max_size=4)
monthly = st.dictionaries(st.sampled_from(["2026-10", "2025-10", "2026-11", "2025-11", "2026-13", "bad", ""]), values,
                          max_size=4)
intakes = st.dictionaries(st.sampled_from([*sorted(KNOWN_KEYS), "unknown_key"]), values, max_size=12).flatmap(
    lambda d: st.fixed_dictionaries({}, optional={"sales_change": sales_change, "monthly_sales": monthly}).map(
        lambda extra: {**d, **extra}))
# ... and intakes an engine can match (valid values, some keys replaced by the above).
from tests.matching.test_properties import valid_intakes  # noqa: E402

noisy_valid = st.tuples(valid_intakes, st.dictionaries(st.sampled_from(sorted(KNOWN_KEYS)), values, max_size=2)).map(
    lambda pair: {**pair[0], **pair[1]})
documents = st.one_of(intakes, values, valid_intakes, noisy_valid)


@pytest.fixture(scope="module")
def loaded(loaded_catalogue):
    return loaded_catalogue


def _names_a_field(exc: IntakeError, data) -> bool:
    from desk.intake.reader import _key_name  # how a message names a key: "(空のキー)", escaped, cut

    top = exc.key.split(".")[0].split("[")[0]
    return top in ("(top)",) or (isinstance(data, dict) and (top in data or top in {_key_name(k) for k in data}))


def _read_and_match(data, loaded) -> str:
    """'read', 'matched' or 'refused' (with a message naming the field); anything else fails."""
    try:
        read = read_intake(data)
    except IntakeError as exc:
        assert _names_a_field(exc, data), (exc.key, data)
        return "refused"
    try:
        place = resolve_intake_place(loaded.places, read.intake)
    except IntakeError as exc:
        assert exc.key in ("municipality", "prefecture", "postal_code"), exc.key
        return "refused"
    report = run(loaded, read.intake, place, on=ON, warnings=read.warnings)
    json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False)   # what `desk match --json` prints is real JSON
    for fund in report.funds:
        assert fund.status in ("eligible", "conditional", "ineligible")
        for value in (fund.remaining_limit_yen, fund.rate_pct):
            assert value is None or math.isfinite(value)
    return "matched"


def _fuzz(name: str, limits, reliability, loaded):
    outcomes: dict[str, int] = {}

    @limits
    @given(documents)
    def fuzz(data):
        outcome = _read_and_match(data, loaded)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    fuzz()
    assert sum(outcomes.values()) >= 100
    reliability.add("fuzz: intake reader and engine", inputs=sum(outcomes.values()), **outcomes, crashes=0)


def test_fuzz_intake_and_engine(reliability, loaded):
    _fuzz("quick", QUICK, reliability, loaded)


@pytest.mark.slow
def test_fuzz_intake_and_engine_long(reliability, loaded):
    _fuzz("long", LONG, reliability, loaded)


def _fuzz_files(limits, reliability, tmp_path):
    tried = {"n": 0}
    path = tmp_path / "intake.json"

    @limits
    @given(st.one_of(st.binary(max_size=200), intakes.map(lambda d: json.dumps(d).encode()),
                     st.text(max_size=200).map(str.encode)))
    def fuzz(raw):
        tried["n"] += 1
        path.write_bytes(raw)
        try:
            read_intake_file(path)
        except IntakeError as exc:
            assert str(exc) and exc.key

    fuzz()
    reliability.add("fuzz: intake files (bytes, broken JSON)", inputs=tried["n"], crashes=0)


def test_fuzz_intake_files(reliability, tmp_path):
    _fuzz_files(QUICK, reliability, tmp_path)


@pytest.mark.slow
def test_fuzz_intake_files_long(reliability, tmp_path):
    _fuzz_files(LONG, reliability, tmp_path)


def test_a_huge_file_is_refused_by_size(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"business_name": "' + b"a" * (2 * 1024 * 1024) + b'"}')
    with pytest.raises(IntakeError, match="大きすぎます"):
        read_intake_file(path)
