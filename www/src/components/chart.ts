// The schedule chart (uPlot, ~20 KB gzip): principal, interest and fee per period on the left
// axis, the balance over time on the right. The engine's decimal strings are converted to
// numbers only to place points on the canvas; every figure a person reads stays the engine's
// string (the summary line under the chart, the table, the tooltips' legend values formatted
// from the same strings).
import type uPlot from "uplot";
import type { Installment } from "../lib/types";
import { t, type Lang } from "../lib/i18n";
import { money } from "../lib/format";
import { h } from "../lib/dom";

export interface ScheduleChart {
  element: HTMLElement;
  update(rows: Installment[], totals: { principal: string; interest: string; fee: string }, lang: Lang): void;
  destroy(): void;
}

const HEIGHT = 200;
const COLORS = { principal: "#1f5fa8", interest: "#c0392b", fee: "#8a5a00", balance: "#4a5568" };

// uPlot is loaded on first use (its own chunk), so the figures never wait for the chart code.
let uPlotModule: Promise<typeof uPlot> | null = null;
const loadUPlot = () => (uPlotModule ??= import("uplot").then((m) => m.default));

/** Plot position of a decimal string (display only, never shown as a figure). */
const y = (value: string): number => Number(value);

export function createChart(): ScheduleChart {
  const canvasBox = h("div", { class: "chart-canvas", "aria-hidden": "true" });
  const summary = h("p", { class: "chart-summary" });
  const title = h("h3", { class: "chart-title" });
  const element = h("figure", { class: "chart", "data-chart": "schedule" }, title, canvasBox, h("figcaption", {}, summary));
  let plot: uPlot | null = null;
  let observer: ResizeObserver | null = null;
  let destroyed = false;
  let last: { rows: Installment[]; lang: Lang } | null = null;

  const width = () => Math.max(240, Math.floor(canvasBox.clientWidth || element.clientWidth || 320));

  let drawn = 0;
  async function draw(): Promise<void> {
    if (!last) return;
    const { rows, lang } = last;
    const ticket = ++drawn;
    const UPlot = await loadUPlot();
    if (ticket !== drawn || destroyed) return;
    plot?.destroy();
    const periods = rows.map((r) => r.period);
    const hasFee = rows.some((r) => y(r.fee) !== 0);
    const series: uPlot.Series[] = [
      // The period column: whole numbers; nothing ("--") shown while no period is pointed at.
      { label: t(lang, "table.period"), value: (_u, v) => (v == null ? "" : String(v)) },
      { label: t(lang, "chart.principal"), stroke: COLORS.principal, width: 2, scale: "pay", value: (_u, _v, _s, i) => (i == null ? "" : money(rows[i]?.principal ?? "", lang)) },
      { label: t(lang, "chart.interest"), stroke: COLORS.interest, width: 2, scale: "pay", value: (_u, _v, _s, i) => (i == null ? "" : money(rows[i]?.interest ?? "", lang)) },
    ];
    const data: uPlot.AlignedData = [periods, rows.map((r) => y(r.principal)), rows.map((r) => y(r.interest))];
    if (hasFee) {
      series.push({ label: t(lang, "chart.fee"), stroke: COLORS.fee, width: 2, dash: [4, 3], scale: "pay", value: (_u, _v, _s, i) => (i == null ? "" : money(rows[i]?.fee ?? "", lang)) });
      data.push(rows.map((r) => y(r.fee)));
    }
    series.push({ label: t(lang, "chart.balance"), stroke: COLORS.balance, width: 1.5, fill: "rgba(74,85,104,0.08)", scale: "bal", value: (_u, _v, _s, i) => (i == null ? "" : money(rows[i]?.balance ?? "", lang)) });
    data.push(rows.map((r) => y(r.balance)));
    const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
    plot = new UPlot(
      {
        width: width(),
        height: HEIGHT,
        series,
        scales: { x: { time: false }, pay: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] }, bal: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] } },
        axes: [
          // Periods are whole: ticks at 1, 2, 3, 6, 12, … never 2.5.
          { stroke: "#4a5568", size: 28, incrs: [1, 2, 3, 6, 12, 24, 60, 120], values: (_u, splits) => splits.map((v) => String(v)) },
          { scale: "pay", stroke: "#4a5568", size: 44, values: (_u, splits) => splits.map((v) => compact.format(v)) },
          { scale: "bal", side: 1, stroke: "#4a5568", size: 44, grid: { show: false }, values: (_u, splits) => splits.map((v) => compact.format(v)) },
        ],
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        // At rest (nothing pointed at, or on a phone before a tap) the legend shows period 1's
        // figures instead of bare "label:" cells; pointing at a period shows that period's.
        hooks: { setLegend: [(u) => { if (u.legend.idx == null && rows.length > 0) u.setLegend({ idx: 0 }, false); }] },
      },
      data,
      canvasBox,
    );
  }

  return {
    element,
    update(rows, totals, lang) {
      last = { rows, lang };
      title.textContent = t(lang, "chart.title");
      summary.textContent = t(lang, "chart.summary", { n: rows.length, principal: money(totals.principal, lang), interest: money(totals.interest, lang), fee: money(totals.fee, lang) });
      if (!observer && typeof ResizeObserver !== "undefined") {
        let lastWidth = 0;
        observer = new ResizeObserver(() => {
          const w = width();
          if (plot && w !== lastWidth) {
            lastWidth = w;
            plot.setSize({ width: w, height: HEIGHT });
          }
        });
        observer.observe(canvasBox);
      }
      void draw();
    },
    destroy() {
      destroyed = true;
      observer?.disconnect();
      plot?.destroy();
    },
  };
}
