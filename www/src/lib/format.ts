// Display formatting of the engine's decimal strings through `Intl.NumberFormat`. Strings are
// passed to Intl as strings (exact decimal formatting, no float conversion), with as many fraction
// digits as the engine gave, so formatting never rounds a figure. No arithmetic happens here.
import type { Lang } from "./i18n";

type StringFormat = (value: string) => string;
const cache = new Map<string, Intl.NumberFormat>();

function formatter(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let nf = cache.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(lang, options);
    cache.set(key, nf);
  }
  return nf;
}

function decimals(value: string): number {
  const dot = value.indexOf(".");
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** Intl accepts decimal strings exactly (ECMA-402 "StringNumericLiteral"); typed here once. */
function fmt(nf: Intl.NumberFormat): StringFormat {
  return (value) => (nf.format as unknown as StringFormat)(value);
}

const PLAIN = /^-?\d+(\.\d+)?$/;

/** "10000.00" → "¥10,000.00" (zh-CN and en alike: the narrow yuan sign). Non-decimals pass through. */
export function money(value: string, lang: Lang): string {
  if (!PLAIN.test(value)) return value;
  const digits = Math.max(2, decimals(value));
  return fmt(formatter(lang, { style: "currency", currency: "CNY", currencyDisplay: "narrowSymbol", minimumFractionDigits: digits, maximumFractionDigits: digits }))(value);
}

/** An engine display percent ("7.20") → "7.20%". */
export function percent(value: string, lang: Lang): string {
  if (!PLAIN.test(value)) return value;
  const digits = decimals(value);
  return `${fmt(formatter(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }))(value)}%`;
}

/** A rate given as a fraction ("0.060839") → "6.08%" (Intl's decimal rounding, display only). */
export function fractionPercent(value: string, lang: Lang, digits = 2): string {
  if (!PLAIN.test(value)) return value;
  return fmt(formatter(lang, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }))(value);
}

/** A per-period fraction shown exactly ("0.006" → "0.6%"), no rounding. */
export function exactPercent(value: string, lang: Lang): string {
  if (!PLAIN.test(value)) return value;
  const trimmed = value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
  const digits = Math.max(0, decimals(trimmed) - 2);
  return fmt(formatter(lang, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }))(trimmed);
}

/** A multiple as the engine gives it ("4", "4.0", "3.50") → "4", "4", "3.5": trailing zeros only. */
export function multiple(value: string): string {
  return PLAIN.test(value) && value.includes(".") ? value.replace(/\.?0+$/, "") : value;
}

/** "2026-11-29" or an RFC 3339 instant → a localized date. */
export function date(value: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const [, y, m, d] = match;
  return lang === "en" ? `${y}-${m}-${d}` : `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

/** Today's date on the host clock, `YYYY-MM-DD` (local calendar). */
export function today(clock: () => Date = () => new Date()): string {
  const now = clock();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
