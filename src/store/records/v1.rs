//! Record version 1: the files written by livedoc 0.1. Released, so read
//! forever and never changed: every field, its order and its spelling are
//! part of the bytes that published editions were sealed with. A new field
//! goes into a new version; this one stays as it is.
//!
//! Each record converts explicitly to and from the in-memory types. The
//! conversion *to* a record exists for writing new editions while this is
//! the current version, and for `verify`, which projects a re-imported
//! edition into the version its snapshot was written with.

use serde::{Deserialize, Serialize};

use crate::diff::{
    Added, AddedInMeeting, ItemStatus, MeetingStatus, Reason, Summary, matching::MeetingReason,
};
use crate::model::{Counts, EditionDate, Item, ItemKind, Meeting, MeetingKind, Section, SubItem};
use crate::overrides::{Override, OverrideKind};
use crate::rules::Rules;
use crate::store::import::DateFrom;
use crate::store::ledger::LedgerEntry;
use crate::store::snapshot::{
    EditionMeta, ItemPairing, MeetingPairing, Pairings, PartLayout, Person, Provenance, SourceInfo,
};

// ---------------------------------------------------------------------------
// edition.json

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionRecord {
    /// Always 1 here: the record version, under the name it has in the file.
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
    #[serde(default)]
    pub changes: SummaryRecord,
    #[serde(default)]
    pub retired_ids: Vec<String>,
    pub source: SourceRecord,
    pub provenance: ProvenanceRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionRecord {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRecord {
    pub key: String,
    pub title: String,
    pub meetings: Vec<String>,
    #[serde(default)]
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountsRecord {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedRecord {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
    pub by_meeting: Vec<AddedInMeetingRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedInMeetingRecord {
    pub key: String,
    pub part: String,
    pub year: i32,
    pub body: String,
    pub new_meeting: bool,
    pub recommendations: usize,
    pub observations: usize,
    pub items: Vec<String>,
}

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
    pub items_unchanged: usize,
    pub recommendations_added: usize,
    pub observations_added: usize,
    pub recommendations_removed: usize,
    pub observations_removed: usize,
    pub sections_changed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvenanceRecord {
    pub cut_by: PersonRecord,
    pub cut_at: String,
    pub livedoc_version: String,
    pub date_from: DateFromRecord,
    #[serde(default)]
    pub overrides: Vec<OverrideRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFromRecord {
    Document,
    Flag,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideRecord {
    pub kind: OverrideKindRecord,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKindRecord {
    Same,
    Different,
}

// ---------------------------------------------------------------------------
// meetings/<part>/<year>/<slug>.json

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub key: String,
    pub part: String,
    pub year: i32,
    pub body: String,
    pub kind: MeetingKindRecord,
    pub symbol: Option<String>,
    pub source: Option<String>,
    pub link: Option<String>,
    pub items: Vec<ItemRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKindRecord {
    WorkingGroup,
    ConstructiveDialogue,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    pub id: String,
    pub kind: ItemKindRecord,
    pub label: Option<String>,
    pub text: String,
    pub subitems: Vec<SubItemRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKindRecord {
    Recommendation,
    Observation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubItemRecord {
    pub label: String,
    pub text: String,
}

// ---------------------------------------------------------------------------
// pairings.json

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PairingsRecord {
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
pub enum MeetingStatusRecord {
    Added,
    SymbolCorrected,
    Changed,
    Removed,
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingReasonRecord {
    SameKey,
    SymbolCorrected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatusRecord {
    Added,
    Modified,
    Renumbered,
    Moved,
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
    SimilarText,
    SameTextOtherMeeting,
    SameId,
    Override,
    NoCounterpart,
}

// ---------------------------------------------------------------------------
// refs/livedoc/ledger: entry.json

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

impl From<&LedgerEntry> for LedgerEntryRecord {
    fn from(e: &LedgerEntry) -> Self {
        LedgerEntryRecord {
            schema_version: 1,
            seq: e.seq,
            edition: e.edition.clone(),
            commit: e.commit.clone(),
            tag: e.tag.clone(),
            snapshot_sha256: e.snapshot_sha256.clone(),
            prev_entry_sha256: e.prev_entry_sha256.clone(),
            entry_sha256: e.entry_sha256.clone(),
        }
    }
}

impl From<&LedgerEntryRecord> for LedgerEntry {
    fn from(e: &LedgerEntryRecord) -> Self {
        LedgerEntry {
            record_version: 1,
            seq: e.seq,
            edition: e.edition.clone(),
            commit: e.commit.clone(),
            tag: e.tag.clone(),
            snapshot_sha256: e.snapshot_sha256.clone(),
            prev_entry_sha256: e.prev_entry_sha256.clone(),
            entry_sha256: e.entry_sha256.clone(),
        }
    }
}

// ---------------------------------------------------------------------------
// Enums, both ways. A match on every variant, so that a variant added to
// the model cannot be written as version 1 by accident.

macro_rules! both_ways {
    ($record:ident <-> $model:ty { $($variant:ident),* $(,)? }) => {
        impl From<$model> for $record {
            fn from(v: $model) -> Self {
                match v { $(<$model>::$variant => $record::$variant),* }
            }
        }
        impl From<$record> for $model {
            fn from(v: $record) -> Self {
                match v { $($record::$variant => <$model>::$variant),* }
            }
        }
    };
}

pub(crate) use both_ways;

both_ways!(DateFromRecord <-> DateFrom { Document, Flag });
both_ways!(OverrideKindRecord <-> OverrideKind { Same, Different });
both_ways!(MeetingKindRecord <-> MeetingKind { WorkingGroup, ConstructiveDialogue, Other });
both_ways!(ItemKindRecord <-> ItemKind { Recommendation, Observation });
both_ways!(MeetingStatusRecord <-> MeetingStatus { Added, SymbolCorrected, Changed, Removed, Unchanged });

impl From<MeetingReasonRecord> for MeetingReason {
    fn from(v: MeetingReasonRecord) -> Self {
        match v {
            MeetingReasonRecord::SameKey => MeetingReason::SameKey,
            MeetingReasonRecord::SymbolCorrected => MeetingReason::SymbolCorrected,
        }
    }
}

/// Reasons versions 1 and 2 can hold; `same_items` came with rules 3.
impl TryFrom<MeetingReason> for MeetingReasonRecord {
    type Error = ();
    fn try_from(v: MeetingReason) -> Result<Self, ()> {
        match v {
            MeetingReason::SameKey => Ok(MeetingReasonRecord::SameKey),
            MeetingReason::SymbolCorrected => Ok(MeetingReasonRecord::SymbolCorrected),
            MeetingReason::SameItems => Err(()),
        }
    }
}
/// Statuses version 1 can hold; a status of later rules cannot be written
/// as version 1.
impl From<ItemStatusRecord> for ItemStatus {
    fn from(v: ItemStatusRecord) -> Self {
        match v {
            ItemStatusRecord::Added => ItemStatus::Added,
            ItemStatusRecord::Modified => ItemStatus::Modified,
            ItemStatusRecord::Renumbered => ItemStatus::Renumbered,
            ItemStatusRecord::Moved => ItemStatus::Moved,
            ItemStatusRecord::Removed => ItemStatus::Removed,
            ItemStatusRecord::Unchanged => ItemStatus::Unchanged,
        }
    }
}

impl TryFrom<ItemStatus> for ItemStatusRecord {
    type Error = ();
    fn try_from(v: ItemStatus) -> Result<Self, ()> {
        Ok(match v {
            ItemStatus::Added => ItemStatusRecord::Added,
            ItemStatus::Modified => ItemStatusRecord::Modified,
            ItemStatus::Renumbered => ItemStatusRecord::Renumbered,
            ItemStatus::Moved => ItemStatusRecord::Moved,
            ItemStatus::Removed => ItemStatusRecord::Removed,
            ItemStatus::Unchanged => ItemStatusRecord::Unchanged,
            ItemStatus::Typography | ItemStatus::Split | ItemStatus::Merged => return Err(()),
        })
    }
}

/// The reasons a record version holds, when it holds only some of the
/// model's (versions 1 and 2): a reason of later rules cannot be written
/// in it. `ReasonRecord` is the calling version's own.
macro_rules! some_reasons {
    ($($variant:ident),* $(,)?) => {
        impl From<ReasonRecord> for Reason {
            fn from(v: ReasonRecord) -> Self {
                match v { $(ReasonRecord::$variant => Reason::$variant),* }
            }
        }
        impl TryFrom<Reason> for ReasonRecord {
            type Error = ();
            fn try_from(v: Reason) -> Result<Self, ()> {
                match v {
                    $(Reason::$variant => Ok(ReasonRecord::$variant),)*
                    _ => Err(()),
                }
            }
        }
    };
}

pub(crate) use some_reasons;

some_reasons!(
    SameLabelAndText,
    SameText,
    SameTextOtherLabel,
    SameLabel,
    SimilarText,
    SameTextOtherMeeting,
    SameId,
    Override,
    NoCounterpart,
);

// ---------------------------------------------------------------------------
// Meetings.

impl From<&Meeting> for MeetingRecord {
    fn from(m: &Meeting) -> Self {
        MeetingRecord {
            key: m.key.clone(),
            part: m.part.clone(),
            year: m.year,
            body: m.body.clone(),
            kind: m.kind.into(),
            symbol: m.symbol.clone(),
            source: m.source.clone(),
            link: m.link.clone(),
            items: m
                .items
                .iter()
                .map(|i| ItemRecord {
                    id: i.id.clone(),
                    kind: i.kind.into(),
                    label: i.label.clone(),
                    text: i.text.clone(),
                    subitems: i
                        .subitems
                        .iter()
                        .map(|s| SubItemRecord {
                            label: s.label.clone(),
                            text: s.text.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<MeetingRecord> for Meeting {
    fn from(m: MeetingRecord) -> Self {
        Meeting {
            key: m.key,
            part: m.part,
            year: m.year,
            body: m.body,
            kind: m.kind.into(),
            symbol: m.symbol,
            source: m.source,
            link: m.link,
            items: m
                .items
                .into_iter()
                .map(|i| Item {
                    id: i.id,
                    kind: i.kind.into(),
                    label: i.label,
                    text: i.text,
                    subitems: i
                        .subitems
                        .into_iter()
                        .map(|s| SubItem {
                            label: s.label,
                            text: s.text,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// The edition record.

impl From<&Counts> for CountsRecord {
    fn from(c: &Counts) -> Self {
        CountsRecord {
            meetings: c.meetings,
            recommendations: c.recommendations,
            observations: c.observations,
        }
    }
}

impl From<CountsRecord> for Counts {
    fn from(c: CountsRecord) -> Self {
        Counts {
            meetings: c.meetings,
            recommendations: c.recommendations,
            observations: c.observations,
        }
    }
}

impl From<&Added> for AddedRecord {
    fn from(a: &Added) -> Self {
        AddedRecord {
            meetings: a.meetings,
            recommendations: a.recommendations,
            observations: a.observations,
            by_meeting: a
                .by_meeting
                .iter()
                .map(|m| AddedInMeetingRecord {
                    key: m.key.clone(),
                    part: m.part.clone(),
                    year: m.year,
                    body: m.body.clone(),
                    new_meeting: m.new_meeting,
                    recommendations: m.recommendations,
                    observations: m.observations,
                    items: m.items.clone(),
                })
                .collect(),
        }
    }
}

impl From<AddedRecord> for Added {
    fn from(a: AddedRecord) -> Self {
        Added {
            meetings: a.meetings,
            recommendations: a.recommendations,
            observations: a.observations,
            by_meeting: a
                .by_meeting
                .into_iter()
                .map(|m| AddedInMeeting {
                    key: m.key,
                    part: m.part,
                    year: m.year,
                    body: m.body,
                    new_meeting: m.new_meeting,
                    recommendations: m.recommendations,
                    observations: m.observations,
                    items: m.items,
                })
                .collect(),
        }
    }
}

/// The counts version 1 keeps; `items_typography` came with rules 2 and
/// `items_split` and `items_merged` with rules 3, which version 1
/// editions were not cut under.
macro_rules! summary_fields {
    ($($f:ident),* $(,)?) => {
        impl From<&Summary> for SummaryRecord {
            fn from(v: &Summary) -> Self { SummaryRecord { $($f: v.$f),* } }
        }
        impl From<SummaryRecord> for Summary {
            fn from(v: SummaryRecord) -> Self {
                Summary { $($f: v.$f,)* items_typography: 0, items_split: 0, items_merged: 0 }
            }
        }
    };
}

summary_fields!(
    meetings_added,
    meetings_removed,
    meetings_changed,
    meetings_symbol_corrected,
    items_added,
    items_removed,
    items_modified,
    items_renumbered,
    items_moved,
    items_unchanged,
    recommendations_added,
    observations_added,
    recommendations_removed,
    observations_removed,
    sections_changed,
);

impl From<&EditionMeta> for EditionRecord {
    fn from(e: &EditionMeta) -> Self {
        EditionRecord {
            schema_version: 1,
            id: e.id.clone(),
            title: e.title.clone(),
            place: e.place.clone(),
            date: e.date.to_string(),
            masthead: e.masthead.clone(),
            front_matter: e
                .front_matter
                .iter()
                .map(|s| SectionRecord {
                    title: s.title.clone(),
                    body: s.body.clone(),
                })
                .collect(),
            parts: e
                .parts
                .iter()
                .map(|p| PartRecord {
                    key: p.key.clone(),
                    title: p.title.clone(),
                    meetings: p.meetings.clone(),
                    keys: p.keys.clone(),
                })
                .collect(),
            contact: e.contact.clone(),
            counts: (&e.counts).into(),
            added: (&e.added).into(),
            changes: (&e.changes).into(),
            retired_ids: e.retired_ids.clone(),
            source: SourceRecord {
                file: e.source.file.clone(),
                sha256: e.source.sha256.clone(),
                bytes: e.source.bytes,
            },
            provenance: ProvenanceRecord {
                cut_by: PersonRecord {
                    name: e.provenance.cut_by.name.clone(),
                    email: e.provenance.cut_by.email.clone(),
                },
                cut_at: e.provenance.cut_at.clone(),
                livedoc_version: e.provenance.livedoc_version.clone(),
                date_from: e.provenance.date_from.into(),
                overrides: e
                    .provenance
                    .overrides
                    .iter()
                    .map(|o| OverrideRecord {
                        kind: o.kind.into(),
                        old: o.old.clone(),
                        new: o.new.clone(),
                    })
                    .collect(),
            },
        }
    }
}

impl EditionRecord {
    /// The in-memory form; fails only on a date that does not parse.
    pub fn to_meta(&self) -> Result<EditionMeta, String> {
        let date = EditionDate::parse(&self.date)
            .ok_or_else(|| format!("invalid edition date {:?}", self.date))?;
        Ok(EditionMeta {
            record_version: 1,
            // Version 1 names no rules: every edition it holds was cut
            // under the first ones.
            rules: Rules::V1,
            id: self.id.clone(),
            title: self.title.clone(),
            place: self.place.clone(),
            date,
            masthead: self.masthead.clone(),
            front_matter: self
                .front_matter
                .iter()
                .map(|s| Section {
                    title: s.title.clone(),
                    body: s.body.clone(),
                })
                .collect(),
            parts: self
                .parts
                .iter()
                .map(|p| PartLayout {
                    key: p.key.clone(),
                    title: p.title.clone(),
                    meetings: p.meetings.clone(),
                    keys: p.keys.clone(),
                    headers: Vec::new(),
                })
                .collect(),
            contact: self.contact.clone(),
            counts: self.counts.clone().into(),
            added: self.added.clone().into(),
            changes: self.changes.clone().into(),
            retired_ids: self.retired_ids.clone(),
            source: SourceInfo {
                file: self.source.file.clone(),
                sha256: self.source.sha256.clone(),
                bytes: self.source.bytes,
            },
            provenance: Provenance {
                cut_by: Person {
                    name: self.provenance.cut_by.name.clone(),
                    email: self.provenance.cut_by.email.clone(),
                },
                cut_at: self.provenance.cut_at.clone(),
                livedoc_version: self.provenance.livedoc_version.clone(),
                date_from: self.provenance.date_from.into(),
                overrides: self
                    .provenance
                    .overrides
                    .iter()
                    .map(|o| Override {
                        kind: o.kind.into(),
                        file: None,
                        old: o.old.clone(),
                        new: o.new.clone(),
                        line: 0,
                        new_line: 0,
                    })
                    .collect(),
            },
        })
    }
}

// ---------------------------------------------------------------------------
// Pairings.

impl TryFrom<&Pairings> for PairingsRecord {
    /// A status or reason version 1 cannot hold.
    type Error = ();

    fn try_from(p: &Pairings) -> Result<Self, ()> {
        Ok(PairingsRecord {
            schema_version: 1,
            from: p.from.clone(),
            meetings: meeting_pairings(p)?,
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

/// The meeting pairings as versions 1 and 2 hold them; fails on a reason
/// of later rules.
pub(crate) fn meeting_pairings(p: &Pairings) -> Result<Vec<MeetingPairingRecord>, ()> {
    p.meetings
        .iter()
        .map(|m| {
            Ok(MeetingPairingRecord {
                key: m.key.clone(),
                old_key: m.old_key.clone(),
                status: m.status.into(),
                reason: m.reason.map(TryInto::try_into).transpose()?,
            })
        })
        .collect()
}

/// Reads a `pairings.json` record of versions 1 and 2 into [`Pairings`]: every
/// version has the same fields, and its statuses and reasons convert into
/// the model's.
macro_rules! pairings_from_record {
    ($record:ty) => {
        impl From<&$record> for Pairings {
            fn from(p: &$record) -> Self {
                Pairings {
                    from: p.from.clone(),
                    meetings: p
                        .meetings
                        .iter()
                        .map(|m| MeetingPairing {
                            key: m.key.clone(),
                            old_key: m.old_key.clone(),
                            status: m.status.into(),
                            reason: m.reason.map(Into::into),
                        })
                        .collect(),
                    items: p
                        .items
                        .iter()
                        .map(|i| ItemPairing {
                            id: i.id.clone(),
                            meeting: i.meeting.clone(),
                            status: i.status.into(),
                            reason: i.reason.into(),
                            similarity: i.similarity,
                            old_label: i.old_label.clone(),
                            new_label: i.new_label.clone(),
                            from_meeting: i.from_meeting.clone(),
                            split_from: None,
                            merged_into: None,
                        })
                        .collect(),
                }
            }
        }
    };
}
pub(crate) use pairings_from_record;

pairings_from_record!(PairingsRecord);
