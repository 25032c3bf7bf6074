//! A small static file server for the demo: HTTP/1.1 `GET` and `HEAD`, one thread per
//! connection, one request per connection.
//!
//! It serves from a local folder on 127.0.0.1 only, so it needs no TLS, ranges or caching
//! logic; what it must get right is the MIME types (browsers refuse to stream-compile
//! wasm that is not `application/wasm` and to run module scripts without a JavaScript
//! type) and never serving a file outside the folder.

use std::fs;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// How many ports after the requested one [`bind`] tries before giving up.
pub const PORT_ATTEMPTS: u16 = 20;

/// A request head larger than this is refused: browsers send a few hundred bytes.
const MAX_HEAD: u64 = 16 * 1024;

/// A client that sends nothing for this long loses its thread.
const IDLE: Duration = Duration::from_secs(30);

/// Binds 127.0.0.1 on `port`, or on the next free one of the following [`PORT_ATTEMPTS`]
/// when it is taken. Port 0 lets the OS choose.
pub fn bind(port: u16) -> io::Result<TcpListener> {
    let mut last = None;
    for candidate in (0..PORT_ATTEMPTS).map_while(|offset| port.checked_add(offset)) {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == ErrorKind::AddrInUse => last = Some(error),
            Err(error) => return Err(error),
        }
        if port == 0 {
            break;
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(ErrorKind::AddrInUse, "no port left to try")))
}

/// Serves files under `root` on `listener` until the process ends.
pub fn serve(listener: &TcpListener, root: &Path) -> io::Result<()> {
    // Canonical once, so the containment check below compares like with like.
    let root = root.canonicalize()?;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.clone();
        std::thread::spawn(move || {
            // A client hanging up mid-response is normal (a reload, a closed tab).
            let _ = handle(stream, &root);
        });
    }
    Ok(())
}

/// A response, before it is written.
#[derive(Debug, PartialEq, Eq)]
struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    /// A plain-text response for errors and redirects.
    fn text(status: u16, reason: &'static str, message: &str) -> Response {
        Response {
            status,
            reason,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: format!("{status} {reason}: {message}\n").into_bytes(),
        }
    }
}

/// Reads one request from `stream`, answers it and closes the connection.
fn handle(stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    let mut reader = BufReader::new(stream.try_clone()?.take(MAX_HEAD));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers are read and dropped: nothing here depends on them, but the client
    // expects them consumed before the answer.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = respond(method, target, root);
    println!("{} {method} {target}", response.status);
    write_response(stream, &response, method == "HEAD")
}

/// The response to `method target`, with files taken from `root` (canonical).
fn respond(method: &str, target: &str, root: &Path) -> Response {
    if method != "GET" && method != "HEAD" {
        let mut response = Response::text(405, "Method Not Allowed", "only GET and HEAD");
        response.headers.push(("Allow", "GET, HEAD".into()));
        return response;
    }
    let path = match resolve(root, target) {
        Ok(path) => path,
        Err(Refusal::BadRequest) => return Response::text(400, "Bad Request", target),
        Err(Refusal::Forbidden) => {
            return Response::text(403, "Forbidden", "the path leaves the served folder")
        }
    };
    if path.is_dir() {
        let url_path = target.split(['?', '#']).next().unwrap_or(target);
        if !url_path.ends_with('/') {
            // Relative links in the folder's index.html resolve against the URL, so the
            // URL must name the folder: `/search` → `/search/`.
            let mut response = Response::text(301, "Moved Permanently", "");
            response.headers.push(("Location", format!("{url_path}/")));
            return response;
        }
        return file_response(&path.join("index.html"), root);
    }
    file_response(&path, root)
}

/// A 200 with the file's bytes and type, or a 404.
fn file_response(path: &Path, root: &Path) -> Response {
    // Canonicalising resolves symlinks, so a link inside the folder that points outside it
    // is refused like `..` is.
    let inside = path
        .canonicalize()
        .is_ok_and(|real| real.starts_with(root) && real.is_file());
    let body = if inside { fs::read(path).ok() } else { None };
    let Some(body) = body else {
        return Response::text(404, "Not Found", "no such file");
    };
    Response {
        status: 200,
        reason: "OK",
        headers: vec![("Content-Type", mime(path).into())],
        body,
    }
}

/// Writes `response` with the headers every answer carries; `HEAD` gets no body.
fn write_response(stream: TcpStream, response: &Response, head: bool) -> io::Result<()> {
    let mut out = io::BufWriter::new(stream);
    write!(out, "HTTP/1.1 {} {}\r\n", response.status, response.reason)?;
    for (name, value) in &response.headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    // no-cache: the demo is rebuilt often, and a stale index next to a new engine would
    // be a confusing bug report. nosniff: the MIME types above are the truth.
    write!(
        out,
        "Content-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.body.len()
    )?;
    if !head {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// Why a request target does not map to a path.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// Not an origin-form path, or not valid percent-encoded UTF-8.
    BadRequest,
    /// The path would leave the served folder.
    Forbidden,
}

/// Maps a request target (`/search/scour.js?v=2`) to a path under `root`, refusing any
/// that could leave it: `..` segments (also percent-encoded), backslashes, NUL bytes.
fn resolve(root: &Path, target: &str) -> Result<PathBuf, Refusal> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(Refusal::BadRequest);
    }
    let decoded = percent_decode(path).ok_or(Refusal::BadRequest)?;
    // A backslash is a separator on Windows, and NUL truncates paths in C APIs.
    if decoded.contains(['\\', '\0']) {
        return Err(Refusal::Forbidden);
    }
    let mut resolved = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(Refusal::Forbidden),
            _ => {
                // Anything that is not a plain name (a drive prefix such as `C:`) is refused.
                let mut components = Path::new(segment).components();
                match (components.next(), components.next()) {
                    (Some(Component::Normal(_)), None) => resolved.push(segment),
                    _ => return Err(Refusal::Forbidden),
                }
            }
        }
    }
    Ok(resolved)
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` for a file, by extension.
fn mime(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "css" => "text/css",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir =
                std::env::temp_dir().join(format!("scour-xtask-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("search")).unwrap();
            fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
            fs::write(dir.join("search/scour.js"), "export {};").unwrap();
            fs::write(dir.join("search/index.html"), "search").unwrap();
            TempDir(dir.canonicalize().unwrap())
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn mime_types_browsers_insist_on() {
        assert_eq!(mime(Path::new("scour_engine_bg.wasm")), "application/wasm");
        assert_eq!(mime(Path::new("scour.js")), "text/javascript");
        assert_eq!(mime(Path::new("run.mjs")), "text/javascript");
        assert_eq!(mime(Path::new("scour-search.css")), "text/css");
        assert_eq!(mime(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(mime(Path::new("INDEX.HTML")), "text/html; charset=utf-8");
        assert_eq!(mime(Path::new("index.bin")), "application/octet-stream");
        assert_eq!(mime(Path::new("LICENSE")), "application/octet-stream");
    }

    #[test]
    fn plain_paths_resolve_under_the_root() {
        let root = Path::new("/srv/demo");
        assert_eq!(resolve(root, "/"), Ok(root.to_path_buf()));
        assert_eq!(
            resolve(root, "/search/scour.js?v=1#top"),
            Ok(root.join("search/scour.js"))
        );
        assert_eq!(resolve(root, "/a%20b/./c.txt"), Ok(root.join("a b/c.txt")));
    }

    #[test]
    fn path_traversal_is_refused() {
        let root = Path::new("/srv/demo");
        for target in [
            "/../etc/passwd",
            "/search/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/search/..",
            "/..%5c..%5cetc",
            "/a%00.html",
        ] {
            assert_eq!(resolve(root, target), Err(Refusal::Forbidden), "{target}");
        }
    }

    #[test]
    fn malformed_targets_are_bad_requests() {
        let root = Path::new("/srv/demo");
        for target in [
            "",
            "index.html",
            "http://example.com/",
            "/%zz",
            "/%e9",
            "/%2",
        ] {
            assert_eq!(resolve(root, target), Err(Refusal::BadRequest), "{target}");
        }
    }

    #[test]
    fn responses() {
        let dir = TempDir::new("respond");
        let root = &dir.0;
        let page = respond("GET", "/", root);
        assert_eq!(page.status, 200);
        assert_eq!(page.body, b"<!doctype html><title>demo</title>");
        let script = respond("GET", "/search/scour.js", root);
        assert_eq!(script.headers, [("Content-Type", "text/javascript".into())]);
        let folder = respond("GET", "/search?q=x", root);
        assert_eq!(folder.status, 301);
        assert!(folder.headers.contains(&("Location", "/search/".into())));
        assert_eq!(respond("GET", "/search/", root).body, b"search");
        assert_eq!(respond("GET", "/missing.wasm", root).status, 404);
        assert_eq!(respond("GET", "/../etc/passwd", root).status, 403);
        assert_eq!(respond("POST", "/", root).status, 405);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let dir = TempDir::new("symlink");
        let outside = TempDir::new("symlink-outside");
        fs::write(outside.0.join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.0.join("secret.txt"), dir.0.join("link.txt")).unwrap();
        assert_eq!(respond("GET", "/link.txt", &dir.0).status, 404);
    }

    /// Sends a raw request to a live server and returns the whole answer.
    fn exchange(port: u16, request: &str) -> String {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn serves_over_http() {
        let dir = TempDir::new("http");
        let listener = bind(0).unwrap();
        let port = listener.local_addr().unwrap().port();
        let root = dir.0.clone();
        std::thread::spawn(move || serve(&listener, &root));

        let get = exchange(port, "GET /search/scour.js HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(get.starts_with("HTTP/1.1 200 OK\r\n"), "{get}");
        assert!(get.contains("Content-Type: text/javascript\r\n"), "{get}");
        assert!(get.contains("Content-Length: 10\r\n"), "{get}");
        assert!(get.contains("Cache-Control: no-cache\r\n"), "{get}");
        assert!(get.ends_with("\r\n\r\nexport {};"), "{get}");

        let head = exchange(port, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(head.contains("Content-Length: 34\r\n"), "{head}");
        assert!(head.ends_with("\r\n\r\n"), "{head}");

        let escape = exchange(port, "GET /../../../../etc/passwd HTTP/1.1\r\n\r\n");
        assert!(escape.starts_with("HTTP/1.1 403 "), "{escape}");
        let missing = exchange(port, "GET /nope HTTP/1.1\r\n\r\n");
        assert!(missing.starts_with("HTTP/1.1 404 "), "{missing}");
    }

    #[test]
    fn a_taken_port_moves_to_the_next() {
        let taken = bind(0).unwrap();
        let port = taken.local_addr().unwrap().port();
        if port.checked_add(PORT_ATTEMPTS).is_none() {
            return;
        }
        let next = bind(port).unwrap();
        assert!(next.local_addr().unwrap().port() > port);
    }
}
