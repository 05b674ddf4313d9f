//! The history index's files, version 1: one file per 64 editions
//! (`<bucket>.json`, bucket = (seq - 1) / 64, four digits), each listing
//! its editions in branch order with what `trace` and `blame` need of them:
//! the commit, tag, id, date and provenance, the edition's pairings (as
//! pairings.json version 3 holds them) and the file of every meeting they
//! name. Derived from the editions' own records, so written compactly;
//! `verify` checks it against them and `doctor` rebuilds it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::v3;

pub const INDEX_CURRENT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexRecord {
    /// Always 1 here.
    pub schema_version: u32,
    pub editions: Vec<IndexedRecord>,
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
    pub pairings: v3::PairingsRecord,
}
