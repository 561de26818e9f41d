// /partners.html: the partner institutions of the current verified bundle (助贷 disclosure).
import "../styles/page.css";
import { loadBundle, BundleFailure, type LoadedBundle } from "../lib/bundle";
import { initialLang, t, type Lang } from "../lib/i18n";
import { applyStaticTexts, wireToggle } from "../lib/page";
import { h } from "../lib/dom";
import { mountPartnerList } from "../components/partner-list";
import type { ProductWithParties } from "../lib/types";

const $ = (id: string) => document.getElementById(id) as HTMLElement;
let lang: Lang = initialLang();
let loaded: LoadedBundle | null = null;
let failure: BundleFailure | null = null;
let query = "";
let list: { query(): string } | null = null;

function render(): void {
  applyStaticTexts(document, lang);
  const status = $("partners-status");
  if (failure) {
    status.dataset.state = failure.state;
    status.replaceChildren(h("span", {}, t(lang, failure.state === "offline" ? "offers.offline" : "offers.unverifiable")));
    return;
  }
  if (!loaded) return;
  status.hidden = true;
  status.dataset.state = "verified";
  list = mountPartnerList($("partners-root"), { lang, products: loaded.engine.products().products as ProductWithParties[], summary: loaded.summary, query });
}

wireToggle($("lang-toggle") as HTMLButtonElement, () => lang, (next) => {
  query = list?.query() ?? "";
  lang = next;
  render();
});
render();
loadBundle()
  .then((b) => {
    loaded = b;
  })
  .catch((error: unknown) => {
    failure = error instanceof BundleFailure ? error : new BundleFailure("unverifiable", "load-failed", []);
  })
  .finally(render);
