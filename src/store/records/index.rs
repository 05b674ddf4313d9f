//! The history index's files. Derived from the editions' own records, so
//! written compactly; `verify` checks it against them and `doctor`
//! rebuilds it.
//!
//! Version 1 (read no more: a store holding one rebuilds it at its next
//! import) had one file per 64 editions, `<bucket>.json`, listing each
//! edition whole. Version 2 splits what a trace needs of every edition from
//! what it needs of a few (bucket = (seq - 1) / 64, four digits; seq, six):
//!
//! ```text
//! heads/<bucket>.json              per edition: commit, tag, id, date, who cut it and when,
//!                                  the meetings it renamed, the ids its pairings mention
//! entries/<bucket>/<seq>.json      one edition whole: its pairings (as pairings.json
//!                                  version 3 holds them) and the file of every meeting they name
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::pairings::{MeetingPairingRecord, PairingsRecord};

pub const INDEX_CURRENT: u32 = 2;
/// The version of `pairings.json` whose fields an entry holds its
/// edition's pairings in. A status or reason of newer rules needs a new
/// index version (the index is derived, so the next import rewrites it).
pub const INDEX_PAIRINGS: u32 = 3;

/// `entries/<bucket>/<seq>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRecord {
    /// Always 2 here.
    pub schema_version: u32,
    pub edition: IndexedRecord,
}

/// `heads/<bucket>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadsRecord {
    /// Always 2 here.
    pub schema_version: u32,
    pub editions: Vec<HeadRecord>,
}

/// What a trace needs of every edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadRecord {
    pub seq: u64,
    pub commit: String,
    pub tag: Option<String>,
    pub id: String,
    pub date: String,
    pub record_version: u32,
    pub cut_by_name: String,
    pub cut_by_email: String,
    pub cut_at: String,
    /// The meeting pairings that gave a meeting a new key.
    pub renamed: Vec<MeetingPairingRecord>,
    /// Every item id its pairings mention (as the item, or as what it was
    /// split from or merged into), sorted, each once.
    pub mentions: Vec<String>,
}

/// [`HeadsRecord`] as a trace reads it: the ids each edition mentions are
/// left as JSON text, searched rather than decoded.
#[derive(Debug, Deserialize)]
pub struct HeadsRecordLazy<'a> {
    pub schema_version: u32,
    #[serde(borrow)]
    pub editions: Vec<HeadRecordLazy<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct HeadRecordLazy<'a> {
    pub seq: u64,
    pub commit: String,
    pub tag: Option<String>,
    pub id: String,
    pub date: String,
    pub record_version: u32,
    pub cut_by_name: String,
    pub cut_by_email: String,
    pub cut_at: String,
    pub renamed: Vec<MeetingPairingRecord>,
    #[serde(borrow)]
    pub mentions: &'a serde_json::value::RawValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedRecord {
    /// 1-based place on the editions branch.
    pub seq: u64,
    pub commit: String,
    pub tag: Option<String>,
    pub id: String,
    /// `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// The record version of the edition's own files.
    pub record_version: u32,
    pub cut_by_name: String,
    pub cut_by_email: String,
    pub cut_at: String,
    /// Meeting key → its file, for every meeting the pairings name.
    pub paths: BTreeMap<String, String>,
    pub pairings: PairingsRecord,
}
