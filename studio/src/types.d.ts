/** One lint finding (the same shape `puhui lint` prints). */
export interface LintDiagnostic { severity: "error" | "warning"; code: string; message: string; path: string }
/** The lint report. */
export interface LintReport { ok: boolean; errors: number; warnings: number; diagnostics: LintDiagnostic[] }
/** One structural change; `before`/`after` are compact JSON text. */
export interface DiffChange { section: string; kind: "added" | "removed" | "changed"; path: string; before?: string; after?: string }
/** The diff of two payloads. */
export interface DiffReport { changes: DiffChange[]; header: DiffChange[] }
/** A product as the engine lists it. */
export interface StudioProduct {
  id: string; name: Record<string, string>; kind: string;
  amount: { min: string; max: string; step: string };
  terms: number[]; methods: string[]; bands: string[];
  promotions: { id: string; kind: string }[]; subsidyPrograms: string[]; caps: string[];
}
/** What the grid quotes; absent axes default to what each product offers. */
export interface GridSpec {
  products?: string[]; amounts?: string[]; amountCount?: number; terms?: number[];
  bands?: string[]; methods?: string[]; asOf: string;
}
/** A cap as a cell reports it. */
export interface GridCap { id: string; limitPercent: string; ratePercent: string; pass: boolean }
/** The figures of one quote (decimal strings). */
export interface GridFigures {
  row: number; percent: string; effectivePercent: string; firstPayment: string; totalCost: string;
  costPer10000: string; subsidy: string; netPercent: string; caps: GridCap[]; breaksCap: boolean;
}
/** An engine refusal. */
export interface GridError { code: string; message: string }
/** One cell. */
export interface GridCell {
  amount: string; termMonths: number; band: string | null; method: string;
  figures: GridFigures | null; error: GridError | null;
  baseline: GridFigures | null; baselineError: GridError | null;
  delta: { ratePoints: string; totalCost: string } | null; changed: boolean;
}
/** One product's block. */
export interface ProductGrid {
  productId: string; amounts: string[]; terms: number[]; bands: (string | null)[]; methods: string[]; cells: GridCell[];
}
/** The grid. */
export interface Grid { preview: boolean; asOf: string; quotes: number; changed: number; breakingCap: number; products: ProductGrid[] }
/** One side of an applicant row. */
export interface ApplicantSide { result?: Record<string, unknown> & { decision: string; preview: boolean }; error?: { code: string; message: string; path?: string } }
/** The pre-eligibility table. */
export interface ApplicantTable {
  preview: boolean; count: number; changed: number;
  rows: { line: number; draft: ApplicantSide; live?: ApplicantSide; decisionChanged: boolean }[];
}
