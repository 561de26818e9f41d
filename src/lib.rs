//! puhui: exact loan pricing, disclosure, subsidy and pre-eligibility, as a pure library.
//!
//! This crate is the core shared by the wasm package, the CLI and the server.
//! It does no IO, reads no clock, draws no randomness and imports nothing from JS:
//! bytes and values in, values out. Money is `rust_decimal::Decimal` end to end.
//! The one entry point every front door shares is [`api::call`].

pub mod api;
pub mod apr;
pub mod bundle;
pub mod caps;
pub mod date;
pub mod disclosure;
pub mod engine;
pub mod error;
pub mod limits;
pub mod lint;
pub mod money;
pub mod product;
pub mod promo;
pub mod schedule;
pub mod score;
pub mod solver;
pub mod subsidy;

pub use error::{ApiError, ErrorCode};

/// The engine's semantic version, compared with a bundle's `minEngineVersion`.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
