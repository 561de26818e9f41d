// The studio's own wasm module (pkg/studio, crate studio/): lint, preview engine, batched grid,
// diff and applicant table. Only this page loads it; the consumer page never does.
import type { ApplicantTable, DiffReport, Grid, GridSpec, LintReport, StudioProduct } from "../../../studio/src/types";

export type { ApplicantTable, DiffChange, DiffReport, Grid, GridCell, GridFigures, GridSpec, LintDiagnostic, LintReport, StudioProduct } from "../../../studio/src/types";

/** A compiled bundle: live (verified) or draft (preview). */
export interface StudioEngine {
  readonly preview: boolean;
  readonly summary: Record<string, unknown>;
  readonly payload: string;
  products(): { preview: boolean; products: StudioProduct[] };
  grid(spec: GridSpec): Grid;
  gridAgainst(spec: GridSpec, baseline: StudioEngine): Grid;
  assessTable(lines: string): ApplicantTable;
  assessTableAgainst(lines: string, baseline: StudioEngine): ApplicantTable;
  free(): void;
}

/** The module's exports. */
export interface StudioWasm {
  default(): Promise<unknown>;
  lint(draft: string): LintReport;
  diff(live: string, draft: string): DiffReport;
  engineVersion(): string;
  StudioEngine: {
    load(envelope: string, root: string, state: null, now: string, options: null): StudioEngine;
    loadDraft(draft: string, root: string, now: string): StudioEngine;
  };
}

/** An engine error: `code` and `path` as the core reports them. */
export interface PuhuiError extends Error { code?: string; path?: string }

/** Imports and instantiates the module (the URL stays a variable so the bundler leaves it to the browser). */
export async function loadStudioWasm(url = "/pkg/studio/studio.js"): Promise<StudioWasm> {
  const module = (await import(url)) as StudioWasm;
  await module.default();
  return module;
}

/** Now as RFC 3339 without fractions. */
export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}
