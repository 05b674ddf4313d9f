//! The vocabulary every renderer shares: how an item and a meeting are
//! named, what happened to an item (its headline), the summary phrases and
//! the grouping of a diff by part. Text, Markdown, HTML and the site all
//! word things through this module, so that one meeting never gets two
//! names and one change never two descriptions; each format only decides
//! how the words are marked up.

use crate::diff::{
    EditionDiff, HeadingChange, ItemDiff, ItemStatus, MeetingDiff, MeetingStatus, PartTitle,
    Summary,
};
use crate::model::{Counts, EditionDate, ItemKind, Meeting};
use crate::profile::Profile;
use crate::text::plural;

// ---------------------------------------------------------------------------
// Names.

/// An edition as every text output names it: by its id, with its date as
/// a reader writes it: "2024-04 (April 2024)". (The date is never written
/// `2024-04` beside an id that already says it.)
pub fn edition(id: &str, date: &EditionDate) -> String {
    format!("{id} ({})", date.long())
}

/// A date stored as `YYYY-MM` (or `YYYY-MM-DD`) as a reader writes it,
/// "April 2024"; text that is not such a date as it is.
pub fn long_date(iso: &str) -> String {
    EditionDate::parse(iso).map_or_else(|| iso.to_string(), |d| d.long())
}

/// The name of an item as a reader knows it: "Recommendation 14",
/// "Observation 3" (by position when unlabelled).
pub fn item_name(kind: ItemKind, label: Option<&str>, position: Option<usize>) -> String {
    let word = Profile::untoc().kind_word(kind);
    match (label, position) {
        (Some(l), _) => format!("{word} {l}"),
        (None, Some(p)) => format!("{word} {p}"),
        (None, None) => word.to_string(),
    }
}

/// An item of a diff by its name in the older edition.
pub fn old_name(i: &ItemDiff) -> String {
    item_name(i.kind, i.old_label.as_deref(), i.old_position)
}

/// An item of a diff by its name in the newer edition.
pub fn new_name(i: &ItemDiff) -> String {
    item_name(i.kind, i.new_label.as_deref(), i.new_position)
}

/// The heading of a meeting: who met, and the document it is known by —
/// its symbol, else its source ("Summary by the Chair").
fn heading(body: &str, symbol: Option<&str>, source: Option<&str>) -> String {
    match symbol.or(source) {
        Some(s) => format!("{body} ({s})"),
        None => body.to_string(),
    }
}

/// "Working Group on Firearms (CTOC/COP/WG.6/2023/5)".
pub fn meeting(m: &Meeting) -> String {
    heading(&m.body, m.symbol.as_deref(), m.source.as_deref())
}

/// A meeting of a diff, named as [`meeting`] names it.
pub fn meeting_of_diff(m: &MeetingDiff) -> String {
    heading(&m.body, m.symbol.as_deref(), m.source.as_deref())
}

/// The meeting with this key in a diff, or the key when the diff does not
/// know it.
pub fn meeting_in(d: &EditionDiff, key: &str) -> String {
    d.meeting(key)
        .map_or_else(|| key.to_string(), meeting_of_diff)
}

/// How a paired meeting's heading changed, as phrases: "renamed from
/// Working Group on Firearms", "year corrected from 2022". A symbol
/// correction is left to the meeting's status when that says it.
pub fn heading_changes(m: &MeetingDiff) -> Vec<String> {
    m.heading_changes
        .iter()
        .filter_map(|c| match c {
            HeadingChange::Symbol { .. } if m.status == MeetingStatus::SymbolCorrected => None,
            // The same symbol, now cited with corrigenda, addenda or
            // revisions (or no longer).
            HeadingChange::Symbol { old: Some(old) }
                if m.symbol.as_deref().is_some_and(|new| {
                    let p = crate::profile::Profile::untoc();
                    p.split_citation(new).0 == p.split_citation(old).0
                }) =>
            {
                Some(format!("was cited as {old}"))
            }
            HeadingChange::Symbol { old } => Some(format!(
                "symbol corrected from {}",
                old.as_deref().unwrap_or("none")
            )),
            HeadingChange::Body { old } => Some(format!("renamed from {old}")),
            HeadingChange::Year { old } => Some(format!("year corrected from {old}")),
            HeadingChange::Source { old } => Some(format!(
                "source changed from {}",
                old.as_deref().unwrap_or("none")
            )),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// What happened to an item.

/// What happened to one item, with every name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headline {
    Added {
        name: String,
    },
    Removed {
        name: String,
    },
    /// Reworded; `old` differs from `new` when its label changed too.
    Modified {
        old: String,
        new: String,
    },
    Renumbered {
        old: String,
        new: String,
    },
    /// Moved from another meeting (`from`, when the diff knows it).
    Moved {
        old: String,
        new: String,
        from: Option<String>,
    },
    /// Only typographic equivalents changed (quotes, dashes, ellipsis).
    Typography {
        name: String,
    },
    /// Split off the old item `from` (named as in the older edition).
    Split {
        name: String,
        from: String,
    },
    /// Merged into the new item `into` (named as in the newer edition).
    Merged {
        name: String,
        into: String,
    },
    /// Withdrawn before (in edition `withdrawn_in`, when known) and back
    /// under its id.
    Restored {
        name: String,
        withdrawn_in: Option<String>,
    },
    Unchanged {
        name: String,
    },
}

impl Headline {
    /// "withdrawn in 2025-03 and restored", or "withdrawn earlier and
    /// restored".
    pub fn restored_words(withdrawn_in: Option<&str>) -> String {
        match withdrawn_in {
            Some(e) => format!("withdrawn in {e} and restored"),
            None => "withdrawn earlier and restored".to_string(),
        }
    }
}

pub fn headline(d: &EditionDiff, i: &ItemDiff) -> Headline {
    let (old, new) = (old_name(i), new_name(i));
    match i.status {
        ItemStatus::Added => Headline::Added { name: new },
        ItemStatus::Removed => Headline::Removed { name: old },
        ItemStatus::Modified => Headline::Modified { old, new },
        ItemStatus::Renumbered => Headline::Renumbered { old, new },
        ItemStatus::Moved => Headline::Moved {
            old,
            new,
            from: i.from_meeting().map(|k| meeting_in(d, k)),
        },
        ItemStatus::Typography => Headline::Typography { name: new },
        ItemStatus::Split => Headline::Split {
            name: new,
            from: old,
        },
        ItemStatus::Merged => Headline::Merged {
            name: old,
            into: new,
        },
        ItemStatus::Restored => Headline::Restored {
            name: new,
            withdrawn_in: i.withdrawn_in().map(str::to_string),
        },
        ItemStatus::Unchanged => Headline::Unchanged { name: new },
    }
}

/// Why a paired item was paired, for a reader: "same label, similarity
/// 0.96"; nothing for an added or removed item.
pub fn why(i: &ItemDiff) -> Option<String> {
    match (i.status, i.similarity()) {
        (ItemStatus::Added | ItemStatus::Removed | ItemStatus::Split | ItemStatus::Merged, _) => {
            None
        }
        // The headline says it was withdrawn and restored.
        (ItemStatus::Restored, Some(s)) if s < 1.0 => Some(format!("similarity {s:.2}")),
        (ItemStatus::Restored, _) => None,
        (_, Some(s)) if s < 1.0 => Some(format!("{}, similarity {s:.2}", i.reason.describe())),
        _ => Some(i.reason.describe().to_string()),
    }
}

/// The word for a status where a reader sees it beside an item.
pub fn status_word(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Added => "added",
        ItemStatus::Removed => "removed",
        ItemStatus::Modified => "reworded",
        ItemStatus::Renumbered => "renumbered",
        ItemStatus::Moved => "moved",
        ItemStatus::Typography => "typography only",
        ItemStatus::Split => "split off",
        ItemStatus::Merged => "merged",
        ItemStatus::Restored => "restored",
        ItemStatus::Unchanged => "unchanged",
    }
}

// ---------------------------------------------------------------------------
// Summary phrases.

/// "10 meetings, 16 recommendations, 21 observations".
pub fn counts(c: &Counts) -> String {
    format!(
        "{}, {}, {}",
        plural(c.meetings, "meeting", "meetings"),
        plural(c.recommendations, "recommendation", "recommendations"),
        plural(c.observations, "observation", "observations")
    )
}

/// The counts of items changed in place, in the order every summary
/// gives them.
fn item_changes(s: &Summary) -> [(usize, &'static str); 7] {
    [
        (s.items_modified, "modified"),
        (s.items_renumbered, "renumbered"),
        (s.items_moved, "moved"),
        (s.items_split, "split off"),
        (s.items_merged, "merged"),
        (s.items_restored, "restored"),
        (s.items_removed, "removed"),
    ]
}

/// "meetings: 2 added, 1 changed; items: 5 added, 1 modified, 1 removed".
pub fn summary_line(s: &Summary) -> String {
    let some = |list: &[(usize, &str)]| -> Vec<String> {
        list.iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect()
    };
    let meetings = some(&[
        (s.meetings_added, "added"),
        (s.meetings_changed, "changed"),
        (s.meetings_removed, "removed"),
    ]);
    let mut items = vec![(s.items_added, "added")];
    items.extend(item_changes(s));
    items.push((s.items_typography, "typography only"));
    let items = some(&items);
    let mut out = Vec::new();
    if !meetings.is_empty() {
        out.push(format!("meetings: {}", meetings.join(", ")));
    }
    if !items.is_empty() {
        out.push(format!("items: {}", items.join(", ")));
    }
    if s.sections_changed > 0 {
        out.push(plural(
            s.sections_changed,
            "front-matter section changed",
            "front-matter sections changed",
        ));
    }
    if out.is_empty() {
        "no changes".to_string()
    } else {
        out.join("; ")
    }
}

/// "In short: 1 new meeting; 2 recommendations added; 1 item modified."
pub fn in_short(s: &Summary) -> String {
    let mut parts = Vec::new();
    if s.meetings_added > 0 {
        parts.push(plural(s.meetings_added, "new meeting", "new meetings"));
    }
    let mut added = Vec::new();
    if s.recommendations_added > 0 {
        added.push(plural(
            s.recommendations_added,
            "recommendation",
            "recommendations",
        ));
    }
    if s.observations_added > 0 {
        added.push(plural(s.observations_added, "observation", "observations"));
    }
    if !added.is_empty() {
        parts.push(format!("{} added", added.join(" and ")));
    }
    for (n, what) in item_changes(s) {
        if n > 0 {
            parts.push(format!("{} {what}", plural(n, "item", "items")));
        }
    }
    if s.meetings_symbol_corrected > 0 {
        parts.push(plural(
            s.meetings_symbol_corrected,
            "meeting symbol corrected",
            "meeting symbols corrected",
        ));
    }
    if s.meetings_removed > 0 {
        parts.push(plural(
            s.meetings_removed,
            "meeting removed",
            "meetings removed",
        ));
    }
    if parts.is_empty() {
        "Nothing changed.".to_string()
    } else {
        format!("In short: {}.", parts.join("; "))
    }
}

/// "added 2 meetings and 5 recommendations; 1 modified": what an edition
/// added, then the counts of what it changed in place.
pub fn added_and_changed(added_sentence: Option<String>, s: &Summary) -> String {
    let mut out = match added_sentence {
        None => "added nothing".to_string(),
        Some(a) => format!("added {a}"),
    };
    for (n, what) in item_changes(s) {
        if n > 0 {
            out.push_str(&format!("; {n} {what}"));
        }
    }
    // Typography is not wording, but it is never hidden.
    if s.items_typography > 0 {
        out.push_str(&format!("; {} typography only", s.items_typography));
    }
    out
}

// ---------------------------------------------------------------------------
// Grouping.

/// One part of a diff and its meetings with changes.
pub struct PartChanges<'a> {
    pub part: &'a PartTitle,
    pub meetings: Vec<&'a MeetingDiff>,
}

/// The parts that have changed meetings, in the diff's order of parts.
pub fn by_part(d: &EditionDiff) -> Vec<PartChanges<'_>> {
    d.parts
        .iter()
        .map(|part| PartChanges {
            part,
            meetings: d
                .changed_meetings()
                .filter(|m| m.part == part.key)
                .collect(),
        })
        .filter(|p| !p.meetings.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MeetingKind;

    fn dialogue(symbol: Option<&str>, source: Option<&str>) -> Meeting {
        Meeting {
            key: "B/2023/x".into(),
            part: "B".into(),
            year: 2023,
            body: "Constructive Dialogue on Firearms".into(),
            kind: MeetingKind::ConstructiveDialogue,
            symbol: symbol.map(Into::into),
            source: source.map(Into::into),
            link: None,
            items: Vec::new(),
        }
    }

    #[test]
    fn a_meeting_is_named_by_its_symbol_else_its_source() {
        assert_eq!(
            meeting(&dialogue(Some("CTOC/COP/WG.6/2023/5"), Some("Report"))),
            "Constructive Dialogue on Firearms (CTOC/COP/WG.6/2023/5)"
        );
        assert_eq!(
            meeting(&dialogue(None, Some("Summary by the Chair"))),
            "Constructive Dialogue on Firearms (Summary by the Chair)"
        );
        assert_eq!(
            meeting(&dialogue(None, None)),
            "Constructive Dialogue on Firearms"
        );
    }

    #[test]
    fn an_edition_is_named_by_its_id_and_its_long_date() {
        let april = EditionDate::month(2024, 4).expect("a date");
        assert_eq!(edition("2024-04", &april), "2024-04 (April 2024)");
        assert_eq!(long_date("2025-03"), "March 2025");
        assert_eq!(long_date("2025-03-15"), "15 March 2025");
        assert_eq!(long_date("undated"), "undated");
    }

    #[test]
    fn items_are_named_by_label_else_position() {
        assert_eq!(
            item_name(ItemKind::Recommendation, Some("(l)"), Some(3)),
            "Recommendation (l)"
        );
        assert_eq!(
            item_name(ItemKind::Observation, None, Some(3)),
            "Observation 3"
        );
        assert_eq!(item_name(ItemKind::Observation, None, None), "Observation");
    }

    #[test]
    fn summaries_name_only_what_happened() {
        let s = Summary {
            meetings_added: 1,
            items_added: 2,
            recommendations_added: 2,
            items_modified: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "meetings: 1 added; items: 2 added, 1 modified"
        );
        assert_eq!(
            in_short(&s),
            "In short: 1 new meeting; 2 recommendations added; 1 item modified."
        );
        assert_eq!(summary_line(&Summary::default()), "no changes");
        assert_eq!(
            added_and_changed(Some("1 meeting".into()), &s),
            "added 1 meeting; 1 modified"
        );
    }
}
