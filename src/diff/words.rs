//! Text comparison at the level of words: whitespace normalisation (so a
//! reflowed paragraph is no change), the similarity score used to pair
//! unlabelled items, and word-level changes for display.

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices, diff_ratio};

use crate::model::Item;

/// Collapses every run of whitespace (spaces, tabs, line breaks) to one
/// space and trims the ends: the form in which texts are compared.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An item's whole text as compared: its text and each sub-item, in order,
/// whitespace normalised.
pub fn item_text(item: &Item) -> String {
    if item.subitems.is_empty() {
        return normalise(&item.text);
    }
    let mut full = item.text.clone();
    for s in &item.subitems {
        full.push('\n');
        if !s.label.is_empty() {
            full.push_str(&s.label);
            full.push(' ');
        }
        full.push_str(&s.text);
    }
    normalise(&full)
}

/// How alike two normalised texts are, from 0 (nothing shared) to 1
/// (identical), by their longest common word sequence.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let a: Vec<&str> = a.split(' ').collect();
    let b: Vec<&str> = b.split(' ').collect();
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    f64::from(diff_ratio(&ops, a.len(), b.len()))
}

/// One run of words that is kept, inserted or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub op: ChangeOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Equal,
    Delete,
    Insert,
}

/// The word-level changes from one normalised text to another. A
/// replacement is a deletion followed by an insertion.
pub fn changes(old: &str, new: &str) -> Vec<Change> {
    let a: Vec<&str> = old.split(' ').filter(|w| !w.is_empty()).collect();
    let b: Vec<&str> = new.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<Change> = Vec::new();
    let mut push = |op: ChangeOp, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        let text = words.join(" ");
        match out.last_mut() {
            Some(last) if last.op == op => {
                last.text.push(' ');
                last.text.push_str(&text);
            }
            _ => out.push(Change { op, text }),
        }
    };
    for op in capture_diff_slices(Algorithm::Patience, &a, &b) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(ChangeOp::Equal, &a[o]),
            DiffTag::Delete => push(ChangeOp::Delete, &a[o]),
            DiffTag::Insert => push(ChangeOp::Insert, &b[n]),
            DiffTag::Replace => {
                push(ChangeOp::Delete, &a[o]);
                push(ChangeOp::Insert, &b[n]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflow_and_spacing_normalise_away() {
        assert_eq!(normalise("  a\n b\t\tc  \n"), "a b c");
        assert_eq!(normalise("a  b"), normalise("a\nb"));
    }

    #[test]
    fn similarity_bounds() {
        assert_eq!(similarity("a b c", "a b c"), 1.0);
        assert_eq!(similarity("a b c", "x y z"), 0.0);
        let s = similarity("States should act now", "States should act today");
        assert!((0.7..1.0).contains(&s), "{s}");
    }

    #[test]
    fn changes_rebuild_both_texts() {
        let old = "Parties should consider providing resources to UNODC";
        let new = "Parties are encouraged to consider providing resources to UNODC";
        let ch = changes(old, new);
        let side = |skip: ChangeOp| {
            ch.iter()
                .filter(|c| c.op != skip)
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(side(ChangeOp::Insert), old);
        assert_eq!(side(ChangeOp::Delete), new);
        assert_eq!(
            ch.iter().filter(|c| c.op != ChangeOp::Equal).count(),
            2,
            "{ch:?}"
        );
    }
}
