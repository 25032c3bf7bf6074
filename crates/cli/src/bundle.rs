//! The search bundle `scour build` writes: the prebuilt engine with the site's index
//! placed inside, its JS glue, the JS API, the widget and a page that searches.
//!
//! The engine wasm is compiled once, by this crate's build script, without an index.
//! [`patch_index`] places an index in it without recompiling (microsoft/docfind's way):
//!
//! - the memory section's initial pages grow by `ceil(len / 64 KiB)`;
//! - an active data segment puts the index at the old end of initial memory, a 64 KiB
//!   boundary past every static, the stack and `__heap_base` (Rust's wasm allocator
//!   only takes memory from `memory.grow`, so it never hands these bytes out);
//! - the engine's index slot, a static `[SLOT_MAGIC[0], SLOT_MAGIC[1], offset, len]`
//!   found in the data section by its magic, is rewritten to point there
//!   (`crates/web/embed.rs` reads it).
//!
//! The index is read in place: no copy in JS, no copy in wasm.

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use wasm_encoder::{ConstExpr, DataCountSection, DataSection, MemorySection, Module, RawSection};
use wasmparser::{DataKind, Encoding, Operator, Parser, Payload, TypeRef, Validator};

use crate::chunk_files::{self, Digest, IndexSource, Lazy};

/// The engine wasm wasm-bindgen produced, with no index in it.
static ENGINE_WASM: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/engine/scour_engine_bg.wasm"));

/// wasm-bindgen's JS glue for the engine (`--target web`; its default export loads the wasm).
pub const ENGINE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/engine/scour_engine.js"));

/// The engine's public JS API, `load()` and `search()` (`www/scour.js`).
pub const SCOUR_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/www/scour.js"));

/// The worker `scour.js` runs the engine in for a large index (`www/scour-worker.js`).
pub const WORKER_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/www/scour-worker.js"));

/// The line of `scour.js` that says whether `load()` searches in a worker by default.
const LARGE_INDEX_LINE: &str = "const LARGE_INDEX = false;";

/// An index of at least this many documents, or bytes, is searched in a worker by
/// default: its postings are long enough that a keystroke's search can take tens of
/// milliseconds on a phone, and opening it copies megabytes.
const WORKER_MIN_DOCS: usize = 10_000;
const WORKER_MIN_BYTES: usize = 8 << 20;

/// The line of `scour.js` that names a lazy index's pack, so that it asks the host
/// whether it answers Range requests while the engine downloads.
const PACK_LINE: &str = "const PACK = null;";

/// The line of `scour.js` that gives a lazy index's dictionary chunks (see
/// [`prefetch_line`]).
const PREFETCH_LINE: &str = "const PREFETCH = null;";

/// The `PREFETCH` line of `scour.js` for a lazy index's `core`: its document count and
/// size (what `index.documents` and `index.bytes` say before the engine is there), and
/// for the terms, postings and stems chunks the id and pack offset of the first, the
/// deflated length of each and, for the two dictionaries, the first key of each. With
/// it, a search started while the engine downloads fetches its words' dictionary
/// chunks (and their postings, cut alike) from the pack at once: the engine asks for
/// them when it arrives, a round trip later. For a host without ranges, `files` says
/// which fallback file holds each of those chunks. `None` when the core is not a lazy
/// one.
pub fn prefetch_line(core: &[u8]) -> Option<String> {
    use scour_format::chunks::{first_key, ChunkKind, ChunkTable};
    use scour_format::{Container, Meta, SectionKind};
    let c = Container::open(core).ok()?;
    let meta = Meta::from_bytes(c.section(SectionKind::Meta)?).ok()?;
    let table = ChunkTable::read(c.section(SectionKind::Chunks)?).ok()?;
    let keys = c.section(SectionKind::ChunkKeys)?;
    let offsets = table.pack_offsets()?;
    let keyed = table.count(ChunkKind::Terms) + table.count(ChunkKind::Stems);
    // [first id, its pack offset, [deflated lengths], [first keys]?]
    let kind = |kind: ChunkKind, keys_from: Option<u32>| -> Option<serde_json::Value> {
        let start = table.start(kind);
        let ids = start..start + table.count(kind);
        let lens: Vec<u32> = ids
            .clone()
            .map(|id| offsets[id as usize + 1] - offsets[id as usize])
            .collect();
        let mut v: Vec<serde_json::Value> =
            vec![start.into(), offsets[start as usize].into(), lens.into()];
        if let Some(from) = keys_from {
            let names: Option<Vec<String>> = (0..table.count(kind))
                .map(|i| {
                    first_key(keys, keyed, from + i)
                        .map(|k| String::from_utf8_lossy(k).into_owned())
                })
                .collect();
            v.push(names?.into());
        }
        Some(v.into())
    };
    let terms = table.count(ChunkKind::Terms);
    // for a host without ranges: [name before the number, first file's number, [first
    // chunk of each file, counted in the kind]], the name ending as `end`; the terms
    // files hold their postings
    let files = |kind: ChunkKind| -> serde_json::Value {
        let (start, _) = table.file_name_parts(kind);
        let (first, firsts) = table.files_of(kind);
        serde_json::json!([start, first, firsts])
    };
    let (_, end) = table.file_name_parts(ChunkKind::Terms);
    let value = serde_json::json!({
        "docs": meta.doc_count,
        "bytes": core.len(),
        "terms": kind(ChunkKind::Terms, Some(0))?,
        // a word's postings chunk is its dictionary chunk's only when they are cut alike
        "postings": if table.aligned() { kind(ChunkKind::Postings, None)? } else { serde_json::Value::Null },
        "stems": kind(ChunkKind::Stems, Some(terms))?,
        "files": {
            "end": end,
            "terms": files(ChunkKind::Terms),
            "stems": files(ChunkKind::Stems),
        },
    });
    Some(format!("const PREFETCH = {value};"))
}

/// `scour.js` for an index of `docs` documents and `bytes` bytes: searching in a
/// worker by default when the index is large, and naming the pack of a lazy one.
pub fn scour_js(docs: usize, bytes: usize, pack: Option<&str>) -> Cow<'static, str> {
    let mut js = Cow::Borrowed(SCOUR_JS);
    if docs >= WORKER_MIN_DOCS || bytes >= WORKER_MIN_BYTES {
        js = Cow::Owned(js.replacen(LARGE_INDEX_LINE, "const LARGE_INDEX = true;", 1));
    }
    if let Some(pack) = pack {
        // chunk names are `chunks/pack-<hex>.bin`: nothing to escape
        js = Cow::Owned(js.replacen(PACK_LINE, &format!("const PACK = \"{pack}\";"), 1));
    }
    js
}

// `WIDGET_FILES: &[(&str, &[u8])]`: the `<scour-search>` widget files of
// `www/` when this crate was built, its language modules (`lang/<code>.js`) included.
include!(concat!(env!("OUT_DIR"), "/widget_files.rs"));

/// The file name of the engine wasm in a bundle (the name the glue loads).
pub const ENGINE_WASM_FILE: &str = "scour_engine_bg.wasm";

/// Marks the index slot in the engine's data section; must equal `SLOT_MAGIC` in
/// `crates/web/embed.rs` (the tests patch the real engine, so a mismatch fails them).
pub const SLOT_MAGIC: [u32; 2] = [0x8A3F_61C5, 0xD47E_0B92];

/// Size of a wasm page: memory grows, and the index is aligned, in these.
pub const WASM_PAGE: u64 = 65_536;

/// Pages a 32-bit memory can have (4 GiB).
const MAX_PAGES: u64 = 65_536;

/// The prebuilt engine wasm, without an index (for size reporting).
pub fn engine_wasm() -> &'static [u8] {
    ENGINE_WASM
}

/// One file of a written bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleFile {
    /// The file name inside the bundle folder.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What [`write_bundle`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleReport {
    /// The bundle folder.
    pub dir: PathBuf,
    /// Its files, sorted by name.
    pub files: Vec<BundleFile>,
}

impl BundleReport {
    /// The bundle's size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// Why an index could not be placed in, or read back from, an engine wasm.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatchError {
    /// The index is empty: there is nothing to place.
    EmptyIndex,
    /// The engine wasm could not be read (or the patched one would not validate).
    InvalidWasm(String),
    /// The engine wasm has no memory of its own to place the index in.
    NoMemory,
    /// The engine's memory is of a kind the patcher does not handle.
    UnsupportedMemory(&'static str),
    /// The engine wasm has no index slot: it was not built from `crates/web`.
    NoSlot,
    /// The slot's magic appears more than once, so the slot is ambiguous.
    AmbiguousSlot {
        /// How many times it appears.
        count: usize,
    },
    /// The engine wasm holds no index placed by [`patch_index`].
    NoIndex,
    /// A valid module that is not an engine: no memory (an empty or replaced file).
    NotAnEngine(String),
    /// The index does not fit in the engine's memory.
    TooLarge {
        /// Pages the memory would need.
        pages: u64,
        /// Pages it may have.
        max: u64,
    },
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatchError::EmptyIndex => write!(f, "the index is empty: there is nothing to put in the engine"),
            PatchError::InvalidWasm(why) => write!(
                f,
                "the engine wasm is not a valid WebAssembly module ({why}): it was damaged; build the bundle again with `scour build`"
            ),
            PatchError::NotAnEngine(what) => write!(
                f,
                "the engine wasm is not a valid scour engine: {what}; build the bundle again with `scour build`"
            ),
            PatchError::NoMemory => write!(f, "the engine wasm defines no memory to place the index in"),
            PatchError::UnsupportedMemory(what) => {
                write!(f, "the engine wasm's memory is {what}: only a single 32-bit, unshared memory is supported")
            }
            PatchError::NoSlot => write!(
                f,
                "the engine wasm has no index slot: it was not built from crates/web (rebuild the scour CLI)"
            ),
            PatchError::AmbiguousSlot { count } => {
                write!(f, "the engine wasm's index slot magic appears {count} times: cannot tell which is the slot")
            }
            PatchError::NoIndex => write!(f, "the engine wasm holds no index: it was not written by `scour build`"),
            PatchError::TooLarge { pages, max } => write!(
                f,
                "the index needs {pages} pages of wasm memory but the engine allows {max} ({} MiB): split the site",
                max * WASM_PAGE / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for PatchError {}

impl From<wasmparser::BinaryReaderError> for PatchError {
    fn from(err: wasmparser::BinaryReaderError) -> Self {
        PatchError::InvalidWasm(err.to_string())
    }
}

/// Why a bundle could not be written. The previous bundle, if any, is left as it was.
#[derive(Debug)]
#[non_exhaustive]
pub enum BundleError {
    /// The index could not be placed in the engine.
    Patch(PatchError),
    /// A file system operation failed.
    Io {
        /// What was being done, e.g. "cannot write".
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The output path exists and is not a folder (or is the root of the file system):
    /// a bundle cannot replace it.
    NotABundle {
        /// The output path.
        path: PathBuf,
    },
    /// The output folder holds something scour did not write (not listed in its
    /// manifest): replacing the folder would delete it.
    NotOurs {
        /// The output folder.
        dir: PathBuf,
        /// The first such file or folder, relative to `dir`, `/`-separated.
        file: String,
    },
    /// The output folder's manifest cannot be read: scour cannot tell its files from
    /// anyone else's.
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// A caller asked to write a file under a name that would land outside the bundle
    /// folder (absolute, `..`) or is otherwise not a plain relative path.
    BadFileName {
        /// The name as given.
        name: String,
    },
    /// The index could not be split into chunks for the lazy layout.
    Split(scour_format::FormatError),
    /// The index could not be read back from the temporary file it was written to.
    ReadIndex(io::Error),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::Patch(err) => err.fmt(f),
            BundleError::Io {
                action,
                path,
                source,
            } => write!(f, "{action} {}: {source}", path.display()),
            BundleError::NotABundle { path } => write!(
                f,
                "{} exists and is not a folder: choose an empty or new folder for the bundle",
                path.display()
            ),
            BundleError::NotOurs { dir, file } => write!(
                f,
                "{} holds {file}, which scour did not write: a build replaces the whole \
                 folder and would delete it. Choose an empty or new folder for the bundle, \
                 or move {file} out of {}",
                dir.display(),
                dir.display()
            ),
            BundleError::BadManifest { path, why } => write!(
                f,
                "{} is not a manifest scour wrote ({why}), so scour cannot tell which files \
                 in that folder are its own: choose an empty or new folder for the bundle",
                path.display()
            ),
            BundleError::BadFileName { name } => write!(
                f,
                "cannot write {name:?} into a bundle: file names must be relative paths \
                 without `.` or `..` segments"
            ),
            BundleError::Split(err) => write!(f, "cannot split the index into chunks: {err}"),
            BundleError::ReadIndex(err) => {
                write!(
                    f,
                    "cannot read the index back from its temporary file: {err}"
                )
            }
        }
    }
}

impl std::error::Error for BundleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BundleError::Patch(err) => Some(err),
            BundleError::Io { source, .. } => Some(source),
            BundleError::NotABundle { .. }
            | BundleError::NotOurs { .. }
            | BundleError::BadManifest { .. }
            | BundleError::BadFileName { .. } => None,
            BundleError::Split(err) => Some(err),
            BundleError::ReadIndex(err) => Some(err),
        }
    }
}

impl From<PatchError> for BundleError {
    fn from(err: PatchError) -> Self {
        BundleError::Patch(err)
    }
}

/// Writes the search bundle for `index` into the folder `out_dir`, replacing it whole.
///
/// The bundle: `scour_engine_bg.wasm` (the engine with `index` inside),
/// `scour_engine.js` (its glue), `scour.js` (the JS API), the `<scour-search>` widget
/// files, `scour-sw.js` (offline), and an `index.html` that searches when the
/// folder is served over HTTP. The same index gives byte-identical files.
///
/// `out_dir` must be new, empty or a previous bundle; see [`replace_dir`] for how it
/// is replaced.
#[allow(dead_code)] // the binary picks a layout; tests and embedders take the default
pub fn write_bundle(index: &[u8], out_dir: &Path) -> Result<BundleReport, BundleError> {
    write_bundle_with(index, out_dir, IndexLayout::Auto)
}

/// How a bundle holds its index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IndexLayout {
    /// Lazy when that brings the first result sooner: see [`choose_layout`].
    #[default]
    Auto,
    /// The whole index inside the engine wasm: one download, then every query is local.
    Single,
    /// The dictionary inside the engine wasm; postings and stored text in `chunks/`,
    /// fetched when a query needs them.
    Lazy,
}

impl std::str::FromStr for IndexLayout {
    type Err = String;

    fn from_str(s: &str) -> Result<IndexLayout, String> {
        match s {
            "auto" => Ok(IndexLayout::Auto),
            "single" => Ok(IndexLayout::Single),
            "lazy" => Ok(IndexLayout::Lazy),
            _ => Err(format!("unknown layout `{s}`: use auto, single or lazy")),
        }
    }
}

/// Bytes a lazy layout must save on the first query, compressed, before `auto` picks
/// it: about what two extra round trips cost on a slow mobile network (2 × 150 ms at
/// 1.6 Mbit/s is 60 KB), with a margin.
pub const LAZY_SAVING_BYTES: usize = 96 << 10;

/// Hits whose stored text a first query fetches (a results page).
const FIRST_PAGE: usize = 10;

/// Whether `auto` makes an index lazy: when the bytes a first query fetches from the
/// split index (its `core` gzipped, one deflated chunk of terms, stems and postings and
/// a page of document chunks, as the pack serves them) are at least
/// [`LAZY_SAVING_BYTES`] fewer than the whole index's gzipped: `whole`, its gzip size
/// at [`LAYOUT_GZIP`] (measured while the index is split).
pub fn choose_layout(whole: usize, core: &[u8]) -> IndexLayout {
    use scour_format::chunks::{ChunkKind, ChunkTable};
    let level = LAYOUT_GZIP;
    let Ok(c) = scour_format::Container::open(core) else {
        return IndexLayout::Single;
    };
    let Some(Ok(table)) = c
        .section(scour_format::SectionKind::Chunks)
        .map(ChunkTable::read)
    else {
        return IndexLayout::Single;
    };
    let avg = |kind: ChunkKind| {
        let ids = table.start(kind)..table.start(kind) + table.count(kind);
        let packed: usize = ids
            .filter_map(|id| table.entry(id))
            .map(|e| e.packed as usize)
            .sum();
        packed as f64 / table.count(kind).max(1) as f64
    };
    let docs = (table.count(ChunkKind::Docs) as usize).min(FIRST_PAGE) as f64;
    let first = gzip_len(core, level) as f64
        + avg(ChunkKind::Terms)
        + avg(ChunkKind::Stems)
        + avg(ChunkKind::Postings)
        + docs * avg(ChunkKind::Docs);
    if (whole as f64) - first >= LAZY_SAVING_BYTES as f64 {
        IndexLayout::Lazy
    } else {
        IndexLayout::Single
    }
}

/// The gzip level [`choose_layout`] measures with.
const LAYOUT_GZIP: flate2::Compression = flate2::Compression::fast();

/// Bytes of `bytes` gzipped at `level`.
pub fn gzip_len(bytes: &[u8], level: flate2::Compression) -> usize {
    gzip_len_of(bytes, level).unwrap_or(0)
}

/// Bytes of what `reader` gives, gzipped at `level`.
pub fn gzip_len_of(mut reader: impl io::Read, level: flate2::Compression) -> io::Result<usize> {
    // counted, not kept: the whole index of a large site gzips to tens of megabytes
    let mut e = flate2::write::GzEncoder::new(Counter(0), level);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => io::Write::write_all(&mut e, &buf[..n])?,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    e.finish().map(|c| c.0)
}

/// A writer that counts the bytes written to it and keeps none.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// [`write_bundle`] with a chosen [`IndexLayout`]. `Auto` and `Lazy` need `index` to be a
/// valid index to split it; `Auto` falls back to a single file when it is not.
pub fn write_bundle_with(
    index: &[u8],
    out_dir: &Path,
    layout: IndexLayout,
) -> Result<BundleReport, BundleError> {
    write_bundle_from(IndexSource::Bytes(index), out_dir, layout)
}

/// [`write_bundle_with`] for an index in memory or in a file. A lazy layout's chunk
/// files are written into the new folder as the index is cut, so a large site's index
/// is never in memory whole (it is when it goes inside the engine).
pub fn write_bundle_from(
    index: IndexSource<'_>,
    out_dir: &Path,
    layout: IndexLayout,
) -> Result<BundleReport, BundleError> {
    let len = index.len().map_err(BundleError::ReadIndex)?;
    let docs = index.meta().map_or(0, |m| m.doc_count as usize);
    let staging = Staging::begin(out_dir)?;
    let lazy = lazy_layout(index, &staging, docs, layout)?;
    let wasm = match &lazy {
        Some(lazy) => patch_index(ENGINE_WASM, &lazy.core)?,
        None => patch_index(ENGINE_WASM, &index.bytes().map_err(BundleError::ReadIndex)?)?,
    };
    let pack = lazy.as_ref().and_then(|l| l.pack.as_deref());
    let mut files: Vec<(&str, Cow<'_, [u8]>)> = vec![
        (ENGINE_WASM_FILE, Cow::Owned(wasm)),
        ("scour_engine.js", Cow::Borrowed(ENGINE_JS.as_bytes())),
        (
            "scour.js",
            match (scour_js(docs, len as usize, pack), &lazy) {
                (Cow::Borrowed(js), None) => Cow::Borrowed(js.as_bytes()),
                (Cow::Owned(js), None) => Cow::Owned(js.into_bytes()),
                (js, Some(lazy)) => {
                    let line = prefetch_line(&lazy.core);
                    let line = line.as_deref().unwrap_or(PREFETCH_LINE);
                    Cow::Owned(js.replacen(PREFETCH_LINE, line, 1).into_bytes())
                }
            },
        ),
        ("scour-worker.js", Cow::Borrowed(WORKER_JS.as_bytes())),
        ("index.html", Cow::Borrowed(index_html().as_bytes())),
    ];
    files.extend(
        WIDGET_FILES
            .iter()
            .map(|&(name, bytes)| (name, Cow::Borrowed(bytes))),
    );
    let chunk_files = lazy.as_ref().map_or(&[][..], |l| &l.files[..]);
    let digests: Vec<(&str, Digest)> = files
        .iter()
        .map(|(name, bytes)| (*name, Digest::of(bytes)))
        .chain(chunk_files.iter().map(|(name, d)| (name.as_str(), *d)))
        .collect();
    let worker = service_worker(&digests);
    files.push((SERVICE_WORKER_FILE, Cow::Owned(worker.into_bytes())));
    files.sort_by_key(|&(name, _)| name);
    check_names(&files)?;
    staging.finish(&files, lazy.map(|l| l.report()).unwrap_or_default())
}

/// The chunk files and the core when the index is to be lazy, written into the staging
/// folder; `None` for a single file. `Auto` measures the whole index gzipped while it
/// is split (the two largest steps of a large site's bundle, independent of each
/// other), and removes the chunk files again when it picks a single file.
fn lazy_layout(
    index: IndexSource<'_>,
    staging: &Staging,
    docs: usize,
    layout: IndexLayout,
) -> Result<Option<Lazy>, BundleError> {
    let plan = scour_format::chunks::Plan::for_docs(docs);
    let split = || chunk_files::write_chunks(index, staging, plan);
    match layout {
        IndexLayout::Single => Ok(None),
        IndexLayout::Lazy => split().map(Some),
        IndexLayout::Auto => {
            let (split, whole) =
                crate::par::both(split, || gzip_len_of(index.reader(), LAYOUT_GZIP));
            let whole = whole.map_err(BundleError::ReadIndex)?;
            match split {
                Ok(lazy) if choose_layout(whole, &lazy.core) == IndexLayout::Lazy => Ok(Some(lazy)),
                Ok(_) | Err(BundleError::Split(_)) => {
                    staging.remove("chunks")?;
                    Ok(None)
                }
                Err(err) => Err(err),
            }
        }
    }
}

/// The service worker a bundle carries so search keeps working offline.
pub const SERVICE_WORKER_FILE: &str = "scour-sw.js";

/// A service worker that precaches every file of the bundle and answers requests for
/// them from the cache (`files`: their names and digests, in the bundle's order). Its
/// cache name is a checksum of the files, so a rebuilt bundle is a new worker: the
/// browser installs it on the next visit and the old cache is dropped. A site
/// registers it from its root (docs/SITES.md):
/// `navigator.serviceWorker.register("/scour-sw.js?bundle=/search/")`.
fn service_worker(files: &[(&str, Digest)]) -> String {
    let mut sum = 0u32;
    let mut list = String::from("\"./\"");
    let mut chunks = String::new();
    let mut pack = "";
    for &(name, digest) in files {
        // the CRC-32 of the last sum, the name and the bytes, the bytes' part from
        // their digest: chunk files are not read back
        let mut crc = crc32fast::Hasher::new();
        crc.update(&sum.to_le_bytes());
        crc.update(name.as_bytes());
        crc.combine(&crc32fast::Hasher::new_with_initial_len(
            digest.crc, digest.len,
        ));
        sum = crc.finalize();
        if name.starts_with("chunks/pack-") {
            pack = name;
        } else if name.starts_with("chunks/") {
            chunks.push_str(&format!(
                "{}\"./{name}\"",
                if chunks.is_empty() { "" } else { ", " }
            ));
        } else {
            list.push_str(&format!(", \"./{name}\""));
        }
    }
    format!(
        r#"// Generated by `scour build`: caches this search bundle so search works offline.
// Register it from your pages. In the bundle folder it controls the bundle's own page;
// to make search work offline on every page, serve it from the site root and name the
// bundle folder: navigator.serviceWorker.register("/scour-sw.js?bundle=/search/")
// A lazy index's chunks are cached as searches fetch them (ranges of the pack, or chunk
// files); add `&precache=all` to the registration URL to download the whole pack when
// the worker installs (all of search then works offline from the first visit, at the
// cost of the whole index's bytes).
const CACHE = "scour-{sum:08x}";
const PARAMS = new URL(self.location).searchParams;
const BUNDLE = new URL(PARAMS.get("bundle") || "./", self.location);
const CHUNKS = [{chunks}].map((f) => new URL(f, BUNDLE).href);
const PACK = "{pack}" && new URL("./{pack}", BUNDLE).href;
const FILES = [{list}].map((f) => new URL(f, BUNDLE).href);
const PRECACHE = PARAMS.get("precache") === "all" && PACK ? FILES.concat(PACK) : FILES;
const URLS = new Set(FILES.concat(CHUNKS));

// A range of the pack: from the ranges kept, or sliced from a precached pack, or from
// the network and kept (the Cache API keeps whole responses only, so a range is kept
// under its own key).
async function packRange(request, start, end) {{
  const cache = await caches.open(CACHE);
  const key = `${{PACK}}?bytes=${{start}}-${{end}}`;
  // the range kept as asked, the precached pack, or a range kept that holds it (chunks
  // come one by one or in runs, not always grouped as they were the first time)
  let [hit, base] = [await cache.match(key), start];
  if (!hit) [hit, base] = [await cache.match(PACK), 0];
  for (const kept of hit ? [] : await cache.keys()) {{
    const m = /\?bytes=(\d+)-(\d+)$/.exec(kept.url);
    if (m && kept.url.startsWith(PACK) && Number(m[1]) <= start && end <= Number(m[2])) {{
      [hit, base] = [await cache.match(kept), Number(m[1])];
      break;
    }}
  }}
  if (hit) {{
    const blob = await hit.blob();
    const body = blob.slice(start - base, end - base + 1);
    if (body.size === end - start + 1) {{
      const headers = {{ "Content-Range": `bytes ${{start}}-${{end}}/*`, "Content-Type": "application/octet-stream" }};
      return new Response(body, {{ status: 206, headers }});
    }}
  }}
  const response = await fetch(request);
  if (response.status === 206) cache.put(key, new Response(await response.clone().blob()));
  return response;
}}

self.addEventListener("install", (event) => {{
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
}});

self.addEventListener("activate", (event) => {{
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("scour-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
}});

self.addEventListener("fetch", (event) => {{
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  url.search = "";
  const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get("range") || "");
  if (PACK && url.href === PACK && range) {{
    event.respondWith(packRange(request, Number(range[1]), Number(range[2])));
  }} else if (URLS.has(url.href)) {{
    // the bundle: from the cache (a rebuilt bundle is a new worker with a new cache);
    // a chunk not cached yet is fetched once and kept
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(url.href).then(
          (hit) =>
            hit ||
            fetch(request).then((response) => {{
              if (response.ok) cache.put(url.href, response.clone());
              return response;
            }}),
        ),
      ),
    );
  }} else if (request.mode === "navigate") {{
    // pages: from the network, kept for the next time there is none
    event.respondWith(
      fetch(request)
        .then((response) => {{
          const copy = response.clone();
          if (response.ok) caches.open(CACHE).then((cache) => cache.put(request, copy));
          return response;
        }})
        .catch(() => caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => hit || Response.error())),
    );
  }}
}});
"#
    )
}

/// The page a bundle opens with: the widget, searching this bundle.
fn index_html() -> &'static str {
    WIDGET_PAGE
}

/// A styled page (light or dark, as the visitor's system) with a favicon, so that its
/// console stays empty: the browser asks for no `/favicon.ico`. Its one inline style is
/// allowed by its hash in the CSP; after changing the style, put the new hash there:
/// `printf %s "<the style's text>" | openssl dgst -sha256 -binary | base64` (the
/// browser tests open this page and fail on a CSP error).
const WIDGET_PAGE: &str = r#"<!doctype html>
<!-- Generated by `scour build`: a page that searches this bundle. Serve the folder over HTTP. -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'sha256-oByK3Ipol5VO4l+4XvZlLlM4qYs+S+UptQ34QYyEupI='; img-src 'self' data:; connect-src 'self'">
<title>Search</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%234f46e5' stroke-width='2.5' stroke-linecap='round'%3E%3Ccircle cx='10.5' cy='10.5' r='6.5'/%3E%3Cpath d='M15.5 15.5 21 21'/%3E%3C/svg%3E">
<style>:root{color-scheme:light dark;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#14161c;background:#f7f7fb}
@media (prefers-color-scheme:dark){:root{color:#eceef3;background:#0e1015}}
body{margin:0}
main{max-width:720px;margin:0 auto;padding:10vh 20px 40px}
h1{margin:0 0 6px;font-size:28px;line-height:1.2;letter-spacing:-0.01em}
p{margin:0 0 24px;color:#6b7280}
</style>
<script type="module" src="scour-search.js"></script>
</head>
<body>
<main>
<h1>Search</h1>
<p>Search runs in your browser: what you type never leaves this page.</p>
<scour-search eager label="Search this site"></scour-search>
</main>
</body>
</html>
"#;

/// The file every bundle carries, listing every file scour wrote into the folder
/// (itself included), so a later build knows which files it may delete.
pub const MANIFEST_FILE: &str = "scour-manifest.json";

/// What a bundle held before bundles carried a manifest. A folder without a manifest
/// is replaced only if it holds the engine and nothing but these files.
pub const LEGACY_FILES: [&str; 7] = [
    "index.html",
    "scour-search.css",
    "scour-search.js",
    "scour-sw.js",
    "scour.js",
    "scour_engine.js",
    ENGINE_WASM_FILE,
];

/// Replaces the folder `out_dir` with one holding exactly `files` (`(name, bytes)`)
/// and the manifest [`MANIFEST_FILE`] listing them.
///
/// Names are relative, `/`-separated paths (`chunks/p0.bin`); the folders they need
/// are created. A name that is absolute, has an empty, `.` or `..` segment or a
/// backslash, or is given twice, is refused ([`BundleError::BadFileName`]) before
/// anything is written.
///
/// Everything is written into a sibling `<out_dir>.tmp-<pid>` first; only when that
/// succeeded is the old folder renamed aside, the new one renamed into place and the
/// old one removed. If anything fails the previous folder is kept (put back if it had
/// been moved) and the temporary one removed. A reader can see no folder during the
/// instant between the two renames, but never a half-written one.
///
/// Nothing scour did not write is ever deleted: an existing non-empty `out_dir` is
/// replaced only if every file and folder in it (recursively) is listed in its
/// manifest or is a folder holding listed files; a folder without a manifest (a bundle
/// of an older scour) only if it holds `scour_engine_bg.wasm` and nothing but
/// [`LEGACY_FILES`]. Otherwise the build is refused ([`BundleError::NotOurs`],
/// [`BundleError::BadManifest`]), as it is when `out_dir` is a file.
#[allow(dead_code)] // `scour build` writes through `write_bundle_from`; tests use this
pub fn replace_dir(
    out_dir: &Path,
    files: &[(&str, Cow<'_, [u8]>)],
) -> Result<BundleReport, BundleError> {
    check_names(files)?;
    Staging::begin(out_dir)?.finish(files, Vec::new())
}

/// A bundle folder being written: the sibling `<out_dir>.tmp-<pid>` of
/// [`replace_dir`], renamed into place by [`Staging::finish`] and removed when
/// dropped before.
pub struct Staging {
    /// The bundle folder, absolute.
    out_dir: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    /// Whether `out_dir` exists (and is ours to replace).
    exists: bool,
    /// Whether `tmp` has become `out_dir`.
    done: bool,
}

impl Staging {
    /// Checks that `out_dir` may be replaced and creates the temporary folder (see
    /// [`replace_dir`]).
    pub fn begin(out_dir: &Path) -> Result<Staging, BundleError> {
        let out_dir = std::path::absolute(out_dir).map_err(io_err("cannot resolve", out_dir))?;
        let (Some(parent), Some(name)) = (out_dir.parent(), out_dir.file_name()) else {
            return Err(BundleError::NotABundle { path: out_dir });
        };
        let name = name.to_string_lossy();
        let exists = match fs::symlink_metadata(&out_dir) {
            Ok(meta) if meta.is_dir() => {
                check_ours(&out_dir)?;
                true
            }
            Ok(_) => return Err(BundleError::NotABundle { path: out_dir }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => false,
            Err(err) => return Err(io_err("cannot read", &out_dir)(err)),
        };

        fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        let pid = run_id();
        let tmp = parent.join(format!("{name}.tmp-{pid}"));
        let old = parent.join(format!("{name}.old-{pid}"));
        // Leftovers of an earlier run that was killed and whose pid is reused: these
        // names are ours, but a folder of that name is removed only if it holds our
        // files alone.
        for leftover in [&tmp, &old] {
            if fs::symlink_metadata(leftover).is_ok_and(|m| m.is_dir()) {
                check_ours(leftover)?;
                fs::remove_dir_all(leftover).map_err(io_err("cannot remove", leftover))?;
            }
        }
        fs::create_dir(&tmp).map_err(io_err("cannot create", &tmp))?;
        Ok(Staging {
            out_dir,
            tmp,
            old,
            exists,
            done: false,
        })
    }

    /// The temporary folder.
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// Writes the manifest listing `names` (and itself) into the temporary folder.
    pub fn write_manifest<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
        fs::write(self.tmp.join(MANIFEST_FILE), manifest(names))
    }

    /// Removes `name`, a file or folder of the temporary folder, if it is there.
    pub fn remove(&self, name: &str) -> Result<(), BundleError> {
        let path = self.tmp.join(name);
        let removed = match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
            Ok(_) => fs::remove_file(&path),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        };
        removed.map_err(io_err("cannot remove", &path))
    }

    /// Writes the manifest, listing `files` and the files already `written`, then
    /// `files`, and puts the folder in the place of `out_dir`.
    pub fn finish(
        mut self,
        files: &[(&str, Cow<'_, [u8]>)],
        written: Vec<BundleFile>,
    ) -> Result<BundleReport, BundleError> {
        // The manifest goes first: a temporary folder left by a killed build then
        // carries it, so the next build may remove that folder (see the leftovers in
        // `begin`).
        let names = files.iter().map(|&(name, _)| name);
        let manifest = manifest(names.chain(written.iter().map(|f| f.name.as_str())));
        let mut all: Vec<(&str, Cow<'_, [u8]>)> = Vec::with_capacity(files.len() + 1);
        all.push((MANIFEST_FILE, Cow::Owned(manifest)));
        all.extend(
            files
                .iter()
                .map(|(name, bytes)| (*name, Cow::Borrowed(&**bytes))),
        );
        let mut listed = write_files(&self.tmp, &all)?;
        listed.extend(written);
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        let report = BundleReport {
            dir: self.out_dir.clone(),
            files: listed,
        };

        if !self.exists {
            fs::rename(&self.tmp, &self.out_dir)
                .map_err(io_err("cannot move the new bundle to", &self.out_dir))?;
            self.done = true;
            return Ok(report);
        }
        // rename(2) cannot replace a non-empty folder: move the old one aside first.
        fs::rename(&self.out_dir, &self.old).map_err(io_err("cannot move aside", &self.out_dir))?;
        if let Err(err) = fs::rename(&self.tmp, &self.out_dir) {
            let _ = fs::rename(&self.old, &self.out_dir);
            return Err(io_err("cannot move the new bundle to", &self.out_dir)(err));
        }
        self.done = true;
        // The new bundle is in place; a failure to delete the old copy loses nothing.
        let _ = fs::remove_dir_all(&self.old);
        Ok(report)
    }
}

impl Drop for Staging {
    /// A bundle that was not finished leaves nothing behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Refuses names that would write outside the bundle folder or that the manifest
/// could not name unambiguously.
fn check_names(files: &[(&str, Cow<'_, [u8]>)]) -> Result<(), BundleError> {
    let mut seen = std::collections::BTreeSet::new();
    for &(name, _) in files {
        let plain = !name.is_empty()
            && !name.contains(['\\', '\0'])
            && !Path::new(name).has_root()
            && name
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            // On Windows `C:x` is relative to a drive, not to the bundle folder.
            && Path::new(name)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain || name == MANIFEST_FILE || !seen.insert(name) {
            return Err(BundleError::BadFileName {
                name: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// The manifest of a bundle of `names` (the manifest is added): a JSON object whose
/// `files` are every path, sorted, one per line, so the same files give the same
/// bytes.
pub fn manifest<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let mut names: Vec<&str> = names.into_iter().collect();
    names.push(MANIFEST_FILE);
    names.sort_unstable();
    names.dedup();
    let list: Vec<String> = names
        .iter()
        .map(|name| format!("    {}", serde_json::Value::from(*name)))
        .collect();
    format!(
        "{{\n  \"generator\": \"scour\",\n  \"files\": [\n{}\n  ]\n}}\n",
        list.join(",\n")
    )
    .into_bytes()
}

/// The paths a folder's manifest lists, or `None` when it has none (an older bundle).
fn read_manifest(dir: &Path) -> Result<Option<Vec<String>>, BundleError> {
    let path = dir.join(MANIFEST_FILE);
    let bad = |why: String| BundleError::BadManifest {
        path: path.clone(),
        why,
    };
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => {}
        // A link or a folder under that name is not something scour writes.
        Ok(_) => return Err(bad("not a regular file".into())),
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(io_err("cannot read", &path)(err)),
    }
    let text = fs::read_to_string(&path).map_err(io_err("cannot read", &path))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
    let files = value
        .get("files")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| bad("no `files` list".into()))?;
    files
        .iter()
        .map(|f| {
            f.as_str()
                .map(str::to_owned)
                .ok_or_else(|| bad("a `files` entry is not a string".into()))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// Fails unless everything in `dir` is a file scour wrote there (listed in the
/// manifest, or a legacy bundle's file) or a folder on the way to one. Links and
/// other special files are never ours.
fn check_ours(dir: &Path) -> Result<(), BundleError> {
    let listed: Vec<String> = match read_manifest(dir)? {
        Some(listed) => listed,
        None if fs::symlink_metadata(dir.join(ENGINE_WASM_FILE)).is_ok_and(|m| m.is_file()) => {
            LEGACY_FILES.iter().map(|&f| f.to_owned()).collect()
        }
        // Not a bundle at all: nothing in it is ours.
        None => Vec::new(),
    };
    let files: std::collections::BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    let folders: std::collections::BTreeSet<&str> = listed
        .iter()
        .flat_map(|f| f.match_indices('/').map(move |(at, _)| &f[..at]))
        .collect();
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = entry.map_err(|err| {
            let path = err.path().unwrap_or(dir).to_path_buf();
            let source = err
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("cannot list the folder"));
            BundleError::Io {
                action: "cannot read",
                path,
                source,
            }
        })?;
        let rel: Vec<String> = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        let kind = entry.file_type();
        let ours = (kind.is_file() && files.contains(rel.as_str()))
            || (kind.is_dir() && folders.contains(rel.as_str()));
        if !ours {
            return Err(BundleError::NotOurs {
                dir: dir.to_path_buf(),
                file: if kind.is_dir() {
                    format!("{rel}/")
                } else {
                    rel
                },
            });
        }
    }
    Ok(())
}

/// `map_err` helper: an [`BundleError::Io`] for `action` on `path`.
pub fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> BundleError {
    let path = path.to_path_buf();
    move |source| BundleError::Io {
        action,
        path,
        source,
    }
}

/// Writes `files` into `dir` in the order given, creating the folders their names
/// need; reports them sorted by name.
fn write_files(
    dir: &Path,
    files: &[(&str, Cow<'_, [u8]>)],
) -> Result<Vec<BundleFile>, BundleError> {
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(folder) = path.parent().filter(|p| *p != dir) {
            fs::create_dir_all(folder).map_err(io_err("cannot create", folder))?;
        }
        fs::write(&path, bytes).map_err(|source| BundleError::Io {
            action: "cannot write",
            path,
            source,
        })?;
        written.push(BundleFile {
            name: (*name).to_owned(),
            bytes: bytes.len() as u64,
        });
    }
    written.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(written)
}

/// A data segment of the engine wasm, as found by the first pass.
struct Segment {
    /// The whole encoded segment, in the input.
    encoded: Range<usize>,
    /// Its bytes, in the input.
    data: Range<usize>,
    /// Where an active segment with a constant offset starts in memory.
    address: Option<u64>,
}

/// What [`patch_index`] needs to know about the engine before rewriting it.
struct Layout {
    memory: wasmparser::MemoryType,
    segments: Vec<Segment>,
}

/// Returns `engine` (a wasm module built from `crates/web`) with `index` placed inside,
/// where the engine's `index_bytes()` finds it. Sections other than memory, data count
/// and data are copied byte for byte.
pub fn patch_index(engine: &[u8], index: &[u8]) -> Result<Vec<u8>, PatchError> {
    if index.is_empty() {
        return Err(PatchError::EmptyIndex);
    }
    let layout = read_layout(engine)?;
    let memory = &layout.memory;
    if memory.memory64 {
        return Err(PatchError::UnsupportedMemory("64-bit"));
    }
    if memory.shared {
        return Err(PatchError::UnsupportedMemory("shared"));
    }
    if memory.page_size_log2.is_some_and(|log2| log2 != 16) {
        return Err(PatchError::UnsupportedMemory("of a custom page size"));
    }

    // The index goes where initial memory used to end: a page boundary past every
    // static, the stack and __heap_base.
    let base = memory.initial * WASM_PAGE;
    let len = index.len() as u64;
    let pages = memory.initial + len.div_ceil(WASM_PAGE);
    let max = memory.maximum.unwrap_or(MAX_PAGES).min(MAX_PAGES);
    if pages > max {
        return Err(PatchError::TooLarge { pages, max });
    }
    if let Some(segment) = layout.segments.iter().find(|s| {
        s.address
            .is_some_and(|address| address + (s.data.len() as u64) > base)
    }) {
        return Err(PatchError::InvalidWasm(format!(
            "a data segment at {:?} reaches past the initial memory",
            segment.address
        )));
    }

    // Both fit in u32: `pages <= 65536` pages is 4 GiB.
    let slot_value = slot_value(base as u32, len as u32);
    let (segment, at) = find_slot(engine, &layout.segments)?;
    let mut patched = engine.to_vec();
    let in_place = at + 16 <= segment.data.len();
    let slot_address = segment.address.unwrap_or(0) + at as u64 + 8;
    if in_place {
        let start = segment.data.start + at + 8;
        patched[start..start + 8].copy_from_slice(&slot_value);
    }
    // Otherwise wasm-opt trimmed the slot's zero words off the end of its segment (the
    // memory starts zeroed, so they were redundant): a segment of its own, applied
    // after the original one, writes them instead.
    let extra_segments = if in_place { 1 } else { 2 };

    let mut module = Module::new();
    let mut wrote_data = false;
    let new_data = |data: &mut DataSection| {
        data.active(
            0,
            &ConstExpr::i32_const(base as u32 as i32),
            index.iter().copied(),
        );
        if !in_place {
            data.active(
                0,
                &ConstExpr::i32_const(slot_address as u32 as i32),
                slot_value,
            );
        }
    };
    for payload in Parser::new(0).parse_all(engine) {
        match payload? {
            Payload::MemorySection(_) => {
                let mut section = MemorySection::new();
                section.memory(wasm_encoder::MemoryType {
                    minimum: pages,
                    maximum: memory.maximum,
                    memory64: false,
                    shared: false,
                    page_size_log2: None,
                });
                module.section(&section);
            }
            Payload::DataCountSection { count, .. } => {
                module.section(&DataCountSection {
                    count: count + extra_segments,
                });
            }
            Payload::DataSection(_) => {
                let mut data = DataSection::new();
                for segment in &layout.segments {
                    data.raw(&patched[segment.encoded.clone()]);
                }
                new_data(&mut data);
                module.section(&data);
                wrote_data = true;
            }
            payload => {
                if let Some((id, range)) = payload.as_section() {
                    module.section(&RawSection {
                        id,
                        data: &patched[to_usize(range)],
                    });
                }
            }
        }
    }
    if !wrote_data {
        // Unreachable for a real engine (its slot is in a data segment), kept so the
        // function is total. Custom sections may precede; that is valid.
        let mut data = DataSection::new();
        new_data(&mut data);
        module.section(&data);
    }
    let wasm = module.finish();
    // Cheap next to writing the file, and a broken engine must never reach a site.
    Validator::new()
        .validate_all(&wasm)
        .map_err(|err| PatchError::InvalidWasm(format!("after patching: {err}")))?;
    Ok(wasm)
}

/// The index [`patch_index`] placed in `wasm` (a copy of its bytes), found through the
/// engine's index slot as the engine itself finds it.
///
/// The whole module is validated first (its code included, as a browser compiles it):
/// an engine a browser would refuse is an error here too, not a bundle that inspects
/// as fine.
pub fn read_index(wasm: &[u8]) -> Result<Vec<u8>, PatchError> {
    Validator::new()
        .validate_all(wasm)
        .map_err(|err| PatchError::InvalidWasm(err.to_string()))?;
    let layout = read_layout(wasm).map_err(|err| match err {
        PatchError::NoMemory if wasm.len() <= 8 => PatchError::NotAnEngine(format!(
            "an empty WebAssembly module ({} bytes, the header alone: a truncated file)",
            wasm.len()
        )),
        PatchError::NoMemory => PatchError::NotAnEngine(format!(
            "a WebAssembly module of {} bytes that defines no memory (a replaced file)",
            wasm.len()
        )),
        err => err,
    })?;
    let (segment, at) = find_slot(wasm, &layout.segments)?;
    let slot_address = segment.address.unwrap_or(0) + at as u64 + 8;
    let slot = initial_memory(wasm, &layout.segments, slot_address, 8);
    let word = |i: usize| u32::from_le_bytes([slot[i], slot[i + 1], slot[i + 2], slot[i + 3]]);
    let (offset, len) = (u64::from(word(0)), u64::from(word(4)));
    if len == 0 {
        return Err(PatchError::NoIndex);
    }
    if offset + len > layout.memory.initial * WASM_PAGE {
        return Err(PatchError::InvalidWasm(format!(
            "its index slot points past the initial memory ({len} bytes at {offset})"
        )));
    }
    Ok(initial_memory(wasm, &layout.segments, offset, len as usize))
}

/// `len` bytes at `address` of the memory as instantiation leaves it: zeros, then
/// every active segment in order, later ones overwriting earlier ones.
fn initial_memory(wasm: &[u8], segments: &[Segment], address: u64, len: usize) -> Vec<u8> {
    let mut out = vec![0; len];
    let end = address + len as u64;
    for segment in segments {
        let Some(start) = segment.address else {
            continue;
        };
        let data = &wasm[segment.data.clone()];
        let (from, to) = (start.max(address), (start + data.len() as u64).min(end));
        if from < to {
            out[(from - address) as usize..(to - address) as usize]
                .copy_from_slice(&data[(from - start) as usize..(to - start) as usize]);
        }
    }
    out
}

/// `[offset, len]` as the slot's last two little-endian words.
fn slot_value(offset: u32, len: u32) -> [u8; 8] {
    let mut value = [0; 8];
    value[..4].copy_from_slice(&offset.to_le_bytes());
    value[4..].copy_from_slice(&len.to_le_bytes());
    value
}

fn to_usize(range: Range<u64>) -> Range<usize> {
    // wasmparser's offsets index the slice it was given, so they fit in usize.
    range.start as usize..range.end as usize
}

/// First pass: the memory and the data segments.
fn read_layout(engine: &[u8]) -> Result<Layout, PatchError> {
    let mut memory = None;
    let mut segments = Vec::new();
    for payload in Parser::new(0).parse_all(engine) {
        match payload? {
            Payload::Version { encoding, .. } if encoding != Encoding::Module => {
                return Err(PatchError::InvalidWasm(
                    "a component, not a core module".into(),
                ));
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import?.ty, TypeRef::Memory(_)) {
                        return Err(PatchError::UnsupportedMemory("imported"));
                    }
                }
            }
            Payload::MemorySection(reader) => {
                if reader.count() != 1 {
                    return Err(PatchError::UnsupportedMemory("not the only one"));
                }
                for ty in reader {
                    memory = Some(ty?);
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data?;
                    let encoded = to_usize(data.range.clone());
                    // The bytes end the segment's encoding.
                    let bytes = encoded.end - data.data.len()..encoded.end;
                    let address = match data.kind {
                        DataKind::Active {
                            memory_index: 0,
                            offset_expr,
                        } => {
                            let mut ops = offset_expr.get_operators_reader();
                            match (ops.read()?, ops.read()?) {
                                (Operator::I32Const { value }, Operator::End) => {
                                    Some(u64::from(value as u32))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    segments.push(Segment {
                        encoded,
                        data: bytes,
                        address,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(Layout {
        memory: memory.ok_or(PatchError::NoMemory)?,
        segments,
    })
}

/// Finds the one slot: the magic at a 4-byte aligned address in an active segment.
/// Returns the segment and the magic's position in its bytes.
fn find_slot<'a>(
    engine: &[u8],
    segments: &'a [Segment],
) -> Result<(&'a Segment, usize), PatchError> {
    let mut magic = [0u8; 8];
    magic[..4].copy_from_slice(&SLOT_MAGIC[0].to_le_bytes());
    magic[4..].copy_from_slice(&SLOT_MAGIC[1].to_le_bytes());
    let mut found = Vec::new();
    for segment in segments {
        let Some(address) = segment.address else {
            continue;
        };
        let bytes = &engine[segment.data.clone()];
        for (at, window) in bytes.windows(8).enumerate() {
            if window == magic && (address + at as u64) % 4 == 0 {
                found.push((segment, at));
            }
        }
    }
    match found.len() {
        0 => Err(PatchError::NoSlot),
        1 => Ok(found[0]),
        count => Err(PatchError::AmbiguousSlot { count }),
    }
}

/// What names this run's temporary folders: the process id, or under WASI (where there
/// is none: the CLI run by Node from the npm package) the clock's nanoseconds.
fn run_id() -> u32 {
    #[cfg(target_os = "wasi")]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    }
    #[cfg(not(target_os = "wasi"))]
    {
        std::process::id()
    }
}
