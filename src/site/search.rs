//! The site's search: an elasticlunr index (built here by `elasticlunr-rs`,
//! read in the browser by the same engine's `elasticlunr.js`, as mdBook
//! does) over every item and meeting of every edition, and the list of
//! what each result shows and links to. Both go into `search.html` as
//! data, so search works opened from disk as well as on any host.

use maud::{PreEscaped, html};
use serde::Serialize;

use super::{SiteData, pages};
use crate::model::ItemKind;
use crate::render::describe::{self, item_name};
use crate::text::plural;

/// What a result shows and where it leads; `ref` in the index is the
/// position in this list.
#[derive(Debug, Serialize)]
pub struct Doc {
    /// "Recommendation 19", or a meeting's name.
    pub title: String,
    /// The meeting and year an item is under (empty for a meeting).
    pub context: String,
    /// The beginning of the newest text.
    pub excerpt: String,
    /// Which editions hold it: "editions e1 to e3".
    pub editions: String,
    /// The page it stands on in the newest edition that holds it.
    pub url: String,
    /// Its history page.
    pub history: String,
    /// For an exact label search: the item's kind ("recommendation",
    /// "observation", "" for a meeting), its label without brackets
    /// ("19", "l"; for an observation its number in the meeting).
    pub kind: &'static str,
    pub label: String,
}

/// The search data: the index as elasticlunr.js loads it, and the docs.
pub struct SearchData {
    pub index: String,
    pub docs: Vec<Doc>,
}

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

fn editions_named(data: &SiteData, present: &[usize]) -> String {
    match (present.first(), present.last()) {
        (Some(&a), Some(&b)) if a == b => format!("edition {}", data.editions[a].id),
        (Some(&a), Some(&b)) => format!(
            "editions {} to {}",
            data.editions[a].id, data.editions[b].id
        ),
        _ => String::new(),
    }
}

/// The index over every item (all its wordings) and every meeting.
pub fn build(data: &SiteData) -> SearchData {
    let mut index = elasticlunr::IndexBuilder::new()
        .save_docs(false)
        .add_fields(["title", "body"])
        .build();
    let mut docs = Vec::new();
    for (id, (kind, history)) in &data.items {
        let Some(last) = history.last() else {
            continue;
        };
        let name = item_name(*kind, last.label.as_deref(), Some(last.position));
        let meeting = data
            .meetings
            .get(&last.meeting)
            .map_or_else(|| last.meeting.clone(), |(_, m)| describe::meeting(m));
        let year = data
            .meetings
            .get(&last.meeting)
            .map_or(String::new(), |(_, m)| m.year.to_string());
        // Every wording it ever had, so an old word still finds it.
        let mut texts: Vec<&str> = Vec::new();
        for m in history {
            if !texts.contains(&m.text.as_str()) {
                texts.push(&m.text);
            }
        }
        let texts: Vec<String> = texts.iter().map(|t| super::safe::plain(t)).collect();
        let present: Vec<usize> = history
            .iter()
            .filter(|m| {
                !matches!(
                    m.status,
                    crate::diff::ItemStatus::Removed | crate::diff::ItemStatus::Merged
                )
            })
            .map(|m| m.edition)
            .collect();
        let history_url = data.item_path(id);
        let url = match present.last() {
            Some(&k) => format!(
                "{}#{}",
                pages::edition_path(&data.editions[k].id),
                data.item_anchor(id)
            ),
            None => history_url.clone(),
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
            editions: editions_named(data, &present),
            url,
            history: history_url,
            kind: kind_word,
            label,
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
        let last = present.last().copied().unwrap_or(0);
        docs.push(Doc {
            title: name,
            context: format!("Meeting, {}, part {}", m.year, m.part),
            excerpt: crate::text::plural(m.items.len(), "item", "items"),
            editions: editions_named(data, present),
            url: format!(
                "{}#{}",
                pages::edition_path(&data.editions[last].id),
                data.meeting_anchor(key)
            ),
            history: data.meeting_path(key),
            kind: "",
            label: String::new(),
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
/// edition. Without JavaScript it says where else to look.
pub fn page(data: &SiteData, search: &SearchData) -> String {
    let docs = serde_json::to_string(&search.docs).expect("docs serialise");
    let body = html! {
        h1 { "Search" }
        p.meta { "Every recommendation, observation and meeting of all " (plural(data.editions.len(), "edition", "editions"))
            ", by words (\u{201c}firearms\u{201d}) or by label (\u{201c}Recommendation 19\u{201d}, \u{201c}(l)\u{201d}, \u{201c}Observation 3\u{201d})." }
        form.search #search role="search" {
            label for="q" { "Search for" }
            " " input #q type="search" name="q" autocomplete="off";
            " " button type="submit" { "Search" }
        }
        noscript {
            p.banner { "Search needs JavaScript. Without it, "
                a href="items/index.html" { "every item" } " and "
                a href="meetings/index.html" { "every meeting" }
                " are listed by part and year, and each edition is one page your browser can search." }
        }
        p #search-status role="status" aria-live="polite" {}
        ol.results #results {}
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
