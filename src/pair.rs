//! Carrying permanent ids from one edition to the next, and what an edition
//! added compared with the one before it.
//!
//! Foundation rules: an item keeps the id of the item in the previous
//! edition with the same meeting and label, or (unlabelled) the same
//! position. An item with no counterpart keeps its minted id, made unique
//! against every id of the previous edition.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{Edition, ItemKind};

/// Gives `next`'s items the ids of their counterparts in `prev`.
pub fn carry_ids(prev: &Edition, next: &mut Edition) {
    let prev_meetings: HashMap<&str, _> = prev.meetings().map(|m| (m.key.as_str(), m)).collect();
    let taken: HashSet<&str> = prev
        .meetings()
        .flat_map(|m| m.items.iter().map(|i| i.id.as_str()))
        .collect();
    for part in &mut next.parts {
        for meeting in &mut part.meetings {
            let Some(old) = prev_meetings.get(meeting.key.as_str()) else {
                continue;
            };
            let by_label: HashMap<&str, &str> = old
                .items
                .iter()
                .filter_map(|i| i.label.as_deref().map(|l| (l, i.id.as_str())))
                .collect();
            let mut unlabelled = old.items.iter().filter(|i| i.label.is_none());
            let mut carried = vec![None; meeting.items.len()];
            for (slot, item) in carried.iter_mut().zip(&meeting.items) {
                *slot = match item.label.as_deref() {
                    Some(l) => by_label.get(l).map(|id| id.to_string()),
                    None => unlabelled.next().map(|i| i.id.clone()),
                };
            }
            let mut used: HashSet<String> = carried.iter().flatten().cloned().collect();
            for (item, carried) in meeting.items.iter_mut().zip(carried) {
                match carried {
                    Some(id) => item.id = id,
                    None => {
                        let base = item.id.clone();
                        let mut n = 1;
                        while taken.contains(item.id.as_str()) || used.contains(&item.id) {
                            n += 1;
                            item.id = format!("{base}~{n}");
                        }
                        used.insert(item.id.clone());
                    }
                }
            }
        }
    }
}

/// What one edition added to the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
    pub by_meeting: Vec<AddedInMeeting>,
}

/// The items one meeting added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedInMeeting {
    pub key: String,
    pub part: String,
    pub year: i32,
    pub body: String,
    /// Whether the meeting itself is new.
    pub new_meeting: bool,
    pub recommendations: usize,
    pub observations: usize,
    /// The new items' labels, or `#n` positions for unlabelled ones.
    pub items: Vec<String>,
}

impl Added {
    pub fn items(&self) -> usize {
        self.recommendations + self.observations
    }

    pub fn is_empty(&self) -> bool {
        self.meetings == 0 && self.items() == 0
    }

    /// "10 meetings, 16 recommendations and 21 observations".
    pub fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.meetings > 0 {
            parts.push(plural(self.meetings, "meeting", "meetings"));
        }
        if self.recommendations > 0 {
            parts.push(plural(
                self.recommendations,
                "recommendation",
                "recommendations",
            ));
        }
        if self.observations > 0 {
            parts.push(plural(self.observations, "observation", "observations"));
        }
        match parts.len() {
            0 => "nothing".to_string(),
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        }
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What `next` has that `prev` (if any) had not, by meeting key and item id.
pub fn added(prev: Option<&Edition>, next: &Edition) -> Added {
    let old_meetings: HashSet<&str> = prev
        .map(|p| p.meetings().map(|m| m.key.as_str()).collect())
        .unwrap_or_default();
    let old_items: HashSet<&str> = prev
        .map(|p| {
            p.meetings()
                .flat_map(|m| m.items.iter().map(|i| i.id.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Added::default();
    for m in next.meetings() {
        let new_meeting = !old_meetings.contains(m.key.as_str());
        let mut entry = AddedInMeeting {
            key: m.key.clone(),
            part: m.part.clone(),
            year: m.year,
            body: m.body.clone(),
            new_meeting,
            recommendations: 0,
            observations: 0,
            items: Vec::new(),
        };
        let mut position = 0;
        for item in &m.items {
            if item.label.is_none() {
                position += 1;
            }
            if old_items.contains(item.id.as_str()) {
                continue;
            }
            match item.kind {
                ItemKind::Recommendation => entry.recommendations += 1,
                ItemKind::Observation => entry.observations += 1,
            }
            entry.items.push(match &item.label {
                Some(l) => l.clone(),
                None => format!("#{position}"),
            });
        }
        if new_meeting {
            out.meetings += 1;
        }
        if new_meeting || !entry.items.is_empty() {
            out.recommendations += entry.recommendations;
            out.observations += entry.observations;
            out.by_meeting.push(entry);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EditionDate, Item, Meeting, MeetingKind, Part};

    fn item(id: &str, label: Option<&str>) -> Item {
        Item {
            id: id.into(),
            kind: ItemKind::Observation,
            label: label.map(Into::into),
            text: format!("text of {id}"),
            subitems: vec![],
        }
    }

    fn edition(items: Vec<Item>) -> Edition {
        Edition {
            id: "e".into(),
            title: "t".into(),
            place: None,
            date: EditionDate::month(2024, 4).expect("valid"),
            masthead: vec![],
            front_matter: vec![],
            parts: vec![Part {
                key: "B".into(),
                title: "Observations".into(),
                meetings: vec![Meeting {
                    key: "K".into(),
                    part: "B".into(),
                    year: 2023,
                    body: "Dialogue".into(),
                    kind: MeetingKind::ConstructiveDialogue,
                    symbol: None,
                    source: None,
                    link: None,
                    items,
                }],
            }],
            contact: None,
        }
    }

    #[test]
    fn carries_ids_by_label_and_position() {
        let prev = edition(vec![item("K#old14", Some("14")), item("K#o1", None)]);
        let mut next = edition(vec![
            item("K#14", Some("14")),
            item("K#o1", None),
            item("K#o2", None),
        ]);
        carry_ids(&prev, &mut next);
        let ids: Vec<&str> = next.parts[0].meetings[0]
            .items
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(ids, vec!["K#old14", "K#o1", "K#o2"]);
    }

    #[test]
    fn minted_ids_never_reuse_an_earlier_id() {
        // The previous edition used K#15 for the item now labelled 14.
        let prev = edition(vec![item("K#15", Some("14"))]);
        let mut next = edition(vec![item("K#14", Some("14")), item("K#15", Some("15"))]);
        carry_ids(&prev, &mut next);
        let ids: Vec<&str> = next.parts[0].meetings[0]
            .items
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(ids, vec!["K#15", "K#15~2"]);
    }

    #[test]
    fn added_counts_new_items_and_meetings() {
        let prev = edition(vec![item("K#o1", None)]);
        let next = edition(vec![item("K#o1", None), item("K#o2", None)]);
        let a = added(Some(&prev), &next);
        assert_eq!(a.observations, 1);
        assert_eq!(a.meetings, 0);
        assert_eq!(a.by_meeting[0].items, vec!["#2"]);
        let first = added(None, &next);
        assert_eq!(first.meetings, 1);
        assert_eq!(first.sentence(), "1 meeting and 2 observations");
        assert!(added(Some(&next), &next).is_empty());
    }
}
