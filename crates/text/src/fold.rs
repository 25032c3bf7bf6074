//! Lowercasing and diacritic folding, from a generated table (`fold_table.rs`, made by
//! `tools/gen_fold_table.py`): the table holds only the characters whose lowercase,
//! mark-free form differs, which costs far fewer wasm bytes than full Unicode
//! normalisation tables.

use crate::fold_table::{FOLD_MULTI, FOLD_SINGLE, MARKS};

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
    out.extend(c.to_lowercase());
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
}
