//! puhui: exact loan pricing, disclosure, subsidy and pre-eligibility, as a pure library.
//!
//! This crate is the core shared by the wasm package, the CLI and the server.
//! It does no IO, reads no clock, draws no randomness and imports nothing from JS:
//! bytes and values in, values out. Money is `rust_decimal::Decimal` end to end.
//! The one entry point every front door shares is [`api::call`].
//!
//! Cargo feature `full` (default) carries everything. Without it the crate is the calculator
//! core (`schedule`, `apr`, `disclose` and their cap data), the part the small wasm module links;
//! the other operations then fail with the stable code `operation-unavailable`.

pub mod api;
pub mod apr;
#[cfg(feature = "full")]
pub mod bundle;
pub mod caps;
#[cfg(feature = "full")]
pub mod catalog;
// The catalog's stages keep their old top-level paths (`puhui::engine::Engine`, …).
#[cfg(feature = "full")]
pub use catalog::{engine, lint, product};
pub mod date;
pub mod disclosure;
pub mod error;
pub mod error_codes;
pub mod json;
pub mod json_object;
pub mod limits;
pub mod money;
pub mod schedule;
#[cfg(feature = "full")]
pub mod score;
pub mod solver;
pub mod sort;
#[cfg(feature = "full")]
pub mod stacking;
// The old paths (`puhui::promo::*`, `puhui::subsidy::*`) stay as they were.
#[cfg(feature = "full")]
pub use stacking::{promo, subsidy};

pub use error::{ApiError, ErrorCode};

/// The engine's semantic version, compared with a bundle's `minEngineVersion`.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
