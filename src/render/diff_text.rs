//! `diff --format text` and `--stat`: the report for a terminal, grouped by
//! part, year and meeting, new meetings first. Word changes are coloured,
//! or marked `[-old-]{+new+}` when colour is off.

use std::io::{self, Write};

use super::text::Palette;
use crate::diff::words::{Change, ChangeOp};
use crate::diff::{EditionDiff, ItemDiff, ItemStatus, MeetingDiff, MeetingStatus, Summary, plural};
use crate::model::ItemKind;

/// "2 meetings added, 1 changed; 5 items added, 1 modified, 1 removed".
pub fn summary_line(s: &Summary) -> String {
    let mut meetings = Vec::new();
    let push = |v: &mut Vec<String>, n: usize, what: &str| {
        if n > 0 {
            v.push(format!("{n} {what}"));
        }
    };
    push(&mut meetings, s.meetings_added, "added");
    push(&mut meetings, s.meetings_changed, "changed");
    push(&mut meetings, s.meetings_removed, "removed");
    let mut items = Vec::new();
    push(&mut items, s.items_added, "added");
    push(&mut items, s.items_modified, "modified");
    push(&mut items, s.items_renumbered, "renumbered");
    push(&mut items, s.items_moved, "moved");
    push(&mut items, s.items_removed, "removed");
    let mut out = Vec::new();
    if !meetings.is_empty() {
        out.push(format!("meetings: {}", meetings.join(", ")));
    }
    if !items.is_empty() {
        out.push(format!("items: {}", items.join(", ")));
    }
    if s.sections_changed > 0 {
        out.push(plural(
            s.sections_changed,
            "front-matter section changed",
            "front-matter sections changed",
        ));
    }
    if out.is_empty() {
        "no changes".to_string()
    } else {
        out.join("; ")
    }
}

/// The name of an item as a reader knows it: "Recommendation 14",
/// "Observation 3" (by position when unlabelled).
pub fn item_name(kind: ItemKind, label: Option<&str>, position: Option<usize>) -> String {
    let word = match kind {
        ItemKind::Recommendation => "Recommendation",
        ItemKind::Observation => "Observation",
    };
    match (label, position) {
        (Some(l), _) => format!("{word} {l}"),
        (None, Some(p)) => format!("{word} {p}"),
        (None, None) => word.to_string(),
    }
}

/// The heading of a meeting in a report.
pub fn meeting_heading(m: &MeetingDiff) -> String {
    match &m.symbol {
        Some(s) => format!("{} ({s})", m.body),
        None => m.body.clone(),
    }
}

/// Words of unchanged text kept on each side of a change in a terminal.
const CONTEXT: usize = 12;

/// Shortens a long unchanged run to its ends around the changes.
fn trim_equal(text: &str, first: bool, last: bool) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let keep_start = if first { 0 } else { CONTEXT };
    let keep_end = if last { 0 } else { CONTEXT };
    if words.len() <= keep_start + keep_end + 3 {
        return text.to_string();
    }
    let mut out = Vec::new();
    if keep_start > 0 {
        out.push(words[..keep_start].join(" "));
    }
    out.push("…".to_string());
    if keep_end > 0 {
        out.push(words[words.len() - keep_end..].join(" "));
    }
    out.join(" ")
}

/// Word changes inline, coloured or marked `[-old-]{+new+}`, with long
/// unchanged runs shortened to their context.
pub fn inline_changes(changes: &[Change], p: Palette) -> String {
    let mut out = String::new();
    for (n, c) in changes.iter().enumerate() {
        let replacing = n > 0 && c.op == ChangeOp::Insert && changes[n - 1].op == ChangeOp::Delete;
        // Without colour, a replacement reads [-old-]{+new+}, as git writes it.
        if n > 0 && (p.enabled || !replacing) {
            out.push(' ');
        }
        let piece = match c.op {
            ChangeOp::Equal => trim_equal(&c.text, n == 0, n + 1 == changes.len()),
            ChangeOp::Delete if p.enabled => p.red(&c.text),
            ChangeOp::Insert if p.enabled => p.green(&c.text),
            ChangeOp::Delete => format!("[-{}-]", c.text),
            ChangeOp::Insert => format!("{{+{}+}}", c.text),
        };
        out.push_str(&piece);
    }
    out
}

/// "Working Group on Firearms (CTOC/COP/WG.6/2023/5)", or the key when the
/// report does not know the meeting.
pub fn meeting_name(d: &EditionDiff, key: &str) -> String {
    d.meeting(key)
        .map_or_else(|| key.to_string(), meeting_heading)
}

fn item_line(d: &EditionDiff, i: &ItemDiff, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    let old_name = item_name(i.kind, i.old_label.as_deref(), i.old_position);
    let new_name = item_name(i.kind, i.new_label.as_deref(), i.new_position);
    let (mark, head) = match i.status {
        ItemStatus::Added => (p.green("+"), format!("{new_name} added")),
        ItemStatus::Removed => (p.red("-"), format!("{old_name} removed")),
        ItemStatus::Modified if old_name != new_name => {
            (p.yellow("~"), format!("{old_name} → {new_name} modified"))
        }
        ItemStatus::Modified => (p.yellow("~"), format!("{new_name} modified")),
        ItemStatus::Renumbered => (p.yellow("#"), format!("{old_name} → {new_name} renumbered")),
        ItemStatus::Moved => match &i.from_meeting {
            Some(from) => (
                p.yellow(">"),
                format!(
                    "{new_name} moved here from {}, where it was {old_name}",
                    meeting_name(d, from)
                ),
            ),
            None => (p.yellow(">"), format!("{new_name} moved (was {old_name})")),
        },
        ItemStatus::Unchanged => (" ".to_string(), format!("{new_name} unchanged")),
    };
    let why = match (i.status, i.similarity) {
        (ItemStatus::Added | ItemStatus::Removed, _) => String::new(),
        (_, Some(s)) if s < 1.0 => format!(" ({}, similarity {s:.2})", i.reason.describe()),
        _ => format!(" ({})", i.reason.describe()),
    };
    writeln!(out, "      {mark} {head}{}  {}", p.dim(&why), p.dim(&i.id))?;
    let body = match i.status {
        ItemStatus::Added => i.new_text.clone(),
        ItemStatus::Removed => i.old_text.clone(),
        _ if !i.changes.is_empty() => Some(inline_changes(&i.changes, p)),
        _ => None,
    };
    if let Some(body) = body {
        writeln!(out, "          {body}")?;
    }
    Ok(())
}

fn meeting_line(m: &MeetingDiff, p: Palette) -> String {
    let heading = meeting_heading(m);
    match m.status {
        MeetingStatus::Added => format!(
            "{} {} {}",
            p.green("+"),
            p.bold(&heading),
            p.green("[new meeting]")
        ),
        MeetingStatus::Removed => format!(
            "{} {} {}",
            p.red("-"),
            p.bold(&heading),
            p.red("[meeting removed]")
        ),
        MeetingStatus::SymbolCorrected => format!(
            "{} {} [symbol corrected: {} → {}]",
            p.yellow("~"),
            p.bold(&heading),
            m.old_symbol.as_deref().unwrap_or("none"),
            m.symbol.as_deref().unwrap_or("none")
        ),
        _ => format!("{} {}", p.yellow("~"), p.bold(&heading)),
    }
}

/// The full report.
pub fn render(d: &EditionDiff, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({}) → {} ({})",
        p.bold("diff"),
        d.from.name,
        d.from.date,
        d.to.name,
        d.to.date
    )?;
    writeln!(out, "{}", summary_line(&d.summary))?;
    for part in &d.parts {
        let meetings: Vec<&MeetingDiff> = d
            .changed_meetings()
            .filter(|m| m.part == part.key)
            .collect();
        if meetings.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{}",
            p.bold(&format!("{}. {}", part.key, part.title))
        )?;
        let mut year = None;
        for m in meetings {
            if year != Some(m.year) {
                writeln!(out, "  {}", p.bold(&m.year.to_string()))?;
                year = Some(m.year);
            }
            writeln!(out, "    {}", meeting_line(m, p))?;
            for i in &m.items {
                item_line(d, i, p, out)?;
            }
            for (to, i) in d.moved_out(&m.key) {
                let old = item_name(i.kind, i.old_label.as_deref(), i.old_position);
                let new = item_name(i.kind, i.new_label.as_deref(), i.new_position);
                writeln!(
                    out,
                    "      {} {old} moved to {} as {new}  {}",
                    p.yellow("<"),
                    meeting_heading(to),
                    p.dim(&i.id)
                )?;
            }
        }
    }
    if d.summary.items_unchanged > 0 {
        writeln!(
            out,
            "\n{}",
            p.dim(&format!(
                "{} paired unchanged (same label and text, or same text).",
                plural(d.summary.items_unchanged, "item", "items")
            ))
        )?;
    }
    if !d.sections.is_empty() {
        writeln!(out, "\n{}", p.bold("Front matter"))?;
        for s in &d.sections {
            writeln!(out, "    {} {}", s.title, s.status.as_str())?;
            if !s.changes.is_empty() {
                writeln!(out, "          {}", inline_changes(&s.changes, p))?;
            }
        }
    }
    Ok(())
}

/// `--stat`: one line per changed meeting with its counts.
pub fn stat(d: &EditionDiff, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    for m in d.changed_meetings() {
        let count = |s: ItemStatus| m.items.iter().filter(|i| i.status == s).count();
        writeln!(
            out,
            " {:<16} {} {} {}  {} {} {} {} {}",
            m.status.as_str(),
            m.part,
            m.year,
            meeting_heading(m),
            p.green(&format!("+{}", count(ItemStatus::Added))),
            p.red(&format!("-{}", count(ItemStatus::Removed))),
            p.yellow(&format!("~{}", count(ItemStatus::Modified))),
            format_args!("#{}", count(ItemStatus::Renumbered)),
            format_args!(">{}", count(ItemStatus::Moved)),
        )?;
    }
    writeln!(out, " {}", summary_line(&d.summary))
}
