//! The versioned JSON view models that scripts depend on. They are built
//! from small `Serialize` structs, not by serialising internal types, so
//! the internal model can change without breaking the contract:
//! field names here are never renamed, only added.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::diff::matching::MeetingReason;
use crate::diff::words::{Change, ChangeOp};
use crate::diff::{
    Added, Aspect, EditionDiff, HeadingChange, ItemStatus, MeetingDiff, MeetingStatus, Reason,
    SectionDiff, SectionStatus, Summary,
};
use crate::history::blame::Blame;
use crate::history::trace::Trace;
use crate::model::{Counts, Edition, ItemKind, MeetingKind};
use crate::store::EditionInfo;
use crate::store::audit::{Report as VerifyReport, Violation};
use crate::store::repair::{DoctorReport, Repair};

/// The version of every JSON document livedoc prints.
pub const SCHEMA_VERSION: u32 = 2;

// ---------------------------------------------------------------------------
// The words of the contract: each internal enum has a view of its own, so
// that renaming a variant inside livedoc cannot change what scripts read.

macro_rules! view_enum {
    ($(#[$doc:meta])* $view:ident from $model:ty { $($variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $view {
            $($variant),*
        }

        impl From<$model> for $view {
            fn from(v: $model) -> Self {
                match v {
                    $(<$model>::$variant => $view::$variant),*
                }
            }
        }
    };
}

view_enum!(MeetingKindView from MeetingKind { WorkingGroup, ConstructiveDialogue, Other });
view_enum!(ItemKindView from ItemKind { Recommendation, Observation });
view_enum!(MeetingStatusView from MeetingStatus {
    Added, SymbolCorrected, Changed, Removed, Unchanged,
});
view_enum!(MeetingReasonView from MeetingReason { SameKey, SymbolCorrected, SameItems });
view_enum!(ItemStatusView from ItemStatus {
    Added, Modified, Renumbered, Moved, Typography, Split, Merged, Restored, Removed, Unchanged,
});
view_enum!(ReasonView from Reason {
    SameLabelAndText, SameText, SameTextOtherLabel, SameLabel, SimilarTextOtherLabel, SimilarText,
    SameTextOtherMeeting, SimilarTextOtherMeeting, SameId, Override, SplitFrom, MergedInto,
    NoCounterpart, WithdrawnBefore,
});
view_enum!(SectionStatusView from SectionStatus { Added, Modified, Renamed, Removed });
view_enum!(
    /// One thing that changed about a paired item.
    AspectView from Aspect { Label, Text, Meeting, Position, Typography }
);
view_enum!(ChangeOpView from ChangeOp { Equal, Delete, Insert });
view_enum!(SeverityView from Severity { Warning, Error });

#[derive(Serialize, JsonSchema)]
pub struct CountsView {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
}

impl From<&Counts> for CountsView {
    fn from(c: &Counts) -> Self {
        CountsView {
            meetings: c.meetings,
            recommendations: c.recommendations,
            observations: c.observations,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct AddedView<'a> {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
    pub by_meeting: Vec<AddedInMeetingView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct AddedInMeetingView<'a> {
    pub key: &'a str,
    pub part: &'a str,
    pub year: i32,
    pub body: &'a str,
    pub new_meeting: bool,
    pub recommendations: usize,
    pub observations: usize,
    /// The items added: a recommendation by its label, an observation by
    /// its position in the meeting (its label is null).
    pub items: Vec<AddedItemView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct AddedItemView<'a> {
    pub label: Option<&'a str>,
    pub position: Option<usize>,
}

impl<'a> AddedItemView<'a> {
    /// From the stored form: a label, or `#n` for the n-th observation.
    fn of(stored: &'a str) -> Self {
        match stored.strip_prefix('#').and_then(|n| n.parse().ok()) {
            Some(n) => AddedItemView {
                label: None,
                position: Some(n),
            },
            None => AddedItemView {
                label: Some(stored),
                position: None,
            },
        }
    }
}

impl<'a> From<&'a Added> for AddedView<'a> {
    fn from(a: &'a Added) -> Self {
        AddedView {
            meetings: a.meetings,
            recommendations: a.recommendations,
            observations: a.observations,
            by_meeting: a
                .by_meeting
                .iter()
                .map(|m| AddedInMeetingView {
                    key: &m.key,
                    part: &m.part,
                    year: m.year,
                    body: &m.body,
                    new_meeting: m.new_meeting,
                    recommendations: m.recommendations,
                    observations: m.observations,
                    items: m.items.iter().map(|i| AddedItemView::of(i)).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct SummaryView {
    pub meetings_added: usize,
    pub meetings_removed: usize,
    /// Changed meetings, symbol corrections included.
    pub meetings_changed: usize,
    pub meetings_symbol_corrected: usize,
    pub items_added: usize,
    pub items_removed: usize,
    pub items_modified: usize,
    pub items_renumbered: usize,
    pub items_moved: usize,
    /// Items whose text changed only in typographic equivalents.
    pub items_typography: usize,
    /// New items split off an old one; not counted as added.
    pub items_split: usize,
    /// Old items merged into a neighbour; not counted as removed.
    pub items_merged: usize,
    /// Items withdrawn in an earlier edition and back under their id; not
    /// counted as added.
    pub items_restored: usize,
    pub items_unchanged: usize,
    pub recommendations_added: usize,
    pub observations_added: usize,
    pub recommendations_removed: usize,
    pub observations_removed: usize,
    pub sections_changed: usize,
}

impl From<&Summary> for SummaryView {
    fn from(s: &Summary) -> Self {
        SummaryView {
            meetings_added: s.meetings_added,
            meetings_removed: s.meetings_removed,
            meetings_changed: s.meetings_changed,
            meetings_symbol_corrected: s.meetings_symbol_corrected,
            items_added: s.items_added,
            items_removed: s.items_removed,
            items_modified: s.items_modified,
            items_renumbered: s.items_renumbered,
            items_moved: s.items_moved,
            items_typography: s.items_typography,
            items_split: s.items_split,
            items_merged: s.items_merged,
            items_restored: s.items_restored,
            items_unchanged: s.items_unchanged,
            recommendations_added: s.recommendations_added,
            observations_added: s.observations_added,
            recommendations_removed: s.recommendations_removed,
            observations_removed: s.observations_removed,
            sections_changed: s.sections_changed,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct ChangeView<'a> {
    pub op: ChangeOpView,
    pub text: &'a str,
}

fn changes_view(changes: &[Change]) -> Vec<ChangeView<'_>> {
    changes
        .iter()
        .map(|c| ChangeView {
            op: c.op.into(),
            text: &c.text,
        })
        .collect()
}

#[derive(Serialize, JsonSchema)]
pub struct SectionDiffView<'a> {
    pub title: &'a str,
    /// A renamed section's title before.
    pub old_title: Option<&'a str>,
    pub status: SectionStatusView,
    pub changes: Vec<ChangeView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct ViolationView<'a> {
    /// A stable name for the kind of violation.
    pub kind: &'static str,
    /// The edition it concerns, when it concerns one.
    pub edition: Option<&'a str>,
    pub message: &'a str,
}

fn violations_view(list: &[Violation]) -> Vec<ViolationView<'_>> {
    list.iter()
        .map(|v| ViolationView {
            kind: v.kind.as_str(),
            edition: v.edition.as_deref(),
            message: &v.message,
        })
        .collect()
}

#[derive(Serialize, JsonSchema)]
pub struct ShowView<'a> {
    /// Absent where a show view is nested (the site's export).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// The edition id.
    pub edition: &'a str,
    pub metadata: ShowEditionView<'a>,
    pub front_matter: Vec<SectionView<'a>>,
    pub parts: Vec<PartView<'a>>,
    pub contact: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
pub struct ShowEditionView<'a> {
    pub title: &'a str,
    pub date: String,
    pub place: Option<&'a str>,
    pub counts: CountsView,
    pub commit: Option<String>,
    /// The tag's name (`edition/<id>`).
    pub tag: Option<String>,
    /// The tag object's id.
    pub tag_object: Option<String>,
    pub cut_by: Option<String>,
    pub cut_at: Option<&'a str>,
    pub source_sha256: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct PartView<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub counts: CountsView,
    pub meetings: Vec<MeetingView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct MeetingView<'a> {
    pub key: &'a str,
    pub part: &'a str,
    pub year: i32,
    pub body: &'a str,
    pub kind: MeetingKindView,
    pub symbol: Option<&'a str>,
    pub source: Option<&'a str>,
    pub link: Option<&'a str>,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct ItemView<'a> {
    pub id: &'a str,
    pub kind: ItemKindView,
    pub label: Option<&'a str>,
    pub text: &'a str,
    pub subitems: Vec<SubItemView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct SubItemView<'a> {
    pub label: &'a str,
    pub text: &'a str,
}

/// The view of `show --format json`.
pub fn show_view<'a>(edition: &'a Edition, info: Option<&'a EditionInfo>) -> ShowView<'a> {
    ShowView {
        schema_version: Some(SCHEMA_VERSION),
        edition: &edition.id,
        metadata: ShowEditionView {
            title: &edition.title,
            date: edition.date.to_string(),
            place: edition.place.as_deref(),
            counts: (&edition.counts()).into(),
            commit: info.map(|i| i.commit.to_string()),
            tag: info
                .and_then(|i| i.tag)
                .map(|_| crate::store::tag_name(&edition.id)),
            tag_object: info.and_then(|i| i.tag).map(|t| t.to_string()),
            cut_by: info.map(|i| i.meta.provenance.cut_by.to_string()),
            cut_at: info.map(|i| i.meta.provenance.cut_at.as_str()),
            source_sha256: info.map(|i| i.meta.source.sha256.as_str()),
        },
        front_matter: edition
            .front_matter
            .iter()
            .map(|s| SectionView {
                title: &s.title,
                body: &s.body,
            })
            .collect(),
        parts: edition
            .parts
            .iter()
            .map(|p| PartView {
                key: &p.key,
                title: &p.title,
                counts: (&p.counts()).into(),
                meetings: p
                    .meetings
                    .iter()
                    .map(|m| MeetingView {
                        key: &m.key,
                        part: &m.part,
                        year: m.year,
                        body: &m.body,
                        kind: m.kind.into(),
                        symbol: m.symbol.as_deref(),
                        source: m.source.as_deref(),
                        link: m.link.as_deref(),
                        items: m
                            .items
                            .iter()
                            .map(|i| ItemView {
                                id: &i.id,
                                kind: i.kind.into(),
                                label: i.label.as_deref(),
                                text: &i.text,
                                subitems: i
                                    .subitems
                                    .iter()
                                    .map(|s| SubItemView {
                                        label: &s.label,
                                        text: &s.text,
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        contact: edition.contact.as_deref(),
    }
}

#[derive(Serialize, JsonSchema)]
pub struct LogView<'a> {
    pub schema_version: u32,
    pub editions: Vec<LogEntry<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct LogEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: String,
    pub counts: CountsView,
    pub added: AddedView<'a>,
    /// Counts of everything the edition changed.
    pub changes: SummaryView,
    pub commit: String,
    /// The tag's name (`edition/<id>`).
    pub tag: Option<String>,
    /// The tag object's id.
    pub tag_object: Option<String>,
    pub cut_by: String,
    pub cut_at: &'a str,
    pub source_sha256: &'a str,
}

/// The view of `log --format json`, newest edition first.
pub fn log_view(editions: &[EditionInfo]) -> LogView<'_> {
    LogView {
        schema_version: SCHEMA_VERSION,
        editions: editions
            .iter()
            .rev()
            .map(|e| LogEntry {
                id: &e.meta.id,
                title: &e.meta.title,
                date: e.meta.date.to_string(),
                counts: (&e.meta.counts).into(),
                added: (&e.meta.added).into(),
                changes: (&e.meta.changes).into(),
                commit: e.commit.to_string(),
                tag: e.tag.map(|_| crate::store::tag_name(&e.meta.id)),
                tag_object: e.tag.map(|t| t.to_string()),
                cut_by: e.meta.provenance.cut_by.to_string(),
                cut_at: e.meta.provenance.cut_at.as_str(),
                source_sha256: &e.meta.source.sha256,
            })
            .collect(),
    }
}

/// Writes a view as pretty JSON with a trailing newline.
pub fn write<T: Serialize>(view: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, view)?;
    writeln!(out)
}

/// The view of `diff --format json` (and `whatsnew`).
#[derive(Serialize, JsonSchema)]
pub struct DiffView<'a> {
    /// Absent where a diff is nested (each edition of `changelog`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// The edition id or file path of each side.
    pub from: &'a str,
    pub to: &'a str,
    pub from_edition: SideView<'a>,
    pub to_edition: SideView<'a>,
    pub summary: SummaryView,
    pub meetings: Vec<MeetingDiffView<'a>>,
    pub sections: Vec<SectionDiffView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct SideView<'a> {
    pub id: &'a str,
    pub date: &'a str,
    pub title: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct MeetingDiffView<'a> {
    pub key: &'a str,
    pub old_key: Option<&'a str>,
    pub part: &'a str,
    pub year: i32,
    pub body: &'a str,
    pub symbol: Option<&'a str>,
    pub old_symbol: Option<&'a str>,
    pub status: MeetingStatusView,
    pub reason: Option<MeetingReasonView>,
    /// How the heading of a paired meeting changed, with the old and new
    /// values (a year as its digits).
    pub reasons: Vec<HeadingChangeView>,
    pub items: Vec<ItemDiffView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct HeadingChangeView {
    /// `symbol_corrected`, `renamed`, `year_corrected` or `source_changed`.
    pub kind: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

fn heading_changes_view(m: &MeetingDiff) -> Vec<HeadingChangeView> {
    m.heading_changes
        .iter()
        .map(|c| match c {
            HeadingChange::Symbol { old } => HeadingChangeView {
                kind: "symbol_corrected",
                old: old.clone(),
                new: m.symbol.clone(),
            },
            HeadingChange::Body { old } => HeadingChangeView {
                kind: "renamed",
                old: Some(old.clone()),
                new: Some(m.body.clone()),
            },
            HeadingChange::Year { old } => HeadingChangeView {
                kind: "year_corrected",
                old: Some(old.to_string()),
                new: Some(m.year.to_string()),
            },
            HeadingChange::Source { old } => HeadingChangeView {
                kind: "source_changed",
                old: old.clone(),
                new: m.source.clone(),
            },
        })
        .collect()
}

#[derive(Serialize, JsonSchema)]
pub struct ItemDiffView<'a> {
    pub id: &'a str,
    pub kind: ItemKindView,
    pub status: ItemStatusView,
    pub old_label: Option<&'a str>,
    pub new_label: Option<&'a str>,
    pub old_text: Option<&'a str>,
    pub new_text: Option<&'a str>,
    pub similarity: Option<f64>,
    pub reason: ReasonView,
    /// The reason in words.
    pub reason_text: &'static str,
    pub changes: Vec<ChangeView<'a>>,
    pub from_meeting: Option<&'a str>,
    pub old_position: Option<usize>,
    pub new_position: Option<usize>,
    /// What changed of a paired item: `label`, `text`, `meeting`,
    /// `position`, `typography`; empty for an added or removed one.
    pub aspects: Vec<AspectView>,
    /// For a `split` item: the id of the old item it was split off.
    pub split_from: Option<&'a str>,
    /// For a `merged` item: the id of the item that now holds its text.
    pub merged_into: Option<&'a str>,
    /// For a `restored` item: the edition it was withdrawn in, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_in: Option<&'a str>,
}

pub fn diff_view(d: &EditionDiff) -> DiffView<'_> {
    DiffView {
        schema_version: Some(SCHEMA_VERSION),
        from: &d.from.name,
        to: &d.to.name,
        from_edition: SideView {
            id: &d.from.edition_id,
            date: &d.from.date,
            title: &d.from.title,
        },
        to_edition: SideView {
            id: &d.to.edition_id,
            date: &d.to.date,
            title: &d.to.title,
        },
        summary: (&d.summary).into(),
        meetings: d
            .meetings
            .iter()
            .map(|m| MeetingDiffView {
                key: &m.key,
                old_key: m.old_key.as_deref(),
                part: &m.part,
                year: m.year,
                body: &m.body,
                symbol: m.symbol.as_deref(),
                old_symbol: m.old_symbol.as_deref(),
                status: m.status.into(),
                reason: m.reason.map(Into::into),
                reasons: heading_changes_view(m),
                items: m
                    .items
                    .iter()
                    .map(|i| ItemDiffView {
                        id: &i.id,
                        kind: i.kind.into(),
                        status: i.status.into(),
                        old_label: i.old_label.as_deref(),
                        new_label: i.new_label.as_deref(),
                        old_text: i.old_text.as_deref(),
                        new_text: i.new_text.as_deref(),
                        similarity: i.similarity(),
                        reason: i.reason.into(),
                        reason_text: i.reason.describe(),
                        changes: changes_view(i.changes()),
                        from_meeting: i.from_meeting(),
                        old_position: i.old_position,
                        new_position: i.new_position,
                        aspects: i.aspects().iter().map(|&a| a.into()).collect(),
                        split_from: i.split_from(),
                        merged_into: i.merged_into(),
                        withdrawn_in: i.withdrawn_in(),
                    })
                    .collect(),
            })
            .collect(),
        sections: d.sections.iter().map(section_view).collect(),
    }
}

fn section_view(s: &SectionDiff) -> SectionDiffView<'_> {
    SectionDiffView {
        title: &s.title,
        old_title: s.old_title.as_deref(),
        status: s.status.into(),
        changes: changes_view(&s.changes),
    }
}

/// The view of `trace --format json`.
#[derive(Serialize, JsonSchema)]
pub struct TraceView<'a> {
    pub schema_version: u32,
    /// The item's permanent id.
    pub id: &'a str,
    pub kind: Option<ItemKindView>,
    pub entries: Vec<TraceEntryView<'a>>,
    pub meeting_reads: usize,
    /// How many editions' records were read (0 when the history index
    /// covers every edition).
    pub records_read: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct TraceEntryView<'a> {
    pub edition: &'a str,
    pub date: String,
    pub status: ItemStatusView,
    pub reason: Option<ReasonView>,
    pub meeting: &'a str,
    pub label: Option<&'a str>,
    /// The item's place in its meeting (1-based) in this edition: the
    /// number an unlabelled observation goes by ("Observation 3"), where
    /// known.
    pub position: Option<usize>,
    pub text: &'a str,
    pub changes: Vec<ChangeView<'a>>,
    /// For a part split off another item: that item's id.
    pub split_from: Option<&'a str>,
    /// The ids of the parts split off this item in this edition.
    pub split_off: Vec<&'a str>,
    /// For an item merged into another: that item's id.
    pub merged_into: Option<&'a str>,
    /// The ids of the items merged into this one in this edition.
    pub merged_from: Vec<&'a str>,
    pub commit: String,
    /// The tag's name (`edition/<id>`).
    pub tag: Option<String>,
    /// The tag object's id.
    pub tag_object: Option<String>,
    pub cut_by: String,
    pub cut_at: &'a str,
}

pub fn trace_view(t: &Trace) -> TraceView<'_> {
    TraceView {
        schema_version: SCHEMA_VERSION,
        id: &t.item,
        kind: t.kind.map(Into::into),
        entries: t
            .entries
            .iter()
            .map(|e| TraceEntryView {
                edition: &e.edition,
                date: e.date.to_string(),
                status: e.status.into(),
                reason: e.reason.map(Into::into),
                meeting: &e.meeting,
                label: e.label.as_deref(),
                position: e.position,
                text: &e.text,
                changes: changes_view(&e.changes),
                split_from: e.split_from.as_deref(),
                split_off: e.split_off.iter().map(String::as_str).collect(),
                merged_into: e.merged_into.as_deref(),
                merged_from: e.merged_from.iter().map(String::as_str).collect(),
                commit: e.commit.to_string(),
                tag: e.tag.map(|_| crate::store::tag_name(&e.edition)),
                tag_object: e.tag.map(|t| t.to_string()),
                cut_by: e.cut_by.to_string(),
                cut_at: e.cut_at.as_str(),
            })
            .collect(),
        meeting_reads: t.meeting_reads,
        records_read: t.records_read,
    }
}

/// The view of `blame --format json`.
#[derive(Serialize, JsonSchema)]
pub struct BlameView<'a> {
    pub schema_version: u32,
    pub edition: &'a str,
    pub commit: String,
    pub items: Vec<BlameItemView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct BlameItemView<'a> {
    pub id: &'a str,
    pub kind: ItemKindView,
    pub meeting: &'a str,
    pub label: Option<&'a str>,
    pub introduced: &'a str,
    pub last_changed: &'a str,
    pub last_change: ItemStatusView,
    /// For an item split off another: that item's id.
    pub split_from: Option<&'a str>,
}

pub fn blame_view(b: &Blame) -> BlameView<'_> {
    BlameView {
        schema_version: SCHEMA_VERSION,
        edition: b.info.id(),
        commit: b.info.commit.to_string(),
        items: b
            .lines
            .iter()
            .map(|l| BlameItemView {
                id: &l.id,
                kind: l.kind.into(),
                meeting: &l.meeting,
                label: l.label.as_deref(),
                introduced: &l.introduced,
                last_changed: &l.last_changed,
                last_change: l.last_change.into(),
                split_from: l.split_from.as_deref(),
            })
            .collect(),
    }
}

/// The view of `verify --format json`.
#[derive(Serialize, JsonSchema)]
pub struct VerifyView<'a> {
    pub schema_version: u32,
    pub ok: bool,
    /// How many editions were checked.
    pub editions_checked: usize,
    pub objects_checked: usize,
    pub signatures_checked: usize,
    pub violations: Vec<ViolationView<'a>>,
    /// What holds but an auditor should know, in the same shape as a
    /// violation (`reader-changed`: today's Word reader reads an old
    /// edition's `source.docx` otherwise than the reader it was cut with).
    pub notices: Vec<ViolationView<'a>>,
    /// The newest ledger entry as `SEQ:ENTRY_SHA256`, for `--anchor`.
    pub anchor: Option<&'a str>,
}

pub fn verify_view(r: &VerifyReport) -> VerifyView<'_> {
    VerifyView {
        schema_version: SCHEMA_VERSION,
        ok: r.ok(),
        editions_checked: r.editions,
        objects_checked: r.objects_checked,
        signatures_checked: r.signatures_checked,
        violations: violations_view(&r.violations),
        notices: r
            .notices
            .iter()
            .map(|n| ViolationView {
                kind: n.kind.as_str(),
                edition: n.edition.as_deref(),
                message: &n.message,
            })
            .collect(),
        anchor: r.anchor.as_deref(),
    }
}

/// The view of `doctor --format json`.
#[derive(Serialize, JsonSchema)]
pub struct DoctorView<'a> {
    pub schema_version: u32,
    pub ok: bool,
    pub repairs: Vec<RepairView<'a>>,
    /// What `verify` finds after the repairs: tampering the doctor does
    /// not touch.
    pub remaining: Vec<ViolationView<'a>>,
    /// What to do about what the doctor could not finish.
    pub advice: &'a [String],
}

#[derive(Serialize, JsonSchema)]
pub struct RepairView<'a> {
    /// A stable name for the kind of repair.
    pub kind: &'static str,
    pub edition: Option<&'a str>,
    pub message: &'a str,
}

pub fn doctor_view(r: &DoctorReport) -> DoctorView<'_> {
    DoctorView {
        schema_version: SCHEMA_VERSION,
        ok: r.ok(),
        repairs: r
            .repairs
            .iter()
            .map(|rep: &Repair| RepairView {
                kind: rep.kind.as_str(),
                edition: rep.edition.as_deref(),
                message: &rep.message,
            })
            .collect(),
        remaining: violations_view(&r.remaining),
        advice: &r.advice,
    }
}

/// The view of `check --format json`.
#[derive(Serialize, JsonSchema)]
pub struct CheckView<'a> {
    pub schema_version: u32,
    pub file: &'a str,
    pub errors: usize,
    /// Warnings, not counting the accepted ones.
    pub warnings: usize,
    pub findings: Vec<FindingView<'a>>,
    /// The accepted-findings file applied, if any.
    pub accepted_file: Option<&'a str>,
    /// The warnings it accepts, each with its reason; not counted.
    pub accepted: Vec<AcceptedFindingView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct AcceptedFindingView<'a> {
    #[serde(flatten)]
    pub finding: FindingView<'a>,
    pub reason: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct FindingView<'a> {
    pub severity: SeverityView,
    /// A stable, machine-readable name for the kind of finding.
    pub code: &'static str,
    /// The line in a Markdown document; null for a Word document, whose
    /// findings name a paragraph instead.
    pub line: Option<usize>,
    /// In a Word document: the paragraph (1-based, every paragraph of the
    /// body counted in order, empty ones included).
    pub paragraph: Option<usize>,
    /// In a Word document: the text of the heading the paragraph is under.
    pub heading: Option<&'a str>,
    pub message: &'a str,
    pub hint: Option<&'a str>,
    /// The item (or meeting) it concerns, named as in the draft
    /// (`<meeting key>#<label>`, `<meeting key>#o<n>`), where known: the
    /// name an accepted-findings entry gives.
    pub item: Option<&'a str>,
}

fn findings_view(list: &[Diagnostic]) -> Vec<FindingView<'_>> {
    list.iter().map(finding_view).collect()
}

fn finding_view(d: &Diagnostic) -> FindingView<'_> {
    FindingView {
        severity: d.severity.into(),
        code: d.code.as_str(),
        line: if d.place.is_some() { None } else { d.line },
        paragraph: d.place.as_ref().map(|p| p.paragraph),
        heading: d.place.as_ref().and_then(|p| p.heading.as_deref()),
        message: &d.message,
        hint: d.hint.as_deref(),
        item: d.item.as_deref(),
    }
}

pub fn check_view(r: &crate::parse::check::CheckReport) -> CheckView<'_> {
    CheckView {
        schema_version: SCHEMA_VERSION,
        file: &r.file,
        errors: r.errors(),
        warnings: r.warnings(),
        findings: findings_view(&r.findings),
        accepted_file: r.accepted_file.as_deref(),
        accepted: r
            .accepted
            .iter()
            .map(|(d, reason)| AcceptedFindingView {
                finding: finding_view(d),
                reason,
            })
            .collect(),
    }
}

/// The view of `changelog --format json`: one diff per edition, newest
/// first.
#[derive(Serialize, JsonSchema)]
pub struct ChangelogView<'a> {
    pub schema_version: u32,
    pub editions: Vec<DiffView<'a>>,
}

pub fn changelog_view(reports: &[EditionDiff]) -> ChangelogView<'_> {
    ChangelogView {
        schema_version: SCHEMA_VERSION,
        editions: reports
            .iter()
            .map(|r| DiffView {
                schema_version: None,
                ..diff_view(r)
            })
            .collect(),
    }
}

/// `editions.json` of the site: every edition as `show --format json`
/// gives it, oldest first.
#[derive(Serialize, JsonSchema)]
pub struct SiteExport<'a> {
    pub schema_version: u32,
    pub editions: Vec<ShowView<'a>>,
}

pub fn site_export<'a>(editions: &'a [Edition], infos: &'a [EditionInfo]) -> SiteExport<'a> {
    SiteExport {
        schema_version: SCHEMA_VERSION,
        editions: editions
            .iter()
            .zip(infos)
            .map(|(e, i)| ShowView {
                schema_version: None,
                ..show_view(e, Some(i))
            })
            .collect(),
    }
}

view_enum!(
    /// What an import did with one file.
    ImportOutcomeView from crate::render::ImportOutcome {
        Imported, AlreadyPresent, Completed, WouldImport, WouldSkip,
    }
);

/// One file of an import, as the import command saw it: the input of
/// [`import_view`].
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub id: String,
    pub date: crate::model::EditionDate,
    /// The file as named on the command line.
    pub file: String,
    pub outcome: crate::render::ImportOutcome,
    pub commit: Option<String>,
    pub tag: Option<String>,
    pub counts: Counts,
    pub added: Added,
    /// The edition it follows, and what it changes against it.
    pub follows: Option<String>,
    pub changes: Option<Summary>,
    /// The draft's findings, as printed on stderr.
    pub warnings: Vec<Diagnostic>,
    /// Warnings about the edition as a whole (its date, its id), as
    /// printed on stderr.
    pub notes: Vec<String>,
}

/// The view of `import --format json`.
#[derive(Serialize, JsonSchema)]
pub struct ImportView<'a> {
    pub schema_version: u32,
    /// The store, as named (`--store`, `LIVEDOC_STORE` or `livedoc.git`).
    pub store: &'a str,
    /// True when this import created the store.
    pub created_store: bool,
    /// True for `--dry-run`: nothing was written.
    pub dry_run: bool,
    /// One entry per file, in the order imported.
    pub editions: Vec<ImportEditionView<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct ImportEditionView<'a> {
    pub id: &'a str,
    pub date: String,
    pub file: &'a str,
    pub outcome: ImportOutcomeView,
    /// The edition's commit; null in a dry run.
    pub commit: Option<&'a str>,
    /// The tag's name (`edition/<id>`); null in a dry run.
    pub tag: Option<&'a str>,
    pub counts: CountsView,
    pub added: AddedView<'a>,
    /// The edition this one follows; null for a store's first edition.
    pub follows: Option<&'a str>,
    /// Counts of what it changes against the edition it follows.
    pub changes: Option<SummaryView>,
    pub warnings: Vec<FindingView<'a>>,
    pub notes: Vec<&'a str>,
}

pub fn import_view<'a>(
    store: &'a str,
    created_store: bool,
    dry_run: bool,
    rows: &'a [ImportRow],
) -> ImportView<'a> {
    ImportView {
        schema_version: SCHEMA_VERSION,
        store,
        created_store,
        dry_run,
        editions: rows
            .iter()
            .map(|r| ImportEditionView {
                id: &r.id,
                date: r.date.to_string(),
                file: &r.file,
                outcome: r.outcome.into(),
                commit: r.commit.as_deref(),
                tag: r.tag.as_deref(),
                counts: (&r.counts).into(),
                added: (&r.added).into(),
                follows: r.follows.as_deref(),
                changes: r.changes.as_ref().map(SummaryView::from),
                warnings: findings_view(&r.warnings),
                notes: r.notes.iter().map(String::as_str).collect(),
            })
            .collect(),
    }
}

/// The view of `push --format json` and `pull --format json`.
#[derive(Serialize, JsonSchema)]
pub struct SyncView<'a> {
    pub schema_version: u32,
    /// `push` or `pull`.
    pub direction: &'a str,
    /// The remote as named on the command line.
    pub remote: &'a str,
    /// The editions sent or brought, oldest first.
    pub editions: &'a [String],
    /// Editions whose ledger entries alone were sent or brought (the
    /// receiving store held them unsealed).
    pub sealed: &'a [String],
    /// True when nothing moved because both sides have the same editions.
    pub up_to_date: bool,
    /// The newest edition left behind because its ledger does not seal it
    /// yet (an import running or interrupted on the sending side).
    pub unsealed: Option<&'a str>,
    /// The newest edition sent or brought up to, when one was left behind.
    pub sealed_up_to: Option<&'a str>,
}

pub fn sync_view<'a>(
    direction: &'a str,
    remote: &'a str,
    r: &'a crate::store::sync::SyncReport,
) -> SyncView<'a> {
    SyncView {
        schema_version: SCHEMA_VERSION,
        direction,
        remote,
        editions: &r.editions,
        sealed: &r.sealed,
        up_to_date: r.editions.is_empty() && r.sealed.is_empty(),
        unsealed: r.unsealed.as_ref().map(|u| u.newest.as_str()),
        sealed_up_to: r.unsealed.as_ref().and_then(|u| u.sealed.as_deref()),
    }
}

/// The JSON Schema of each command's `--format json` output (and of the
/// site's `editions.json`), generated from the view types: the published
/// contract, committed under `schemas/` as `<name>.json`.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn of<T: JsonSchema>() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(T)).expect("schemas serialise")
    }
    vec![
        ("blame", of::<BlameView<'static>>()),
        ("changelog", of::<ChangelogView<'static>>()),
        ("check", of::<CheckView<'static>>()),
        ("diff", of::<DiffView<'static>>()),
        ("doctor", of::<DoctorView<'static>>()),
        ("import", of::<ImportView<'static>>()),
        ("log", of::<LogView<'static>>()),
        ("show", of::<ShowView<'static>>()),
        ("site-editions", of::<SiteExport<'static>>()),
        ("sync", of::<SyncView<'static>>()),
        ("trace", of::<TraceView<'static>>()),
        ("verify", of::<VerifyView<'static>>()),
    ]
}

#[cfg(test)]
mod schema_tests {
    /// The committed schemas are what the view types generate. After an
    /// intended change of a view, regenerate them with
    /// `LIVEDOC_UPDATE_SCHEMAS=1 cargo test --lib committed_schemas` and
    /// review the diff (fields may be added, never renamed).
    #[test]
    fn committed_schemas_are_up_to_date() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let update = std::env::var_os("LIVEDOC_UPDATE_SCHEMAS").is_some();
        for (name, schema) in super::schemas() {
            let path = dir.join(format!("{name}.json"));
            let mut text = serde_json::to_string_pretty(&schema).expect("a schema");
            text.push('\n');
            if update {
                std::fs::create_dir_all(&dir).expect("schemas/");
                std::fs::write(&path, &text).expect("write the schema");
                continue;
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!("{} is missing: run LIVEDOC_UPDATE_SCHEMAS=1 cargo test --lib committed_schemas", path.display())
            });
            assert_eq!(
                committed,
                text,
                "{} is out of date: run LIVEDOC_UPDATE_SCHEMAS=1 cargo test --lib committed_schemas",
                path.display()
            );
        }
    }
}
