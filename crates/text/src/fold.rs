//! Lowercasing and diacritic folding, from a generated table (`fold_table.rs`, made by
//! `tools/gen_fold_table.py`): the table holds only the characters whose lowercase,
//! mark-free form differs, which costs far fewer wasm bytes than full Unicode
//! normalisation tables.

use crate::fold_table::{FOLD_MULTI, FOLD_SINGLE, LOWER_HIGH, MARKS};

/// Characters from here on are not in the fold table; they are only lowercased.
const TABLE_LIMIT: u32 = 0x3000;

/// True for combining marks (accents that follow their base character).
pub(crate) fn is_combining(c: char) -> bool {
    let c = c as u32;
    if c < 0x300 {
        return false;
    }
    MARKS
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Lowercases and folds one character, pushing the result onto `out`.
///
/// Folding removes diacritics (`é` → `e`, `ё` → `е`) and spells out ligatures and
/// letters that have no decomposition (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, `ł` → `l`,
/// `ﬁ` → `fi`); fullwidth letters and digits become ASCII (`Ｑ` → `q`).
/// Combining marks vanish. The Cyrillic short i (`й`) is kept: it is a letter of its
/// own, not an accented `и`.
///
/// # Example
/// ```
/// let mut s = String::new();
/// scour_text::fold_char('É', &mut s);
/// scour_text::fold_char('ß', &mut s);
/// assert_eq!(s, "ess");
/// ```
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let cp = c as u32;
    if cp < TABLE_LIMIT {
        if is_combining(c) {
            return;
        }
        let key = cp as u16;
        if let Ok(i) = FOLD_SINGLE.binary_search_by_key(&key, |e| e.0) {
            out.push(char::from_u32(FOLD_SINGLE[i].1 as u32).unwrap_or(c));
            return;
        }
        if let Ok(i) = FOLD_MULTI.binary_search_by_key(&key, |e| e.0) {
            out.push_str(FOLD_MULTI[i].1);
            return;
        }
        out.push(c);
        return;
    }
    // Compatibility forms that NFKC would rewrite, met in pasted text: fullwidth
    // letters and digits (`ＱＲ` in CJK text) and the Latin ligatures of typeset text
    // (`ﬁle`). Fullwidth punctuation is left alone: it separates words as it is.
    match cp {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
            out.push(char::from((cp - 0xFEE0) as u8).to_ascii_lowercase());
            return;
        }
        0xFB00..=0xFB06 => {
            out.push_str(["ff", "fi", "fl", "ffi", "ffl", "st", "st"][(cp - 0xFB00) as usize]);
            return;
        }
        _ => {}
    }
    if is_combining(c) {
        return;
    }
    out.push(lower_high(c));
}

/// The lowercase of a character from U+3000 on (Unicode 14, as the rest of the
/// table). `char::to_lowercase` would link the standard library's lowercase table for
/// all of Unicode: 12 KB of engine wasm (5 KB brotli), mostly for characters the fold
/// table already covers.
fn lower_high(c: char) -> char {
    let cp = c as u32;
    let run = LOWER_HIGH.partition_point(|&(_, last, _, _)| last < cp);
    match LOWER_HIGH.get(run) {
        Some(&(first, _, delta, step)) if first <= cp && (cp - first) % step == 0 => {
            char::from_u32(cp.wrapping_add_signed(delta)).unwrap_or(c)
        }
        _ => c,
    }
}

/// Lowercases and folds a whole string (see [`fold_char`]). Idempotent.
///
/// # Example
/// ```
/// assert_eq!(scour_text::normalize("Ærø CAFÉ"), "aero cafe");
/// ```
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_common_scripts() {
        assert_eq!(normalize("Ёжик Йод"), "ежик йод");
        assert_eq!(normalize("Ἀθῆναι"), "αθηναι");
        assert_eq!(normalize("Tiếng Việt"), "tieng viet");
        assert_eq!(normalize("e\u{301}"), "e");
    }

    #[test]
    fn folds_fullwidth_letters_and_ligatures() {
        assert_eq!(normalize("ＱＲ ｃｏｄｅｓ ２０２１"), "qr codes 2021");
        assert_eq!(
            normalize("ﬁle ﬂow Eﬃcient ﬀ ﬄ ﬅ ﬆ"),
            "file flow efficient ff ffl st st"
        );
        // fullwidth punctuation stays: it is not part of a word
        assert_eq!(normalize("！"), "！");
        let once = normalize("ＡﬁＢ");
        assert_eq!(normalize(&once), once);
    }

    /// From U+3000 on, folding is the standard library's lowercasing, but for the
    /// characters that gained a lowercase after Unicode 14 (the table's version).
    #[test]
    fn lowercases_high_characters_as_the_standard_library() {
        // added since: Latin Extended-D capitals and the Garay script
        let newer = |cp: u32| matches!(cp, 0xA7CB..=0xA7DC | 0x10D50..=0x10D65);
        let mut differ = Vec::new();
        for c in (0x3000..=0x10FFFu32).filter_map(char::from_u32) {
            if is_combining(c) || matches!(c as u32, 0xFB00..=0xFB06 | 0xFF10..=0xFF5A) {
                continue;
            }
            let mut ours = String::new();
            fold_char(c, &mut ours);
            let std: String = c.to_lowercase().collect();
            if ours != std {
                differ.push(c as u32);
            }
        }
        assert!(differ.iter().all(|&cp| newer(cp)), "{differ:x?}");
        let mut s = String::new();
        for c in ['\u{A640}', '\u{A641}', '\u{A77D}', '\u{10400}', '\u{1E921}'] {
            fold_char(c, &mut s);
        }
        assert_eq!(s, "\u{A641}\u{A641}\u{1D79}\u{10428}\u{1E943}");
    }
}
