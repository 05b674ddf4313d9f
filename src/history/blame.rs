//! Blame: for every item of an edition, the edition that introduced it and
//! the edition that last changed it, read from the pairing records alone.

use std::collections::HashMap;

use super::HistoryError;
use crate::diff::ItemStatus;
use crate::ids::EditionSpec;
use crate::model::{Edition, ItemKind};
use crate::store::{EditionInfo, Store};

/// One item of the blamed edition.
#[derive(Debug, Clone)]
pub struct BlameLine {
    pub id: String,
    pub kind: ItemKind,
    pub part: String,
    pub year: i32,
    pub meeting: String,
    pub label: Option<String>,
    /// 1-based position in its meeting.
    pub position: usize,
    pub introduced: String,
    pub last_changed: String,
    /// How it last changed: added, modified, renumbered, moved or split.
    pub last_change: ItemStatus,
    /// For an item split off another: that item's id. It was introduced
    /// when the item it was split off was.
    pub split_from: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Blame {
    pub info: EditionInfo,
    pub edition: Edition,
    pub lines: Vec<BlameLine>,
}

/// Blames every item of one edition.
pub fn blame(store: &Store, spec: &EditionSpec) -> Result<Blame, HistoryError> {
    let target = store.resolve(spec)?;
    let mut introduced: HashMap<String, String> = HashMap::new();
    let mut changed: HashMap<String, (String, ItemStatus)> = HashMap::new();
    let mut split_from: HashMap<String, String> = HashMap::new();
    // Every edition's pairings, from the history index where it reaches.
    let (history, _) = crate::store::index::history(store)?;
    // A first edition whose pairings list nothing introduced every item it
    // holds.
    if let Some(first) = history.first().filter(|e| e.pairings.all_added()) {
        let edition = store.load(&store.info(first.commit)?)?;
        for item in edition.meetings().flat_map(|m| &m.items) {
            introduced.insert(item.id.to_string(), first.id.clone());
        }
    }
    for record in history {
        let commit = record.commit;
        for p in record.pairings.items {
            match p.status {
                // An id seen before is an item withdrawn and back (rules
                // 4): its text was first published where it was.
                ItemStatus::Added if introduced.contains_key(&p.id) => {
                    changed.insert(p.id, (record.id.clone(), ItemStatus::Restored));
                }
                ItemStatus::Added => {
                    introduced.insert(p.id.clone(), record.id.clone());
                    changed.insert(p.id, (record.id.clone(), ItemStatus::Added));
                }
                // Its text was first published with the item it was split
                // off.
                ItemStatus::Split => {
                    let origin = p.split_from.clone().unwrap_or_default();
                    let first = introduced
                        .get(&origin)
                        .cloned()
                        .unwrap_or_else(|| record.id.clone());
                    introduced.insert(p.id.clone(), first);
                    changed.insert(p.id.clone(), (record.id.clone(), ItemStatus::Split));
                    split_from.insert(p.id, origin);
                }
                ItemStatus::Removed | ItemStatus::Merged | ItemStatus::Unchanged => {}
                status => {
                    changed.insert(p.id, (record.id.clone(), status));
                }
            }
        }
        if commit == target.commit {
            break;
        }
    }
    let edition = store.load(&target)?;
    let mut lines = Vec::new();
    for m in edition.meetings() {
        for (n, item) in m.items.iter().enumerate() {
            let first =
                introduced
                    .get(item.id.as_str())
                    .cloned()
                    .ok_or_else(|| HistoryError::Corrupt {
                        commit: target.commit,
                        what: format!("no edition records adding {}", item.id),
                    })?;
            let (last, how) = changed
                .get(item.id.as_str())
                .cloned()
                .unwrap_or((first.clone(), ItemStatus::Added));
            lines.push(BlameLine {
                id: item.id.to_string(),
                kind: item.kind,
                part: m.part.clone(),
                year: m.year,
                meeting: m.key.to_string(),
                label: item.label.clone(),
                position: n + 1,
                introduced: first,
                last_changed: last,
                last_change: how,
                split_from: split_from.get(item.id.as_str()).cloned(),
            });
        }
    }
    Ok(Blame {
        info: target,
        edition,
        lines,
    })
}
