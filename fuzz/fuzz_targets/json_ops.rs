#![no_main]
//! cargo-fuzz target `json_ops`; the body lives in `fuzz/targets.rs`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::json_ops(data));
