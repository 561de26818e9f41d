// The consumer calculator: form in, schedule out. Every figure comes from the wasm engine;
// this file only moves decimal strings between the form and the page (no money math in JS).
import init, { schedule, engineVersion } from "/pkg/web/puhui.js";

const $ = (id) => document.getElementById(id);

/** "7.2" (percent, as typed) → "0.072" (fraction), by moving the decimal point in the string. */
export function percentToFraction(text) {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const digits = (match[1] + (match[2] ?? "")).replace(/^0+(?=\d)/, "");
  const scale = (match[2] ?? "").length + 2;
  const padded = digits.padStart(scale + 1, "0");
  const fraction = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return fraction.replace(/\.?0+$/, "") || "0";
}

function readRequest() {
  const method = $("method").value;
  const amount = $("amount").value.replace(/[,，\s]/g, "");
  const rate = percentToFraction($("rate").value);
  const request = { principal: amount, termMonths: Number.parseInt($("term").value, 10), method };
  if (rate === null) throw Object.assign(new Error("利率格式不正确 rate must be a number like 7.2"), { code: "invalid-rate" });
  if (method === "flat-fee") request.feeRate = rate; else request.annualRate = rate;
  if ($("start").value) request.startDate = $("start").value;
  return request;
}

function render(result) {
  const rows = result.installments;
  $("monthly-payment").textContent = rows.length > 1 && rows[0].payment !== rows[1].payment
    ? `${rows[0].payment} → ${rows[rows.length - 1].payment}`
    : rows[0].payment;
  $("total-interest").textContent = result.totals.interest;
  $("total-fee").textContent = result.totals.fee;
  $("total-payment").textContent = result.totals.payment;
  const body = $("schedule-table").querySelector("tbody");
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    for (const value of [row.period, row.dueDate ?? "", row.payment, row.principal, row.interest, row.fee, row.balance]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.append(td);
    }
    return tr;
  }));
  $("result").hidden = false;
}

function calculate() {
  $("calc-error").hidden = true;
  try {
    render(schedule(readRequest()));
  } catch (error) {
    $("result").hidden = true;
    $("calc-error").textContent = `${error.message}${error.code ? ` [${error.code}]` : ""}`;
    $("calc-error").hidden = false;
  }
}

await init();
$("engine-status").textContent = "计算引擎已就绪 Engine ready";
$("engine-status").dataset.ready = "true";
$("engine-version").textContent = `puhui engine ${engineVersion()}`;
$("calc-form").addEventListener("submit", (event) => { event.preventDefault(); calculate(); });
for (const id of ["amount", "term", "rate", "method", "start"]) $(id).addEventListener("change", calculate);
calculate();
