"""Helpers to write small data packs for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

HEADER = """\
format: desk-pack/1
pack:
  id: {pack_id}
  title: テスト用パック
  version: "1"
  source_file: test.txt
  as_of: 2026-04-01
"""


def write_pack(folder: Path, body: str, *, pack_id: str = "test-pack", name: str | None = None) -> Path:
    path = folder / (name or f"{pack_id}.yaml")
    path.write_text(HEADER.format(pack_id=pack_id) + textwrap.dedent(body), encoding="utf-8")
    return path


PROVIDER = """\
providers:
  - id: testpref
    name: テスト県
    kind: prefecture
    prefecture: 神奈川県
"""

PROGRAM = """\
programs:
  - id: testpref.fund
    provider: testpref
    name: テスト融資
    uses: [working]
    variants:
      - id: testpref.fund.main
        limit: {amount_yen: 80000000, text: 8000万円}
        rate:
          tiers:
            - {max_months: 60, rate_pct: 2.0}
            - {max_months: null, rate_pct: 2.4}
        term: {min_months: 13, max_months: 120, grace_months: 12}
        guarantee_fees:
          - {min_pct: 0.45, max_pct: 1.52, subsidised: true}
        conditions:
          - {check: employees_at_most, params: {limit: 20, commerce_limit: 5}, text: 従業員20人以下}
"""


def gutted_sagamihara(text: str, *, version: str = "2025.04.01-99") -> str:
    """The Sagamihara pack with 10 of its 11 programs and all its offices deleted (issue 15,
    item 17: such a pack once replaced the old one without a word)."""
    import re

    start = text.index("\n  - id: sagamihara.koguchi\n")
    text = text[:start] + text[text.index("\norganisations:\n"):]
    text = text[:text.index("\noffices:\n")] + "\n"
    text = re.sub(r"shared_with: \[[^\]]*\]", "shared_with: []", text)
    return re.sub(r'version: "[^"]+"', f'version: "{version}"', text, count=1)
