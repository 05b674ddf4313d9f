//! The Atom feed of editions (`feed.xml`), built with atom_syndication.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use chrono::{DateTime, FixedOffset};

use super::{SiteData, pages};

fn when(cut_at: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(cut_at).unwrap_or_default()
}

/// One entry per edition, newest first, summarising what it added.
pub fn atom(data: &SiteData) -> String {
    let mut entries = Vec::new();
    for k in (0..data.editions.len()).rev() {
        let e = &data.editions[k];
        let info = &data.infos[k];
        let (summary, href) = match k {
            0 => (
                format!(
                    "The first edition: {}.",
                    super::first_added(data).sentence()
                ),
                pages::edition_path(&e.id),
            ),
            _ => {
                let d = &data.diffs[&(k - 1, k)];
                (
                    format!(
                        "Added {}; {} item(s) modified, {} renumbered, {} moved, {} removed.",
                        d.added().sentence(),
                        d.summary.items_modified,
                        d.summary.items_renumbered,
                        d.summary.items_moved,
                        d.summary.items_removed
                    ),
                    pages::diff_path(&data.editions[k - 1].id, &e.id),
                )
            }
        };
        let mut entry = Entry::default();
        entry.set_title(Text::plain(format!("Edition {} ({})", e.id, e.date.long())));
        entry.set_id(format!("urn:livedoc:edition:{}:{}", e.id, info.commit));
        entry.set_updated(when(&info.meta.provenance.cut_at));
        entry.set_summary(Some(Text::plain(summary.clone())));
        let mut content = Content::default();
        content.set_content_type(Some("text".to_string()));
        content.set_value(Some(summary));
        entry.set_content(Some(content));
        let mut link = Link::default();
        link.set_href(href);
        link.set_rel("alternate");
        entry.set_links(vec![link]);
        let mut author = Person::default();
        author.set_name(info.meta.provenance.cut_by.name.clone());
        entry.set_authors(vec![author]);
        entries.push(entry);
    }
    let latest = &data.editions[data.latest()];
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!("Editions of {}", latest.title)));
    feed.set_id(format!("urn:livedoc:editions:{}", data.infos[0].commit));
    feed.set_updated(when(&data.infos[data.latest()].meta.provenance.cut_at));
    let mut link = Link::default();
    link.set_href("index.html");
    feed.set_links(vec![link]);
    feed.set_entries(entries);
    let mut out = feed.to_string();
    out.push('\n');
    out
}
