//! The semantic diff of two editions: which meetings were added, removed,
//! changed or had their symbol corrected, and which items were added,
//! removed, modified, renumbered or moved, each with its reason, its
//! similarity and its word-level changes.
//!
//! The same report comes out whether the editions are stored or are plain
//! files: pairs are found by [`matching`], and every status and reason is
//! derived from the content of the two items paired.

mod ids;
pub mod matching;
pub mod overrides;
pub mod words;

use crate::text::plural;
use std::collections::{BTreeSet, HashMap};

use crate::model::{Edition, Item, ItemKind, Meeting, MeetingKind};
use crate::rules::Rules;
use crate::text::{fold_typography, normalise, similarity};
pub use ids::carry_ids;
use matching::{
    ForcedPair, ItemRef, MatchOptions, Matching, MeetingReason, SIMILARITY_THRESHOLD, Via,
};
use words::{Change, changes};

/// What happened to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MeetingStatus {
    Added,
    SymbolCorrected,
    Changed,
    Removed,
    Unchanged,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Added => "added",
            MeetingStatus::SymbolCorrected => "symbol corrected",
            MeetingStatus::Changed => "changed",
            MeetingStatus::Removed => "removed",
            MeetingStatus::Unchanged => "unchanged",
        }
    }
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemStatus {
    Added,
    Modified,
    Renumbered,
    Moved,
    /// Only typographic equivalents changed (quotes, dashes, ellipsis):
    /// not a change of wording (rules 2).
    Typography,
    /// (rules 3) Part of an old item's text, now an item of its own next to
    /// the part that kept the old id.
    Split,
    /// (rules 3) An old item whose text now stands inside its neighbour.
    Merged,
    /// (rules 4) An item withdrawn in an earlier edition that comes back
    /// (the same or nearly the same text, in the same meeting): it has its
    /// old id again.
    Restored,
    Removed,
    Unchanged,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Added => "added",
            ItemStatus::Modified => "modified",
            ItemStatus::Renumbered => "renumbered",
            ItemStatus::Moved => "moved",
            ItemStatus::Typography => "typography",
            ItemStatus::Split => "split",
            ItemStatus::Merged => "merged",
            ItemStatus::Restored => "restored",
            ItemStatus::Removed => "removed",
            ItemStatus::Unchanged => "unchanged",
        }
    }
}

/// Why an item was paired (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Same meeting, same label, same text.
    SameLabelAndText,
    /// Same meeting, unlabelled, same text.
    SameText,
    /// Same meeting, same text under another label.
    SameTextOtherLabel,
    /// Same meeting, same label, changed text.
    SameLabel,
    /// Same meeting, a similar text under another label: renumbered and
    /// reworded (rules 2).
    SimilarTextOtherLabel,
    /// Same meeting, unlabelled, similar text.
    SimilarText,
    /// The same text in another meeting.
    SameTextOtherMeeting,
    /// A similar text in another meeting of the same part: moved and
    /// reworded (rules 2).
    SimilarTextOtherMeeting,
    /// The same permanent id (stored editions), when no content rule applies.
    SameId,
    /// The secretariat confirmed the pairing.
    Override,
    /// Split off an old item: with its neighbour, it stands for the old
    /// item's text (rules 3).
    SplitFrom,
    /// Merged into a neighbour, whose text now holds its own (rules 3).
    MergedInto,
    /// No counterpart: added or removed.
    NoCounterpart,
    /// (rules 4) Withdrawn in an earlier edition, now back under its id.
    WithdrawnBefore,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::SameLabelAndText => "same label and text",
            Reason::SameText => "same text",
            Reason::SameTextOtherLabel => "same text under another label",
            Reason::SameLabel => "same label",
            Reason::SimilarTextOtherLabel => "similar text under another label",
            Reason::SimilarText => "similar text",
            Reason::SameTextOtherMeeting => "same text in another meeting",
            Reason::SimilarTextOtherMeeting => "similar text in another meeting",
            Reason::SameId => "same permanent id",
            Reason::Override => "pairing confirmed by the secretariat",
            Reason::SplitFrom => "split from an item of the edition before",
            Reason::MergedInto => "merged into a neighbouring item",
            Reason::NoCounterpart => "no counterpart",
            Reason::WithdrawnBefore => "withdrawn in an earlier edition, now back",
        }
    }
}

/// One item's change.
#[derive(Debug, Clone)]
pub struct ItemDiff {
    /// The permanent id (of the earlier item when paired).
    pub id: String,
    pub kind: ItemKind,
    pub status: ItemStatus,
    pub old_label: Option<String>,
    pub new_label: Option<String>,
    pub old_text: Option<String>,
    pub new_text: Option<String>,
    pub reason: Reason,
    /// 1-based position among the meeting's items, before and after.
    pub old_position: Option<usize>,
    pub new_position: Option<usize>,
    /// What the status holds beyond the texts.
    pub change: ItemChange,
}

/// What each kind of item change holds: a pair's similarity, word
/// changes and aspects; the item a part was split off or merged into; the
/// edition a restored item was withdrawn in.
#[derive(Debug, Clone)]
pub enum ItemChange {
    /// Added or removed: no counterpart.
    Unpaired,
    /// Paired with an item of the other edition: modified, renumbered,
    /// moved, typography only, or unchanged.
    Paired {
        /// Word similarity of the two texts.
        similarity: f64,
        /// Word-level changes, when the text changed.
        changes: Vec<Change>,
        /// What changed, each aspect once, in a fixed order.
        aspects: Vec<Aspect>,
        /// For an item moved from another meeting, that meeting's key.
        from_meeting: Option<String>,
    },
    /// Split off the old item `from` (its id).
    Split { from: String },
    /// Merged into the new item `into` (its id).
    Merged { into: String },
    /// Back under the id of an item withdrawn before: the edition it was
    /// withdrawn in, and its changes from the text it had then, where
    /// known.
    Restored {
        withdrawn_in: Option<String>,
        similarity: Option<f64>,
        changes: Vec<Change>,
    },
}

impl ItemDiff {
    /// Word similarity of the two texts, for a paired or restored item.
    pub fn similarity(&self) -> Option<f64> {
        match &self.change {
            ItemChange::Paired { similarity, .. } => Some(*similarity),
            ItemChange::Restored { similarity, .. } => *similarity,
            _ => None,
        }
    }

    /// Word-level changes of a paired or restored item.
    pub fn changes(&self) -> &[Change] {
        match &self.change {
            ItemChange::Paired { changes, .. } | ItemChange::Restored { changes, .. } => changes,
            _ => &[],
        }
    }

    /// What changed of a paired item.
    pub fn aspects(&self) -> &[Aspect] {
        match &self.change {
            ItemChange::Paired { aspects, .. } => aspects,
            _ => &[],
        }
    }

    /// For an item moved from another meeting, that meeting's key.
    pub fn from_meeting(&self) -> Option<&str> {
        match &self.change {
            ItemChange::Paired { from_meeting, .. } => from_meeting.as_deref(),
            _ => None,
        }
    }

    /// For a split item, the id of the old item it was split from.
    pub fn split_from(&self) -> Option<&str> {
        match &self.change {
            ItemChange::Split { from } => Some(from),
            _ => None,
        }
    }

    /// For a merged item, the id of the item that now holds its text.
    pub fn merged_into(&self) -> Option<&str> {
        match &self.change {
            ItemChange::Merged { into } => Some(into),
            _ => None,
        }
    }

    /// For a restored item, the edition it was withdrawn in, where known.
    pub fn withdrawn_in(&self) -> Option<&str> {
        match &self.change {
            ItemChange::Restored { withdrawn_in, .. } => withdrawn_in.as_deref(),
            _ => None,
        }
    }
}

/// One thing that changed about a paired item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspect {
    /// Its label (renumbered).
    Label,
    /// Its wording.
    Text,
    /// Its meeting (moved to another meeting).
    Meeting,
    /// Its place among the items of its meeting.
    Position,
    /// Only typographic equivalents in its text.
    Typography,
}

/// One meeting's changes.
#[derive(Debug, Clone)]
pub struct MeetingDiff {
    pub key: String,
    /// The key before a symbol correction.
    pub old_key: Option<String>,
    pub part: String,
    pub year: i32,
    pub body: String,
    pub kind: MeetingKind,
    pub symbol: Option<String>,
    /// The label of the source when there is no symbol.
    pub source: Option<String>,
    pub old_symbol: Option<String>,
    pub status: MeetingStatus,
    pub reason: Option<MeetingReason>,
    /// How the heading of a paired meeting changed, with the old values.
    pub heading_changes: Vec<HeadingChange>,
    /// The items that changed, in the new edition's order, removed ones at
    /// their old place.
    pub items: Vec<ItemDiff>,
}

/// One way the heading of a paired meeting changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadingChange {
    /// Its symbol, as published (a corrected symbol).
    Symbol { old: Option<String> },
    /// The body that met ("renamed").
    Body { old: String },
    /// Its year.
    Year { old: i32 },
    /// The label of its source ("Summary by the Chair").
    Source { old: Option<String> },
}

/// How the heading of meeting `n` differs from that of its partner `o`.
fn heading_changes(o: &Meeting, n: &Meeting) -> Vec<HeadingChange> {
    let mut out = Vec::new();
    if o.symbol != n.symbol {
        out.push(HeadingChange::Symbol {
            old: o.symbol.clone(),
        });
    }
    if o.body != n.body {
        out.push(HeadingChange::Body {
            old: o.body.clone(),
        });
    }
    if o.year != n.year {
        out.push(HeadingChange::Year { old: o.year });
    }
    if o.source != n.source {
        out.push(HeadingChange::Source {
            old: o.source.clone(),
        });
    }
    out
}

/// What happened to a front-matter section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionStatus {
    Added,
    Modified,
    /// Under a new title, with the text of a removed section (rules 2).
    Renamed,
    Removed,
}

impl SectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SectionStatus::Added => "added",
            SectionStatus::Modified => "modified",
            SectionStatus::Renamed => "renamed",
            SectionStatus::Removed => "removed",
        }
    }
}

/// A changed front-matter section.
#[derive(Debug, Clone)]
pub struct SectionDiff {
    pub title: String,
    /// A renamed section's title before.
    pub old_title: Option<String>,
    pub status: SectionStatus,
    /// Word-level changes of a modified section's body.
    pub changes: Vec<Change>,
}

/// Counts of what changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub meetings_added: usize,
    pub meetings_removed: usize,
    /// Changed meetings, symbol corrections included.
    pub meetings_changed: usize,
    pub meetings_symbol_corrected: usize,
    pub items_added: usize,
    pub items_removed: usize,
    pub items_modified: usize,
    pub items_renumbered: usize,
    pub items_moved: usize,
    /// Items whose text changed only in typographic equivalents; not
    /// counted in `items_modified`.
    pub items_typography: usize,
    /// New items split off an old one (rules 3); not counted as added.
    pub items_split: usize,
    /// Old items merged into a neighbour (rules 3); not counted as removed.
    pub items_merged: usize,
    /// Items withdrawn in an earlier edition and back (rules 4); not
    /// counted as added.
    pub items_restored: usize,
    pub items_unchanged: usize,
    pub recommendations_added: usize,
    pub observations_added: usize,
    pub recommendations_removed: usize,
    pub observations_removed: usize,
    pub sections_changed: usize,
}

impl Summary {
    /// The counts of a report: what its meetings and items say, the
    /// changed front-matter sections, and `unchanged` items the report
    /// does not list (those of meetings known to be unchanged). The one
    /// place where a status is counted.
    pub fn tally(meetings: &[MeetingDiff], sections_changed: usize, unchanged: usize) -> Summary {
        let mut summary = Summary {
            items_unchanged: unchanged,
            sections_changed,
            ..Summary::default()
        };
        for m in meetings {
            match m.status {
                MeetingStatus::Added => summary.meetings_added += 1,
                MeetingStatus::Removed => summary.meetings_removed += 1,
                MeetingStatus::SymbolCorrected => {
                    summary.meetings_symbol_corrected += 1;
                    summary.meetings_changed += 1;
                }
                MeetingStatus::Changed => summary.meetings_changed += 1,
                MeetingStatus::Unchanged => {}
            }
            for it in &m.items {
                match it.status {
                    ItemStatus::Added => {
                        summary.items_added += 1;
                        match it.kind {
                            ItemKind::Recommendation => summary.recommendations_added += 1,
                            ItemKind::Observation => summary.observations_added += 1,
                        }
                    }
                    ItemStatus::Removed => {
                        summary.items_removed += 1;
                        match it.kind {
                            ItemKind::Recommendation => summary.recommendations_removed += 1,
                            ItemKind::Observation => summary.observations_removed += 1,
                        }
                    }
                    ItemStatus::Modified => summary.items_modified += 1,
                    ItemStatus::Renumbered => summary.items_renumbered += 1,
                    ItemStatus::Moved => summary.items_moved += 1,
                    ItemStatus::Typography => summary.items_typography += 1,
                    ItemStatus::Split => summary.items_split += 1,
                    ItemStatus::Merged => summary.items_merged += 1,
                    ItemStatus::Restored => summary.items_restored += 1,
                    ItemStatus::Unchanged => summary.items_unchanged += 1,
                }
            }
        }
        summary
    }

    /// Whether the two editions differ in any way the report shows.
    pub fn is_empty(&self) -> bool {
        self.meetings_added
            + self.meetings_removed
            + self.meetings_changed
            + self.items_added
            + self.items_removed
            + self.items_modified
            + self.items_renumbered
            + self.items_moved
            + self.items_typography
            + self.items_split
            + self.items_merged
            + self.items_restored
            + self.sections_changed
            == 0
    }
}

/// One side of a diff.
#[derive(Debug, Clone)]
pub struct Side {
    /// The edition id, or the file path.
    pub name: String,
    pub edition_id: String,
    pub date: String,
    pub title: String,
}

/// The semantic diff of two editions.
#[derive(Debug, Clone)]
pub struct EditionDiff {
    pub from: Side,
    pub to: Side,
    pub summary: Summary,
    /// Every meeting of either edition, grouped by part and year, added
    /// meetings first within a year.
    pub meetings: Vec<MeetingDiff>,
    pub sections: Vec<SectionDiff>,
    /// Parts in the order of the new edition, then parts only in the old.
    pub parts: Vec<PartTitle>,
}

#[derive(Debug, Clone)]
pub struct PartTitle {
    pub key: String,
    pub title: String,
}

impl EditionDiff {
    /// The meeting with this key (in either edition).
    pub fn meeting(&self, key: &str) -> Option<&MeetingDiff> {
        self.meetings.iter().find(|m| m.key == key)
    }

    /// The items that moved out of meeting `key` to another meeting, each
    /// with the meeting it moved to.
    pub fn moved_out<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (&'a MeetingDiff, &'a ItemDiff)> {
        self.meetings.iter().flat_map(move |m| {
            m.items
                .iter()
                .filter(move |i| i.from_meeting() == Some(key))
                .map(move |i| (m, i))
        })
    }

    /// The meetings with something to show.
    pub fn changed_meetings(&self) -> impl Iterator<Item = &MeetingDiff> {
        self.meetings
            .iter()
            .filter(|m| m.status != MeetingStatus::Unchanged)
    }
}

/// How the items of two editions are paired: the one choice that every
/// comparison makes, whoever asks (`diff` of files or of stored editions,
/// `whatsnew`, `changelog`, `import`'s plan, the site).
#[derive(Debug, Clone)]
pub enum Pairing<'a> {
    /// By the matching rules, as an import pairs a draft with the latest
    /// edition and a diff pairs two files: `forced` pairs (confirmed by the
    /// secretariat) are made first, `apart` ones never. The new edition's
    /// ids are carried from the old one along the pairs.
    ByRules {
        rules: Rules,
        forced: Vec<ForcedPair>,
        apart: Vec<ForcedPair>,
    },
    /// By permanent id, as the store recorded the editions (both sides
    /// stored): what the rules decided when each edition was cut is kept,
    /// never decided again. The relations recorded between the two
    /// editions, edition by edition, come composed in [`Recorded`].
    ByRecord(&'a Recorded),
}

impl Pairing<'_> {
    /// By today's rules, with no override.
    pub fn by_rules() -> Pairing<'static> {
        Pairing::ByRules {
            rules: Rules::CURRENT,
            forced: Vec::new(),
            apart: Vec::new(),
        }
    }
}

/// Pairs of permanent ids: (the item, the item it relates to).
pub type IdPairs = Vec<(String, String)>;

/// What the store recorded between an older stored edition and a newer
/// one, composed over every edition cut in between (see
/// `store::snapshot::recorded_across`). Relations naming an item that
/// either edition lacks are passed over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    /// How each pairing by id was first made, where that was not plainly
    /// by rule (confirmed by the secretariat, a similar text under another
    /// label or in another meeting), so that the report gives the reason.
    pub via: HashMap<String, Via>,
    /// Items split off an older item, as (id of the part, id of the older
    /// edition's item it descends from).
    pub splits: IdPairs,
    /// Older items merged into another, as (id of the older edition's item,
    /// id of the newer edition's item that holds its text).
    pub merges: IdPairs,
}

/// What a comparison is of, besides the two editions and their pairing.
#[derive(Debug, Clone, Default)]
pub struct Sides {
    /// How the report names the older and newer editions.
    pub from_name: String,
    pub to_name: String,
    /// Ids retired before the new edition; minted ids never reuse them.
    pub retired: BTreeSet<String>,
    /// Meetings left out of both editions because they are known to be
    /// the same in each (two stored editions whose meeting files are the
    /// same blob): reported unchanged without being compared. Only with
    /// [`Pairing::ByRecord`], where such a meeting pairs only with itself.
    pub unchanged: Vec<UnchangedMeeting>,
    /// Items withdrawn before the newer edition (rules 4): one that comes
    /// back has its old id ([`Pairing::ByRules`]) or is told restored with
    /// what it was then ([`Pairing::ByRecord`]).
    pub withdrawn: Vec<Withdrawn>,
}

impl Sides {
    /// The two editions named by their ids, nothing retired or left out.
    pub fn named(old: &Edition, new: &Edition) -> Sides {
        Sides {
            from_name: old.id.clone(),
            to_name: new.id.clone(),
            ..Sides::default()
        }
    }
}

/// Compares two editions: the one entry point of every comparison.
pub fn compare(old: &Edition, new: &Edition, pairing: &Pairing<'_>, sides: Sides) -> Diffed {
    let matching = match pairing {
        Pairing::ByRules {
            rules,
            forced,
            apart,
        } => MatchOptions {
            rules: *rules,
            trust_ids: false,
            forced: forced.clone(),
            apart: apart.clone(),
            ..MatchOptions::default()
        },
        // A stored diff shows what today's rules find where they still
        // decide (meetings); the items pair by the ids their own rules
        // carried.
        Pairing::ByRecord(recorded) => MatchOptions {
            rules: Rules::CURRENT,
            trust_ids: true,
            recorded: recorded.via.clone(),
            recorded_splits: recorded.splits.clone(),
            recorded_merges: recorded.merges.clone(),
            ..MatchOptions::default()
        },
    };
    diff(
        old,
        new,
        &DiffOptions {
            from_name: sides.from_name,
            to_name: sides.to_name,
            matching,
            retired: sides.retired,
            unchanged: sides.unchanged,
            withdrawn: sides.withdrawn,
        },
    )
}

/// Everything a diff needs besides the two editions, as the matcher takes
/// it; built by [`compare`] from a [`Pairing`].
#[derive(Debug, Clone, Default)]
pub(crate) struct DiffOptions {
    pub from_name: String,
    pub to_name: String,
    pub matching: MatchOptions,
    /// Ids retired before the new edition; minted ids never reuse them.
    pub retired: BTreeSet<String>,
    /// Meetings left out of both editions because they are known to be the
    /// same in each (two stored editions whose meeting files are the same
    /// blob): reported unchanged without being compared. Only with
    /// `trust_ids`, where such a meeting can only pair with itself.
    pub unchanged: Vec<UnchangedMeeting>,
    /// See [`Sides::withdrawn`].
    pub withdrawn: Vec<Withdrawn>,
}

/// A meeting known to be unchanged, and where it stands among the new
/// edition's meetings (0-based, counting these too).
#[derive(Debug, Clone)]
pub struct UnchangedMeeting {
    pub at: usize,
    pub header: crate::model::MeetingHeader,
}

/// A diff and what it decided about the new edition.
#[derive(Debug, Clone)]
pub struct Diffed {
    pub report: EditionDiff,
    /// The new edition with permanent ids carried along the pairs (as
    /// given, when its ids were trusted).
    pub edition: Edition,
    /// The ids retired once the new edition is in.
    pub retired: BTreeSet<String>,
    pub matching: Matching,
}

/// Matches and compares two editions. Unless ids are trusted (both
/// editions stored), the new edition's ids are carried from the old one,
/// exactly as importing it would. Callers outside the diff layer go
/// through [`compare`].
pub(crate) fn diff(old: &Edition, new: &Edition, opts: &DiffOptions) -> Diffed {
    let om: Vec<&Meeting> = old.meetings().collect();
    let ot = matching::texts(&om);
    let nt = matching::texts(&new.meetings().collect::<Vec<_>>());
    // Rules 2 match through typography: a re-export that only straightens
    // quotes or turns dashes into hyphens pairs as the same text.
    let m = if opts.matching.rules >= Rules::V2 {
        let fold = |t: &[Vec<String>]| -> Vec<Vec<String>> {
            t.iter()
                .map(|m| m.iter().map(|s| fold_typography(s)).collect())
                .collect()
        };
        matching::match_editions(old, new, &fold(&ot), &fold(&nt), &opts.matching)
    } else {
        matching::match_editions(old, new, &ot, &nt, &opts.matching)
    };
    let mut edition = new.clone();
    let (retired, restored) = if opts.matching.trust_ids {
        (opts.retired.clone(), restored_by_id(&edition, &m, opts))
    } else {
        let c = carry_ids(
            old,
            &mut edition,
            &m,
            &opts.retired,
            &opts.withdrawn,
            opts.matching.rules,
        );
        (c.retired, c.restored)
    };
    let nm: Vec<&Meeting> = edition.meetings().collect();
    let report = Builder {
        om: &om,
        nm: &nm,
        ot: &ot,
        nt: &nt,
        m: &m,
        rules: opts.matching.rules,
        restored: &restored,
    }
    .build(old, &edition, opts);
    Diffed {
        report,
        edition,
        retired,
        matching: m,
    }
}

/// With trusted ids (rules 4): the new items no old item pairs with whose
/// id the older edition had retired are back, restored; what they were
/// when withdrawn comes from `opts.withdrawn` where the caller knows it.
fn restored_by_id(
    edition: &Edition,
    m: &Matching,
    opts: &DiffOptions,
) -> HashMap<String, Restoration> {
    let mut out = HashMap::new();
    if opts.matching.rules < Rules::V4 || opts.retired.is_empty() {
        return out;
    }
    for (j, meeting) in edition.meetings().enumerate() {
        for (k, item) in meeting.items.iter().enumerate() {
            let r = ItemRef {
                meeting: j,
                item: k,
            };
            if m.pair_of_new(r).is_some()
                || m.split_origin(r).is_some()
                || !opts.retired.contains(item.id.as_str())
            {
                continue;
            }
            let w = opts.withdrawn.iter().find(|w| w.item.id == item.id);
            let text = w.map(|w| crate::text::item_text(&w.item));
            let similarity = text.as_deref().map(|t| {
                similarity(
                    &fold_typography(t),
                    &fold_typography(&crate::text::item_text(item)),
                )
            });
            out.insert(
                item.id.to_string(),
                Restoration {
                    withdrawn_in: w.map(|w| w.withdrawn_in.clone()),
                    label: w.and_then(|w| w.item.label.clone()),
                    text,
                    similarity,
                },
            );
        }
    }
    out
}

/// An item withdrawn before the newer edition, as the last edition that
/// held it had it: what a restoration is recognised by (rules 4).
#[derive(Debug, Clone)]
pub struct Withdrawn {
    pub item: Item,
    /// The key of the meeting it was in.
    pub meeting: String,
    /// The edition it was withdrawn in (the first without it).
    pub withdrawn_in: String,
}

/// How an item came back: what it was when withdrawn, where known.
#[derive(Debug, Clone, Default)]
pub struct Restoration {
    pub withdrawn_in: Option<String>,
    pub label: Option<String>,
    /// Its text when withdrawn, as compared.
    pub text: Option<String>,
    pub similarity: Option<f64>,
}

/// An edition with nothing in it: what the first edition is compared with.
pub fn empty_like(e: &Edition) -> Edition {
    Edition {
        id: String::new(),
        title: String::new(),
        place: None,
        date: e.date,
        masthead: Vec::new(),
        front_matter: Vec::new(),
        parts: Vec::new(),
        contact: None,
    }
}

struct Builder<'a> {
    om: &'a [&'a Meeting],
    nm: &'a [&'a Meeting],
    ot: &'a [Vec<String>],
    nt: &'a [Vec<String>],
    m: &'a Matching,
    rules: Rules,
    /// New items back under the id of a withdrawn one, by id.
    restored: &'a HashMap<String, Restoration>,
}

impl Builder<'_> {
    /// For each pair of meetings, the new items whose unlabelled position
    /// changed relative to the others paired within the same meetings.
    fn reordered(&self) -> Vec<Vec<bool>> {
        let mut out: Vec<Vec<bool>> = self.nm.iter().map(|m| vec![false; m.items.len()]).collect();
        for (j, meeting) in self.nm.iter().enumerate() {
            let Some((i, _)) = self.m.meeting_of_new[j] else {
                continue;
            };
            // Unlabelled items paired within the same pair of meetings with
            // the same text (the only ones that can be "moved" rather than
            // modified or renumbered), in new order.
            let within: Vec<(usize, usize)> = (0..meeting.items.len())
                .filter_map(|k| {
                    self.m
                        .pair_of_new(ItemRef {
                            meeting: j,
                            item: k,
                        })
                        .filter(|p| {
                            p.old.meeting == i
                                && meeting.items[k].label.is_none()
                                && self.om[i].items[p.old.item].label.is_none()
                                && self.nt[j][k] == self.ot[i][p.old.item]
                        })
                        .map(|p| (k, p.old.item))
                })
                .collect();
            let old_order: Vec<usize> = within.iter().map(|&(_, o)| o).collect();
            let mut kept = vec![false; within.len()];
            for idx in matching::longest_increasing(&old_order) {
                kept[idx] = true;
            }
            for (w, &(k, _)) in within.iter().enumerate() {
                out[j][k] = !kept[w];
            }
        }
        out
    }

    /// The diff of a new item, paired with `old` or not.
    fn item_diff(&self, old: Option<ItemRef>, n: ItemRef, reordered: &[Vec<bool>]) -> ItemDiff {
        let get_old = |r: ItemRef| &self.om[r.meeting].items[r.item];
        let get_new = |r: ItemRef| &self.nm[r.meeting].items[r.item];
        match old {
            Some(o) => {
                let (oi, ni): (&Item, &Item) = (get_old(o), get_new(n));
                let pair = self.m.pair_of_new(n).expect("paired items have a pair");
                let same_meeting =
                    self.m.meeting_of_new[n.meeting].map(|(i, _)| i) == Some(o.meeting);
                let (ot, nt) = (&self.ot[o.meeting][o.item], &self.nt[n.meeting][n.item]);
                // Rules 2 tell typography apart from wording: the texts
                // differ, but only in typographic equivalents; rules 4
                // also in how the same printed text is written (escapes,
                // entities, emphasis, code spans, links), as a Word
                // document read back writes it.
                let typography = ot != nt
                    && self.rules >= Rules::V2
                    && (fold_typography(ot) == fold_typography(nt)
                        || (self.rules >= Rules::V4
                            && fold_typography(&crate::text::printed_plain(ot))
                                == fold_typography(&crate::text::printed_plain(nt))));
                let text_same = ot == nt || typography;
                let label_same = oi.label == ni.label;
                let status = if !same_meeting {
                    ItemStatus::Moved
                } else if !text_same {
                    ItemStatus::Modified
                } else if typography && label_same {
                    ItemStatus::Typography
                } else if !label_same {
                    ItemStatus::Renumbered
                } else if ni.label.is_none() && reordered[n.meeting][n.item] {
                    ItemStatus::Moved
                } else {
                    ItemStatus::Unchanged
                };
                let reason = match pair.via {
                    Via::Override => Reason::Override,
                    Via::SimilarOtherLabel => Reason::SimilarTextOtherLabel,
                    Via::SimilarOtherMeeting => Reason::SimilarTextOtherMeeting,
                    Via::Rules => match (same_meeting, text_same, label_same) {
                        (false, true, _) => Reason::SameTextOtherMeeting,
                        (true, true, true) if ni.label.is_some() => Reason::SameLabelAndText,
                        (true, true, true) => Reason::SameText,
                        (true, true, false) => Reason::SameTextOtherLabel,
                        (true, false, true) if ni.label.is_some() => Reason::SameLabel,
                        (true, false, true) => Reason::SimilarText,
                        _ => Reason::SameId,
                    },
                };
                let mut aspects = Vec::new();
                if !label_same {
                    aspects.push(Aspect::Label);
                }
                if !text_same {
                    aspects.push(Aspect::Text);
                }
                if !same_meeting {
                    aspects.push(Aspect::Meeting);
                }
                if same_meeting && reordered[n.meeting][n.item] {
                    aspects.push(Aspect::Position);
                }
                if typography {
                    aspects.push(Aspect::Typography);
                }
                ItemDiff {
                    id: oi.id.to_string(),
                    kind: ni.kind,
                    status,
                    old_label: oi.label.clone(),
                    new_label: ni.label.clone(),
                    old_text: Some(ot.clone()),
                    new_text: Some(nt.clone()),
                    reason,
                    old_position: Some(o.item + 1),
                    new_position: Some(n.item + 1),
                    change: ItemChange::Paired {
                        similarity: round3(pair.similarity),
                        changes: if ot == nt {
                            Vec::new()
                        } else {
                            changes(ot, nt)
                        },
                        aspects,
                        // The meeting it came from, by its key in the new
                        // edition when it is still there (its symbol may
                        // have changed).
                        from_meeting: (!same_meeting).then(|| {
                            match self.m.meeting_of_old[o.meeting] {
                                Some(j) => self.nm[j].key.to_string(),
                                None => self.om[o.meeting].key.to_string(),
                            }
                        }),
                    },
                }
            }
            None => match self.m.split_origin(n) {
                Some(o) => self.fragment(o, n, ItemStatus::Split),
                None if self.restored.contains_key(get_new(n).id.as_str()) => self.restored_diff(n),
                None => {
                    let ni = get_new(n);
                    ItemDiff {
                        id: ni.id.to_string(),
                        kind: ni.kind,
                        status: ItemStatus::Added,
                        old_label: None,
                        new_label: ni.label.clone(),
                        old_text: None,
                        new_text: Some(self.nt[n.meeting][n.item].clone()),
                        reason: Reason::NoCounterpart,
                        old_position: None,
                        new_position: Some(n.item + 1),
                        change: ItemChange::Unpaired,
                    }
                }
            },
        }
    }

    /// The diff of an old item no new item is paired with: merged into a
    /// neighbour, or removed.
    fn removed_diff(&self, o: ItemRef) -> ItemDiff {
        let get_old = |r: ItemRef| &self.om[r.meeting].items[r.item];
        match self.m.merge_target(o) {
            Some(n) => self.fragment(o, n, ItemStatus::Merged),
            None => {
                let oi = get_old(o);
                ItemDiff {
                    id: oi.id.to_string(),
                    kind: oi.kind,
                    status: ItemStatus::Removed,
                    old_label: oi.label.clone(),
                    new_label: None,
                    old_text: Some(self.ot[o.meeting][o.item].clone()),
                    new_text: None,
                    reason: Reason::NoCounterpart,
                    old_position: Some(o.item + 1),
                    new_position: None,
                    change: ItemChange::Unpaired,
                }
            }
        }
    }

    /// An item back under the id of one withdrawn before (rules 4), with
    /// its changes from the text it had then, where known.
    fn restored_diff(&self, n: ItemRef) -> ItemDiff {
        let ni = &self.nm[n.meeting].items[n.item];
        let r = self
            .restored
            .get(ni.id.as_str())
            .cloned()
            .unwrap_or_default();
        let new_text = self.nt[n.meeting][n.item].clone();
        let changes = match &r.text {
            Some(old) if *old != new_text => changes(old, &new_text),
            _ => Vec::new(),
        };
        ItemDiff {
            id: ni.id.to_string(),
            kind: ni.kind,
            status: ItemStatus::Restored,
            old_label: r.label,
            new_label: ni.label.clone(),
            old_text: r.text,
            new_text: Some(new_text),
            reason: Reason::WithdrawnBefore,
            old_position: None,
            new_position: Some(n.item + 1),
            change: ItemChange::Restored {
                withdrawn_in: r.withdrawn_in,
                similarity: r.similarity,
                changes,
            },
        }
    }

    /// A split or a merge (rules 3): old item `o` and new item `n` stand
    /// for one text on one side and part of it on the other. A split is
    /// named by its new part, a merge by its old part.
    fn fragment(&self, o: ItemRef, n: ItemRef, status: ItemStatus) -> ItemDiff {
        let (oi, ni) = (
            &self.om[o.meeting].items[o.item],
            &self.nm[n.meeting].items[n.item],
        );
        let merged = status == ItemStatus::Merged;
        let named = if merged { oi } else { ni };
        ItemDiff {
            id: named.id.to_string(),
            kind: named.kind,
            status,
            old_label: oi.label.clone(),
            new_label: ni.label.clone(),
            old_text: Some(self.ot[o.meeting][o.item].clone()),
            new_text: Some(self.nt[n.meeting][n.item].clone()),
            reason: if merged {
                Reason::MergedInto
            } else {
                Reason::SplitFrom
            },
            old_position: Some(o.item + 1),
            new_position: Some(n.item + 1),
            change: if merged {
                ItemChange::Merged {
                    into: ni.id.to_string(),
                }
            } else {
                ItemChange::Split {
                    from: oi.id.to_string(),
                }
            },
        }
    }

    /// The changed items of a new meeting (and of its old partner), in new
    /// order with removed items at their old place.
    fn meeting_items(
        &self,
        j: Option<usize>,
        i: Option<usize>,
        reordered: &[Vec<bool>],
    ) -> (Vec<ItemDiff>, usize) {
        let mut out = Vec::new();
        let mut unchanged = 0;
        // Old items of i with no partner, by old index.
        let mut removed: Vec<usize> = match i {
            Some(i) => (0..self.om[i].items.len())
                .filter(|&k| self.m.item_of_old[i][k].is_none())
                .collect(),
            None => Vec::new(),
        };
        removed.reverse(); // pop from the front in old order
        if let Some(j) = j {
            for k in 0..self.nm[j].items.len() {
                let n = ItemRef {
                    meeting: j,
                    item: k,
                };
                let old = self.m.pair_of_new(n).map(|p| p.old);
                // Emit removed items that stood before this item's partner.
                if let (Some(o), Some(i)) = (old, i)
                    && o.meeting == i
                {
                    while removed.last().is_some_and(|&r| r < o.item) {
                        let r = removed.pop().expect("checked above");
                        out.push(self.removed_diff(ItemRef {
                            meeting: i,
                            item: r,
                        }));
                    }
                }
                let d = self.item_diff(old, n, reordered);
                if d.status == ItemStatus::Unchanged {
                    unchanged += 1;
                } else {
                    out.push(d);
                }
            }
        }
        if let Some(i) = i {
            while let Some(r) = removed.pop() {
                out.push(self.removed_diff(ItemRef {
                    meeting: i,
                    item: r,
                }));
            }
        }
        (out, unchanged)
    }

    fn build(&self, old: &Edition, new: &Edition, opts: &DiffOptions) -> EditionDiff {
        let reordered = self.reordered();
        let mut meetings: Vec<(usize, MeetingDiff)> = Vec::new();
        let mut summary = Summary::default();
        // Where each compared new meeting stands among all the new
        // edition's meetings: the places the unchanged ones leave free.
        let mut skipped: Vec<usize> = opts.unchanged.iter().map(|u| u.at).collect();
        skipped.sort_unstable();
        let total = self.nm.len() + skipped.len();
        let rank_of_new: Vec<usize> = (0..total)
            .filter(|at| skipped.binary_search(at).is_err())
            .collect();
        // Old meetings that lost an item to another meeting.
        let mut gave_away = vec![false; self.om.len()];
        for p in &self.m.pairs {
            if self.m.meeting_of_new[p.new.meeting].map(|(i, _)| i) != Some(p.old.meeting) {
                gave_away[p.old.meeting] = true;
            }
        }
        for (j, nmeet) in self.nm.iter().enumerate() {
            let partner = self.m.meeting_of_new[j];
            let i = partner.map(|(i, _)| i);
            let (items, unchanged) = self.meeting_items(Some(j), i, &reordered);
            summary.items_unchanged += unchanged;
            let omeet = i.map(|i| self.om[i]);
            let status = match (partner, omeet) {
                (None, _) => MeetingStatus::Added,
                (Some((_, MeetingReason::SymbolCorrected)), _) => MeetingStatus::SymbolCorrected,
                (Some(_), Some(o))
                    if !items.is_empty()
                        || gave_away[i.unwrap_or_default()]
                        || meeting_header_changed(o, nmeet)
                        // Rules 4: a symbol now cited with its corrigenda
                        // (the same key) is a change of the heading too.
                        || self.rules >= Rules::V4 && o.symbol != nmeet.symbol =>
                {
                    MeetingStatus::Changed
                }
                _ => MeetingStatus::Unchanged,
            };
            // A meeting that kept its old key (rules 3) is the same key.
            let reason = partner.map(|(_, r)| match (r, omeet) {
                (MeetingReason::SameItems, Some(o)) if o.key == nmeet.key => MeetingReason::SameKey,
                (r, _) => r,
            });
            meetings.push((
                rank_of_new[j],
                MeetingDiff {
                    key: nmeet.key.to_string(),
                    old_key: omeet
                        .filter(|o| o.key != nmeet.key)
                        .map(|o| o.key.to_string()),
                    part: nmeet.part.clone(),
                    year: nmeet.year,
                    body: nmeet.body.clone(),
                    kind: nmeet.kind,
                    symbol: nmeet.symbol.clone(),
                    source: nmeet.source.clone(),
                    old_symbol: omeet
                        .and_then(|o| o.symbol.clone())
                        .filter(|s| Some(s) != nmeet.symbol.as_ref()),
                    status,
                    reason,
                    heading_changes: omeet.map_or_else(Vec::new, |o| heading_changes(o, nmeet)),
                    items,
                },
            ));
        }
        for u in &opts.unchanged {
            let h = &u.header;
            summary.items_unchanged += h.items;
            meetings.push((
                u.at,
                MeetingDiff {
                    key: h.key.to_string(),
                    old_key: None,
                    part: h.part.clone(),
                    year: h.year,
                    body: h.body.clone(),
                    kind: h.kind,
                    symbol: h.symbol.clone(),
                    source: h.source.clone(),
                    old_symbol: None,
                    status: MeetingStatus::Unchanged,
                    reason: Some(MeetingReason::SameKey),
                    heading_changes: Vec::new(),
                    items: Vec::new(),
                },
            ));
        }
        for (i, ometing) in self.om.iter().enumerate() {
            if self.m.meeting_of_old[i].is_some() {
                continue;
            }
            let (items, _) = self.meeting_items(None, Some(i), &reordered);
            meetings.push((
                total + i,
                MeetingDiff {
                    key: ometing.key.to_string(),
                    old_key: None,
                    part: ometing.part.clone(),
                    year: ometing.year,
                    body: ometing.body.clone(),
                    kind: ometing.kind,
                    symbol: ometing.symbol.clone(),
                    source: ometing.source.clone(),
                    old_symbol: None,
                    status: MeetingStatus::Removed,
                    reason: None,
                    heading_changes: Vec::new(),
                    items,
                },
            ));
        }

        // Parts: the new edition's order, then parts only in the old one.
        let mut parts: Vec<PartTitle> = new
            .parts
            .iter()
            .map(|p| PartTitle {
                key: p.key.clone(),
                title: p.title.clone(),
            })
            .collect();
        for p in &old.parts {
            if !parts.iter().any(|q| q.key == p.key) {
                parts.push(PartTitle {
                    key: p.key.clone(),
                    title: p.title.clone(),
                });
            }
        }
        let part_rank: HashMap<&str, usize> = parts
            .iter()
            .enumerate()
            .map(|(n, p)| (p.key.as_str(), n))
            .collect();
        let status_rank = |s: MeetingStatus| match s {
            MeetingStatus::Added => 0,
            _ => 1,
        };
        let mut indexed = meetings;
        indexed.sort_by_key(|(n, m)| {
            (
                part_rank
                    .get(m.part.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                m.year,
                status_rank(m.status),
                *n,
            )
        });
        let meetings: Vec<MeetingDiff> = indexed.into_iter().map(|(_, m)| m).collect();

        let sections = sections(old, new, opts.matching.rules);
        summary = Summary::tally(&meetings, sections.len(), summary.items_unchanged);
        EditionDiff {
            from: side(&opts.from_name, old),
            to: side(&opts.to_name, new),
            summary,
            meetings,
            sections,
            parts,
        }
    }
}

/// Three decimals, never rounding a difference up to 1.
fn round3(x: f64) -> f64 {
    let r = (x * 1000.0).round() / 1000.0;
    if x < 1.0 && r >= 1.0 { 0.999 } else { r }
}

/// Whether a paired meeting's heading changed (body or source label).
fn meeting_header_changed(o: &Meeting, n: &Meeting) -> bool {
    o.body != n.body || o.source != n.source || o.year != n.year || o.part != n.part
}

fn side(name: &str, e: &Edition) -> Side {
    Side {
        name: if name.is_empty() {
            e.id.clone()
        } else {
            name.to_string()
        },
        edition_id: e.id.clone(),
        date: e.date.to_string(),
        title: e.title.clone(),
    }
}

fn sections(old: &Edition, new: &Edition, rules: Rules) -> Vec<SectionDiff> {
    // Sections pair by title, the k-th of a title with the k-th: a title
    // may repeat.
    let nth = |list: &[crate::model::Section], title: &str, k: usize| {
        list.iter().filter(|x| x.title == title).nth(k).cloned()
    };
    let occurrence = |list: &[crate::model::Section], at: usize| {
        list[..at]
            .iter()
            .filter(|x| x.title == list[at].title)
            .count()
    };
    let mut out = Vec::new();
    for (at, s) in new.front_matter.iter().enumerate() {
        match nth(
            &old.front_matter,
            &s.title,
            occurrence(&new.front_matter, at),
        ) {
            None => out.push(SectionDiff {
                title: s.title.clone(),
                old_title: None,
                status: SectionStatus::Added,
                changes: Vec::new(),
            }),
            Some(o) => {
                let (a, b) = (normalise(&o.body), normalise(&s.body));
                if a != b {
                    out.push(SectionDiff {
                        title: s.title.clone(),
                        old_title: None,
                        status: SectionStatus::Modified,
                        changes: changes(&a, &b),
                    });
                }
            }
        }
    }
    let mut removed = Vec::new();
    for (at, o) in old.front_matter.iter().enumerate() {
        if nth(
            &new.front_matter,
            &o.title,
            occurrence(&old.front_matter, at),
        )
        .is_none()
        {
            removed.push(o.clone());
        }
    }
    // Rules 2: a section under a new title whose text is that of a removed
    // one was renamed. Front matter has a handful of sections: every pair
    // is compared.
    if rules >= Rules::V2 {
        let body = |s: &crate::model::Section| normalise(&s.body);
        for d in out.iter_mut().filter(|d| d.status == SectionStatus::Added) {
            let Some(n) = new.front_matter.iter().find(|s| s.title == d.title) else {
                continue;
            };
            let nb = body(n);
            let best = removed
                .iter()
                .enumerate()
                .map(|(k, o)| (similarity(&body(o), &nb), k))
                .filter(|&(s, _)| s >= SIMILARITY_THRESHOLD)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            if let Some((_, k)) = best {
                let o = removed.remove(k);
                let ob = body(&o);
                d.status = SectionStatus::Renamed;
                d.changes = if ob == nb {
                    Vec::new()
                } else {
                    changes(&ob, &nb)
                };
                d.old_title = Some(o.title);
            }
        }
    }
    out.extend(removed.into_iter().map(|o| SectionDiff {
        title: o.title,
        old_title: None,
        status: SectionStatus::Removed,
        changes: Vec::new(),
    }));
    out
}

/// What one edition added to the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
    pub by_meeting: Vec<AddedInMeeting>,
}

/// The items one meeting added.
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl EditionDiff {
    /// What the new edition added: new meetings and added items.
    pub fn added(&self) -> Added {
        let mut out = Added::default();
        for m in &self.meetings {
            let new_meeting = m.status == MeetingStatus::Added;
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
            for it in m.items.iter().filter(|i| i.status == ItemStatus::Added) {
                match it.kind {
                    ItemKind::Recommendation => entry.recommendations += 1,
                    ItemKind::Observation => entry.observations += 1,
                }
                entry.items.push(match &it.new_label {
                    Some(l) => l.clone(),
                    None => format!("#{}", it.new_position.unwrap_or_default()),
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
}

#[cfg(test)]
mod tests;
