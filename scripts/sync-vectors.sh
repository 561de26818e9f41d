#!/usr/bin/env bash
# Keeps tests/vectors (the project's own copy, read by every test) in sync with the shared spec.
#   scripts/sync-vectors.sh          copy ../shared/spec/vectors/*.json into tests/vectors/
#   scripts/sync-vectors.sh --check  fail when the copy differs (skipped when shared/ is absent)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${PUHUI_SHARED_VECTORS:-../shared/spec/vectors}"
if [ ! -d "$shared" ]; then
  [ "${1:-}" = "--check" ] && echo "vectors: $shared not present here; using tests/vectors as committed"
  [ "${1:-}" = "--check" ] && exit 0
  echo "no shared vectors at $shared" >&2; exit 1
fi
if [ "${1:-}" = "--check" ]; then
  status=0
  for file in "$shared"/*.json; do
    name=$(basename "$file")
    if ! cmp -s "$file" "tests/vectors/$name"; then
      echo "tests/vectors/$name differs from $file: run scripts/sync-vectors.sh" >&2
      status=1
    fi
  done
  [ $status = 0 ] && echo "vectors: tests/vectors matches $shared"
  exit $status
fi
cp "$shared"/*.json tests/vectors/
echo "vectors: copied $(ls "$shared"/*.json | wc -l) files into tests/vectors/"
