//! The on-disk form of one edition inside a commit's tree:
//!
//! ```text
//! edition.json                         metadata, counts, provenance, order of meetings
//! meetings/<part>/<year>/<slug>.json   one canonical JSON file per meeting
//! source.md                            the exact bytes that were imported
//! ```
//!
//! JSON is canonical (fixed key order, two-space indent, trailing newline)
//! and a meeting file holds nothing edition-specific, so an unchanged
//! meeting keeps its blob id from edition to edition.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::diff::matching::MeetingReason;
use crate::diff::{Added, EditionDiff, ItemStatus, MeetingStatus, Reason, Summary};
use crate::ids::slugify;
use crate::model::{Counts, Edition, EditionDate, Meeting, Part, Section};

/// The version of the stored layout and of `edition.json`.
pub const SCHEMA_VERSION: u32 = 1;

/// `edition.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionRecord {
    pub schema_version: u32,
    pub id: String,
    pub title: String,
    pub place: Option<String>,
    pub date: EditionDate,
    pub masthead: Vec<String>,
    pub front_matter: Vec<Section>,
    pub parts: Vec<PartRecord>,
    pub contact: Option<String>,
    pub counts: Counts,
    /// What this edition added to the one before it.
    pub added: Added,
    /// Counts of everything it changed.
    #[serde(default)]
    pub changes: Summary,
    /// Ids of items removed in this or earlier editions; never given again.
    #[serde(default)]
    pub retired_ids: Vec<String>,
    pub source: SourceRecord,
    pub provenance: Provenance,
}

/// A part and the paths of its meetings' files, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRecord {
    pub key: String,
    pub title: String,
    pub meetings: Vec<String>,
    /// The key of each meeting, in the same order as `meetings`.
    #[serde(default)]
    pub keys: Vec<String>,
}

impl EditionRecord {
    /// The path of the file of the meeting with this key.
    pub fn path_of(&self, key: &str) -> Option<&str> {
        self.parts.iter().find_map(|p| {
            p.keys
                .iter()
                .position(|k| k == key)
                .and_then(|i| p.meetings.get(i))
                .map(String::as_str)
        })
    }
}

/// The imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    /// The file name it was imported from (no directories).
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Who cut the edition, when, and with what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub cut_by: Person,
    /// RFC 3339, UTC.
    pub cut_at: String,
    pub livedoc_version: String,
    /// Where the edition's date came from: `document` or `flag`.
    pub date_from: String,
    /// Pairings the secretariat confirmed or overrode.
    #[serde(default)]
    pub overrides: Vec<crate::overrides::Override>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.email.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{} <{}>", self.name, self.email)
        }
    }
}

/// Serialises a value canonically: fixed key order, two-space indent,
/// trailing newline.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).expect("model types always serialise");
    out.push(b'\n');
    out
}

/// The path of each meeting's file, in document order. Slugs come from
/// the symbol or the body; a clash within one part and year gets `-2`, `-3`.
pub fn meeting_paths(edition: &Edition) -> Vec<String> {
    let mut seen = HashSet::new();
    edition
        .meetings()
        .map(|m| {
            let base = slugify(m.symbol.as_deref().unwrap_or(&m.body));
            let base = if base.is_empty() {
                "meeting".to_string()
            } else {
                base
            };
            let dir = format!("meetings/{}/{}", slugify(&m.part), m.year);
            let mut path = format!("{dir}/{base}.json");
            let mut n = 1;
            while !seen.insert(path.clone()) {
                n += 1;
                path = format!("{dir}/{base}-{n}.json");
            }
            path
        })
        .collect()
}

/// Splits an edition into its record and its meeting files.
pub fn to_files(
    edition: &Edition,
    added: Added,
    source: SourceRecord,
    provenance: Provenance,
) -> (EditionRecord, Vec<(String, Vec<u8>)>) {
    let paths = meeting_paths(edition);
    let mut paths_iter = paths.iter();
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for part in &edition.parts {
        let mut meetings = Vec::new();
        let mut keys = Vec::new();
        for m in &part.meetings {
            keys.push(m.key.clone());
            let path = paths_iter.next().expect("one path per meeting").to_string();
            files.push((path.clone(), canonical_json(m)));
            meetings.push(path);
        }
        parts.push(PartRecord {
            key: part.key.clone(),
            title: part.title.clone(),
            meetings,
            keys,
        });
    }
    let record = EditionRecord {
        schema_version: SCHEMA_VERSION,
        id: edition.id.clone(),
        title: edition.title.clone(),
        place: edition.place.clone(),
        date: edition.date,
        masthead: edition.masthead.clone(),
        front_matter: edition.front_matter.clone(),
        parts,
        contact: edition.contact.clone(),
        counts: edition.counts(),
        added,
        changes: Summary::default(),
        retired_ids: Vec::new(),
        source,
        provenance,
    };
    (record, files)
}

/// Rebuilds an edition from its record and a way to read meeting files.
pub fn from_files<E>(
    record: &EditionRecord,
    mut read_meeting: impl FnMut(&str) -> Result<Meeting, E>,
) -> Result<Edition, E> {
    let mut parts = Vec::new();
    for p in &record.parts {
        let meetings = p
            .meetings
            .iter()
            .map(|path| read_meeting(path))
            .collect::<Result<Vec<_>, E>>()?;
        parts.push(Part {
            key: p.key.clone(),
            title: p.title.clone(),
            meetings,
        });
    }
    Ok(Edition {
        id: record.id.clone(),
        title: record.title.clone(),
        place: record.place.clone(),
        date: record.date,
        masthead: record.masthead.clone(),
        front_matter: record.front_matter.clone(),
        parts,
        contact: record.contact.clone(),
    })
}

/// `pairings.json`: how each meeting and item that is not plainly
/// unchanged was paired with the previous edition, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PairingsRecord {
    pub schema_version: u32,
    /// The previous edition's id (empty for the first edition).
    pub from: String,
    pub meetings: Vec<MeetingPairing>,
    pub items: Vec<ItemPairing>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingPairing {
    pub key: String,
    pub old_key: Option<String>,
    pub status: MeetingStatus,
    pub reason: Option<MeetingReason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPairing {
    pub id: String,
    pub meeting: String,
    pub status: ItemStatus,
    pub reason: Reason,
    pub similarity: Option<f64>,
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub from_meeting: Option<String>,
}

impl PairingsRecord {
    /// The ids of items whose pairing with edition `from` the secretariat
    /// confirmed; none when these pairings are against another edition.
    pub fn overridden_from(&self, from: &str) -> HashSet<String> {
        if self.from != from {
            return HashSet::new();
        }
        self.items
            .iter()
            .filter(|i| i.reason == Reason::Override)
            .map(|i| i.id.clone())
            .collect()
    }
}

/// The pairing decisions of a report.
pub fn pairings(report: &EditionDiff) -> PairingsRecord {
    let mut out = PairingsRecord {
        schema_version: SCHEMA_VERSION,
        from: report.from.edition_id.clone(),
        meetings: Vec::new(),
        items: Vec::new(),
    };
    for m in report.changed_meetings() {
        out.meetings.push(MeetingPairing {
            key: m.key.clone(),
            old_key: m.old_key.clone(),
            status: m.status,
            reason: m.reason,
        });
        for i in &m.items {
            out.items.push(ItemPairing {
                id: i.id.clone(),
                meeting: m.key.clone(),
                status: i.status,
                reason: i.reason,
                similarity: i.similarity,
                old_label: i.old_label.clone(),
                new_label: i.new_label.clone(),
                from_meeting: i.from_meeting.clone(),
            });
        }
    }
    out
}
