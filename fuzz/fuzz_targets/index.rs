//! `cargo xtask fuzz index`: see `scour_fuzz::index`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scour_fuzz::index(data));
