//! Record version 3 of `edition.json`: version 2 with the counts rules 3
//! give (`items_split`, `items_merged`). Its meeting files are laid out as
//! in versions 1 and 2. Version 3 of `pairings.json` is version 2 plus
//! what rules 3 decide: the statuses `split` and `merged`, their reasons
//! (`split_from`, `merged_into`) and the ids they relate (`split_from`,
//! `merged_into` fields), and the meeting reason `same_items`.
//!
//! Released with the first edition written in it: read forever, never
//! changed.

use serde::{Deserialize, Serialize};

pub use super::v1::{
    AddedRecord, CountsRecord, MeetingStatusRecord, PartRecord, SectionRecord, SourceRecord,
};
pub use super::v2::ProvenanceRecord;
use crate::diff::matching::MeetingReason;
use crate::diff::{ItemStatus, Reason, Summary};
use crate::store::snapshot::{EditionMeta, ItemPairing, MeetingPairing, Pairings};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionRecord {
    /// Always 3 here.
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

/// Version 2's counts plus `items_split` and `items_merged`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRecord {
    pub meetings_added: usize,
    pub meetings_removed: usize,
    pub meetings_changed: usize,
    pub meetings_symbol_corrected: usize,
    pub items_added: usize,
    pub items_removed: usize,
    pub items_modified: usize,
    pub items_renumbered: usize,
    pub items_moved: usize,
    pub items_typography: usize,
    pub items_split: usize,
    pub items_merged: usize,
    pub items_unchanged: usize,
    pub recommendations_added: usize,
    pub observations_added: usize,
    pub recommendations_removed: usize,
    pub observations_removed: usize,
    pub sections_changed: usize,
}

macro_rules! same_fields {
    ($($f:ident),* $(,)?) => {
        impl From<&Summary> for SummaryRecord {
            fn from(v: &Summary) -> Self { SummaryRecord { $($f: v.$f),* } }
        }
        impl From<&SummaryRecord> for Summary {
            fn from(v: &SummaryRecord) -> Self { Summary { $($f: v.$f),* } }
        }
    };
}

same_fields!(
    meetings_added,
    meetings_removed,
    meetings_changed,
    meetings_symbol_corrected,
    items_added,
    items_removed,
    items_modified,
    items_renumbered,
    items_moved,
    items_typography,
    items_split,
    items_merged,
    items_unchanged,
    recommendations_added,
    observations_added,
    recommendations_removed,
    observations_removed,
    sections_changed,
);

impl From<&EditionMeta> for EditionRecord {
    fn from(e: &EditionMeta) -> Self {
        // Version 2 lays out every field but the counts; reuse it.
        let v2 = super::v2::EditionRecord::from(e);
        EditionRecord {
            schema_version: 3,
            id: v2.id,
            title: v2.title,
            place: v2.place,
            date: v2.date,
            masthead: v2.masthead,
            front_matter: v2.front_matter,
            parts: v2.parts,
            contact: v2.contact,
            counts: v2.counts,
            added: v2.added,
            changes: (&e.changes).into(),
            retired_ids: v2.retired_ids,
            source: v2.source,
            provenance: v2.provenance,
        }
    }
}

impl EditionRecord {
    /// The in-memory form; fails on a date that does not parse or rules
    /// this livedoc does not know.
    pub fn to_meta(&self) -> Result<EditionMeta, String> {
        let v2 = super::v2::EditionRecord {
            schema_version: 2,
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
            changes: super::v2::SummaryRecord::default(),
            retired_ids: self.retired_ids.clone(),
            source: self.source.clone(),
            provenance: self.provenance.clone(),
        };
        let meta = v2.to_meta()?;
        Ok(EditionMeta {
            record_version: 3,
            changes: (&self.changes).into(),
            ..meta
        })
    }
}

// ---------------------------------------------------------------------------
// pairings.json, version 3.

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PairingsRecord {
    /// Always 3 here.
    pub schema_version: u32,
    pub from: String,
    pub meetings: Vec<MeetingPairingRecord>,
    pub items: Vec<ItemPairingRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingPairingRecord {
    pub key: String,
    pub old_key: Option<String>,
    pub status: MeetingStatusRecord,
    pub reason: Option<MeetingReasonRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingReasonRecord {
    SameKey,
    SymbolCorrected,
    SameItems,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPairingRecord {
    pub id: String,
    pub meeting: String,
    pub status: ItemStatusRecord,
    pub reason: ReasonRecord,
    pub similarity: Option<f64>,
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub from_meeting: Option<String>,
    pub split_from: Option<String>,
    pub merged_into: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatusRecord {
    Added,
    Modified,
    Renumbered,
    Moved,
    Typography,
    Split,
    Merged,
    Removed,
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonRecord {
    SameLabelAndText,
    SameText,
    SameTextOtherLabel,
    SameLabel,
    SimilarTextOtherLabel,
    SimilarText,
    SameTextOtherMeeting,
    SimilarTextOtherMeeting,
    SameId,
    Override,
    SplitFrom,
    MergedInto,
    NoCounterpart,
}

// Enums that version 3 holds in full, both ways (a match on every
// variant, so that a variant added to the model cannot be written as
// version 3 by accident).
use super::v1::both_ways;

both_ways!(MeetingReasonRecord <-> MeetingReason { SameKey, SymbolCorrected, SameItems });
both_ways!(ItemStatusRecord <-> ItemStatus {
    Added, Modified, Renumbered, Moved, Typography, Split, Merged, Removed, Unchanged
});
both_ways!(ReasonRecord <-> Reason {
    SameLabelAndText,
    SameText,
    SameTextOtherLabel,
    SameLabel,
    SimilarTextOtherLabel,
    SimilarText,
    SameTextOtherMeeting,
    SimilarTextOtherMeeting,
    SameId,
    Override,
    SplitFrom,
    MergedInto,
    NoCounterpart,
});

impl From<&Pairings> for PairingsRecord {
    fn from(p: &Pairings) -> Self {
        PairingsRecord {
            schema_version: 3,
            from: p.from.clone(),
            meetings: p
                .meetings
                .iter()
                .map(|m| MeetingPairingRecord {
                    key: m.key.clone(),
                    old_key: m.old_key.clone(),
                    status: m.status.into(),
                    reason: m.reason.map(Into::into),
                })
                .collect(),
            items: p
                .items
                .iter()
                .map(|i| ItemPairingRecord {
                    id: i.id.clone(),
                    meeting: i.meeting.clone(),
                    status: i.status.into(),
                    reason: i.reason.into(),
                    similarity: i.similarity,
                    old_label: i.old_label.clone(),
                    new_label: i.new_label.clone(),
                    from_meeting: i.from_meeting.clone(),
                    split_from: i.split_from.clone(),
                    merged_into: i.merged_into.clone(),
                })
                .collect(),
        }
    }
}

impl From<&PairingsRecord> for Pairings {
    fn from(p: &PairingsRecord) -> Self {
        p.clone().into()
    }
}

/// By value, moving every string (the history index reads thousands).
impl From<PairingsRecord> for Pairings {
    fn from(p: PairingsRecord) -> Self {
        Pairings {
            from: p.from,
            meetings: p
                .meetings
                .into_iter()
                .map(|m| MeetingPairing {
                    key: m.key,
                    old_key: m.old_key,
                    status: m.status.into(),
                    reason: m.reason.map(Into::into),
                })
                .collect(),
            items: p
                .items
                .into_iter()
                .map(|i| ItemPairing {
                    id: i.id,
                    meeting: i.meeting,
                    status: i.status.into(),
                    reason: i.reason.into(),
                    similarity: i.similarity,
                    old_label: i.old_label,
                    new_label: i.new_label,
                    from_meeting: i.from_meeting,
                    split_from: i.split_from,
                    merged_into: i.merged_into,
                })
                .collect(),
        }
    }
}
