//! A small JSON writer for results: the wasm hands JavaScript one string that
//! `JSON.parse` turns into objects, which costs far fewer wasm bytes than a serde
//! serializer to JS values and is as fast for result-sized payloads.

use std::fmt::Write;

use crate::{Hit, SearchResults, Snippet};

impl SearchResults {
    /// The results as a JSON object:
    /// `{"total":N,"hits":[{"id","url","title","score","snippet":{"text","highlights"}}],"suggestion":null|"…"}`.
    ///
    /// # Example
    /// ```
    /// let r = scour_query::SearchResults::default();
    /// assert_eq!(r.to_json(), r#"{"total":0,"hits":[],"suggestion":null}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256 + self.hits.len() * 400);
        out.push_str("{\"total\":");
        let _ = write!(out, "{}", self.total);
        out.push_str(",\"hits\":[");
        for (i, h) in self.hits.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            hit(&mut out, h);
        }
        out.push_str("],\"suggestion\":");
        match &self.suggestion {
            Some(s) => string(&mut out, s),
            None => out.push_str("null"),
        }
        if !self.facets.is_empty() {
            out.push_str(",\"facets\":{");
            for (i, f) in self.facets.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(&mut out, &f.key);
                out.push_str(":[");
                for (j, (v, c)) in f.values.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    string(&mut out, v);
                    let _ = write!(out, ",{c}]");
                }
                out.push(']');
            }
            out.push('}');
        }
        out.push('}');
        out
    }
}

fn hit(out: &mut String, h: &Hit) {
    out.push_str("{\"id\":");
    string(out, &h.id);
    out.push_str(",\"url\":");
    string(out, &h.url);
    out.push_str(",\"title\":");
    string(out, &h.title);
    out.push_str(",\"score\":");
    decimal(out, h.score);
    out.push_str(",\"snippet\":");
    snippet(out, &h.snippet);
    out.push_str(",\"meta\":{");
    for (i, (k, v)) in h.meta.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, k);
        out.push(':');
        string(out, v);
    }
    out.push_str("},\"headings\":[");
    for (i, sub) in h.headings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"title\":");
        string(out, &sub.title);
        out.push_str(",\"url\":");
        string(out, &sub.url);
        out.push_str(",\"snippet\":");
        snippet(out, &sub.snippet);
        out.push('}');
    }
    out.push_str("]}");
}

fn snippet(out: &mut String, s: &Snippet) {
    out.push_str("{\"text\":");
    string(out, &s.text);
    out.push_str(",\"highlights\":[");
    for (i, [a, b]) in s.highlights.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{a},{b}]");
    }
    out.push_str("]}");
}

/// Writes a score with three decimals using integer formatting only: float
/// formatting (`{}` on an `f32`) would pull about 20 KB of code into the wasm.
fn decimal(out: &mut String, v: f32) {
    let milli = if v.is_finite() {
        (v as f64 * 1000.0).round().clamp(-1e15, 1e15) as i64
    } else {
        0
    };
    if milli < 0 {
        out.push('-');
    }
    let m = milli.unsigned_abs();
    let _ = write!(out, "{}", m / 1000);
    let frac = m % 1000;
    if frac != 0 {
        let _ = write!(out, ".{:03}", frac);
        while out.ends_with('0') {
            out.pop();
        }
    }
}

/// Writes a JSON string literal; control characters and lone quotes are escaped.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // U+2028/2029 are valid JSON but break some JS parsers of old; escape them
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_json_needs() {
        let r = SearchResults {
            total: 1,
            hits: vec![Hit {
                id: "a\"b".into(),
                url: "/x\\y".into(),
                title: "<script>\u{1}\n".into(),
                score: 1.5,
                snippet: Snippet {
                    text: "t\u{2028}".into(),
                    highlights: vec![[0, 1]],
                },
                meta: vec![("date".into(), "2021".into())],
                headings: Vec::new(),
                explain: None,
            }],
            suggestion: Some("q".into()),
            facets: vec![crate::Facet {
                key: "tags".into(),
                values: vec![("rust".into(), 2)],
            }],
        };
        let mut d = String::new();
        for v in [0.0, 2.0, 1.25, -0.5, 12.3456, f32::NAN] {
            decimal(&mut d, v);
            d.push(' ');
        }
        assert_eq!(d, "0 2 1.25 -0.5 12.346 0 ");
        assert_eq!(
            r.to_json(),
            r#"{"total":1,"hits":[{"id":"a\"b","url":"/x\\y","title":"<script>\u0001\n","score":1.5,"snippet":{"text":"t\u2028","highlights":[[0,1]]},"meta":{"date":"2021"},"headings":[]}],"suggestion":"q","facets":{"tags":[["rust",2]]}}"#
        );
    }
}
