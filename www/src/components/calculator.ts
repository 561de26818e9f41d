// The stateless calculator: amount, term, rate, method and start date in; the engine's
// schedule and disclosure out (annualized rate first, payments, totals, cap warnings as of the
// start date, chart and collapsed schedule). Re-computes on every change (debounced); while an
// input is being edited the old figures are hidden, never shown next to the new inputs.
// DOM-building only under `root` (works in a shadow root); no page globals.
import type { CalcModule } from "../lib/engine";
import { asEngineError } from "../lib/engine";
import type { DiscloseResponse, Method, ScheduleRequest, ScheduleResponse, CapResult } from "../lib/types";
import { t, errorText, fieldErrorText, type FieldKind, type Lang, type MessageKey } from "../lib/i18n";
import { normalizeAmount, normalizeInteger, normalizePercent, type Normalized } from "../lib/normalize";
import { money, percent, exactPercent, multiple, date } from "../lib/format";
import { h, debounce } from "../lib/dom";
import { textField, selectField, dateField, type Field } from "./field";
import { createChart } from "./chart";
import { createScheduleTable } from "./schedule-table";

export const METHODS: Method[] = ["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"];

/** What the rate field means: a yearly interest rate, or (card installment) a fee charged every period. */
type RateMeaning = "annual" | "per-period-fee";
const rateMeaning = (method: Method): RateMeaning => (method === "flat-fee" ? "per-period-fee" : "annual");

/**
 * The rate field's starting value for each meaning: 7.2 % a year, and 0.6 % a period (a common
 * card installment fee). A value typed for one meaning is never carried into the other: 7.2 % a
 * year read as 7.2 % a month would be a 134 % loan.
 */
export const DEFAULT_RATE: Readonly<Record<RateMeaning, string>> = { annual: "7.2", "per-period-fee": "0.6" };

export interface CalcState {
  amount: string;
  term: string;
  rate: string;
  method: Method;
  start: string;
}

export interface CalculatorOptions {
  lang: Lang;
  /** Resolves to the engine module (engine.ts decides which one). */
  engine: () => Promise<CalcModule>;
  /** The host's today, `YYYY-MM-DD` (the default start date the caps are judged on). */
  today: () => string;
  initial?: Partial<CalcState>;
  /** Called after every rendered result (benchmarks, tests, the embed). */
  onResult?: (result: { schedule: ScheduleResponse; disclosure: DiscloseResponse }) => void;
}

export interface Calculator {
  state(): CalcState;
  destroy(): void;
}

/** Plain-language cap warnings (24 % cap, 4 × LPR, others), one per distinct limit. */
export function capWarnings(results: CapResult[], lang: Lang, rate: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const cap of results) {
    if (cap.pass || cap.legacy) continue;
    const text = cap.lprMultiple
      ? t(lang, "warn.lpr", { rate: percent(rate, lang), k: multiple(cap.lprMultiple), limit: percent(cap.limitPercent, lang) })
      : cap.limitPercent === "24.00"
        ? t(lang, "warn.cap24", { rate: percent(rate, lang) })
        : t(lang, "warn.cap", { rate: percent(rate, lang), limit: percent(cap.limitPercent, lang) });
    if (!seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
  }
  return out;
}

/** A figure block: label + value, with its space reserved so updates never shift the layout. */
export function figure(name: string, extraClass = ""): { element: HTMLElement; label: HTMLElement; value: HTMLElement; note: HTMLElement } {
  const label = h("dt", {});
  const value = h("dd", { "data-figure": name, class: "figure-value" }, "—");
  const note = h("dd", { class: "figure-note", "data-note": name });
  return { element: h("div", { class: `figure ${extraClass}`.trim(), "data-block": name }, label, value, note), label, value, note };
}

const FIELD_OF_PATH: [RegExp, keyof CalcState][] = [
  [/^(schedule\.)?principal/, "amount"],
  [/^(schedule\.)?(annualRate|feeRate)/, "rate"],
  [/^(schedule\.)?termMonths/, "term"],
  [/^(schedule\.)?(startDate|firstDueDate)|^asOf/, "start"],
  [/^(schedule\.)?method/, "method"],
];

export function mountCalculator(root: HTMLElement, options: CalculatorOptions): Calculator {
  const lang = options.lang;
  const initialMethod = options.initial?.method ?? "equal-installment";
  const initial: CalcState = { amount: "10000", term: "12", rate: DEFAULT_RATE[rateMeaning(initialMethod)], method: initialMethod, start: options.today(), ...options.initial };
  const amount = textField("amount", t(lang, "calc.amount"), { value: initial.amount, hint: t(lang, "calc.amountHint") });
  const term = textField("term", t(lang, "calc.term"), { value: initial.term, inputmode: "numeric" });
  const feeFirst = rateMeaning(initial.method) === "per-period-fee";
  const rate = textField("rate", t(lang, feeFirst ? "calc.feeRate" : "calc.rate"), { value: initial.rate, hint: t(lang, feeFirst ? "calc.feeRateHint" : "calc.rateHint") });
  const method = selectField("method", t(lang, "calc.method"), METHODS.map((m) => ({ value: m, label: t(lang, `method.${m}` as MessageKey) })), initial.method);
  const start = dateField("start", t(lang, "calc.start"), initial.start);
  const fields: Record<keyof CalcState, Field<HTMLInputElement | HTMLSelectElement>> = { amount, term, rate, method, start };
  const submit = h("button", { type: "submit", class: "primary" }, t(lang, "calc.submit"));
  // method="dialog" outside a dialog never navigates: pressing the button before the script
  // runs cannot reload the page and lose the input.
  const form = h("form", { method: "dialog", class: "calc-form", novalidate: true }, amount.wrap, term.wrap, rate.wrap, method.wrap, start.wrap, h("div", { class: "form-actions" }, submit));

  const status = h("p", { class: "result-status", "data-state": "loading" }, t(lang, "engine.loading"));
  const apr = figure("apr", "headline");
  // The compound rate sits beside the simple one, inside the headline block.
  const compoundLabel = h("span", {});
  const compoundValue = h("span", { "data-figure": "apr-compound", class: "compound-value" }, "—");
  apr.element.insertBefore(h("dd", { class: "figure-compound" }, compoundLabel, " ", compoundValue), apr.note);
  const first = figure("first-payment");
  const last = figure("last-payment");
  const interest = figure("total-interest");
  const fees = figure("total-fee");
  const repaid = figure("total-repaid");
  const per10k = figure("cost-per-10000");
  const warnings = h("ul", { class: "warnings", "data-warnings": "" });
  const asOf = h("p", { class: "as-of" });
  const chart = createChart();
  const table = createScheduleTable();
  const live = h("p", { class: "visually-hidden", "aria-live": "polite", "data-live": "calculator" });
  // The last payment (shown only when it differs from the first) comes last, so its reserved
  // slot is trailing space rather than a hole between figures.
  const figures = h("dl", { class: "figures" }, apr.element, first.element, interest.element, fees.element, repaid.element, per10k.element, last.element);
  const result = h("div", { class: "result", "data-state": "loading", "aria-busy": "true" }, status, figures, warnings, asOf, chart.element, table.element, live);
  root.replaceChildren(h("div", { class: "calculator", lang }, form, result));

  let engine: CalcModule | null = null;

  // The rate field keeps one value per meaning: switching to a card installment shows its fee
  // default (or the fee typed before), switching back restores the yearly rate typed before.
  let shownMeaning = rateMeaning(initial.method);
  const rateByMeaning: Record<RateMeaning, string> = { ...DEFAULT_RATE, [shownMeaning]: initial.rate };
  function showRateMeaning(): void {
    const fee = shownMeaning === "per-period-fee";
    const label = rate.wrap.querySelector("label");
    if (label) label.textContent = t(lang, fee ? "calc.feeRate" : "calc.rate");
    if (rate.hint) rate.hint.textContent = t(lang, fee ? "calc.feeRateHint" : "calc.rateHint");
  }
  method.control.addEventListener("input", () => {
    const next = rateMeaning(method.control.value as Method);
    if (next === shownMeaning) return;
    rateByMeaning[shownMeaning] = rate.control.value;
    shownMeaning = next;
    rate.control.value = rateByMeaning[next];
    showRateMeaning();
  });

  function read(): CalcState {
    return { amount: amount.control.value, term: term.control.value, rate: rate.control.value, method: method.control.value as Method, start: start.control.value };
  }

  function setResultState(state: "loading" | "pending" | "ready" | "invalid" | "error", message = ""): void {
    result.dataset.state = state;
    result.setAttribute("aria-busy", String(state === "loading" || state === "pending"));
    status.textContent = message;
    status.dataset.state = state;
  }

  function fieldError(name: keyof CalcState, key: MessageKey | null, text?: string): void {
    fields[name].setError(key ? t(lang, key) : text ?? null);
  }

  function normalizeField(name: keyof CalcState, kind: FieldKind, normalized: Normalized): string | null {
    const control = fields[name].control;
    if (normalized.ok) {
      control.dataset.normalized = normalized.value;
      fieldError(name, null);
      return normalized.value;
    }
    delete control.dataset.normalized;
    fieldError(name, null, fieldErrorText(lang, normalized.code, kind));
    return null;
  }

  function compute(): void {
    if (!engine) return;
    const s = read();
    const principal = normalizeField("amount", "amount", normalizeAmount(s.amount));
    const termMonths = normalizeField("term", "term", normalizeInteger(s.term));
    const fraction = normalizeField("rate", s.method === "flat-fee" ? "feeRate" : "rate", normalizePercent(s.rate));
    fieldError("start", null);
    if (principal === null || termMonths === null || fraction === null) {
      clearFigures();
      setResultState("invalid", t(lang, "result.empty"));
      return;
    }
    const request: ScheduleRequest = { principal, termMonths: Number(termMonths), method: s.method };
    if (s.method === "flat-fee") request.feeRate = fraction;
    else request.annualRate = fraction;
    const startDate = s.start || options.today();
    request.startDate = startDate;
    let schedule: ScheduleResponse;
    let disclosure: DiscloseResponse;
    try {
      schedule = engine.schedule(request);
      disclosure = engine.disclose({ schedule: request, asOf: startDate });
    } catch (error) {
      const e = asEngineError(error);
      const target = FIELD_OF_PATH.find(([re]) => re.test(e.path ?? ""))?.[1] ?? "amount";
      fieldError(target, null, errorText(lang, e.code));
      fields[target].control.dataset.code = e.code ?? "";
      clearFigures();
      setResultState("error", t(lang, "result.empty"));
      return;
    }
    for (const f of Object.values(fields)) delete f.control.dataset.code;
    render(s, request, schedule, disclosure, startDate);
    options.onResult?.({ schedule, disclosure });
  }

  function clearFigures(): void {
    compoundValue.textContent = "—";
    for (const f of [apr, first, last, interest, fees, repaid, per10k]) {
      f.value.textContent = "—";
      f.note.textContent = "";
    }
    warnings.replaceChildren();
    asOf.textContent = "";
    live.textContent = "";
  }

  function render(s: CalcState, request: ScheduleRequest, schedule: ScheduleResponse, d: DiscloseResponse, startDate: string): void {
    const rows = schedule.installments;
    const firstRow = rows[0];
    const lastRow = rows[rows.length - 1];
    if (!firstRow || !lastRow) return;
    apr.label.textContent = t(lang, "result.apr");
    apr.value.textContent = percent(d.cn.percent, lang);
    compoundLabel.textContent = t(lang, "result.aprCompound");
    compoundValue.textContent = d.cn.effectivePercent ? percent(d.cn.effectivePercent, lang) : "—";
    // A card installment shows its per-period fee rate right under the annualized rate.
    apr.note.replaceChildren();
    if (s.method === "flat-fee" && request.feeRate) {
      apr.note.append(`${t(lang, "result.perPeriodFee")} `, h("strong", { "data-figure": "fee-rate" }, exactPercent(request.feeRate, lang)), ` · ${t(lang, "result.perPeriodFeeNote", { apr: percent(d.cn.percent, lang) })}`);
    }
    // "Each payment" only when the method promises equal payments; otherwise first and last.
    const level = s.method === "equal-installment" || s.method === "flat-fee";
    first.label.textContent = t(lang, level ? "result.payment" : "result.firstPayment");
    first.value.textContent = money(firstRow.payment, lang);
    const lastDiffers = lastRow.payment !== firstRow.payment;
    // A block that does not apply stays in the grid, invisible: showing it never shifts the layout.
    last.element.classList.toggle("is-empty", level && !lastDiffers);
    last.label.textContent = t(lang, "result.lastPayment");
    last.value.textContent = money(lastRow.payment, lang);
    interest.label.textContent = t(lang, "result.interest");
    interest.value.textContent = money(d.totalInterest, lang);
    fees.label.textContent = t(lang, "result.fees");
    fees.value.textContent = money(d.totalFees, lang);
    repaid.label.textContent = t(lang, "result.totalRepaid");
    repaid.value.textContent = money(d.totalRepaid, lang);
    per10k.label.textContent = t(lang, "result.costPer10000");
    per10k.value.textContent = money(d.costPer10000, lang);
    const warned = capWarnings(d.caps.results, lang, d.cn.percent);
    warnings.replaceChildren(...warned.map((text) => h("li", { class: "warning", role: "note" }, text)));
    asOf.textContent = t(lang, "result.asOf", { date: date(d.caps.asOf ?? startDate, lang) });
    chart.update(rows, schedule.totals, lang);
    table.update(rows, lang);
    setResultState("ready");
    live.textContent = [t(lang, "result.live", { aprLabel: t(lang, "result.apr"), apr: percent(d.cn.percent, lang), paymentLabel: first.label.textContent ?? "", payment: money(firstRow.payment, lang) }), ...warned].join(" ");
  }

  const later = debounce(compute, 180);
  const onEdit = () => {
    if (engine) setResultState("pending", t(lang, "result.calculating"));
    later();
  };
  // "input" only: a "change" fired by leaving a field (e.g. to press "show all") is not an edit.
  form.addEventListener("input", onEdit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    compute();
  });

  options
    .engine()
    .then((module) => {
      engine = module;
      compute();
    })
    .catch(() => setResultState("error", t(lang, "engine.failed")));

  return {
    state: read,
    destroy() {
      chart.destroy();
      root.replaceChildren();
    },
  };
}
