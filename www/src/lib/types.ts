// The engine's JSON shapes, taken from the wasm package's own declarations (wasm/src/types.d.ts),
// plus the additive 助贷 parties of the parties contract (present once the bundle carries them).
import type { LocalizedText, Product, Quote } from "../../../wasm/src/types";

export type * from "../../../wasm/src/types";

export type PartyRole = "funder" | "platform" | "guarantor" | "insurer";

/** A party of a product as the bundle lists it (`Engine.products()` entries). */
export interface Party {
  id: string;
  role: PartyRole | string;
  legalName: LocalizedText;
  licence?: LocalizedText;
  servicePhone?: string;
}

/** A party on a quote: what the borrower pays it over the whole loan, after promotions. */
export interface PartyCharges extends Party {
  charges: { item: string; total: string }[];
  total: string;
}

export type ProductWithParties = Product & { parties?: Party[] };
export type QuoteWithParties = Quote & { parties?: PartyCharges[] };
