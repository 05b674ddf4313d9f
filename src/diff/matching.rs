//! Pairing the meetings and items of a new edition with those of an
//! earlier one.
//!
//! Meetings pair by key, else by part, year and body under another symbol
//! (a corrected symbol), else (rules 3) by content: a meeting of the same
//! part that most of their items are found in (a corrected year, a renamed
//! body). Items pair, in this order:
//!
//! 0. (editions from the store only) the same permanent id;
//! 1. within a meeting, the same label and the same text;
//! 2. within a meeting, the same text under another label (renumbered);
//!
//!    2b. (rules 2) within a meeting, labelled items renumbered *and*
//!    reworded: a similar text under another label, paired when the
//!    evidence is strong — similarity at least [`NEAR_IDENTICAL`] on its
//!    own, or at least [`SHIFTED_SIMILARITY`] when the labels shifted (the
//!    item that held its new label in the older edition was removed or
//!    now has another label, as after a deletion or an insertion) — and
//!    never against an item of the same label that is at least as similar
//!    (that is rule 3's pair);
//! 3. within a meeting, the same label with changed text (modified);
//! 4. within a meeting, unlabelled items by best word similarity at or
//!    above [`SIMILARITY_THRESHOLD`] (modified);
//! 5. across meetings, the same text (moved);
//!
//!    5b. (rules 2) across the meetings of one part, an unlabelled item
//!    (an observation) with a similar text at or above
//!    [`MOVED_SIMILARITY`] (moved and reworded). Candidates come from an
//!    index of three-word shingles, so only the few items that share
//!    wording are compared, never all pairs.
//!
//! What is left was added or removed. Texts are compared whitespace
//! normalised, and every lookup goes through a hash map keyed by label or
//! by normalised text, so similarity is computed only for the few items
//! that no exact rule paired.

use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};

use crate::model::{Edition, Meeting};
use crate::rules::Rules;
use crate::text::{containment, item_text, similarity};

/// The lowest word similarity at which two unlabelled items of one meeting
/// are taken to be one observation reworded.
///
/// Chosen on the real edition and the fixtures: distinct items of one
/// meeting in the April 2024 edition are at most 0.41 alike (a test below
/// keeps it so); the rewordings in the fixtures are 0.96 alike or more.
/// 0.6 sits between the two with room on both sides.
pub const SIMILARITY_THRESHOLD: f64 = 0.6;

/// The similarity at which two labelled items of one meeting under
/// different labels are one item renumbered and reworded, on the text
/// alone (rule 2b).
///
/// Chosen on data: distinct items of one meeting in the April 2024
/// edition are at most 0.41 alike (the test below); one word changed in a
/// text of 20 words or more stays at 0.95 or above, and the recommendations
/// of that edition have 30 to 110 words. Two short texts one word apart
/// (0.91 for 11 words) under unrelated labels are not paired on text alone
/// (a test keeps it so).
pub const NEAR_IDENTICAL: f64 = 0.95;

/// The similarity at which a renumbered and reworded item is paired when
/// the labels shifted (rule 2b): well above the 0.41 of distinct items of
/// one meeting, below the 0.87 of the most reworded renumbered item of the
/// fixtures (several phrases changed in a 60-word recommendation).
pub const SHIFTED_SIMILARITY: f64 = 0.7;

/// The similarity at which an item left unpaired in one meeting is the
/// same item, moved and reworded, as one left unpaired in another meeting
/// of the same part (rule 5b).
///
/// Chosen on data. Observations of different dialogues in the April 2024
/// edition are below 0.6 alike but for one, repeated with small changes
/// in two dialogues, at 0.92 (a test keeps every pair below 0.93): the
/// threshold must sit above it, so only an observation moved with light
/// edits (a word or two of a long text) is paired; one moved and heavily
/// reworded stays removed and added, and the secretariat can pair it with
/// a `[[same]]` override. Recommendations are not moved by similarity: the
/// same wording adopted by two working groups (0.95 alike in that edition)
/// is two recommendations.
pub const MOVED_SIMILARITY: f64 = 0.95;

/// Rule 5b compares each new item with at most this many old ones: those
/// sharing the most shingles with it.
const MOVED_CANDIDATES: usize = 5;

/// Rule 4b: how alike an old text and the new parts it was split into,
/// joined in order, must at least be (and the mirror, for a merge). Chosen
/// with [`SPLIT_CONTAINMENT`] on the real edition: see
/// `docs/reference/pairing.md`.
pub const SPLIT_SIMILARITY: f64 = 0.9;

/// Rule 4b: how much of each split-off part must stand, in order, in the
/// old text.
pub const SPLIT_CONTAINMENT: f64 = 0.8;

/// Rule 4b: the most parts one item is found split into (or merged from).
pub const MAX_FRAGMENTS: usize = 4;

/// A shingle held by more old items than this is a formula, not evidence.
const MAX_POSTINGS: usize = 50;

/// Above this many candidate pairs in one meeting, unlabelled items are
/// compared only with those at nearby positions, to keep the work bounded.
const MAX_SIMILARITY_PAIRS: usize = 20_000;
const WINDOW: usize = 50;

/// An item's place: the index of its meeting among the edition's meetings
/// in document order, and its index within that meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    pub meeting: usize,
    pub item: usize,
}

/// Why two meetings were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingReason {
    SameKey,
    /// Same part, year and body under another symbol; or (rules 3) most
    /// items in common under another symbol.
    SymbolCorrected,
    /// (rules 3) Most items in common, neither meeting with a symbol: a
    /// corrected year or a renamed body. The import keeps the old key, so
    /// this reason is given only where the two keys still differ (editions
    /// cut before rules 3).
    SameItems,
}

/// How a pair of items was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// By the matching rules (or by permanent id, for stored editions).
    Rules,
    /// By rule 2b: a similar text under another label (or, for stored
    /// editions, by permanent id where the store records that rule).
    SimilarOtherLabel,
    /// By rule 5b: a similar text in another meeting of the same part (or,
    /// for stored editions, by permanent id where the store records it).
    SimilarOtherMeeting,
    /// By a pairing the secretariat confirmed.
    Override,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemPair {
    pub old: ItemRef,
    pub new: ItemRef,
    pub via: Via,
    /// Word similarity of the two texts.
    pub similarity: f64,
}

/// Options of the matcher.
#[derive(Debug, Clone, Default)]
pub struct MatchOptions {
    /// The matching rules to pair under (see [`crate::rules`]).
    pub rules: crate::rules::Rules,
    /// Pair items by permanent id only: true when both editions come from
    /// the store, whose ids were carried by the matching (and the
    /// secretariat's overrides) at import. The rules are not applied then,
    /// so a stored diff never pairs what the store keeps apart.
    pub trust_ids: bool,
    /// With `trust_ids`: how the store records that each new item's
    /// pairing was made (confirmed by the secretariat, or by a similarity
    /// rule), so that a stored diff gives the reasons the import gave.
    pub recorded: HashMap<String, Via>,
    /// Pairs the secretariat confirmed: made before any rule.
    pub forced: Vec<ForcedPair>,
    /// Pairs the secretariat declared unrelated: never made.
    pub apart: Vec<ForcedPair>,
    /// With `trust_ids`: the splits the store records, as (id of the new
    /// part, id of the old item it was split from).
    pub recorded_splits: Vec<(String, String)>,
    /// With `trust_ids`: the merges the store records, as (id of the old
    /// item merged, id of the item it was merged into).
    pub recorded_merges: Vec<(String, String)>,
}

/// The result of matching two editions.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// For each new meeting, its old partner.
    pub meeting_of_new: Vec<Option<(usize, MeetingReason)>>,
    /// For each old meeting, its new partner.
    pub meeting_of_old: Vec<Option<usize>>,
    pub pairs: Vec<ItemPair>,
    /// The partner of each new item, by meeting then item.
    pub item_of_new: Vec<Vec<Option<usize>>>,
    /// The partner of each old item, by meeting then item.
    pub item_of_old: Vec<Vec<Option<usize>>>,
    /// (rules 3) New items split off an old item, as (new part, old item).
    /// The old item is paired with the part that kept its text.
    pub split_from: Vec<(ItemRef, ItemRef)>,
    /// (rules 3) Old items merged into a new one, as (old part, new item).
    /// The new item is paired with the old one whose text it kept.
    pub merged_into: Vec<(ItemRef, ItemRef)>,
    /// How many text similarities were computed: at most
    /// [`similarity_bound`] of the editions, never quadratic.
    pub similarity_computations: usize,
}

/// The most similarity computations matching may make: per meeting pair,
/// rule 4 (unlabelled items) and rule 2b (labelled ones) each compare
/// either all pairs of their items while they number at most
/// `MAX_SIMILARITY_PAIRS`, or each new item against the `2 × WINDOW + 1`
/// old ones nearest its position; rule 2b then checks at most two rivals
/// per candidate it found; rule 5b compares each new item with at most
/// `MOVED_CANDIDATES` old ones; plus one per pair made by another rule
/// whose texts differ. Under rules 3, pairing meetings by their items
/// looks at most at `MOVED_CANDIDATES` candidates per new meeting in each
/// of two passes, at most one similarity per new item each; and rule 4b,
/// for each pair in each direction, grows a run of at most
/// `MAX_FRAGMENTS` parts at two computations per side and step, then
/// weighs each part once and re-scores the pair once.
pub fn similarity_bound(meetings: usize, new_items: usize) -> usize {
    4 * (meetings * MAX_SIMILARITY_PAIRS + new_items * (2 * WINDOW + 1))
        + new_items * (1 + MOVED_CANDIDATES)
        + new_items * 2 * MOVED_CANDIDATES
        + 2 * new_items * (4 * MAX_FRAGMENTS + MAX_FRAGMENTS + 1)
}

impl Matching {
    /// The old item a new one was split from.
    pub fn split_origin(&self, new: ItemRef) -> Option<ItemRef> {
        self.split_from
            .iter()
            .find(|(n, _)| *n == new)
            .map(|&(_, o)| o)
    }

    /// The new item an old one was merged into.
    pub fn merge_target(&self, old: ItemRef) -> Option<ItemRef> {
        self.merged_into
            .iter()
            .find(|(o, _)| *o == old)
            .map(|&(_, n)| n)
    }

    pub fn pair_of_new(&self, r: ItemRef) -> Option<&ItemPair> {
        self.item_of_new[r.meeting][r.item].map(|p| &self.pairs[p])
    }

    pub fn pair_of_old(&self, r: ItemRef) -> Option<&ItemPair> {
        self.item_of_old[r.meeting][r.item].map(|p| &self.pairs[p])
    }
}

/// The normalised texts of an edition's items, by meeting.
pub fn texts(meetings: &[&Meeting]) -> Vec<Vec<String>> {
    meetings
        .iter()
        .map(|m| m.items.iter().map(item_text).collect())
        .collect()
}

struct Matcher<'a> {
    om: Vec<&'a Meeting>,
    nm: Vec<&'a Meeting>,
    ot: &'a [Vec<String>],
    nt: &'a [Vec<String>],
    m: Matching,
    apart: HashSet<(ItemRef, ItemRef)>,
    recorded: &'a HashMap<String, Via>,
    rules: Rules,
    /// Similarities computed where `self` is borrowed shared (pairing
    /// meetings), added to the matching's count at the end.
    counted: Cell<usize>,
}

/// Removes and returns the first entry of a queue that `ok` accepts.
fn take<T: Copy>(q: &mut VecDeque<T>, ok: impl Fn(T) -> bool) -> Option<T> {
    let at = q.iter().position(|&x| ok(x))?;
    q.remove(at)
}

impl Matcher<'_> {
    /// Whether the secretariat allows pairing these two.
    fn allowed(&self, old: ItemRef, new: ItemRef) -> bool {
        !self.apart.contains(&(old, new))
    }

    fn old_free(&self, r: ItemRef) -> bool {
        self.m.item_of_old[r.meeting][r.item].is_none()
    }

    fn new_free(&self, r: ItemRef) -> bool {
        self.m.item_of_new[r.meeting][r.item].is_none()
    }

    fn pair(&mut self, old: ItemRef, new: ItemRef, via: Via, sim: Option<f64>) {
        debug_assert!(self.old_free(old) && self.new_free(new));
        let similarity = match sim {
            Some(s) => s,
            None => {
                self.m.similarity_computations += 1;
                similarity(
                    &self.ot[old.meeting][old.item],
                    &self.nt[new.meeting][new.item],
                )
            }
        };
        let idx = self.m.pairs.len();
        self.m.pairs.push(ItemPair {
            old,
            new,
            via,
            similarity,
        });
        self.m.item_of_old[old.meeting][old.item] = Some(idx);
        self.m.item_of_new[new.meeting][new.item] = Some(idx);
    }

    fn pair_meetings(&mut self) {
        let by_key: HashMap<&str, usize> = self
            .om
            .iter()
            .enumerate()
            .map(|(i, m)| (m.key.as_str(), i))
            .collect();
        // Rules 4: a key shared by two meetings of different bodies with
        // nothing in common is a symbol that moved from one to the other
        // (two symbols swapped, then corrected): such a pair waits for the
        // rules below, which pair by body and content, and is made only if
        // they find nothing better.
        let mut doubtful = Vec::new();
        for (j, m) in self.nm.iter().enumerate() {
            if let Some(&i) = by_key.get(m.key.as_str())
                && self.m.meeting_of_old[i].is_none()
            {
                if self.rules >= Rules::V4
                    && self.om[i].body != m.body
                    && !self.share_most_items(i, j)
                {
                    doubtful.push((i, j));
                    continue;
                }
                self.m.meeting_of_old[i] = Some(j);
                self.m.meeting_of_new[j] = Some((i, MeetingReason::SameKey));
            }
        }
        self.pair_meetings_by_body();
        for (i, j) in doubtful {
            if self.m.meeting_of_old[i].is_none() && self.m.meeting_of_new[j].is_none() {
                self.m.meeting_of_old[i] = Some(j);
                self.m.meeting_of_new[j] = Some((i, MeetingReason::SameKey));
            }
        }
    }

    /// Meetings of the same part, year and body under another symbol
    /// (rules 2: when most of their items are still there), then, under
    /// rules 3, by content.
    fn pair_meetings_by_body(&mut self) {
        let mut by_body: HashMap<(&str, i32, &str), VecDeque<usize>> = HashMap::new();
        for (i, m) in self.om.iter().enumerate() {
            if self.m.meeting_of_old[i].is_none() {
                by_body
                    .entry((m.part.as_str(), m.year, m.body.as_str()))
                    .or_default()
                    .push_back(i);
            }
        }
        for (j, m) in self.nm.iter().enumerate() {
            if self.m.meeting_of_new[j].is_some() {
                continue;
            }
            let key = (m.part.as_str(), m.year, m.body.as_str());
            let rules = self.rules;
            let Some(queue) = by_body.get_mut(&key) else {
                continue;
            };
            // Rules 2: a meeting of the same body under another symbol is
            // the same meeting only if most of its items are still there;
            // one with nothing in common replaced a withdrawn meeting.
            let same = |i: usize| rules < Rules::V2 || self.share_most_items(i, j);
            // Rules 3 look at most at the first few candidates, so that
            // the similarity computations stay bounded.
            let found = if rules >= Rules::V3 {
                let at = queue.iter().take(MOVED_CANDIDATES).position(|&i| same(i));
                at.and_then(|at| queue.remove(at))
            } else {
                take(queue, same)
            };
            if let Some(i) = found {
                self.m.meeting_of_old[i] = Some(j);
                self.m.meeting_of_new[j] = Some((i, MeetingReason::SymbolCorrected));
            }
        }
        if self.rules >= Rules::V3 {
            self.pair_meetings_by_content();
        }
    }

    /// Rules 3: meetings still unpaired pair with a meeting of the same part
    /// that most of their items are found in, whatever their keys: a
    /// corrected year, a renamed body, or both. Candidates are the old
    /// meetings that hold at least one of the new meeting's texts, most
    /// shared first, at most [`MOVED_CANDIDATES`] of them.
    fn pair_meetings_by_content(&mut self) {
        let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, texts) in self.ot.iter().enumerate() {
            if self.m.meeting_of_old[i].is_some() {
                continue;
            }
            for t in texts {
                let v = holders.entry(t.as_str()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        if holders.is_empty() {
            return;
        }
        for j in 0..self.nm.len() {
            if self.m.meeting_of_new[j].is_some() {
                continue;
            }
            let mut votes: HashMap<usize, usize> = HashMap::new();
            for t in &self.nt[j] {
                let Some(v) = holders.get(t.as_str()).filter(|v| v.len() <= MAX_POSTINGS) else {
                    continue;
                };
                for &i in v {
                    if self.m.meeting_of_old[i].is_none() && self.om[i].part == self.nm[j].part {
                        *votes.entry(i).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(usize, usize)> = votes.into_iter().map(|(i, n)| (n, i)).collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let found = ranked
                .into_iter()
                .take(MOVED_CANDIDATES)
                .map(|(_, i)| i)
                .find(|&i| self.share_most_items(i, j));
            if let Some(i) = found {
                let reason = if self.om[i].symbol.is_none() && self.nm[j].symbol.is_none() {
                    MeetingReason::SameItems
                } else {
                    MeetingReason::SymbolCorrected
                };
                self.m.meeting_of_old[i] = Some(j);
                self.m.meeting_of_new[j] = Some((i, reason));
            }
        }
    }

    /// Whether more than half of the items of the smaller of old meeting
    /// `i` and new meeting `j` are found in the other: the same text, or
    /// a similar one under the same label. Meetings without items share
    /// nothing to tell them apart, and count as sharing.
    fn share_most_items(&self, i: usize, j: usize) -> bool {
        let (om, nm) = (self.om[i], self.nm[j]);
        let smaller = om.items.len().min(nm.items.len());
        if smaller == 0 {
            return true;
        }
        let texts: HashSet<&str> = self.ot[i].iter().map(String::as_str).collect();
        let by_label: HashMap<&str, usize> = om
            .items
            .iter()
            .enumerate()
            .filter_map(|(o, it)| it.label.as_deref().map(|l| (l, o)))
            .collect();
        // One similarity at most per new item: with the old item of its label.
        let shared = nm
            .items
            .iter()
            .enumerate()
            .filter(|&(k, item)| {
                let text = self.nt[j][k].as_str();
                texts.contains(text)
                    || item
                        .label
                        .as_deref()
                        .and_then(|l| by_label.get(l))
                        .is_some_and(|&o| {
                            self.counted.set(self.counted.get() + 1);
                            similarity(&self.ot[i][o], text) >= SIMILARITY_THRESHOLD
                        })
            })
            .count();
        2 * shared > smaller
    }

    fn pair_by_id(&mut self) {
        let (om, nm) = (self.om.clone(), self.nm.clone());
        let mut by_id: HashMap<&str, ItemRef> = HashMap::new();
        for (mi, m) in om.iter().enumerate() {
            for (ii, item) in m.items.iter().enumerate() {
                by_id.insert(
                    item.id.as_str(),
                    ItemRef {
                        meeting: mi,
                        item: ii,
                    },
                );
            }
        }
        for (mj, m) in nm.iter().enumerate() {
            for (ij, item) in m.items.iter().enumerate() {
                let new = ItemRef {
                    meeting: mj,
                    item: ij,
                };
                if let Some(&old) = by_id.get(item.id.as_str())
                    && self.old_free(old)
                    && self.new_free(new)
                    && self.allowed(old, new)
                {
                    let via = self
                        .recorded
                        .get(item.id.as_str())
                        .copied()
                        .unwrap_or(Via::Rules);
                    self.pair(old, new, via, None);
                }
            }
        }
    }

    /// Rules 1 to 4 inside one pair of meetings.
    fn pair_within(&mut self, i: usize, j: usize) {
        let (om, nm) = (self.om[i], self.nm[j]);
        let (ot, nt) = (self.ot, self.nt);
        let old_ref = |item| ItemRef { meeting: i, item };
        let new_ref = |item| ItemRef { meeting: j, item };

        // 1. Same label and same text; unlabelled items with the same text.
        let mut by_label: HashMap<&str, usize> = HashMap::new();
        let mut unlabelled_by_text: HashMap<&str, VecDeque<usize>> = HashMap::new();
        for (k, item) in om.items.iter().enumerate() {
            if !self.old_free(old_ref(k)) {
                continue;
            }
            match item.label.as_deref() {
                Some(l) => {
                    by_label.entry(l).or_insert(k);
                }
                None => unlabelled_by_text
                    .entry(ot[i][k].as_str())
                    .or_default()
                    .push_back(k),
            }
        }
        for (k, item) in nm.items.iter().enumerate() {
            if !self.new_free(new_ref(k)) {
                continue;
            }
            let text = nt[j][k].as_str();
            let candidate = match item.label.as_deref() {
                Some(l) => by_label.get(l).copied().filter(|&o| {
                    self.old_free(old_ref(o))
                        && ot[i][o] == text
                        && self.allowed(old_ref(o), new_ref(k))
                }),
                None => unlabelled_by_text
                    .get_mut(text)
                    .and_then(|q| take(q, |o| self.allowed(old_ref(o), new_ref(k)))),
            };
            if let Some(o) = candidate {
                self.pair(old_ref(o), new_ref(k), Via::Rules, Some(1.0));
            }
        }

        // 2. Same text under another label.
        let mut by_text: HashMap<&str, VecDeque<usize>> = HashMap::new();
        for (k, text) in ot[i].iter().enumerate() {
            if self.old_free(old_ref(k)) {
                by_text.entry(text.as_str()).or_default().push_back(k);
            }
        }
        for (k, text) in nt[j].iter().enumerate() {
            if !self.new_free(new_ref(k)) {
                continue;
            }
            if let Some(o) = by_text.get_mut(text.as_str()).and_then(|q| {
                take(q, |o| {
                    self.old_free(old_ref(o)) && self.allowed(old_ref(o), new_ref(k))
                })
            }) {
                self.pair(old_ref(o), new_ref(k), Via::Rules, Some(1.0));
            }
        }

        // 2b. (rules 2) Renumbered and reworded.
        if self.rules >= Rules::V2 {
            self.pair_shifted(i, j);
        }

        // 3. Same label, changed text.
        for (k, item) in nm.items.iter().enumerate() {
            if !self.new_free(new_ref(k)) {
                continue;
            }
            if let Some(o) = item
                .label
                .as_deref()
                .and_then(|l| by_label.get(l).copied())
                .filter(|&o| self.old_free(old_ref(o)) && self.allowed(old_ref(o), new_ref(k)))
            {
                self.pair(old_ref(o), new_ref(k), Via::Rules, None);
            }
        }

        // 4. Unlabelled items by best similarity.
        let mut candidates = self.similar_candidates(i, j, false, SIMILARITY_THRESHOLD);
        // Best first; ties in document order, so the result is stable.
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (s, o, n) in candidates {
            if self.old_free(old_ref(o)) && self.new_free(new_ref(n)) {
                self.pair(old_ref(o), new_ref(n), Via::Rules, Some(s));
            }
        }

        // 4b. (rules 3) Splits and merges.
        if self.rules >= Rules::V3 {
            self.pair_fragments(i, j, false);
            self.pair_fragments(i, j, true);
        }
        // 4c. (rules 4) A divided recommendation.
        if self.rules >= Rules::V4 {
            self.pair_divided(i, j, false);
            self.pair_divided(i, j, true);
        }
    }

    /// Rule 4c inside one pair of meetings: a labelled item divided into
    /// parts labelled after it (`6` → `6 (a)` and `6 (b)`), each part
    /// standing at least [`SPLIT_CONTAINMENT`] inside the old text and the
    /// parts together at least [`SPLIT_SIMILARITY`] like it, is split: the
    /// part that carries most of its words keeps the pair (and the id), the
    /// others are split from it. With `merges`, the mirror: parts joined
    /// back into the label they divided.
    fn pair_divided(&mut self, i: usize, j: usize, merges: bool) {
        let profile = crate::profile::Profile::untoc();
        let (whole_m, parts_m, whole_t, parts_t) = if merges {
            (self.nm[j], self.om[i], &self.nt[j], &self.ot[i])
        } else {
            (self.om[i], self.nm[j], &self.ot[i], &self.nt[j])
        };
        let refs = |w: usize, p: usize| whole_and_part(i, j, merges, w, p);
        for (w, whole_item) in whole_m.items.iter().enumerate() {
            let Some(label) = whole_item.label.as_deref() else {
                continue;
            };
            let (o, n) = refs(w, w.min(parts_m.items.len().saturating_sub(1)));
            let whole_free = if merges {
                self.new_free(n)
            } else {
                self.old_free(o)
            };
            let Some(ordinal) = profile.label_ordinal(label).filter(|_| whole_free) else {
                continue;
            };
            let parts: Vec<usize> = (0..parts_m.items.len())
                .filter(|&p| {
                    let (o, n) = refs(w, p);
                    let free = if merges {
                        self.old_free(o)
                    } else {
                        self.new_free(n)
                    };
                    free && parts_m.items[p].kind == whole_item.kind
                        && parts_m.items[p].label.as_deref().is_some_and(|l| {
                            l.starts_with(label)
                                && profile.divided_label_ordinal(l) == Some(ordinal)
                        })
                        && self.allowed(o, n)
                })
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let whole_text = &whole_t[w];
            self.m.similarity_computations += parts.len() + 1;
            let contained = parts
                .iter()
                .all(|&p| containment(&parts_t[p], whole_text) >= SPLIT_CONTAINMENT);
            let joined = parts
                .iter()
                .enumerate()
                .map(|(k, &p)| {
                    if k > 0 {
                        without_repeated_subject(&parts_t[p], whole_text)
                    } else {
                        parts_t[p].as_str()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            if !contained || similarity(whole_text, &joined) < SPLIT_SIMILARITY {
                continue;
            }
            let owner = parts
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    let words = |p: usize| {
                        containment(&parts_t[p], whole_text) * parts_t[p].split(' ').count() as f64
                    };
                    words(a).total_cmp(&words(b)).then(b.cmp(&a))
                })
                .unwrap_or(parts[0]);
            // The owner's label is not the whole's: a similar text under
            // another label, as rule 2b words it.
            let (o, n) = refs(w, owner);
            self.pair(o, n, Via::SimilarOtherLabel, None);
            for p in parts.into_iter().filter(|&p| p != owner) {
                let (o, n) = refs(w, p);
                if merges {
                    self.m.merged_into.push((o, n));
                } else {
                    self.m.split_from.push((n, o));
                }
            }
        }
    }

    /// Rule 4b inside one pair of meetings. Splits (`merges` false): an
    /// unlabelled old item paired here with a changed text, whose partner's
    /// free unlabelled neighbours, joined to it in order, stand for the old
    /// text better than the partner alone, at least [`SPLIT_SIMILARITY`]
    /// alike, each neighbour at least [`SPLIT_CONTAINMENT`] contained in
    /// the old text; at most [`MAX_FRAGMENTS`] parts. The part that shares
    /// most of the old text's words keeps the pair (and so the id); the
    /// others are split from it. Merges (`merges` true) are the mirror:
    /// the same test with old and new swapped, so that diff(b, a) tells as
    /// a merge what diff(a, b) tells as a split.
    fn pair_fragments(&mut self, i: usize, j: usize, merges: bool) {
        // `whole` is the side with one item, `parts` the side with several.
        let (whole_m, parts_m) = if merges {
            (self.nm[j], self.om[i])
        } else {
            (self.om[i], self.nm[j])
        };
        let (whole_t, parts_t) = if merges {
            (&self.nt[j], &self.ot[i])
        } else {
            (&self.ot[i], &self.nt[j])
        };
        let refs = |w: usize, p: usize| whole_and_part(i, j, merges, w, p);
        for (w, (whole_item, whole_text)) in whole_m.items.iter().zip(whole_t).enumerate() {
            if whole_item.label.is_some() {
                continue;
            }
            let held = if merges {
                self.m.item_of_new[j][w]
            } else {
                self.m.item_of_old[i][w]
            };
            let Some(idx) = held else {
                continue;
            };
            let pair = self.m.pairs[idx];
            let (partner_meeting, partner) = if merges {
                (pair.old.meeting, pair.old.item)
            } else {
                (pair.new.meeting, pair.new.item)
            };
            if partner_meeting != if merges { i } else { j }
                || pair.via == Via::Override
                || pair.similarity >= 1.0
            {
                continue;
            }
            let free = |me: &Self, p: usize| {
                let (o, n) = refs(w, p);
                let item = &parts_m.items[p];
                item.label.is_none()
                    && item.kind == whole_item.kind
                    && (if merges {
                        me.old_free(o)
                    } else {
                        me.new_free(n)
                    })
                    && me.allowed(o, n)
            };
            // Rules 4: a part after the first that opens by repeating the
            // whole's subject ("States parties should …" twice) is joined
            // without the repetition, which the whole said once.
            let rules = self.rules;
            let joined = |lo: usize, hi: usize| {
                parts_t[lo..=hi]
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        if k > 0 && rules >= Rules::V4 {
                            without_repeated_subject(t, whole_text)
                        } else {
                            t.as_str()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (mut lo, mut hi) = (partner, partner);
            let mut best = pair.similarity;
            while hi - lo + 1 < MAX_FRAGMENTS {
                let mut grown = false;
                for left in [true, false] {
                    let x = if left {
                        lo.checked_sub(1)
                    } else {
                        Some(hi + 1).filter(|&x| x < parts_m.items.len())
                    };
                    let Some(x) = x.filter(|&x| free(self, x)) else {
                        continue;
                    };
                    let (a, b) = if left { (x, hi) } else { (lo, x) };
                    self.m.similarity_computations += 1;
                    let s = similarity(whole_text, &joined(a, b));
                    if s < SPLIT_SIMILARITY || s <= best {
                        continue;
                    }
                    self.m.similarity_computations += 1;
                    if containment(&parts_t[x], whole_text) >= SPLIT_CONTAINMENT {
                        (lo, hi, best) = (a, b, s);
                        grown = true;
                        break;
                    }
                }
                if !grown {
                    break;
                }
            }
            if lo == hi {
                continue;
            }
            // The part that carries most of the whole's words keeps the id;
            // ties go to the first.
            let mut owner = partner;
            let mut most = 0.0;
            for (p, text) in parts_t.iter().enumerate().take(hi + 1).skip(lo) {
                self.m.similarity_computations += 1;
                let words = text.split(' ').count() as f64;
                let shared = containment(text, whole_text) * words;
                if shared > most {
                    (owner, most) = (p, shared);
                }
            }
            if owner != partner {
                self.repoint(idx, merges, owner);
            }
            for p in (lo..=hi).filter(|&p| p != owner) {
                let (o, n) = refs(w, p);
                if merges {
                    self.m.merged_into.push((o, n));
                } else {
                    self.m.split_from.push((n, o));
                }
            }
        }
    }

    /// Moves one end of pair `idx` to item `to` of the same meeting: the
    /// old end when `old_end`, else the new end.
    fn repoint(&mut self, idx: usize, old_end: bool, to: usize) {
        let mut p = self.m.pairs[idx];
        if old_end {
            self.m.item_of_old[p.old.meeting][p.old.item] = None;
            p.old.item = to;
            self.m.item_of_old[p.old.meeting][to] = Some(idx);
        } else {
            self.m.item_of_new[p.new.meeting][p.new.item] = None;
            p.new.item = to;
            self.m.item_of_new[p.new.meeting][to] = Some(idx);
        }
        self.m.similarity_computations += 1;
        p.similarity = similarity(
            &self.ot[p.old.meeting][p.old.item],
            &self.nt[p.new.meeting][p.new.item],
        );
        self.m.pairs[idx] = p;
    }

    /// With trusted ids: the splits and merges the store records, found by
    /// id; a record naming an item either edition lacks is passed over.
    fn recorded_fragments(&mut self, opts: &MatchOptions) {
        let index = |meetings: &[&Meeting]| -> HashMap<String, ItemRef> {
            let mut out = HashMap::new();
            for (meeting, m) in meetings.iter().enumerate() {
                for (item, it) in m.items.iter().enumerate() {
                    out.insert(it.id.to_string(), ItemRef { meeting, item });
                }
            }
            out
        };
        let (old_ids, new_ids) = (index(&self.om), index(&self.nm));
        for (part, origin) in &opts.recorded_splits {
            if let (Some(&n), Some(&o)) = (new_ids.get(part), old_ids.get(origin))
                && self.new_free(n)
            {
                self.m.split_from.push((n, o));
            }
        }
        for (part, into) in &opts.recorded_merges {
            if let (Some(&o), Some(&n)) = (old_ids.get(part), new_ids.get(into))
                && self.old_free(o)
            {
                self.m.merged_into.push((o, n));
            }
        }
    }

    /// The free items of one pair of meetings, labelled or unlabelled, whose
    /// texts are at least `threshold` alike, as (similarity, old, new): all
    /// pairs while they number at most `MAX_SIMILARITY_PAIRS`, else each new
    /// item against the old ones within `WINDOW` of its position. Labelled
    /// items are compared only under different labels (the same label is
    /// rule 3's).
    fn similar_candidates(
        &mut self,
        i: usize,
        j: usize,
        labelled: bool,
        threshold: f64,
    ) -> Vec<(f64, usize, usize)> {
        let (om, nm) = (self.om[i], self.nm[j]);
        let (ot, nt) = (self.ot, self.nt);
        let old_ref = |item| ItemRef { meeting: i, item };
        let new_ref = |item| ItemRef { meeting: j, item };
        let olds: Vec<usize> = (0..om.items.len())
            .filter(|&k| self.old_free(old_ref(k)) && om.items[k].label.is_some() == labelled)
            .collect();
        let news: Vec<usize> = (0..nm.items.len())
            .filter(|&k| self.new_free(new_ref(k)) && nm.items[k].label.is_some() == labelled)
            .collect();
        let mut candidates = Vec::new();
        if olds.is_empty() || news.is_empty() {
            return candidates;
        }
        let windowed = olds.len().saturating_mul(news.len()) > MAX_SIMILARITY_PAIRS;
        for &n in &news {
            // `olds` is sorted: the window is a slice found by bisection,
            // so the work is linear in the items, not quadratic.
            let near = if windowed {
                let lo = olds.partition_point(|&o| o + WINDOW < n);
                let hi = olds.partition_point(|&o| o <= n + WINDOW);
                &olds[lo..hi]
            } else {
                &olds[..]
            };
            for &o in near {
                let same_label = labelled && om.items[o].label == nm.items[n].label;
                if same_label || !self.allowed(old_ref(o), new_ref(n)) {
                    continue;
                }
                self.m.similarity_computations += 1;
                let s = similarity(&ot[i][o], &nt[j][n]);
                if s >= threshold {
                    candidates.push((s, o, n));
                }
            }
        }
        candidates
    }

    /// Rule 2b inside one pair of meetings: labelled items still unpaired
    /// whose texts are similar under different labels.
    fn pair_shifted(&mut self, i: usize, j: usize) {
        let (om, nm) = (self.om[i], self.nm[j]);
        let (ot, nt) = (self.ot, self.nt);
        let old_ref = |item| ItemRef { meeting: i, item };
        let new_ref = |item| ItemRef { meeting: j, item };
        let mut candidates = self.similar_candidates(i, j, true, SHIFTED_SIMILARITY);
        if candidates.is_empty() {
            return;
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        // An item of the same label that is at least as similar is rule 3's
        // pair, not this rule's.
        let same_label_old: HashMap<&str, usize> = om
            .items
            .iter()
            .enumerate()
            .filter(|&(o, _)| self.old_free(old_ref(o)))
            .filter_map(|(o, it)| it.label.as_deref().map(|l| (l, o)))
            .collect();
        let same_label_new: HashMap<&str, usize> = nm
            .items
            .iter()
            .enumerate()
            .filter(|&(n, _)| self.new_free(new_ref(n)))
            .filter_map(|(n, it)| it.label.as_deref().map(|l| (l, n)))
            .collect();
        let mut kept = Vec::new();
        for (s, o, n) in candidates {
            let rival_old = nm.items[n]
                .label
                .as_deref()
                .and_then(|l| same_label_old.get(l));
            let rival_new = om.items[o]
                .label
                .as_deref()
                .and_then(|l| same_label_new.get(l));
            let mut beaten = false;
            for (ro, rn) in [rival_old.map(|&ro| (ro, n)), rival_new.map(|&rn| (o, rn))]
                .into_iter()
                .flatten()
            {
                self.m.similarity_computations += 1;
                if similarity(&ot[i][ro], &nt[j][rn]) >= s {
                    beaten = true;
                }
            }
            if !beaten {
                kept.push((s, o, n));
            }
        }
        // The old item that held each label, to tell a consistent shift.
        let holder: HashMap<&str, usize> = om
            .items
            .iter()
            .enumerate()
            .filter_map(|(k, it)| it.label.as_deref().map(|l| (l, k)))
            .collect();
        // Near-identical pairs, and pairs whose new label its old holder
        // gave up (it was removed or now has another label: the labels
        // shifted), best first; pass after pass, since each pair made may
        // give up a label for the next.
        loop {
            let mut paired = false;
            for &(s, o, n) in &kept {
                if !(self.old_free(old_ref(o)) && self.new_free(new_ref(n))) {
                    continue;
                }
                let label = nm.items[n].label.as_deref();
                let shifted = label.and_then(|l| holder.get(l)).is_some_and(|&h| {
                    self.m.item_of_old[i][h].is_none_or(|p| {
                        let to = self.m.pairs[p].new;
                        to.meeting != j || nm.items[to.item].label.as_deref() != label
                    })
                });
                if s >= NEAR_IDENTICAL || shifted {
                    self.pair(old_ref(o), new_ref(n), Via::SimilarOtherLabel, Some(s));
                    paired = true;
                }
            }
            if !paired {
                break;
            }
        }
    }

    /// Rule 5b: a similar text in another meeting of the same part, found
    /// through an index of three-word shingles.
    fn pair_across_similar(&mut self) {
        let (ot, nt) = (self.ot, self.nt);
        let free_old: Vec<ItemRef> = (0..self.om.len())
            .flat_map(|meeting| {
                (0..self.om[meeting].items.len()).map(move |item| ItemRef { meeting, item })
            })
            .filter(|&r| self.old_free(r) && self.om[r.meeting].items[r.item].label.is_none())
            .collect();
        if free_old.is_empty() {
            return;
        }
        fn shingles(text: &str) -> HashSet<[&str; 3]> {
            let words: Vec<&str> = text.split(' ').collect();
            words.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
        }
        let mut index: HashMap<[&str; 3], Vec<usize>> = HashMap::new();
        for (k, r) in free_old.iter().enumerate() {
            for s in shingles(&ot[r.meeting][r.item]) {
                index.entry(s).or_default().push(k);
            }
        }
        let mut candidates = Vec::new();
        for (meeting, texts) in nt.iter().enumerate() {
            let nmeet = self.nm[meeting];
            for (item, text) in texts.iter().enumerate() {
                let new = ItemRef { meeting, item };
                let nitem = &nmeet.items[item];
                if !self.new_free(new) || nitem.label.is_some() {
                    continue;
                }
                let mut shared: HashMap<usize, usize> = HashMap::new();
                for s in shingles(text) {
                    if let Some(post) = index.get(&s).filter(|p| p.len() <= MAX_POSTINGS) {
                        for &k in post {
                            *shared.entry(k).or_default() += 1;
                        }
                    }
                }
                let mut best: Vec<(usize, usize)> = shared
                    .into_iter()
                    .filter(|&(k, _)| {
                        let old = free_old[k];
                        let omeet = self.om[old.meeting];
                        omeet.part == nmeet.part
                            && omeet.items[old.item].kind == nitem.kind
                            && self.allowed(old, new)
                    })
                    .map(|(k, n)| (n, k))
                    .collect();
                best.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                for &(_, k) in best.iter().take(MOVED_CANDIDATES) {
                    let old = free_old[k];
                    self.m.similarity_computations += 1;
                    let s = similarity(&ot[old.meeting][old.item], text);
                    if s >= MOVED_SIMILARITY {
                        candidates.push((s, old, new));
                    }
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (s, old, new) in candidates {
            if self.old_free(old) && self.new_free(new) {
                self.pair(old, new, Via::SimilarOtherMeeting, Some(s));
            }
        }
    }

    /// Rule 5: the same text in another meeting.
    fn pair_across(&mut self) {
        let (ot, nt) = (self.ot, self.nt);
        let mut by_text: HashMap<&str, VecDeque<ItemRef>> = HashMap::new();
        for (meeting, texts) in ot.iter().enumerate() {
            for (item, text) in texts.iter().enumerate() {
                let r = ItemRef { meeting, item };
                if self.old_free(r) {
                    by_text.entry(text.as_str()).or_default().push_back(r);
                }
            }
        }
        for (meeting, texts) in nt.iter().enumerate() {
            for (item, text) in texts.iter().enumerate() {
                let new = ItemRef { meeting, item };
                if !self.new_free(new) {
                    continue;
                }
                if let Some(old) = by_text
                    .get_mut(text.as_str())
                    .and_then(|q| take(q, |o| self.old_free(o) && self.allowed(o, new)))
                {
                    self.pair(old, new, Via::Rules, Some(1.0));
                }
            }
        }
    }
}

/// A pairing the secretariat fixed: this old item is that new one.
#[derive(Debug, Clone, Copy)]
pub struct ForcedPair {
    pub old: ItemRef,
    pub new: ItemRef,
}

/// Matches `new` against `old`.
pub fn match_editions(
    old: &Edition,
    new: &Edition,
    old_texts: &[Vec<String>],
    new_texts: &[Vec<String>],
    opts: &MatchOptions,
) -> Matching {
    let om: Vec<&Meeting> = old.meetings().collect();
    let nm: Vec<&Meeting> = new.meetings().collect();
    let m = Matching {
        meeting_of_new: vec![None; nm.len()],
        meeting_of_old: vec![None; om.len()],
        pairs: Vec::new(),
        item_of_new: nm.iter().map(|m| vec![None; m.items.len()]).collect(),
        item_of_old: om.iter().map(|m| vec![None; m.items.len()]).collect(),
        split_from: Vec::new(),
        merged_into: Vec::new(),
        similarity_computations: 0,
    };
    let mut mt = Matcher {
        om,
        nm,
        ot: old_texts,
        nt: new_texts,
        m,
        apart: opts.apart.iter().map(|p| (p.old, p.new)).collect(),
        recorded: &opts.recorded,
        rules: opts.rules,
        counted: Cell::new(0),
    };
    mt.pair_meetings();
    for f in &opts.forced {
        if mt.old_free(f.old) && mt.new_free(f.new) {
            mt.pair(f.old, f.new, Via::Override, None);
        }
    }
    mt.m.similarity_computations += mt.counted.get();
    if opts.trust_ids {
        mt.pair_by_id();
        mt.recorded_fragments(opts);
        return mt.m;
    }
    for j in 0..mt.nm.len() {
        if let Some((i, _)) = mt.m.meeting_of_new[j] {
            mt.pair_within(i, j);
        }
    }
    mt.pair_across();
    if opts.rules >= Rules::V2 {
        mt.pair_across_similar();
    }
    mt.m
}

/// The (old, new) items of a whole `w` and one of its parts `p`, between
/// old meeting `i` and new meeting `j`: the whole is old for a split, new
/// for a merge (`merges`).
fn whole_and_part(i: usize, j: usize, merges: bool, w: usize, p: usize) -> (ItemRef, ItemRef) {
    let (old, new) = if merges { (p, w) } else { (w, p) };
    (
        ItemRef {
            meeting: i,
            item: old,
        },
        ItemRef {
            meeting: j,
            item: new,
        },
    )
}

/// `part` without the words it opens with that `whole` opens with too
/// (two at least: a subject such as "States should"), if any word is left.
fn without_repeated_subject<'a>(part: &'a str, whole: &str) -> &'a str {
    let mut end = 0;
    let mut words = 0;
    for ((at, p), w) in part
        .split(' ')
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .zip(whole.split(' '))
    {
        if p != w {
            break;
        }
        words += 1;
        end = at + p.len();
    }
    if words < 2 || end >= part.len() {
        return part;
    }
    part[end..].trim_start()
}

/// The indices (into `seq`) of one longest strictly increasing
/// subsequence: the items whose relative order did not change.
pub fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    // Patience sorting with back-pointers: O(n log n).
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &x) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < x);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_increasing_keeps_the_unmoved() {
        assert_eq!(longest_increasing(&[0, 1, 2]), vec![0, 1, 2]);
        assert_eq!(longest_increasing(&[1, 0, 2]).len(), 2);
        assert_eq!(longest_increasing(&[2, 0, 1]), vec![1, 2]);
        assert!(longest_increasing(&[]).is_empty());
    }
}

#[cfg(test)]
mod threshold {
    use super::*;
    use crate::ids::EditionId;
    use crate::parse::{ParseOptions, parse};

    fn real_edition() -> Edition {
        let src = include_bytes!("../../editions/2024-04.md");
        let opts = ParseOptions {
            id: EditionId::new("t").expect("valid"),
            date: None,
            rules: Default::default(),
        };
        parse(src, "real.md", &opts).expect("imports").edition
    }

    /// Distinct observations of one meeting in the real edition must stay
    /// below the threshold, or removing one would pair two others.
    #[test]
    fn distinct_items_of_one_meeting_in_the_real_edition_stay_below_the_threshold() {
        let e = real_edition();
        let mut max = 0.0f64;
        for m in e.meetings() {
            let t: Vec<String> = m.items.iter().map(item_text).collect();
            for a in 0..t.len() {
                for b in a + 1..t.len() {
                    max = max.max(similarity(&t[a], &t[b]));
                }
            }
        }
        eprintln!("max similarity between distinct items of one meeting: {max:.3}");
        assert!(max < SIMILARITY_THRESHOLD - 0.1, "{max}");
    }

    /// Distinct observations of different meetings of one part in the real
    /// edition must stay below rule 5b's threshold, or removing one and
    /// adding another elsewhere would pair them. (One observation is
    /// repeated, reworded, in two dialogues: 0.92 alike.)
    #[test]
    fn distinct_observations_of_one_part_in_the_real_edition_stay_below_the_moved_threshold() {
        let e = real_edition();
        let mut max = 0.0f64;
        for part in &e.parts {
            let items: Vec<(usize, String)> = part
                .meetings
                .iter()
                .enumerate()
                .flat_map(|(k, m)| {
                    m.items
                        .iter()
                        .filter(|i| i.label.is_none())
                        .map(move |i| (k, item_text(i)))
                })
                .collect();
            for (a, (ma, ta)) in items.iter().enumerate() {
                for (mb, tb) in &items[a + 1..] {
                    if ma != mb {
                        max = max.max(similarity(ta, tb));
                    }
                }
            }
        }
        eprintln!("max similarity between observations of different meetings: {max:.3}");
        assert!(max < MOVED_SIMILARITY - 0.02, "{max}");
    }
}
#[cfg(test)]
mod subject_tests {
    use super::without_repeated_subject;

    #[test]
    fn a_repeated_subject_is_left_out_of_a_part_after_the_first() {
        let whole = "States should consider cooperating with the private sector to collect data.";
        assert_eq!(
            without_repeated_subject(
                "States should consider cooperating with the private sector in identifying",
                whole
            ),
            "in identifying"
        );
        // One word in common is no subject; a part that is all subject is
        // kept whole.
        assert_eq!(
            without_repeated_subject("States could", whole),
            "States could"
        );
        assert_eq!(
            without_repeated_subject("States should consider", whole),
            "States should consider"
        );
        assert_eq!(
            without_repeated_subject("Parties should", whole),
            "Parties should"
        );
    }
}
