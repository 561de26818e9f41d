// The product preview studio: a draft bundle is linted, previewed (every figure marked
// PREVIEW), priced in a batched grid against the live bundle, diffed, and run over sample
// applicants. Everything runs in the studio's own wasm module; this file moves strings between
// the page and the engine and computes no money. Nothing is signed or published from here.
import { loadStudioWasm, nowRfc3339 } from "../studio/wasm";
import type { DiffReport, Grid, GridCell, GridFigures, GridSpec, LintReport, PuhuiError, StudioEngine, StudioWasm } from "../studio/wasm";
import { indexPaths, locate } from "../studio/jsonpath";
import type { PathIndex } from "../studio/jsonpath";
import { lintText } from "../studio/messages";
import { applicantLines, csvDocument, download } from "../studio/csv";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
};

function text(tag: string, content: string, className?: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function explain(error: unknown): string {
  const e = error as PuhuiError;
  return `${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ""}${e.path ? ` @ ${e.path}` : ""}`;
}

function status(id: string, state: string, message: string): void {
  const element = $(id);
  element.dataset.state = state;
  element.textContent = message;
}

const params = new URLSearchParams(location.search);
const BUNDLE_ID = params.get("bundle") ?? "puhui-sample";
const CHANNEL = params.get("channel") ?? "production";

let wasm: StudioWasm;
let rootText: string | null = null;
let live: StudioEngine | null = null;
let draft: StudioEngine | null = null;
let draftText = "";
let pathIndex: PathIndex = new Map();
let grid: Grid | null = null;
let gridRows: string[][] = [];
let diffRows: string[][] = [];

// --- live bundle -----------------------------------------------------------------------------

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw Object.assign(new Error(`${url}: HTTP ${response.status}`), { code: "fetch-failed" });
  return response.text();
}

async function loadLive(): Promise<void> {
  try {
    rootText = await fetchText("/bundles/pinned-root.json");
    const latestUrl = new URL(`/bundles/${BUNDLE_ID}/${CHANNEL}/latest.json`, location.href);
    const pointer = JSON.parse(await fetchText(latestUrl.href)) as { path: string };
    const envelope = await fetchText(new URL(pointer.path, latestUrl).href);
    // The same core verification as the consumer Engine.load: pinned root, production options.
    live = wasm.StudioEngine.load(envelope, rootText, null, nowRfc3339(), null);
    const s = live.summary as { bundleId: string; version: number; signedBy: string[]; sha256: string };
    status("live-status", "verified", `线上版本已验证 Live verified: ${s.bundleId} v${s.version}, signed by ${s.signedBy.join(", ")} · sha256 ${s.sha256.slice(0, 12)}…`);
  } catch (error) {
    live = null;
    status("live-status", "error", `线上版本不可用 Live bundle unavailable: ${explain(error)}`);
  }
}

// --- draft -----------------------------------------------------------------------------------

function renderJson(highlight?: [number, number]): void {
  const pre = $("json-text");
  if (!highlight) {
    pre.textContent = draftText;
    return;
  }
  const mark = text("mark", draftText.slice(highlight[0], highlight[1]));
  pre.replaceChildren(draftText.slice(0, highlight[0]), mark, draftText.slice(highlight[1]));
  mark.scrollIntoView({ block: "center" });
}

function renderLint(report: LintReport): void {
  $("lint-summary").textContent = `${report.errors} 个错误 errors · ${report.warnings} 个警告 warnings${report.ok ? " · 可提交签名 ready for signing" : ""}`;
  $("lint-summary").dataset.ok = String(report.ok);
  $("lint-list").replaceChildren(...report.diagnostics.map((d) => {
    const item = document.createElement("li");
    item.dataset.severity = d.severity;
    item.dataset.code = d.code;
    item.dataset.path = d.path;
    const button = document.createElement("button");
    button.type = "button";
    const words = lintText(d.code);
    button.append(
      text("span", d.severity === "error" ? "错误 error" : "警告 warning", "sev"), " ",
      text("code", d.code), " ", text("code", d.path || "(payload)"), " ",
      text("span", words ? words[0] : d.message),
      text("span", words ? `${words[1]} — ${d.message}` : d.message, "en"),
    );
    button.addEventListener("click", () => {
      for (const other of document.querySelectorAll("#lint-list li")) other.removeAttribute("aria-current");
      item.setAttribute("aria-current", "true");
      $<HTMLDetailsElement>("json-view").open = true;
      renderJson(locate(pathIndex, d.path));
      $("json-text").dataset.highlight = d.path;
    });
    item.append(button);
    return item;
  }));
}

function loadDraft(source: string, name: string): void {
  draftText = source;
  draft?.free();
  draft = null;
  grid = null;
  pathIndex = indexPaths(source);
  $("lint").hidden = false;
  $("json-text").dataset.highlight = "";
  renderJson();
  renderLint(wasm.lint(source));
  try {
    if (rootText === null) throw Object.assign(new Error("the pinned root is not available"), { code: "no-root" });
    draft = wasm.StudioEngine.loadDraft(source, rootText, nowRfc3339());
    const s = draft.summary as { bundleId: string; version: number };
    status("draft-status", "loaded", `草稿已载入 Draft loaded (PREVIEW): ${name} · ${s.bundleId} v${s.version}`);
  } catch (error) {
    status("draft-status", "error", `草稿无法预览 The draft cannot be previewed: ${explain(error)}`);
  }
  renderDiff();
  $("grid").hidden = draft === null;
  $("applicants").hidden = draft === null;
  $("grid-table").querySelector("tbody")?.replaceChildren();
  $("applicant-table").querySelector("tbody")?.replaceChildren();
  $("grid-summary").textContent = "";
  $("applicant-summary").textContent = "";
  if (draft) {
    const select = $<HTMLSelectElement>("grid-product");
    const all = text("option", "全部产品 All products") as HTMLOptionElement;
    all.value = "";
    select.replaceChildren(all, ...draft.products().products.map((p) => {
      const option = text("option", `${p.id} · ${p.name["zh-CN"] ?? ""} ${p.name.en ?? ""}`) as HTMLOptionElement;
      option.value = p.id;
      return option;
    }));
    fillGrid();
  }
}

// --- diff ------------------------------------------------------------------------------------

const KIND: Record<string, string> = { added: "新增 added", removed: "删除 removed", changed: "修改 changed" };

function renderDiff(): void {
  $("diff").hidden = false;
  $("diff-error").hidden = true;
  diffRows = [];
  let report: DiffReport | null = null;
  if (!live) {
    $("diff-error").textContent = "没有已验证的线上版本可对比 No verified live bundle to compare with";
    $("diff-error").hidden = false;
  } else {
    try {
      report = wasm.diff(live.payload, draftText);
    } catch (error) {
      $("diff-error").textContent = `无法对比 Cannot diff: ${explain(error)}`;
      $("diff-error").hidden = false;
    }
  }
  const changes = report ? [...report.changes, ...report.header] : [];
  diffRows = changes.map((c) => [c.section, c.kind, c.path, c.before ?? "", c.after ?? ""]);
  $("diff-table").querySelector("tbody")?.replaceChildren(...changes.map((c, i) => {
    const row = document.createElement("tr");
    row.dataset.kind = c.kind;
    row.dataset.path = c.path;
    row.dataset.section = c.section;
    const cells = diffRows[i] ?? [];
    cells.forEach((value, j) => row.append(text("td", j === 1 ? KIND[value] ?? value : value)));
    return row;
  }));
  $("diff-summary").textContent = report
    ? `${report.changes.length} 处内容变化 content changes · ${report.header.length} 处版本信息变化 header changes`
    : "";
}

// --- grid ------------------------------------------------------------------------------------

const GRID_HEAD = ["product", "amount", "termMonths", "band", "method", "percent", "effectivePercent", "firstPayment", "totalCost", "costPer10000", "subsidy", "netPercent", "capsBroken", "deltaRatePoints", "deltaTotalCost", "preview"];

function capText(f: GridFigures): string {
  const broken = f.caps.filter((c) => !c.pass);
  return broken.length ? broken.map((c) => `✗ ${c.id} ${c.ratePercent}% > ${c.limitPercent}%`).join("; ") : "✓";
}

function deltaText(cell: GridCell): string {
  if (!live) return "";
  if (cell.delta) {
    if (!cell.changed) return "=";
    const cost = cell.delta.totalCost.replace(/^([+-]?)/, "$1¥");
    return `${cell.delta.ratePoints} pt, ${cost}`;
  }
  if (cell.figures && cell.baselineError) return `新 new (${cell.baselineError.code})`;
  if (!cell.figures && cell.baseline) return "已移除 no longer offered";
  return "";
}

function cellRow(productId: string, cell: GridCell): string[] {
  const f = cell.figures;
  const common = [productId, cell.amount, String(cell.termMonths), cell.band ?? "", cell.method];
  if (!f) return [...common, "", "", "", "", "", "", "", cell.error?.code ?? "", "", "", "PREVIEW"];
  return [...common, f.percent, f.effectivePercent, f.firstPayment, f.totalCost, f.costPer10000, f.subsidy, f.netPercent,
    f.breaksCap ? f.caps.filter((c) => !c.pass).map((c) => c.id).join(" ") : "",
    cell.delta?.ratePoints ?? "", cell.delta?.totalCost ?? "", "PREVIEW"];
}

function renderGrid(): void {
  if (!grid) return;
  const onlyChanged = $<HTMLInputElement>("only-changed").checked;
  const onlyCap = $<HTMLInputElement>("only-cap").checked;
  const body = document.createDocumentFragment();
  gridRows = [];
  for (const product of grid.products) {
    for (const cell of product.cells) {
      if (onlyChanged && !cell.changed) continue;
      if (onlyCap && !cell.figures?.breaksCap) continue;
      gridRows.push(cellRow(product.productId, cell));
      const row = document.createElement("tr");
      const f = cell.figures;
      Object.assign(row.dataset, {
        product: product.productId, amount: cell.amount, term: String(cell.termMonths), band: cell.band ?? "",
        method: cell.method, changed: String(cell.changed), over: String(f?.breaksCap ?? false), preview: String(grid.preview),
      });
      if (cell.changed) row.classList.add("changed");
      if (f?.breaksCap) row.classList.add("over");
      for (const value of [product.productId, cell.amount, String(cell.termMonths), cell.band ?? "—", cell.method]) row.append(text("td", value));
      if (f) {
        const rate = text("td", `${f.percent}%`);
        rate.title = `复利 compound ${f.effectivePercent}%`;
        rate.dataset.field = "percent";
        row.append(rate);
        for (const [field, value] of [["firstPayment", f.firstPayment], ["totalCost", f.totalCost], ["costPer10000", f.costPer10000], ["subsidy", f.subsidy], ["netPercent", `${f.netPercent}%`]] as const) {
          const td = text("td", value);
          td.dataset.field = field;
          row.append(td);
        }
        const caps = text("td", capText(f), f.breaksCap ? "caps over" : "caps");
        caps.dataset.field = "caps";
        row.append(caps);
      } else {
        const na = text("td", `— ${cell.error?.code ?? ""}`, "na") as HTMLTableCellElement;
        na.colSpan = 7;
        na.title = cell.error?.message ?? "";
        row.append(na);
      }
      const delta = deltaText(cell);
      const d = text("td", delta, delta.startsWith("+") ? "up" : delta.startsWith("-") ? "down" : "");
      d.dataset.field = "delta";
      row.append(d, text("td", "PREVIEW", "mark-cell"));
      (row.lastElementChild as HTMLElement).dataset.field = "mark";
      body.append(row);
    }
  }
  $("grid-table").querySelector("tbody")?.replaceChildren(body);
  $("grid-summary").textContent = `PREVIEW · ${grid.asOf} · ${grid.quotes} 次报价 quotes · ${grid.changed} 格有变化 cells changed · ${grid.breakingCap} 格超上限 cells break a cap · 显示 showing ${gridRows.length}`;
}

function readSpec(): GridSpec {
  const spec: GridSpec = { asOf: $<HTMLInputElement>("grid-date").value };
  const product = $<HTMLSelectElement>("grid-product").value;
  if (product) spec.products = [product];
  const amounts = $<HTMLInputElement>("grid-amounts").value.split(/[,，\s]+/).filter((a) => a !== "");
  if (amounts.length) spec.amounts = amounts;
  return spec;
}

function fillGrid(): void {
  if (!draft) return;
  $("grid-error").hidden = true;
  const started = performance.now();
  try {
    const spec = readSpec();
    // One boundary crossing for the whole grid (draft and live quoted inside wasm).
    grid = live ? draft.gridAgainst(spec, live) : draft.grid(spec);
    renderGrid();
  } catch (error) {
    grid = null;
    $("grid-table").querySelector("tbody")?.replaceChildren();
    $("grid-error").textContent = explain(error);
    $("grid-error").hidden = false;
    return;
  }
  const elapsed = performance.now() - started;
  $("grid-table").dataset.fillMs = elapsed.toFixed(1);
  $("grid-table").dataset.quotes = String(grid.quotes);
  $("grid-summary").textContent += ` · ${elapsed.toFixed(0)} ms`;
}

// --- applicants ------------------------------------------------------------------------------

interface Assessed { decision: string; score: string | null; band: { id: string } | null; reasons: { code: string }[]; knockedOut: { reasonCode: string }[]; offers: { productId: string; indicative?: { amount: string; termMonths: number; percent: string } }[] }

function sideText(side: { result?: unknown; error?: { code: string } } | undefined): string {
  if (!side) return "";
  if (side.error) return `✗ ${side.error.code}`;
  const r = side.result as Assessed;
  return [r.decision, r.score ?? "", r.band?.id ?? ""].filter((v) => v !== "").join(" · ");
}

function runApplicants(): void {
  if (!draft) return;
  $("applicant-error").hidden = true;
  try {
    const lines = applicantLines($<HTMLTextAreaElement>("applicant-text").value);
    const table = live ? draft.assessTableAgainst(lines, live) : draft.assessTable(lines);
    $("applicant-table").querySelector("tbody")?.replaceChildren(...table.rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.changed = String(row.decisionChanged);
      tr.dataset.preview = String(table.preview);
      if (row.decisionChanged) tr.classList.add("changed");
      const r = row.draft.result as Assessed | undefined;
      const reasons = r ? [...r.knockedOut.map((k) => k.reasonCode), ...r.reasons.map((x) => x.code)].join(" ") : "";
      const offer = r?.offers.find((o) => o.indicative);
      const offerText = offer?.indicative ? `${offer.productId} ${offer.indicative.amount} × ${offer.indicative.termMonths} @ ${offer.indicative.percent}%` : "";
      for (const value of [String(row.line), sideText(row.live), `${sideText(row.draft)} PREVIEW`, reasons, offerText, row.decisionChanged ? "✓ 变化 changed" : ""]) tr.append(text("td", value));
      return tr;
    }));
    $("applicant-summary").textContent = `PREVIEW · ${table.count} 位申请人 applicants · ${table.changed} 个决定改变 decisions change`;
    $("applicant-summary").dataset.changed = String(table.changed);
  } catch (error) {
    $("applicant-error").textContent = explain(error);
    $("applicant-error").hidden = false;
  }
}

// --- wiring ----------------------------------------------------------------------------------

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function wire(): void {
  $<HTMLInputElement>("grid-date").value = today();
  $<HTMLTextAreaElement>("applicant-text").value = [
    '{"age": 45, "monthlyIncome": 8000, "existingRepayments": 500, "housing": "own", "residency": "CN"}',
    '{"age": 23, "monthlyIncome": 3000, "existingRepayments": 2000, "housing": "rent", "residency": "CN"}',
    '{"age": 17, "monthlyIncome": 2000, "housing": "free", "residency": "CN"}',
  ].join("\n");
  const file = $<HTMLInputElement>("draft-file");
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (chosen) void chosen.text().then((t) => loadDraft(t, chosen.name));
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const dropped = event.dataTransfer?.files[0];
    if (dropped) void dropped.text().then((t) => loadDraft(t, dropped.name));
    else {
      const plain = event.dataTransfer?.getData("text/plain");
      if (plain) loadDraft(plain, "dropped text");
    }
  });
  $("draft-load").addEventListener("click", () => loadDraft($<HTMLTextAreaElement>("draft-text").value, "pasted"));
  $("grid-form").addEventListener("submit", (event) => { event.preventDefault(); fillGrid(); });
  $("grid-date").addEventListener("change", fillGrid);
  $("grid-product").addEventListener("change", fillGrid);
  $("only-changed").addEventListener("change", renderGrid);
  $("only-cap").addEventListener("change", renderGrid);
  $("grid-csv").addEventListener("click", () => download(`grid-preview-${grid?.asOf ?? ""}.csv`, csvDocument([GRID_HEAD, ...gridRows])));
  $("diff-csv").addEventListener("click", () => download("diff-preview.csv", csvDocument([["section", "kind", "path", "live", "draft"], ...diffRows])));
  $("applicant-run").addEventListener("click", runApplicants);
}

/** What the tests and the benchmark read: the exact CSV the export buttons download. */
function exposeForTests(): void {
  document.documentElement.dataset.studio = "ready";
  Object.assign(window, {
    studioCsv: { grid: () => csvDocument([GRID_HEAD, ...gridRows]), diff: () => csvDocument([["section", "kind", "path", "live", "draft"], ...diffRows]) },
  });
}

async function start(): Promise<void> {
  wasm = await loadStudioWasm();
  $("engine-version").textContent = `puhui engine ${wasm.engineVersion()} · studio module /pkg/studio/`;
  status("engine-status", "ready", "预览引擎已就绪 Studio engine ready");
  wire();
  await loadLive();
  exposeForTests();
}

start().catch((error: unknown) => status("engine-status", "error", explain(error)));
