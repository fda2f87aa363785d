"""Fuzzing the intake reader and the pack validator with what an attacker sends: large
(thousands of digits, megabyte strings, thousands of keys), deep (nesting to 100,000 levels)
and beyond the Basic Multilingual Plane (non-BMP characters, lone surrogates, invalid UTF-8).

Whatever arrives ends in a result or in a named message (IntakeError, PackInvalid) that can
be printed; a pack the validator accepts can also be cached (pickled) and stored as JSON (issue
15, items 2, 7, 8 and 9). The default run tries a derandomised 1,000 inputs per fuzzer (the same
ones every run); `-m slow` tries 10,000 random ones each. How many were tried goes to
docs/RELIABILITY.md (tools/reliability.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import pickle
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.db.packs.importer import read_pack
from desk.db.packs.schema import PackInvalid
from desk.intake.reader import KNOWN_KEYS, IntakeError, ReadIntake, read_intake, read_intake_file
from desk.matching.service import resolve_intake_place, run
from tests.packs import HEADER, PROGRAM, PROVIDER

ON = dt.date(2026, 11, 22)
QUICK = settings(max_examples=1_000, derandomize=True, database=None, deadline=None,
                 suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))

# --- what is hostile -----------------------------------------------------------------------------

NON_BMP = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF)
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ODD = st.sampled_from(["\x00", "\u202e", "\ufeff", "\x1b", "𠮷", "🏭", "ｱ", "\n", '"', "\\"])
SIZES = st.sampled_from([1, 2, 7, 8, 9, 10, 11, 40, 41, 499, 500, 501, 2_000, 5_000])
DEPTHS = st.sampled_from([1, 3, 7, 8, 9, 10, 11, 39, 40, 41, 100, 500, 1_000, 5_000])
DIGITS = st.sampled_from([1, 15, 16, 20, 21, 66, 308, 309, 400, 4_300, 4_301, 5_000])

hostile_text = st.one_of(
    st.text(alphabet=st.one_of(NON_BMP, SURROGATE, ODD, st.characters()), max_size=40),
    st.builds(lambda piece, n: piece * n, st.one_of(NON_BMP, SURROGATE, ODD), SIZES),
)
# Integers Python holds (a 5,000-digit one is made by arithmetic, never from its digits) and floats.
hostile_ints = st.one_of(st.integers(), st.builds(lambda digits, sign: sign * (10 ** digits - 1), DIGITS,
                                                  st.sampled_from([1, -1])))
hostile_scalars = st.one_of(st.none(), st.booleans(), hostile_ints, st.floats(), hostile_text)


def _nest(leaf, depth: int, key: str | None):
    """``leaf`` inside ``depth`` lists (key None) or objects under ``key``, built without recursion."""
    for _ in range(depth):
        leaf = [leaf] if key is None else {key: leaf}
    return leaf


deep_values = st.builds(_nest, hostile_scalars, DEPTHS, st.one_of(st.none(), hostile_text))
hostile_values = st.one_of(
    hostile_scalars, deep_values,
    st.lists(hostile_scalars, max_size=5),
    st.builds(lambda v, n: [v] * n, hostile_scalars, SIZES),            # long lists (plans, purposes…)
    st.dictionaries(hostile_text, hostile_scalars, max_size=5),
)
known_keys = st.sampled_from(sorted(KNOWN_KEYS))
python_intakes = st.one_of(
    st.dictionaries(st.one_of(known_keys, hostile_text), hostile_values, max_size=8),
    st.builds(lambda n, v: {f"unknown_{i}": v for i in range(n)}, SIZES, hostile_scalars),   # many keys
    st.builds(lambda key, n, v: {key: {f"q{i}": v for i in range(n)}},
              st.sampled_from(["answers", "monthly_sales", "sales_change"]), SIZES, hostile_scalars),
    hostile_values,
)


def _json_text(document) -> str | None:
    try:
        return json.dumps(document)   # ASCII: a lone surrogate becomes \ud800, as an attacker writes it
    except (ValueError, RecursionError):
        return None


raw_texts = st.one_of(
    st.builds(lambda d: "[" * d + "]" * d, st.sampled_from([10, 1_000, 100_000])),
    st.builds(lambda d: '{"answers": ' + '{"q": ' * d + "1" + "}" * d + "}", DEPTHS),
    st.builds(lambda key, d: f'{{"{key}": {"9" * d}}}', known_keys, DIGITS),
    st.builds(lambda key, d: f'{{"{key}": -{"9" * d}.5e{d}}}', known_keys, DIGITS),
    st.builds(lambda key, code: f'{{"{key}": "\\u{code:04x}"}}', known_keys, st.integers(0xD800, 0xDFFF)),
    st.builds(lambda key, ch: json.dumps({key: ch * 100}, ensure_ascii=False), known_keys, NON_BMP),
    python_intakes.map(_json_text).filter(lambda t: t is not None),
)
raw_files = st.one_of(raw_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.binary(max_size=300),
                      st.builds(lambda b: b'{"business_name": "' + b + b'"}', st.binary(min_size=1, max_size=20)))


# --- the intake reader -----------------------------------------------------------------------------

def _named(exc: IntakeError) -> None:
    """A refusal names its field and can be printed (the CLI writes it to stderr as UTF-8)."""
    assert exc.key and exc.message, exc
    f"{exc.key}: {exc}".encode()


def _outcome(read: ReadIntake, loaded) -> str:
    """Match what was read, as `desk match --json` would, or the place's named refusal."""
    for warning in read.warnings:
        warning.encode()
        assert len(warning) < 1_000, warning[:100]   # one line, however many keys
    try:
        place = resolve_intake_place(loaded.places, read.intake)
    except IntakeError as exc:
        _named(exc)
        return "refused"
    report = run(loaded, read.intake, place, on=ON, warnings=read.warnings)
    json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False).encode()
    for fund in report.funds:
        for value in (fund.remaining_limit_yen, fund.rate_pct):
            assert value is None or math.isfinite(value)
    return "matched"


def _fuzz_intakes(limits, reliability, loaded, tmp_path) -> None:
    outcomes = {"objects": 0, "files": 0, "matched": 0, "refused": 0}
    path = tmp_path / "intake.json"

    @limits
    @given(st.one_of(python_intakes.map(lambda d: ("object", d)), raw_files.map(lambda b: ("file", b))))
    def fuzz(case):
        kind, payload = case
        try:
            if kind == "file":
                path.write_bytes(payload)
                read = read_intake_file(path)
            else:
                read = read_intake(payload)
            result = _outcome(read, loaded)
        except IntakeError as exc:
            _named(exc)
            result = "refused"
        outcomes["files" if kind == "file" else "objects"] += 1
        outcomes[result] += 1

    fuzz()
    tried = outcomes["objects"] + outcomes["files"]
    assert tried >= 1_000 if limits is QUICK else tried >= 10_000
    reliability.add("fuzz: hostile intakes (large, deep, non-BMP; reader and engine)", inputs=tried,
                    matched=outcomes["matched"], refused=outcomes["refused"], crashes=0)


def test_fuzz_hostile_intakes(reliability, loaded_catalogue, tmp_path):
    _fuzz_intakes(QUICK, reliability, loaded_catalogue, tmp_path)


@pytest.mark.slow
def test_fuzz_hostile_intakes_long(reliability, loaded_catalogue, tmp_path):
    _fuzz_intakes(LONG, reliability, loaded_catalogue, tmp_path)


# --- the pack validator ----------------------------------------------------------------------------

BASE_PACK = HEADER.format(pack_id="fuzz-pack") + PROVIDER + PROGRAM
# Every `key: value` of the base pack, block or flow style: a place for a hostile value.
VALUE_SPOTS = [m.span(2) for m in re.finditer(r"(\b[a-z_]+): ([^,{}\[\]\n]+)", BASE_PACK)]
LEAF = "{check: employees_at_most, params: {limit: 20}}"

yaml_snippets = st.one_of(
    st.sampled_from([".inf", "-.inf", ".nan", ".NaN", "2025-02-30", "2026-13-01", "2026-04-01 25:00:00", "null",
                     "[]", "{}", "7", "-1", "0", "1e29", "1.0e+29", "~", "!!python/object:os.system x", "*alias",
                     "&anchor 1", "yes", "'0x1F'", "0o17", "1_000"]),
    st.builds(lambda d: "9" * d, DIGITS),
    st.builds(lambda d: "-" + "9" * d + ".5", DIGITS),
    st.builds(lambda d: "[" * d + "1" + "]" * d, DEPTHS),
    st.builds(lambda d: "{a: " * d + "1" + "}" * d, DEPTHS),
    st.builds(lambda d: "{all_of: [" * d + LEAF + "]}" * d, DEPTHS),
    st.builds(lambda n: "{any_of: [" + ", ".join([LEAF] * n) + "]}", SIZES),
    st.builds(lambda n: "[" + ", ".join(["x"] * n) + "]", SIZES),
    hostile_text.map(json.dumps),                                     # a double-quoted YAML scalar
    hostile_text.map(lambda t: json.dumps(t, ensure_ascii=False)),    # … with the characters themselves
)


def _mutated_pack(spots: list[tuple[int, str]]) -> str:
    text, shift = BASE_PACK, 0
    for index, snippet in sorted(spots):
        start, end = VALUE_SPOTS[index % len(VALUE_SPOTS)]
        if start + shift < 0 or end + shift > len(text):
            continue
        text = text[:start + shift] + snippet + text[end + shift:]
        shift += len(snippet) - (end - start)
        break   # one hostile value per pack: every refusal then names it
    return text


pack_files = st.one_of(
    st.lists(st.tuples(st.integers(0, 10_000), yaml_snippets), min_size=1, max_size=1)
    .map(_mutated_pack).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda d: ("a: " + "[" * d + "]" * d).encode(), st.sampled_from([10, 1_000, 100_000])),
    st.builds(lambda body: BASE_PACK.encode() + body, st.binary(max_size=200)),
    st.binary(max_size=300),
)


def _fuzz_packs(limits, reliability, tmp_path) -> None:
    outcomes = {"accepted": 0, "refused": 0}
    path = tmp_path / "fuzz-pack.yaml"

    @limits
    @given(pack_files)
    def fuzz(raw: bytes):
        path.write_bytes(raw)
        try:
            loaded = read_pack(path)
        except PackInvalid as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.file == path.name and problem.message, problem
            str(exc).encode()
            outcomes["refused"] += 1
            return
        # What validate accepts can be cached and stored: pickled as the catalogue's copy is, and
        # written as real JSON (finite numbers) to the JSON columns.
        pickle.dumps(loaded.data, protocol=pickle.HIGHEST_PROTOCOL)
        json.dumps(loaded.data.sections, default=str, allow_nan=False).encode()
        outcomes["accepted"] += 1

    fuzz()
    tried = sum(outcomes.values())
    assert tried >= 1_000 if limits is QUICK else tried >= 10_000
    assert outcomes["accepted"] and outcomes["refused"]   # the fuzzer reaches both sides
    reliability.add("fuzz: hostile data packs (large, deep, non-BMP; validator)", inputs=tried,
                    accepted=outcomes["accepted"], refused=outcomes["refused"], crashes=0)


def test_fuzz_hostile_packs(reliability, tmp_path):
    _fuzz_packs(QUICK, reliability, tmp_path)


@pytest.mark.slow
def test_fuzz_hostile_packs_long(reliability, tmp_path):
    _fuzz_packs(LONG, reliability, tmp_path)
