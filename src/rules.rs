//! The rules an edition was cut with: how its Markdown was read and how its
//! items were paired with the edition before.
//!
//! `verify` re-imports each published edition from its `source.md` and
//! compares the result with what was stored. A later livedoc that reads or
//! pairs better must not call an old edition altered, so an edition is
//! re-imported under the rules it was cut with, never under today's. Any
//! change to what the parser or the matcher produces therefore adds a
//! version here, is gated on it where it acts (`if rules >= Rules::V2`),
//! and is recorded with each new edition. Record version 1 does not name
//! its rules: every edition stored in it was cut under [`Rules::V1`], and a
//! new rules version comes with a record version that records it.

/// A version of the parsing and matching rules, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rules {
    /// livedoc 0.1: the importer of the foundation and matching rules 1–6.
    V1,
    /// A paragraph that ends without final punctuation, followed in the
    /// same item by one that starts in lower case, is one paragraph cut
    /// by a page break: the importer joins them (with a warning) instead
    /// of keeping a second paragraph, or, for unlabelled observations,
    /// making a phantom one.
    V2,
    /// A meeting is the same meeting through a corrected year or a renamed
    /// body: meetings whose keys differ pair when most of their items do,
    /// and a meeting without a symbol keeps the key it was first given.
    /// An observation split in two consecutive ones, or two merged into
    /// one, is told as a split or a merge, not as a change plus an
    /// addition or a removal.
    V3,
    /// History across editions: a comparison of two stored editions that
    /// are not consecutive composes what each edition between them
    /// recorded (a split, a merge, a pairing the secretariat confirmed),
    /// so that it tells what comparing the two texts tells. Editions cut
    /// under earlier rules keep answering as they did: their records
    /// count only in a comparison with the edition just before them.
    V4,
}

impl Rules {
    /// The rules new editions are cut with.
    pub const CURRENT: Rules = Rules::V4;

    /// The version's number, as records name it.
    pub fn number(self) -> u32 {
        match self {
            Rules::V1 => 1,
            Rules::V2 => 2,
            Rules::V3 => 3,
            Rules::V4 => 4,
        }
    }

    /// The version a record names by its number, if this livedoc knows it.
    pub fn from_number(n: u32) -> Option<Rules> {
        [Rules::V1, Rules::V2, Rules::V3, Rules::V4]
            .into_iter()
            .find(|r| r.number() == n)
    }
}

impl Default for Rules {
    /// A draft is read and paired under the current rules.
    fn default() -> Self {
        Rules::CURRENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_rules_are_the_newest() {
        assert_eq!(Rules::default(), Rules::CURRENT);
        assert_eq!(Rules::CURRENT.number(), 4);
        assert!(Rules::V1 < Rules::V2 && Rules::V2 < Rules::V3 && Rules::V3 < Rules::V4);
        assert_eq!(Rules::from_number(4), Some(Rules::V4));
        assert_eq!(Rules::from_number(2), Some(Rules::V2));
        assert_eq!(Rules::from_number(3), Some(Rules::V3));
        assert_eq!(Rules::from_number(9), None);
    }
}
