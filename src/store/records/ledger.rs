//! `refs/livedoc/ledger`'s `entry.json`: one sealed entry per edition.
//! Version 1 is the only one; a new field would come as version 2.

use serde::{Deserialize, Serialize};

use crate::store::ledger::LedgerEntry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LedgerEntryRecord {
    pub schema_version: u32,
    pub seq: u64,
    pub edition: String,
    pub commit: String,
    pub tag: String,
    pub snapshot_sha256: String,
    pub prev_entry_sha256: String,
    pub entry_sha256: String,
}

impl LedgerEntryRecord {
    pub fn new(version: u32, e: &LedgerEntry) -> Self {
        LedgerEntryRecord {
            schema_version: version,
            seq: e.seq,
            edition: e.edition.clone(),
            commit: e.commit.clone(),
            tag: e.tag.clone(),
            snapshot_sha256: e.snapshot_sha256.clone(),
            prev_entry_sha256: e.prev_entry_sha256.clone(),
            entry_sha256: e.entry_sha256.clone(),
        }
    }

    pub fn to_entry(&self) -> LedgerEntry {
        LedgerEntry {
            record_version: self.schema_version,
            seq: self.seq,
            edition: self.edition.clone(),
            commit: self.commit.clone(),
            tag: self.tag.clone(),
            snapshot_sha256: self.snapshot_sha256.clone(),
            prev_entry_sha256: self.prev_entry_sha256.clone(),
            entry_sha256: self.entry_sha256.clone(),
        }
    }
}
