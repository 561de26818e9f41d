// Unit tests of the page's pure TypeScript modules (input normalizer, formatting, catalog),
// bundled on the fly by esbuild and run in Node: the normalizer only rewrites notation (never
// rounds), formatting keeps every digit the engine gave, both catalogs have every key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { runWasm } from "../../tests/js/helpers.mjs";

const lib = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "lib");
async function load(name) {
  const out = await build({ entryPoints: [join(lib, name)], bundle: true, format: "esm", write: false, platform: "neutral", logLevel: "silent" });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
}
const { normalizeAmount, normalizePercent, normalizeInteger, shiftPoint } = await load("normalize.ts");
const format = await load("format.ts");
const i18n = await load("i18n.ts");
const limits = await load("limits.ts");

test("amounts: the notations people type", () => {
  const table = [
    ["10000", "10000"], ["１００００", "10000"], ["1万", "10000"], ["1.5万", "15000"], ["0.00015万", "1.5"], ["¥10,000", "10000"],
    ["￥10,000.00", "10000.00"], ["10,000.00 元", "10000.00"], ["  9,999  ", "9999"], ["1,234,567.89", "1234567.89"], ["100.001", "100.001"],
    ["007", "7"], [".5", "0.5"], ["5.", "5"], ["１２，３４５．６７", "12345.67"], ["RMB 500", "500"],
  ];
  for (const [typed, value] of table) assert.deepEqual(normalizeAmount(typed), { ok: true, value }, typed);
  const refused = [["", "required"], ["   ", "required"], ["abc", "not-a-number"], ["1,00", "bad-grouping"], ["10,0000", "bad-grouping"], ["-5", "negative"], ["1e5", "not-a-number"], ["1万万", "not-a-number"], ["1.2.3", "not-a-number"], ["NaN", "not-a-number"], ["Infinity", "not-a-number"]];
  for (const [typed, code] of refused) assert.deepEqual(normalizeAmount(typed), { ok: false, code }, typed);
});

test("percentages become fractions by moving the point, never by rounding", () => {
  for (const [typed, value] of [["7.2", "0.072"], ["7.2%", "0.072"], ["７．２％", "0.072"], ["36", "0.36"], ["0.6", "0.006"], ["1000", "10"], ["0.0125", "0.000125"], ["24.000001", "0.24000001"]]) {
    assert.deepEqual(normalizePercent(typed), { ok: true, value }, typed);
  }
  assert.deepEqual(normalizePercent("7,2"), { ok: false, code: "not-a-number" });
  assert.deepEqual(normalizePercent("%"), { ok: false, code: "required" });
});

test("terms are whole numbers: 12.5 is refused, never truncated", () => {
  for (const [typed, value] of [["12", "12"], ["１２", "12"], ["12期", "12"], ["12个月", "12"], ["12.0", "12"], ["012", "12"]]) assert.deepEqual(normalizeInteger(typed), { ok: true, value }, typed);
  for (const [typed, code] of [["12.5", "not-integer"], ["-3", "negative"], ["", "required"], ["twelve", "not-a-number"]]) assert.deepEqual(normalizeInteger(typed), { ok: false, code }, typed);
});

test("shiftPoint is exact on long digit strings", () => {
  assert.equal(shiftPoint("123456789012345678901234567890.12", 4), "1234567890123456789012345678901200");
  assert.equal(shiftPoint("1", -6), "0.000001");
  assert.equal(shiftPoint("0.000", 2), "0.0");
});

test("formatting keeps every digit the engine gave (no float round trip)", () => {
  assert.equal(format.money("10000.00", "zh-CN"), "¥10,000.00");
  assert.equal(format.money("10000.00", "en"), "¥10,000.00");
  assert.equal(format.money("12345678901234567.89", "zh-CN"), "¥12,345,678,901,234,567.89");
  assert.equal(format.money("0.125", "zh-CN"), "¥0.125");
  assert.equal(format.percent("7.20", "zh-CN"), "7.20%");
  assert.equal(format.exactPercent("0.0060", "zh-CN"), "0.6%");
  assert.equal(format.exactPercent("0.00125", "en"), "0.125%");
  assert.equal(format.date("2026-03-01", "zh-CN"), "2026年3月1日");
});

test("the catalog has every key in both languages and a text for the engine codes the pages meet", () => {
  const { zh, en } = i18n.catalogKeys();
  assert.deepEqual([...en].sort(), [...zh].sort());
  for (const code of ["over-precise-amount", "malformed-decimal", "invalid-principal", "invalid-rate", "invalid-term", "amount-out-of-range", "amount-off-step", "term-not-offered", "no-price"]) {
    for (const lang of ["zh-CN", "en"]) assert.notEqual(i18n.errorText(lang, code), i18n.errorText(lang, "no-such-code"), `${lang} ${code}`);
  }
  assert.doesNotMatch(Object.values(zh).join(""), /\[object/);
});

test("the engine's bounds in the messages are the engine's: the term limit is accepted, one past it refused, and the message names it", () => {
  const loan = (termMonths) => ({ principal: "10000", termMonths, annualRate: "0.072", method: "equal-installment" });
  for (const [term, ok] of [[limits.MIN_TERM_MONTHS, true], [limits.MAX_TERM_MONTHS, true], [limits.MIN_TERM_MONTHS - 1, false], [limits.MAX_TERM_MONTHS + 1, false]]) {
    const answer = runWasm("schedule", loan(term));
    assert.equal(answer.ok, ok, `${term} months`);
    if (!ok) assert.equal(answer.error.code, "invalid-term", `${term} months`);
  }
  for (const lang of ["zh-CN", "en"]) {
    const text = i18n.errorText(lang, "invalid-term");
    assert.match(text, new RegExp(`\\b${limits.MIN_TERM_MONTHS}\\b.*\\b${limits.MAX_TERM_MONTHS}\\b`), `${lang}: ${text}`);
    assert.doesNotMatch(text, /\{/, `${lang}: every placeholder filled`);
  }
  // No message spells an engine bound out itself: every number in them is a page example.
  const { zh, en } = i18n.catalogKeys();
  for (const key of [...zh, ...en]) if (key.startsWith("err.") && !key.startsWith("err.field.")) for (const lang of ["zh-CN", "en"]) assert.doesNotMatch(i18n.t(lang, key), /\b(360|600)\b/, `${lang} ${key}`);
});

test("each number field's \"not a number\" message gives an example of that field, never an amount's", () => {
  const amountExample = /10000|1万|10,000/;
  for (const lang of ["zh-CN", "en"]) {
    const texts = Object.fromEntries(["amount", "rate", "feeRate", "term", "age"].map((kind) => [kind, i18n.fieldErrorText(lang, "not-a-number", kind)]));
    assert.match(texts.amount, amountExample, lang);
    assert.match(texts.rate, /7\.2/, lang);
    assert.match(texts.feeRate, /0\.6/, lang);
    assert.match(texts.term, /12/, lang);
    assert.match(texts.age, /35/, lang);
    for (const kind of ["rate", "feeRate", "term", "age"]) assert.doesNotMatch(texts[kind], amountExample, `${lang} ${kind}: ${texts[kind]}`);
    assert.equal(new Set(Object.values(texts)).size, 5, `${lang}: one wording per field`);
    for (const kind of ["term", "age"]) assert.doesNotMatch(i18n.fieldErrorText(lang, "not-integer", kind), amountExample, `${lang} ${kind}`);
    assert.match(i18n.fieldErrorText(lang, "not-integer", "age"), /35/, lang);
    // A code without a field-specific wording falls back to the general one.
    assert.equal(i18n.fieldErrorText(lang, "negative", "rate"), i18n.t(lang, "err.field.negative"));
  }
});
