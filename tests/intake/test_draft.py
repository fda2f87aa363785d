"""The draft of the form in progress: written whole and private, read back, or set aside when damaged."""

from __future__ import annotations

import datetime as dt
import json
import stat

import pytest

from desk.intake import draft

NOW = dt.datetime(2026, 11, 22, 5, 3, tzinfo=dt.UTC)
FORM = {"business_name": "追浜精工", "visitor_name": "山田 太郎", "employees": "１８", "causes": ["nissan"],
        "monthly_sales": {"2026-10": 800}, "answers": {"spin_off": False}}


def test_a_draft_reads_back_as_written_and_is_private(tmp_path):
    path = tmp_path / "data" / "draft-intake.json"
    draft.write(path, FORM, now=NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    found = draft.read(path)
    assert found.data == FORM and found.saved_at == NOW
    assert found.saved_label == NOW.astimezone().strftime("%Y-%m-%d %H:%M")
    assert [p.name for p in path.parent.iterdir()] == ["draft-intake.json"]   # no temporary file left beside it


def test_the_draft_lives_in_the_data_folder():
    from desk import paths

    assert draft.draft_file() == paths.get().data_dir / "draft-intake.json"


@pytest.mark.parametrize("content", [
    b"", b"{", b"\xff\xfe", b"[]", b'{"format": "other"}',
    json.dumps({"format": draft.FORMAT, "saved_at": NOW.isoformat(), "intake": []}).encode(),
    json.dumps({"format": draft.FORMAT, "saved_at": NOW.isoformat(), "intake": {"1": 2, "x": None}})[:-9].encode(),
    json.dumps({"format": draft.FORMAT, "saved_at": "yesterday", "intake": {}}).encode(),
    json.dumps({"format": draft.FORMAT, "saved_at": "2026-11-22T05:03:00", "intake": {}}).encode(),
    json.dumps({"format": draft.FORMAT, "saved_at": None, "intake": {}}).encode(),
], ids=["empty", "cut", "not-utf8", "list", "other-format", "intake-list", "cut-later", "bad-time", "naive-time",
        "no-time"])
def test_a_damaged_draft_is_refused_with_a_reason_and_set_aside(tmp_path, content):
    path = tmp_path / "draft-intake.json"
    path.write_bytes(content)
    with pytest.raises(draft.DraftDamaged) as caught:
        draft.read(path)
    assert str(caught.value)                                         # says why, in Japanese
    moved = draft.set_aside(path, now=NOW)
    assert moved is not None and moved.read_bytes() == content and not path.exists()
    assert moved.name.startswith("draft-intake.damaged-") and moved.suffix == ".json"


def test_no_draft_is_not_a_damaged_one(tmp_path):
    with pytest.raises(FileNotFoundError):
        draft.read(tmp_path / "draft-intake.json")
    draft.remove(tmp_path / "draft-intake.json")   # nothing to remove: no error


def test_a_huge_file_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "draft-intake.json"
    draft.write(path, FORM, now=NOW)
    monkeypatch.setattr(draft, "MAX_BYTES", 10)
    with pytest.raises(draft.DraftDamaged, match="大きすぎ"):
        draft.read(path)


def test_a_fifo_or_a_folder_in_the_drafts_place_is_damaged_not_waited_on(tmp_path):
    """Issue 15, item 7: the draft is read through desk.fileio (no blocking, no unbounded read)."""
    import os

    from tests.test_fileio import outcome_within

    fifo = tmp_path / "draft-intake.json"
    os.mkfifo(fifo)
    refused = outcome_within(5, draft.read, fifo)
    assert isinstance(refused, draft.DraftDamaged) and "FIFO" in str(refused)
    folder = tmp_path / "folder-draft.json"
    folder.mkdir()
    with pytest.raises(draft.DraftDamaged, match="フォルダ"):
        draft.read(folder)
