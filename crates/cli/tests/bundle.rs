//! The engine bundle: placing a site's index into the prebuilt engine wasm without
//! recompiling it, and writing the bundle folder.
//!
//! `scour-cli` is a binary crate, so the module is compiled into this test directly.

#[allow(dead_code)]
#[path = "../src/bundle.rs"]
mod bundle;
#[allow(dead_code)]
#[path = "../src/chunk_files.rs"]
mod chunk_files;
#[path = "../src/par.rs"]
mod par;

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};

use bundle::{
    patch_index, read_index, replace_dir, write_bundle, BundleError, PatchError, LEGACY_FILES,
    MANIFEST_FILE, SLOT_MAGIC, WASM_PAGE,
};
use wasm_encoder::{ConstExpr, DataCountSection, DataSection, MemorySection, MemoryType, Module};
use wasmparser::{DataKind, Operator, Parser, Payload, Validator, WasmFeatures};

/// An index stand-in: bytes that differ at every position, so a shifted copy shows.
fn fake_index(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// Wasm 2.0: what every current browser runs and what wasm-bindgen's output needs
/// (bulk memory, sign extension, reference types, multi-value, saturating conversions).
fn validate(wasm: &[u8]) {
    Validator::new_with_features(WasmFeatures::WASM2)
        .validate_all(wasm)
        .unwrap_or_else(|err| panic!("invalid wasm: {err}"));
}

/// A data segment of a module, as a test sees it.
#[derive(Debug)]
struct Seg {
    address: Option<u64>,
    bytes: Vec<u8>,
}

/// The memory's (initial, maximum) pages, the data segments and the data count.
fn inspect(wasm: &[u8]) -> ((u64, Option<u64>), Vec<Seg>, Option<u32>) {
    let (mut memory, mut segments, mut count) = (None, Vec::new(), None);
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.unwrap() {
            Payload::MemorySection(reader) => {
                let ty = reader.into_iter().next().unwrap().unwrap();
                memory = Some((ty.initial, ty.maximum));
            }
            Payload::DataCountSection { count: n, .. } => count = Some(n),
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.unwrap();
                    let address = match data.kind {
                        DataKind::Active { offset_expr, .. } => {
                            match offset_expr.get_operators_reader().read().unwrap() {
                                Operator::I32Const { value } => Some(u64::from(value as u32)),
                                _ => None,
                            }
                        }
                        DataKind::Passive => None,
                    };
                    segments.push(Seg {
                        address,
                        bytes: data.data.to_vec(),
                    });
                }
            }
            _ => {}
        }
    }
    (memory.expect("a memory"), segments, count)
}

/// The slot's `[offset, len]` as instantiation leaves memory (later segments win).
fn slot(wasm: &[u8]) -> (u32, u32) {
    let (_, segments, _) = inspect(wasm);
    let magic: Vec<u8> = SLOT_MAGIC.iter().flat_map(|w| w.to_le_bytes()).collect();
    let at = segments
        .iter()
        .find_map(|s| {
            let pos = s.bytes.windows(8).position(|w| w == magic)?;
            Some(s.address.unwrap() + pos as u64 + 8)
        })
        .expect("the slot magic");
    let mut value = [0u8; 8];
    for s in segments.iter().filter(|s| s.address.is_some()) {
        let start = s.address.unwrap();
        for (i, byte) in value.iter_mut().enumerate() {
            let address = at + i as u64;
            if address >= start && address < start + s.bytes.len() as u64 {
                *byte = s.bytes[(address - start) as usize];
            }
        }
    }
    let word = |i: usize| u32::from_le_bytes(value[i..i + 4].try_into().unwrap());
    (word(0), word(4))
}

/// A small module shaped like the engine: one memory, a slot in a data segment.
fn synthetic_engine(
    initial: u64,
    maximum: Option<u64>,
    slot_segments: &[&[u8]],
    data_count: bool,
) -> Vec<u8> {
    let mut memory = MemorySection::new();
    memory.memory(MemoryType {
        minimum: initial,
        maximum,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut data = DataSection::new();
    data.active(
        0,
        &ConstExpr::i32_const(16),
        b"some static text".iter().copied(),
    );
    for (i, bytes) in slot_segments.iter().enumerate() {
        data.active(
            0,
            &ConstExpr::i32_const(1024 * (i as i32 + 1)),
            bytes.iter().copied(),
        );
    }
    let mut module = Module::new();
    module.section(&memory);
    if data_count {
        module.section(&DataCountSection {
            count: 1 + slot_segments.len() as u32,
        });
    }
    module.section(&data);
    module.finish()
}

fn slot_bytes(offset: u32, len: u32) -> Vec<u8> {
    [SLOT_MAGIC[0], SLOT_MAGIC[1], offset, len]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect()
}

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bundle-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` (the widget's `lang/` too), named by its `/`-separated path.
fn folder_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), files);
            } else {
                files.push((name, fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files);
    files.sort();
    files
}

fn siblings(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_prebuilt_engine_is_wasm_2_and_carries_no_index() {
    let engine = bundle::engine_wasm();
    validate(engine);
    assert_eq!(
        slot(engine),
        (0, 0),
        "the engine must ship with an empty slot"
    );
    assert_eq!(read_index(engine), Err(PatchError::NoIndex));
}

#[test]
fn patching_the_engine_gives_a_valid_module_holding_the_index_at_the_slot() {
    let engine = bundle::engine_wasm();
    let ((initial, maximum), before, count_before) = inspect(engine);
    let index = fake_index(150_000);

    let patched = patch_index(engine, &index).unwrap();
    validate(&patched);

    let ((grown, max_after), after, count_after) = inspect(&patched);
    assert_eq!(grown, initial + 3, "150 000 bytes need 3 more pages");
    assert_eq!(max_after, maximum);
    assert_eq!(after.len(), before.len() + 1, "one segment appended");
    assert_eq!(count_after, count_before.map(|n| n + 1));

    let placed = after.last().unwrap();
    let base = initial * WASM_PAGE;
    assert_eq!(
        placed.address,
        Some(base),
        "the index starts where initial memory used to end"
    );
    assert_eq!(placed.bytes, index);
    assert_eq!(slot(&patched), (base as u32, index.len() as u32));
    assert_eq!(read_index(&patched).unwrap(), index);

    // Every other segment is unchanged except for the slot's two words.
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(old.address, new.address);
        assert_eq!(old.bytes.len(), new.bytes.len());
        let differing = old
            .bytes
            .iter()
            .zip(&new.bytes)
            .filter(|(a, b)| a != b)
            .count();
        assert!(differing <= 8, "only the slot's offset and length change");
    }
}

#[test]
fn memory_grows_by_whole_pages_for_the_index() {
    let engine = synthetic_engine(2, None, &[&slot_bytes(0, 0)], true);
    for (len, pages) in [(1, 1), (65_535, 1), (65_536, 1), (65_537, 2), (200_000, 4)] {
        let patched = patch_index(&engine, &fake_index(len)).unwrap();
        validate(&patched);
        assert_eq!(inspect(&patched).0 .0, 2 + pages, "index of {len} bytes");
        assert_eq!(slot(&patched), (2 * 65_536, len as u32));
    }
}

#[test]
fn a_slot_whose_zero_words_were_trimmed_is_written_by_a_segment_of_its_own() {
    // wasm-opt drops trailing zeros from data segments: the slot may end at its magic.
    let engine = synthetic_engine(1, None, &[&slot_bytes(0, 0)[..8]], false);
    let index = fake_index(1000);
    let patched = patch_index(&engine, &index).unwrap();
    validate(&patched);
    assert_eq!(slot(&patched), (65_536, 1000));
    assert_eq!(read_index(&patched).unwrap(), index);
}

#[test]
fn an_index_past_the_memory_maximum_is_refused() {
    let engine = synthetic_engine(1, Some(2), &[&slot_bytes(0, 0)], true);
    assert!(patch_index(&engine, &fake_index(65_536)).is_ok());
    assert_eq!(
        patch_index(&engine, &fake_index(65_537)),
        Err(PatchError::TooLarge { pages: 3, max: 2 })
    );
}

#[test]
fn a_damaged_or_truncated_engine_is_refused_by_name() {
    let index = fake_index(5000);
    let patched = patch_index(bundle::engine_wasm(), &index).unwrap();
    assert_eq!(read_index(&patched).unwrap(), index);
    // code a browser would refuse to compile, the memory and data intact
    let code = Parser::new(0)
        .parse_all(&patched)
        .find_map(|p| match p.unwrap() {
            Payload::CodeSectionStart {
                unchecked_range, ..
            } => Some(unchecked_range),
            _ => None,
        })
        .unwrap();
    let mut damaged = patched.clone();
    let mid = ((code.start + code.end) / 2) as usize;
    damaged[mid..mid + 16].fill(0xff);
    let e = read_index(&damaged).unwrap_err();
    assert!(matches!(e, PatchError::InvalidWasm(_)), "{e:?}");
    assert!(
        e.to_string().contains("not a valid WebAssembly module"),
        "{e}"
    );
    let e = read_index(b"garbage!").unwrap_err().to_string();
    assert!(e.contains("not a valid WebAssembly module"), "{e}");
    // the header alone is a valid, empty module: not an engine
    let e = read_index(&patched[..8]).unwrap_err().to_string();
    assert!(
        e.contains("not a valid scour engine") && e.contains("empty WebAssembly module (8 bytes"),
        "{e}"
    );
}

#[test]
fn modules_without_exactly_one_slot_are_refused() {
    let none = synthetic_engine(1, None, &[], true);
    assert_eq!(patch_index(&none, b"index"), Err(PatchError::NoSlot));
    let two = synthetic_engine(1, None, &[&slot_bytes(0, 0), &slot_bytes(0, 0)], true);
    assert_eq!(
        patch_index(&two, b"index"),
        Err(PatchError::AmbiguousSlot { count: 2 })
    );
    assert!(matches!(
        patch_index(b"not wasm", b"index"),
        Err(PatchError::InvalidWasm(_))
    ));
    assert_eq!(
        patch_index(bundle::engine_wasm(), b""),
        Err(PatchError::EmptyIndex)
    );
}

#[test]
fn write_bundle_writes_a_servable_folder_and_reports_its_files() {
    let dir = scratch("servable").join("search");
    let index = fake_index(5000);
    let report = write_bundle(&index, &dir).unwrap();

    let names: Vec<&str> = report.files.iter().map(|f| f.name.as_str()).collect();
    for name in [
        "index.html",
        "scour.js",
        "scour-worker.js",
        "scour_engine.js",
        "scour_engine_bg.wasm",
        "scour-search.js",
        "lang/de.js",
        "lang/ru.js",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let on_disk = folder_contents(&dir);
    assert_eq!(on_disk.len(), report.files.len());
    for ((name, bytes), file) in on_disk.iter().zip(&report.files) {
        assert_eq!((name, bytes.len() as u64), (&file.name, file.bytes));
    }
    assert_eq!(
        report.total_bytes(),
        on_disk.iter().map(|(_, b)| b.len() as u64).sum::<u64>()
    );
    let wasm = fs::read(dir.join("scour_engine_bg.wasm")).unwrap();
    assert_eq!(read_index(&wasm).unwrap(), index);
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains("scour"), "the page loads scour");
    // a bundle written inside a site folder must not be indexed by the next build
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    // the service worker precaches every other file of the bundle
    let worker = fs::read_to_string(dir.join("scour-sw.js")).unwrap();
    for (name, _) in &on_disk {
        if name != "scour-sw.js" && name != MANIFEST_FILE {
            assert!(
                worker.contains(&format!("\"./{name}\"")),
                "scour-sw.js misses {name}"
            );
        }
    }
}

#[test]
fn the_service_worker_cache_changes_with_the_index() {
    let cache_of = |name: &str, len: usize| {
        let out = scratch(name).join("search");
        write_bundle(&fake_index(len), &out).unwrap();
        let worker = fs::read_to_string(out.join("scour-sw.js")).unwrap();
        worker
            .lines()
            .find(|l| l.starts_with("const CACHE"))
            .unwrap()
            .to_string()
    };
    assert_eq!(cache_of("sw-a", 100), cache_of("sw-b", 100));
    assert_ne!(cache_of("sw-c", 100), cache_of("sw-d", 101));
}

#[test]
fn write_bundle_is_deterministic() {
    let root = scratch("deterministic");
    let index = fake_index(70_000);
    write_bundle(&index, &root.join("a")).unwrap();
    write_bundle(&index, &root.join("b")).unwrap();
    assert_eq!(
        folder_contents(&root.join("a")),
        folder_contents(&root.join("b"))
    );
}

#[test]
fn a_new_bundle_replaces_the_old_one_whole() {
    let root = scratch("replace");
    let dir = root.join("search");
    // A bundle with files the next one does not have, in a subfolder too.
    let files = [
        ("stale.js", Cow::Borrowed(&b"from an older scour"[..])),
        ("chunks/p0.bin", Cow::Borrowed(&b"old chunk"[..])),
    ];
    replace_dir(&dir, &files).unwrap();

    let index = fake_index(200);
    write_bundle(&index, &dir).unwrap();
    assert!(
        !dir.join("stale.js").exists() && !dir.join("chunks").exists(),
        "the folder is replaced, not merged"
    );
    assert_eq!(
        read_index(&fs::read(dir.join("scour_engine_bg.wasm")).unwrap()).unwrap(),
        index
    );
    assert_eq!(
        siblings(&root),
        ["search"],
        "no temporary folders left behind"
    );
}

#[test]
fn a_failed_write_keeps_the_old_bundle() {
    let root = scratch("failed-write");
    let dir = root.join("search");
    write_bundle(&fake_index(100), &dir).unwrap();
    let before = folder_contents(&dir);

    // A file that cannot be written (its folder's place is taken by a file) fails
    // halfway through.
    let files = [
        ("a.txt", Cow::Borrowed(&b"new"[..])),
        ("a.txt/b.txt", Cow::Borrowed(&b"new"[..])),
    ];
    let err = replace_dir(&dir, &files).unwrap_err();
    assert!(matches!(err, BundleError::Io { .. }), "{err}");
    assert_eq!(folder_contents(&dir), before);
    assert_eq!(
        siblings(&root),
        ["search"],
        "the temporary folder is removed"
    );

    // The temporary folder's place is taken by a file: nothing can be written at all.
    let blocker = root.join(format!("search.tmp-{}", std::process::id()));
    fs::write(&blocker, "in the way").unwrap();
    assert!(write_bundle(&fake_index(300), &dir).is_err());
    assert_eq!(folder_contents(&dir), before);
    fs::remove_file(blocker).unwrap();
}

#[test]
fn a_folder_that_is_not_a_bundle_is_never_replaced() {
    let root = scratch("not-a-bundle");
    let site = root.join("site");
    fs::create_dir(&site).unwrap();
    fs::write(site.join("index.html"), "<h1>my site</h1>").unwrap();

    let err = write_bundle(&fake_index(100), &site).unwrap_err();
    assert!(
        matches!(&err, BundleError::NotOurs { file, .. } if file == "index.html"),
        "{err}"
    );
    assert_eq!(
        folder_contents(&site),
        [("index.html".to_owned(), b"<h1>my site</h1>".to_vec())]
    );

    let file = root.join("file");
    fs::write(&file, "x").unwrap();
    assert!(matches!(
        write_bundle(&fake_index(100), &file),
        Err(BundleError::NotABundle { .. })
    ));

    // An empty folder is fine.
    let empty = root.join("empty");
    fs::create_dir(&empty).unwrap();
    write_bundle(&fake_index(100), &empty).unwrap();
}

/// The files scour wrote into `dir`, from its manifest.
fn manifest_files(dir: &Path) -> Vec<String> {
    let text = fs::read_to_string(dir.join(MANIFEST_FILE)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect()
}

/// Every file under `dir`, relative and `/`-separated, sorted.
fn all_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_manifest_lists_every_file_written_sorted_and_itself() {
    let dir = scratch("manifest").join("search");
    let report = write_bundle(&fake_index(100), &dir).unwrap();
    let listed = manifest_files(&dir);
    assert_eq!(listed, all_files(&dir));
    assert!(listed.contains(&MANIFEST_FILE.to_owned()));
    let reported: Vec<String> = report.files.iter().map(|f| f.name.clone()).collect();
    assert_eq!(listed, reported, "the report names the same files");

    // Whatever the caller writes, subfolders included.
    let files = [
        ("z.js", Cow::Borrowed(&b"z"[..])),
        ("chunks/p0-1a2b3c4d.bin", Cow::Borrowed(&b"chunk"[..])),
        ("a.js", Cow::Borrowed(&b"a"[..])),
    ];
    replace_dir(&dir, &files).unwrap();
    assert_eq!(
        manifest_files(&dir),
        [
            "a.js",
            "chunks/p0-1a2b3c4d.bin",
            "scour-manifest.json",
            "z.js"
        ]
    );
    assert_eq!(all_files(&dir), manifest_files(&dir));
    assert_eq!(
        fs::read(dir.join("chunks/p0-1a2b3c4d.bin")).unwrap(),
        b"chunk"
    );
    // and a bundle with subfolders is replaced by the next build
    write_bundle(&fake_index(100), &dir).unwrap();
    assert!(!dir.join("chunks").exists());
}

#[test]
fn a_file_scour_did_not_write_is_never_deleted() {
    let root = scratch("not-ours");
    let dir = root.join("search");
    for (path, what) in [
        ("notes.md", "notes.md"),
        ("drafts/todo.txt", "drafts/"),
        ("chunks/mine.bin", "chunks/mine.bin"),
    ] {
        let _ = fs::remove_dir_all(&dir);
        let files = [("chunks/p0.bin", Cow::Borrowed(&b"ours"[..]))];
        replace_dir(&dir, &files).unwrap();
        let user_file = dir.join(path);
        fs::create_dir_all(user_file.parent().unwrap()).unwrap();
        fs::write(&user_file, "mine").unwrap();
        let before = all_files(&dir);

        let err = write_bundle(&fake_index(200), &dir).unwrap_err();
        assert!(
            matches!(&err, BundleError::NotOurs { file, .. } if file == what),
            "{path}: {err}"
        );
        let message = err.to_string();
        assert!(
            message.contains(what) && message.contains("empty or new folder"),
            "{message}"
        );
        assert_eq!(all_files(&dir), before, "{path}: nothing was touched");
        assert_eq!(siblings(&root), ["search"]);
    }

    // An empty folder of someone's is not ours either.
    let _ = fs::remove_dir_all(&dir);
    write_bundle(&fake_index(100), &dir).unwrap();
    fs::create_dir(dir.join("images")).unwrap();
    assert!(matches!(
        write_bundle(&fake_index(100), &dir),
        Err(BundleError::NotOurs { file, .. }) if file == "images/"
    ));
}

#[test]
fn a_folder_whose_manifest_is_not_scours_is_not_replaced() {
    let dir = scratch("bad-manifest").join("search");
    write_bundle(&fake_index(100), &dir).unwrap();
    fs::write(dir.join(MANIFEST_FILE), "not json").unwrap();
    assert!(matches!(
        write_bundle(&fake_index(100), &dir),
        Err(BundleError::BadManifest { .. })
    ));
    assert!(dir.join(MANIFEST_FILE).is_file());
}

#[cfg(unix)]
#[test]
fn a_link_in_the_bundle_folder_is_not_ours() {
    let root = scratch("link-in-bundle");
    let dir = root.join("search");
    write_bundle(&fake_index(100), &dir).unwrap();
    fs::write(root.join("elsewhere.txt"), "x").unwrap();
    // even under a name the manifest lists
    fs::remove_file(dir.join("scour.js")).unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere.txt"), dir.join("scour.js")).unwrap();
    assert!(matches!(
        write_bundle(&fake_index(100), &dir),
        Err(BundleError::NotOurs { file, .. }) if file == "scour.js"
    ));
}

#[test]
fn a_bundle_of_an_older_scour_is_replaced_only_if_it_holds_its_files_alone() {
    let root = scratch("legacy");
    let legacy = |name: &str, extra: &[&str]| {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        for file in LEGACY_FILES.iter().chain(extra) {
            fs::write(dir.join(file), "old").unwrap();
        }
        dir
    };
    let dir = legacy("plain", &[]);
    write_bundle(&fake_index(100), &dir).unwrap();
    assert!(dir.join(MANIFEST_FILE).is_file());

    let dir = legacy("extra", &["notes.md"]);
    assert!(matches!(
        write_bundle(&fake_index(100), &dir),
        Err(BundleError::NotOurs { file, .. }) if file == "notes.md"
    ));
    assert!(dir.join("notes.md").is_file());

    // Without the engine, `index.html` and friends are someone's site.
    let dir = legacy("no-engine", &[]);
    fs::remove_file(dir.join("scour_engine_bg.wasm")).unwrap();
    assert!(matches!(
        write_bundle(&fake_index(100), &dir),
        Err(BundleError::NotOurs { .. })
    ));
    assert!(dir.join("index.html").is_file());
}

#[test]
fn names_outside_the_bundle_folder_are_refused_before_anything_is_written() {
    let root = scratch("bad-names");
    let dir = root.join("search");
    for name in [
        "",
        "/etc/x",
        "../x",
        "a/../../x",
        "a/./b",
        "a//b",
        "a/",
        "a\\b",
        MANIFEST_FILE,
    ] {
        let files = [
            ("ok.js", Cow::Borrowed(&b"x"[..])),
            (name, Cow::Borrowed(&b"x"[..])),
        ];
        assert!(
            matches!(
                replace_dir(&dir, &files),
                Err(BundleError::BadFileName { .. })
            ),
            "{name:?}"
        );
        assert_eq!(siblings(&root), Vec::<String>::new(), "{name:?}");
    }
    let twice = [
        ("a.js", Cow::Borrowed(&b"x"[..])),
        ("a.js", Cow::Borrowed(&b"y"[..])),
    ];
    assert!(matches!(
        replace_dir(&dir, &twice),
        Err(BundleError::BadFileName { .. })
    ));
}

#[test]
fn a_leftover_temporary_folder_is_removed_only_if_it_holds_our_files() {
    let root = scratch("leftover");
    let dir = root.join("search");
    let leftover = root.join(format!("search.tmp-{}", std::process::id()));
    fs::create_dir(&leftover).unwrap();
    fs::write(leftover.join("thesis.md"), "years of work").unwrap();
    assert!(matches!(
        write_bundle(&fake_index(100), &dir),
        Err(BundleError::NotOurs { .. })
    ));
    assert!(leftover.join("thesis.md").is_file());
    fs::remove_dir_all(&leftover).unwrap();

    // What a killed build leaves (the manifest is written first) is removed.
    fs::create_dir(&leftover).unwrap();
    fs::write(leftover.join(MANIFEST_FILE), bundle::manifest(["scour.js"])).unwrap();
    fs::write(leftover.join("scour.js"), "half").unwrap();
    write_bundle(&fake_index(100), &dir).unwrap();
    assert_eq!(siblings(&root), ["search"]);
}

/// A lazy bundle written from an index in a file, each chunk file written as the index
/// is cut, is the one written from the same index in memory, and holds no temporary
/// file.
#[test]
fn a_lazy_bundle_from_a_file_is_the_one_from_memory() {
    use bundle::{write_bundle_from, write_bundle_with, IndexLayout};
    use chunk_files::IndexSource;
    use std::io::Write;
    let mut builder = scour_index::IndexBuilder::new();
    for i in 0..400 {
        builder.add(scour_index::Document {
            id: format!("e{i}"),
            url: format!("/e{i}"),
            title: format!("Entry {i}"),
            body: format!("Entry {i} says word{} and word{}.", i % 37, i * 7 % 101),
            ..Default::default()
        });
    }
    let index = builder.finish().unwrap();
    let root = scratch("from-a-file");
    let (memory, streamed) = (root.join("memory"), root.join("file"));
    let in_memory = write_bundle_with(&index, &memory, IndexLayout::Lazy).unwrap();
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(&index).unwrap();
    let file = std::sync::Mutex::new(file);
    let from_file =
        write_bundle_from(IndexSource::File(&file), &streamed, IndexLayout::Lazy).unwrap();
    assert_eq!(folder_contents(&memory), folder_contents(&streamed));
    assert_eq!(in_memory.files, from_file.files);
    assert!(from_file
        .files
        .iter()
        .any(|f| f.name.starts_with("chunks/pack-")));
    assert_eq!(manifest_files(&streamed), all_files(&streamed));
    assert_eq!(siblings(&root), ["file", "memory"]);
}

#[test]
fn a_large_index_is_searched_in_a_worker_by_default() {
    use bundle::{scour_js, SCOUR_JS};
    // the line the build rewrites is in scour.js, once
    assert_eq!(SCOUR_JS.matches("const LARGE_INDEX = false;").count(), 1);
    assert_eq!(scour_js(2, 5000, None), SCOUR_JS);
    for (docs, bytes) in [(10_000, 5000), (2, 8 << 20)] {
        let js = scour_js(docs, bytes, None);
        assert!(
            js.contains("const LARGE_INDEX = true;"),
            "{docs} documents, {bytes} bytes"
        );
        assert_eq!(js.len() + 1, SCOUR_JS.len());
    }
}

#[test]
fn a_lazy_index_names_its_pack_in_scour_js() {
    use bundle::{scour_js, SCOUR_JS};
    assert_eq!(SCOUR_JS.matches("const PACK = null;").count(), 1);
    let js = scour_js(2, 5000, Some("chunks/pack-0a1b2c3d.bin"));
    assert!(js.contains("const PACK = \"chunks/pack-0a1b2c3d.bin\";"));
    assert!(!js.contains("const PACK = null;"));
}

/// `scour build` reads documents into a temporary file, counts stubs and breadcrumbs as
/// they pass, and analyses on a second thread; its index must be the one built from
/// every document held in memory (`load`, `link_parents`, `IndexBuilder::add`).
#[test]
fn scour_build_indexes_what_an_in_memory_build_indexes() {
    use scour_index::source::{load, SourceOptions};
    let dir = tempfile::tempdir().unwrap();
    // more records than the reader hands on at a time, stubs (a notice on one page in
    // a hundred and at least ten) and pages under folder pages
    let mut lines = Vec::new();
    for i in 0..6_000 {
        let body = match i % 90 {
            0 => "This page has moved.".to_owned(),
            _ => format!("Entry {i} says something of its own, number {}.", i % 37),
        };
        let url = match i % 50 {
            0 => format!("/part{}/", i / 50),
            _ => format!("/part{}/page{i}.html", i / 50),
        };
        lines.push(serde_json::json!({"id": format!("e{i}"), "url": url, "title": format!("Entry {i}"), "body": body}).to_string());
    }
    let records = dir.path().join("records.jsonl");
    fs::write(&records, lines.join("\n")).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let roots = vec![records, fixtures.join("sites"), fixtures.join("text")];

    let out = dir.path().join("bundle");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_scour"));
    command.arg("build").args(&roots).arg("--out").arg(&out);
    let run = command.args(["--layout", "single", "-q"]).output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let built = bundle::read_index(&fs::read(out.join(bundle::ENGINE_WASM_FILE)).unwrap()).unwrap();

    let mut loaded = load(&roots, &SourceOptions::default());
    assert!(loaded.documents.iter().filter(|d| d.stub).count() >= 60);
    scour_index::link_parents(&mut loaded.documents);
    let mut builder = scour_index::IndexBuilder::new();
    for doc in loaded.documents {
        builder.add(doc);
    }
    assert!(built == builder.finish().unwrap(), "the indexes differ");
}

/// `PREFETCH` in a lazy bundle's `scour.js` places each dictionary chunk where the
/// engine's table does (id, pack offset, deflated length, first key): a search started
/// while the engine downloads fetches what the engine will ask for.
#[test]
fn a_lazy_index_gives_scour_js_its_dictionary_chunks() {
    use scour_format::chunks::{first_key, split, ChunkKind, ChunkTable, Plan};
    use scour_format::{Container, SectionKind};
    // letters for a number, and its forms: stems with several words each
    let word = |mut n: usize, form: usize| {
        let mut w = String::new();
        for _ in 0..4 {
            w.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        w + ["", "s", "ing", "ed"][form % 4]
    };
    let mut b = scour_index::IndexBuilder::new();
    for d in 0..400 {
        b.add(scour_index::Document {
            id: format!("d{d}"),
            url: format!("/d{d}"),
            title: format!("page {}", word(d * 7919 % 1000, d)),
            body: (0..60)
                .map(|i| word((d * 31 + i * 17) % 3000, i + d))
                .collect::<Vec<_>>()
                .join(" "),
            ..Default::default()
        });
    }
    let index = b.finish().unwrap();
    let plan = Plan {
        max_files: 20,
        target: 512,
        max_chunks: 2048,
    };
    let split = split(&index, plan).unwrap();
    let line = bundle::prefetch_line(&split.core).expect("a lazy core");
    let json = line
        .strip_prefix("const PREFETCH = ")
        .and_then(|l| l.strip_suffix(';'))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let c = Container::open(&split.core[..]).unwrap();
    let table = ChunkTable::read(c.section(SectionKind::Chunks).unwrap()).unwrap();
    let keys = c.section(SectionKind::ChunkKeys).unwrap();
    let offsets = table.pack_offsets().unwrap();
    let keyed = table.count(ChunkKind::Terms) + table.count(ChunkKind::Stems);
    assert_eq!(v["docs"], 400);
    assert_eq!(v["bytes"], split.core.len());
    assert!(table.aligned(), "terms and postings are cut alike");
    for (name, kind, keys_from) in [
        ("terms", ChunkKind::Terms, Some(0)),
        ("postings", ChunkKind::Postings, None),
        (
            "stems",
            ChunkKind::Stems,
            Some(table.count(ChunkKind::Terms)),
        ),
    ] {
        let k = &v[name];
        let start = table.start(kind);
        assert!(table.count(kind) > 1, "{name}: several chunks");
        assert_eq!(k[0], start, "{name}: first id");
        assert_eq!(k[1], offsets[start as usize], "{name}: pack offset");
        let lens = k[2].as_array().unwrap();
        assert_eq!(lens.len() as u32, table.count(kind));
        for (i, len) in lens.iter().enumerate() {
            let id = start as usize + i;
            assert_eq!(len, offsets[id + 1] - offsets[id], "{name} {i}: length");
            if let Some(from) = keys_from {
                let key = first_key(keys, keyed, from + i as u32).unwrap();
                assert_eq!(
                    k[3][i],
                    std::str::from_utf8(key).unwrap(),
                    "{name} {i}: key"
                );
            }
        }
        // each of these chunks' fallback file, named as scour.js names it (a word's
        // postings from its terms chunk's file)
        let files = if name == "postings" { "terms" } else { name };
        let [pre, first, firsts] = [0, 1, 2].map(|i| &v["files"][files][i]);
        let firsts: Vec<u64> = firsts
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_u64().unwrap())
            .collect();
        for i in 0..table.count(kind) {
            let n = firsts.partition_point(|&f| f <= u64::from(i)) - 1;
            let file = first.as_u64().unwrap() + n as u64;
            let named = format!(
                "{}{file}{}",
                pre.as_str().unwrap(),
                v["files"]["end"].as_str().unwrap()
            );
            let id = start + i;
            assert_eq!(
                table.file_of(id),
                Some(file as u32),
                "{name}: chunk {id}'s file"
            );
            assert_eq!(
                Some(named),
                table.file_name(file as u32),
                "{name}: file {file}"
            );
            assert!(table.file_chunks(file as u32).unwrap().contains(&id));
        }
    }
    assert!(v["files"]["postings"].is_null(), "in the terms files");
    // the dictionary files hold several stems chunks between them
    let stem_files = &v["files"]["stems"][2].as_array().unwrap();
    assert!(stem_files.last().unwrap().as_u64().unwrap() > 0);
    // a single-file bundle has none
    assert_eq!(bundle::prefetch_line(&index), None);
    assert_eq!(
        bundle::SCOUR_JS.matches("const PREFETCH = null;").count(),
        1
    );
}
