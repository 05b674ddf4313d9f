//! `diff --format html`: one self-contained page (no external assets) with
//! word changes as `<ins>`/`<del>`. Every document text goes through maud,
//! which escapes it, so nothing in a document becomes markup.

use std::collections::HashMap;
use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::describe::{self, Headline, by_part, meeting_of_diff, summary_line};
use crate::diff::words::{Change, ChangeOp};
use crate::diff::{EditionDiff, ItemDiff, ItemStatus, MeetingDiff, MeetingStatus};

/// Shared styles: readable, WCAG AA contrast, print-friendly.
pub const STYLE: &str = include_str!("assets/report.css");

/// The labels a sub-list numbers its entries with, in order: `(a)` `(b)`
/// …, `(i)` `(ii)` …, or `(1)` `(2)` ….
static SUBLIST_LABELS: std::sync::LazyLock<[Vec<String>; 3]> = std::sync::LazyLock::new(|| {
    const ROMAN: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    [
        ('a'..='z').map(|c| format!("({c})")).collect(),
        ROMAN.iter().map(|r| format!("({r})")).collect(),
        (1..=50).map(|n| format!("({n})")).collect(),
    ]
});

/// A text's word changes cut where its sub-list entries begin: the lead
/// text first, then one piece per entry. A text's words carry no line
/// breaks, so an entry is found by its label: the labels of one sequence
/// in order, from the first, at least two of them (a lone "(a)" in a
/// sentence starts no list).
pub fn sublist_pieces(changes: &[Change]) -> Vec<Vec<Change>> {
    let words: Vec<(ChangeOp, &str)> = changes
        .iter()
        .flat_map(|c| {
            c.text
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(move |w| (c.op, w))
        })
        .collect();
    let mut starts = Vec::new();
    let mut sequence: Option<&[String]> = None;
    for (at, (_, w)) in words.iter().enumerate() {
        match sequence {
            None => {
                if let Some(s) = SUBLIST_LABELS.iter().find(|s| s[0] == *w) {
                    sequence = Some(s);
                    starts.push(at);
                }
            }
            Some(s) => {
                if s.get(starts.len()).is_some_and(|l| l == w) {
                    starts.push(at);
                }
            }
        }
    }
    if starts.len() < 2 {
        return vec![changes.to_vec()];
    }
    let mut bounds = vec![0];
    bounds.extend(&starts);
    bounds.push(words.len());
    bounds
        .windows(2)
        .map(|w| {
            let mut piece: Vec<Change> = Vec::new();
            for &(op, word) in &words[w[0]..w[1]] {
                crate::diff::words::push_words(&mut piece, op, word);
            }
            piece
        })
        .collect()
}

/// A text, or its word changes, as a paragraph with its sub-list as a
/// list (`class` is the paragraph's).
pub fn text_markup(changes: &[Change], class: &str) -> Markup {
    let pieces = sublist_pieces(changes);
    html! {
        p class=(class) { (changes_markup(&pieces[0])) }
        @if pieces.len() > 1 {
            ul.sub {
                @for piece in &pieces[1..] { li { (changes_markup(piece)) } }
            }
        }
    }
}

/// A whole text (no word marks) with its sub-list as a list.
pub fn whole_text_markup(text: &str, class: &str) -> Markup {
    text_markup(
        &[Change {
            op: ChangeOp::Equal,
            text: text.to_string(),
        }],
        class,
    )
}

/// On top of a diff: a jump list of the meetings it touches, by part,
/// with how many changes each has.
pub fn jump_list(d: &EditionDiff) -> Markup {
    let groups = by_part(d);
    html! {
        @if !groups.is_empty() || !d.sections.is_empty() {
            nav.jump aria-labelledby="jump" {
                h2 #jump { "In this comparison" }
                ul {
                    @for group in &groups {
                        li {
                            a href=(format!("#part-{}", group.part.key)) { (group.part.key) ". " (group.part.title) }
                            ul {
                                @for m in &group.meetings {
                                    li {
                                        a href=(format!("#meeting-{}", m.key)) { (meeting_of_diff(m)) ", " (m.year) }
                                        @let n = m.items.len();
                                        @if n > 0 { " (" (crate::text::plural(n, "change", "changes")) ")" }
                                    }
                                }
                            }
                        }
                    }
                    @if !d.sections.is_empty() { li { a href="#front-matter" { "Front matter" } } }
                }
            }
        }
    }
}

/// Word changes with `<ins>`/`<del>` and words for screen readers.
pub fn changes_markup(changes: &[Change]) -> Markup {
    html! {
        @for (n, c) in changes.iter().enumerate() {
            @if n > 0 { " " }
            @match c.op {
                ChangeOp::Equal => { (c.text) }
                ChangeOp::Insert => { ins { span.visually-hidden { "added: " } (c.text) } }
                ChangeOp::Delete => { del { span.visually-hidden { "removed: " } (c.text) } }
            }
        }
    }
}

/// Where each change of a diff over several editions was made, and where
/// its history is: by item id, and by meeting key. Empty for a plain diff.
#[derive(Debug, Clone, Default)]
pub struct Attribution {
    /// Item id → the editions between the two that changed it.
    pub editions: HashMap<String, Vec<String>>,
    /// Item id → the address of its history page.
    pub item_history: HashMap<String, String>,
    /// Meeting key → the address of its page.
    pub meeting_history: HashMap<String, String>,
}

fn item(d: &EditionDiff, i: &ItemDiff, at: &Attribution) -> Markup {
    let head = match describe::headline(d, i) {
        Headline::Added { name } => format!("{name}: added"),
        Headline::Removed { name } => format!("{name}: removed"),
        Headline::Renumbered { old, new } => format!("{old} is now {new}"),
        Headline::Moved {
            old,
            new,
            from: Some(from),
        } => format!("{new}: moved here from {from}, where it was {old}"),
        Headline::Moved { old, new, .. } => format!("{new}: moved (was {old})"),
        Headline::Modified { old, new } if old != new => format!("{old} (now {new}): reworded"),
        Headline::Modified { new, .. } => format!("{new}: reworded"),
        Headline::Typography { name } => {
            format!("{name}: typography only (no change of wording)")
        }
        Headline::Split { name, from } => format!("{name}: split off {from} (as numbered before)"),
        Headline::Merged { name, into } => format!("{name}: merged into {into} (as numbered now)"),
        Headline::Restored { name, withdrawn_in } => format!(
            "{name}: {}",
            Headline::restored_words(withdrawn_in.as_deref())
        ),
        Headline::Unchanged { name } => name,
    };
    // How the pairing was found, and the permanent id, are for whoever
    // checks the work: folded away, not in the reader's line.
    let why = describe::why(i).unwrap_or_default();
    let badge = match i.status {
        ItemStatus::Added => Some("New"),
        ItemStatus::Removed => Some("Removed"),
        ItemStatus::Split => Some("Split off"),
        ItemStatus::Merged => Some("Merged"),
        ItemStatus::Restored => Some("Restored"),
        _ => None,
    };
    html! {
        li class=(i.status.as_str()) id=(format!("item-{}", i.id)) {
            p.item-head {
                @if let Some(b) = badge { span class=(format!("badge {}", i.status.as_str())) { (b) } " " }
                (head)
                @if let Some(eds) = at.editions.get(&i.id) {
                    span.attribution { " — in edition" @if eds.len() > 1 { "s" } " " (eds.join(", ")) }
                }
                @if let Some(h) = at.item_history.get(&i.id) {
                    " " a.history href=(h) { "its history" }
                }
            }
            // Added and removed items are whole blocks under their label;
            // word marks only inside a reworded text.
            @match i.status {
                ItemStatus::Added | ItemStatus::Split => { (whole_text_markup(i.new_text.as_deref().unwrap_or_default(), "text whole")) }
                ItemStatus::Removed | ItemStatus::Merged => { (whole_text_markup(i.old_text.as_deref().unwrap_or_default(), "text whole gone")) }
                _ if !i.changes().is_empty() => { (text_markup(i.changes(), "text")) }
                _ => { (whole_text_markup(i.new_text.as_deref().unwrap_or_default(), "text")) }
            }
            details.pairing {
                summary { "How this was matched" }
                p {
                    @if !why.is_empty() { (why) ". " }
                    "Permanent id " code { (i.id) } "."
                }
            }
        }
    }
}

/// One meeting's changes, as a section with a level-3 heading.
pub fn meeting(d: &EditionDiff, m: &MeetingDiff, at: &Attribution) -> Markup {
    let badge = match m.status {
        MeetingStatus::Added => Some("new meeting"),
        MeetingStatus::Removed => Some("meeting removed"),
        MeetingStatus::SymbolCorrected => Some("symbol corrected"),
        _ => None,
    };
    let status_class = match m.status {
        MeetingStatus::Added => "added",
        MeetingStatus::Removed => "removed",
        MeetingStatus::SymbolCorrected => "symbol_corrected",
        _ => "changed",
    };
    html! {
        section.meeting id=(format!("meeting-{}", m.key)) {
            h3 {
                (meeting_of_diff(m)) ", " (m.year)
                @if let Some(b) = badge { span class=(format!("badge {status_class}")) { (b) } }
                @if let Some(h) = at.meeting_history.get(&m.key) {
                    " " a.history href=(h) { "meeting page" }
                }
            }
            @let why = describe::heading_changes(m);
            @if !why.is_empty() {
                p.why { (why.join("; ")) "." }
            }
            @if let (MeetingStatus::SymbolCorrected, Some(old)) = (m.status, &m.old_symbol) {
                p { "Symbol corrected from " del { (old) } " to " ins { (m.symbol.as_deref().unwrap_or_default()) } "." }
            }
            @let moved_out: Vec<(&MeetingDiff, &ItemDiff)> = d.moved_out(&m.key).collect();
            @if !m.items.is_empty() || !moved_out.is_empty() {
                ul.items {
                    @for i in &m.items { (item(d, i, at)) }
                    @for (to, i) in &moved_out {
                        li.moved {
                            p.item-head {
                                (describe::old_name(i))
                                ": moved to " (meeting_of_diff(to)) ", where it is "
                                (describe::new_name(i))
                                " " span.id { (i.id) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The report's body: one section per part with changes.
pub fn report_body(d: &EditionDiff) -> Markup {
    report_body_attributed(d, &Attribution::default())
}

/// The report's body with each change attributed to the edition that made
/// it and linked to its history (the site's diffs over several editions).
pub fn report_body_attributed(d: &EditionDiff, at: &Attribution) -> Markup {
    html! {
        @for group in by_part(d) {
            section aria-labelledby=(format!("part-{}", group.part.key)) {
                h2 id=(format!("part-{}", group.part.key)) { (group.part.key) ". " (group.part.title) }
                @for m in group.meetings { (meeting(d, m, at)) }
            }
        }
        @if !d.sections.is_empty() {
            section aria-labelledby="front-matter" {
                h2 id="front-matter" { "Front matter" }
                ul.items {
                    @for s in &d.sections {
                        li class=(s.status.as_str()) {
                            p.item-head {
                                (s.title) ": " (s.status.as_str())
                                @if let Some(old) = &s.old_title { " (was " (old) ")" }
                            }
                            @if !s.changes.is_empty() { p.text { (changes_markup(&s.changes)) } }
                        }
                    }
                }
            }
        }
    }
}

pub fn render(d: &EditionDiff, out: &mut dyn Write) -> io::Result<()> {
    let title = if d.from.edition_id.is_empty() {
        format!("Everything in {}, the first edition", d.to.name)
    } else {
        format!("What changed from {} to {}", d.from.name, d.to.name)
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p.summary { (d.from.date) " → " (d.to.date) ": " (summary_line(&d.summary)) "." }
                }
                main { (jump_list(d)) (report_body(d)) }
            }
        }
    };
    out.write_all(page.into_string().as_bytes())?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(t: &str) -> Change {
        Change {
            op: ChangeOp::Equal,
            text: t.into(),
        }
    }

    fn texts(pieces: &[Vec<Change>]) -> Vec<String> {
        pieces
            .iter()
            .map(|p| {
                p.iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn a_sub_list_is_cut_at_its_labels_in_order() {
        let pieces = sublist_pieces(&[eq(
            "States should: (a) train staff; (b) share data; (c) report.",
        )]);
        assert_eq!(
            texts(&pieces),
            [
                "States should:",
                "(a) train staff;",
                "(b) share data;",
                "(c) report."
            ]
        );
    }

    #[test]
    fn a_lone_label_in_a_sentence_starts_no_list() {
        let text = "As article 5 (a) says, and (c) too.";
        assert_eq!(texts(&sublist_pieces(&[eq(text)])), [text]);
    }

    #[test]
    fn word_changes_keep_their_marks_inside_each_entry() {
        let changes = [
            eq("Lead: (a) one"),
            Change {
                op: ChangeOp::Delete,
                text: "old (b) two".into(),
            },
            Change {
                op: ChangeOp::Insert,
                text: "new".into(),
            },
            eq("end"),
        ];
        let pieces = sublist_pieces(&changes);
        assert_eq!(texts(&pieces), ["Lead:", "(a) one|old", "(b) two|new|end"]);
        assert_eq!(pieces[1][1].op, ChangeOp::Delete);
        assert_eq!(pieces[2][0].op, ChangeOp::Delete);
        assert_eq!(pieces[2][1].op, ChangeOp::Insert);
        let html = text_markup(&changes, "text").into_string();
        assert!(
            html.contains("<ul class=\"sub\"><li>(a) one <del>"),
            "{html}"
        );
    }

    #[test]
    fn roman_and_numbered_lists_are_lists_too() {
        let pieces = sublist_pieces(&[eq("Lead (i) one (ii) two (iii) three")]);
        assert_eq!(pieces.len(), 4);
        let pieces = sublist_pieces(&[eq("Lead (1) one (2) two")]);
        assert_eq!(pieces.len(), 3);
    }
}
