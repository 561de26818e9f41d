// The consumer page: one entry module, one engine per page (engine.ts). The calculator starts on
// the calculator-first module as soon as this runs; the full engine and the signed bundle load
// next for the offers and pre-eligibility, sharing the same instance.
import "../styles/page.css";
import { loadCalculator } from "../lib/engine";
import { loadBundle, BundleFailure, type LoadedBundle } from "../lib/bundle";
import { initialLang, t, type Lang } from "../lib/i18n";
import { today } from "../lib/format";
import { applyStaticTexts, wireToggle } from "../lib/page";
import { h } from "../lib/dom";
import { mountCalculator, type Calculator } from "../components/calculator";
import { mountOffers, type Offers } from "../components/offers";
import { mountEligibility } from "../components/eligibility";
import type { CalcState } from "../components/calculator";
import type { OffersState } from "../components/offers";
import type { EligibilityState } from "../components/eligibility";

const $ = (id: string) => document.getElementById(id) as HTMLElement;

// The calculator's engine starts loading before anything is drawn (the first figure waits on it).
void loadCalculator().catch(() => undefined);

let lang: Lang = initialLang();
let calculator: Calculator | null = null;
let offers: Offers | null = null;
let eligibility: { state(): EligibilityState } | null = null;
let bundle: LoadedBundle | null = null;
let failure: BundleFailure | null = null;
let saved: { calc?: Partial<CalcState>; offers?: Partial<OffersState>; elig?: Partial<EligibilityState> } = {};
let firstFigure = true;

function mountCalc(): void {
  calculator = mountCalculator($("calculator-root"), {
    lang,
    engine: loadCalculator,
    today: () => today(),
    ...(saved.calc ? { initial: saved.calc } : {}),
    onResult: () => {
      if (firstFigure) {
        firstFigure = false;
        performance.mark("puhui:first-figure");
        document.documentElement.dataset.firstFigure = "true";
        startOffers();
      }
    },
  });
}

function offersStatus(state: string, text: string, details?: string): void {
  const status = $("offers-status");
  status.dataset.state = state;
  status.replaceChildren(h("span", {}, text));
  if (details) status.append(h("details", { class: "tech-details" }, h("summary", {}, t(lang, "offers.details")), h("pre", {}, details)));
}

function mountBundleParts(): void {
  if (failure) {
    offersStatus(failure.state, t(lang, failure.state === "offline" ? "offers.offline" : "offers.unverifiable"), [failure.code, ...failure.details.map((d) => `${d.code}: ${d.message}`)].join("\n"));
    $("offers-root").replaceChildren();
    return;
  }
  if (!bundle) {
    offersStatus("loading", t(lang, "offers.loading"));
    return;
  }
  const notice = bundle.state === "stale" ? t(lang, "offers.stale") : bundle.state === "cached" ? t(lang, "offers.cached") : "";
  offersStatus(bundle.state === "fresh" ? "verified" : bundle.state, notice, bundle.warnings.length ? bundle.warnings.map((w) => `${w.code}: ${w.message}`).join("\n") : undefined);
  $("offers-status").hidden = notice === "";
  $("preview-banner").hidden = !bundle.engine.preview;
  offers = mountOffers($("offers-root"), { lang, engine: bundle.engine, summary: bundle.summary, bundleState: bundle.state, today: () => today(), ...(saved.offers ? { initial: saved.offers } : {}) });
  $("eligibility").hidden = false;
  eligibility = mountEligibility($("eligibility-root"), { lang, engine: bundle.engine, ...(saved.elig ? { initial: saved.elig } : {}), onBand: (band) => offers?.setBand(band) });
}

let offersStarted = false;
function startOffers(): void {
  if (offersStarted) return;
  offersStarted = true;
  loadBundle()
    .then((loaded) => {
      bundle = loaded;
    })
    .catch((error: unknown) => {
      failure = error instanceof BundleFailure ? error : new BundleFailure("unverifiable", "load-failed", [{ code: "load-failed", message: String(error) }]);
    })
    .finally(mountBundleParts);
}

function render(): void {
  applyStaticTexts(document, lang);
  mountCalc();
  mountBundleParts();
}

wireToggle($("lang-toggle") as HTMLButtonElement, () => lang, (next) => {
  saved = { calc: calculator?.state(), offers: offers?.state(), elig: eligibility?.state() };
  calculator?.destroy();
  lang = next;
  render();
});
render();
// If the calculator fails to produce a figure (bad saved input), offers still load.
loadCalculator().then(() => setTimeout(startOffers, 0), () => startOffers());
