// /partner-demo.html: what a partner's H5 page does with each mode. Left: the element from
// /pkg/web/embed.js, themed with --puhui-* properties and ::part(). Right: /embed.html in an
// iframe, driven with puhui:set and sized by puhui:resize. Every event and message is logged.
// The element's trust root: a real partner pastes the lender's root into a
// <script type="application/json"> child or sets `pinnedRoot` from its own bundle; this demo runs
// on the lender's own server, so it reads the root the demo just created (`make demo`).
import "./partner-demo.css";

interface OfferLike extends HTMLElement {
  pinnedRoot: string | null;
}

const log = document.getElementById("event-log") as HTMLOListElement;
function record(source: string, type: string, detail: unknown): void {
  const item = document.createElement("li");
  const head = document.createElement("strong");
  head.textContent = `${new Date().toLocaleTimeString("en-GB")} ${source} ${type}`;
  const body = document.createElement("code");
  const text = JSON.stringify(detail);
  body.textContent = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  item.append(head, " ", body);
  item.dataset.type = type;
  log.prepend(item);
}

const element = document.getElementById("offer-element") as OfferLike;
for (const type of ["puhui-ready", "puhui-quote", "puhui-apply", "puhui-error"]) {
  element.addEventListener(type, (event) => {
    const detail = (event as CustomEvent).detail as Record<string, unknown>;
    record("element", type, type === "puhui-quote" ? { request: detail.request, apr: (detail.quote as { disclosure: { cn: { percent: string } } }).disclosure.cn.percent } : detail);
  });
}
(document.getElementById("element-amount") as HTMLInputElement).addEventListener("change", (e) => element.setAttribute("amount", (e.target as HTMLInputElement).value));

const frame = document.getElementById("offer-frame") as HTMLIFrameElement;
const frameOrigin = new URL(frame.src).origin;
window.addEventListener("message", (event) => {
  if (event.origin !== frameOrigin || event.source !== frame.contentWindow) return;
  const data = event.data as { type?: string; height?: number; quote?: { disclosure: { cn: { percent: string } } }; request?: unknown };
  if (typeof data?.type !== "string" || !data.type.startsWith("puhui:")) return;
  if (data.type === "puhui:resize" && typeof data.height === "number") frame.style.height = `${data.height}px`;
  record("frame", data.type, data.type === "puhui:quote" ? { request: data.request, apr: data.quote?.disclosure.cn.percent } : data);
});
(document.getElementById("frame-amount") as HTMLInputElement).addEventListener("change", (e) => {
  frame.contentWindow?.postMessage({ type: "puhui:set", amount: (e.target as HTMLInputElement).value }, frameOrigin);
});

async function start(): Promise<void> {
  const root = await fetch("/bundles/pinned-root.json").then((r) => (r.ok ? r.text() : null), () => null);
  // Set before the element is defined: the element takes it over when it upgrades.
  if (root) element.pinnedRoot = root;
  else record("page", "no-root", "run make demo first");
  // The element module is the package file a partner would include; imported at run time.
  const embedModule: string = "/pkg/web/embed.js";
  await import(/* @vite-ignore */ embedModule);
}
void start();
