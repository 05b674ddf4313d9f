//! Carrying permanent ids from an earlier edition to a new one along the
//! pairs the matcher found, and minting ids for what is new without ever
//! reusing an id that was given before.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::matching::{ItemRef, Matching, SIMILARITY_THRESHOLD};
use super::{Restoration, Withdrawn};
use crate::model::Edition;
use crate::rules::Rules;

/// Gives each paired item of `new` the id of its earlier counterpart, and
/// each unpaired item its minted id, made unique against every id of
/// `old`, every id in `retired` (ids of items removed in earlier editions)
/// and every id already given in `new`. Returns the retired ids after this
/// edition: `retired` plus the ids of `old` that `new` no longer has.
/// Under rules 3 a meeting without a symbol also keeps the key of the
/// meeting it paired with (see [`keep_meeting_keys`]).
pub fn carry_ids(
    old: &Edition,
    new: &mut Edition,
    m: &Matching,
    retired: &BTreeSet<String>,
    withdrawn: &[Withdrawn],
    rules: Rules,
) -> Carried {
    let old_items: Vec<Vec<&str>> = old
        .meetings()
        .map(|mt| mt.items.iter().map(|i| i.id.as_str()).collect())
        .collect();
    let old_ids: HashSet<&str> = old_items.iter().flatten().copied().collect();
    if rules >= Rules::V3 {
        keep_meeting_keys(old, new, m);
    }

    // Paired items first, so minted ids can avoid every carried one.
    let mut used: HashSet<String> = HashSet::new();
    let mut unpaired: Vec<ItemRef> = Vec::new();
    let mut flat = 0;
    for part in &mut new.parts {
        for meeting in &mut part.meetings {
            for (k, item) in meeting.items.iter_mut().enumerate() {
                let r = ItemRef {
                    meeting: flat,
                    item: k,
                };
                match m.pair_of_new(r) {
                    Some(p) => {
                        item.id = old_items[p.old.meeting][p.old.item].to_string().into();
                        used.insert(item.id.to_string());
                    }
                    None => unpaired.push(r),
                }
            }
            flat += 1;
        }
    }

    let taken = |id: &str, used: &HashSet<String>| {
        used.contains(id) || old_ids.contains(id) || retired.contains(id)
    };
    let mut refs: Vec<(usize, usize)> = Vec::new();
    for (pi, part) in new.parts.iter().enumerate() {
        for mi in 0..part.meetings.len() {
            refs.push((pi, mi));
        }
    }
    let mut restored = HashMap::new();
    for r in unpaired {
        let (pi, mi) = refs[r.meeting];
        let meeting = &mut new.parts[pi].meetings[mi];
        let key = meeting.key.clone();
        let item = &mut meeting.items[r.item];
        // Rules 4: an item withdrawn before that comes back has its id.
        if rules >= Rules::V4
            && let Some((w, similarity)) = restoration(item, &key, withdrawn, &used)
        {
            item.id = w.item.id.clone();
            used.insert(item.id.to_string());
            restored.insert(
                item.id.to_string(),
                Restoration {
                    withdrawn_in: Some(w.withdrawn_in.clone()),
                    label: w.item.label.clone(),
                    text: Some(crate::text::item_text(&w.item)),
                    similarity: Some(similarity),
                },
            );
            continue;
        }
        if taken(&item.id, &used) {
            item.id = match &item.label {
                // A label keeps its id readable: K#14~2, K#14~3, ...
                Some(_) => {
                    let base = item.id.clone();
                    let mut n = 2;
                    while taken(&format!("{base}~{n}"), &used) {
                        n += 1;
                    }
                    format!("{base}~{n}").into()
                }
                // Unlabelled: the next number after every o<n> ever given.
                None => {
                    let prefix = format!("{key}#o");
                    let max = used
                        .iter()
                        .map(String::as_str)
                        .chain(old_ids.iter().copied())
                        .chain(retired.iter().map(String::as_str))
                        .filter_map(|id| id.strip_prefix(&prefix)?.parse::<usize>().ok())
                        .max()
                        .unwrap_or(0);
                    format!("{prefix}{}", max + 1).into()
                }
            };
        }
        used.insert(item.id.to_string());
    }

    let mut out = retired.clone();
    for id in old_ids {
        if !used.contains(id) {
            out.insert(id.to_string());
        }
    }
    // A restored id is in use again.
    out.retain(|id| !restored.contains_key(id));
    Carried {
        retired: out,
        restored,
    }
}

/// What carrying the ids decided besides the ids themselves.
pub struct Carried {
    /// The ids retired once the new edition is in.
    pub retired: BTreeSet<String>,
    /// The items that came back under the id of a withdrawn one, by id.
    pub restored: HashMap<String, Restoration>,
}

/// A text withdrawn before, at least this alike, is the same item back;
/// under its old label it needs only to be recognisably the same
/// ([`SIMILARITY_THRESHOLD`]), as a reworded item is.
pub const RESTORE_SIMILARITY: f64 = 0.9;

/// The withdrawn item of `meeting` that `item` brings back, if any, with
/// how alike their texts are: the most alike of those at least
/// [`RESTORE_SIMILARITY`] alike, or of the same label and at least
/// [`SIMILARITY_THRESHOLD`]. One whose id is given already is passed over.
fn restoration<'w>(
    item: &crate::model::Item,
    meeting: &str,
    withdrawn: &'w [Withdrawn],
    used: &HashSet<String>,
) -> Option<(&'w Withdrawn, f64)> {
    let mut candidates = withdrawn
        .iter()
        .filter(|w| {
            w.meeting == meeting && w.item.kind == item.kind && !used.contains(w.item.id.as_str())
        })
        .peekable();
    // A new item of a meeting that withdrew nothing costs nothing.
    candidates.peek()?;
    let text = crate::text::fold_typography(&crate::text::item_text(item));
    candidates
        .filter_map(|w| {
            let s = crate::text::similarity(
                &crate::text::fold_typography(&crate::text::item_text(&w.item)),
                &text,
            );
            let same_label = w.item.label.is_some() && w.item.label == item.label;
            (s >= RESTORE_SIMILARITY || same_label && s >= SIMILARITY_THRESHOLD).then_some((w, s))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Rules 3: a meeting without a symbol that paired with an old meeting
/// without one keeps the old meeting's key, like an item keeps its id,
/// though its year or body (which the key was minted from) changed. The
/// ids the parser minted from the new key move to the old one. No other
/// new meeting can hold the old key: it would have paired by key.
fn keep_meeting_keys(old: &Edition, new: &mut Edition, m: &Matching) {
    let old_meetings: Vec<&crate::model::Meeting> = old.meetings().collect();
    let mut flat = 0;
    for part in &mut new.parts {
        for meeting in &mut part.meetings {
            if let Some((i, _)) = m.meeting_of_new[flat] {
                let o = old_meetings[i];
                if o.key != meeting.key && o.symbol.is_none() && meeting.symbol.is_none() {
                    let minted = format!("{}#", meeting.key);
                    for item in &mut meeting.items {
                        if let Some(rest) = item.id.strip_prefix(&minted) {
                            item.id = format!("{}#{rest}", o.key).into();
                        }
                    }
                    meeting.key = o.key.clone();
                }
            }
            flat += 1;
        }
    }
}
