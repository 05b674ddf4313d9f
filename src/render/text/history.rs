//! `trace` and `blame` as text.

use std::io::{self, Write};

use super::Palette;
use super::diff::inline_changes;
use crate::diff::ItemStatus;
use crate::history::blame::Blame;
use crate::history::trace::Trace;
use crate::render::describe::{self, item_name};

fn short(s: &str) -> &str {
    &s[..s.len().min(7)]
}

/// `trace --format text`.
pub fn trace(t: &Trace, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    let first = &t.entries[0];
    let kind = t.kind.map_or("item", |k| k.as_str());
    writeln!(
        out,
        "{} {kind}, first published in edition {} ({})",
        p.bold(&t.item),
        first.edition,
        first.date.long()
    )?;
    for e in &t.entries {
        let status = match e.status {
            ItemStatus::Added => p.green("added"),
            ItemStatus::Removed => p.red("removed"),
            ItemStatus::Unchanged => p.dim("unchanged"),
            s => p.yellow(s.as_str()),
        };
        let name = item_name(
            t.kind.unwrap_or(crate::model::ItemKind::Recommendation),
            e.label.as_deref(),
            None,
        );
        let tag = e
            .tag
            .map(|t| format!(" tag {}", short(&t.to_string())))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<10} {:<16} {:<20} {}  in {}  {}",
            p.bold(&e.edition),
            e.date.long(),
            status,
            name,
            e.meeting,
            p.dim(&format!(
                "commit {}{tag}, cut by {} at {}",
                short(&e.commit.to_string()),
                e.cut_by,
                e.cut_at
            ))
        )?;
        let body = match e.status {
            ItemStatus::Added | ItemStatus::Split => Some(e.text.clone()),
            ItemStatus::Restored if e.changes.is_empty() => Some(e.text.clone()),
            _ if !e.changes.is_empty() => Some(inline_changes(&e.changes, p, false)),
            _ => None,
        };
        if let Some(body) = body {
            writeln!(out, "           {body}")?;
        }
        for note in fragment_notes(e) {
            writeln!(out, "           {}", p.dim(&note))?;
        }
    }
    Ok(())
}

/// What a trace entry says about splits and merges, in words.
fn fragment_notes(e: &crate::history::trace::TraceEntry) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(o) = &e.split_from {
        out.push(format!(
            "split off {o}, whose earlier history `livedoc trace {o}` shows"
        ));
    }
    for o in &e.split_off {
        out.push(format!("part of its text now stands as {o}"));
    }
    if let Some(o) = &e.merged_into {
        out.push(format!("merged into {o}, which now holds its text"));
    }
    for o in &e.merged_from {
        out.push(format!("{o} was merged into it"));
    }
    out
}

/// `blame --format text`.
pub fn blame(b: &Blame, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({}): for each item, the edition that introduced it and the one that last changed it",
        p.bold("blame of edition"),
        b.info.id(),
        b.info.meta.date.long()
    )?;
    let meetings = b.edition.meeting_index();
    let mut meeting = None;
    for l in &b.lines {
        if meeting.as_deref() != Some(l.meeting.as_str()) {
            let heading = meetings
                .get(&l.meeting)
                .map_or(l.meeting.clone(), describe::meeting);
            writeln!(out, "\n{} {}", l.year, p.bold(&heading))?;
            meeting = Some(l.meeting.clone());
        }
        let name = item_name(l.kind, l.label.as_deref(), Some(l.position));
        let changed = if l.last_changed == l.introduced && l.last_change == ItemStatus::Added {
            String::new()
        } else if let Some(o) = &l.split_from {
            format!("{} (split off {o})", l.last_changed)
        } else {
            format!("{} ({})", l.last_changed, l.last_change.as_str())
        };
        writeln!(
            out,
            "  {:<12} {:<24} {:<20} {}",
            l.introduced,
            changed,
            name,
            p.dim(&l.id)
        )?;
    }
    Ok(())
}
