// A small UTF-8 codec standing in for TextEncoder/TextDecoder on hosts that lack them
// (WeChat and Alipay mini-programs). esbuild injects it into the mini-program builds in place of
// the globals, so the wasm-bindgen glue runs unchanged. Encoding follows the WHATWG encoder
// (lone surrogates become U+FFFD); decoding is strict when `fatal` is set, as the glue asks.

function encode(text) {
  const s = String(text);
  const out = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        cp = 0xfffd;
      }
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      cp = 0xfffd;
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return new Uint8Array(out);
}

function decode(bytes, fatal) {
  let out = "";
  let chunk = [];
  const flush = () => {
    out += String.fromCharCode.apply(null, chunk);
    chunk = [];
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0) { need = 1; cp = b & 0x1f; min = 0x80; }
    else if (b >= 0xe0 && b < 0xf0) { need = 2; cp = b & 0x0f; min = 0x800; }
    else if (b >= 0xf0 && b < 0xf5) { need = 3; cp = b & 0x07; min = 0x10000; }
    else need = -1;
    let ok = need >= 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (!ok) {
      if (fatal) throw new TypeError("The encoded data was not valid for encoding utf-8");
      chunk.push(0xfffd);
      i += 1;
    } else {
      if (cp >= 0x10000) {
        cp -= 0x10000;
        chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else {
        chunk.push(cp);
      }
      i += need + 1;
    }
    if (chunk.length > 4096) flush();
  }
  flush();
  return out;
}

export class TextEncoder {
  get encoding() {
    return "utf-8";
  }
  encode(text = "") {
    return encode(text);
  }
  encodeInto(text, target) {
    const bytes = encode(text);
    // The glue only calls encodeInto with room it computed from the string length (≤ 3 bytes per
    // UTF-16 unit); write whole characters that fit, as the standard does.
    let written = bytes.length;
    if (written > target.length) {
      written = target.length;
      while (written > 0 && (bytes[written] & 0xc0) === 0x80) written--;
    }
    target.set(bytes.subarray(0, written));
    let read = 0;
    let counted = 0;
    const s = String(text);
    while (read < s.length) {
      const cp = s.codePointAt(read);
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (counted + size > written) break;
      counted += size;
      read += cp >= 0x10000 ? 2 : 1;
    }
    return { read, written };
  }
}

export class TextDecoder {
  constructor(label = "utf-8", options = {}) {
    if (String(label).toLowerCase().replace("utf8", "utf-8") !== "utf-8") throw new RangeError("only utf-8 is supported");
    this.fatal = Boolean(options && options.fatal);
  }
  get encoding() {
    return "utf-8";
  }
  decode(input) {
    if (input === undefined) return "";
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input.buffer ? input.buffer : input, input.byteOffset || 0, input.byteLength);
    return decode(bytes, this.fatal);
  }
}
