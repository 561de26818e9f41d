#![no_main]
//! cargo-fuzz target `bundle_verify`; the body lives in `fuzz/targets.rs`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::bundle_verify(data));
