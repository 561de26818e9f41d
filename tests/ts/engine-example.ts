// Compiled by `tsc --noEmit`: the Engine class as a page uses it, with real types throughout.
import init, { Engine, type QuoteRequest, type Quote, type ProductList, type BundleState, type PuhuiError, type BundleAssessment, type QuoteParty, type PartyRole } from "../../pkg/web/puhui.js";

export async function quoteExample(envelope: Uint8Array, root: Uint8Array, stored: BundleState | null, now: string): Promise<string> {
  await init();
  const engine: Engine = Engine.load(envelope, root, stored, now, { channel: "production" });
  const toPersist: BundleState = engine.state;
  const listed: ProductList = engine.products();
  const first = listed.products[0];
  const request: QuoteRequest = { productId: first.id, amount: first.amount.min, termMonths: first.terms[0], band: first.bands[0], promotions: first.promotions.map((p) => p.id) };
  const quote: Quote = engine.quote(request);
  const label: string = quote.disclosure.cn.label ?? "";
  const flagged: string[] = quote.caps.flagged;
  const net: string | undefined = quote.subsidy?.netRate;
  const funder: QuoteParty | undefined = quote.parties.find((p) => p.role === "funder");
  const interest: string | undefined = funder?.charges.find((c) => c.item === "interest")?.total;
  const roles: PartyRole[] = first.parties.map((p) => p.role);
  const updatedOn: string = engine.summary.issuedAt;
  const assessed: BundleAssessment = engine.assess({ age: 45, residency: "CN", monthlyIncome: 8000, housing: "own" });
  const offer = assessed.offers.find((o) => o.productId === first.id);
  if (offer && offer.maxAmount !== null) engine.quote({ ...request, band: offer.band, amount: offer.minAmount });
  try {
    engine.quote({ ...request, amount: "0.01" });
  } catch (error) {
    const code: string = (error as PuhuiError).code;
    return `${quote.preview} ${label} ${quote.disclosure.cn.percent} ${flagged.join(",")} ${net} ${code} ${toPersist.bundles.length} ${engine.summary.sha256} ${engine.preview} ${funder?.legalName["zh-CN"]} ${interest} ${roles.join(",")} ${updatedOn}`;
  }
  return quote.texts["zh-CN"]["rateLabel"] ?? "";
}
