//! `edition.json`, every version in one declaration.
//!
//! The fields are declared once, in the order every version writes them;
//! what a version adds is an optional field that the versions before it
//! never write (gix-index's one `State` and a `Version` that decides what
//! is written). [`Shape`] says what each version holds, and a record that
//! holds more or less than its version is refused when read.
//!
//! | version | adds |
//! |---|---|
//! | 1 | livedoc 0.1: everything below but what later versions add |
//! | 2 | `provenance.rules` (the rules the edition was cut with); `changes.items_typography` |
//! | 3 | `changes.items_split`, `changes.items_merged` (rules 3) |
//! | 4 | each part's `meetings` list each meeting's heading and item count beside its file, instead of a path list and a `keys` list; compact JSON |
//! | 5 | `source.reader` (the version of the Word reader a .docx was read with); `changes.items_restored` (rules 4: items withdrawn before and back again, no longer counted in `items_added`) |
//!
//! Released versions are read forever and never changed: their bytes are
//! pinned by the golden stores under `tests/fixtures/store/`.

use serde::{Deserialize, Serialize};

use super::RecordError;
use super::enums::{DateFromRecord, MeetingKindRecord, OverrideKindRecord};
use crate::diff::overrides::Override;
use crate::diff::{Added, AddedInMeeting, Summary};
use crate::model::{Counts, EditionDate, MeetingHeader, Section};
use crate::rules::Rules;
use crate::store::snapshot::{EditionMeta, PartLayout, Person, Provenance, SourceInfo, Timestamp};

/// What one version of `edition.json` holds beyond version 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// `provenance.rules` and `changes.items_typography` (version 2 on).
    pub rules: bool,
    /// `changes.items_split` and `changes.items_merged` (version 3 on).
    pub split_merged: bool,
    /// Meeting headings in the parts instead of paths and keys (version 4).
    pub headings: bool,
    /// `source.reader` and `changes.items_restored` (version 5).
    pub reader: bool,
}

impl Shape {
    pub fn of(version: u32) -> Option<Shape> {
        (1..=5).contains(&version).then_some(Shape {
            rules: version >= 2,
            split_merged: version >= 3,
            headings: version >= 4,
            reader: version >= 5,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EditionRecord {
    /// The record version, under the name it has in the file.
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
    /// Absent from the first version 1 files, which changed nothing.
    #[serde(default)]
    pub changes: SummaryRecord,
    #[serde(default)]
    pub retired_ids: Vec<String>,
    pub source: SourceRecord,
    pub provenance: ProvenanceRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SectionRecord {
    pub title: String,
    pub body: String,
}

/// A part and its meetings, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PartRecord {
    pub key: String,
    pub title: String,
    /// Paths (versions 1 to 3) or headings with their paths (version 4).
    pub meetings: Vec<MeetingEntryRecord>,
    /// Versions 1 to 3: the key of each meeting, in the same order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum MeetingEntryRecord {
    /// Versions 1 to 3: the path of the meeting's file.
    Path(String),
    /// Version 4: where the file is, and what the heading says.
    Heading(MeetingHeadingRecord),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MeetingHeadingRecord {
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountsRecord {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AddedRecord {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
    pub by_meeting: Vec<AddedInMeetingRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

/// The counts of what an edition changed. The optional counts are those
/// of later rules, written only by the versions that hold them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_typography: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_split: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_merged: Option<usize>,
    /// Version 5 on: items withdrawn before and back again (before
    /// version 5, `items_added` counts them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_restored: Option<usize>,
    pub items_unchanged: usize,
    pub recommendations_added: usize,
    pub observations_added: usize,
    pub recommendations_removed: usize,
    pub observations_removed: usize,
    pub sections_changed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SourceRecord {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    /// Version 5 on, for a .docx: the version of the Word reader it was
    /// read with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProvenanceRecord {
    pub cut_by: PersonRecord,
    pub cut_at: String,
    pub livedoc_version: String,
    pub date_from: DateFromRecord,
    #[serde(default)]
    pub overrides: Vec<OverrideRecord>,
    /// Version 2 on: the number of the parsing and matching rules it was
    /// cut with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PersonRecord {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OverrideRecord {
    pub kind: OverrideKindRecord,
    pub old: String,
    pub new: String,
}

impl EditionRecord {
    /// The edition as `version` stores it; `None` for a version this
    /// livedoc does not know.
    pub fn new(version: u32, e: &EditionMeta) -> Option<Self> {
        let shape = Shape::of(version)?;
        let parts = e.parts.iter().map(|p| part_record(shape, p)).collect();
        Some(EditionRecord {
            schema_version: version,
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
            parts,
            contact: e.contact.clone(),
            counts: CountsRecord {
                meetings: e.counts.meetings,
                recommendations: e.counts.recommendations,
                observations: e.counts.observations,
            },
            added: added_record(&e.added),
            changes: summary_record(shape, &e.changes),
            retired_ids: e.retired_ids.clone(),
            source: SourceRecord {
                file: e.source.file.clone(),
                sha256: e.source.sha256.clone(),
                bytes: e.source.bytes,
                reader: e.source.reader.filter(|_| shape.reader),
            },
            provenance: ProvenanceRecord {
                cut_by: PersonRecord {
                    name: e.provenance.cut_by.name.clone(),
                    email: e.provenance.cut_by.email.clone(),
                },
                cut_at: e.provenance.cut_at.to_string(),
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
                rules: shape.rules.then(|| e.rules.number()),
            },
        })
    }

    /// What its version holds, or why it holds something else.
    fn shape(&self) -> Result<Shape, RecordError> {
        let version = self.schema_version;
        let shape = Shape::of(version).ok_or(RecordError::Unknown { version })?;
        let wrong = |what: &str| {
            Err(RecordError::Parse(format!(
                "a version {version} edition.json {what}"
            )))
        };
        let c = &self.changes;
        if self.provenance.rules.is_some() != shape.rules
            || c.items_typography.is_some() != shape.rules
        {
            return wrong(if shape.rules {
                "lacks its rules or its typography count"
            } else {
                "names rules or counts typography, which version 1 does not"
            });
        }
        if c.items_split.is_some() != shape.split_merged
            || c.items_merged.is_some() != shape.split_merged
        {
            return wrong("does not count splits and merges as its version does");
        }
        if c.items_restored.is_some() != shape.reader {
            return wrong("does not count restorations as its version does");
        }
        if self.source.reader.is_some() && !shape.reader {
            return wrong("names a Word reader, which versions before 5 do not");
        }
        for p in &self.parts {
            let headings = p
                .meetings
                .iter()
                .all(|m| matches!(m, MeetingEntryRecord::Heading(_)));
            let paths = p
                .meetings
                .iter()
                .all(|m| matches!(m, MeetingEntryRecord::Path(_)));
            // Early version 1 files listed no keys; they are read as such.
            let laid_out = if shape.headings {
                headings && p.keys.is_none()
            } else {
                paths
            };
            if !laid_out {
                return wrong(&format!("lays out part {:?} unlike its version", p.key));
            }
        }
        Ok(shape)
    }

    /// The in-memory form; fails on a record that does not hold what its
    /// version holds, a date that does not parse or rules this livedoc
    /// does not know.
    pub fn to_meta(&self) -> Result<EditionMeta, RecordError> {
        self.shape()?;
        let date = EditionDate::parse(&self.date)
            .ok_or_else(|| RecordError::Parse(format!("invalid edition date {:?}", self.date)))?;
        let rules = match self.provenance.rules {
            // Version 1 names no rules: every edition it holds was cut
            // under the first ones.
            None => Rules::V1,
            Some(n) => Rules::from_number(n).ok_or_else(|| {
                RecordError::Parse(format!(
                    "names parsing and matching rules {n}, which this livedoc does not know"
                ))
            })?,
        };
        let c = &self.changes;
        let p = &self.provenance;
        let cut_at = Timestamp::parse(&p.cut_at).ok_or_else(|| {
            RecordError::Parse(format!("invalid time of cut {:?} (not RFC 3339)", p.cut_at))
        })?;
        Ok(EditionMeta {
            record_version: self.schema_version,
            rules,
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
            parts: self.parts.iter().map(part_layout).collect(),
            contact: self.contact.clone(),
            counts: Counts {
                meetings: self.counts.meetings,
                recommendations: self.counts.recommendations,
                observations: self.counts.observations,
            },
            added: added_model(&self.added),
            changes: Summary {
                meetings_added: c.meetings_added,
                meetings_removed: c.meetings_removed,
                meetings_changed: c.meetings_changed,
                meetings_symbol_corrected: c.meetings_symbol_corrected,
                items_added: c.items_added,
                items_removed: c.items_removed,
                items_modified: c.items_modified,
                items_renumbered: c.items_renumbered,
                items_moved: c.items_moved,
                items_typography: c.items_typography.unwrap_or(0),
                items_split: c.items_split.unwrap_or(0),
                items_merged: c.items_merged.unwrap_or(0),
                items_restored: c.items_restored.unwrap_or(0),
                items_unchanged: c.items_unchanged,
                recommendations_added: c.recommendations_added,
                observations_added: c.observations_added,
                recommendations_removed: c.recommendations_removed,
                observations_removed: c.observations_removed,
                sections_changed: c.sections_changed,
            },
            retired_ids: self.retired_ids.clone(),
            source: SourceInfo {
                file: self.source.file.clone(),
                sha256: self.source.sha256.clone(),
                bytes: self.source.bytes,
                reader: self.source.reader,
            },
            provenance: Provenance {
                cut_by: Person {
                    name: p.cut_by.name.clone(),
                    email: p.cut_by.email.clone(),
                },
                cut_at,
                livedoc_version: p.livedoc_version.clone(),
                date_from: p.date_from.into(),
                overrides: p
                    .overrides
                    .iter()
                    .map(|o| Override {
                        kind: o.kind.into(),
                        file: None,
                        old: o.old.clone(),
                        new: o.new.clone(),
                        line: None,
                        new_line: None,
                    })
                    .collect(),
            },
        })
    }
}

fn part_record(shape: Shape, p: &PartLayout) -> PartRecord {
    if !shape.headings {
        return PartRecord {
            key: p.key.clone(),
            title: p.title.clone(),
            meetings: p
                .meetings
                .iter()
                .map(|path| MeetingEntryRecord::Path(path.clone()))
                .collect(),
            keys: Some(p.keys.clone()),
        };
    }
    PartRecord {
        key: p.key.clone(),
        title: p.title.clone(),
        // A layout without headings (an edition stored before version 4)
        // lists no meetings here, and verify says so.
        meetings: p
            .meetings
            .iter()
            .zip(&p.headers)
            .map(|(path, h)| {
                MeetingEntryRecord::Heading(MeetingHeadingRecord {
                    path: path.clone(),
                    key: h.key.to_string(),
                    part: h.part.clone(),
                    year: h.year,
                    body: h.body.clone(),
                    kind: h.kind.into(),
                    symbol: h.symbol.clone(),
                    source: h.source.clone(),
                    link: h.link.clone(),
                    items: h.items,
                })
            })
            .collect(),
        keys: None,
    }
}

/// A part as its record lays it out (checked against its version by
/// [`EditionRecord::shape`] before).
fn part_layout(p: &PartRecord) -> PartLayout {
    let mut layout = PartLayout {
        key: p.key.clone(),
        title: p.title.clone(),
        meetings: Vec::new(),
        keys: p.keys.clone().unwrap_or_default(),
        headers: Vec::new(),
    };
    for m in &p.meetings {
        match m {
            MeetingEntryRecord::Path(path) => layout.meetings.push(path.clone()),
            MeetingEntryRecord::Heading(h) => {
                layout.meetings.push(h.path.clone());
                layout.keys.push(h.key.clone());
                layout.headers.push(MeetingHeader {
                    key: h.key.as_str().into(),
                    part: h.part.clone(),
                    year: h.year,
                    body: h.body.clone(),
                    kind: h.kind.into(),
                    symbol: h.symbol.clone(),
                    source: h.source.clone(),
                    link: h.link.clone(),
                    items: h.items,
                });
            }
        }
    }
    layout
}

fn summary_record(shape: Shape, c: &Summary) -> SummaryRecord {
    SummaryRecord {
        meetings_added: c.meetings_added,
        meetings_removed: c.meetings_removed,
        meetings_changed: c.meetings_changed,
        meetings_symbol_corrected: c.meetings_symbol_corrected,
        // Before version 5 no version holds restorations: each is the
        // addition it is against the edition before.
        items_added: if shape.reader {
            c.items_added
        } else {
            c.items_added + c.items_restored
        },
        items_removed: c.items_removed,
        items_modified: c.items_modified,
        items_renumbered: c.items_renumbered,
        items_moved: c.items_moved,
        items_typography: shape.rules.then_some(c.items_typography),
        items_split: shape.split_merged.then_some(c.items_split),
        items_merged: shape.split_merged.then_some(c.items_merged),
        items_restored: shape.reader.then_some(c.items_restored),
        items_unchanged: c.items_unchanged,
        recommendations_added: c.recommendations_added,
        observations_added: c.observations_added,
        recommendations_removed: c.recommendations_removed,
        observations_removed: c.observations_removed,
        sections_changed: c.sections_changed,
    }
}

fn added_record(a: &Added) -> AddedRecord {
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

fn added_model(a: &AddedRecord) -> Added {
    Added {
        meetings: a.meetings,
        recommendations: a.recommendations,
        observations: a.observations,
        by_meeting: a
            .by_meeting
            .iter()
            .map(|m| AddedInMeeting {
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
