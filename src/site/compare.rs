//! Comparing any two editions in the browser (`compare.html`): above
//! [`super::ALL_PAIRS_UP_TO`] editions the site has pages only for
//! consecutive pairs, so the page builds the two editions from the
//! history of their meetings' items (`data/meetings.json`, and
//! `data/meetings/NAME.json` per meeting, written here: every wording an
//! item had, once, so the data grows with the changes, not with the
//! editions) and what the store recorded of each item
//! (`data/events.json`), and works out the changes as `livedoc diff A B`
//! does: pairing by permanent id, then label, meeting, text and
//! typography, with splits, merges and restorations told by the editions
//! that recorded them.
//!
//! Opened from disk, a browser refuses the fetch; the page then links the
//! consecutive comparison pages between the two editions instead.

use std::collections::BTreeMap;

use maud::{PreEscaped, html};
use serde::Serialize;

use super::{SiteData, pages};
use crate::diff::ItemStatus;

/// Where the events are written, relative to the site's root.
pub const EVENTS_PATH: &str = "data/events.json";

/// The one-letter codes of the statuses in `events.json`: the file holds
/// one entry per change of every item over every edition (tens of
/// thousands in a long-lived store), so the words are given once.
const CODES: [(ItemStatus, &str); 9] = [
    (ItemStatus::Added, "a"),
    (ItemStatus::Modified, "m"),
    (ItemStatus::Renumbered, "n"),
    (ItemStatus::Moved, "v"),
    (ItemStatus::Typography, "t"),
    (ItemStatus::Split, "s"),
    (ItemStatus::Merged, "g"),
    (ItemStatus::Restored, "r"),
    (ItemStatus::Removed, "x"),
];

fn code(status: ItemStatus) -> Option<&'static str> {
    CODES.iter().find(|(s, _)| *s == status).map(|(_, c)| *c)
}

/// One item's record: its page, and each edition (by index into
/// `editions`) in which its status was not unchanged, with the code.
#[derive(Debug, Serialize)]
struct ItemEvents {
    /// Its history page, relative to the site's root.
    page: String,
    events: Vec<(usize, &'static str)>,
}

/// The whole of `events.json`.
#[derive(Debug, Serialize)]
struct Events<'a> {
    /// Code → status word, as `livedoc diff --format json` spells it.
    statuses: BTreeMap<&'static str, &'static str>,
    /// Edition ids, oldest first: an event's edition is an index here.
    editions: Vec<&'a str>,
    /// Item id → its record.
    items: BTreeMap<&'a str, ItemEvents>,
    /// Meeting page key → its page, for the headings of the comparison.
    meetings: BTreeMap<&'a str, String>,
}

/// `data/events.json`: per item id, the editions where its status was not
/// unchanged, so that the browser can tell a split, a merge, a restoration
/// and a removal apart and name the edition that made each change.
pub fn events(data: &SiteData) -> String {
    let editions: Vec<&str> = (0..data.edition_count())
        .map(|k| data.edition_id(k))
        .collect();
    let items = data
        .items
        .iter()
        .map(|(id, (_, history))| {
            let mut events: Vec<(usize, &'static str)> = Vec::new();
            for m in history {
                if let Some(c) = code(m.status)
                    && !events.contains(&(m.edition, c))
                {
                    events.push((m.edition, c));
                }
            }
            (
                id.as_str(),
                ItemEvents {
                    page: data.item_path(id),
                    events,
                },
            )
        })
        .collect();
    let meetings = data
        .meetings
        .keys()
        .map(|key| (key.as_str(), data.meeting_path(key)))
        .collect();
    let all = Events {
        statuses: CODES.iter().map(|(s, c)| (*c, s.as_str())).collect(),
        editions,
        items,
        meetings,
    };
    // Plain data of strings and numbers: serialising cannot fail; were it
    // ever to, an empty object keeps the page's error path in charge.
    serde_json::to_string(&all).unwrap_or_else(|_| "{}".to_string())
}

/// The page's script: fetches, compares and renders as DOM nodes built
/// from text, never as markup.
const COMPARE_SCRIPT: &str = include_str!("assets/compare.js");
const COMPARE_STYLE: &str = include_str!("assets/compare.css");

/// What the page knows without fetching: the editions (for the form and
/// for the links of the fallback).
#[derive(Serialize)]
struct PageData<'a> {
    /// (id, date in words), oldest first.
    editions: Vec<(&'a str, String)>,
}

/// `compare.html?from=A&to=B`.
pub fn page(data: &SiteData) -> String {
    let n = data.edition_count();
    let page_data = PageData {
        editions: (0..n)
            .map(|k| (data.edition_id(k), data.edition_date(k).long()))
            .collect(),
    };
    let json = serde_json::to_string(&page_data).unwrap_or_else(|_| "{}".to_string());
    let latest = data.latest();
    let body = html! {
        style { (PreEscaped(COMPARE_STYLE)) }
        h1 { "Compare two editions" }
        p.meta { "The changes between any two of the " (n) " editions, item by item, with the edition that made each change." }
        form.compare #compare-form {
            label for="from" { "From " }
            select #from name="from" {
                @for k in 0..n {
                    option value=(data.edition_id(k)) selected[k + 1 == latest] { (data.edition_id(k)) " (" (data.edition_date(k).long()) ")" }
                }
            }
            label for="to" { " to " }
            select #to name="to" {
                @for k in 0..n {
                    option value=(data.edition_id(k)) selected[k == latest] { (data.edition_id(k)) " (" (data.edition_date(k).long()) ")" }
                }
            }
            " " button type="submit" { "Compare" }
        }
        noscript {
            p.banner { "Comparing two editions here needs JavaScript. Without it, "
                a href="index.html#compare-heading" { "the comparison pages" } " compare each edition with the next and with the latest." }
        }
        p #compare-status role="status" aria-live="polite" {}
        div #compare-fallback {}
        div #compare-summary {}
        div #compare-results {}
        script #compare-data type="application/json" { (PreEscaped(json.replace('<', "\\u003c"))) }
    };
    pages::layout_with(
        data,
        "Compare two editions",
        "compare.html",
        body,
        Some(COMPARE_SCRIPT),
        Some("'self'"),
    )
}

/// Where the meetings' index is written, relative to the site's root.
pub const MEETINGS_PATH: &str = "data/meetings.json";

/// Where a meeting's item history is written.
pub fn meeting_data_path(data: &SiteData, key: &str) -> String {
    format!("data/meetings/{}.json", data.meeting_names.of(key))
}

/// `data/meetings.json`: every meeting (by the key its page is under),
/// in document order (part, year, first appearance), with its heading,
/// the spans of editions it was in (`null`: still in) and its data file.
pub fn meetings_index(data: &SiteData) -> String {
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut order: Vec<(&str, i32, usize, &str)> = data
        .meetings
        .iter()
        .map(|(key, (present, m))| (m.part.as_str(), m.year, present[0], key.as_str()))
        .collect();
    order.sort();
    for (_, _, _, key) in order {
        let (present, m) = &data.meetings[key];
        let spans = super::spans(present, data.latest());
        rows.push(serde_json::json!({
            "key": key,
            "part": m.part,
            "year": m.year,
            "body": m.body,
            "symbol": m.symbol,
            "source": m.source,
            "spans": spans,
            "file": meeting_data_path(data, key),
        }));
    }
    serde_json::json!({ "meetings": rows }).to_string()
}

/// `data/meetings/NAME.json`: the spans of editions the meeting was in,
/// and every item ever in it, with its kind's word, its anchor and page,
/// and each moment of its history as `[edition, status, label, position,
/// meeting, text]` (the text as `livedoc diff` compares it, sub-items on
/// lines of their own). It changes only when the meeting's items do. The
/// meeting's page carries the same data for its script.
pub fn meeting_data(data: &SiteData, key: &str) -> String {
    let items: Vec<serde_json::Value> = data
        .items
        .iter()
        .filter(|(_, (_, h))| h.iter().any(|m| m.meeting == key))
        .map(|(id, (kind, history))| {
            let moments: Vec<serde_json::Value> = history
                .iter()
                .map(|m| {
                    serde_json::json!([
                        m.edition,
                        m.status.as_str(),
                        m.label,
                        m.position,
                        m.meeting,
                        m.text
                    ])
                })
                .collect();
            serde_json::json!({
                "id": id,
                "kind": match kind {
                    crate::model::ItemKind::Recommendation => "recommendation",
                    crate::model::ItemKind::Observation => "observation",
                },
                "word": crate::profile::Profile::untoc().kind_word(*kind),
                "anchor": data.item_anchor(id),
                "page": data.item_path(id),
                "moments": moments,
            })
        })
        .collect();
    let spans = data
        .meetings
        .get(key)
        .map(|(present, _)| super::spans(present, data.latest()))
        .unwrap_or_default();
    serde_json::json!({ "key": key, "spans": spans, "items": items }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EditionId;
    use crate::parse::{ParseOptions, parse};
    use crate::store::snapshot::Person;
    use crate::store::{DateFrom, ImportOutcome, ImportRequest, Store};

    /// The store of these tests is thrown away: its writes are not synced.
    const THROWAWAY: crate::store::Options = crate::store::Options {
        durable: false,
        check_object_ids: false,
    };
    const BEFORE: &[u8] = include_bytes!("../../tests/fixtures/diff/merged-observations/before.md");
    const AFTER: &[u8] = include_bytes!("../../tests/fixtures/diff/merged-observations/after.md");

    fn import(store: &Store, source: &[u8], id: &str) {
        let opts = ParseOptions {
            id: EditionId::new(id).expect("valid"),
            date: None,
            rules: Default::default(),
        };
        let parsed = parse(source, "e.md", &opts).expect("the fixture imports");
        let req = ImportRequest {
            edition: parsed.edition,
            source,
            source_file: format!("{id}.md"),
            derived: None,
            author: Person {
                name: "Test".into(),
                email: "test@example.org".into(),
            },
            time: crate::store::snapshot::Timestamp::from_unix(1_714_000_000).expect("a time"),
            date_from: DateFrom::Document,
            sign_key: None,
            overrides: Vec::new(),
        };
        assert!(matches!(
            store.import(&req).expect("imports"),
            ImportOutcome::Imported { .. }
        ));
    }

    /// What a site of three editions holds: two observations merged in
    /// e2, apart again in e3. Returns `events.json` as text and parsed,
    /// and how many item pages the site has.
    fn events_of_three() -> (String, serde_json::Value, usize) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = Store::init_with(&dir.path().join("s.git"), THROWAWAY).expect("store");
        import(&store, BEFORE, "e1");
        import(&store, AFTER, "e2");
        import(&store, BEFORE, "e3");
        let out = dir.path().join("site");
        let options = super::super::SiteOptions {
            downloads: Some(0),
            ..Default::default()
        };
        super::super::build(&store, options, &out, false, |_, _, _| {}).expect("builds");
        let text = std::fs::read_to_string(out.join(EVENTS_PATH)).expect("events.json");
        let json = serde_json::from_str(&text).expect("events.json is JSON");
        let pages = std::fs::read_dir(out.join("items"))
            .expect("items")
            .flatten()
            .filter(|e| e.file_name() != "index.html")
            .count();
        (text, json, pages)
    }

    #[test]
    fn events_name_each_change_by_edition_and_status() {
        let (_, json, pages) = events_of_three();
        assert_eq!(json["editions"], serde_json::json!(["e1", "e2", "e3"]));
        assert_eq!(json["statuses"]["g"], "merged");
        assert_eq!(json["statuses"]["x"], "removed");
        let items = json["items"].as_object().expect("items");
        assert_eq!(items.len(), pages);
        let mut merged = 0;
        for (id, record) in items {
            let events = record["events"].as_array().expect("events");
            // Present from the first edition: its first event is that.
            assert_eq!(events[0], serde_json::json!([0, "a"]), "{id}");
            assert!(
                record["page"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("items/")),
                "{id}"
            );
            // One event per edition at most, in order.
            let editions: Vec<u64> = events.iter().filter_map(|e| e[0].as_u64()).collect();
            assert!(editions.windows(2).all(|w| w[0] < w[1]), "{id}: {events:?}");
            if events.iter().any(|e| *e == serde_json::json!([1, "g"])) {
                merged += 1;
                // Back in e3, and told so, not as a new item.
                assert_eq!(events.len(), 3, "{id}: {events:?}");
                assert_ne!(events[2][1], "a", "{id}: {events:?}");
            }
        }
        assert_eq!(merged, 1, "one observation merged in e2");
        // The items nothing happened to after e1 have that one event.
        let untouched = items
            .values()
            .filter(|r| r["events"].as_array().is_some_and(|e| e.len() == 1))
            .count();
        assert!(
            untouched > items.len() / 2,
            "{untouched} of {}",
            items.len()
        );
    }

    #[test]
    fn events_stay_small_and_never_say_unchanged() {
        let (text, json, pages) = events_of_three();
        assert!(!text.contains("\"unchanged\""));
        // Per item: its id, its page and a few bytes per event.
        let per_item = text.len() / pages.max(1);
        assert!(per_item < 200, "{per_item} bytes per item");
        assert!(json["meetings"].as_object().is_some_and(|m| !m.is_empty()));
    }

    #[test]
    fn every_status_but_unchanged_has_a_distinct_code() {
        let mut seen = std::collections::HashSet::new();
        for (s, c) in CODES {
            assert_ne!(s, ItemStatus::Unchanged);
            assert!(seen.insert(c), "code {c} given twice");
        }
        assert_eq!(code(ItemStatus::Unchanged), None);
        assert_eq!(code(ItemStatus::Merged), Some("g"));
    }
}
