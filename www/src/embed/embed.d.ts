// Types of the partner embed (embed.js), shipped next to puhui.d.ts in the web package.
// Importing embed.js registers <puhui-offer>. Money and rates are decimal strings ("866.19"),
// never floats. No event or message carries pre-eligibility answers: the embed asks none.
import type { Quote, QuoteRequest } from "./puhui.js";

/** Attributes of <puhui-offer>; every one is optional and changing one re-quotes. */
export interface PuhuiOfferAttributes {
  /** URL of the bundle tree (default: `../../bundles/` relative to embed.js). */
  "bundle-url"?: string;
  /** Default "puhui-sample". */
  "bundle-id"?: string;
  /** Signed channel, default "production". */
  channel?: string;
  /** Product id from the bundle (default: its first product). */
  product?: string;
  /** Plain decimal or what people type ("10000", "1万", "¥10,000"); default the product minimum. */
  amount?: string;
  /** Months (default 12 when offered, else the first term). */
  term?: string;
  /** equal-installment | equal-principal | interest-only | bullet | flat-fee (default the product's first). */
  method?: string;
  /** Credit grade, for products priced by grade. Without it such a product shows a grade picker
   * (the first grade chosen to start with); the grade picked is the `band` of the quote and apply. */
  band?: string;
  /** "zh-CN" (default) or "en". */
  lang?: "zh-CN" | "en";
  /** `YYYY-MM-DD`, default today on the host clock. */
  "start-date"?: string;
  /** Present: the rate, payment, total and apply button only. */
  compact?: "" | boolean;
}

/** `puhui-ready`: a bundle verified in wasm and ready to quote. */
export interface OfferReadyDetail {
  bundle: { bundleId: string; version: number; channel: string; issuedAt: string; expiresAt: string };
  /** "fresh", "cached" (last good copy, the update failed) or "stale" (expired, within grace). */
  state: "fresh" | "cached" | "stale";
  preview: boolean;
  products: string[];
}

/** `puhui-quote`: the request sent to the engine and its full quote JSON. */
export interface OfferQuoteDetail {
  request: QuoteRequest;
  quote: Quote;
}

/** `puhui-apply`: what the person chose. */
export interface OfferApplyDetail {
  productId: string;
  amount: string;
  termMonths: number;
  method: string;
  band?: string;
  startDate: string;
  /** China IRR annualized rate (simple), display percent, e.g. "7.20". */
  aprPercent: string;
  firstPayment: string;
  totalRepaid: string;
  bundle: { bundleId: string; version: number; sha256: string };
}

/**
 * `puhui-error`: a stable kebab-case `code`. For `source: "input"` it is always an engine code of
 * docs/errors.md, the one `quote` answers for the same attributes at every door (an unreadable
 * amount is `malformed-decimal`, a negative one `amount-out-of-range`); for "bundle" the
 * verifier's or the loader's; for "config" `no-trust-root`.
 */
export interface OfferErrorDetail {
  code: string;
  message: string;
  path?: string;
  /** "bundle": no verified bundle (`state` says why); "input": the attributes; "config": no trust root. */
  source: "bundle" | "input" | "config";
  state?: "offline" | "unverifiable";
  details?: { code: string; message: string }[];
}

export interface PuhuiOfferEventMap {
  "puhui-ready": CustomEvent<OfferReadyDetail>;
  "puhui-quote": CustomEvent<OfferQuoteDetail>;
  "puhui-apply": CustomEvent<OfferApplyDetail>;
  "puhui-error": CustomEvent<OfferErrorDetail>;
}

/** <puhui-offer>. Theme with --puhui-accent, --puhui-accent-ink, --puhui-ink, --puhui-muted,
 * --puhui-line, --puhui-card, --puhui-bg, --puhui-focus, --puhui-radius, --puhui-font,
 * --puhui-rem; parts: container, status, error, grade, offer, name, headline, rate, figures, apply. */
export declare class PuhuiOfferElement extends HTMLElement {
  /** The pinned trust root envelope (JSON text or object). Never fetched by the element. */
  pinnedRoot: string | object | null;
  /** The last quote shown, or null. */
  readonly quote: OfferQuoteDetail | null;
  addEventListener<K extends keyof PuhuiOfferEventMap>(type: K, listener: (this: PuhuiOfferElement, event: PuhuiOfferEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** Registers <puhui-offer> (done on import; safe to call again). */
export declare function defineOffer(options?: { pkgBase?: string }): void;
/** Where puhui.js, puhui_calc.js and loader.js are served (default: embed.js's directory). */
export declare function configurePackage(base: string): void;
export declare const OFFER_ATTRIBUTES: readonly (keyof PuhuiOfferAttributes)[];

/** /embed.html, host → frame (`frame.contentWindow.postMessage(msg, lenderOrigin)`). */
export interface EmbedSetMessage {
  type: "puhui:set";
  product?: string | null;
  amount?: string | null;
  term?: string | number | null;
  method?: string | null;
  band?: string | null;
  startDate?: string | null;
  lang?: "zh-CN" | "en" | null;
  compact?: boolean | null;
}

/** /embed.html, frame → host (sent to the host's origin only). */
export type EmbedFrameMessage =
  | ({ type: "puhui:ready" } & OfferReadyDetail)
  | ({ type: "puhui:quote" } & OfferQuoteDetail)
  | { type: "puhui:apply"; choice: OfferApplyDetail }
  | { type: "puhui:resize"; height: number }
  | ({ type: "puhui:error" } & OfferErrorDetail);

declare global {
  interface HTMLElementTagNameMap {
    "puhui-offer": PuhuiOfferElement;
  }
}
