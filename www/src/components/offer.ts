// The offer renderer: one engine quote → the consumer's view of it. Annualized rate first (with
// the bundle's label and the compound rate beside it), the parties right next to it, then the
// promotion saving and rate before → after, the fiscal subsidy with its own before → after, first
// payment, totals, cap checks, the bundle's texts, and the bundle identity only inside "details".
// Pure: takes data, returns an element; every figure is an engine string.
import type { QuoteWithParties, BundleSummary } from "../lib/types";
import { t, engineLabel, type Lang, type MessageKey, has } from "../lib/i18n";
import { money, percent, fractionPercent, multiple, date } from "../lib/format";
import { h } from "../lib/dom";
import { renderParties, localized } from "./parties";

function line(name: string, label: string, value: string, note?: string): HTMLElement {
  return h("div", { class: "figure", "data-block": name }, h("dt", {}, label), h("dd", { class: "figure-value", "data-figure": name }, value), note ? h("dd", { class: "figure-note", "data-note": name }, note) : null);
}

/** A cap's name in `lang`: the catalog's for the caps it knows, else a generic one (a bundle's
 * `name` is one free text in no stated language, so it is shown in neither). */
function capName(id: string, lprMultiple: string | undefined, lang: Lang): string {
  const key = `cap.${id}`;
  if (has(key)) return t(lang, key as MessageKey);
  if (lprMultiple) return t(lang, "cap.lpr", { k: multiple(lprMultiple) });
  return t(lang, "cap.other");
}

export interface OfferContext {
  lang: Lang;
  summary?: BundleSummary;
  /** "stale" and "cached" bundles are labelled on every offer. */
  bundleState?: string;
}

export function renderOffer(quote: QuoteWithParties, ctx: OfferContext): HTMLElement {
  const { lang } = ctx;
  const cn = quote.disclosure.cn;
  const texts = quote.texts[lang] ?? {};
  const sub = quote.subsidy;
  const rows = quote.schedule.installments;
  const firstRow = rows[0];
  const promoSaving = sub && sub.totals.promotionDiscount !== "0.00" ? sub.totals.promotionDiscount : null;
  const merchantPaid = sub && sub.totals.merchantPaid !== "0.00" ? sub.totals.merchantPaid : null;
  const subsidyTotal = sub && sub.total !== "0.00" ? sub.total : null;
  const firstDetail = sub?.perPeriodDetail[0];

  const headline = h(
    "div",
    { class: "offer-headline" },
    h("p", { class: "offer-rate-label" }, texts.rateLabel ?? t(lang, "result.apr")),
    h("p", { class: "offer-rate" }, h("span", { "data-figure": "offer-apr" }, percent(cn.percent, lang)), " ", h("small", { "data-figure": "offer-apr-compound" }, `${t(lang, "result.aprCompound")} ${cn.effectivePercent ? percent(cn.effectivePercent, lang) : "—"}`)),
  );
  if (quote.price.feeRate) headline.append(h("p", { class: "figure-note", "data-figure": "offer-fee-rate" }, `${t(lang, "result.perPeriodFee")} ${fractionPercent(quote.price.feeRate, lang)}`));
  const daily = quote.price.daily;
  if (daily) headline.append(h("p", { class: "figure-note", "data-figure": "offer-daily" }, `${engineLabel(lang, daily.label, "rate.cn-daily", { yearDays: daily.yearDays })} ${percent(daily.percent, lang)}`));

  const figures = h("dl", { class: "figures" });
  if (sub && promoSaving) {
    figures.append(line("promo-saving", t(lang, "offers.promoSaving"), money(promoSaving, lang), t(lang, "offers.rateBeforeAfter", { before: percent(sub.grossApr.percent, lang), after: fractionPercent(sub.rateAfterPromotions, lang) })));
  }
  if (sub && merchantPaid) figures.append(line("merchant-paid", t(lang, "offers.promoSaving"), money(merchantPaid, lang)));
  if (sub) {
    figures.append(
      subsidyTotal
        ? line("subsidy", t(lang, "offers.subsidy"), money(subsidyTotal, lang), t(lang, "offers.subsidyBeforeAfter", { before: fractionPercent(sub.rateAfterPromotions, lang), after: percent(sub.netApr.percent, lang) }))
        : line("subsidy", t(lang, "offers.subsidy"), money("0.00", lang), sub.reasons.map((r) => localized(r.message, lang)).join(" ") || t(lang, "offers.noSubsidy")),
    );
  }
  if (firstRow) {
    const after = firstDetail?.netPayment ?? firstRow.payment;
    figures.append(line("offer-first-payment", t(lang, "result.firstPayment"), money(after, lang), after !== firstRow.payment ? t(lang, "offers.firstBeforeAfter", { before: money(firstRow.payment, lang) }) : undefined));
  }
  const totalPaid = sub ? sub.totals.netPayment : quote.disclosure.totalRepaid;
  figures.append(
    line("offer-total-paid", t(lang, "offers.totalAfter"), money(totalPaid, lang), sub && totalPaid !== quote.disclosure.totalRepaid ? t(lang, "offers.firstBeforeAfter", { before: money(quote.disclosure.totalRepaid, lang) }) : undefined),
    line("offer-interest", t(lang, "result.interest"), money(quote.disclosure.totalInterest, lang)),
    line("offer-fees", t(lang, "result.fees"), money(quote.disclosure.totalFees, lang)),
    line("offer-cost-10k", t(lang, "result.costPer10000"), money(quote.disclosure.costPer10000, lang)),
  );

  const caps = h(
    "ul",
    { class: "caps" },
    ...quote.caps.results.map((cap) =>
      h(
        "li",
        { class: cap.pass ? "cap pass" : "cap over", "data-cap": cap.id, "data-pass": String(cap.pass) },
        h("span", { class: "cap-verdict" }, cap.pass ? `✓ ${t(lang, "offers.capPass")}` : `✗ ${t(lang, "offers.capOver")}`),
        " ",
        t(lang, "offers.capLine", { name: capName(cap.id, cap.lprMultiple, lang), limit: percent(cap.limitPercent, lang), rate: percent(cap.ratePercent, lang) }),
      ),
    ),
  );
  const notes = Object.entries(texts)
    .filter(([key]) => key !== "rateLabel")
    .map(([key, text]) => h("p", { class: key === "disclaimer" ? "disclaimer" : "notice", "data-text": key }, text));

  const details = h(
    "details",
    { class: "tech-details" },
    h("summary", {}, t(lang, "offers.details")),
    h(
      "dl",
      {},
      h("dt", {}, t(lang, "offers.version")),
      h("dd", {}, `${quote.bundle.bundleId} v${quote.bundle.version}`),
      ctx.summary ? h("dt", {}, t(lang, "offers.issued")) : null,
      ctx.summary ? h("dd", {}, date(ctx.summary.issuedAt, lang)) : null,
      ctx.summary ? h("dt", {}, t(lang, "offers.signedBy")) : null,
      ctx.summary ? h("dd", {}, ctx.summary.signedBy.join(", ")) : null,
      h("dt", {}, "sha256"),
      h("dd", { class: "hash" }, quote.bundle.sha256),
    ),
  );

  return h(
    "article",
    { class: "offer", "data-product": quote.productId, "data-preview": String(quote.preview), lang },
    quote.preview ? h("p", { class: "preview-banner" }, t(lang, "offers.preview")) : null,
    ctx.bundleState === "stale" ? h("p", { class: "notice stale" }, t(lang, "offers.stale")) : null,
    h("h3", { class: "offer-name" }, localized(quote.productName, lang)),
    headline,
    renderParties(quote.parties, lang),
    figures,
    h("h4", {}, t(lang, "offers.caps")),
    caps,
    ...notes,
    details,
  );
}
