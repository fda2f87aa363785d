"""How deep and how large a data pack may be, each bound with its reason.

Validation refuses a pack past any of these, so anything `desk validate` accepts also
imports, matches, caches and exports: the engine, the catalogue's copy on disk (a pickle)
and the JSON columns all walk a condition tree recursively, and a tree some hundreds of
levels deep passed validation, was imported, and then broke every later command (issue 15,
item 2). The limits sit far above what the bundled packs use (in brackets) and far below
what Python's recursion limit and SQLite's integers allow.
"""

from __future__ import annotations

# Nesting of mappings and lists anywhere in a pack file [16]. A condition at
# MAX_CONDITION_DEPTH, inside a variant inside a program, stays well below it; Python's
# recursion limit (1,000 frames, several per level when constructing and pickling) far above.
MAX_YAML_DEPTH = 40

# any_of / all_of levels in one condition tree [5]. Each level costs a few stack frames in
# the engine, in pickling the catalogue and in reading its JSON column back.
MAX_CONDITION_DEPTH = 10

# Checks (leaves) in one condition tree [12]: every match evaluates them all, for every visitor.
MAX_CONDITION_CHECKS = 200

# Characters of one text field [656]: a reason or a note is printed on the referral sheet,
# whose layout grows with it; two thousand characters is most of a page.
MAX_TEXT_CHARS = 2_000

# An integer field (yen, months, people) [300,000,000 yen]: 10^15 yen (a thousand trillion)
# is far above any loan and far inside SQLite's 64-bit integers, which a larger value overflows.
MAX_INTEGER = 10**15

# A decimal field (percentages, coordinates) [154, a longitude]: finite (no .inf, no .nan, which
# print as 'inf%' on the sheet and as 'Infinity', not JSON, from `desk match --json`) and small.
MAX_NUMBER = 1_000_000.0
