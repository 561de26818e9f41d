// @ts-check
// A small UTF-8 codec standing in for TextEncoder/TextDecoder on hosts that lack them
// (WeChat and Alipay mini-programs). esbuild injects it into the mini-program builds in place of
// the globals, so the wasm-bindgen glue runs unchanged. Encoding follows the WHATWG encoder
// (lone surrogates become U+FFFD); decoding is strict when `fatal` is set, as the glue asks.

/**
 * @param {unknown} text
 * @returns {Uint8Array}
 */
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

/**
 * The WHATWG UTF-8 decoder (maximal-subpart replacement; `fatal` throws instead).
 * @param {Uint8Array} bytes
 * @param {boolean} fatal
 * @returns {string}
 */
function decode(bytes, fatal) {
  let out = "";
  /** @type {number[]} */
  let chunk = [];
  const flush = () => {
    out += String.fromCharCode.apply(null, chunk);
    chunk = [];
  };
  /** @param {number} cp */
  const emit = (cp) => {
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      chunk.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      chunk.push(cp);
    }
    if (chunk.length > 4096) flush();
  };
  const error = () => {
    if (fatal) throw new TypeError("The encoded data was not valid for encoding utf-8");
    emit(0xfffd);
  };
  let needed = 0;
  let seen = 0;
  let cp = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (needed === 0) {
      if (b <= 0x7f) emit(b);
      else if (b >= 0xc2 && b <= 0xdf) { needed = 1; cp = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) { if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; needed = 2; cp = b & 0x0f; }
      else if (b >= 0xf0 && b <= 0xf4) { if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; needed = 3; cp = b & 0x07; }
      else error();
      continue;
    }
    if (b < lower || b > upper) {
      needed = seen = cp = 0;
      lower = 0x80;
      upper = 0xbf;
      error();
      i--; // the byte starts over
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    seen++;
    if (seen === needed) {
      emit(cp);
      needed = seen = cp = 0;
    }
  }
  if (needed !== 0) error();
  flush();
  return out;
}

export class TextEncoder {
  get encoding() {
    return "utf-8";
  }
  /**
   * @param {string} [text]
   * @returns {Uint8Array}
   */
  encode(text = "") {
    return encode(text);
  }
  /**
   * @param {string} text
   * @param {Uint8Array} target
   * @returns {{ read: number, written: number }}
   */
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
      const cp = /** @type {number} */ (s.codePointAt(read));
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (counted + size > written) break;
      counted += size;
      read += cp >= 0x10000 ? 2 : 1;
    }
    return { read, written };
  }
}

export class TextDecoder {
  /**
   * @param {string} [label]
   * @param {{ fatal?: boolean }} [options]
   */
  constructor(label = "utf-8", options = {}) {
    if (String(label).toLowerCase().replace("utf8", "utf-8") !== "utf-8") throw new RangeError("only utf-8 is supported");
    this.fatal = Boolean(options && options.fatal);
  }
  get encoding() {
    return "utf-8";
  }
  /**
   * @param {ArrayBuffer | ArrayBufferView} [input]
   * @returns {string}
   */
  decode(input) {
    if (input === undefined) return "";
    const view = /** @type {Partial<ArrayBufferView> & { byteLength: number }} */ (input);
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(view.buffer ? view.buffer : /** @type {ArrayBuffer} */ (input), view.byteOffset || 0, view.byteLength);
    return decode(bytes, this.fatal);
  }
}
