// Offers from the signed rule bundle: the loader fetches and verifies the bundle (in wasm), the
// Engine (constructed only from verified bytes) lists products and quotes. This file moves
// strings between the page and the engine; it computes nothing.
import init, { Engine } from "/pkg/web/puhui.js";
import { createBundleLoader, localStorageAdapter } from "/pkg/web/loader.js";

const $ = (id) => document.getElementById(id);
const lang = document.documentElement.lang === "en" ? "en" : "zh-CN";
const both = (text) => (text ? `${text["zh-CN"] ?? ""} ${text.en ?? ""}`.trim() : "");

function option(value, label) {
  const element = document.createElement("option");
  element.value = String(value);
  element.textContent = label;
  return element;
}

function fail(target, error) {
  const details = Array.isArray(error.warnings) && error.warnings.length
    ? ` (${error.warnings.map((w) => `${w.code}: ${w.message}`).join("; ")})`
    : "";
  $(target).textContent = `${error.message}${error.code ? ` [${error.code}]` : ""}${details}`;
  $(target).hidden = false;
}

let engine = null;
let products = [];

function fillProduct() {
  const product = products.find((p) => p.id === $("q-product").value) ?? products[0];
  $("q-amount").value = product.amount.min;
  $("q-amount").dataset.min = product.amount.min;
  $("q-term").replaceChildren(...product.terms.map((t) => option(t, `${t} 个月 months`)));
  if (product.terms.includes(12)) $("q-term").value = "12";
  $("q-method").replaceChildren(...product.methods.map((m) => option(m, m)));
  $("q-band").replaceChildren(...(product.bands.length ? product.bands : ["—"]).map((b) => option(b, b)));
  $("q-band").disabled = product.bands.length === 0;
  const boxes = product.promotions.map((promotion) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = promotion.id;
    box.name = "promotion";
    label.append(box, ` ${both(promotion.name) || promotion.id}`);
    return label;
  });
  const legend = $("q-promotions").querySelector("legend");
  $("q-promotions").replaceChildren(legend, ...boxes);
}

function readQuote() {
  const product = products.find((p) => p.id === $("q-product").value);
  const request = {
    productId: product.id,
    amount: $("q-amount").value.replace(/[,，\s]/g, ""),
    termMonths: Number.parseInt($("q-term").value, 10),
    method: $("q-method").value,
  };
  if (product.bands.length) request.band = $("q-band").value;
  if ($("q-start").value) request.startDate = $("q-start").value;
  const used = $("q-used").value.trim();
  if (used && used !== "0" && used !== "0.00") request.subsidyUsed = used;
  const promotions = [...document.querySelectorAll("#q-promotions input:checked")].map((box) => box.value);
  if (promotions.length) request.promotions = promotions;
  return request;
}

function renderQuote(quote) {
  const cn = quote.disclosure.cn;
  $("q-rate").textContent = `${cn.percent}%`;
  $("q-rate-label").textContent = quote.texts[lang]?.rateLabel ?? cn.label;
  $("q-effective").textContent = `${cn.effectivePercent}% ${cn.effectiveLabel}`;
  $("q-payment").textContent = quote.schedule.installments[0].payment;
  $("q-total-cost").textContent = quote.disclosure.totalCost;
  $("q-cost-10k").textContent = quote.disclosure.costPer10000;
  $("q-subsidy").textContent = quote.subsidy ? quote.subsidy.total : "0.00";
  $("q-net-rate").textContent = quote.subsidy ? `${quote.subsidy.netApr.percent}%` : `${cn.percent}%`;
  $("caps-table").querySelector("tbody").replaceChildren(...quote.caps.results.map((cap) => {
    const row = document.createElement("tr");
    row.dataset.cap = cap.id;
    row.dataset.pass = String(cap.pass);
    const name = typeof cap.name === "string" ? cap.name : both(cap.name) || cap.id;
    for (const value of [name, `${cap.limitPercent}%`, `${cap.ratePercent}%`, cap.pass ? "✓ 合规 pass" : "✗ 超限 over"]) {
      const cell = document.createElement("td");
      cell.textContent = typeof value === "string" ? value : JSON.stringify(value);
      row.append(cell);
    }
    return row;
  }));
  const texts = quote.texts[lang] ?? {};
  $("q-texts").textContent = Object.entries(texts).filter(([key]) => key !== "rateLabel").map(([, text]) => text).join(" ");
  $("q-bundle").textContent = `${quote.bundle.bundleId} v${quote.bundle.version} · sha256 ${quote.bundle.sha256.slice(0, 12)}…${quote.preview ? " · PREVIEW" : ""}`;
  $("quote-result").dataset.preview = String(quote.preview);
  $("quote-result").hidden = false;
}

function runQuote() {
  $("quote-error").hidden = true;
  try {
    renderQuote(engine.quote(readQuote()));
  } catch (error) {
    $("quote-result").hidden = true;
    fail("quote-error", error);
  }
}

const decisions = { likely: "大概率通过 Likely to qualify", refer: "需人工审核 Needs review", unlikely: "暂不符合 Unlikely to qualify" };

function readApplicant() {
  // Numbers go to the engine as decimal strings; it parses them exactly.
  const applicant = { residency: $("a-residency").value, housing: $("a-housing").value };
  for (const [field, id] of [["age", "a-age"], ["monthlyIncome", "a-income"], ["existingRepayments", "a-repay"]]) {
    const value = $(id).value.replace(/[,，\s]/g, "");
    if (value !== "") applicant[field] = value;
  }
  return applicant;
}

function runAssess() {
  $("assess-error").hidden = true;
  try {
    const result = engine.assess(readApplicant());
    $("a-decision").textContent = decisions[result.decision] ?? result.decision;
    $("a-decision").dataset.decision = result.decision;
    $("a-score").textContent = result.score === null ? "" : `评分 Score ${result.score}${result.band ? ` · ${result.band.id}` : ""}${result.limit ? ` · 参考额度 indicative limit ${result.limit}` : ""}`;
    const reasons = [...result.knockedOut.map((k) => `${k.reasonCode} ${both(k.text)}`), ...result.reasons.map((r) => `${r.code} ${both(r.text)}`)];
    $("a-reasons").replaceChildren(...reasons.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
    $("offers-table").querySelector("tbody").replaceChildren(...result.offers.filter((o) => o.indicative).map((offer) => {
      const row = document.createElement("tr");
      row.dataset.product = offer.productId;
      const product = products.find((p) => p.id === offer.productId);
      const q = offer.indicative;
      for (const value of [both(product?.name) || offer.productId, q.amount, String(q.termMonths), `${q.percent}%`, q.firstPayment, q.totalCost]) {
        row.append(Object.assign(document.createElement("td"), { textContent: value }));
      }
      return row;
    }));
    $("offers-table").hidden = result.offers.length === 0;
    $("assess-result").hidden = false;
  } catch (error) {
    $("assess-result").hidden = true;
    fail("assess-error", error);
  }
}

async function start() {
  await init();
  const pinnedRoot = await (await fetch("/bundles/pinned-root.json")).text();
  const loader = createBundleLoader({
    wasm: await import("/pkg/web/puhui.js"),
    baseUrl: new URL("/bundles/", location.href).href,
    bundleId: "puhui-sample",
    pinnedRoot,
    storage: localStorageAdapter("puhui:"),
    offlineGrace: { mode: "refuse" },
  });
  const loaded = await loader.load();
  engine = Engine.load(loaded.envelope, pinnedRoot, loaded.state, new Date().toISOString().replace(/\.\d+Z$/, "Z"), null);
  $("preview-banner").hidden = !engine.preview;
  const summary = engine.summary;
  $("bundle-status").textContent = `已验证 Verified: ${summary.bundleId} v${summary.version}, signed by ${summary.signedBy.join(", ")} (${loaded.status})`;
  $("bundle-status").dataset.state = "verified";
  products = engine.products().products;
  $("q-product").replaceChildren(...products.map((p) => option(p.id, both(p.name))));
  fillProduct();
  $("q-product").addEventListener("change", () => { fillProduct(); runQuote(); });
  $("quote-form").addEventListener("submit", (event) => { event.preventDefault(); runQuote(); });
  $("quote-form").hidden = false;
  runQuote();
  $("assess-form").addEventListener("submit", (event) => { event.preventDefault(); runAssess(); });
  $("eligibility").hidden = false;
}

start().catch((error) => {
  $("bundle-status").dataset.state = "error";
  fail("bundle-status", error);
});
