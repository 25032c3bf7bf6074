//! Checks that bytes are an fst map the `fst` crate can walk without panicking.
//!
//! `fst` 0.4 trusts its bytes: `fst::Map::new` reads the header and footer and little
//! else, and walking the nodes of corrupt bytes indexes out of bounds, underflows an
//! address or trips an assertion (`raw/node.rs`, `bytes.rs`). An index a browser loads
//! is not verified by default, and a tampered one can carry a valid checksum, so the
//! reader runs [`check`] on every dictionary before it uses it: one pass over the nodes
//! reachable from the root, decoding each as `fst` 0.4.7 does (`raw/node.rs`) but with
//! checked arithmetic. Bytes that pass it guarantee, for every walk `fst` makes (`get`,
//! streams, automaton searches):
//!
//! - every node a transition leads to decodes within the bytes (no index out of
//!   bounds, no address underflow, pack sizes 1 to 8 bytes where `fst` unpacks them);
//! - every transition leads to a lower address, so the graph has no cycle and every
//!   walk ends;
//! - every output is at most `max_output`, so sums along a path cannot overflow;
//! - the key count and every address fit in a u32, which `fst` converts to a usize
//!   (and panics on wasm32 past it).
//!
//! The checker is tied to the fst format version 3 that `fst` 0.4 writes; any other
//! version is refused.
//!
//! # Example
//! ```
//! let mut b = fst::MapBuilder::memory();
//! b.insert("qr", 0).unwrap();
//! b.insert("russia", 1).unwrap();
//! let bytes = b.into_inner().unwrap();
//! assert!(scour_format::fst_check::check(&bytes, u32::MAX.into()).is_ok());
//! let mut bad = bytes.clone();
//! bad[bytes.len() - 21] ^= 0xff; // the root node's state byte
//! assert!(scour_format::fst_check::check(&bad, u32::MAX.into()).is_err());
//! ```

/// The fst format version `fst` 0.4 writes (`fst::raw::VERSION`).
const FST_VERSION: u64 = 3;
/// Header: version and type, u64 each.
const HEADER: usize = 16;
/// Footer: key count and root address (u64 each), then a CRC (u32).
const FOOTER: usize = 20;
/// Nodes with more transitions than this carry a 256-byte input index (format ≥ 2).
const TRANS_INDEX_THRESHOLD: usize = 32;

/// Why bytes are not a usable fst.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FstError(&'static str);

impl std::fmt::Display for FstError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Checks that `bytes` are an fst (format 3) whose every reachable node decodes within
/// the bytes, whose transitions all lead to lower addresses, and whose outputs are at
/// most `max_output`. O(size of the fst); allocates one bit per byte.
pub fn check(bytes: &[u8], max_output: u64) -> Result<(), FstError> {
    if bytes.len() < HEADER + FOOTER {
        return Err(FstError("shorter than an fst header and footer"));
    }
    if u64_at(bytes, 0, 8) != Some(FST_VERSION) {
        return Err(FstError("not an fst of version 3"));
    }
    let end = bytes.len() - 4;
    // `fst` converts the key count to a usize when it opens the bytes, and panics when
    // it does not fit (on wasm32): refused here on every platform alike
    if u64_at(bytes, end - 16, 8).is_none_or(|n| n > u64::from(u32::MAX)) {
        return Err(FstError("key count out of range"));
    }
    let root = u64_at(bytes, end - 8, 8)
        .filter(|&r| r <= u64::from(u32::MAX))
        .and_then(|r| usize::try_from(r).ok())
        .ok_or(FstError("root address out of range"))?;
    // `fst` writes the root node last: its address is its last byte, just before
    // the footer (an empty map has the root address 0 and no node at all).
    let expected = if root == 0 {
        bytes.len() == HEADER + FOOTER
    } else {
        root.checked_add(FOOTER + 1) == Some(bytes.len())
    };
    if !expected {
        return Err(FstError("root address does not point at the last node"));
    }
    let mut seen = vec![0u64; bytes.len().div_ceil(64)];
    let mut stack = vec![root];
    while let Some(addr) = stack.pop() {
        // address 0 is the empty final node: nothing to read
        if addr == 0 || seen[addr / 64] & (1 << (addr % 64)) != 0 {
            continue;
        }
        seen[addr / 64] |= 1 << (addr % 64);
        node(bytes, addr, max_output, &mut stack).ok_or(FstError("a node is corrupt"))?;
    }
    Ok(())
}

/// The little-endian integer of `n` bytes at `at`, if they are there.
fn u64_at(bytes: &[u8], at: usize, n: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(n)?)?;
    Some(b.iter().rev().fold(0, |acc, &x| (acc << 8) | u64::from(x)))
}

/// The packed output or transition sizes of a node (high nibble: transition address,
/// low: output); `fst` unpacks at most 8 bytes.
fn sizes(b: u8) -> Option<(usize, usize)> {
    let (t, o) = (usize::from(b >> 4), usize::from(b & 0xf));
    (t <= 8 && o <= 8).then_some((t, o))
}

/// The node a transition leads to: `delta` bytes before the end of its node (0: the
/// empty final node). Always below `end`, so walks end.
fn target(end: usize, delta: u64) -> Option<usize> {
    match delta {
        0 => Some(0),
        // `fst` converts it to a usize first (a panic on wasm32 past u32)
        d if d > u64::from(u32::MAX) => None,
        d => end.checked_sub(usize::try_from(d).ok()?),
    }
}

/// Decodes the node whose last byte is at `addr` (as `fst::raw::Node::new` does),
/// checks its outputs and pushes the addresses its transitions lead to.
fn node(b: &[u8], addr: usize, max_output: u64, stack: &mut Vec<usize>) -> Option<()> {
    let state = *b.get(addr)?;
    // the low six bits: a common input's index (one-transition nodes) or the
    // transition count (0: in the byte before)
    let low = usize::from(state & 0b11_1111);
    let output = |at: usize, n: usize| -> Option<()> {
        (n == 0 || u64_at(b, at, n)? <= max_output).then_some(())
    };
    match state >> 6 {
        // one transition, to the node just before this one, no output
        0b11 => {
            let input_len = usize::from(low == 0);
            let end = addr.checked_sub(input_len)?;
            stack.push(end.checked_sub(1)?);
        }
        // one transition with an output and a packed address
        0b10 => {
            let input_len = usize::from(low == 0);
            let (tsize, osize) = sizes(*b.get(addr.checked_sub(input_len + 1)?)?)?;
            if tsize == 0 {
                return None;
            }
            let end = addr.checked_sub(input_len + 1 + tsize + osize)?;
            output(end, osize)?;
            stack.push(target(end, u64_at(b, end + osize, tsize)?)?);
        }
        // any number of transitions, maybe final
        _ => {
            let is_final = state & 0b0100_0000 != 0;
            let ntrans_len = usize::from(low == 0);
            let ntrans = match low {
                0 => match *b.get(addr.checked_sub(1)?)? {
                    // 1 is never stored here: it means 256
                    1 => 256,
                    n => usize::from(n),
                },
                n => n,
            };
            let (tsize, osize) = sizes(*b.get(addr.checked_sub(ntrans_len + 1)?)?)?;
            if ntrans > 0 && tsize == 0 {
                return None;
            }
            let index = if ntrans > TRANS_INDEX_THRESHOLD {
                256
            } else {
                0
            };
            // inputs, addresses and the index, then the outputs and the final output
            let trans = ntrans * (1 + tsize) + index;
            let outputs = ntrans * osize + if is_final { osize } else { 0 };
            let end = addr.checked_sub(ntrans_len + 1 + trans + outputs)?;
            // addresses run backwards from just before the inputs
            let addrs = addr - ntrans_len - 1 - index - ntrans;
            let outs = addr - ntrans_len - 1 - trans;
            if osize > 0 {
                if is_final {
                    output(end, osize)?;
                }
                for i in 0..ntrans {
                    output(outs - (i + 1) * osize, osize)?;
                }
            }
            for i in 0..ntrans {
                let delta = u64_at(b, addrs - (i + 1) * tsize, tsize)?;
                stack.push(target(end, delta)?);
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{Automaton, IntoStreamer, Streamer};
    use proptest::prelude::*;

    fn map(keys: &[&str]) -> Vec<u8> {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut b = fst::MapBuilder::memory();
        for (i, k) in keys.iter().enumerate() {
            b.insert(k, i as u64).unwrap();
        }
        b.into_inner().unwrap()
    }

    /// Every walk the reader makes: lookups, a full stream, a prefix search and a
    /// Levenshtein-like subsequence search.
    fn walk(bytes: &[u8]) {
        let Ok(m) = fst::Map::new(bytes) else { return };
        for k in ["", "a", "qr", "kagarlitsky", "zzz"] {
            let _ = m.get(k);
            let mut s = m
                .search(fst::automaton::Str::new(k).starts_with())
                .into_stream();
            while s.next().is_some() {}
            let mut s = m.search(fst::automaton::Subsequence::new(k)).into_stream();
            while s.next().is_some() {}
        }
        let mut s = m.stream();
        while s.next().is_some() {}
    }

    #[test]
    fn maps_fst_writes_pass() {
        assert!(check(&map(&[]), u64::MAX).is_ok());
        assert!(check(&map(&["a"]), u64::MAX).is_ok());
        // more than 32 transitions from the root: a node with an input index
        let many: Vec<String> = (0u8..200).map(|c| format!("{}x", c as char)).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(check(&map(&many), u64::MAX).is_ok());
        let words = [
            "qr",
            "codes",
            "russia",
            "kagarlitsky",
            "tagil",
            "total",
            "control",
        ];
        assert!(check(&map(&words), u64::MAX).is_ok());
    }

    #[test]
    fn outputs_above_the_bound_are_refused() {
        let mut b = fst::MapBuilder::memory();
        b.insert("big", 1 << 40).unwrap();
        let bytes = b.into_inner().unwrap();
        assert!(check(&bytes, u64::MAX).is_ok());
        assert!(check(&bytes, u32::MAX.into()).is_err());
    }

    #[test]
    fn a_bad_footer_is_refused() {
        let bytes = map(&["qr", "codes"]);
        let n = bytes.len();
        for at in [0, n - 12, n - 5] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x40;
            assert!(check(&bad, u64::MAX).is_err(), "byte {at}");
        }
        assert!(check(&bytes[..n - 1], u64::MAX).is_err());
        // a key count past u32 (found on wasm32, where fst cannot convert it to a usize
        // and panics): refused on every platform
        let mut big = bytes.clone();
        big[n - 20..n - 12].copy_from_slice(&(1u64 << 40).to_le_bytes());
        assert_eq!(
            check(&big, u64::MAX),
            Err(FstError("key count out of range"))
        );
    }

    proptest! {
        #[test]
        fn what_passes_never_panics_fst(
            keys in proptest::collection::vec("[a-z]{1,6}", 0..60),
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let mut bytes = map(&keys);
            let n = bytes.len();
            for (at, x) in flips {
                bytes[at % n] ^= x | 1;
            }
            if check(&bytes, u32::MAX.into()).is_ok() {
                walk(&bytes);
            }
        }
    }
}
