// /embed.html: the iframe mode for partners who cannot run a lender's script in their page.
// The URL's query sets the element's attributes (`?product=…&amount=…&term=…&method=…&band=…
// &lang=…&start-date=…&compact`); the trust root is the lender's own pinned root on this origin
// (the same file the consumer page pins); the message bridge is in embed/frame.ts.
import "../embed/frame.css";
import { defineOffer, type PuhuiOfferElement } from "../embed/element";
import { startFrame } from "../embed/frame";

const params = new URLSearchParams(location.search);
defineOffer({ pkgBase: "/pkg/web/" });
const element = document.createElement("puhui-offer") as PuhuiOfferElement;
for (const name of ["product", "amount", "term", "method", "band", "lang", "start-date", "bundle-id", "channel"]) {
  const value = params.get(name);
  if (value !== null && value !== "") element.setAttribute(name, value);
}
if (params.has("compact")) element.setAttribute("compact", "");
// The partner's theme through the URL (a frame cannot be styled from outside): validated values
// only, set as custom properties through the CSSOM (no inline style attribute).
const THEME: Record<string, [string, RegExp]> = {
  accent: ["--puhui-accent", /^#[0-9a-f]{3,8}$/i],
  ink: ["--puhui-ink", /^#[0-9a-f]{3,8}$/i],
  radius: ["--puhui-radius", /^\d{1,2}(\.\d{1,2})?(px|rem|em)$/],
  font: ["--puhui-font", /^[\w\s,"'-]{1,80}$/],
};
for (const [param, [property, valid]] of Object.entries(THEME)) {
  const value = params.get(param);
  if (value && valid.test(value)) element.style.setProperty(property, value);
}
document.documentElement.lang = params.get("lang") === "en" ? "en" : "zh-CN";

async function start(): Promise<void> {
  const [allowedOrigins, root] = await Promise.all([
    fetch("/embed-config.json")
      .then((r) => (r.ok ? (r.json() as Promise<{ allowedOrigins?: unknown }>) : {}))
      .then((c) => (Array.isArray((c as { allowedOrigins?: unknown }).allowedOrigins) ? ((c as { allowedOrigins: unknown[] }).allowedOrigins.filter((o) => typeof o === "string") as string[]) : []))
      .catch(() => [] as string[]),
    fetch("/bundles/pinned-root.json")
      .then((r) => (r.ok ? r.text() : null))
      .catch(() => null),
  ]);
  // The bridge listens before the element loads, so puhui:ready and the first quote are sent.
  startFrame({ element, allowedOrigins, params });
  if (root) element.pinnedRoot = root;
  document.body.append(element);
}
void start();
