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

export interface CnIrrRequest {
  method: "cn-irr";
  periodsPerYear?: number;
  advance: DecimalString;
  payments: DecimalString[];
}

export type AprRequest = CnIrrRequest;

export interface AprResponse {
  method: string;
  /** Annual rate as a fraction, 6 decimals. */
  rate: DecimalString;
  effectiveRate?: DecimalString;
  /** Display percent per regime (CN/US 2 decimals, EU 1 decimal). */
  percent: string;
  [extra: string]: unknown;
}

/** The error every export throws: match on `code`, never on `message`. */
export interface PuhuiError extends Error {
  code: string;
  path?: string;
}
