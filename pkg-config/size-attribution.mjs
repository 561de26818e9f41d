// Size attribution of a wasm module from its name section (no twiggy needed): the code bytes of
// every function, demangled and grouped by crate and by puhui module, with serde's
// (de)serialization code counted on its own line wherever it was instantiated.
// Feed it the shipped code with names kept: the wasm-bindgen output (`--keep-debug`; wasm-bindgen
// strips the `__wbindgen_describe_*` functions, ~18 KB of code that the raw cargo output still
// has and no host ever receives), optimized as the shipped module is (`wasm-opt -Oz --debuginfo`).
// `scripts/size-attribution.sh [calc|full]` does all three steps.
// Usage: node pkg-config/size-attribution.mjs x.wasm [--json] [--top N]
import { readFileSync } from "node:fs";

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const b = bytes[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, pos];
  }
}

/** {imports, bodies: [{index, size}], names: Map(index → name), dataBytes, total}. */
export function parseModule(bytes) {
  let pos = 8;
  let importedFunctions = 0;
  const bodies = [];
  const names = new Map();
  let dataBytes = 0;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    const end = pos + size;
    if (id === 2) {
      let count;
      let p;
      [count, p] = leb(bytes, pos);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = leb(bytes, p);
        p += len;
        [len, p] = leb(bytes, p);
        p += len;
        const kind = bytes[p++];
        if (kind === 0) {
          [, p] = leb(bytes, p);
          importedFunctions++;
        } else if (kind === 1) {
          p += 1;
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) {
          p += 2;
        } else if (kind === 4) {
          p += 1;
          [, p] = leb(bytes, p);
        }
      }
    } else if (id === 10) {
      let count;
      let p;
      [count, p] = leb(bytes, pos);
      for (let i = 0; i < count; i++) {
        let len;
        const start = p;
        [len, p] = leb(bytes, p);
        bodies.push({ index: importedFunctions + i, size: len + (p - start) });
        p += len;
      }
    } else if (id === 11) {
      dataBytes += size;
    } else if (id === 0) {
      let len;
      let p;
      [len, p] = leb(bytes, pos);
      const name = new TextDecoder().decode(bytes.subarray(p, p + len));
      p += len;
      if (name === "name") {
        while (p < end) {
          const sub = bytes[p++];
          let subSize;
          [subSize, p] = leb(bytes, p);
          const subEnd = p + subSize;
          if (sub === 1) {
            let count;
            let q;
            [count, q] = leb(bytes, p);
            for (let i = 0; i < count; i++) {
              let index;
              let nameLen;
              [index, q] = leb(bytes, q);
              [nameLen, q] = leb(bytes, q);
              names.set(index, new TextDecoder().decode(bytes.subarray(q, q + nameLen)));
              q += nameLen;
            }
          }
          p = subEnd;
        }
      }
    }
    pos = end;
  }
  return { bodies, names, dataBytes, total: bytes.length };
}

/** Rust legacy (`_ZN…E`) demangling, enough to read crate and module paths. */
export function demangle(symbol) {
  if (!symbol.startsWith("_ZN")) return symbol;
  const parts = [];
  let pos = 3;
  while (pos < symbol.length && symbol[pos] !== "E") {
    let digits = "";
    while (/\d/.test(symbol[pos])) digits += symbol[pos++];
    if (!digits) break;
    const length = Number(digits);
    parts.push(symbol.slice(pos, pos + length));
    pos += length;
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts
    .join("::")
    .replace(/^_\$/, "$")
    .replace(/\$LT\$/g, "<")
    .replace(/\$GT\$/g, ">")
    .replace(/\$RF\$/g, "&")
    .replace(/\$BP\$/g, "*")
    .replace(/\$C\$/g, ",")
    .replace(/\$u20\$/g, " ")
    .replace(/\$u27\$/g, "'")
    .replace(/\$u5b\$/g, "[")
    .replace(/\$u5d\$/g, "]")
    .replace(/\$u7b\$/g, "{")
    .replace(/\$u7d\$/g, "}")
    .replace(/\$u3b\$/g, ";")
    .replace(/\$u2b\$/g, "+")
    .replace(/\$u22\$/g, '"')
    .replace(/\.\./g, "::");
}

/** A function's name as a reader wants it: demangled, without crate and symbol hashes. */
export function readable(name) {
  return demangle(name).replace(/\[[0-9a-f]{16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");
}

/** The functions the wasm crate exports (`#[wasm_bindgen] fn`), billed with its bindings. */
const EXPORTS = /^(?:schedule|apr|disclose|subsidy|call|callJson|operations|engineVersion|scheduleFen|cnIrrFen|cnXirrFen|scoreLines|verifyBundle|rotateRoot|engine_\w+|__wbg_\w+)(?: (?:externref|multivalue) shim)*$/;

/** The group a function is billed to: serde code, a puhui module, or a crate. */
export function group(name) {
  // wasm-bindgen's `--keep-debug` names carry the crate hash: `core[c5930c85a12de822]::str::…`.
  const plain = readable(name);
  if (plain.startsWith("_R")) {
    // v0 mangling (the precompiled std): <len><ident> segments after Cs<hash>_ crate roots.
    if (/3fmt5float|5float.*7Display/.test(plain)) return "core::fmt f64/f32 formatting";
    if (/7unicode|8to_lower|8to_upper|11conversions/.test(plain)) return "core unicode tables";
    if (/8dlmalloc/.test(plain)) return "allocator / runtime";
    if (/17compiler_builtins/.test(plain)) return "compiler_builtins";
    if (/9panicking|5panic/.test(plain)) return "panic machinery";
    if (/3fmt/.test(plain)) return "core::fmt";
    if (/4core/.test(plain)) return "core";
    if (/5alloc/.test(plain)) return "alloc";
    if (/3std/.test(plain)) return "std";
    return "(other v0 symbols)";
  }
  if (/serde::de::|Deserialize|Visitor|MapAccess|SeqAccess|__FieldVisitor|__Field/.test(plain)) return "serde Deserialize (derives and serde_json::de)";
  if (/serde::ser::|Serialize|serde_json::ser/.test(plain)) return "serde Serialize";
  if (/core::fmt::float|float_to_decimal|flt2dec|f64 as core::fmt|f32 as core::fmt|dragon|grisu/.test(plain)) return "core::fmt f64/f32 formatting";
  if (/unicode|to_lower|to_upper|conversions/.test(plain)) return "core unicode tables";
  const inner = plain.replace(/^<+/, "");
  const path = inner.split(/::|[<> ,&*]/).filter(Boolean);
  const crate = path[0] ?? "(unnamed)";
  if (crate === "puhui" && path[1]) return `puhui::${path[1]}`;
  if (crate === "puhui_wasm" || EXPORTS.test(inner)) return "puhui_wasm (bindings and exports)";
  if ((crate === "core" || crate === "alloc") && path[1] === "fmt") return /float/.test(inner) ? "core::fmt f64/f32 formatting" : "core::fmt";
  if ((crate === "core" || crate === "std") && /^panic/.test(path[1] ?? "")) return "panic machinery";
  if (/^(wasm_bindgen|js_sys|__wbindgen|__wbg)/.test(crate)) return "wasm-bindgen / js-sys";
  if (crate === "rust_decimal") return "rust_decimal";
  if (/^(dlmalloc|__rust|__rdl|__rg)/.test(crate)) return "allocator / runtime";
  if (/^__(mul|div|udiv|ashl|lshr|ashr|umod|mod)/.test(crate)) return "compiler_builtins";
  if (/^__externref/.test(crate)) return "wasm-bindgen / js-sys";
  if (/^\d+$|^(func|\$)/.test(crate)) return "(unnamed)";
  // Methods of primitive and generic types (`<char as …>`, `<T as ToString>`, `<[T]>::…`): core
  // and alloc code instantiated for them.
  if (/^(char|str|bool|[iu](8|16|32|64|128|size)|f32|f64|T|\[T\]|\[u8\]|dyn|mut|A|F|D)$/.test(crate)) return "core / alloc (primitive and generic impls)";
  return crate;
}

export function attribute(bytes) {
  const { bodies, names, dataBytes, total } = parseModule(bytes);
  const groups = new Map();
  const functions = [];
  for (const { index, size } of bodies) {
    const name = names.get(index) ?? `func${index}`;
    const key = group(name);
    groups.set(key, (groups.get(key) ?? 0) + size);
    functions.push({ name: readable(name), size, group: key });
  }
  const code = bodies.reduce((sum, b) => sum + b.size, 0);
  return { total, code, data: dataBytes, counted: code + dataBytes, groups: [...groups].sort((a, b) => b[1] - a[1]).map(([name, size]) => ({ name, size })), functions: functions.sort((a, b) => b.size - a.size) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf("--top") + 1]) || 15;
  const result = attribute(readFileSync(file));
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ ...result, functions: result.functions.slice(0, top) }, null, 2));
  } else {
    console.log(`${file}: ${result.code} B code + ${result.data} B data (percentages of code + data; custom sections not counted)`);
    for (const g of result.groups) console.log(`${String(g.size).padStart(8)}  ${((100 * g.size) / result.counted).toFixed(1).padStart(5)} %  ${g.name}`);
    console.log(`${String(result.data).padStart(8)}  ${((100 * result.data) / result.counted).toFixed(1).padStart(5)} %  (data segments: static strings, tables)`);
    console.log(`\nlargest functions:`);
    for (const f of result.functions.slice(0, top)) console.log(`${String(f.size).padStart(8)}  ${f.group.padEnd(28).slice(0, 28)}  ${f.name.slice(0, 110)}`);
  }
}
