// A partner's typed use of the shipped embed.d.ts (type-checked by `make test-embed`, never run):
// event details and frame messages are typed, money stays a decimal string.
import type { EmbedFrameMessage, EmbedSetMessage, PuhuiOfferElement } from "../../../pkg/web/embed.js";

declare const offer: PuhuiOfferElement;
offer.pinnedRoot = '{"payload": "..."}';
offer.addEventListener("puhui-quote", (event) => {
  const percent: string = event.detail.quote.disclosure.cn.percent;
  const first: string | undefined = event.detail.quote.schedule.installments[0]?.payment;
  console.log(percent, first, event.detail.request.termMonths);
});
offer.addEventListener("puhui-apply", (event) => {
  const total: string = event.detail.totalRepaid;
  console.log(total, event.detail.bundle.sha256);
});
offer.addEventListener("puhui-error", (event) => {
  const code: string = event.detail.code;
  console.log(code, event.detail.source);
});
const element: PuhuiOfferElement | null = document.querySelector("puhui-offer");
console.log(element?.quote?.quote.disclosure.totalRepaid);

declare const frame: HTMLIFrameElement;
const set: EmbedSetMessage = { type: "puhui:set", amount: "20000", term: 24 };
frame.contentWindow?.postMessage(set, "https://lender.example");
window.addEventListener("message", (event: MessageEvent<EmbedFrameMessage>) => {
  const data = event.data;
  if (data.type === "puhui:resize") frame.height = String(data.height);
  if (data.type === "puhui:apply") console.log(data.choice.amount);
});
