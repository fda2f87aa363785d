"""Fuzzing the log importer (`desk log import`) with what an attacker sends: a real exported file
with one field replaced by something large, deep or beyond the Basic Multilingual Plane, with a
right checksum (anyone can write one), and raw bytes. Whatever arrives is imported or refused
with a LogFileError that names the file and can be printed; what is accepted imports and reads
back (issue 15, item 10). The default run tries a derandomised 1,000 inputs; `-m slow` 10,000.
How many were tried goes to docs/RELIABILITY.md (tools/reliability.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from desk.db import engine as db_engine
from desk.db import logsync, setup
from desk.db.consultations import search_consultations
from tests.db.test_logsync import DEVICE, _record

QUICK = settings(max_examples=1_000, derandomize=True, database=None, deadline=None,
                 suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))

NON_BMP = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF)
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
texts = st.one_of(st.text(max_size=20), st.text(NON_BMP, max_size=20), st.text(SURROGATE, min_size=1, max_size=3),
                  st.integers(1, 200_000).map(lambda n: "あ" * n))
numbers = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True))
deep = st.integers(1, 3_000).map(lambda n: json.loads("[" * min(n, 900) + "]" * min(n, 900)))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.one_of(scalars, deep, st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(texts, inner, max_size=5)), max_leaves=20))
raw_files = st.one_of(st.binary(max_size=2_000),
                      st.integers(1, 200_000).map(lambda n: ("[" * n + "]" * n).encode()),
                      st.binary(max_size=200).map(lambda b: b'{"format": "desk-log/1", "records": [' + b + b"]}"))


@pytest.fixture
def exported(tmp_path):
    """A real export of two records, and a database to import into."""
    engine = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "source.sqlite3"))
    setup.upgrade(engine, backup_first=False)
    make_session = lambda: Session(engine)   # noqa: E731
    for i in range(2):
        _record(make_session, f"事業者{i}", visitor_name="山田")
    file = tmp_path / "good.json"
    logsync.export_log(make_session, file, device=DEVICE)
    target = db_engine.make_engine(db_engine.sqlite_url(tmp_path / "target.sqlite3"))
    setup.upgrade(target, backup_first=False)
    yield json.loads(file.read_text(encoding="utf-8")), (lambda: Session(target))
    engine.dispose()
    target.dispose()


def _fuzz(limits, exported, tmp_path, reliability) -> None:
    document, target = exported
    fields = sorted(document["records"][0])
    outcomes = {"mutated": 0, "raw": 0, "imported": 0, "refused": 0}
    path = tmp_path / "hostile.json"

    @limits
    @given(st.one_of(st.tuples(st.sampled_from(fields), values).map(lambda c: ("field", c)),
                     raw_files.map(lambda b: ("raw", b))))
    def fuzz(case):
        kind, payload = case
        if kind == "raw":
            outcomes["raw"] += 1
            path.write_bytes(payload)
        else:
            outcomes["mutated"] += 1
            field, value = payload
            changed = json.loads(json.dumps(document))
            changed["records"][0][field] = value
            try:
                changed["sha256"] = logsync.checksum(changed["records"])
                text = json.dumps(changed, ensure_ascii=False)
            except (ValueError, RecursionError):   # not JSON (nan) or too deep to write: no such file
                outcomes["refused"] += 1
                return
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        try:
            logsync.import_log(target, path)
        except logsync.LogFileError as exc:
            message = str(exc)
            message.encode("utf-8")   # printable, one named refusal
            assert "hostile.json" in message, message
            outcomes["refused"] += 1
            return
        outcomes["imported"] += 1
        search_consultations(target)   # what was accepted reads back, as the log's CSV and search do

    fuzz()
    tried = outcomes["mutated"] + outcomes["raw"]
    assert tried >= (1_000 if limits is QUICK else 10_000)
    reliability.add("fuzz: hostile log files (large, deep, non-BMP; log importer)", inputs=tried,
                    imported=outcomes["imported"], refused=outcomes["refused"], crashes=0)


def test_fuzz_hostile_log_files(exported, tmp_path, reliability):
    _fuzz(QUICK, exported, tmp_path, reliability)


@pytest.mark.slow
def test_fuzz_hostile_log_files_long(exported, tmp_path, reliability):
    _fuzz(LONG, exported, tmp_path, reliability)
