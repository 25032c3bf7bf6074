//! An index read a section, or a part of a section, at a time from any reader (a file,
//! or bytes in memory): what splits a large site's index without holding it whole.
//!
//! [`IndexReader::open`] makes the checks [`Container::open`](crate::Container::open)
//! makes, with the same errors, and [`IndexReader::verify`] the checksum
//! [`Container::verify`](crate::Container::verify) checks, reading the bytes in pieces.
//! (`Container` is the engine's own reader, compiled into every bundle; it is left as
//! it is rather than shared with this one.)
//!
//! # Example
//! ```
//! use scour_format::{stream::IndexReader, ContainerWriter, SectionKind};
//! let mut w = ContainerWriter::new();
//! w.section(SectionKind::Postings, b"postings".to_vec());
//! let bytes = w.finish();
//! let r = IndexReader::open(std::io::Cursor::new(&bytes)).unwrap();
//! r.verify().unwrap();
//! assert_eq!(r.read(SectionKind::Postings, 1..4).unwrap(), b"ost");
//! assert!(r.section(SectionKind::Meta).unwrap().is_none());
//! ```

use std::cell::RefCell;
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

use crate::{crc, FormatError, SectionKind};
use crate::{CHECKSUM_LEN, HEADER_LEN};

/// Why an index read from, or cut into, files could not be used: its bytes are not a
/// valid index, or reading or writing failed.
#[derive(Debug)]
pub enum StreamError {
    /// The bytes are not a valid index.
    Format(FormatError),
    /// Reading the index, or writing what was made of it, failed.
    Io(io::Error),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Format(err) => err.fmt(f),
            StreamError::Io(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Format(err) => Some(err),
            StreamError::Io(err) => Some(err),
        }
    }
}

impl From<FormatError> for StreamError {
    fn from(err: FormatError) -> Self {
        StreamError::Format(err)
    }
}

impl From<io::Error> for StreamError {
    fn from(err: io::Error) -> Self {
        StreamError::Io(err)
    }
}

/// An index whose header and section table have been checked, read from `R` a range
/// at a time. Its methods take `&self`, so that what one read returned can be kept
/// while the next is made.
#[derive(Debug)]
pub struct IndexReader<R> {
    reader: RefCell<R>,
    len: u64,
    sections: Vec<(SectionKind, Range<usize>)>,
}

impl<R: Read + Seek> IndexReader<R> {
    /// Reads and checks the header and the section table.
    pub fn open(mut reader: R) -> Result<IndexReader<R>, StreamError> {
        let len = reader.seek(SeekFrom::End(0))?;
        // an index's offsets are u32s: a larger file is not one
        let len_usize = usize::try_from(len).unwrap_or(usize::MAX);
        let mut head = read_at(&mut reader, 0, len_usize.min(HEADER_LEN))?;
        let table_end = crate::table_end(&head, len_usize)?;
        head = read_at(&mut reader, 0, table_end)?;
        let sections = crate::section_table(&head, table_end, len_usize)?;
        Ok(IndexReader {
            reader: RefCell::new(reader),
            len,
            sections,
        })
    }

    /// Checks the CRC-32 of the whole index, reading it a megabyte at a time.
    pub fn verify(&self) -> Result<(), StreamError> {
        let end = self.len - CHECKSUM_LEN as u64;
        let mut reader = self.reader.borrow_mut();
        reader.seek(SeekFrom::Start(0))?;
        let mut crc = !0u32;
        let mut buf = vec![0u8; 1 << 20];
        let mut left = end;
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            reader.read_exact(&mut buf[..n])?;
            crc = crc::crc32_update(crc, &buf[..n]);
            left -= n as u64;
        }
        let mut stored = [0u8; 4];
        reader.read_exact(&mut stored)?;
        let (stored, computed) = (u32::from_le_bytes(stored), !crc);
        if stored != computed {
            return Err(FormatError::Checksum { stored, computed }.into());
        }
        Ok(())
    }

    /// Bytes of the whole index.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Never true: an index has at least its header and checksum.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The length of a section, or `None` if the index has no such section.
    pub fn section_len(&self, kind: SectionKind) -> Option<usize> {
        self.place(kind).map(|r| r.len())
    }

    /// The length of a section that must be present.
    pub fn required_len(&self, kind: SectionKind) -> Result<usize, StreamError> {
        self.section_len(kind).ok_or_else(|| missing(kind).into())
    }

    /// Every section with its length in bytes, in file order.
    pub fn section_sizes(&self) -> Vec<(SectionKind, usize)> {
        self.sections.iter().map(|(k, r)| (*k, r.len())).collect()
    }

    /// The bytes of a section, or `None` if the index has no such section.
    pub fn section(&self, kind: SectionKind) -> Result<Option<Vec<u8>>, StreamError> {
        match self.place(kind) {
            Some(r) => Ok(Some(read_at(
                &mut *self.reader.borrow_mut(),
                r.start as u64,
                r.len(),
            )?)),
            None => Ok(None),
        }
    }

    /// The bytes of a section that must be present.
    pub fn required(&self, kind: SectionKind) -> Result<Vec<u8>, StreamError> {
        self.section(kind)?.ok_or_else(|| missing(kind).into())
    }

    /// Bytes `range` of a section that must be present ([`FormatError::Corrupt`],
    /// naming the section, when they are not all in it).
    pub fn read(&self, kind: SectionKind, range: Range<usize>) -> Result<Vec<u8>, StreamError> {
        let mut out = Vec::with_capacity(range.len());
        self.read_into(kind, range, &mut out)?;
        Ok(out)
    }

    /// [`IndexReader::read`], appending to `out`.
    pub fn read_into(
        &self,
        kind: SectionKind,
        range: Range<usize>,
        out: &mut Vec<u8>,
    ) -> Result<(), StreamError> {
        let place = self.place(kind).ok_or_else(|| missing(kind))?;
        if range.start > range.end || range.end > place.len() {
            return Err(FormatError::Corrupt(kind.name().to_string()).into());
        }
        let at = out.len();
        out.resize(at + range.len(), 0);
        let mut reader = self.reader.borrow_mut();
        reader.seek(SeekFrom::Start((place.start + range.start) as u64))?;
        reader.read_exact(&mut out[at..])?;
        Ok(())
    }

    fn place(&self, kind: SectionKind) -> Option<Range<usize>> {
        let (_, r) = self.sections.iter().find(|(k, _)| *k == kind)?;
        Some(r.clone())
    }
}

fn missing(kind: SectionKind) -> FormatError {
    FormatError::Corrupt(format!("section {} is missing", kind.name()))
}

/// `len` bytes of `reader` from `at`.
fn read_at<R: Read + Seek>(reader: &mut R, at: u64, len: usize) -> io::Result<Vec<u8>> {
    reader.seek(SeekFrom::Start(at))?;
    let mut out = vec![0; len];
    reader.read_exact(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Container, ContainerWriter, Meta};
    use std::io::Cursor;

    fn sample() -> Vec<u8> {
        let mut w = ContainerWriter::new();
        w.section(SectionKind::Meta, Meta::default().to_bytes());
        w.section(SectionKind::Postings, (0..100).collect());
        w.finish()
    }

    /// What `Container` says of `bytes`, and what an `IndexReader` says.
    fn both(bytes: &[u8]) -> (Result<(), FormatError>, Result<(), FormatError>) {
        let c = Container::open(bytes).and_then(|c| c.verify());
        let r = match IndexReader::open(Cursor::new(bytes)).and_then(|r| r.verify()) {
            Ok(()) => Ok(()),
            Err(StreamError::Format(err)) => Err(err),
            Err(StreamError::Io(err)) => panic!("{err}"),
        };
        (c, r)
    }

    #[test]
    fn a_reader_checks_what_a_container_checks() {
        let b = sample();
        assert_eq!(both(&b), (Ok(()), Ok(())));
        for n in 0..b.len() {
            let (c, r) = both(&b[..n]);
            assert!(c.is_err(), "prefix of {n} bytes opened");
            assert_eq!(c, r, "prefix of {n} bytes");
        }
        for i in 0..b.len() {
            let mut flipped = b.clone();
            flipped[i] ^= 0x40;
            let (c, r) = both(&flipped);
            assert!(c.is_err(), "flipping byte {i} went unnoticed");
            assert_eq!(c, r, "byte {i} flipped");
        }
    }

    #[test]
    fn ranges_are_read_within_their_section() {
        let b = sample();
        let r = IndexReader::open(Cursor::new(&b)).unwrap();
        assert_eq!(r.read(SectionKind::Postings, 98..100).unwrap(), [98, 99]);
        assert_eq!(r.section_len(SectionKind::Postings), Some(100));
        let mut out = vec![7];
        r.read_into(SectionKind::Postings, 0..2, &mut out).unwrap();
        assert_eq!(out, [7, 0, 1]);
        for bad in [99..101, std::ops::Range { start: 5, end: 4 }] {
            let err = r.read(SectionKind::Postings, bad).unwrap_err().to_string();
            assert!(err.contains("postings"), "{err}");
        }
        assert!(r.read(SectionKind::DocData, 0..1).is_err());
        assert_eq!(
            r.section_sizes(),
            [(SectionKind::Meta, 32), (SectionKind::Postings, 100)]
        );
    }
}
