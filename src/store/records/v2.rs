//! Record version 2 of `edition.json`: version 1 plus the rules the
//! edition was cut with (`provenance.rules`), so that `verify` re-imports
//! it under those rules. Everything else, and the meeting files beside
//! it, is laid out exactly as in version 1: an unchanged meeting keeps its
//! blob id across the versions. Version 2 of `pairings.json` is version 1
//! plus the reasons rules 2 give (`similar_text_other_label`,
//! `similar_text_other_meeting`).
//!
//! Released with the first edition written in it: read forever, never
//! changed.

use serde::{Deserialize, Serialize};

pub use super::v1::{
    AddedRecord, CountsRecord, DateFromRecord, OverrideRecord, PartRecord, PersonRecord,
    SectionRecord, SourceRecord,
};
use crate::diff::{ItemStatus, Reason, Summary};
use crate::rules::Rules;
use crate::store::snapshot::{EditionMeta, ItemPairing, MeetingPairing, Pairings};

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

/// Version 1's counts plus `items_typography`.
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
            fn from(v: &SummaryRecord) -> Self {
                Summary { $($f: v.$f,)* items_split: 0, items_merged: 0 }
            }
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
    items_unchanged,
    recommendations_added,
    observations_added,
    recommendations_removed,
    observations_removed,
    sections_changed,
);

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
    Rules::from_number(n).ok_or_else(|| {
        format!("names parsing and matching rules {n}, which this livedoc does not know")
    })
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
            changes: (&e.changes).into(),
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
            changes: super::v1::SummaryRecord::default(),
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
            changes: (&self.changes).into(),
            ..meta
        })
    }
}

// ---------------------------------------------------------------------------
// pairings.json, version 2: version 1 plus the reasons of rules 2.

pub use super::v1::MeetingPairingRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatusRecord {
    Added,
    Modified,
    Renumbered,
    Moved,
    Typography,
    Removed,
    Unchanged,
}

/// Statuses version 2 can hold; `split` and `merged` came with rules 3.
impl TryFrom<ItemStatus> for ItemStatusRecord {
    type Error = ();
    fn try_from(v: ItemStatus) -> Result<Self, ()> {
        Ok(match v {
            ItemStatus::Added => ItemStatusRecord::Added,
            ItemStatus::Modified => ItemStatusRecord::Modified,
            ItemStatus::Renumbered => ItemStatusRecord::Renumbered,
            ItemStatus::Moved => ItemStatusRecord::Moved,
            ItemStatus::Typography => ItemStatusRecord::Typography,
            ItemStatus::Removed => ItemStatusRecord::Removed,
            ItemStatus::Unchanged => ItemStatusRecord::Unchanged,
            ItemStatus::Split | ItemStatus::Merged => return Err(()),
        })
    }
}

impl From<ItemStatusRecord> for ItemStatus {
    fn from(v: ItemStatusRecord) -> Self {
        match v {
            ItemStatusRecord::Added => ItemStatus::Added,
            ItemStatusRecord::Modified => ItemStatus::Modified,
            ItemStatusRecord::Renumbered => ItemStatus::Renumbered,
            ItemStatusRecord::Moved => ItemStatus::Moved,
            ItemStatusRecord::Typography => ItemStatus::Typography,
            ItemStatusRecord::Removed => ItemStatus::Removed,
            ItemStatusRecord::Unchanged => ItemStatus::Unchanged,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PairingsRecord {
    /// Always 2 here.
    pub schema_version: u32,
    pub from: String,
    pub meetings: Vec<MeetingPairingRecord>,
    pub items: Vec<ItemPairingRecord>,
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
    NoCounterpart,
}

super::v1::some_reasons!(
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
    NoCounterpart,
);

impl TryFrom<&Pairings> for PairingsRecord {
    /// A status or reason version 2 cannot hold.
    type Error = ();

    fn try_from(p: &Pairings) -> Result<Self, ()> {
        Ok(PairingsRecord {
            schema_version: 2,
            from: p.from.clone(),
            meetings: super::v1::meeting_pairings(p)?,
            items: p
                .items
                .iter()
                .map(|i| {
                    if i.split_from.is_some() || i.merged_into.is_some() {
                        return Err(());
                    }
                    Ok(ItemPairingRecord {
                        id: i.id.clone(),
                        meeting: i.meeting.clone(),
                        status: i.status.try_into()?,
                        reason: i.reason.try_into()?,
                        similarity: i.similarity,
                        old_label: i.old_label.clone(),
                        new_label: i.new_label.clone(),
                        from_meeting: i.from_meeting.clone(),
                    })
                })
                .collect::<Result<_, ()>>()?,
        })
    }
}

super::v1::pairings_from_record!(PairingsRecord);
