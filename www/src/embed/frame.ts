// The iframe mode's postMessage bridge (/embed.html). The frame learns its allow-list from the
// server (`/embed-config.json`, written from serve.json `embed.allowedOrigins`); the lender's own
// origin is always allowed. Incoming messages count only when they come from the parent window
// and an allowed origin; anything else is ignored without an answer. Outgoing messages always
// name their target origin, never "*": the parent's origin when the browser reports it
// (`location.ancestorOrigins`) and it is allowed; otherwise the `parent` URL parameter when it is
// allowed; otherwise each allowed origin in turn (the browser delivers to at most the one that is
// the parent, so nothing reaches anyone else).
import type { PuhuiOfferElement } from "./element";

/** Host → frame. Every field is optional; `null` removes the setting. */
export interface SetMessage {
  type: "puhui:set";
  product?: string | null;
  amount?: string | null;
  term?: string | number | null;
  method?: string | null;
  band?: string | null;
  startDate?: string | null;
  lang?: "zh-CN" | "en" | null;
  compact?: boolean | null;
}

const SETTABLE: Record<string, string> = { product: "product", amount: "amount", term: "term", method: "method", band: "band", startDate: "start-date", lang: "lang" };

export interface FrameOptions {
  element: PuhuiOfferElement;
  allowedOrigins: string[];
  params: URLSearchParams;
}

export function startFrame({ element, allowedOrigins, params }: FrameOptions): { targets: string[] } {
  const allowed = new Set([location.origin, ...allowedOrigins.map((o) => o.toLowerCase())]);
  const framed = window.parent !== window;
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  const reported = ancestors && ancestors.length > 0 ? (ancestors[0] ?? null) : null;
  const hinted = params.get("parent")?.toLowerCase() ?? null;
  const targets = !framed ? [] : reported !== null ? (allowed.has(reported) ? [reported] : []) : hinted && allowed.has(hinted) ? [hinted] : [...allowed];

  const send = (type: string, payload: Record<string, unknown>) => {
    for (const target of targets) window.parent.postMessage({ type, ...payload }, target);
  };

  window.addEventListener("message", (event: MessageEvent) => {
    if (event.source !== window.parent || !allowed.has(event.origin)) return;
    const data = event.data as Partial<SetMessage> | null;
    if (!data || typeof data !== "object" || data.type !== "puhui:set") return;
    for (const [field, attribute] of Object.entries(SETTABLE)) {
      if (!(field in data)) continue;
      const value = (data as Record<string, unknown>)[field];
      if (value === null) element.removeAttribute(attribute);
      else if (typeof value === "string" || typeof value === "number") element.setAttribute(attribute, String(value));
    }
    if ("compact" in data) element.toggleAttribute("compact", data.compact === true);
  });

  element.addEventListener("puhui-ready", (e) => send("puhui:ready", (e as CustomEvent).detail));
  element.addEventListener("puhui-quote", (e) => send("puhui:quote", (e as CustomEvent).detail));
  element.addEventListener("puhui-apply", (e) => send("puhui:apply", { choice: (e as CustomEvent).detail }));
  element.addEventListener("puhui-error", (e) => send("puhui:error", (e as CustomEvent).detail));

  // Content height, so the host can size the frame without scrollbars.
  let last = -1;
  const measure = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      send("puhui:resize", { height });
    }
  };
  new ResizeObserver(measure).observe(document.documentElement);
  return { targets };
}
