#![no_main]
//! cargo-fuzz target `engine_quote`; the body lives in `fuzz/targets.rs`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::engine_quote(data));
