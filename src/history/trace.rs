//! The history of one item across editions.
//!
//! The walk goes from the oldest edition to the newest and reads as little
//! as it can: each edition's `pairings.json` says whether the item changed
//! (or moved, or went); only then is a meeting file read, to get its new
//! text. An edition in which the item did not change costs no meeting read
//! at all, so a trace reads as many meeting files as the item has distinct
//! versions.
//!
//! An unlabelled item is named by its position in its meeting, which moves
//! when an item before it comes or goes. So for an unchanged unlabelled
//! item, the blob id of its meeting file is looked up in each edition, and
//! where the file changed it is read again, for its position; a labelled
//! item never costs that read.

use std::path::Path;

use git2::Oid;

use super::HistoryError;
use crate::diff::words::{Change, changes};
use crate::diff::{ItemStatus, Reason};
use crate::model::{EditionDate, Item, ItemKind, Meeting};
use crate::store::Store;
use crate::store::index::Indexed;
use crate::store::records::MeetingRecord;
use crate::store::snapshot::{ItemPairing, Person, Timestamp};
use crate::text::item_text;

/// One edition in an item's history.
#[derive(Debug, Clone)]
pub struct TraceEntry {
    pub edition: String,
    pub date: EditionDate,
    pub status: ItemStatus,
    pub reason: Option<Reason>,
    /// The meeting that holds the item (its key in this edition).
    pub meeting: String,
    pub label: Option<String>,
    /// Its 1-based position in the meeting, by which an unlabelled item
    /// is named ("Observation 3"); for a removed item, its last position.
    pub position: Option<usize>,
    /// The item's whole text (sub-items included), whitespace normalised;
    /// for a removed item, its last text.
    pub text: String,
    /// Word-level changes from the previous version, when the text changed.
    pub changes: Vec<Change>,
    /// Where the item is a part split off another: that item's id.
    pub split_from: Option<String>,
    /// The items split off this one in this edition.
    pub split_off: Vec<String>,
    /// Where the item was merged into another: that item's id.
    pub merged_into: Option<String>,
    /// The items merged into this one in this edition.
    pub merged_from: Vec<String>,
    pub commit: Oid,
    pub tag: Option<Oid>,
    pub cut_by: Person,
    pub cut_at: Timestamp,
}

/// An item's history, from its first appearance.
#[derive(Debug, Clone)]
pub struct Trace {
    pub item: String,
    pub kind: Option<ItemKind>,
    pub entries: Vec<TraceEntry>,
    /// How many meeting files were read (the rest was known from blob ids
    /// and pairing records).
    pub meeting_reads: usize,
    /// How many editions' `edition.json` and `pairings.json` were read
    /// (0 when the history index covers every edition).
    pub records_read: usize,
}

struct Walker<'a> {
    store: &'a Store,
    id: &'a str,
    reads: usize,
    /// The meeting file the item was last read from, and its blob.
    last_read: Option<(String, Oid)>,
}

impl Walker<'_> {
    /// Reads one meeting file of a commit and finds the item in it, with
    /// its 1-based position.
    fn read_item(
        &mut self,
        info: &Indexed,
        path: &str,
    ) -> Result<Option<(Item, usize)>, HistoryError> {
        let commit = info.commit;
        self.reads += 1;
        let repo = self.store.repo();
        let tree = repo.find_commit(commit)?.tree()?;
        let Ok(entry) = tree.get_path(Path::new(path)) else {
            return Ok(None);
        };
        self.last_read = Some((path.to_string(), entry.id()));
        let blob = crate::store::read_blob(repo, entry.id(), crate::store::MAX_RECORD_BYTES)
            .map_err(|e| HistoryError::Corrupt {
                commit,
                what: format!("{path} {e}"),
            })?;
        let meeting: Meeting = MeetingRecord::decode(info.record_version, &blob)
            .map(MeetingRecord::into_model)
            .map_err(|e| HistoryError::Corrupt {
                commit,
                what: format!("{path} {e}"),
            })?;
        Ok(meeting
            .items
            .into_iter()
            .enumerate()
            .find(|(_, i)| i.id == self.id)
            .map(|(n, i)| (i, n + 1)))
    }

    /// For an unchanged unlabelled item in the meeting `key`: its position
    /// read anew where the meeting's file is not the one it was last read
    /// from (an item before it may have come or gone); `None` where the
    /// file is the same, or cannot be found.
    fn position_if_changed(
        &mut self,
        info: &Indexed,
        key: &str,
    ) -> Result<Option<usize>, HistoryError> {
        let Some((last_path, last_blob)) = self.last_read.clone() else {
            return Ok(None);
        };
        let path = info.path_of(key).map_or(last_path, str::to_string);
        let tree = self.store.repo().find_commit(info.commit)?.tree()?;
        match tree.get_path(Path::new(&path)).map(|e| e.id()) {
            Ok(blob) if blob != last_blob => Ok(self.read_item(info, &path)?.map(|(_, at)| at)),
            _ => Ok(None),
        }
    }
}

/// The meeting key an item was minted in: its id up to the last `#`.
pub fn home_meeting(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(k, _)| k)
}

/// Traces the item with permanent id `id` through every edition.
pub fn trace(store: &Store, id: &str) -> Result<Trace, HistoryError> {
    let mut w = Walker {
        store,
        id,
        reads: 0,
        last_read: None,
    };
    let mut entries: Vec<TraceEntry> = Vec::new();
    // Where the item is: its meeting's key, and its last version.
    let mut current: Option<(String, Item)> = None;
    // Its last version when it was withdrawn: an "added" after that is its
    // return, told with its changes since.
    let mut withdrawn: Option<Item> = None;
    let mut kind = None;
    // Its position in its meeting, as last known.
    let mut position = None;
    // Each edition's pairings from the history index (its records only
    // where the index does not reach).
    let (history, records_read) = crate::store::index::history_of(store, id)?;
    for info in &history {
        let commit = info.commit;
        let pairings = &info.pairings;
        let pairing = pairings.items.iter().find(|p| p.id == id).cloned();
        match (&current, pairing) {
            // Not yet there: it appears when its pairing says "added" (or
            // "split", for a part split off another item).
            (None, Some(p)) if matches!(p.status, ItemStatus::Added | ItemStatus::Split) => {
                let Some((item, at)) = locate(&mut w, info, &p.meeting)? else {
                    continue;
                };
                kind = Some(item.kind);
                position = Some(at);
                let back = withdrawn.take().filter(|_| p.status == ItemStatus::Added);
                let mut e = entry(info, &p, &p.meeting, (&item, Some(at)), back.as_ref());
                // Rules 4: withdrawn before, and back under its id.
                if back.is_some() {
                    e.status = ItemStatus::Restored;
                }
                entries.push(e);
                current = Some((p.meeting.clone(), item));
            }
            // A first edition whose pairings list nothing added everything
            // it holds: the item, if it is in the meeting it was minted in.
            (None, None) if info.seq == 1 && pairings.all_added() => {
                let key = home_meeting(id);
                let Some((item, at)) = locate(&mut w, info, key)? else {
                    continue;
                };
                position = Some(at);
                let p = ItemPairing {
                    id: id.to_string(),
                    meeting: key.to_string(),
                    status: ItemStatus::Added,
                    reason: Reason::NoCounterpart,
                    similarity: None,
                    old_label: None,
                    new_label: item.label.clone(),
                    from_meeting: None,
                    split_from: None,
                    merged_into: None,
                };
                kind = Some(item.kind);
                entries.push(entry(info, &p, key, (&item, Some(at)), None));
                current = Some((key.to_string(), item));
            }
            (None, _) => {}
            // Changed, moved or removed in this edition.
            (Some((_, last)), Some(p)) => {
                if matches!(p.status, ItemStatus::Removed | ItemStatus::Merged) {
                    let mut e = entry(info, &p, &p.meeting, (last, position), None);
                    e.label = last.label.clone();
                    entries.push(e);
                    // A removed id is retired: never given to another
                    // text, it comes back only with its own (rules 4).
                    if p.status == ItemStatus::Merged {
                        break;
                    }
                    withdrawn = current.take().map(|(_, last)| last);
                    continue;
                }
                let Some((item, at)) = locate(&mut w, info, &p.meeting)? else {
                    return Err(HistoryError::Corrupt {
                        commit,
                        what: format!(
                            "pairings.json says {id} is in {}, but it is not there",
                            p.meeting
                        ),
                    });
                };
                position = Some(at);
                let mut e = entry(info, &p, &p.meeting, (&item, Some(at)), Some(last));
                // The parts split off it, or merged into it, here.
                for other in &pairings.items {
                    if other.split_from.as_deref() == Some(id) {
                        e.split_off.push(other.id.clone());
                    }
                    if other.merged_into.as_deref() == Some(id) {
                        e.merged_from.push(other.id.clone());
                    }
                }
                entries.push(e);
                current = Some((p.meeting.clone(), item));
            }
            // Unchanged: nothing to read (unless an unlabelled item's
            // position may have moved). Its meeting may have a new key.
            (Some((old_key, last)), None) => {
                let old_key = old_key.as_str();
                let key = pairings
                    .meetings
                    .iter()
                    .find(|m| m.old_key.as_deref() == Some(old_key))
                    .map_or_else(|| old_key.to_string(), |m| m.key.clone());
                // An unlabelled item moves up or down when an item before
                // it came or went: its position is read again then.
                if last.label.is_none()
                    && let Some(at) = w.position_if_changed(info, &key)?
                {
                    position = Some(at);
                }
                let last = last.clone();
                entries.push(TraceEntry {
                    edition: info.id.clone(),
                    date: info.date,
                    status: ItemStatus::Unchanged,
                    reason: None,
                    meeting: key.clone(),
                    label: last.label.clone(),
                    position,
                    text: item_text(&last),
                    changes: Vec::new(),
                    split_from: None,
                    split_off: Vec::new(),
                    merged_into: None,
                    merged_from: Vec::new(),
                    commit,
                    tag: info.tag,
                    cut_by: info.cut_by.clone(),
                    cut_at: info.cut_at.clone(),
                });
                current = Some((key, last));
            }
        }
    }
    if entries.is_empty() {
        return Err(HistoryError::UnknownItem {
            item: id.to_string(),
        });
    }
    Ok(Trace {
        item: id.to_string(),
        kind,
        entries,
        meeting_reads: w.reads,
        records_read,
    })
}

fn locate(
    w: &mut Walker<'_>,
    info: &Indexed,
    key: &str,
) -> Result<Option<(Item, usize)>, HistoryError> {
    match info.path_of(key) {
        Some(path) => w.read_item(info, path),
        None => Ok(None),
    }
}

fn entry(
    info: &Indexed,
    p: &ItemPairing,
    meeting: &str,
    (item, position): (&Item, Option<usize>),
    last: Option<&Item>,
) -> TraceEntry {
    let text = item_text(item);
    let changes = match last {
        Some(l) => {
            let before = item_text(l);
            if before == text {
                Vec::new()
            } else {
                changes(&before, &text)
            }
        }
        None => Vec::new(),
    };
    TraceEntry {
        edition: info.id.clone(),
        date: info.date,
        status: p.status,
        reason: Some(p.reason),
        meeting: meeting.to_string(),
        label: item.label.clone(),
        position,
        text,
        changes,
        split_from: p.split_from.clone(),
        split_off: Vec::new(),
        merged_into: p.merged_into.clone(),
        merged_from: Vec::new(),
        commit: info.commit,
        tag: info.tag,
        cut_by: info.cut_by.clone(),
        cut_at: info.cut_at.clone(),
    }
}
