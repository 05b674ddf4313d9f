//! An edition as Markdown in the compilation's own layout, with a freshly
//! derived table of contents. Importing the output again gives the same
//! model (the round-trip property the tests check). The layout's heading
//! levels and words are the compilation's [`Profile`].

pub mod blame;
pub mod diff;

use std::io::{self, Write};

use crate::model::{Edition, Meeting};
use crate::profile::Profile;
use crate::text::{Escaping, escape_markdown};

/// Backslash-escapes the characters that would turn plain text into
/// Markdown syntax inside a heading or a list entry.
fn escape(s: &str) -> String {
    escape_markdown(s, Escaping::Everything)
}

/// The `#`s of a heading of this level.
fn hashes(level: u8) -> String {
    "#".repeat(usize::from(level))
}

fn meeting_heading(profile: &Profile, m: &Meeting) -> String {
    let mut h = format!("{} **{}**", hashes(profile.levels.meeting), escape(&m.body));
    let linked = |text: &str, link: Option<&str>| match link {
        Some(l) => format!(" ([{}]({}))", escape(text), l),
        None => format!(" ({})", escape(text)),
    };
    match (&m.symbol, &m.source) {
        (Some(sym), Some(src)) => {
            h.push_str(&linked(sym, m.link.as_deref()));
            h.push_str(&linked(src, None));
        }
        (Some(sym), None) => h.push_str(&linked(sym, m.link.as_deref())),
        (None, Some(src)) => h.push_str(&linked(src, m.link.as_deref())),
        (None, None) => {}
    }
    h
}

/// Indents continuation lines so a multi-line text stays in its list entry.
fn indent_continuation(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_string()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn render(edition: &Edition, out: &mut dyn Write) -> io::Result<()> {
    let profile = Profile::untoc();
    let levels = profile.levels;
    for line in &edition.masthead {
        writeln!(out, "{line}\n")?;
    }
    if !edition.title.is_empty() {
        writeln!(out, "{} {}\n", hashes(levels.title), escape(&edition.title))?;
    }
    match &edition.place {
        Some(place) => writeln!(out, "{place}, {}\n", edition.date.long())?,
        None => writeln!(out, "{}\n", edition.date.long())?,
    }
    writeln!(out, "---\n")?;
    writeln!(
        out,
        "{} {}\n",
        hashes(levels.section),
        profile.contents_heading
    )?;
    for entry in edition.toc() {
        writeln!(out, "- {}", escape(&profile.contents_entry(&entry)))?;
    }
    writeln!(out)?;
    for section in &edition.front_matter {
        writeln!(
            out,
            "{} {}\n",
            hashes(levels.section),
            escape(&section.title)
        )?;
        if !section.body.is_empty() {
            writeln!(out, "{}\n", section.body)?;
        }
    }
    for part in &edition.parts {
        let heading = profile.part_heading(&part.key, &escape(&part.title));
        writeln!(out, "{} {heading}\n", hashes(levels.part))?;
        let mut year = None;
        for m in &part.meetings {
            if year != Some(m.year) {
                writeln!(out, "{} {}\n", hashes(levels.year), m.year)?;
                year = Some(m.year);
            }
            writeln!(out, "{}\n", meeting_heading(profile, m))?;
            for (item, entry) in m.items.iter().zip(super::as_list_entries(&m.items)) {
                if entry {
                    writeln!(out, "- {}\n", indent_continuation(&item.text))?;
                    continue;
                }
                if let Some(label) = &item.label {
                    let name = super::describe::item_name(item.kind, Some(label), None);
                    writeln!(out, "{} *{name}*\n", hashes(levels.label))?;
                }
                writeln!(out, "{}\n", item.text)?;
                for sub in &item.subitems {
                    let text = indent_continuation(&sub.text);
                    if sub.label.is_empty() {
                        writeln!(out, "- {text}")?;
                    } else {
                        writeln!(out, "- {} {text}", sub.label)?;
                    }
                }
                if !item.subitems.is_empty() {
                    writeln!(out)?;
                }
            }
        }
    }
    if let Some(contact) = &edition.contact {
        writeln!(out, "---\n")?;
        writeln!(out, "{contact}")?;
    }
    Ok(())
}
