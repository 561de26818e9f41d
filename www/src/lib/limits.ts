// The engine's bounds that the pages put into words. The wasm module does not export them, so
// each is written here once, never inside a message text (messages take it as a `{name}`
// variable), and www/tests/normalize.test.mjs checks it against the engine itself (pkg/node):
// the bound is accepted and one past it is refused with the code the message belongs to.

/** `schedule::MAX_TERM_MONTHS` (src/schedule/mod.rs): terms above it are `invalid-term`. */
export const MAX_TERM_MONTHS = 600;

/** The shortest term the engine schedules (a term of 0 months is `invalid-term`). */
export const MIN_TERM_MONTHS = 1;

/** The variables every engine-code message may use, filled from the bounds above. */
export const LIMIT_VARS: Readonly<Record<string, number>> = { minTerm: MIN_TERM_MONTHS, maxTerm: MAX_TERM_MONTHS };
