//! JSON below serde: one lexer, the readers built on it, and the response writer's escaper.
//!
//! [`lex`] owns the RFC 8259 tokens every scanner shares (whitespace, literals, strings with
//! their escapes and surrogate pairs, the number grammar), so a string or a number is judged by
//! one piece of code whichever door it came through. On it:
//! - [`strict`] — the gate for untrusted documents (bundles, roots, state, and duplicate keys in
//!   plain requests): size cap before parsing, depth limit, duplicate keys, numbers that would
//!   lose precision in serde_json;
//! - [`tree`] — the request reader: a borrowed tree built in one pass under the strict gate's
//!   rules (the gate itself judges whatever the builder defers), and the typed field
//!   readers (serde's wording, codes and JSON paths) the `wire` modules' hand-written request
//!   readers are made of;
//! - [`exact`] — the exact reader for applicants, rules and cards: numbers digit for digit into
//!   `Decimal`, never through `f64`, and a zero-copy field scanner for batch scoring;
//! - [`key_map`] — `KeyMap`, the sorted-list map of the wire's small string-keyed maps;
//! - `write` — the other direction: the string escaper and value writers of the responses
//!   written by hand (byte for byte `serde_json`'s compact text).
//!
//! The request gate in `crate::limits` (item counts, key lengths) walks requests with the same
//! lexer. Nothing here knows a document's meaning.

pub mod exact;
pub mod key_map;
pub mod lex;
pub mod strict;
pub mod tree;
pub mod write;
