//! The browser scripts a bundle carries, without their comment lines.
//!
//! `scour.js` and the widget are written to be read, and more than half of `scour.js`
//! is its doc comments: gzipped, 9.3 KB as written and 4.3 KB without them. It is the
//! first file a visitor fetches, before the engine's own request can start, so every
//! byte of it delays the first result. The build script strips the copies it embeds;
//! `cargo xtask test` measures the widget's budget on the same form (this file is a
//! module of both, by path).
//!
//! Only whole comment lines go: lines that begin with `//`, and `/* … */` blocks that
//! begin a line (with any code after their end kept). A comment after code on the same
//! line stays, since telling it from `//` inside a string or a regular expression takes
//! a parser; so does every line inside a template literal, and the script's
//! behaviour cannot change.

/// A browser file as a bundle carries it: a script (`name` ending in `.js`) without its
/// comment lines, anything else as it is.
pub fn shipped(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, std::string::FromUtf8Error> {
    if !name.ends_with(".js") {
        return Ok(bytes);
    }
    Ok(strip_comment_lines(&String::from_utf8(bytes)?).into_bytes())
}

/// `js` without its comment lines and blank lines (see the module doc).
pub fn strip_comment_lines(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    let mut in_template = false;
    for line in js.lines() {
        let mut code = line;
        if in_template {
            // a template literal keeps its lines as written, comments or not
            out.push_str(line);
            out.push('\n');
            in_template ^= backticks(line) % 2 == 1;
            continue;
        }
        if in_block {
            match code.find("*/") {
                Some(end) => {
                    in_block = false;
                    code = &code[end + 2..];
                }
                None => continue,
            }
        }
        let trimmed = code.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("/*") {
            match rest.find("*/") {
                Some(end) => code = &rest[end + 2..],
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if code.trim().is_empty() {
            continue;
        }
        out.push_str(code);
        out.push('\n');
        in_template = backticks(code) % 2 == 1;
    }
    out
}

/// The backticks of a line that are not escaped (`\``).
fn backticks(line: &str) -> usize {
    line.matches('`').count() - line.matches("\\`").count()
}

#[cfg(test)]
mod tests {
    use super::strip_comment_lines;

    #[test]
    fn whole_comment_lines_go_and_code_stays() {
        let js = "// header\n/**\n * Doc.\n */\nexport function f() {\n  // why\n  return 1; // kept\n}\n";
        assert_eq!(
            strip_comment_lines(js),
            "export function f() {\n  return 1; // kept\n}\n"
        );
    }

    #[test]
    fn code_after_a_block_comment_is_kept() {
        let js = "const a = /** @type {any} */ (b);\n/** @type {X} */ let c = 1;\n/* two\n lines */ d();\n";
        assert_eq!(
            strip_comment_lines(js),
            "const a = /** @type {any} */ (b);\n let c = 1;\n d();\n"
        );
    }

    #[test]
    fn template_literals_are_left_as_written() {
        let js = "const css = `\n// not a comment\n/* nor this */\n`;\n// this one\nf(`a`);\n";
        assert_eq!(
            strip_comment_lines(js),
            "const css = `\n// not a comment\n/* nor this */\n`;\nf(`a`);\n"
        );
    }

    #[test]
    fn only_scripts_lose_their_comments() {
        let css = b"/* a comment */\na { color: red }\n".to_vec();
        assert_eq!(super::shipped("scour-search.css", css.clone()), Ok(css));
        let js = b"// a comment\nf();\n".to_vec();
        assert_eq!(super::shipped("lang/de.js", js), Ok(b"f();\n".to_vec()));
        assert!(super::shipped("scour.js", vec![0xff]).is_err());
    }

    #[test]
    fn strings_that_look_like_comments_stay() {
        let js = "const url = \"http://example.com\";\nconst re = /\\/\\*/;\n";
        assert_eq!(strip_comment_lines(js), js);
    }
}
