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
// The strict JSON gate also guards plain requests (duplicate keys), so the calculator build
// carries it without the rest of `bundle`.
#[cfg(feature = "full")]
pub(crate) use bundle::strict_json;
pub mod caps;
pub mod date;
pub mod disclosure;
#[cfg(feature = "full")]
pub mod engine;
pub mod error;
pub mod error_codes;
pub mod json_object;
pub mod limits;
#[cfg(feature = "full")]
pub mod lint;
pub mod money;
#[cfg(feature = "full")]
pub mod product;
pub mod schedule;
#[cfg(feature = "full")]
pub mod score;
pub mod solver;
#[cfg(feature = "full")]
pub mod stacking;
// The old paths (`puhui::promo::*`, `puhui::subsidy::*`) stay as they were.
#[cfg(feature = "full")]
pub use stacking::{promo, subsidy};
#[cfg(not(feature = "full"))]
#[path = "bundle/strict_json.rs"]
#[allow(dead_code)]
pub(crate) mod strict_json;

pub use error::{ApiError, ErrorCode};

/// The engine's semantic version, compared with a bundle's `minEngineVersion`.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
