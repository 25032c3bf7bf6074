//! The lazy layout answers exactly as the whole index does, asks only for the chunks a
//! query needs, in few rounds, and refuses chunks that are not its own.
#![cfg(not(target_arch = "wasm32"))]

use scour_format::chunks::{split, ChunkKind, ChunkTable, Plan, Split};
use scour_format::SectionKind;
use scour_index::{Document, Heading, IndexBuilder};
use scour_query::{Index, Lookup, SearchOptions};

/// A site of 600 pages with shared and rare words, headings and a few long pages, in
/// the words of the seeds (deterministic).
fn site() -> Vec<u8> {
    let seeds: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let words: Vec<&str> = seeds
        .iter()
        .flat_map(|s| s.split_whitespace())
        .filter(|w| w.chars().all(char::is_alphabetic) && w.len() > 2)
        .collect();
    let mut b = IndexBuilder::new();
    let mut x = 0x9E37_79B9u32;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as usize % n
    };
    for d in 0..600 {
        let len = if d % 97 == 0 { 3000 } else { 40 + next(200) };
        let body: Vec<&str> = (0..len).map(|_| words[next(words.len())]).collect();
        let title: Vec<&str> = (0..1 + next(4)).map(|_| words[next(words.len())]).collect();
        b.add(Document {
            id: format!("d{d}"),
            url: format!("/d{d}"),
            title: title.join(" "),
            headings: vec![Heading {
                text: format!("Part {}", words[next(words.len())]),
                anchor: Some(format!("p{d}")),
                offset: Some(0),
            }],
            body: body.join(" "),
            ..Default::default()
        });
    }
    b.finish().unwrap()
}

fn lazy(split: &Split) -> Index<Vec<u8>> {
    Index::open(split.core.clone()).unwrap()
}

/// Searches a lazy index the way scour.js does: `give` hands it each chunk it asks for
/// (one given already with an earlier chunk of its file is skipped), and it is asked
/// again. Returns the results and the rounds of fetches it took.
fn answer(
    index: &mut Index<Vec<u8>>,
    q: &str,
    mut give: impl FnMut(&mut Index<Vec<u8>>, u32),
) -> (String, usize) {
    let options = SearchOptions::default();
    for round in 0..8 {
        match index.try_search(q, &options) {
            Lookup::Done(r) => return (r.to_json(), round),
            Lookup::Need(ids) => {
                assert!(!ids.is_empty());
                for &id in &ids {
                    assert!(!index.has_chunk(id), "{q:?} asked again for chunk {id}");
                }
                for id in ids {
                    if !index.has_chunk(id) {
                        give(index, id);
                        assert!(index.has_chunk(id));
                    }
                }
            }
        }
    }
    panic!("{q:?} still needs chunks after 8 rounds");
}

/// [`answer`], each chunk given on its own.
fn search_lazy(index: &mut Index<Vec<u8>>, split: &Split, q: &str) -> (String, usize) {
    answer(index, q, |index, id| {
        let name = index.chunk_name(id).unwrap();
        let bytes = split.chunks.iter().find(|c| c.0 == name).unwrap().1.clone();
        index.add_chunk(id, bytes).unwrap();
    })
}

const QUERIES: &[&str] = &[
    "qr codes",
    "kagarlitsky",
    "Kagarlisky",
    "agarlitsky",
    "k",
    "qr c",
    "vaccinated",
    "control",
    "\"total control\"",
    "opposition -qr",
    "qr-code",
    "the",
    "russia gov",
    "sanct",
    "zzzz",
    "",
];

#[test]
fn lazy_answers_are_the_whole_index_answers() {
    let bytes = site();
    let whole = Index::open(&bytes[..]).unwrap();
    let plan = Plan {
        max_files: 40,
        target: 2 << 10,
        max_chunks: 2048,
    };
    same_answers(&whole, &bytes, plan);
}

fn same_answers(whole: &Index<&[u8]>, bytes: &[u8], plan: Plan) {
    let split = split(bytes, plan).unwrap();
    assert!(split.chunks.len() > 10 && split.files().unwrap().len() <= 41);
    for q in QUERIES {
        // a fresh index per query: each starts with no chunk
        let mut index = lazy(&split);
        assert!(index.is_lazy());
        let (answer, rounds) = search_lazy(&mut index, &split, q);
        let expected = whole.search(q, &SearchOptions::default());
        assert_eq!(answer, expected.to_json(), "{q:?}");
        if ["qr codes", "control", "Kagarlisky"].contains(q) {
            assert!(expected.hits.len() >= 3, "{q:?}: {}", expected.hits.len());
        }
        // the dictionary pieces of its words with their postings (which carry the
        // lengths BM25 needs), those of the other forms of their stems, then the
        // documents shown; a misspelt word takes one more (the rest of the dictionary,
        // once its own piece shows it is not there), and a phrase may take more
        let misspelt = ["Kagarlisky", "agarlitsky"].contains(q);
        let most = 3 + usize::from(misspelt);
        if !q.contains('"') && !q.contains('-') {
            assert!(rounds <= most, "{q:?} took {rounds} rounds");
        }
    }
}

#[test]
fn a_query_fetches_a_few_chunks_not_the_index() {
    let bytes = site();
    let split = split(
        &bytes,
        Plan {
            max_files: 60,
            target: 1 << 10,
            max_chunks: 2048,
        },
    )
    .unwrap();
    let mut index = lazy(&split);
    // the first round asks for the dictionary chunk of the word (and of its stem),
    // not for the whole dictionary as typo matching would
    let fine = scour_format::chunks::split(
        &bytes,
        Plan {
            max_files: 400,
            target: 256,
            max_chunks: 4096,
        },
    )
    .unwrap();
    let terms = fine.of_kind(ChunkKind::Terms).len();
    assert!(terms > 3, "{terms}");
    let Lookup::Need(first) = lazy(&fine).try_search("kagarlitsky", &SearchOptions::default())
    else {
        panic!("a lazy index with no chunk cannot answer");
    };
    // its dictionary chunk, the postings chunk of the same terms, and a stems chunk
    assert!(first.len() <= 3, "{first:?} of {terms} terms chunks");
    search_lazy(&mut index, &split, "kagarlitsky");
    let have = (0..index.chunk_count())
        .filter(|&id| index.has_chunk(id))
        .count();
    assert!(
        have > 0 && have * 3 < split.chunks.len(),
        "{have} of {}",
        split.chunks.len()
    );
    // a second query reuses what is there
    let (_, rounds) = search_lazy(&mut index, &split, "kagarlitsky");
    assert_eq!(rounds, 0);
}

#[test]
fn chunks_that_are_not_the_index_own_are_refused() {
    let bytes = site();
    let split = split(&bytes, Plan::for_docs(600)).unwrap();
    let mut index = lazy(&split);
    let (name, good) = &split.chunks[0];
    let mut bad = good.clone();
    bad[good.len() / 2] ^= 1;
    let e = index.add_chunk(0, bad).unwrap_err().to_string();
    assert!(e.contains(name.as_str()) && e.contains("checksum"), "{e}");
    assert!(!index.has_chunk(0));
    let e = index
        .add_chunk(0, good[1..].to_vec())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(name.as_str()) && e.contains("partial upload"),
        "{e}"
    );
    // another chunk's bytes under this id
    let other = split.chunks[1].1.clone();
    assert!(index.add_chunk(0, other).is_err());
    assert!(index.add_chunk(99_999, good.clone()).is_err());
    index.add_chunk(0, good.clone()).unwrap();
    assert!(index.has_chunk(0));
}

#[test]
fn the_default_plan_keeps_within_the_file_limit() {
    let bytes = site();
    let split = split(&bytes, Plan::for_docs(600)).unwrap();
    let files = split.files().unwrap();
    // one file per 50 documents, and the pack
    assert!(files.len() <= 12 + 1, "{}", files.len());
    assert!(
        split.chunks.len() > files.len(),
        "chunks are finer than files"
    );
    let names: std::collections::BTreeSet<_> = files.iter().map(|c| &c.0).collect();
    assert_eq!(names.len(), files.len(), "file names are unique");
    assert!(files
        .iter()
        .all(|(n, _)| n.starts_with("chunks/") && n.ends_with(".bin")));
    assert_eq!(
        files
            .iter()
            .filter(|f| f.0.starts_with("chunks/pack-"))
            .count(),
        1
    );
    // the same index splits into the same bytes
    let again = scour_format::chunks::split(&bytes, Plan::for_docs(600)).unwrap();
    assert_eq!(again.core, split.core);
    assert_eq!(again.chunks, split.chunks);
    assert_eq!(again.files().unwrap(), files);
}

/// Cutting an index read a part at a time (as `scour build` cuts the file it wrote
/// the index to) gives what cutting it in memory gives, chunk for chunk.
#[test]
fn an_index_read_in_parts_splits_as_one_in_memory() {
    use scour_format::chunks::{split_into, Chunk, ChunkSink};
    use scour_format::stream::StreamError;
    struct Kept(u32, Vec<Chunk>);
    impl ChunkSink for Kept {
        fn start(&mut self, files: u32) -> std::io::Result<()> {
            self.0 = files;
            Ok(())
        }
        fn chunk(&mut self, chunk: Chunk) -> std::io::Result<()> {
            self.1.push(chunk);
            Ok(())
        }
    }
    let bytes = site();
    let plan = Plan::for_docs(600);
    let whole = split(&bytes, plan).unwrap();
    let mut kept = Kept(0, Vec::new());
    let core = split_into(std::io::Cursor::new(&bytes), plan, &mut kept).unwrap();
    assert_eq!(core, whole.core);
    assert_eq!(kept.1.len(), whole.chunks.len());
    let table = scour_format::Container::open(&core[..]).unwrap();
    let table = scour_format::chunks::ChunkTable::read(table.section(SectionKind::Chunks).unwrap())
        .unwrap();
    assert_eq!(kept.0, table.files());
    for (i, c) in kept.1.iter().enumerate() {
        assert_eq!(c.id as usize, i);
        assert_eq!(
            (&c.bytes, &c.packed),
            (&whole.chunks[i].1, &whole.packed[i])
        );
        assert_eq!(Some(c.file), table.file_of(c.id));
        assert_eq!(c.kind, table.kind(c.id));
        assert_eq!(
            table.check(c.id, &c.bytes).map(<[u8]>::len),
            Ok(c.bytes.len() - scour_format::chunks::CHECK_LEN)
        );
    }
    let mut bad = bytes.clone();
    let n = bad.len();
    bad[n / 2] ^= 0xff;
    let err = split_into(std::io::Cursor::new(&bad), plan, &mut Kept(0, Vec::new()));
    assert!(matches!(err, Err(StreamError::Format(_))), "{err:?}");
}

/// [`answer`] as from a host without Range requests: each chunk comes in the file
/// holding it.
fn search_by_files(index: &mut Index<Vec<u8>>, files: &[(String, Vec<u8>)], q: &str) -> String {
    answer(index, q, |index, id| {
        let place = index.chunk_place(id).unwrap();
        let file = &files.iter().find(|f| f.0 == place.file).unwrap().1;
        index.add_chunks(place.file_no, file).unwrap();
    })
    .0
}

/// Inflates raw DEFLATE, as a browser's `DecompressionStream("deflate-raw")` does.
fn inflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec(bytes).unwrap()
}

#[test]
fn files_and_pack_ranges_give_the_same_answers() {
    let bytes = site();
    let whole = Index::open(&bytes[..]).unwrap();
    let split = split(&bytes, Plan::for_docs(600)).unwrap();
    let files = split.files().unwrap();
    let pack = &files.last().unwrap().1;
    for q in QUERIES {
        let expected = whole.search(q, &SearchOptions::default()).to_json();
        let mut index = lazy(&split);
        assert_eq!(
            search_by_files(&mut index, &files, q),
            expected,
            "{q:?} by files"
        );
        // by ranges of the pack: what chunk_place says, inflated
        let mut index = lazy(&split);
        assert_eq!(index.pack_name(), Some(files.last().unwrap().0.as_str()));
        let (by_ranges, _) = answer(&mut index, q, |index, id| {
            let p = index.chunk_place(id).unwrap();
            let at = p.pack_at as usize;
            let chunk = inflate(&pack[at..at + p.pack_len as usize]);
            index.add_chunk(id, chunk).unwrap();
        });
        assert_eq!(by_ranges, expected, "{q:?} by ranges");
    }
    // a file cut short, longer, or with another file's bytes is refused, and gives
    // none of its chunks
    let mut index = lazy(&split);
    let (name, file) = &files[0];
    let first = index.chunk_place(0).unwrap();
    assert_eq!((&first.file, first.file_no), (name, 0));
    let e = index
        .add_chunks(0, &file[..file.len() - 1])
        .unwrap_err()
        .to_string();
    assert!(e.contains("shorter"), "{e}");
    let mut longer = file.clone();
    longer.push(0);
    let e = index.add_chunks(0, &longer).unwrap_err().to_string();
    assert!(e.contains("more than its chunks"), "{e}");
    assert!(index.add_chunks(0, &files[1].1).is_err());
    assert!(!index.has_chunk(0));
    // a dictionary file gives its terms chunks with their postings
    index.add_chunks(0, file).unwrap();
    let c = scour_format::Container::open(&split.core[..]).unwrap();
    let table = ChunkTable::read(c.section(SectionKind::Chunks).unwrap()).unwrap();
    let terms = table.start(ChunkKind::Terms);
    assert!(index.has_chunk(0) && index.has_chunk(terms));
}

#[test]
fn a_corrupt_core_or_index_is_an_error() {
    let bytes = site();
    let mut bad = bytes.clone();
    let n = bad.len();
    bad[n / 2] ^= 0xff;
    assert!(split(&bad, Plan::for_docs(600)).is_err());
    let s = split(&bytes, Plan::for_docs(600)).unwrap();
    let core = Index::open(s.core.clone()).unwrap();
    core.verify().unwrap();
}

#[test]
fn a_damaged_core_never_panics() {
    let bytes = site();
    let split = split(
        &bytes,
        Plan {
            max_files: 40,
            target: 2 << 10,
            max_chunks: 2048,
        },
    )
    .unwrap();
    // every byte of the header and of the lazy sections flipped in turn, unverified,
    // as a browser opens it
    let c = scour_format::Container::open(&split.core[..]).unwrap();
    let offset = |s: &[u8]| s.as_ptr() as usize - split.core.as_ptr() as usize;
    let mut places: Vec<usize> = (0..64).collect();
    for kind in [SectionKind::Chunks, SectionKind::ChunkKeys] {
        let s = c.section(kind).unwrap();
        places.extend(offset(s)..offset(s) + s.len());
    }
    for at in places {
        let mut core = split.core.clone();
        core[at] ^= 0x5a;
        let Ok(mut index) = Index::open(core) else {
            continue;
        };
        for (id, (_, chunk)) in split.chunks.iter().enumerate() {
            let _ = index.add_chunk(id as u32, chunk.clone());
        }
        for q in ["qr codes", "kagarlisky"] {
            let _ = index.try_search(q, &SearchOptions::default());
        }
    }
}
