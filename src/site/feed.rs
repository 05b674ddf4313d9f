//! The Atom feed of editions (`feed.xml`), built with atom_syndication.

use super::{SiteData, pages};
use atom_syndication::{Content, Entry, Feed, Link, Person, Text};

/// A site path as the feed links it: absolute under `--base-url`.
fn absolute(data: &SiteData, path: &str) -> String {
    match &data.options.base_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

/// " (in Working Group on Firearms, Constructive Dialogue on Firearms)":
/// the meetings an edition added to.
fn meetings_named(added: &crate::diff::Added) -> String {
    if added.by_meeting.is_empty() {
        return String::new();
    }
    let names: Vec<String> = added
        .by_meeting
        .iter()
        .map(|m| format!("{} {}", m.body, m.year))
        .collect();
    format!(" (in {})", names.join(", "))
}

/// One entry per edition, newest first, summarising what it added; each
/// updated when the edition was cut.
pub fn atom(data: &SiteData) -> String {
    let mut entries = Vec::new();
    for k in (0..data.editions.len()).rev() {
        let e = &data.editions[k];
        let info = &data.infos[k];
        let (summary, href) = match k {
            0 => {
                let added = super::first_added(data);
                (
                    format!(
                        "The first edition: {}{}.",
                        added.sentence(),
                        meetings_named(&added)
                    ),
                    pages::edition_path(&e.id),
                )
            }
            _ => {
                let d = &data.diffs[&(k - 1, k)];
                let added = d.added();
                // What it added, meeting by meeting, then only the kinds
                // of change it made (no "0 item(s) modified").
                let sentence = if added.is_empty() {
                    None
                } else {
                    Some(added.sentence())
                };
                let mut text = crate::render::describe::added_and_changed(sentence, &d.summary);
                text.push_str(&meetings_named(&added));
                if let Some(first) = text.get(..1) {
                    text = format!("{}{}", first.to_uppercase(), &text[1..]);
                }
                (
                    format!("{text}."),
                    pages::diff_path(&data.editions[k - 1].id, &e.id),
                )
            }
        };
        let href = absolute(data, &href);
        let mut entry = Entry::default();
        entry.set_title(Text::plain(format!("Edition {} ({})", e.id, e.date.long())));
        entry.set_id(format!("urn:livedoc:edition:{}:{}", e.id, info.commit));
        entry.set_updated(info.meta.provenance.cut_at.at());
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
    feed.set_updated(data.infos[data.latest()].meta.provenance.cut_at.at());
    let mut home = Link::default();
    home.set_href(absolute(data, "index.html"));
    home.set_rel("alternate");
    let mut this = Link::default();
    this.set_href(absolute(data, "feed.xml"));
    this.set_rel("self");
    feed.set_links(vec![home, this]);
    feed.set_entries(entries);
    let mut out = feed.to_string();
    out.push('\n');
    out
}
