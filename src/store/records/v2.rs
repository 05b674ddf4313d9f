//! Record version 2 of `edition.json`: version 1 plus the rules the
//! edition was cut with (`provenance.rules`), so that `verify` re-imports
//! it under those rules. Everything else, and the meeting files beside
//! it, is laid out exactly as in version 1: an unchanged meeting keeps its
//! blob id across the versions.
//!
//! Released with the first edition written in it: read forever, never
//! changed.

use serde::{Deserialize, Serialize};

pub use super::v1::{
    AddedRecord, CountsRecord, DateFromRecord, OverrideRecord, PartRecord, PersonRecord,
    SectionRecord, SourceRecord, SummaryRecord,
};
use crate::rules::Rules;
use crate::store::snapshot::EditionMeta;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionRecord {
    /// Always 2 here.
    pub schema_version: u32,
    pub id: String,
    pub title: String,
    pub place: Option<String>,
    pub date: String,
    pub masthead: Vec<String>,
    pub front_matter: Vec<SectionRecord>,
    pub parts: Vec<PartRecord>,
    pub contact: Option<String>,
    pub counts: CountsRecord,
    pub added: AddedRecord,
    pub changes: SummaryRecord,
    pub retired_ids: Vec<String>,
    pub source: SourceRecord,
    pub provenance: ProvenanceRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvenanceRecord {
    pub cut_by: PersonRecord,
    pub cut_at: String,
    pub livedoc_version: String,
    pub date_from: DateFromRecord,
    pub overrides: Vec<OverrideRecord>,
    /// The number of the parsing and matching rules it was cut with.
    pub rules: u32,
}

fn rules_of(n: u32) -> Result<Rules, String> {
    match n {
        1 => Ok(Rules::V1),
        2 => Ok(Rules::V2),
        n => Err(format!(
            "names parsing and matching rules {n}, which this livedoc does not know"
        )),
    }
}

impl From<&EditionMeta> for EditionRecord {
    fn from(e: &EditionMeta) -> Self {
        // Version 1 lays out every field but the rules; reuse it.
        let v1 = super::v1::EditionRecord::from(e);
        EditionRecord {
            schema_version: 2,
            id: v1.id,
            title: v1.title,
            place: v1.place,
            date: v1.date,
            masthead: v1.masthead,
            front_matter: v1.front_matter,
            parts: v1.parts,
            contact: v1.contact,
            counts: v1.counts,
            added: v1.added,
            changes: v1.changes,
            retired_ids: v1.retired_ids,
            source: v1.source,
            provenance: ProvenanceRecord {
                cut_by: v1.provenance.cut_by,
                cut_at: v1.provenance.cut_at,
                livedoc_version: v1.provenance.livedoc_version,
                date_from: v1.provenance.date_from,
                overrides: v1.provenance.overrides,
                rules: e.rules.number(),
            },
        }
    }
}

impl EditionRecord {
    /// The in-memory form; fails on a date that does not parse or rules
    /// this livedoc does not know.
    pub fn to_meta(&self) -> Result<EditionMeta, String> {
        let p = &self.provenance;
        let v1 = super::v1::EditionRecord {
            schema_version: 1,
            id: self.id.clone(),
            title: self.title.clone(),
            place: self.place.clone(),
            date: self.date.clone(),
            masthead: self.masthead.clone(),
            front_matter: self.front_matter.clone(),
            parts: self.parts.clone(),
            contact: self.contact.clone(),
            counts: self.counts.clone(),
            added: self.added.clone(),
            changes: self.changes.clone(),
            retired_ids: self.retired_ids.clone(),
            source: self.source.clone(),
            provenance: super::v1::ProvenanceRecord {
                cut_by: p.cut_by.clone(),
                cut_at: p.cut_at.clone(),
                livedoc_version: p.livedoc_version.clone(),
                date_from: p.date_from,
                overrides: p.overrides.clone(),
            },
        };
        let meta = v1.to_meta()?;
        Ok(EditionMeta {
            record_version: 2,
            rules: rules_of(p.rules)?,
            ..meta
        })
    }
}
