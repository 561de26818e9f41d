// The UTF-8 codec shipped in the mini-program builds (pkg-config/js/utf8.js) against Node's own
// TextEncoder/TextDecoder (the WHATWG reference) on fixed and generated strings, including
// astral characters, lone surrogates and invalid byte sequences.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TextEncoder as OurEncoder, TextDecoder as OurDecoder } from "../../pkg-config/js/utf8.js";

const samples = ["", "abc", "年化利率(单利)", "€ 1,000.00", "😀 emoji 𝄞", "\ud800 lone high", "lone low \udc00", "a\u0000b", "\u07ff\u0800\uffff"];
let seed = 12345;
const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
for (let i = 0; i < 300; i++) {
  let s = "";
  const len = rand(40);
  for (let k = 0; k < len; k++) {
    const pick = rand(5);
    s += pick === 0 ? String.fromCharCode(rand(0x80)) : pick === 1 ? String.fromCharCode(0x80 + rand(0x780)) : pick === 2 ? String.fromCharCode(0x800 + rand(0xf7ff)) : String.fromCodePoint(0x10000 + rand(0xfffff));
  }
  samples.push(s);
}

test("encode and encodeInto match TextEncoder", () => {
  const ours = new OurEncoder();
  const ref = new TextEncoder();
  for (const s of samples) {
    assert.deepEqual([...ours.encode(s)], [...ref.encode(s)], JSON.stringify(s));
    for (const room of [0, 1, 3, 7, s.length * 3]) {
      const a = new Uint8Array(room);
      const b = new Uint8Array(room);
      assert.deepEqual(ours.encodeInto(s, a), ref.encodeInto(s, b), `${JSON.stringify(s)} into ${room}`);
      assert.deepEqual([...a], [...b]);
    }
  }
});

test("decode matches TextDecoder, strict mode throws where the reference throws", () => {
  const enc = new TextEncoder();
  const bad = [[0xff], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe4, 0xbd], [0x61, 0x80, 0x62]];
  for (const bytes of [...samples.map((s) => enc.encode(s)), ...bad.map((b) => Uint8Array.from(b))]) {
    assert.equal(new OurDecoder().decode(bytes), new TextDecoder().decode(bytes), `lenient ${[...bytes]}`);
    let refError = null;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (e) {
      refError = e;
    }
    if (refError) assert.throws(() => new OurDecoder("utf-8", { fatal: true }).decode(bytes), TypeError);
    else assert.equal(new OurDecoder("utf-8", { fatal: true }).decode(bytes), new TextDecoder().decode(bytes));
  }
});
