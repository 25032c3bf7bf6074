//! `scour serve`: a small static file server for previewing a site and its search
//! bundle on this machine.
//!
//! A module script and a wasm file are not loaded from `file://` URLs, so the bundle
//! has to be served over HTTP even to try it. This server listens on 127.0.0.1 only,
//! answers GET and HEAD, one thread per connection, `Connection: close`, and sends
//! `Cache-Control: no-cache` so a rebuilt bundle is picked up on reload. Text, wasm
//! and index chunks go brotli-compressed or gzipped to clients that accept it
//! (compressed once per file version and kept), so a preview over a real or throttled
//! network costs what a compressing host would. Files sent as they are answer single
//! Range requests, as static hosts do (a lazy index's pack is read that way). It is a
//! preview tool, not a production server: no TLS.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Request heads longer than this are refused (a browser's are far shorter).
const MAX_HEAD: usize = 16 * 1024;

/// Binds 127.0.0.1:`port` (`0`: any free port) for serving `root`.
pub fn bind(port: u16) -> Result<TcpListener, String> {
    TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!("cannot listen on 127.0.0.1:{port}: {e}; is another server using it? choose one with --port")
    })
}

/// `root` resolved, if it is a folder that can be served; checked before anything
/// says it is being served.
pub fn check_root(root: &Path) -> Result<PathBuf, String> {
    let real = root
        .canonicalize()
        .map_err(|e| format!("cannot serve {}: {e}", root.display()))?;
    if !real.is_dir() {
        return Err(format!("cannot serve {}: not a folder", root.display()));
    }
    Ok(real)
}

/// Serves `root` on `listener` until the process ends.
pub fn run(listener: TcpListener, root: PathBuf) -> Result<(), String> {
    let root = check_root(&root)?;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.clone();
        std::thread::spawn(move || {
            // A client that went away mid-answer is not the server's problem.
            let _ = handle(stream, &root);
        });
    }
    Ok(())
}

/// Answers one request on `stream`.
fn handle(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let head = match read_head(&mut stream) {
        Ok(head) => head,
        Err(_) => return respond_text(&mut stream, 400, "Bad Request", false),
    };
    let Some((method, target)) = parse_request_line(&head) else {
        return respond_text(&mut stream, 400, "Bad Request", false);
    };
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return respond(
                &mut stream,
                405,
                &[("Allow", "GET, HEAD")],
                Body::Text("Method Not Allowed"),
                false,
            )
        }
    };
    let coding = coding(&head);
    match resolve(root, target) {
        Resolved::File(path) => match header(&head, "range") {
            Some(range) if !(coding.is_some() && compressible(&path)) => {
                serve_range(&mut stream, &path, range, head_only)
            }
            _ => serve_file(&mut stream, 200, &path, head_only, coding),
        },
        Resolved::Redirect(location) => respond(
            &mut stream,
            301,
            &[("Location", &location)],
            Body::Text("Moved Permanently"),
            head_only,
        ),
        Resolved::BadRequest => respond_text(&mut stream, 400, "Bad Request", head_only),
        Resolved::NotFound => {
            eprintln!("404 {target}");
            match root.join("404.html") {
                page if page.is_file() => serve_file(&mut stream, 404, &page, head_only, coding),
                _ => respond_text(&mut stream, 404, "Not Found", head_only),
            }
        }
    }
}

/// Reads up to the blank line ending the request head (the body, if any, is ignored).
fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD as u64));
    let mut head = String::new();
    loop {
        let before = head.len();
        if reader.read_line(&mut head)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "request head cut short",
            ));
        }
        if head[before..].trim_end_matches(['\r', '\n']).is_empty() {
            return Ok(head);
        }
    }
}

/// `("GET", "/a/b?q")` from the request line `GET /a/b?q HTTP/1.1`.
fn parse_request_line(head: &str) -> Option<(&str, &str)> {
    let mut parts = head.lines().next()?.split_ascii_whitespace();
    let method = parts.next()?;
    let target = parts.next()?;
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    Some((method, target))
}

/// Where a request target leads.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// A file to send.
    File(PathBuf),
    /// A folder asked for without its trailing slash: relative links inside its
    /// `index.html` only work from `/folder/`. Always a path starting with exactly one
    /// `/` (never `//host`, which a browser would take for another site), with the
    /// request's query kept.
    Redirect(String),
    /// Not a path this server understands (not absolute, bad escapes).
    BadRequest,
    /// Nothing there, or something that must not be served (outside the root, hidden).
    NotFound,
}

/// Maps a request target to a file under `root` (a canonical folder).
///
/// The query and fragment are dropped (a redirect keeps the query) and `%XX` escapes
/// decoded; empty segments (`//`) are ignored. Segments `..` and `.`, hidden names
/// (`.git`, `.env`), backslashes and NUL are refused, and the file found must still be
/// under `root` once symbolic links are resolved: no request can read outside the
/// served folder. `/dir/` serves `dir/index.html`; `/page` falls back
/// to `page.html`, as static hosts do for "pretty" URLs.
fn resolve(root: &Path, target: &str) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Resolved::BadRequest;
    }
    let Some(decoded) = percent_decode(path) else {
        return Resolved::BadRequest;
    };
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.')
            || segment.contains(['\\', '\0'])
            || (cfg!(windows) && segment.contains(':'))
        {
            return Resolved::NotFound;
        }
        file.push(segment);
    }
    let candidate = if file.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(redirect_to_folder(target));
        }
        file.join("index.html")
    } else if file.is_file() {
        file
    } else {
        let mut html = file.into_os_string();
        html.push(".html");
        PathBuf::from(html)
    };
    match candidate.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Resolved::File(real),
        _ => Resolved::NotFound,
    }
}

/// Where `/folder?q` (or `//folder?q`) is sent: `/folder/?q`. The path is rebuilt
/// from its non-empty segments, still escaped, so it starts with exactly one `/`:
/// `//evil.example/` in a `Location` header would send the browser to another host.
/// The target holds no whitespace or line breaks (the request line is split on
/// them), so nothing can be injected into the header.
fn redirect_to_folder(target: &str) -> String {
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let mut location = String::from("/");
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        location.push_str(segment);
        location.push('/');
    }
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    location
}

/// Decodes `%XX` escapes; `None` when one is malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by extension. The ones that matter most for the
/// bundle: `application/wasm` (streaming compilation requires it) and
/// `text/javascript` (browsers refuse module scripts of other types).
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// A response body.
enum Body<'a> {
    /// A short plain-text message.
    Text(&'a str),
    /// A file, of this length.
    File(File, u64),
    /// A file's bytes, compressed.
    Compressed(Arc<Vec<u8>>),
}

/// The value of header `name` in a request head.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|line| {
        let (n, value) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// The bytes `[start, end]` a `Range` header value asks of a file of `len` bytes:
/// `bytes=a-b`, `bytes=a-` or `bytes=-n`. `None` for what this server does not serve
/// as a range (several ranges, other units: the whole file is sent, as HTTP allows);
/// `Some(Err(()))` when no byte of the file is in the range.
fn byte_range(value: &str, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = value.strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let number = |s: &str| s.parse::<u64>().ok();
    let range = match (a.is_empty(), b.is_empty()) {
        (true, false) => {
            let n = number(b)?.min(len);
            (n > 0).then(|| (len - n, len - 1))
        }
        (false, true) => Some((number(a)?, len.saturating_sub(1))),
        (false, false) => Some((number(a)?, number(b)?.min(len.saturating_sub(1)))),
        (true, true) => return None,
    };
    Some(range.filter(|&(s, e)| s <= e && s < len).ok_or(()))
}

/// Answers a Range request: 206 with the bytes asked for, or 416 when none exist.
fn serve_range(
    stream: &mut TcpStream,
    path: &Path,
    range: &str,
    head_only: bool,
) -> io::Result<()> {
    let Ok((len, mut file)) = open_sized(path) else {
        return respond_text(stream, 404, "Not Found", head_only);
    };
    match byte_range(range, len) {
        None => serve_file(stream, 200, path, head_only, None),
        Some(Err(())) => {
            let unsatisfied = format!("bytes */{len}");
            let headers = [("Content-Range", unsatisfied.as_str())];
            respond(
                stream,
                416,
                &headers,
                Body::Text("Range Not Satisfiable"),
                head_only,
            )
        }
        Some(Ok((start, end))) => {
            use std::io::Seek;
            file.seek(io::SeekFrom::Start(start))?;
            let content_range = format!("bytes {start}-{end}/{len}");
            let headers = [
                ("Content-Type", mime_type(path)),
                ("Content-Range", content_range.as_str()),
                ("Accept-Ranges", "bytes"),
            ];
            let body = Body::File(file, end - start + 1);
            respond(stream, 206, &headers, body, head_only)
        }
    }
}

/// A content coding this server compresses with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Coding {
    /// Brotli: the engine a sixth smaller than gzipped (88 against 106 KB).
    Br,
    /// Gzip, for clients without brotli.
    Gzip,
}

impl Coding {
    /// Its name in `Content-Encoding`.
    fn name(self) -> &'static str {
        match self {
            Coding::Br => "br",
            Coding::Gzip => "gzip",
        }
    }

    /// `raw` compressed: brotli at its best quality when `best` (the engine: 0.7 s,
    /// and 7 % smaller than at quality 9), else at a fast one (12 ms); gzip at its
    /// default level either way.
    fn compress(self, raw: &[u8], best: bool) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(raw.len() / 3);
        match self {
            Coding::Br => {
                let quality = if best { 11 } else { 5 };
                let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, quality, 22);
                w.write_all(raw)?;
                w.flush()?;
            }
            Coding::Gzip => {
                let mut w = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
                w.write_all(raw)?;
                w.finish()?;
            }
        }
        Ok(out)
    }
}

/// Files up to this size are compressed with brotli's best quality (in the
/// background, after a first answer at a fast one).
const BROTLI_BEST_MAX: u64 = 1 << 20;

/// The coding to send: brotli when the request head's `Accept-Encoding` lists it, else
/// gzip, else none (a coding listed with `q=0` is refused).
fn coding(head: &str) -> Option<Coding> {
    [Coding::Br, Coding::Gzip]
        .into_iter()
        .find(|c| accepts(head, c.name()))
}

/// True when the request head's `Accept-Encoding` lists `coding` (without `q=0`).
fn accepts(head: &str, coding: &str) -> bool {
    head.lines().any(|line| {
        let Some((name, value)) = line.split_once(':') else {
            return false;
        };
        name.trim().eq_ignore_ascii_case("accept-encoding")
            && value.split(',').any(|c| {
                let mut parts = c.split(';').map(str::trim);
                parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
                    && !parts.any(|p| p.replace(' ', "") == "q=0")
            })
    })
}

/// Files worth compressing: text, wasm and the index chunks, up to this size (bigger
/// ones go as they are rather than held compressed in memory).
const COMPRESS_MAX: u64 = 64 << 20;

/// Text, wasm and index chunk files; not a lazy index's pack, whose chunks are each
/// deflated already and which is read by ranges.
fn compressible(path: &Path) -> bool {
    let mime = mime_type(path);
    let pack = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("pack-"));
    !pack
        && (mime.starts_with("text/")
            || mime == "application/wasm"
            || mime.ends_with("json")
            || mime.ends_with("xml")
            || mime == "image/svg+xml"
            || path.extension().is_some_and(|e| e == "bin"))
}

/// Compressed files by path and coding, with the length and time of the version
/// compressed.
type CompressedCache = Mutex<HashMap<(PathBuf, Coding), (u64, SystemTime, Arc<Vec<u8>>)>>;

/// The bytes of `file` in `coding`, compressed once per version of it.
///
/// Brotli's best quality takes 0.7 s on the engine, which a reload after a rebuild
/// would wait for: a file up to [`BROTLI_BEST_MAX`] is first sent at a fast quality,
/// and the best replaces it for the next request once made in the background.
fn compressed(path: &Path, file: &mut File, len: u64, coding: Coding) -> io::Result<Arc<Vec<u8>>> {
    static CACHE: std::sync::OnceLock<CompressedCache> = std::sync::OnceLock::new();
    let cache: &'static CompressedCache = CACHE.get_or_init(CompressedCache::default);
    let modified = file.metadata()?.modified()?;
    let key = (path.to_path_buf(), coding);
    if let Some((l, m, bytes)) = cache.lock().map_err(|_| io::ErrorKind::Other)?.get(&key) {
        if (*l, *m) == (len, modified) {
            return Ok(Arc::clone(bytes));
        }
    }
    let mut raw = Vec::with_capacity(len as usize);
    file.read_to_end(&mut raw)?;
    // first at a fast quality (above BROTLI_BEST_MAX, for good)
    let later = coding == Coding::Br && len <= BROTLI_BEST_MAX;
    let bytes = Arc::new(coding.compress(&raw, false)?);
    cache
        .lock()
        .map_err(|_| io::ErrorKind::Other)?
        .insert(key.clone(), (len, modified, Arc::clone(&bytes)));
    if later {
        std::thread::spawn(move || {
            let Ok(best) = coding.compress(&raw, true) else {
                return;
            };
            if let Ok(mut cache) = cache.lock() {
                // unless a newer version of the file came meanwhile
                if let Some(entry) = cache
                    .get_mut(&key)
                    .filter(|e| (e.0, e.1) == (len, modified))
                {
                    entry.2 = Arc::new(best);
                }
            }
        });
    }
    Ok(bytes)
}

/// A file and its length, as it is when opened.
fn open_sized(path: &Path) -> io::Result<(u64, File)> {
    let file = File::open(path)?;
    Ok((file.metadata()?.len(), file))
}

fn serve_file(
    stream: &mut TcpStream,
    status: u16,
    path: &Path,
    head_only: bool,
    coding: Option<Coding>,
) -> io::Result<()> {
    let Ok((len, mut file)) = open_sized(path) else {
        // Replaced between resolving and opening (a rebuild renames the bundle folder).
        return respond_text(stream, 404, "Not Found", head_only);
    };
    let mime = mime_type(path);
    if compressible(path) {
        let vary = ("Vary", "Accept-Encoding");
        if let Some(coding) = coding.filter(|_| len <= COMPRESS_MAX) {
            let bytes = compressed(path, &mut file, len, coding)?;
            let headers = [
                ("Content-Type", mime),
                ("Content-Encoding", coding.name()),
                vary,
            ];
            let body = Body::Compressed(bytes);
            return respond(stream, status, &headers, body, head_only);
        }
        let headers = [("Content-Type", mime), vary, ("Accept-Ranges", "bytes")];
        return respond(stream, status, &headers, Body::File(file, len), head_only);
    }
    respond(
        stream,
        status,
        &[("Content-Type", mime), ("Accept-Ranges", "bytes")],
        Body::File(file, len),
        head_only,
    )
}

fn respond_text(
    stream: &mut TcpStream,
    status: u16,
    text: &str,
    head_only: bool,
) -> io::Result<()> {
    respond(stream, status, &[], Body::Text(text), head_only)
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: Body<'_>,
    head_only: bool,
) -> io::Result<()> {
    let len = match &body {
        Body::Text(text) => text.len() as u64,
        Body::File(_, len) => *len,
        Body::Compressed(bytes) => bytes.len() as u64,
    };
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    if matches!(body, Body::Text(_)) {
        head.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {len}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        match body {
            Body::Text(text) => stream.write_all(text.as_bytes())?,
            Body::File(file, len) => {
                io::copy(&mut file.take(len), stream)?;
            }
            Body::Compressed(bytes) => stream.write_all(&bytes)?,
        }
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A served folder: `index.html`, `search/scour.js`, `docs/intro.html`, a hidden
    /// `.env`, and a secret file beside (outside) the root.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("search")).unwrap();
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("index.html"), "home").unwrap();
        fs::write(root.join("search/scour.js"), "js").unwrap();
        fs::write(root.join("search/index.html"), "search").unwrap();
        fs::write(root.join("docs/intro.html"), "intro").unwrap();
        fs::write(root.join("a b.html"), "spaced").unwrap();
        fs::write(root.join(".env"), "SECRET").unwrap();
        fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn files_and_folder_indexes_are_found() {
        let (_dir, root) = site();
        assert_eq!(resolve(&root, "/"), Resolved::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/search/scour.js"),
            Resolved::File(root.join("search/scour.js"))
        );
        assert_eq!(
            resolve(&root, "/search/"),
            Resolved::File(root.join("search/index.html"))
        );
        assert_eq!(
            resolve(&root, "/search/scour.js?v=2#top"),
            Resolved::File(root.join("search/scour.js"))
        );
        assert_eq!(
            resolve(&root, "/a%20b.html"),
            Resolved::File(root.join("a b.html"))
        );
    }

    #[test]
    fn a_folder_without_its_slash_redirects() {
        let (_dir, root) = site();
        assert_eq!(
            resolve(&root, "/search"),
            Resolved::Redirect("/search/".into())
        );
    }

    #[test]
    fn a_redirect_stays_on_this_host_and_keeps_the_query() {
        let (_dir, root) = site();
        for (target, location) in [
            ("//search", "/search/"),
            ("///search", "/search/"),
            ("//search?q=kite", "/search/?q=kite"),
            ("/search?q=kite&x=%2F#top", "/search/?q=kite&x=%2F"),
            ("//docs?a=1?b", "/docs/?a=1?b"),
        ] {
            assert_eq!(
                resolve(&root, target),
                Resolved::Redirect(location.into()),
                "{target}"
            );
        }
    }

    #[test]
    fn pretty_urls_fall_back_to_html_files() {
        let (_dir, root) = site();
        assert_eq!(
            resolve(&root, "/docs/intro"),
            Resolved::File(root.join("docs/intro.html"))
        );
        assert_eq!(resolve(&root, "/docs/missing"), Resolved::NotFound);
    }

    #[test]
    fn path_traversal_is_refused() {
        let (_dir, root) = site();
        for target in [
            "/../secret.txt",
            "/search/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/search/%2E%2E/%2E%2E/secret.txt",
            "/%2e%2e%2fsecret.txt",
            "/..%5csecret.txt",
            "/.env",
            "/%2eenv",
            "/x%00.html",
        ] {
            assert_eq!(resolve(&root, target), Resolved::NotFound, "{target}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_root_is_refused() {
        let (dir, root) = site();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        assert_eq!(resolve(&root, "/leak.txt"), Resolved::NotFound);
    }

    #[test]
    fn malformed_targets_are_bad_requests() {
        let (_dir, root) = site();
        assert_eq!(resolve(&root, "index.html"), Resolved::BadRequest);
        assert_eq!(resolve(&root, "http://example.com/"), Resolved::BadRequest);
        assert_eq!(resolve(&root, "/%zz"), Resolved::BadRequest);
        assert_eq!(resolve(&root, "/%ff"), Resolved::BadRequest);
        assert_eq!(resolve(&root, "/%4"), Resolved::BadRequest);
    }

    #[test]
    fn brotli_or_gzip_is_sent_to_clients_that_accept_it() {
        let head = |v: &str| format!("GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: {v}\r\n\r\n");
        assert_eq!(coding(&head("gzip, deflate, br")), Some(Coding::Br));
        assert_eq!(coding(&head("br;q=1.0, GZIP;q=0.5")), Some(Coding::Br));
        assert_eq!(coding(&head("gzip, br;q=0")), Some(Coding::Gzip));
        assert_eq!(coding(&head("br, gzip;q=0")), Some(Coding::Br));
        assert_eq!(coding(&head("BR ; q = 0, gzip ;q=0")), None);
        assert_eq!(coding(&head("identity")), None);
        assert_eq!(
            coding("GET / HTTP/1.1\r\nX-Accept-Encoding-Note: gzip, br\r\n\r\n"),
            None
        );
        assert!(compressible(Path::new("a/scour_engine_bg.wasm")));
        assert!(compressible(Path::new("chunks/d3-0a0b0c0d.bin")));
        assert!(compressible(Path::new("index.html")));
        assert!(!compressible(Path::new("photo.jpg")));
    }

    #[test]
    fn both_codings_and_qualities_give_the_bytes_back() {
        let raw: Vec<u8> = (0..20_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        for best in [false, true] {
            let br = Coding::Br.compress(&raw, best).unwrap();
            let mut back = Vec::new();
            brotli::Decompressor::new(&br[..], 4096)
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, raw, "brotli, best {best}");
            assert!(br.len() < raw.len() / 4);
        }
        let gz = Coding::Gzip.compress(&raw, true).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, raw);
    }

    #[test]
    fn brotli_goes_fast_first_then_at_its_best() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("serve.rs");
        // text, as an engine's glue or a page (a regular pattern compresses alike at
        // every quality)
        let raw = include_bytes!("serve.rs").to_vec();
        fs::write(&path, &raw).unwrap();
        let get = || {
            let (len, mut file) = open_sized(&path).unwrap();
            compressed(&path, &mut file, len, Coding::Br).unwrap()
        };
        let first = get();
        assert_eq!(*first, Coding::Br.compress(&raw, false).unwrap());
        let best = Coding::Br.compress(&raw, true).unwrap();
        assert!(best.len() < first.len());
        // the best quality replaces it once made
        let mut later = get();
        for _ in 0..600 {
            if *later == best {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
            later = get();
        }
        assert_eq!(*later, best);
        // a larger file goes at the fast quality, never held up for the best
        let large = dir.path().join("large.txt");
        let raw = raw.repeat((BROTLI_BEST_MAX as usize / raw.len()) + 1);
        fs::write(&large, &raw).unwrap();
        let (len, mut file) = open_sized(&large).unwrap();
        let first = compressed(&large, &mut file, len, Coding::Br).unwrap();
        assert_eq!(*first, Coding::Br.compress(&raw, false).unwrap());
    }

    #[test]
    fn ranges_are_parsed_as_http_says() {
        assert_eq!(byte_range("bytes=0-9", 100), Some(Ok((0, 9))));
        assert_eq!(byte_range("bytes=90-", 100), Some(Ok((90, 99))));
        assert_eq!(byte_range("bytes=-10", 100), Some(Ok((90, 99))));
        assert_eq!(byte_range("bytes=-500", 100), Some(Ok((0, 99))));
        assert_eq!(byte_range("bytes=50-500", 100), Some(Ok((50, 99))));
        assert_eq!(byte_range("bytes=100-200", 100), Some(Err(())));
        assert_eq!(byte_range("bytes=9-3", 100), Some(Err(())));
        assert_eq!(byte_range("bytes=-0", 100), Some(Err(())));
        // what is sent whole: several ranges, other units, nonsense
        for whole in ["bytes=0-1,5-6", "items=0-1", "bytes=x-1", "bytes=-", "0-1"] {
            assert_eq!(byte_range(whole, 100), None, "{whole}");
        }
        let head = "GET / HTTP/1.1\r\nRANGE: bytes=1-2\r\n";
        assert_eq!(header(head, "range"), Some("bytes=1-2"));
        assert_eq!(header(head, "accept-encoding"), None);
    }

    #[test]
    fn request_lines_are_parsed() {
        assert_eq!(
            parse_request_line("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n"),
            Some(("GET", "/a?b"))
        );
        assert_eq!(
            parse_request_line("HEAD / HTTP/1.0\r\n\r\n"),
            Some(("HEAD", "/"))
        );
        assert_eq!(parse_request_line("GET /\r\n\r\n"), None);
        assert_eq!(parse_request_line(""), None);
    }

    #[test]
    fn the_bundle_gets_the_types_browsers_insist_on() {
        assert_eq!(
            mime_type(Path::new("scour_engine_bg.wasm")),
            "application/wasm"
        );
        assert_eq!(
            mime_type(Path::new("scour.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            mime_type(Path::new("x.MJS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            mime_type(Path::new("scour-search.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            mime_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(mime_type(Path::new("blob")), "application/octet-stream");
    }
}
