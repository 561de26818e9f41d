// @ts-check
// UTF-8 at the loader's edges: bodies are decoded strictly before anything parses them, and a
// request adapter that was handed text instead of bytes gets its bytes back. The host's
// TextEncoder/TextDecoder when it has them, otherwise the codec of ../utf8.js (the one the
// mini-program builds inject for the wasm glue), so there is one UTF-8 implementation to trust.
import { TextDecoder as FallbackDecoder, TextEncoder as FallbackEncoder } from "../utf8.js";

/**
 * UTF-8 bytes of a string.
 * @param {string} text
 * @returns {Uint8Array}
 */
export function utf8Encode(text) {
  const Encoder = typeof TextEncoder === "function" ? TextEncoder : FallbackEncoder;
  return new Encoder().encode(text);
}

/**
 * Strict UTF-8 decoding: null on invalid input.
 * @param {Uint8Array} bytes
 * @returns {string | null}
 */
export function utf8Decode(bytes) {
  const Decoder = typeof TextDecoder === "function" ? TextDecoder : FallbackDecoder;
  try {
    return new Decoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
