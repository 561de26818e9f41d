#![no_main]
//! cargo-fuzz target `strict_json`; the body lives in `fuzz/targets.rs`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::strict_json(data));
