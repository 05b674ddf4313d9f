//! The history of items across stored editions: `trace` (one item through
//! every edition) and `blame` (every item of one edition, with where it
//! came from), and how a reader names an item.

pub mod blame;
pub mod trace;

use git2::Oid;
use thiserror::Error;

use crate::ids::{EditionSpec, normalise_symbol};
use crate::store::{Store, StoreError};
use crate::text::normalise;

#[derive(Debug, Error)]
pub enum HistoryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no item {item} in the store")]
    UnknownItem { item: String },
    #[error("no item's text contains {fragment:?}")]
    NoText { fragment: String },
    #[error("{} items contain {fragment:?}", matches.len())]
    AmbiguousText {
        fragment: String,
        matches: Vec<Found>,
    },
    #[error(
        "{name} is ambiguous: it is the permanent id of one item, and the label {label} of another ({other}) in the newest edition"
    )]
    Ambiguous {
        name: String,
        label: String,
        other: String,
    },
    #[error("the store is damaged at commit {commit}: {what}")]
    Corrupt { commit: Oid, what: String },
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
}

/// An item found by a search.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: String,
    pub edition: String,
    pub label: Option<String>,
}

/// How an item was named and what it resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub id: String,
    /// A note for the reader when the name could have meant another item.
    pub note: Option<String>,
}

/// Resolves a reader's name for an item: a permanent id, or
/// `SYMBOL#LABEL` in edition `within` (the newest by default). With
/// `as_id`, the name is a permanent id and nothing else. A name that is a
/// permanent id of one item and the label of another in the newest
/// edition is refused as ambiguous.
pub fn resolve(
    store: &Store,
    name: &str,
    within: Option<&EditionSpec>,
    as_id: bool,
) -> Result<Resolved, HistoryError> {
    let spec = within.cloned().unwrap_or(EditionSpec::Latest(0));
    let info = store.resolve(&spec)?;
    // Only the meeting the name names is read, and the whole edition only
    // for an id that is not in its own meeting (an item moved since).
    let mut home = None;
    let by_label = match name.rsplit_once('#') {
        Some((sym, label)) => {
            let meeting = match store.load_meeting(&info, sym)? {
                Some(m) => Some(m),
                None => store.load_meeting(&info, &normalise_symbol(sym))?,
            };
            let found = meeting.as_ref().and_then(|m| {
                m.items
                    .iter()
                    .find(|i| i.label.as_deref() == Some(label))
                    .map(|i| i.id.clone())
            });
            home = meeting.filter(|m| m.key == sym);
            found
        }
        None => None,
    };
    // An explicit edition means the label as printed in it.
    if within.is_some() {
        return by_label
            .map(|id| Resolved {
                id: id.into_string(),
                note: None,
            })
            .ok_or_else(|| HistoryError::UnknownItem {
                item: format!("{name} in edition {spec}"),
            });
    }
    let in_home = home.is_some_and(|m| m.items.iter().any(|i| i.id == name));
    let is_id = in_home || store.load(&info)?.item(name).is_some() || ever_existed(store, name)?;
    if as_id {
        return if is_id {
            Ok(Resolved {
                id: name.to_string(),
                note: None,
            })
        } else {
            Err(HistoryError::UnknownItem {
                item: name.to_string(),
            })
        };
    }
    match (is_id, by_label) {
        (true, Some(other)) if other != name => Err(HistoryError::Ambiguous {
            name: name.to_string(),
            label: name.rsplit_once('#').map_or("", |(_, l)| l).to_string(),
            other: other.into_string(),
        }),
        (true, _) => Ok(Resolved {
            id: name.to_string(),
            note: None,
        }),
        (false, Some(id)) => Ok(Resolved {
            id: id.into_string(),
            note: None,
        }),
        (false, None) => Err(HistoryError::UnknownItem {
            item: name.to_string(),
        }),
    }
}

/// Whether any stored edition ever added an item with this id.
fn ever_existed(store: &Store, id: &str) -> Result<bool, HistoryError> {
    let (history, _) = crate::store::index::history_of(store, id)?;
    if history
        .iter()
        .any(|e| e.pairings.items.iter().any(|p| p.id == id))
    {
        return Ok(true);
    }
    // A first edition whose pairings list nothing added what it holds.
    match history.first().filter(|e| e.pairings.all_added()) {
        Some(first) => Ok(store
            .load_meeting(&store.info(first.commit)?, trace::home_meeting(id))?
            .is_some_and(|m| m.items.iter().any(|i| i.id == id))),
        None => Ok(false),
    }
}

/// The compilation's own history: each edition's diff against the one
/// before it (the first against nothing), newest first.
pub fn changelog(store: &Store) -> Result<Vec<crate::diff::EditionDiff>, HistoryError> {
    use crate::diff::{Pairing, Sides, compare, empty_like};
    use crate::store::snapshot::recorded_across;
    let mut out = Vec::new();
    let mut previous: Option<(crate::model::Edition, crate::store::EditionInfo)> = None;
    for commit in store.commits()? {
        let info = store.info(commit)?;
        let edition = store.load(&info)?;
        let (base, sides) = match previous.take() {
            Some((e, before)) => {
                let sides = store.sides(&before, &edition, crate::store::Newer::Stored)?;
                (e, sides)
            }
            None => {
                let empty = empty_like(&edition);
                let sides = Sides::named(&empty, &edition);
                (empty, sides)
            }
        };
        let recorded = recorded_across(&[(info.meta.rules, &store.pairings(commit)?)]);
        out.push(compare(&base, &edition, &Pairing::ByRecord(&recorded), sides).report);
        previous = Some((edition, info));
    }
    out.reverse();
    Ok(out)
}

/// Finds items whose text contains `fragment` (case and spacing ignored):
/// in the newest edition, else in older ones, newest first.
pub fn find_text(store: &Store, fragment: &str) -> Result<String, HistoryError> {
    let needle = normalise(fragment).to_lowercase();
    for commit in store.commits()?.into_iter().rev() {
        let info = store.info(commit)?;
        let edition = store.load(&info)?;
        let matches: Vec<Found> = edition
            .meetings()
            .flat_map(|m| &m.items)
            .filter(|i| crate::text::item_text(i).to_lowercase().contains(&needle))
            .map(|i| Found {
                id: i.id.to_string(),
                edition: info.meta.id.clone(),
                label: i.label.clone(),
            })
            .collect();
        match matches.len() {
            0 => continue,
            1 => return Ok(matches[0].id.clone()),
            _ => {
                return Err(HistoryError::AmbiguousText {
                    fragment: fragment.to_string(),
                    matches,
                });
            }
        }
    }
    Err(HistoryError::NoText {
        fragment: fragment.to_string(),
    })
}

#[cfg(test)]
mod tests;
