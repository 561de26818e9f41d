#!/usr/bin/env bash
# Signs the sample bundle with a development key and publishes it for `make demo`.
# On first run it creates the dev key and a 1-of-1 trust root in .dev-keys/ (git-ignored; the
# private key is mode 0600 and never printed). Each run signs a new version (Unix seconds), so
# the loader's rollback protection always sees it as newer.
# Usage: scripts/demo-bundle.sh [PUHUI_BINARY] [PAYLOAD_JSON]
set -euo pipefail
cd "$(dirname "$0")/.."
puhui="${1:-target/release-native/puhui}"
payload_src="${2:-data/sample-bundle.json}"
keys="${PUHUI_KEYS_DIR:-.dev-keys}"
out="${PUHUI_BUNDLES_DIR:-www/bundles}"
mkdir -p "$keys" "$out/roots"
chmod 700 "$keys"

if [ ! -f "$keys/dev-1.key" ]; then
  "$puhui" keygen --out "$keys" --name dev-1 >/dev/null
fi
if [ ! -f "$keys/root.json" ]; then
  expires=$(date -u -d '+2 years' +%Y-%m-%dT%H:%M:%SZ)
  "$puhui" root new --threshold 1 --expires "$expires" --key "$keys/dev-1.pub" --sign "$keys/dev-1.key" -o "$keys/root.json" >/dev/null
fi

# Fresh header: version = now (monotonic across runs), valid for 30 days.
payload="$keys/payload.json"
node -e '
const fs = require("fs");
const [src, dst] = process.argv.slice(1);
const bundle = JSON.parse(fs.readFileSync(src, "utf8"));
const now = new Date();
bundle.version = Math.floor(now.getTime() / 1000);
bundle.issuedAt = now.toISOString().replace(/\.\d+Z$/, "Z");
bundle.expiresAt = new Date(now.getTime() + 30 * 86400 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
bundle.rootVersion = 1;
fs.writeFileSync(dst, JSON.stringify(bundle, null, 2) + "\n");
' "$payload_src" "$payload"

"$puhui" sign --key "$keys/dev-1.key" "$payload" -o "$keys/bundle.signed.json" >/dev/null
"$puhui" verify --root "$keys/root.json" "$keys/bundle.signed.json" >/dev/null
"$puhui" publish --bundles "$out" "$keys/bundle.signed.json" >/dev/null
# The page pins this root; the loader walks newer roots from roots/<V>.json up to the version
# roots/latest.json names (the highest published, so a root published by hand is kept), and never
# asks for a root that does not exist.
cp "$keys/root.json" "$out/pinned-root.json"
cp "$keys/root.json" "$out/roots/1.json"
node -e '
const fs = require("fs");
const dir = process.argv[1];
const versions = fs.readdirSync(dir).map((name) => /^([1-9][0-9]*)\.json$/.exec(name)).filter(Boolean).map((m) => Number(m[1]));
const tmp = `${dir}/latest.json.tmp`;
fs.writeFileSync(tmp, JSON.stringify({ version: Math.max(...versions) }) + "\n");
fs.renameSync(tmp, `${dir}/latest.json`);
' "$out/roots"
echo "demo bundle signed and published under $out/"
