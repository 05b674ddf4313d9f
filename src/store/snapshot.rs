//! The layout of one edition inside a commit's tree, and the in-memory
//! form of what it holds:
//!
//! ```text
//! edition.json                         metadata, counts, provenance, order of meetings
//! pairings.json                        how each changed item was paired, and why
//! meetings/<part>/<year>/<slug>.json   one file per meeting
//! source.md                            the exact bytes that were imported
//! ```
//!
//! The bytes of these files are versioned records ([`super::records`]);
//! the types here are what the rest of livedoc works with, and carry no
//! serde. A meeting file holds nothing edition-specific, so an unchanged
//! meeting keeps its blob id from edition to edition.

use std::collections::{HashMap, HashSet};

use crate::diff::matching::{MeetingReason, Via};
use crate::diff::overrides::Override;
use crate::diff::{Added, EditionDiff, ItemStatus, MeetingStatus, Reason, Recorded, Summary};
use crate::ids::slugify;
use crate::model::{Counts, Edition, EditionDate, Meeting, MeetingHeader, Part, Section};
use crate::rules::Rules;
use crate::store::import::DateFrom;
use crate::store::records::{self, EditionRecord, MeetingRecord};

/// What `edition.json` says of an edition: everything but its meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionMeta {
    /// The record version it was stored with.
    pub record_version: u32,
    /// The parsing and matching rules it was cut with.
    pub rules: Rules,
    pub id: String,
    pub title: String,
    pub place: Option<String>,
    pub date: EditionDate,
    pub masthead: Vec<String>,
    pub front_matter: Vec<Section>,
    pub parts: Vec<PartLayout>,
    pub contact: Option<String>,
    pub counts: Counts,
    /// What this edition added to the one before it.
    pub added: Added,
    /// Counts of everything it changed.
    pub changes: Summary,
    /// Ids of items removed in this or earlier editions; never given again.
    pub retired_ids: Vec<String>,
    pub source: SourceInfo,
    pub provenance: Provenance,
}

/// A part and the paths of its meetings' files, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartLayout {
    pub key: String,
    pub title: String,
    pub meetings: Vec<String>,
    /// The key of each meeting, in the same order as `meetings`.
    pub keys: Vec<String>,
    /// Each meeting's heading and item count, in the same order (record
    /// version 4 on; empty for editions stored before).
    pub headers: Vec<MeetingHeader>,
}

impl EditionMeta {
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

    /// The paths of every meeting file, in document order.
    pub fn meeting_paths(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .flat_map(|p| p.meetings.iter().map(String::as_str))
    }
}

/// The imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// The file name it was imported from (no directories).
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    /// The version of the Word reader a .docx was read with
    /// ([`crate::parse::docx::READER`]); `None` for Markdown, and for a
    /// .docx cut before readers had versions.
    pub reader: Option<u32>,
}

/// Who cut the edition, when, and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub cut_by: Person,
    pub cut_at: Timestamp,
    pub livedoc_version: String,
    /// Where the edition's date came from.
    pub date_from: DateFrom,
    /// Pairings the secretariat confirmed or overrode.
    pub overrides: Vec<Override>,
}

/// A moment as a record holds it: RFC 3339 text (livedoc writes UTC,
/// to the second, with `Z`), read once into a time. The text is kept as
/// stored, so a record read and written again keeps its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    text: String,
    at: chrono::DateTime<chrono::FixedOffset>,
}

impl Timestamp {
    /// Reads RFC 3339 text; `None` when it is not.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let at = chrono::DateTime::parse_from_rfc3339(text).ok()?;
        Some(Timestamp {
            text: text.to_string(),
            at,
        })
    }

    /// The moment `secs` seconds after the Unix epoch, in UTC; `None`
    /// past the years chrono can hold.
    pub fn from_unix(secs: i64) -> Option<Timestamp> {
        let at = chrono::DateTime::<chrono::Utc>::from_timestamp(secs, 0)?;
        Some(Timestamp {
            text: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            at: at.fixed_offset(),
        })
    }

    /// As stored.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.at
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Everything of a new edition but its meetings and its source.
pub struct NewEdition<'a> {
    pub edition: &'a Edition,
    pub added: Added,
    pub changes: Summary,
    pub retired_ids: Vec<String>,
    pub source: SourceInfo,
    pub provenance: Provenance,
}

/// What `edition.json` will say of a new edition: its metadata and the
/// path of each meeting's file.
pub fn layout(new: NewEdition<'_>) -> EditionMeta {
    let edition = new.edition;
    let mut paths = meeting_paths(edition).into_iter();
    let parts = edition
        .parts
        .iter()
        .map(|part| PartLayout {
            key: part.key.clone(),
            title: part.title.clone(),
            meetings: part
                .meetings
                .iter()
                .map(|_| paths.next().expect("one path per meeting"))
                .collect(),
            keys: part.meetings.iter().map(|m| m.key.to_string()).collect(),
            headers: part.meetings.iter().map(Meeting::header).collect(),
        })
        .collect();
    EditionMeta {
        record_version: records::CURRENT,
        rules: Rules::CURRENT,
        id: edition.id.clone(),
        title: edition.title.clone(),
        place: edition.place.clone(),
        date: edition.date,
        masthead: edition.masthead.clone(),
        front_matter: edition.front_matter.clone(),
        parts,
        contact: edition.contact.clone(),
        counts: edition.counts(),
        added: new.added,
        changes: new.changes,
        retired_ids: new.retired_ids,
        source: new.source,
        provenance: new.provenance,
    }
}

/// A new edition's files in the current record version.
pub struct Files {
    pub meta: EditionMeta,
    /// The bytes of `edition.json`.
    pub record: Vec<u8>,
    /// Each meeting file's path and bytes, in document order.
    pub meetings: Vec<(String, Vec<u8>)>,
}

/// The files of a new edition, in the current record version.
pub fn to_files(new: NewEdition<'_>) -> Files {
    let edition = new.edition;
    let meta = layout(new);
    let files = meta
        .meeting_paths()
        .zip(edition.meetings())
        .map(|(path, m)| (path.to_string(), MeetingRecord::current(m).encode()))
        .collect();
    let record = EditionRecord::current(&meta).encode();
    Files {
        meta,
        record,
        meetings: files,
    }
}

/// Rebuilds an edition from its metadata and a way to read meeting files.
pub fn from_files<E>(
    meta: &EditionMeta,
    mut read_meeting: impl FnMut(&str) -> Result<Meeting, E>,
) -> Result<Edition, E> {
    from_some_files(meta, |path| read_meeting(path).map(Some))
}

/// Rebuilds an edition from its metadata and a way to read meeting files,
/// leaving out the meetings `read_meeting` gives none for.
pub fn from_some_files<E>(
    meta: &EditionMeta,
    mut read_meeting: impl FnMut(&str) -> Result<Option<Meeting>, E>,
) -> Result<Edition, E> {
    let mut parts = Vec::new();
    for p in &meta.parts {
        let mut meetings = Vec::with_capacity(p.meetings.len());
        for path in &p.meetings {
            meetings.extend(read_meeting(path)?);
        }
        parts.push(Part {
            key: p.key.clone(),
            title: p.title.clone(),
            meetings,
        });
    }
    Ok(Edition {
        id: meta.id.clone(),
        title: meta.title.clone(),
        place: meta.place.clone(),
        date: meta.date,
        masthead: meta.masthead.clone(),
        front_matter: meta.front_matter.clone(),
        parts,
        contact: meta.contact.clone(),
    })
}

/// `pairings.json`: how each meeting and item that is not plainly
/// unchanged was paired with the previous edition, and why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairings {
    /// The previous edition's id (empty for the first edition).
    pub from: String,
    pub meetings: Vec<MeetingPairing>,
    pub items: Vec<ItemPairing>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeetingPairing {
    pub key: String,
    pub old_key: Option<String>,
    pub status: MeetingStatus,
    pub reason: Option<MeetingReason>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemPairing {
    pub id: String,
    pub meeting: String,
    pub status: ItemStatus,
    pub reason: Reason,
    pub similarity: Option<f64>,
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub from_meeting: Option<String>,
    /// For a split item, the id of the old item it was split from.
    pub split_from: Option<String>,
    /// For a merged item, the id of the item that now holds its text.
    pub merged_into: Option<String>,
}

impl Pairings {
    /// Whether these are a first edition's pairings that list nothing
    /// (record version 4 on): every meeting and item it holds was added.
    pub fn all_added(&self) -> bool {
        self.from.is_empty() && self.meetings.is_empty() && self.items.is_empty()
    }

    /// How each item's pairing was made, where that was not plainly by
    /// rule, for the reasons a diff of the stored editions must repeat.
    fn recorded_via(&self) -> impl Iterator<Item = (&str, Via)> {
        self.items.iter().filter_map(|i| {
            let via = match i.reason {
                Reason::Override => Via::Override,
                Reason::SimilarTextOtherLabel => Via::SimilarOtherLabel,
                Reason::SimilarTextOtherMeeting => Via::SimilarOtherMeeting,
                _ => return None,
            };
            Some((i.id.as_str(), via))
        })
    }
}

/// What the store recorded between an edition and a later one, from the
/// pairings of each edition after the older one, oldest first
/// (`chain[0]` paired the edition just after the older one with it),
/// composed edition by edition:
///
/// - a part split off an item descends from that item, and from what it
///   descends from in turn (a part split off a part of an older item is
///   split off the older item);
/// - an older item merged into another is merged into whatever holds that
///   item's text at the end (merged again later, the later target);
/// - relations of items that appeared after the older edition (added, or
///   split off such an item) are not relations to it, and are dropped;
/// - a pairing confirmed by the secretariat stays confirmed; otherwise
///   the latest recorded way of pairing an id stands.
///
/// The result is what comparing the two texts directly would find where
/// the texts still show it, and keeps what the store knew where they do
/// not: ids never change meaning between editions.
///
/// Each step comes with the rules its edition was cut under: a step cut
/// before [`Rules::V4`] counts only when it is the whole chain (two
/// consecutive editions), so that those editions answer as they did.
pub fn recorded_across(chain: &[(Rules, &Pairings)]) -> Recorded {
    // An id split off after the older edition -> the older edition's id
    // it descends from.
    let mut origin: HashMap<String, String> = HashMap::new();
    // Ids the older edition did not hold.
    let mut minted: HashSet<String> = HashSet::new();
    let mut merges: Vec<(String, String)> = Vec::new();
    let mut via: HashMap<String, Via> = HashMap::new();
    let composing = chain.len() > 1;
    for &(rules, step) in chain {
        if composing && rules < Rules::V4 {
            continue;
        }
        for i in &step.items {
            if let Some(from) = &i.split_from {
                if minted.contains(from) {
                    minted.insert(i.id.clone());
                } else {
                    let root = origin.get(from).cloned().unwrap_or_else(|| from.clone());
                    origin.insert(i.id.clone(), root);
                }
            }
            if i.status == ItemStatus::Added {
                minted.insert(i.id.clone());
            }
            if let Some(into) = &i.merged_into {
                // Whatever pointed at the merged item now points at the
                // item that holds its text.
                for m in merges.iter_mut().filter(|m| m.1 == i.id) {
                    m.1 = into.clone();
                }
                // A part split off an older item and merged again is gone;
                // an item of the older edition is merged into `into`.
                if origin.remove(&i.id).is_none() && !minted.contains(&i.id) {
                    merges.push((i.id.clone(), into.clone()));
                }
            }
            if i.status == ItemStatus::Removed {
                origin.remove(&i.id);
            }
        }
        for (id, v) in step.recorded_via() {
            let kept = via.get(id) == Some(&Via::Override);
            if !kept {
                via.insert(id.to_string(), v);
            }
        }
    }
    let mut splits: Vec<(String, String)> = origin.into_iter().collect();
    splits.sort();
    Recorded {
        via,
        splits,
        merges,
    }
}

/// A chain of owned steps as [`recorded_across`] takes it.
pub fn steps(chain: &[(Rules, Pairings)]) -> Vec<(Rules, &Pairings)> {
    chain.iter().map(|(r, p)| (*r, p)).collect()
}

/// [`recorded_across`] read from the newer edition back to the older one,
/// as `diff NEWER OLDER` compares them: a split is a merge of the part
/// back into its item, and a merge a split.
pub fn reversed(r: Recorded) -> Recorded {
    Recorded {
        via: r.via,
        // (part, item) and (merged item, item) read the same way round.
        splits: r.merges,
        merges: r.splits,
    }
}

/// The pairing decisions of a report.
pub fn pairings(report: &EditionDiff) -> Pairings {
    let mut out = Pairings {
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
            // No record version holds a restoration yet: it is stored as
            // the addition it is against the edition before, and told
            // again from the ids (the edition before had retired its id).
            let restored = i.status == ItemStatus::Restored;
            let (status, reason) = match i.status {
                ItemStatus::Restored => (ItemStatus::Added, Reason::NoCounterpart),
                s => (s, i.reason),
            };
            out.items.push(ItemPairing {
                id: i.id.clone(),
                meeting: m.key.clone(),
                status,
                reason,
                similarity: i.similarity().filter(|_| !restored),
                old_label: i.old_label.clone().filter(|_| !restored),
                new_label: i.new_label.clone(),
                from_meeting: i.from_meeting().map(str::to_string),
                split_from: i.split_from().map(str::to_string),
                merged_into: i.merged_into().map(str::to_string),
            });
        }
    }
    out
}
