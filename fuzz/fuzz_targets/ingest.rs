//! `cargo xtask fuzz ingest`: see `scour_fuzz::ingest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scour_fuzz::ingest(data));
