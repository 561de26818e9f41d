#![no_main]
//! cargo-fuzz target `score_logic`; the body lives in `fuzz/targets.rs`.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::score_logic(data));
