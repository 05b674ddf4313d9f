//! The Atom feeds (built with atom_syndication): `feed.xml` for the whole
//! compilation, and `feeds/BODY.xml` for each meeting body (a working
//! group or dialogue), so a reader can follow only the body they work
//! with. Entries are dated by the edition's own publication date, not
//! by when it was stored, and name what changed.

use std::collections::BTreeMap;

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use chrono::{FixedOffset, TimeZone};

use super::{SiteData, pages};
use crate::diff::{EditionDiff, ItemStatus};
use crate::ids::slugify;
use crate::render::describe::{item_name, status_word};

/// How many editions, newest first, a feed holds: a reader subscribes to
/// what comes next, and a feed of a thousand editions would be most of a
/// megabyte re-read at every poll.
const ENTRIES: usize = 50;

/// The feeds: (path, Atom XML).
pub fn feeds(data: &SiteData) -> Vec<(String, String)> {
    let mut out = vec![("feed.xml".to_string(), atom(data, None))];
    for (slug, body) in bodies(data) {
        out.push((format!("feeds/{slug}.xml"), atom(data, Some(&body))));
    }
    out
}

/// Every meeting body of the site, by the slug of its feed's file.
pub fn bodies(data: &SiteData) -> BTreeMap<String, String> {
    data.meetings
        .values()
        .map(|(_, m)| (slugify(&m.body), m.body.clone()))
        .collect()
}

/// The path of a body's feed.
pub fn body_feed_path(body: &str) -> String {
    format!("feeds/{}.xml", slugify(body))
}

/// The publication date of edition `k` as a time: its day (the first of
/// its month when it names none), at midnight UTC.
fn published(data: &SiteData, k: usize) -> chrono::DateTime<FixedOffset> {
    let day = data.editions[k].date.naive();
    let utc = FixedOffset::east_opt(0).expect("UTC is an offset");
    utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The changes of one edition as lines a reader scans: "Added:
/// Recommendation 14 (Working Group on Firearms, 2024)", restricted to
/// one body's meetings when `body` is given.
fn named_changes(d: &EditionDiff, body: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    for m in d
        .meetings
        .iter()
        .filter(|m| body.is_none_or(|b| m.body == b))
    {
        for i in m.items.iter().filter(|i| i.status != ItemStatus::Unchanged) {
            let label = i.new_label.as_deref().or(i.old_label.as_deref());
            let position = i.new_position.or(i.old_position);
            let name = item_name(i.kind, label, position);
            let mut line = format!(
                "{}: {name} ({}, {})",
                capitalised(status_word(i.status)),
                m.body,
                m.year
            );
            if i.status == ItemStatus::Renumbered
                && let (Some(old), Some(new)) = (&i.old_label, &i.new_label)
            {
                line.push_str(&format!(", was {old}, now {new}"));
            }
            lines.push(line);
        }
    }
    lines
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One feed: an entry per edition (per edition that changed the body's
/// meetings, for a body's feed), newest first.
fn atom(data: &SiteData, body: Option<&str>) -> String {
    let mut entries = Vec::new();
    for k in (0..data.editions.len()).rev() {
        if entries.len() == ENTRIES {
            break;
        }
        let e = &data.editions[k];
        let info = &data.infos[k];
        let (summary, lines, href) = match k.checked_sub(1) {
            None => {
                let added = &data.first_added;
                let names: Vec<String> = added
                    .by_meeting
                    .iter()
                    .filter(|m| body.is_none_or(|b| m.body == b))
                    .map(|m| format!("{} {}: {} items", m.body, m.year, m.items.len()))
                    .collect();
                if body.is_some() && names.is_empty() {
                    continue;
                }
                (
                    format!("The first edition: {}.", added.sentence()),
                    names,
                    pages::edition_path(&e.id),
                )
            }
            Some(p) => {
                let Some(d) = data.diffs.get(&(p, k)) else {
                    continue;
                };
                let lines = named_changes(d, body);
                if body.is_some() && lines.is_empty() {
                    continue;
                }
                let added = d.added();
                let sentence = (!added.is_empty()).then(|| added.sentence());
                let text = crate::render::describe::added_and_changed(sentence, &d.summary);
                (
                    format!("{}.", capitalised(&text)),
                    lines,
                    pages::diff_path(&data.editions[p].id, &e.id),
                )
            }
        };
        let href = data.absolute(&href);
        let mut entry = Entry::default();
        entry.set_title(Text::plain(format!("Edition {} ({})", e.id, e.date.long())));
        entry.set_id(format!("urn:livedoc:edition:{}:{}", e.id, info.commit));
        entry.set_published(Some(published(data, k)));
        entry.set_updated(published(data, k));
        entry.set_summary(Some(Text::plain(summary.clone())));
        let mut content = Content::default();
        content.set_content_type(Some("text".to_string()));
        let mut value = summary;
        for line in &lines {
            value.push('\n');
            value.push_str(line);
        }
        content.set_value(Some(value));
        entry.set_content(Some(content));
        let mut link = Link::default();
        link.set_href(href);
        link.set_rel("alternate");
        entry.set_links(vec![link]);
        let mut author = Person::default();
        author.set_name(publisher_name(data));
        entry.set_authors(vec![author]);
        entries.push(entry);
    }
    let latest = &data.editions[data.latest()];
    let mut feed = Feed::default();
    feed.set_title(Text::plain(match body {
        Some(b) => format!("{b}: changes in {}", latest.title),
        None => format!("Editions of {}", latest.title),
    }));
    let this = match body {
        Some(b) => body_feed_path(b),
        None => "feed.xml".to_string(),
    };
    feed.set_id(format!("urn:livedoc:{}:{}", this, data.infos[0].commit));
    // Updated when its newest entry was: a body's feed stays as it is
    // while editions leave that body's meetings alone.
    feed.set_updated(
        entries
            .first()
            .map_or_else(|| published(data, data.latest()), |e| *e.updated()),
    );
    let mut home = Link::default();
    home.set_href(data.absolute("index.html"));
    home.set_rel("alternate");
    let mut self_link = Link::default();
    self_link.set_href(data.absolute(&this));
    self_link.set_rel("self");
    feed.set_links(vec![home, self_link]);
    feed.set_entries(entries);
    let mut out = feed.to_string();
    out.push('\n');
    out
}

/// Who publishes: the `--publisher` given, else the latest edition's
/// masthead, else the title.
pub fn publisher_name(data: &SiteData) -> String {
    if let Some(p) = &data.options.publisher {
        return p.clone();
    }
    let latest = &data.editions[data.latest()];
    // A full name (several words) before an acronym.
    let lines: Vec<String> = latest
        .masthead
        .iter()
        .map(|l| l.replace("**", "").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .find(|l| l.split_whitespace().count() > 1)
        .or(lines.first())
        .cloned()
        .unwrap_or_else(|| latest.title.clone())
}
