//! `cargo xtask fuzz query`: see `scour_fuzz::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scour_fuzz::query(data));
