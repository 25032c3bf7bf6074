//! `cargo xtask fuzz chunk`: see `scour_fuzz::chunk`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scour_fuzz::chunk(data));
