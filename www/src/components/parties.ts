// The 助贷 disclosure on an offer: who funds the loan, who serves it, who guarantees or insures
// it, and what the borrower pays each over the whole loan (the engine's totals). Hidden when the
// quote carries no parties (bundles before the parties schema).
import type { PartyCharges, Party } from "../lib/types";
import { t, has, type Lang, type MessageKey } from "../lib/i18n";
import { money } from "../lib/format";
import { h } from "../lib/dom";

export function roleText(role: string, lang: Lang): string {
  const key = `parties.role.${role}`;
  return has(key) ? t(lang, key) : role;
}

export function chargeText(item: string, lang: Lang): string {
  const key = `charge.${item}`;
  return has(key) ? t(lang, key as MessageKey) : item;
}

export function localized(text: { "zh-CN"?: string; en?: string } | undefined, lang: Lang): string {
  if (!text) return "";
  return (lang === "en" ? text.en : text["zh-CN"]) ?? text["zh-CN"] ?? text.en ?? "";
}

/** One party's identity lines (name, role, licence, phone), shared by the offer and /partners.html. */
export function partyIdentity(party: Party, lang: Lang): HTMLElement {
  return h(
    "div",
    { class: "party-id" },
    h("p", { class: "party-role", "data-role": party.role }, roleText(party.role, lang)),
    h("p", { class: "party-name" }, localized(party.legalName, lang)),
    party.licence ? h("p", { class: "party-licence" }, t(lang, "parties.licence", { value: localized(party.licence, lang) })) : null,
    party.servicePhone ? h("p", { class: "party-phone" }, t(lang, "parties.phoneLine"), h("a", { href: `tel:${party.servicePhone}` }, party.servicePhone)) : null,
  );
}

/** The parties block of an offer, or null when the quote has none. */
export function renderParties(parties: PartyCharges[] | undefined, lang: Lang): HTMLElement | null {
  if (!parties || parties.length === 0) return null;
  return h(
    "section",
    { class: "parties", "data-block": "parties" },
    h("h4", {}, t(lang, "parties.title")),
    h(
      "ul",
      { class: "party-list" },
      ...parties.map((party) =>
        h(
          "li",
          { class: "party", "data-party": party.id, "data-role": party.role },
          partyIdentity(party, lang),
          h(
            "dl",
            { class: "party-charges" },
            ...party.charges.flatMap((c) => [h("dt", {}, chargeText(c.item, lang)), h("dd", { "data-charge": c.item }, money(c.total, lang))]),
            h("dt", { class: "total" }, t(lang, "parties.total")),
            h("dd", { class: "total", "data-party-total": "" }, money(party.total, lang)),
          ),
        ),
      ),
    ),
  );
}
