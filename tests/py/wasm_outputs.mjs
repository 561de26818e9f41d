// Runs a parity corpus through the built wasm package (pkg/node): reads a JSON array of
// [operation, requestText] pairs on stdin, prints a JSON array of answer texts: the compact JSON
// `callJson` returns, or for a refusal the envelope {"error":{code,message,path?}} as the CLI
// prints it. Used by python/tests/test_parity.py to compare Python, CLI and wasm byte for byte.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const puhui = createRequire(import.meta.url)(join(root, "pkg", "node", "puhui.js"));
const corpus = JSON.parse(readFileSync(0, "utf8"));
const out = corpus.map(([op, text]) => {
  try {
    return puhui.callJson(op, text);
  } catch (error) {
    const shaped = { code: error.code, message: error.message };
    if (error.path !== undefined) shaped.path = error.path;
    return JSON.stringify({ error: shaped });
  }
});
process.stdout.write(JSON.stringify(out));
