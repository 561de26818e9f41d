// <puhui-offer>: one lender offer inside a partner's page. It reuses the consumer page's parts:
// the engine owner (lib/engine.ts), the bundle loader wrapper (lib/bundle.ts: the shipped loader,
// verification in wasm, last-good persistence), the input normalizer, the i18n catalog keyed by
// engine codes, and the offer renderer (components/offer.ts) with the components' stylesheet.
// Everything renders inside an open shadow root; theming goes through --puhui-* custom properties
// and ::part() hooks only. The trust root is a property (`pinnedRoot`) or a
// <script type="application/json"> child, never fetched. Events (bubbling, composed):
// puhui-ready, puhui-quote, puhui-apply, puhui-error; none carries pre-eligibility answers (the
// embed asks none).
import { configureEngine, asEngineError } from "../lib/engine";
import { loadBundle, BundleFailure, type LoadedBundle } from "../lib/bundle";
import { normalizeAmount } from "../lib/normalize";
import { t, bandText, errorText, type Lang } from "../lib/i18n";
import { money, today } from "../lib/format";
import { h } from "../lib/dom";
import { renderOffer } from "../components/offer";
import { selectField, setOptions, type Field } from "../components/field";
import type { QuoteRequest, QuoteWithParties, Method, ProductWithParties } from "../lib/types";
import { adoptStyles } from "./styles";
import { embedText } from "./texts";

/** Attributes the element reads (all optional). */
export const OFFER_ATTRIBUTES = ["bundle-url", "bundle-id", "channel", "product", "amount", "term", "method", "band", "lang", "start-date", "compact"] as const;

/** `puhui-error` detail: the stable code, the engine's or loader's message, where it applies. */
export interface OfferErrorDetail {
  code: string;
  message: string;
  path?: string;
  /** "bundle" (no verified bundle: `state` says offline or unverifiable), "input", "config". */
  source: "bundle" | "input" | "config";
  state?: "offline" | "unverifiable";
  /** The loader's per-step warnings (codes and messages) when the bundle failed. */
  details?: { code: string; message: string }[];
}

/** What the person chose, sent with `puhui-apply`: decimal strings, never floats. */
export interface OfferApplyDetail {
  productId: string;
  amount: string;
  termMonths: number;
  method: string;
  band?: string;
  startDate: string;
  /** The annualized rate shown (China IRR, simple), display percent ("7.20"). */
  aprPercent: string;
  firstPayment: string;
  totalRepaid: string;
  bundle: { bundleId: string; version: number; sha256: string };
}

let pkgBase = "/pkg/web/"; // made absolute by configurePackage

/** Where the wasm package (puhui.js, puhui_calc.js, loader.js) is served; set before the first element loads. */
export function configurePackage(base: string): void {
  const absolute = new URL(base, location.href).href;
  pkgBase = absolute.endsWith("/") ? absolute : `${absolute}/`;
  configureEngine({ baseUrl: pkgBase });
}

const LANG_OF = (value: string | null): Lang => (value === "en" ? "en" : "zh-CN");
const REFUSAL_NOISE = new Set(["network", "http-error", "storage-read-failed", "storage-write-failed"]);

export class PuhuiOfferElement extends HTMLElement {
  static get observedAttributes(): readonly string[] {
    return OFFER_ATTRIBUTES;
  }

  #shadow: ShadowRoot;
  #box: HTMLDivElement;
  #status: HTMLParagraphElement;
  #grade: Field<HTMLSelectElement>;
  #gradeHint: HTMLParagraphElement;
  /** Options of the grade picker as last filled (product, language): refilled only on change. */
  #gradeKey = "";
  #out: HTMLDivElement;
  #apply: HTMLButtonElement;
  #root: string | null = null;
  #bundleKey = "";
  #bundle: LoadedBundle | null = null;
  #quote: { request: QuoteRequest; quote: QuoteWithParties } | null = null;
  #scheduled = false;
  #generation = 0;
  #readySent = "";

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: "open" });
    adoptStyles(this.#shadow);
    this.#status = h("p", { class: "embed-status", part: "status", role: "status" });
    // A product priced by credit grade needs one: when the partner sets no `band`, the person
    // picks it here (the first grade to start with, said to be a choice, never hidden).
    this.#grade = selectField("band", "", []);
    this.#gradeHint = h("p", { class: "field-hint" });
    this.#grade.wrap.append(this.#gradeHint);
    this.#grade.wrap.classList.add("embed-grade");
    this.#grade.wrap.setAttribute("part", "grade");
    this.#grade.wrap.hidden = true;
    this.#grade.control.addEventListener("change", () => this.#schedule());
    this.#out = h("div", { class: "embed-offer", "aria-live": "polite" });
    this.#apply = h("button", { type: "button", class: "primary embed-apply", part: "apply" });
    this.#apply.addEventListener("click", () => this.#onApply());
    this.#box = h("div", { class: "embed", part: "container", "data-state": "loading" }, this.#status, this.#grade.wrap, this.#out, this.#apply);
    this.#shadow.append(this.#box);
  }

  /** The pinned trust root envelope (JSON text or the parsed object); never fetched by the element. */
  get pinnedRoot(): string | null {
    return this.#root;
  }

  set pinnedRoot(value: string | object | null) {
    this.#root = value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value);
    this.#schedule();
  }

  /** The last quote shown (`{request, quote}`), or null. */
  get quote(): { request: QuoteRequest; quote: QuoteWithParties } | null {
    return this.#quote;
  }

  connectedCallback(): void {
    // A `pinnedRoot` set before the element was upgraded is an own property hiding the setter.
    if (Object.prototype.hasOwnProperty.call(this, "pinnedRoot")) {
      const value = (this as unknown as { pinnedRoot: string | object | null }).pinnedRoot;
      delete (this as unknown as { pinnedRoot?: unknown }).pinnedRoot;
      this.pinnedRoot = value;
    }
    this.#schedule();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.#schedule();
  }

  /** Several attribute changes in one task give one re-quote. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#update();
    });
  }

  get #lang(): Lang {
    return LANG_OF(this.getAttribute("lang"));
  }

  #trustRoot(): string | null {
    if (this.#root) return this.#root;
    const script = this.querySelector('script[type="application/json"]');
    const text = script?.textContent?.trim();
    return text ? text : null;
  }

  #setState(state: "loading" | "ready" | "error", text: string, code?: string): void {
    this.#box.dataset.state = state;
    this.#box.lang = this.#lang;
    this.#box.setAttribute("aria-label", embedText(this.#lang, "label"));
    this.#status.textContent = text;
    this.#status.setAttribute("part", state === "error" ? "status error" : "status");
    if (code) this.#box.dataset.code = code;
    else delete this.#box.dataset.code;
    this.#apply.textContent = embedText(this.#lang, "apply");
  }

  #emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #fail(detail: OfferErrorDetail, text: string): void {
    this.#quote = null;
    // An input refusal keeps the grade picker (the person may change the grade); without a
    // bundle or a trust root there is nothing to pick from.
    if (detail.source !== "input") this.#grade.wrap.hidden = true;
    this.#out.replaceChildren();
    this.#setState("error", text, detail.code);
    this.#emit("puhui-error", detail);
  }

  async #update(): Promise<void> {
    const generation = ++this.#generation;
    const lang = this.#lang;
    const root = this.#trustRoot();
    if (!root && document.readyState === "loading") {
      // The <script type="application/json"> child may not be parsed yet.
      document.addEventListener("DOMContentLoaded", () => this.#schedule(), { once: true });
      return;
    }
    if (!root) {
      this.#fail({ code: "no-trust-root", message: "set the pinnedRoot property or add a <script type=\"application/json\"> child with the trust root", source: "config" }, embedText(lang, "noRoot"));
      return;
    }
    const options = {
      baseUrl: new URL(this.getAttribute("bundle-url") ?? new URL("../../bundles/", new URL(pkgBase, location.href)).href, location.href).href,
      bundleId: this.getAttribute("bundle-id") ?? "puhui-sample",
      ...(this.getAttribute("channel") ? { channel: this.getAttribute("channel") as string } : {}),
      pinnedRoot: root,
      pkgBase,
    };
    const key = JSON.stringify(options);
    if (key !== this.#bundleKey || !this.#bundle) {
      this.#bundleKey = key;
      this.#bundle = null;
      this.#grade.wrap.hidden = true;
      this.#setState("loading", embedText(lang, "loading"));
      try {
        const loaded = await loadBundle(options);
        if (generation !== this.#generation && key !== this.#bundleKey) return;
        this.#bundle = loaded;
      } catch (error) {
        if (generation !== this.#generation) return;
        const failure = error instanceof BundleFailure ? error : new BundleFailure("unverifiable", "load-failed", [{ code: "load-failed", message: String(error) }]);
        // The refusal that matters is the verifier's (bad-signature, rollback...), not the summary.
        const refusal = failure.details.find((d) => !REFUSAL_NOISE.has(d.code))?.code ?? failure.code;
        this.#fail(
          { code: refusal, message: failure.details.map((d) => `${d.code}: ${d.message}`).join("; ") || failure.message, source: "bundle", state: failure.state, details: failure.details.map((d) => ({ code: d.code, message: d.message })) },
          t(lang, failure.state === "offline" ? "offers.offline" : "offers.unverifiable"),
        );
        return;
      }
    }
    if (generation !== this.#generation) return;
    const bundle = this.#bundle;
    if (!bundle) return;
    const products = bundle.engine.products().products as ProductWithParties[];
    if (this.#readySent !== key) {
      this.#readySent = key;
      const s = bundle.summary;
      this.#emit("puhui-ready", { bundle: { bundleId: s.bundleId, version: s.version, channel: s.channel, issuedAt: s.issuedAt, expiresAt: s.expiresAt }, state: bundle.state, preview: bundle.engine.preview, products: products.map((p) => p.id) });
    }
    this.#quoteNow(bundle, products, lang);
  }

  #quoteNow(bundle: LoadedBundle, products: ProductWithParties[], lang: Lang): void {
    const wanted = this.getAttribute("product");
    const product = wanted ? products.find((p) => p.id === wanted) : products[0];
    if (!product) {
      this.#fail({ code: "unknown-product", message: `no product ${JSON.stringify(wanted)} in the bundle`, path: "productId", source: "input" }, errorText(lang, "unknown-product"));
      return;
    }
    // What people type is rewritten to the engine's plain decimal ("1万" → "10000"); what the
    // normalizer refuses ("abc", "-5") goes to the engine as typed, so the refusal is the
    // engine's, with a code of docs/errors.md (malformed-decimal, amount-out-of-range) and its
    // path, exactly what `quote` answers for that text at every other door.
    const typed = this.getAttribute("amount")?.trim() ?? "";
    const normalized = typed === "" ? ({ ok: true, value: product.amount.min } as const) : normalizeAmount(typed);
    const rawTerm = this.getAttribute("term");
    const termMonths = rawTerm === null ? (product.terms.includes(12) ? 12 : (product.terms[0] ?? 12)) : /^\d{1,3}$/.test(rawTerm.trim()) ? Number(rawTerm.trim()) : 0;
    const request: QuoteRequest = {
      productId: product.id,
      amount: normalized.ok ? normalized.value : typed,
      termMonths,
      method: (this.getAttribute("method") ?? product.methods[0] ?? "equal-installment") as Method,
      startDate: this.getAttribute("start-date") ?? today(),
    };
    const band = this.#band(product, lang);
    if (band) request.band = band;
    let quote: QuoteWithParties;
    try {
      quote = bundle.engine.quote(request);
    } catch (error) {
      const e = asEngineError(error);
      const code = e.code ?? "error";
      this.#fail({ code, message: e.message, ...(e.path ? { path: e.path } : {}), source: "input" }, errorText(lang, code, { min: money(product.amount.min, lang), max: money(product.amount.max, lang), step: money(product.amount.step, lang) }));
      return;
    }
    const offer = renderOffer(quote, { lang, summary: bundle.summary, bundleState: bundle.state });
    for (const [selector, part] of [[".offer", "offer"], [".offer-name", "name"], [".offer-headline", "headline"], [".offer-rate", "rate"], [".figures", "figures"]] as const) {
      const el = selector === ".offer" ? offer : offer.querySelector(selector);
      el?.setAttribute("part", part);
    }
    this.#out.replaceChildren(offer);
    this.#quote = { request, quote };
    this.#setState("ready", "");
    // For the first-figure benchmark (benches/embed): once per page, relative to navigation start.
    if (performance.getEntriesByName("puhui:embed-first-figure").length === 0) performance.mark("puhui:embed-first-figure");
    this.#emit("puhui-quote", { request, quote });
  }

  /** The partner's `band`, else (for a product priced by grade) the grade picked in the element. */
  #band(product: ProductWithParties, lang: Lang): string | null {
    const fixed = this.getAttribute("band") || null;
    this.#grade.wrap.hidden = fixed !== null || product.bands.length === 0;
    if (!this.#grade.wrap.hidden) {
      const key = JSON.stringify([product.id, product.bands, lang]);
      if (key !== this.#gradeKey) {
        this.#gradeKey = key;
        this.#grade.wrap.querySelector("label")?.replaceChildren(t(lang, "offers.band"));
        this.#gradeHint.textContent = t(lang, "offers.bandChosenHint");
        setOptions(this.#grade.control, product.bands.map((b) => ({ value: b, label: bandText(lang, b) })));
      }
      return this.#grade.control.value || null;
    }
    return fixed;
  }

  #onApply(): void {
    const current = this.#quote;
    if (!current) return;
    const { request, quote } = current;
    const detail: OfferApplyDetail = {
      productId: request.productId,
      amount: request.amount,
      termMonths: request.termMonths,
      method: request.method ?? "",
      ...(request.band ? { band: request.band } : {}),
      startDate: request.startDate ?? "",
      aprPercent: quote.disclosure.cn.percent,
      firstPayment: quote.schedule.installments[0]?.payment ?? "",
      totalRepaid: quote.disclosure.totalRepaid,
      bundle: { bundleId: quote.bundle.bundleId, version: quote.bundle.version, sha256: quote.bundle.sha256 },
    };
    this.#emit("puhui-apply", detail);
  }
}

/** Registers `<puhui-offer>` once (a second copy of the script is harmless). */
export function defineOffer(options: { pkgBase?: string } = {}): void {
  if (options.pkgBase) configurePackage(options.pkgBase);
  if (!customElements.get("puhui-offer")) customElements.define("puhui-offer", PuhuiOfferElement);
}
