//! Builds scour indexes: sources → [`Document`]s → [`IndexBuilder`] → index bytes.
//!
//! Host-only (the CLI and build scripts); the browser only ever reads the bytes, with
//! `scour-query`.
//!
//! # Example
//! ```
//! use scour_index::{Document, IndexBuilder};
//! let mut b = IndexBuilder::new();
//! b.add(Document { id: "1".into(), url: "/a/".into(), title: "QR codes".into(),
//!                  body: "Opposition to QR codes".into(), ..Default::default() });
//! let bytes = b.finish().unwrap();
//! assert!(scour_format::Container::open(&bytes[..]).unwrap().verify().is_ok());
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod builder;
mod document;
pub mod source;
pub mod spill;

pub use builder::{Analysed, BuildError, IndexBuilder};
pub use document::{link_parents, Document, Heading, Parents, PARENT_KEY};
