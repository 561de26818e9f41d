//! The catalog: a `puhui.bundle/v1` payload read, compiled, linted and quoted.
//!
//! [`wire`] alone knows the payload's and the quote request's JSON shapes and decimal strings;
//! [`product`] is the typed model (products, price rows, the [`product::Catalog`]); [`compile`]
//! builds it from the payload, reporting problems with their JSON paths (the first one for the
//! engine, every one for lint, each a [`diagnostic::Diagnostic`] there); [`lint`] adds the checks only a draft needs; [`engine`] answers
//! `products()`, `quote(...)` and `assess(...)` from a verified bundle.

pub mod compile;
pub mod diagnostic;
pub mod engine;
mod json;
pub mod lint;
pub mod product;
pub mod wire;
