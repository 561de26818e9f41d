#!/usr/bin/env bash
# Python parity for scorecards: trains a small scorecard with scorecardpy on its bundled German
# credit data (in a venv under tests/py/.venv), imports the card with
# `puhui scorecard import --from scorecardpy`, scores every row with `puhui score --scorecard`,
# and asserts puhui's score equals scorecardpy's `scorecard_ply` score for every row.
#
# Usage: bash tests/py/parity.sh          (uses $PUHUI if set, else `cargo run -q -p puhui-cli --`)
# Rounding: scorecardpy rounds each bin's points and the base points to integers when it builds
# the card, and scorecard_ply sums them; the imported card sums the same integers and rounds the
# total half-up to 0 decimals (an identity on integers), so the scores must be equal exactly.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import scorecardpy" 2>/dev/null; then
  "$venv/bin/pip" install -q "scorecardpy==0.1.9.7" "pandas<2.2" "numpy<2" "scikit-learn<1.6"
fi
if [ -n "${PUHUI:-}" ]; then
  puhui=("$PUHUI")
else
  puhui=(cargo run -q --manifest-path "$root/Cargo.toml" -p puhui-cli --)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" -W ignore "$here/train_scorecardpy.py" "$work"
"${puhui[@]}" scorecard import --from scorecardpy "$work/card.csv" -o "$work/card.json" 2>"$work/import.log" \
  || { cat "$work/import.log"; exit 1; }
"${puhui[@]}" score --scorecard "$work/card.json" "$work/applicants.jsonl" > "$work/scores.jsonl"
"$venv/bin/python" "$here/compare_scores.py" "$work/expected.txt" "$work/scores.jsonl"
