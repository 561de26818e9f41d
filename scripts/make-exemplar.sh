#!/usr/bin/env bash
# Regenerates the committed, signed exemplar bundle in tests/fixtures/bundle/ with the CLI:
# two fresh Ed25519 keys (threshold 2 of 2) made in a private temp dir, a version-1 trust
# root, the payload and its signed envelope. The private keys are deleted on exit; only the
# public keys are kept. The core, the wasm build and the server must all accept the result.
#
# Usage: scripts/make-exemplar.sh [PAYLOAD.json]
#   PAYLOAD.json  bundle payload to sign (header fields + content), copied verbatim as
#                 bundle.json; default data/sample-bundle.json (the products, caps, subsidy,
#                 promotions, texts and pre-eligibility model the engine tests quote from).
# Environment: PUHUI=path/to/puhui to use a prebuilt binary instead of `cargo build`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/tests/fixtures/bundle"
root_expires="2036-06-01T00:00:00Z"

if [[ -z "${PUHUI:-}" ]]; then
  cargo build --quiet --manifest-path "$repo/Cargo.toml" -p puhui-cli
  PUHUI="$repo/target/debug/puhui"
fi

work="$(mktemp -d)"
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT

"$PUHUI" keygen --out "$work/keys" --name exemplar-1 >/dev/null
"$PUHUI" keygen --out "$work/keys" --name exemplar-2 >/dev/null

cp "${1:-$repo/data/sample-bundle.json}" "$work/bundle.json"
# Lint first: a draft with errors is never signed.
"$PUHUI" lint "$work/bundle.json" >/dev/null || { "$PUHUI" lint "$work/bundle.json"; exit 1; }

"$PUHUI" root new --threshold 2 --expires "$root_expires" \
  --key "$work/keys/exemplar-1.pub" --key "$work/keys/exemplar-2.pub" \
  --sign "$work/keys/exemplar-1.key" --sign "$work/keys/exemplar-2.key" \
  -o "$work/root.json" >/dev/null
"$PUHUI" sign --key "$work/keys/exemplar-1.key" --key "$work/keys/exemplar-2.key" \
  "$work/bundle.json" -o "$work/bundle.signed.json" >/dev/null

# Check before replacing anything: it must verify as a fresh client sees it.
issued="$(sed -n 's/.*"issuedAt": *"\([^"]*\)".*/\1/p' "$work/bundle.json" | head -n1)"
"$PUHUI" verify --root "$work/root.json" --now "$issued" "$work/bundle.signed.json" >/dev/null

rm -rf "$out"
mkdir -p "$out/keys"
cp "$work/root.json" "$work/bundle.json" "$work/bundle.signed.json" "$out/"
cp "$work/keys/"*.pub "$out/keys/"
echo "exemplar written to $out (private keys discarded)"
