// The repayment schedule: collapsed to the first rows and the last one; "show all" pages through
// long terms 24 rows at a time (a 360-month loan never makes the page 20,000 px tall).
// Wide on a phone: the table scrolls inside its own box, never the page.
import type { Installment } from "../lib/types";
import { t, type Lang } from "../lib/i18n";
import { money, date } from "../lib/format";
import { h } from "../lib/dom";

export const PAGE_SIZE = 24;
const HEAD_ROWS = 3;

export interface ScheduleTable {
  element: HTMLElement;
  update(rows: Installment[], lang: Lang): void;
}

export function createScheduleTable(): ScheduleTable {
  const body = h("tbody");
  const head = h("thead");
  const caption = h("caption");
  const table = h("table", { class: "schedule" }, caption, head, body);
  const scroller = h("div", { class: "table-scroll", tabindex: "0", role: "region" }, table);
  const toggle = h("button", { type: "button", class: "link-button", "data-action": "show-all", "aria-expanded": "false" });
  const prev = h("button", { type: "button", class: "link-button", "data-action": "prev" });
  const next = h("button", { type: "button", class: "link-button", "data-action": "next" });
  const pageLabel = h("span", { class: "page-label", "aria-live": "polite" });
  const pager = h("div", { class: "pager", hidden: true }, prev, pageLabel, next);
  const element = h("div", { class: "schedule-box" }, scroller, h("div", { class: "table-actions" }, toggle, pager));
  let state: { rows: Installment[]; lang: Lang; expanded: boolean; page: number } = { rows: [], lang: "zh-CN", expanded: false, page: 0 };

  const cell = (text: string, tag: "td" | "th" = "td") => h(tag, tag === "th" ? { scope: "row" } : {}, text);
  const row = (r: Installment) =>
    h("tr", { "data-period": r.period }, cell(String(r.period), "th"), cell(r.dueDate ? date(r.dueDate, state.lang) : "—"), cell(money(r.payment, state.lang)), cell(money(r.principal, state.lang)), cell(money(r.interest, state.lang)), cell(money(r.fee, state.lang)), cell(money(r.balance, state.lang)));

  function render(): void {
    const { rows, lang, expanded, page } = state;
    caption.textContent = t(lang, "table.caption");
    scroller.setAttribute("aria-label", t(lang, "table.caption"));
    head.replaceChildren(h("tr", {}, ...(["table.period", "table.due", "table.payment", "table.principal", "table.interest", "table.fee", "table.balance"] as const).map((k) => h("th", { scope: "col" }, t(lang, k)))));
    const collapsible = rows.length > HEAD_ROWS + 1;
    toggle.hidden = !collapsible;
    toggle.textContent = expanded ? t(lang, "table.collapse") : t(lang, "table.showAll", { n: rows.length });
    toggle.setAttribute("aria-expanded", String(expanded));
    if (!collapsible) {
      body.replaceChildren(...rows.map(row));
      pager.hidden = true;
      return;
    }
    if (!expanded) {
      const gap = rows.length - HEAD_ROWS - 1;
      const gapRow = gap > 0 ? h("tr", { class: "gap" }, h("td", { colspan: "7" }, t(lang, "table.gap", { n: gap }))) : null;
      body.replaceChildren(...rows.slice(0, HEAD_ROWS).map(row), ...(gapRow ? [gapRow] : []), row(rows[rows.length - 1] as Installment));
      pager.hidden = true;
      return;
    }
    const pages = Math.ceil(rows.length / PAGE_SIZE);
    const from = page * PAGE_SIZE;
    const slice = rows.slice(from, from + PAGE_SIZE);
    body.replaceChildren(...slice.map(row));
    pager.hidden = pages <= 1;
    prev.textContent = t(lang, "table.prev");
    next.textContent = t(lang, "table.next");
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    pageLabel.textContent = t(lang, "table.page", { from: from + 1, to: from + slice.length, n: rows.length });
  }

  toggle.addEventListener("click", () => {
    state = { ...state, expanded: !state.expanded, page: 0 };
    render();
  });
  prev.addEventListener("click", () => {
    state = { ...state, page: Math.max(0, state.page - 1) };
    render();
  });
  next.addEventListener("click", () => {
    state = { ...state, page: state.page + 1 };
    render();
  });

  return {
    element,
    update(rows, lang) {
      const sameShape = rows.length === state.rows.length;
      state = { rows, lang, expanded: sameShape && state.expanded, page: sameShape ? state.page : 0 };
      render();
    },
  };
}
