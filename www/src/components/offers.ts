// Offers from the verified bundle: product, amount, term, method, credit grade, subsidy already
// used, start date and promotions in; the engine's quote out through `renderOffer`. Re-quotes on
// every change (debounced); while typing, the previous offer is hidden rather than shown beside
// inputs it does not belong to. Errors are shown at their field in the current language.
import type { EngineInstance } from "../lib/engine";
import { asEngineError } from "../lib/engine";
import type { ProductWithParties, QuoteRequest, BundleSummary, Method } from "../lib/types";
import { t, bandText, errorText, fieldErrorText, type Lang, type MessageKey } from "../lib/i18n";
import { normalizeAmount } from "../lib/normalize";
import { money } from "../lib/format";
import { h, debounce } from "../lib/dom";
import { textField, selectField, dateField, setOptions, type Field } from "./field";
import { renderOffer } from "./offer";
import { localized } from "./parties";

export interface OffersState {
  productId: string;
  amount: string;
  term: string;
  method: string;
  band: string;
  used: string;
  start: string;
  promotions: string[];
}

export interface OffersOptions {
  lang: Lang;
  engine: EngineInstance;
  summary: BundleSummary;
  bundleState: "fresh" | "cached" | "stale";
  today: () => string;
  initial?: Partial<OffersState>;
}

export interface Offers {
  state(): OffersState;
  /** Selects a credit grade (from pre-eligibility) and re-quotes. */
  setBand(band: string): void;
}

export function mountOffers(root: HTMLElement, options: OffersOptions): Offers {
  const { lang, engine } = options;
  const products = engine.products().products as ProductWithParties[];
  const first = products[0];
  const initial: OffersState = {
    productId: first?.id ?? "",
    amount: first ? first.amount.min : "",
    term: "12",
    method: "",
    band: "",
    used: "0",
    start: options.today(),
    promotions: [],
    ...options.initial,
  };
  const product = selectField("product", t(lang, "offers.product"), products.map((p) => ({ value: p.id, label: localized(p.name, lang) })), initial.productId);
  const amount = textField("amount", t(lang, "offers.amount"), { value: initial.amount });
  const term = selectField("term", t(lang, "offers.term"), []);
  const method = selectField("method", t(lang, "offers.method"), []);
  const band = selectField("band", t(lang, "offers.band"), []);
  const bandHint = h("p", { class: "field-hint" }, t(lang, "offers.bandHint"));
  band.wrap.append(bandHint);
  const used = textField("used", t(lang, "offers.used"), { value: initial.used });
  const start = dateField("start", t(lang, "offers.start"), initial.start);
  const promoBox = h("fieldset", { class: "promotions" }, h("legend", {}, t(lang, "offers.promotions")));
  const range = h("p", { class: "field-hint", "data-range": "" });
  amount.wrap.append(range);
  const fields: Record<string, Field<HTMLInputElement | HTMLSelectElement>> = { productId: product, amount, termMonths: term, method, band, subsidyUsed: used, startDate: start };
  const form = h("form", { method: "dialog", class: "offer-form", novalidate: true }, product.wrap, amount.wrap, term.wrap, method.wrap, band.wrap, used.wrap, start.wrap, promoBox);
  const out = h("div", { class: "offer-out", "aria-live": "polite", "data-state": "pending" });
  const errorBox = h("p", { class: "form-error", role: "alert", hidden: true });
  root.replaceChildren(h("div", { class: "offers", lang }, form, errorBox, out));

  function current(): ProductWithParties | undefined {
    return products.find((p) => p.id === product.control.value) ?? first;
  }

  function fillProduct(keep: Partial<OffersState> = {}): void {
    const p = current();
    if (!p) return;
    setOptions(term.control, p.terms.map((n) => ({ value: String(n), label: t(lang, "offers.termOption", { n }) })), keep.term ?? (p.terms.includes(12) ? "12" : String(p.terms[0])));
    setOptions(method.control, p.methods.map((m) => ({ value: m, label: t(lang, `method.${m}` as MessageKey) })), keep.method);
    band.wrap.hidden = p.bands.length === 0;
    setOptions(band.control, p.bands.map((b) => ({ value: b, label: bandText(lang, b) })), keep.band);
    range.textContent = t(lang, "offers.productRange", { min: money(p.amount.min, lang), max: money(p.amount.max, lang) });
    const chosen = new Set(keep.promotions ?? []);
    promoBox.hidden = p.promotions.length === 0;
    promoBox.replaceChildren(
      h("legend", {}, t(lang, "offers.promotions")),
      ...p.promotions.map((promo) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "promotion", value: promo.id, checked: chosen.has(promo.id) }), ` ${localized(promo.name, lang) || promo.id}`)),
    );
  }

  function read(): OffersState {
    return {
      productId: product.control.value,
      amount: amount.control.value,
      term: term.control.value,
      method: method.control.value,
      band: band.control.value,
      used: used.control.value,
      start: start.control.value,
      promotions: [...promoBox.querySelectorAll<HTMLInputElement>("input:checked")].map((box) => box.value),
    };
  }

  function clearErrors(): void {
    for (const f of Object.values(fields)) f.setError(null);
    errorBox.hidden = true;
  }

  function quote(): void {
    clearErrors();
    const s = read();
    const p = current();
    if (!p) return;
    const a = normalizeAmount(s.amount);
    const u = s.used.trim() === "" ? ({ ok: true, value: "0" } as const) : normalizeAmount(s.used);
    if (!a.ok) amount.setError(fieldErrorText(lang, a.code, "amount"));
    if (!u.ok) used.setError(fieldErrorText(lang, u.code, "amount"));
    if (!a.ok || !u.ok) {
      out.dataset.state = "invalid";
      out.replaceChildren();
      return;
    }
    amount.control.dataset.normalized = a.value;
    const request: QuoteRequest = { productId: p.id, amount: a.value, termMonths: Number(s.term), method: s.method as Method, startDate: s.start || options.today() };
    if (p.bands.length) request.band = s.band;
    if (u.value !== "0" && !/^0(\.0+)?$/.test(u.value)) request.subsidyUsed = u.value;
    if (s.promotions.length) request.promotions = s.promotions;
    try {
      const result = engine.quote(request);
      out.replaceChildren(renderOffer(result, { lang, summary: options.summary, bundleState: options.bundleState }));
      out.dataset.state = "ready";
    } catch (error) {
      const e = asEngineError(error);
      const key = Object.keys(fields).find((k) => (e.path ?? "").startsWith(k));
      const text = errorText(lang, e.code, { min: money(p.amount.min, lang), max: money(p.amount.max, lang), step: money(p.amount.step, lang) });
      if (key) {
        fields[key]?.setError(text);
        fields[key]?.control.setAttribute("data-code", e.code ?? "");
      } else {
        errorBox.textContent = text;
        errorBox.dataset.code = e.code ?? "";
        errorBox.hidden = false;
      }
      out.dataset.state = "error";
      out.replaceChildren();
    }
  }

  fillProduct(initial);
  const later = debounce(quote, 180);
  form.addEventListener("input", () => {
    out.dataset.state = "pending";
    later();
  });
  form.addEventListener("change", (event) => {
    if (event.target === product.control) {
      fillProduct();
      const p = current();
      if (p) amount.control.value = p.amount.min;
    }
    out.dataset.state = "pending";
    later();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    quote();
  });
  quote();

  return {
    state: read,
    setBand(value) {
      if ([...band.control.options].some((o) => o.value === value)) {
        band.control.value = value;
        quote();
      }
    },
  };
}
