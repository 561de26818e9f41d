/** A decimal number as a string, e.g. "866.19" or "0.072". Never a JS number. */
export type DecimalString = string;
/** An ISO date, "YYYY-MM-DD". */
export type IsoDate = string;

export type Method = "equal-installment" | "equal-principal" | "interest-only" | "bullet" | "flat-fee";
export type DayCount = "30/360" | "act/360" | "act/365";
export type RoundingMode = "half-up" | "half-even" | "down";
export type FeeKind = "service" | "guarantee" | "insurance" | "membership" | "installment" | "other";
export type FeeTiming = "upfront-deducted" | "upfront-paid" | "per-period";

/** One fee tied to the loan: give exactly one of `amount` and `rate`. */
export interface FeeRequest {
  kind: FeeKind;
  timing: FeeTiming;
  amount?: DecimalString;
  /** Fraction of the original principal (per period for per-period fees). */
  rate?: DecimalString;
}

export interface ScheduleRequest {
  principal: DecimalString;
  /** Annual rate as a fraction; required except for flat-fee. */
  annualRate?: DecimalString;
  termMonths: number;
  method: Method;
  /** Flat-fee installments only: fee per period as a fraction of the original principal. */
  feeRate?: DecimalString;
  startDate?: IsoDate;
  firstDueDate?: IsoDate;
  dayCount?: DayCount;
  rounding?: RoundingMode;
  fees?: FeeRequest[];
}

export interface Installment {
  period: number;
  dueDate?: IsoDate;
  payment: DecimalString;
  principal: DecimalString;
  interest: DecimalString;
  fee: DecimalString;
  balance: DecimalString;
}

export interface ScheduleResponse {
  installments: Installment[];
  totals: { payment: DecimalString; principal: DecimalString; interest: DecimalString; fee: DecimalString };
  upfront: { deducted: DecimalString; paidAtSigning: DecimalString };
  /** What the borrower has in hand: principal minus upfront fees. */
  amountReceived: DecimalString;
  /** Interest plus every fee. */
  totalCost: DecimalString;
}

export interface DatedFlow { date: IsoDate; amount: DecimalString }

/** The request of `apr`: one shape per regime (domain-math §2). */
export type AprRequest =
  | { method: "cn-irr"; periodsPerYear?: number; advance: DecimalString; payments: DecimalString[] }
  | { method: "cn-irr"; advances: DatedFlow[]; payments: DatedFlow[]; yearDays?: 365 | 360 }
  | { method: "cn-daily"; dailyRate: DecimalString; yearDays?: 360 | 365 }
  | { method: "us-regz"; unitPeriod: "month" | "semimonth" | "week" | "day"; unitMultiple?: number; advances: DatedFlow[]; payments: DatedFlow[] }
  | { method: "eu-aprc"; timeBasis?: "actual" | "equal-months"; advances: DatedFlow[]; payments: DatedFlow[] };

export interface AprResponse {
  method: string;
  /** Annual rate as a fraction, 6 decimals. */
  rate: DecimalString;
  effectiveRate?: DecimalString;
  /** Display percent per regime (CN/US 2 decimals, EU 1 decimal). */
  percent: string;
  effectivePercent?: string;
  periodicRate?: DecimalString;
  periodsPerYear?: number;
  /** The label the page must print beside `percent` (e.g. 年化利率(单利)). */
  label?: string;
  effectiveLabel?: string;
  [extra: string]: unknown;
}

export interface CapRequest {
  id: string;
  name?: string;
  limit?: DecimalString;
  lprMultiple?: DecimalString;
  basis: "cn-irr" | "effective" | "simple";
  includes: string[];
  appliesTo: string[];
  effectiveFrom: IsoDate;
  effectiveTo?: IsoDate;
  legacy?: boolean;
}

export interface DiscloseRequest {
  schedule: ScheduleRequest;
  dailyRate?: DecimalString;
  yearDays?: 360 | 365;
  caps?: CapRequest[];
  lpr?: { from: IsoDate; rate: DecimalString }[];
  institutionType?: string;
  asOf?: IsoDate;
  euTimeBasis?: "actual" | "equal-months";
}

export interface CapResult {
  id: string;
  name?: string;
  basis: string;
  limit: DecimalString;
  lprMultiple?: DecimalString;
  lpr?: DecimalString;
  lprFrom?: IsoDate;
  rate: DecimalString;
  /** `limit` and `rate` as display percents, 2 decimals half-up. */
  limitPercent: string;
  ratePercent: string;
  pass: boolean;
  margin: DecimalString;
  includes: string[];
  legacy: boolean;
}

export interface DiscloseResponse {
  cn: AprResponse;
  cnBasis: "periods" | "days";
  us: AprResponse;
  eu: AprResponse;
  principal: DecimalString;
  amountReceived: DecimalString;
  totalInterest: DecimalString;
  totalFees: DecimalString;
  totalCost: DecimalString;
  costPer10000: DecimalString;
  totalRepaid: DecimalString;
  caps: { asOf?: IsoDate; institutionType?: string; results: CapResult[]; compliant: boolean; flagged: string[] };
  daily?: AprResponse;
}

/** The error every export throws: match on `code`, never on `message`. */
export interface PuhuiError extends Error {
  code: ErrorCode;
  path?: string;
}

export type LoanKind = "consumer-loan" | "card-installment" | "service-business-loan";
export interface LocalizedText { "zh-CN": string; en: string }
export interface DateWindow { from: IsoDate; to: IsoDate }

/** A fiscal subsidy program (财政贴息) as data; see domain-math §5. */
export interface SubsidyProgram {
  id?: string;
  name?: LocalizedText;
  source?: string;
  rate: DecimalString;
  maxShareOfContractRate?: DecimalString;
  window?: DateWindow;
  contractWindow?: DateWindow;
  eligibleInstitutions?: string[];
  loanKinds?: LoanKind[];
  eligibleShare?: DecimalString;
  perTransactionBaseCap?: DecimalString;
  perTransactionCap?: DecimalString;
  perBorrowerCap?: DecimalString;
  perBorrowerCapScope?: "policy-period" | "per-year";
  categories?: string[];
  smallConsumptionThreshold?: DecimalString;
  smallConsumptionCap?: DecimalString;
  base?: "outstanding" | "original";
  maxTermMonths?: number;
  maxLoanAmount?: DecimalString;
}

/** Promotions, applied in the documented stacking order (see `appliedOrder`). */
export type Promotion =
  | { kind: "merchant-funded"; share?: DecimalString }
  | { kind: "interest-free-days"; days: number }
  | { kind: "rate-discount"; fraction: DecimalString; periods?: number }
  | { kind: "interest-coupon"; amount: DecimalString };

export interface SubsidyContext {
  institutionType?: string;
  loanKind?: LoanKind;
  category?: string;
  asOf?: IsoDate;
  eligibleAmount?: DecimalString;
}

export interface SubsidyRequest {
  schedule: ScheduleRequest;
  program?: SubsidyProgram;
  programs?: SubsidyProgram[];
  /** Use the rule sets shipped with the engine (chosen by dates and eligibility). */
  builtinPrograms?: boolean;
  subsidyUsed?: DecimalString;
  subsidyUsedSmall?: DecimalString;
  promotions?: Promotion[];
  context?: SubsidyContext;
}

export interface SubsidyReason { program?: string; code: string; message: LocalizedText }

export interface SubsidyPeriod {
  period: number;
  dueDate?: IsoDate;
  payment: DecimalString;
  charge: DecimalString;
  promotionDiscount: DecimalString;
  merchantPaid: DecimalString;
  subsidy: DecimalString;
  netPayment: DecimalString;
}

export interface SubsidyResponse {
  subsidyRate: DecimalString;
  perPeriod: DecimalString[];
  total: DecimalString;
  contractRate: DecimalString;
  grossRate: DecimalString;
  rateAfterPromotions: DecimalString;
  netRate: DecimalString;
  grossApr: AprResponse;
  netApr: AprResponse;
  perPeriodDetail: SubsidyPeriod[];
  totals: { payment: DecimalString; charge: DecimalString; promotionDiscount: DecimalString; merchantPaid: DecimalString; subsidy: DecimalString; netPayment: DecimalString };
  capsBound: { program: string; cap: "per-transaction" | "per-borrower" | "small-consumption" | "interest-charged"; period: number; limit: DecimalString; year?: number }[];
  reasons: SubsidyReason[];
  assumptions: SubsidyReason[];
  appliedOrder: string[];
  programs: { id: string; name?: LocalizedText; applied: boolean; subsidyRate: DecimalString; rateCappedByShare: boolean; eligibleAmount: DecimalString; total: DecimalString; perPeriod: DecimalString[] }[];
}

/** Options of bundle verification; every field has a safe default. */
export interface VerifyOptions {
  /** The channel this client runs (default "production"). */
  channel?: string;
  /** Size cap checked before parsing (default 1 MiB). */
  maxBytes?: number;
  maxDepth?: number;
  /** Accept unsigned drafts, marked `preview: true` (default false; never in production). */
  previewAllowed?: boolean;
  minRootVersion?: number;
}

/**
 * What the host persists between verifications (rollback and freeze protection).
 * Every version is an integer ≤ 2^53 − 1 (Number.MAX_SAFE_INTEGER): larger ones are refused
 * at signing and verifying, so a JS number always holds them exactly.
 */
export interface BundleState {
  latestKnownTime: string | null;
  bundles: { bundleId: string; channel: string; version: number; sha256: string; issuedAt: string; rootVersion: number }[];
  root: { version: number; sha256: string } | null;
  rootChain: unknown[];
}

export interface BundleSummary {
  bundleId: string;
  channel: string;
  version: number;
  issuedAt: string;
  expiresAt: string;
  minEngineVersion: string;
  rootVersion: number;
  signedBy: string[];
  sha256: string;
  preview: boolean;
}

export interface VerifyResult {
  /** The verified payload. */
  bundle: { schema: string; bundleId: string; channel: string; version: number; [field: string]: unknown };
  state: BundleState;
  summary: BundleSummary;
}

export interface RotateResult {
  state: BundleState;
  root: { version: number; expiresAt: string; threshold: number; keyids: string[]; sha256: string };
}

/** The cap checks of a quote or disclosure. */
export interface CapCheck { asOf?: IsoDate; institutionType?: string; results: CapResult[]; compliant: boolean; flagged: string[] }

/** A promotion in a quote: the id of one the product offers, or an inline definition. */
export type PromotionChoice = string | Promotion;

/** The request of `Engine.quote` (and `puhui quote`). */
export interface QuoteRequest {
  productId: string;
  amount: DecimalString;
  termMonths: number;
  /** Default: the product's first method. */
  method?: Method;
  startDate?: IsoDate;
  /** Risk band from pre-eligibility; products priced by band need it. */
  band?: string;
  /** Subsidy already received under the cap in effect. */
  subsidyUsed?: DecimalString;
  promotions?: PromotionChoice[];
  context?: SubsidyContext;
}

/** The price a quote used (first matching row of the product's table). */
export interface QuotePrice {
  row: number;
  band?: string;
  annualRate: DecimalString;
  feeRate?: DecimalString;
  daily?: { method: "cn-daily"; dailyRate: DecimalString; yearDays: 360 | 365; rate: DecimalString; percent: string; label: string };
}

/** Texts per language (`zh-CN`, `en`): key → text. */
export type TextTable = { [language: string]: { [key: string]: string } };

/** A party's role in a product (助贷 disclosure): 资金方, 助贷机构, 增信方 (担保 / 保险). */
export type PartyRole = "funder" | "platform" | "guarantor" | "insurer";

/** One institution behind a product, as the signed bundle describes it. */
export interface Party {
  /** Unique in the product; one id means one party across the bundle. */
  id: string;
  role: PartyRole;
  legalName: LocalizedText;
  /** Licence type (商业银行, 消费金融公司, 融资担保公司, …). */
  licence: LocalizedText;
  servicePhone: string;
}

/** One item a party charges over the whole loan (yuan, after promotions, before the fiscal subsidy). */
export interface PartyCharge {
  /** `interest` and `installment-fee` (the funder's), or the kind of a fee. */
  item: "interest" | "installment-fee" | FeeKind;
  total: DecimalString;
}

/** A party of a quote with what the borrower pays it. */
export interface QuoteParty extends Party {
  /** The funder always lists `interest` and `installment-fee`; fees of one kind are summed. */
  charges: PartyCharge[];
  /** Σ charges. */
  total: DecimalString;
}

/** Everything the page shows for one offer. */
export interface Quote {
  productId: string;
  productName: LocalizedText;
  /** True when the bundle is an unsigned preview draft: show it visibly. */
  preview: boolean;
  price: QuotePrice;
  schedule: ScheduleResponse;
  disclosure: Omit<DiscloseResponse, "caps" | "daily">;
  caps: CapCheck;
  /** Present when the product has subsidy programs or promotions were asked for. */
  subsidy?: SubsidyResponse;
  /** Funder, platform, guarantor, insurer in the product's order, each with its charges. */
  parties: QuoteParty[];
  texts: TextTable;
  bundle: { bundleId: string; version: number; sha256: string };
}

/** One product as `Engine.products()` lists it. */
export interface Product {
  id: string;
  name: LocalizedText;
  kind: LoanKind;
  amount: { min: DecimalString; max: DecimalString; step: DecimalString };
  terms: number[];
  methods: Method[];
  bands: string[];
  promotions: { id: string; kind: Promotion["kind"]; name?: LocalizedText }[];
  subsidyPrograms: string[];
  caps: string[];
  /** Exactly one `funder`; platform, guarantor and insurer as the product has them. */
  parties: Party[];
}

export interface ProductList {
  preview: boolean;
  products: Product[];
}

/** One finding of `lint` (the `lint` operation and `puhui lint`). */
export interface Diagnostic {
  severity: "error" | "warning";
  code: string;
  message: string;
  path: string;
}

export interface LintReport {
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

/** An applicant for pre-eligibility: numbers as JSON numbers or decimal strings, categories as strings, null = missing. */
export type Applicant = { [field: string]: number | string | boolean | null };

/** The result of `Engine.assess`: the score module's assessment plus the products to quote. */
/** A full quote at the indicative limit, summarized for an offer card. */
export interface IndicativeQuote {
  amount: DecimalString;
  termMonths: number;
  method: Method;
  /** The annualized rate (单利, IRR method) as a display percent, e.g. "7.20". */
  percent: string;
  label: string;
  effectivePercent: string;
  firstPayment: DecimalString;
  totalCost: DecimalString;
  compliant: boolean;
}

export interface BundleAssessment {
  preview: boolean;
  decision: "likely" | "refer" | "unlikely";
  score: DecimalString | null;
  band: { id: string; priceBand?: string } | null;
  reasons: { code: string; variable: string; shortfall: DecimalString; text?: LocalizedText }[];
  knockedOut: { id: string; reasonCode: string; text: LocalizedText }[];
  decidedBy: string | null;
  limit: DecimalString | null;
  /** Products the applicant's price band can be quoted on, with the amount range to offer. */
  offers: { productId: string; band?: string; minAmount: DecimalString; maxAmount: DecimalString | null; indicative?: IndicativeQuote }[];
  bundle: { bundleId: string; version: number; sha256: string };
}

// <error-codes> generated from src/error_codes.rs by tests/error_registry.rs (PUHUI_BLESS=1); do not edit
/** Every stable code an engine refusal can carry (docs/errors.md). */
export type ErrorCode =
  | "amount-off-step"
  | "amount-out-of-range"
  | "amount-range"
  | "amount-step"
  | "api-config"
  | "bad-api-body-bytes"
  | "bad-arguments"
  | "bad-bin"
  | "bad-flows"
  | "bad-frame-ancestor"
  | "bad-max-bundle-bytes"
  | "bad-name"
  | "bad-origin"
  | "bad-path"
  | "bad-points"
  | "bad-rate-limit"
  | "bad-request"
  | "bad-rounding"
  | "bad-signature"
  | "band-gap"
  | "band-overlap"
  | "batch-too-large"
  | "bin-kind-mismatch"
  | "bind-failed"
  | "body-not-allowed"
  | "body-too-large"
  | "breaks-cap"
  | "breaks-future-cap"
  | "bundle-mismatch"
  | "cap-exhausted"
  | "cap-not-applicable"
  | "category-overlap"
  | "conflicting-party"
  | "cors-refused"
  | "duplicate-band-id"
  | "duplicate-bin-label"
  | "duplicate-column"
  | "duplicate-else-bin"
  | "duplicate-id"
  | "duplicate-key"
  | "duplicate-missing-bin"
  | "duplicate-promotion"
  | "duplicate-rule-id"
  | "duplicate-term"
  | "duplicate-variable"
  | "empty-card"
  | "empty-range"
  | "engine-too-old"
  | "expired"
  | "fee-without-party"
  | "fees-exceed-principal"
  | "file-exists"
  | "file-too-large"
  | "float-column"
  | "float-not-allowed"
  | "header-mismatch"
  | "headers-too-large"
  | "insecure-key-file"
  | "internal"
  | "invalid-amount"
  | "invalid-argument"
  | "invalid-bundle"
  | "invalid-bundle-id"
  | "invalid-cap"
  | "invalid-channel"
  | "invalid-config"
  | "invalid-context"
  | "invalid-date"
  | "invalid-fee"
  | "invalid-key-file"
  | "invalid-model"
  | "invalid-option"
  | "invalid-principal"
  | "invalid-program"
  | "invalid-program-data"
  | "invalid-promotion"
  | "invalid-query"
  | "invalid-rate"
  | "invalid-request"
  | "invalid-root"
  | "invalid-scorecard"
  | "invalid-share"
  | "invalid-state"
  | "invalid-term"
  | "invalid-time"
  | "invalid-version"
  | "invalid-window"
  | "io"
  | "issued-in-future"
  | "limit-exceeded"
  | "line-too-long"
  | "malformed"
  | "malformed-applicant"
  | "malformed-column"
  | "malformed-decimal"
  | "malformed-input"
  | "malformed-json"
  | "method-not-allowed"
  | "method-not-offered"
  | "missing-argument"
  | "missing-column"
  | "missing-dependency"
  | "missing-else-bin"
  | "missing-field"
  | "missing-id"
  | "missing-language"
  | "missing-missing-bin"
  | "missing-program"
  | "missing-reason-text"
  | "missing-start-date"
  | "missing-text"
  | "multiple-funders"
  | "multiple-roots"
  | "negative-amortization"
  | "negative-cap"
  | "no-bands"
  | "no-bins"
  | "no-funder"
  | "no-lpr"
  | "no-matching-band"
  | "no-matching-bin"
  | "no-pre-eligibility"
  | "no-price"
  | "no-randomness"
  | "no-solution"
  | "no-trust-root"
  | "not-a-number"
  | "not-an-engine"
  | "not-found"
  | "number-out-of-range"
  | "operation-budget-exceeded"
  | "operation-unavailable"
  | "out-of-range"
  | "over-precise-amount"
  | "overflow"
  | "overlapping-price-rows"
  | "range-gap"
  | "range-overlap"
  | "rate-limited"
  | "rollback"
  | "root-chain-broken"
  | "root-expired"
  | "root-not-self-signed"
  | "root-outdated"
  | "root-rollback"
  | "root-too-old"
  | "root-version-skip"
  | "rule-error"
  | "rule-too-deep"
  | "schedule-mismatch"
  | "shadowed-price-row"
  | "string-too-long"
  | "term-not-offered"
  | "terms-empty"
  | "threshold-not-met"
  | "too-deep"
  | "too-large"
  | "too-many-applicants"
  | "unknown-bundle-version"
  | "unknown-day-count"
  | "unknown-field"
  | "unknown-key"
  | "unknown-language"
  | "unknown-method"
  | "unknown-operation"
  | "unknown-operator"
  | "unknown-product"
  | "unknown-promotion"
  | "unknown-reference"
  | "unknown-rounding"
  | "unknown-variable"
  | "unreachable-price-row"
  | "unsigned"
  | "unsigned-promotion"
  | "unsupported-column"
  | "unsupported-media-type"
  | "unsupported-schema"
  | "unsupported-table"
  | "uri-too-long"
  | "version-exists"
  | "version-not-newer"
  | "version-out-of-range"
  | "wrong-channel"
  | "wrong-payload-type"
  | "wrong-type"
  ;
// </error-codes>
