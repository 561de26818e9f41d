// The web package's `embed.js`: registers <puhui-offer> and loads the engine, the calculator-first
// module when present, and the bundle loader from this module's own directory (pkg/web/), so a
// partner page needs one <script type="module" src=".../pkg/web/embed.js">.
import { defineOffer } from "./element";

defineOffer({ pkgBase: new URL("./", import.meta.url).href });

export { PuhuiOfferElement, defineOffer, configurePackage, OFFER_ATTRIBUTES } from "./element";
export type { OfferErrorDetail, OfferApplyDetail } from "./element";
