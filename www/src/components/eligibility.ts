// Pre-eligibility on the device: the answers go to the wasm engine and nowhere else. Missing
// answers are asked for (never scored), impossible ones refused at their field; the decision is
// shown in words and colours that mean what they say, with reasons a person can act on and the
// indicative offers of the engine.
import type { EngineInstance } from "../lib/engine";
import { asEngineError } from "../lib/engine";
import type { Applicant, BundleAssessment, ProductWithParties } from "../lib/types";
import { t, has, errorText, fieldErrorText, type Lang, type MessageKey } from "../lib/i18n";
import { normalizeAmount, normalizeInteger } from "../lib/normalize";
import { money, percent } from "../lib/format";
import { h } from "../lib/dom";
import { textField, selectField, type Field } from "./field";
import { localized } from "./parties";

export interface EligibilityState {
  age: string;
  income: string;
  repay: string;
  housing: string;
  residency: string;
}

export interface EligibilityOptions {
  lang: Lang;
  engine: EngineInstance;
  initial?: Partial<EligibilityState>;
  /** The price band of a positive result (offers pre-select it). */
  onBand?: (band: string) => void;
}

const HOUSING = ["own", "rent", "free"];
/** The ages the page accepts (its own rule, before the scorecard's knock-outs), in the message too. */
const AGE = { min: 1, max: 120 } as const;
const RESIDENCY = ["CN", "HK", "MO", "OTHER"];

export function mountEligibility(root: HTMLElement, options: EligibilityOptions): { state(): EligibilityState } {
  const { lang, engine } = options;
  const init: EligibilityState = { age: "", income: "", repay: "", housing: "", residency: "", ...options.initial };
  const choose = { value: "", label: t(lang, "elig.choose") };
  const age = textField("age", t(lang, "elig.age"), { value: init.age, inputmode: "numeric" });
  const income = textField("income", t(lang, "elig.income"), { value: init.income });
  const repay = textField("repay", t(lang, "elig.repay"), { value: init.repay });
  const housing = selectField("housing", t(lang, "elig.housing"), [choose, ...HOUSING.map((v) => ({ value: v, label: t(lang, `housing.${v}` as MessageKey) }))], init.housing);
  const residency = selectField("residency", t(lang, "elig.residency"), [choose, ...RESIDENCY.map((v) => ({ value: v, label: t(lang, `residency.${v}` as MessageKey) }))], init.residency);
  const submit = h("button", { type: "submit", class: "primary" }, t(lang, "elig.submit"));
  const form = h("form", { method: "dialog", class: "elig-form", novalidate: true }, age.wrap, income.wrap, repay.wrap, housing.wrap, residency.wrap, h("div", { class: "form-actions" }, submit));
  const out = h("div", { class: "elig-out", "aria-live": "polite" });
  root.replaceChildren(h("div", { class: "eligibility", lang }, h("p", { class: "privacy" }, t(lang, "elig.privacy")), form, out));

  const read = (): EligibilityState => ({ age: age.control.value, income: income.control.value, repay: repay.control.value, housing: housing.control.value, residency: residency.control.value });

  function numberField(field: Field<HTMLInputElement>, kind: "age" | "amount"): string | null {
    const n = kind === "age" ? normalizeInteger(field.control.value) : normalizeAmount(field.control.value);
    if (!n.ok) {
      field.setError(fieldErrorText(lang, n.code, kind));
      return null;
    }
    field.setError(null);
    return n.value;
  }

  function choice(field: Field<HTMLSelectElement>): string | null {
    if (!field.control.value) {
      field.setError(t(lang, "err.field.choose"));
      return null;
    }
    field.setError(null);
    return field.control.value;
  }

  function assess(): void {
    const a = numberField(age, "age");
    if (a !== null && (a.length > 3 || Number(a) < AGE.min || Number(a) > AGE.max)) age.setError(t(lang, "err.field.age-range", AGE));
    const ageOk = a !== null && !age.control.hasAttribute("aria-invalid");
    const inc = numberField(income, "amount");
    const rep = numberField(repay, "amount");
    const hou = choice(housing);
    const res = choice(residency);
    if (!ageOk || inc === null || rep === null || hou === null || res === null) {
      out.replaceChildren();
      out.dataset.state = "incomplete";
      form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
      return;
    }
    const applicant: Applicant = { age: a, monthlyIncome: inc, existingRepayments: rep, housing: hou, residency: res };
    try {
      show(engine.assess(applicant));
    } catch (error) {
      const e = asEngineError(error);
      out.replaceChildren(h("p", { class: "form-error", role: "alert", "data-code": e.code ?? "" }, errorText(lang, e.code)));
      out.dataset.state = "error";
    }
  }

  function show(result: BundleAssessment): void {
    const products = engine.products().products as ProductWithParties[];
    const reasons = [
      ...result.knockedOut.map((k) => ({ code: k.reasonCode, name: localized(k.text, lang) })),
      ...result.reasons.map((r) => ({ code: r.code, name: localized(r.text, lang) || r.variable })),
    ];
    const offers = result.offers.filter((o) => o.indicative);
    out.dataset.state = "ready";
    const parts: (HTMLElement | null)[] = [
      h(
        "div",
        { class: `decision decision-${result.decision}`, "data-decision": result.decision },
        h("p", { class: "decision-text" }, t(lang, `elig.${result.decision}` as MessageKey)),
        // A zero limit is why the engine said unlikely (nothing can be lent): say that, not "up to ¥0.00".
        result.limit && result.decision !== "unlikely"
          ? h("p", { class: "decision-limit", "data-figure": "limit" }, t(lang, "elig.limit", { limit: money(result.limit, lang) }))
          : result.limit
            ? h("p", { class: "decision-limit", "data-figure": "no-limit" }, t(lang, "elig.noLimit"))
            : null,
      ),
      reasons.length
        ? h(
            "section",
            { class: "reasons" },
            h("h4", {}, t(lang, "elig.reasonsTitle")),
            h("ul", {}, ...reasons.map((r) => h("li", { "data-reason": r.code }, has(`reason.${r.code}`) ? t(lang, `reason.${r.code}` as MessageKey) : t(lang, "reason.generic", { name: r.name })))),
          )
        : null,
      offers.length
        ? h(
            "section",
            { class: "indicative" },
            h("h4", {}, t(lang, "elig.offersTitle")),
            h(
              "ul",
              {},
              ...offers.map((o) => {
                const q = o.indicative!;
                const p = products.find((x) => x.id === o.productId);
                return h(
                  "li",
                  { "data-product": o.productId, "data-percent": q.percent, "data-first-payment": q.firstPayment },
                  h("strong", {}, localized(p?.name, lang) || o.productId),
                  h("br"),
                  t(lang, "elig.offerLine", { amount: money(q.amount, lang), term: q.termMonths, rate: percent(q.percent, lang), first: money(q.firstPayment, lang), cost: money(q.totalCost, lang) }),
                );
              }),
            ),
          )
        : null,
      h("p", { class: "field-hint" }, t(lang, "elig.note")),
    ];
    out.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
    const priceBand = result.band?.priceBand;
    if (priceBand && result.decision !== "unlikely") options.onBand?.(priceBand);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    assess();
  });
  return { state: read };
}
