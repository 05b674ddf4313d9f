//! Record version 4 of `edition.json`: version 3 with each meeting's
//! heading and item count beside the path of its file, so that a diff of
//! two stored editions reads only the meeting files that differ. Version 4
//! records and the meeting files beside them are compact canonical JSON:
//! fields in their declared order, no whitespace between tokens, one
//! trailing newline. Meeting files are laid out as in versions 1 to 3.
//!
//! Released with the first edition written in it: read forever, never
//! changed.

use serde::{Deserialize, Serialize};

pub use super::v1::{AddedRecord, CountsRecord, MeetingKindRecord, SectionRecord, SourceRecord};
pub use super::v2::ProvenanceRecord;
pub use super::v3::SummaryRecord;
use crate::model::MeetingHeader;
use crate::store::snapshot::EditionMeta;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionRecord {
    /// Always 4 here.
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

/// A part and its meetings, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRecord {
    pub key: String,
    pub title: String,
    pub meetings: Vec<MeetingEntryRecord>,
}

/// Where a meeting's file is, and what its heading says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingEntryRecord {
    pub path: String,
    pub key: String,
    pub part: String,
    pub year: i32,
    pub body: String,
    pub kind: MeetingKindRecord,
    pub symbol: Option<String>,
    pub source: Option<String>,
    pub link: Option<String>,
    /// How many items the meeting holds.
    pub items: usize,
}

impl From<&EditionMeta> for EditionRecord {
    fn from(e: &EditionMeta) -> Self {
        // Version 3 lays out every field but the parts; reuse it.
        let v3 = super::v3::EditionRecord::from(e);
        EditionRecord {
            schema_version: 4,
            id: v3.id,
            title: v3.title,
            place: v3.place,
            date: v3.date,
            masthead: v3.masthead,
            front_matter: v3.front_matter,
            parts: e
                .parts
                .iter()
                .map(|p| PartRecord {
                    key: p.key.clone(),
                    title: p.title.clone(),
                    // A layout without headings (an edition stored before
                    // version 4) lists no meetings here, and verify says so.
                    meetings: p
                        .meetings
                        .iter()
                        .zip(&p.headers)
                        .map(|(path, h)| MeetingEntryRecord {
                            path: path.clone(),
                            key: h.key.clone(),
                            part: h.part.clone(),
                            year: h.year,
                            body: h.body.clone(),
                            kind: h.kind.into(),
                            symbol: h.symbol.clone(),
                            source: h.source.clone(),
                            link: h.link.clone(),
                            items: h.items,
                        })
                        .collect(),
                })
                .collect(),
            contact: v3.contact,
            counts: v3.counts,
            added: v3.added,
            changes: v3.changes,
            retired_ids: v3.retired_ids,
            source: v3.source,
            provenance: v3.provenance,
        }
    }
}

impl EditionRecord {
    /// The in-memory form; fails on a date that does not parse or rules
    /// this livedoc does not know.
    pub fn to_meta(&self) -> Result<EditionMeta, String> {
        let v3 = super::v3::EditionRecord {
            schema_version: 3,
            id: self.id.clone(),
            title: self.title.clone(),
            place: self.place.clone(),
            date: self.date.clone(),
            masthead: self.masthead.clone(),
            front_matter: self.front_matter.clone(),
            parts: self
                .parts
                .iter()
                .map(|p| super::v1::PartRecord {
                    key: p.key.clone(),
                    title: p.title.clone(),
                    meetings: p.meetings.iter().map(|m| m.path.clone()).collect(),
                    keys: p.meetings.iter().map(|m| m.key.clone()).collect(),
                })
                .collect(),
            contact: self.contact.clone(),
            counts: self.counts.clone(),
            added: self.added.clone(),
            changes: self.changes.clone(),
            retired_ids: self.retired_ids.clone(),
            source: self.source.clone(),
            provenance: self.provenance.clone(),
        };
        let mut meta = v3.to_meta()?;
        meta.record_version = 4;
        for (layout, p) in meta.parts.iter_mut().zip(&self.parts) {
            layout.headers = p
                .meetings
                .iter()
                .map(|m| MeetingHeader {
                    key: m.key.clone(),
                    part: m.part.clone(),
                    year: m.year,
                    body: m.body.clone(),
                    kind: m.kind.into(),
                    symbol: m.symbol.clone(),
                    source: m.source.clone(),
                    link: m.link.clone(),
                    items: m.items,
                })
                .collect();
        }
        Ok(meta)
    }
}
