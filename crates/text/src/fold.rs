//! Lowercasing and diacritic folding.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// True for combining marks (accents that follow their base character).
pub(crate) fn is_combining(c: char) -> bool {
    !c.is_ascii() && is_combining_mark(c)
}

/// Lowercases and folds one character, pushing the result onto `out`.
///
/// Folding removes diacritics (`é` → `e`, `ё` → `е`) and spells out ligatures and
/// letters that have no decomposition (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, `ł` → `l`).
/// The Cyrillic short i (`й`) is kept: it is a letter of its own, not an accented `и`.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        if l == 'й' {
            out.push(l);
            continue;
        }
        decompose_canonical(l, |d| {
            if is_combining_mark(d) {
                return;
            }
            match d {
                'ß' | 'ẞ' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ø' => out.push('o'),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                'ħ' => out.push('h'),
                'ŀ' => out.push('l'),
                'ſ' => out.push('s'),
                'ς' => out.push('σ'),
                _ => out.push(d),
            }
        });
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
