//! `trace` and `blame` as text.

use std::io::{self, Write};

use super::diff::inline_changes;
use super::table::{Cell, Columns};
use super::{BOLD, DIM, GREEN, Palette, RED, YELLOW, person_name};
use crate::diff::ItemStatus;
use crate::history::blame::Blame;
use crate::history::trace::{Trace, TraceEntry, home_meeting};
use crate::model::ItemKind;
use crate::render::describe::{self, item_name};

fn short(s: &str) -> &str {
    &s[..s.len().min(7)]
}

/// Where an entry's edition came from, short: "commit 58ea926, tag
/// 792b399, cut by Ana Ruiz on 2026-12-07" (the full ids, the address
/// and the time are in `--format json`).
fn provenance(e: &TraceEntry) -> String {
    let tag = e
        .tag
        .map(|t| format!(", tag {}", short(&t.to_string())))
        .unwrap_or_default();
    format!(
        "commit {}{tag}, cut by {} on {}",
        short(&e.commit.to_string()),
        person_name(&e.cut_by),
        e.cut_at.at().format("%Y-%m-%d")
    )
}

/// `trace --format text`: a line per edition (edition, date, status,
/// name, and the meeting where it is not the one the id names), then,
/// indented and dimmed, where the edition came from, then the text or
/// its changes.
pub fn trace(t: &Trace, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    let Some(first) = t.entries.first() else {
        return Ok(());
    };
    let kind = t.kind.map_or("item", |k| k.as_str());
    writeln!(
        out,
        "{} {kind}, first published in edition {}",
        p.bold(&t.item),
        describe::edition(&first.edition, &first.date)
    )?;
    let mut meeting = home_meeting(&t.item);
    let rows: Vec<Vec<Cell>> = t
        .entries
        .iter()
        .map(|e| {
            let style = match e.status {
                ItemStatus::Added => GREEN,
                ItemStatus::Removed => RED,
                ItemStatus::Unchanged => DIM,
                _ => YELLOW,
            };
            let name = item_name(
                t.kind.unwrap_or(ItemKind::Recommendation),
                e.label.as_deref(),
                e.position,
            );
            let mut row = vec![
                Cell::styled(e.edition.clone(), BOLD),
                Cell::plain(e.date.long()),
                Cell::styled(e.status.as_str(), style),
                Cell::plain(name),
            ];
            // The id names the meeting the item was minted in; another is
            // said where the item is first seen in it.
            if e.meeting != meeting {
                row.push(Cell::plain(format!("in {}", e.meeting)));
                meeting = &e.meeting;
            }
            row
        })
        .collect();
    let columns = Columns::fit(rows.iter().map(Vec::as_slice), &[]);
    let indent = " ".repeat(
        rows.iter()
            .filter_map(|r| r.first())
            .map(|c| super::table::width(c.text()))
            .max()
            .unwrap_or_default()
            + 2,
    );
    for (e, row) in t.entries.iter().zip(&rows) {
        writeln!(out, "{}", columns.line(row, p))?;
        writeln!(out, "{indent}{}", p.dim(&provenance(e)))?;
        let body = match e.status {
            ItemStatus::Added | ItemStatus::Split => Some(e.text.clone()),
            ItemStatus::Restored if e.changes.is_empty() => Some(e.text.clone()),
            _ if !e.changes.is_empty() => Some(inline_changes(&e.changes, p, false)),
            _ => None,
        };
        if let Some(body) = body {
            writeln!(out, "{indent}{body}")?;
        }
        for note in fragment_notes(e) {
            writeln!(out, "{indent}{}", p.dim(&note))?;
        }
    }
    Ok(())
}

/// What a trace entry says about splits and merges, in words.
fn fragment_notes(e: &TraceEntry) -> Vec<String> {
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

/// `blame --format text`: a header row, then the items meeting by
/// meeting, their columns aligned across the whole edition.
pub fn blame(b: &Blame, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {}: for each item, the edition that introduced it and the one that last changed it",
        p.bold("blame of edition"),
        describe::edition(b.info.id(), &b.info.meta.date)
    )?;
    let header: Vec<Cell> = ["introduced", "last changed", "item", "id"]
        .into_iter()
        .map(|h| Cell::styled(h, BOLD))
        .collect();
    let rows: Vec<Vec<Cell>> = b
        .lines
        .iter()
        .map(|l| {
            // Blank where it has not changed since it was introduced.
            let changed = if l.last_changed == l.introduced && l.last_change == ItemStatus::Added {
                String::new()
            } else if l.split_from.is_some() {
                format!("{} (split off)", l.last_changed)
            } else {
                format!("{} ({})", l.last_changed, l.last_change.as_str())
            };
            let mut row = vec![
                Cell::plain(l.introduced.clone()),
                Cell::plain(changed),
                Cell::plain(item_name(l.kind, l.label.as_deref(), Some(l.position))),
                Cell::styled(l.id.clone(), DIM),
            ];
            if let Some(o) = &l.split_from {
                row.push(Cell::plain(format!("from {o}")));
            }
            row
        })
        .collect();
    let columns = Columns::fit(
        std::iter::once(header.as_slice()).chain(rows.iter().map(Vec::as_slice)),
        &[],
    );
    writeln!(out, "\n  {}", columns.line(&header, p))?;
    let meetings = b.edition.meeting_index();
    let mut meeting = None;
    for (l, row) in b.lines.iter().zip(&rows) {
        if meeting.as_deref() != Some(l.meeting.as_str()) {
            let heading = meetings
                .get(&l.meeting)
                .map_or(l.meeting.clone(), describe::meeting);
            writeln!(out, "\n{} {}", l.year, p.bold(&heading))?;
            meeting = Some(l.meeting.clone());
        }
        writeln!(out, "  {}", columns.line(row, p))?;
    }
    Ok(())
}
