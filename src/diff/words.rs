//! Word-level changes between two normalised texts, for display. The
//! normal form and the similarity score are [`crate::text`]'s.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// One run of words that is kept, inserted or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub op: ChangeOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOp {
    Equal,
    Delete,
    Insert,
}

/// Appends words to a list of changes, joining them to the last change
/// when it is of the same kind.
pub fn push_words(out: &mut Vec<Change>, op: ChangeOp, text: &str) {
    match out.last_mut() {
        Some(last) if last.op == op => {
            last.text.push(' ');
            last.text.push_str(text);
        }
        _ => out.push(Change {
            op,
            text: text.to_string(),
        }),
    }
}

/// The word-level changes from one normalised text to another. A
/// replacement is a deletion followed by an insertion.
pub fn changes(old: &str, new: &str) -> Vec<Change> {
    let a: Vec<&str> = old.split(' ').filter(|w| !w.is_empty()).collect();
    let b: Vec<&str> = new.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<Change> = Vec::new();
    let mut push = |op: ChangeOp, words: &[&str]| {
        if !words.is_empty() {
            push_words(&mut out, op, &words.join(" "));
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
