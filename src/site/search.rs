//! The site's search: an elasticlunr index (built here by `elasticlunr-rs`,
//! read in the browser by the same engine's `elasticlunr.js`, as mdBook
//! does) over every item and meeting of every edition, and the list of
//! what each result shows and links to. Both go into `search.html` as
//! data, so search works opened from disk as well as on any host. The
//! page filters the results (kind, part, year, withdrawn or not), marks
//! the words found and shows them twenty at a time, all of it in the
//! address so that a search can be linked to and Back works.

use std::collections::BTreeSet;

use maud::{PreEscaped, html};
use serde::Serialize;

use super::{SiteData, pages};
use crate::diff::ItemStatus;
use crate::model::ItemKind;
use crate::profile::Profile;
use crate::render::describe::{self, item_name};
use crate::text::plural;

/// What a result shows and where it leads; `ref` in the index is the
/// position in this list.
#[derive(Debug, Serialize)]
pub struct Doc {
    /// "Recommendation 19", or a meeting's name.
    pub title: String,
    /// The meeting and year an item is under; a meeting's year and part.
    pub context: String,
    /// The beginning of the newest text.
    pub excerpt: String,
    /// Which editions hold it: "editions e1 to e3".
    pub editions: String,
    /// Where it leads: its place in the latest edition, or, withdrawn,
    /// its history page.
    pub url: String,
    /// Its history page.
    pub history: String,
    /// For the filters and an exact label search: "recommendation",
    /// "observation" or "meeting"; its label without brackets ("19",
    /// "l"; for an observation its number in the meeting).
    pub kind: &'static str,
    pub label: String,
    /// The part and year of its (newest) meeting.
    pub part: String,
    pub year: i32,
    /// The edition it was withdrawn in (the first without it), when the
    /// latest edition no longer holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
}

/// The search data: the index as elasticlunr.js loads it, and the docs.
pub struct SearchData {
    pub index: String,
    pub docs: Vec<Doc>,
}

/// Long enough to recognise a text by; the page holds one per item and
/// meeting of every edition, so excerpts are most of its size after the
/// index.
const EXCERPT_CHARS: usize = 220;

fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => {
            let cut = text[..at].rfind(' ').unwrap_or(at);
            format!("{} …", &text[..cut])
        }
        None => text.to_string(),
    }
}

/// "edition e1", "editions e1 to e3".
fn editions_named(data: &SiteData, first: usize, last: usize) -> String {
    if first == last {
        format!("edition {}", data.edition_id(first))
    } else {
        format!(
            "editions {} to {}",
            data.edition_id(first),
            data.edition_id(last)
        )
    }
}

fn gone(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Removed | ItemStatus::Merged)
}

/// The index over every item (each wording it ever had, once) and every
/// meeting.
pub fn build(data: &SiteData) -> SearchData {
    let mut index = elasticlunr::IndexBuilder::new()
        .save_docs(false)
        .add_fields(["title", "body"])
        .build();
    let latest = data.latest();
    let mut docs = Vec::new();
    for (id, (kind, history)) in &data.items {
        // The newest form it had while present (a removal repeats it).
        let Some(last) = history.iter().rev().find(|m| !gone(m.status)) else {
            continue;
        };
        let first = history.first().map_or(0, |m| m.edition);
        let name = item_name(*kind, last.label.as_deref(), Some(last.position));
        let newest = data.meetings.get(&last.meeting).map(|(_, m)| m);
        let meeting = newest.map_or_else(|| last.meeting.clone(), describe::meeting);
        let (part, year) = newest.map_or((String::new(), 0), |m| (m.part.clone(), m.year));
        // Every wording it ever had, so an old word still finds it; each
        // once, which keeps the index small however many editions.
        let mut texts: Vec<&str> = Vec::new();
        for m in history {
            if !texts.contains(&m.text.as_str()) {
                texts.push(&m.text);
            }
        }
        let texts: Vec<String> = texts.iter().map(|t| super::safe::plain(t)).collect();
        // Only the first appearance and the changes are recorded: the
        // last record says whether the latest edition still holds it.
        let withdrawn = history.last().filter(|m| gone(m.status)).map(|m| m.edition);
        let history_url = data.item_path(id);
        let url = match withdrawn {
            None => format!("latest.html#{}", data.item_anchor(id)),
            Some(_) => history_url.clone(),
        };
        let kind_word = match kind {
            ItemKind::Recommendation => "recommendation",
            ItemKind::Observation => "observation",
        };
        let label = last
            .label
            .clone()
            .unwrap_or_else(|| last.position.to_string())
            .trim_matches(|c| c == '(' || c == ')')
            .to_lowercase();
        index.add_doc(
            &docs.len().to_string(),
            [format!("{name} {meeting} {year}"), texts.join(" ")],
        );
        docs.push(Doc {
            title: name,
            context: format!("{meeting}, {year}"),
            excerpt: excerpt(&super::safe::plain(&last.text)),
            editions: editions_named(
                data,
                first,
                withdrawn.map_or(latest, |k| k.saturating_sub(1)),
            ),
            url,
            history: history_url,
            kind: kind_word,
            label,
            part,
            year,
            withdrawn: withdrawn.map(|k| data.edition_id(k).to_string()),
        });
    }
    for (key, (present, m)) in &data.meetings {
        let symbols = data.meeting_symbols.get(key).cloned().unwrap_or_default();
        let name = describe::meeting(m);
        index.add_doc(
            &docs.len().to_string(),
            [
                format!("{name} {} {}", m.year, symbols.join(" ")),
                m.body.clone(),
            ],
        );
        let first = present.first().copied().unwrap_or(0);
        let last = present.last().copied().unwrap_or(0);
        let withdrawn = (last != latest).then(|| data.edition_id(last + 1).to_string());
        let history = data.meeting_path(key);
        docs.push(Doc {
            title: name,
            context: format!("Meeting, {}, part {}", m.year, m.part),
            excerpt: crate::text::plural(m.items.len(), "item", "items"),
            editions: editions_named(data, first, last),
            url: match withdrawn {
                None => format!("latest.html#{}", data.meeting_anchor(key)),
                Some(_) => history.clone(),
            },
            history,
            kind: "meeting",
            label: String::new(),
            part: m.part.clone(),
            year: m.year,
            withdrawn,
        });
    }
    SearchData {
        index: index.to_json(),
        docs,
    }
}

/// The search page's script: elasticlunr.js (MIT, vendored unchanged)
/// for words, an exact lookup for labels ("Recommendation 19", "(l)").
/// Results are built as DOM nodes from text, never as markup.
const SEARCH_SCRIPT: &str = include_str!("assets/search.js");

/// The search page's whole script, elasticlunr first.
fn search_script() -> String {
    format!(
        "{}\n{SEARCH_SCRIPT}",
        include_str!("assets/elasticlunr.min.js")
    )
}

/// `search.html`: words or a label, over every item and meeting of every
/// edition, with filters. Without JavaScript it says where else to look.
pub fn page(data: &SiteData, search: &SearchData) -> String {
    // Plain data of strings and numbers: serialising cannot fail.
    let docs = serde_json::to_string(&search.docs).unwrap_or_else(|_| "[]".to_string());
    let parts: BTreeSet<&str> = data
        .meetings
        .values()
        .map(|(_, m)| m.part.as_str())
        .collect();
    let years: BTreeSet<i32> = data.meetings.values().map(|(_, m)| m.year).collect();
    let body = html! {
        style { (PreEscaped(include_str!("assets/search.css"))) }
        h1 { "Search" }
        p.meta { "Every recommendation, observation and meeting of all " (plural(data.edition_count(), "edition", "editions"))
            ", by words (\u{201c}firearms\u{201d}) or by label (\u{201c}Recommendation 19\u{201d}, \u{201c}(l)\u{201d}, \u{201c}Observation 3\u{201d})." }
        form.search #search role="search" {
            label for="q" { "Search for" }
            " " input #q type="search" name="q" autocomplete="off";
            " " button type="submit" { "Search" }
            fieldset.filters {
                legend { "Filters" }
                span {
                    label for="kind" { "Kind" }
                    select #kind name="kind" {
                        option value="" { "All" }
                        option value="recommendation" { "Recommendations" }
                        option value="observation" { "Observations" }
                        option value="meeting" { "Meetings" }
                    }
                }
                span {
                    label for="part" { "Part" }
                    select #part name="part" {
                        option value="" { "All" }
                        @for p in &parts {
                            option value=(p) { (Profile::untoc().part_name(p))
                                @if let Some(kind) = Profile::untoc().part_holds(p) { " (" (kind.plural(2)) ")" } }
                        }
                    }
                }
                span {
                    label for="year" { "Year" }
                    select #year name="year" {
                        option value="" { "All" }
                        @for y in years.iter().rev() { option value=(y) { (y) } }
                    }
                }
                span {
                    label for="withdrawn" { "Withdrawn items" }
                    select #withdrawn name="withdrawn" {
                        option value="" { "Include" }
                        option value="only" { "Only withdrawn" }
                        option value="exclude" { "Exclude" }
                    }
                }
            }
        }
        noscript {
            p.banner { "Search needs JavaScript. Without it, "
                a href="items/index.html" { "every item" } " and "
                a href="meetings/index.html" { "every meeting" }
                " are listed by part and year, and each edition is one page your browser can search." }
        }
        p #search-status role="status" aria-live="polite" tabindex="-1" {}
        ol.results #results {}
        nav.pages #pages aria-label="Result pages" hidden {
            button #prev type="button" { "Previous" }
            span #page-number {}
            button #next type="button" { "Next" }
        }
        script #search-index type="application/json" { (PreEscaped(search.index.replace('<', "\\u003c"))) }
        script #search-docs type="application/json" { (PreEscaped(docs.replace('<', "\\u003c"))) }
    };
    pages::layout(data, "Search", "search.html", body, Some(&search_script()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_ends_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(long.trim());
        assert!(e.ends_with("word …"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 2);
        assert_eq!(excerpt("short text"), "short text");
    }
}
