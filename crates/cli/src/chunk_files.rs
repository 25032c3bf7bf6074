//! A lazy bundle's chunk files, written as the index is cut: each fallback file and
//! the pack grow chunk by chunk on disk, so that a large site's index, its chunks and
//! its deflated chunks are never all in memory (736,530 WordNet records: a 243 MB
//! index, 253 MB of chunks and a 73 MB pack).
//!
//! The index itself is read a part at a time from an [`IndexSource`]: the temporary
//! file `scour build` wrote it to, or bytes in memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use scour_format::chunks::{self, Chunk, ChunkSink, ChunkTable, Plan};
use scour_format::stream::{IndexReader, StreamError};
use scour_format::{Container, Meta, SectionKind};

use crate::bundle::{io_err, BundleError, BundleFile, Staging, MANIFEST_FILE};

/// An index to bundle: bytes in memory, or a file holding them (a large site's index,
/// read a part at a time, and whole only when it goes inside the engine).
#[derive(Clone, Copy, Debug)]
pub enum IndexSource<'a> {
    /// The index bytes.
    Bytes(&'a [u8]),
    /// A file holding the index bytes, from its start to its end. Its readers take
    /// the lock for each read, so that two threads can read it at once.
    File(&'a Mutex<File>),
}

impl<'a> IndexSource<'a> {
    /// A reader from the start, with its own position.
    pub fn reader(self) -> SourceReader<'a> {
        SourceReader {
            source: self,
            pos: 0,
        }
    }

    /// Bytes of the index.
    pub fn len(self) -> io::Result<u64> {
        match self {
            IndexSource::Bytes(bytes) => Ok(bytes.len() as u64),
            IndexSource::File(file) => lock(file)?.metadata().map(|m| m.len()),
        }
    }

    /// The whole index.
    pub fn bytes(self) -> io::Result<Cow<'a, [u8]>> {
        match self {
            IndexSource::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            IndexSource::File(_) => {
                let mut out = Vec::with_capacity(usize::try_from(self.len()?).unwrap_or(0));
                self.reader().read_to_end(&mut out)?;
                Ok(Cow::Owned(out))
            }
        }
    }

    /// The index's meta section, when it is an index.
    pub fn meta(self) -> Option<Meta> {
        let index = IndexReader::open(self.reader()).ok()?;
        Meta::from_bytes(&index.section(SectionKind::Meta).ok()??).ok()
    }
}

fn lock(file: &Mutex<File>) -> io::Result<std::sync::MutexGuard<'_, File>> {
    file.lock()
        .map_err(|_| io::Error::other("a thread reading the index failed"))
}

/// A reader of an [`IndexSource`] (see [`IndexSource::reader`]).
#[derive(Debug)]
pub struct SourceReader<'a> {
    source: IndexSource<'a>,
    pos: u64,
}

impl Read for SourceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.source {
            IndexSource::Bytes(bytes) => {
                let at = usize::try_from(self.pos).map_or(bytes.len(), |p| p.min(bytes.len()));
                (&bytes[at..]).read(buf)?
            }
            IndexSource::File(file) => {
                let mut file = lock(file)?;
                file.seek(SeekFrom::Start(self.pos))?;
                file.read(buf)?
            }
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SourceReader<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(by) => self.source.len()?.checked_add_signed(by),
            SeekFrom::Current(by) => self.pos.checked_add_signed(by),
        };
        self.pos = pos.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "a seek before the start")
        })?;
        Ok(self.pos)
    }
}

/// The CRC-32 and length of a file's bytes: what the service worker's cache name is
/// made of, without holding the bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    /// CRC-32 (IEEE) of the bytes.
    pub crc: u32,
    /// Their count.
    pub len: u64,
}

impl Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest {
            crc: crc32fast::hash(bytes),
            len: bytes.len() as u64,
        }
    }
}

/// A writer that passes bytes on and keeps their [`Digest`].
struct Tally<W> {
    inner: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Tally<W> {
    fn new(inner: W) -> Tally<W> {
        Tally::resume(inner, (crc32fast::Hasher::new(), 0))
    }

    /// A writer that goes on from what an earlier one wrote ([`Tally::state`]).
    fn resume(inner: W, (crc, len): (crc32fast::Hasher, u64)) -> Tally<W> {
        Tally { inner, crc, len }
    }

    /// What was written so far, to go on with [`Tally::resume`].
    fn state(self) -> (crc32fast::Hasher, u64) {
        (self.crc, self.len)
    }

    fn digest(&self) -> Digest {
        Digest {
            crc: self.crc.clone().finalize(),
            len: self.len,
        }
    }
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.crc.update(&bytes[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What a lazy layout put in the staging folder.
pub struct Lazy {
    /// The core, for the engine.
    pub core: Vec<u8>,
    /// The fallback files, in order, then the pack: their names (relative to the
    /// bundle folder) and digests.
    pub files: Vec<(String, Digest)>,
    /// The pack's name, when there are chunks.
    pub pack: Option<String>,
}

impl Lazy {
    /// The chunk files, as the report lists them.
    pub fn report(&self) -> Vec<BundleFile> {
        self.files
            .iter()
            .map(|(name, d)| BundleFile {
                name: name.clone(),
                bytes: d.len,
            })
            .collect()
    }
}

/// Cuts `index` into chunks written into the staging folder's `chunks/` (each file
/// under a temporary name until the chunk table names it) and returns the core and the
/// files.
pub fn write_chunks(
    index: IndexSource<'_>,
    staging: &Staging,
    plan: Plan,
) -> Result<Lazy, BundleError> {
    let mut sink = ChunkFiles {
        staging,
        file: None,
        pack: None,
        done: Vec::new(),
        failed: None,
    };
    let core = match chunks::split_into(index.reader(), plan, &mut sink) {
        Ok(core) => core,
        Err(StreamError::Format(err)) => return Err(BundleError::Split(err)),
        Err(StreamError::Io(err)) => return Err(sink.error(err)),
    };
    let (files, pack) = sink.finish()?;
    name_files(staging, core, files, pack)
}

/// The [`ChunkSink`] of a bundle: the fallback files and the pack, written as their
/// chunks come.
struct ChunkFiles<'s> {
    staging: &'s Staging,
    /// The fallback file being written, and its number.
    file: Option<(u32, Tally<BufWriter<File>>)>,
    pack: Option<Tally<BufWriter<File>>>,
    /// What each fallback file holds so far: a dictionary file is written three times,
    /// its postings chunks, then (after other files) its terms chunks, then its stems
    /// chunks.
    done: Vec<Option<(crc32fast::Hasher, u64)>>,
    /// The file that could not be written, and what was being done.
    failed: Option<(&'static str, PathBuf)>,
}

/// The temporary name of fallback file `f`, or of the pack.
fn part_name(f: Option<u32>) -> String {
    match f {
        Some(f) => format!("chunks/{f}.part"),
        None => "chunks/pack.part".to_owned(),
    }
}

impl ChunkFiles<'_> {
    /// Runs `step` on the file of `name`, noting it and `action` if it fails.
    fn attempt<T>(
        &mut self,
        action: &'static str,
        name: &str,
        step: impl FnOnce(&Path) -> io::Result<T>,
    ) -> io::Result<T> {
        let path = self.staging.dir().join(name);
        step(&path).inspect_err(|_| self.failed = Some((action, path)))
    }

    fn create(&mut self, f: Option<u32>) -> io::Result<Tally<BufWriter<File>>> {
        self.attempt("cannot write", &part_name(f), |path| {
            let file = File::create(path)?;
            Ok(Tally::new(BufWriter::with_capacity(1 << 16, file)))
        })
    }

    /// Opens fallback file `f` to write at its end: created the first time, then
    /// appended to.
    fn open(&mut self, f: u32) -> io::Result<Tally<BufWriter<File>>> {
        let Some(state) = self.done.get_mut(f as usize).and_then(Option::take) else {
            return self.create(Some(f));
        };
        self.attempt("cannot write", &part_name(Some(f)), |path| {
            let file = std::fs::OpenOptions::new().append(true).open(path)?;
            Ok(Tally::resume(
                BufWriter::with_capacity(1 << 16, file),
                state,
            ))
        })
    }

    /// Flushes the fallback file being written and keeps what it holds.
    fn close_file(&mut self) -> io::Result<()> {
        if let Some((f, mut file)) = self.file.take() {
            self.attempt("cannot write", &part_name(Some(f)), |_| file.flush())?;
            if let Some(slot) = self.done.get_mut(f as usize) {
                *slot = Some(file.state());
            }
        }
        Ok(())
    }

    /// The fallback files' digests, in order, and the pack's (when there are chunks).
    fn finish(mut self) -> Result<(Vec<Digest>, Option<Digest>), BundleError> {
        let result = self.close_file().and_then(|()| match self.pack.take() {
            Some(mut pack) => {
                let flushed = self.attempt("cannot write", &part_name(None), |_| pack.flush());
                flushed.map(|()| Some(pack.digest()))
            }
            None => Ok(None),
        });
        let files = std::mem::take(&mut self.done).into_iter().map(|state| {
            let (crc, len) = state.unwrap_or_default();
            Digest {
                crc: crc.finalize(),
                len,
            }
        });
        match result {
            Ok(pack) => Ok((files.collect(), pack)),
            Err(err) => Err(self.error(err)),
        }
    }

    /// `err` as a bundle error: a file that could not be written, or else the index
    /// that could not be read.
    fn error(&mut self, err: io::Error) -> BundleError {
        match self.failed.take() {
            Some((action, path)) => io_err(action, &path)(err),
            None => BundleError::ReadIndex(err),
        }
    }
}

impl ChunkSink for ChunkFiles<'_> {
    fn start(&mut self, files: u32) -> io::Result<()> {
        // Listed before they exist: a folder a killed build leaves holds only files its
        // manifest names, so that the next build may remove it.
        let names: Vec<String> = (0..files).map(Some).chain([None]).map(part_name).collect();
        self.done = vec![None; files as usize];
        let dir = self.staging.dir().join("chunks");
        self.attempt("cannot create", "chunks", |_| std::fs::create_dir_all(&dir))?;
        let staging = self.staging;
        self.attempt("cannot write", MANIFEST_FILE, |_| {
            staging.write_manifest(names.iter().map(String::as_str))
        })
    }

    fn chunk(&mut self, c: Chunk) -> io::Result<()> {
        if self.file.as_ref().map(|f| f.0) != Some(c.file) {
            self.close_file()?;
            let file = self.open(c.file)?;
            self.file = Some((c.file, file));
        }
        if let Some((f, file)) = &mut self.file {
            let f = *f;
            let head = chunks::frame_head(&c.bytes);
            let written = file
                .write_all(&head)
                .and_then(|()| file.write_all(&c.bytes));
            self.attempt("cannot write", &part_name(Some(f)), |_| written)?;
        }
        if self.pack.is_none() {
            self.pack = Some(self.create(None)?);
        }
        if let Some(pack) = &mut self.pack {
            let written = pack.write_all(&c.packed);
            self.attempt("cannot write", &part_name(None), |_| written)?;
        }
        Ok(())
    }
}

/// Gives the chunk files the names the chunk table in `core` gives them (a hash of
/// what they hold: they can only be named once written).
fn name_files(
    staging: &Staging,
    core: Vec<u8>,
    files: Vec<Digest>,
    pack: Option<Digest>,
) -> Result<Lazy, BundleError> {
    let (names, pack_name) = {
        let c = Container::open(&core[..]).map_err(BundleError::Split)?;
        let table = ChunkTable::read(
            c.required(SectionKind::Chunks)
                .map_err(BundleError::Split)?,
        )
        .map_err(BundleError::Split)?;
        let names: Vec<String> = (0..table.files())
            .map(|f| table.file_name(f).unwrap_or_default())
            .collect();
        (names, pack.map(|_| table.pack_name()))
    };
    let mut renames: Vec<(String, String)> = (0..files.len() as u32)
        .map(|f| part_name(Some(f)))
        .zip(names.iter().cloned())
        .collect();
    if let Some(name) = &pack_name {
        renames.push((part_name(None), name.clone()));
    }
    // Both names listed while the files move, for the same reason as in `start`.
    let listed = renames.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]);
    let manifest = staging.dir().join(MANIFEST_FILE);
    staging
        .write_manifest(listed)
        .map_err(io_err("cannot write", &manifest))?;
    let dir = staging.dir();
    for (part, name) in &renames {
        let path = dir.join(name);
        std::fs::rename(dir.join(part), &path).map_err(io_err("cannot write", &path))?;
    }
    let digests = files.into_iter().chain(pack);
    Ok(Lazy {
        core,
        files: renames.into_iter().map(|r| r.1).zip(digests).collect(),
        pack: pack_name,
    })
}
