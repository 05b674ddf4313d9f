//! `diff --format text` and `--stat`: the report for a terminal, grouped by
//! part, year and meeting, new meetings first. Word changes are coloured,
//! or marked `[-old-]{+new+}` when colour is off.

use std::io::{self, Write};

use super::table::{Align, Cell, Columns};
use super::{GREEN, Palette, RED, YELLOW};
use crate::diff::words::{Change, ChangeOp};
use crate::diff::{EditionDiff, ItemDiff, ItemStatus, MeetingDiff, MeetingStatus};
use crate::render::describe::{self, Headline, by_part, long_date, meeting_of_diff, summary_line};
use crate::text::plural;

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

/// Word changes inline, coloured or marked `[-old-]{+new+}`: the whole
/// text, or with `compact` long unchanged runs shortened to their context.
pub fn inline_changes(changes: &[Change], p: Palette, compact: bool) -> String {
    let mut out = String::new();
    for (n, c) in changes.iter().enumerate() {
        let replacing = n > 0 && c.op == ChangeOp::Insert && changes[n - 1].op == ChangeOp::Delete;
        // Without colour, a replacement reads [-old-]{+new+}, as git writes it.
        if n > 0 && (p.enabled || !replacing) {
            out.push(' ');
        }
        let piece = match c.op {
            ChangeOp::Equal if compact => trim_equal(&c.text, n == 0, n + 1 == changes.len()),
            ChangeOp::Equal => c.text.clone(),
            ChangeOp::Delete if p.enabled => p.red(&c.text),
            ChangeOp::Insert if p.enabled => p.green(&c.text),
            ChangeOp::Delete => format!("[-{}-]", c.text),
            ChangeOp::Insert => format!("{{+{}+}}", c.text),
        };
        out.push_str(&piece);
    }
    out
}

fn item_line(
    d: &EditionDiff,
    i: &ItemDiff,
    p: Palette,
    compact: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let (mark, head) = match describe::headline(d, i) {
        Headline::Added { name } => (p.green("+"), format!("{name} added")),
        Headline::Removed { name } => (p.red("-"), format!("{name} removed")),
        Headline::Modified { old, new } if old != new => {
            (p.yellow("~"), format!("{old} → {new} modified"))
        }
        Headline::Modified { new, .. } => (p.yellow("~"), format!("{new} modified")),
        Headline::Renumbered { old, new } => (p.yellow("#"), format!("{old} → {new} renumbered")),
        Headline::Moved {
            old,
            new,
            from: Some(from),
        } => (
            p.yellow(">"),
            format!("{new} moved here from {from}, where it was {old}"),
        ),
        Headline::Moved { old, new, .. } => (p.yellow(">"), format!("{new} moved (was {old})")),
        Headline::Typography { name } => (p.dim("·"), format!("{name} typography only")),
        Headline::Split { name, from } => (
            p.yellow("<"),
            format!("{name} split off {from} (as numbered before)"),
        ),
        Headline::Merged { name, into } => (
            p.yellow(">"),
            format!("{name} merged into {into} (as numbered now)"),
        ),
        Headline::Restored { name, withdrawn_in } => (
            p.green("+"),
            format!(
                "{name} {}",
                Headline::restored_words(withdrawn_in.as_deref())
            ),
        ),
        Headline::Unchanged { name } => (" ".to_string(), format!("{name} unchanged")),
    };
    let why = describe::why(i).map_or_else(String::new, |w| format!(" ({w})"));
    writeln!(out, "      {mark} {head}{}  {}", p.dim(&why), p.dim(&i.id))?;
    let body = match i.status {
        ItemStatus::Added | ItemStatus::Split => i.new_text.clone(),
        ItemStatus::Restored if i.changes().is_empty() => i.new_text.clone(),
        ItemStatus::Removed | ItemStatus::Merged => i.old_text.clone(),
        _ if !i.changes().is_empty() => Some(inline_changes(i.changes(), p, compact)),
        _ => None,
    };
    if let Some(body) = body {
        writeln!(out, "          {body}")?;
    }
    Ok(())
}

fn meeting_line(m: &MeetingDiff, p: Palette) -> String {
    let heading = meeting_of_diff(m);
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
        _ => {
            let why = describe::heading_changes(m);
            if why.is_empty() {
                format!("{} {}", p.yellow("~"), p.bold(&heading))
            } else {
                format!(
                    "{} {} [{}]",
                    p.yellow("~"),
                    p.bold(&heading),
                    why.join("; ")
                )
            }
        }
    }
}

/// The full report; with `compact`, a changed item's unchanged words are
/// folded to a few around each change.
pub fn render(d: &EditionDiff, p: Palette, compact: bool, out: &mut dyn Write) -> io::Result<()> {
    // The first edition is compared with nothing.
    let from = if d.from.edition_id.is_empty() {
        "(no edition before)".to_string()
    } else {
        format!("{} ({})", d.from.name, long_date(&d.from.date))
    };
    writeln!(
        out,
        "{} {from} → {} ({})",
        p.bold("diff"),
        d.to.name,
        long_date(&d.to.date)
    )?;
    writeln!(out, "{}", summary_line(&d.summary))?;
    for group in by_part(d) {
        let part = group.part;
        writeln!(
            out,
            "\n{}",
            p.bold(&format!("{}. {}", part.key, part.title))
        )?;
        let mut year = None;
        for m in group.meetings {
            if year != Some(m.year) {
                writeln!(out, "  {}", p.bold(&m.year.to_string()))?;
                year = Some(m.year);
            }
            writeln!(out, "    {}", meeting_line(m, p))?;
            for i in &m.items {
                item_line(d, i, p, compact, out)?;
            }
            for (to, i) in d.moved_out(&m.key) {
                writeln!(
                    out,
                    "      {} {} moved to {} as {}  {}",
                    p.yellow("<"),
                    describe::old_name(i),
                    meeting_of_diff(to),
                    describe::new_name(i),
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
            match &s.old_title {
                Some(old) => writeln!(out, "    {} renamed (was {old})", s.title)?,
                None => writeln!(out, "    {} {}", s.title, s.status.as_str())?,
            }
            if !s.changes.is_empty() {
                writeln!(out, "          {}", inline_changes(&s.changes, p, compact))?;
            }
        }
    }
    Ok(())
}

/// `--stat`: one line per changed meeting with its counts, the counts in
/// columns of their own after a `|`, as `git diff --stat` writes them.
pub fn stat(d: &EditionDiff, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<[Cell; 9]> = d
        .changed_meetings()
        .map(|m| {
            let count = |s: ItemStatus| m.items.iter().filter(|i| i.status == s).count();
            [
                Cell::plain(m.status.as_str()),
                Cell::plain(format!("{} {}", m.part, m.year)),
                Cell::plain(meeting_of_diff(m)),
                Cell::plain("|"),
                Cell::styled(format!("+{}", count(ItemStatus::Added)), GREEN),
                Cell::styled(format!("-{}", count(ItemStatus::Removed)), RED),
                Cell::styled(format!("~{}", count(ItemStatus::Modified)), YELLOW),
                Cell::plain(format!("#{}", count(ItemStatus::Renumbered))),
                Cell::plain(format!(">{}", count(ItemStatus::Moved))),
            ]
        })
        .collect();
    let columns = Columns::fit(
        rows.iter().map(|r| r.as_slice()),
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
    )
    .with_gap(" ");
    for row in &rows {
        writeln!(out, " {}", columns.line(row, p))?;
    }
    if !rows.is_empty() {
        writeln!(
            out,
            " (per meeting: +added -removed ~modified #renumbered >moved items)"
        )?;
    }
    writeln!(out, " {}", summary_line(&d.summary))
}
