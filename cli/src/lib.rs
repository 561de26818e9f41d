//! The `puhui` command line's library side: everything with sockets, files and clocks.
//!
//! The binary (`main.rs`) only parses arguments and dispatches here, so integration tests can
//! start the server in-process. The pure engine lives in the `puhui` crate.

pub mod calc;
pub mod fsafe;
pub mod serve;
