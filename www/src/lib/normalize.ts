// Input normalization: rewrites the notations people type (full-width digits, thousands
// separators, ¥ and 元, 万, a trailing %, spaces) into the plain decimal strings the engine
// parses. It only rewrites notation: it never rounds, never truncates and never does money math
// (moving a decimal point for 万 or % is a change of notation, done on the digit string).
// The engine stays the judge of the value (precision, ranges); this only refuses what is not a
// number at all, with a stable code the message catalog translates.

/** Why a text is not a number of the wanted kind. */
export type NormalizeCode = "required" | "not-a-number" | "negative" | "bad-grouping" | "not-integer";

export type Normalized = { ok: true; value: string } | { ok: false; code: NormalizeCode };

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0C\uFF05\uFFE5\uFF0D]/g;
const FULL_WIDTH_MAP: Record<string, string> = { "\uFF0E": ".", "\uFF0C": ",", "\uFF05": "%", "\uFFE5": "¥", "\uFF0D": "-" };

/** Full-width digits and signs to ASCII, every kind of space removed, 。/、 left alone. */
function ascii(text: string): string {
  return text
    .replace(FULL_WIDTH, (ch) => FULL_WIDTH_MAP[ch] ?? String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00A0]+/g, "")
    .replace(/，/g, ",");
}

/** Moves the decimal point of a plain non-negative decimal string by `shift` places (+ right). */
export function shiftPoint(plain: string, shift: number): string {
  const [int = "", frac = ""] = plain.split(".");
  let digits = int + frac;
  let point = int.length + shift;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  const head = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  const tail = digits.slice(point);
  return tail ? `${head}.${tail}` : head;
}

/** Checks and removes thousands separators: "10,000.00" → "10000.00"; "1,00" is refused. */
function ungroup(text: string): string | null {
  if (!text.includes(",")) return text;
  const [int = "", frac] = text.split(".");
  if (!/^\d{1,3}(,\d{3})+$/.test(int)) return null;
  return int.replace(/,/g, "") + (frac === undefined ? "" : `.${frac}`);
}

function plainDecimal(text: string): Normalized {
  if (text === "") return { ok: false, code: "required" };
  if (text.startsWith("-")) return /^-[\d.,]+$/.test(text) ? { ok: false, code: "negative" } : { ok: false, code: "not-a-number" };
  const ungrouped = ungroup(text);
  if (ungrouped === null) return { ok: false, code: "bad-grouping" };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(ungrouped)) return { ok: false, code: "not-a-number" };
  let value = ungrouped.startsWith(".") ? `0${ungrouped}` : ungrouped;
  if (value.endsWith(".")) value = value.slice(0, -1);
  value = value.replace(/^0+(?=\d)/, "");
  return { ok: true, value };
}

/**
 * An amount in yuan: "１００００", "1万", "¥10,000", "10,000.00 元", "1.5万元" → "10000", "10000",
 * "10000", "10000.00", "15000". Fraction digits are kept as typed (the engine refuses over-precision).
 */
export function normalizeAmount(input: string): Normalized {
  let text = ascii(input);
  if (text === "") return { ok: false, code: "required" };
  text = text.replace(/^(¥|￥|RMB|CNY)/i, "").replace(/(元|块|圆|RMB|CNY)$/i, "");
  let shift = 0;
  if (text.endsWith("万")) {
    shift = 4;
    text = text.slice(0, -1);
  }
  const plain = plainDecimal(text);
  if (!plain.ok || shift === 0) return plain;
  return { ok: true, value: shiftPoint(plain.value, shift) };
}

/** A percentage as typed ("7.2", "7.2%", "７．２％") → the fraction the engine takes ("0.072"). */
export function normalizePercent(input: string): Normalized {
  let text = ascii(input);
  if (text.endsWith("%")) text = text.slice(0, -1);
  if (text.includes(",")) return { ok: false, code: "not-a-number" };
  const plain = plainDecimal(text);
  if (!plain.ok) return plain;
  // Trailing fraction zeros say nothing about a rate ("7.20%" = "0.072"); they are dropped.
  const fraction = shiftPoint(plain.value, -2);
  return { ok: true, value: fraction.includes(".") ? fraction.replace(/0+$/, "").replace(/\.$/, "") : fraction };
}

/** A whole count (months, age): "１２", "12", "12期", "12个月" → "12"; "12.5" is refused, never truncated. */
export function normalizeInteger(input: string): Normalized {
  const text = ascii(input).replace(/(个月|期|月|岁|周岁)$/, "");
  if (text === "") return { ok: false, code: "required" };
  if (text.startsWith("-")) return { ok: false, code: "negative" };
  if (/^\d+\.\d*$/.test(text) && !/^\d+\.0*$/.test(text)) return { ok: false, code: "not-integer" };
  if (!/^\d+(\.0*)?$/.test(text)) return { ok: false, code: "not-a-number" };
  return { ok: true, value: text.replace(/\..*$/, "").replace(/^0+(?=\d)/, "") };
}
