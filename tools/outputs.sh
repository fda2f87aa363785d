#!/usr/bin/env bash
# What desk shows a user, as text, for comparing two versions of the code (a refactor must
# leave it unchanged): every example visitor's `desk match` (table and JSON), `desk referral`
# sheet and the leaflet as pdftotext, `desk programs` and `desk contacts`, all on a fixed
# date with a fixed device id, reference numbers normalised.
#
#   tools/outputs.sh OUT_DIR        then   diff -r BEFORE_DIR AFTER_DIR
set -euo pipefail
out=${1:?usage: tools/outputs.sh OUT_DIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
desk="$repo/.venv/bin/desk"
date=${DATE:-2026-11-22}
rm -rf "$out" && mkdir -p "$out"
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
mkdir -p "$base/config"
printf '{"device_id": "0123abcd-0000-4000-8000-000000000000"}\n' > "$base/config/settings.json"
run() { "$desk" --basedir "$base" "$@"; }
# Reference numbers (e.g. 20261122-0ABCD-001) and their ids vary with the clock: normalised.
normalise() { sed -E -e "s#$base#BASE#g" -e 's/[0-9]{8}-[0-9A-Z]{5}-[0-9]{3,}/REF/g'; }
run db upgrade > /dev/null
for intake in "$repo"/examples/intakes/*.json; do
  name=$(basename "$intake" .json)
  run match --date "$date" "$intake" > "$out/$name.match.txt" 2>&1 || true
  # The schema number is the one key a typed answer adds to the JSON: left out of the comparison.
  run match --json --date "$date" "$intake" 2>/dev/null | grep -v '"schema":' > "$out/$name.match.json" || true
  run referral --date "$date" "$intake" -o "$base/$name.pdf" 2>&1 | normalise > "$out/$name.referral.txt"
  pdftotext -layout "$base/$name.pdf" - | normalise > "$out/$name.sheet.txt"
done
run handout --date "$date" -o "$base/handout.pdf" | normalise > "$out/handout.txt"
pdftotext -layout "$base/handout.pdf" "$out/handout.sheet.txt"
run programs --date "$date" > "$out/programs.txt"
run programs --json --date "$date" > "$out/programs.json"
run contacts --municipality 横須賀市 > "$out/contacts.txt"
run contacts --json --postal-code 252-0143 > "$out/contacts.json"
ls "$out" | wc -l
