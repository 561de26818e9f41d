// The partner list (/partners.html): every party of every product of the verified bundle, once
// each, with the products it takes part in; searchable by name, role, licence, phone and product.
// The bundle's signed issue date is shown as "updated on".
import type { ProductWithParties, Party, BundleSummary } from "../lib/types";
import { t, type Lang } from "../lib/i18n";
import { date } from "../lib/format";
import { h, uid } from "../lib/dom";
import { partyIdentity, localized, roleText } from "./parties";

export interface PartnerEntry {
  party: Party;
  products: ProductWithParties[];
}

/** Parties of all products, deduplicated by id, in bundle order. */
export function collectPartners(products: ProductWithParties[]): PartnerEntry[] {
  const byId = new Map<string, PartnerEntry>();
  for (const product of products) {
    for (const party of product.parties ?? []) {
      const entry = byId.get(party.id) ?? { party, products: [] };
      entry.products.push(product);
      byId.set(party.id, entry);
    }
  }
  return [...byId.values()];
}

const ROLE_ORDER = ["funder", "platform", "guarantor", "insurer"];

export function mountPartnerList(root: HTMLElement, options: { lang: Lang; products: ProductWithParties[]; summary: BundleSummary; query?: string }): { query(): string } {
  const { lang } = options;
  const entries = collectPartners(options.products).sort((a, b) => ROLE_ORDER.indexOf(a.party.role) - ROLE_ORDER.indexOf(b.party.role));
  const searchId = uid("partner-search");
  const input = h("input", { id: searchId, type: "search", autocomplete: "off", "aria-controls": `${searchId}-list` });
  input.value = options.query ?? "";
  const count = h("p", { class: "status", role: "status", "data-count": "" });
  const list = h("ul", { class: "partner-list", id: `${searchId}-list` });
  root.replaceChildren(
    h(
      "div",
      { class: "partners", lang },
      h("p", { class: "updated", "data-updated": options.summary.issuedAt }, t(lang, "partners.updated", { date: date(options.summary.issuedAt, lang) })),
      h("div", { class: "search" }, h("label", { for: searchId }, t(lang, "partners.search")), input),
      count,
      list,
    ),
  );

  const haystack = (e: PartnerEntry) =>
    [e.party.legalName["zh-CN"], e.party.legalName.en, e.party.licence?.["zh-CN"], e.party.licence?.en, e.party.servicePhone, roleText(e.party.role, "zh-CN"), roleText(e.party.role, "en"), e.party.role, ...e.products.flatMap((p) => [p.name["zh-CN"], p.name.en])]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();

  function render(): void {
    if (entries.length === 0) {
      count.textContent = t(lang, "partners.none");
      list.replaceChildren();
      return;
    }
    const terms = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = entries.filter((e) => terms.every((term) => haystack(e).includes(term)));
    count.textContent = shown.length ? t(lang, "partners.count", { n: shown.length }) : t(lang, "partners.noMatch");
    list.replaceChildren(
      ...shown.map((e) =>
        h("li", { class: "partner", "data-party": e.party.id, "data-role": e.party.role }, partyIdentity(e.party, lang), h("p", { class: "partner-products" }, t(lang, "partners.products", { list: e.products.map((p) => localized(p.name, lang)).join(t(lang, "list.sep")) }))),
      ),
    );
  }
  input.addEventListener("input", render);
  render();
  return { query: () => input.value };
}
