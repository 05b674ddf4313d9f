//! `diff --format markdown`: a "What's new in this edition" document that
//! the secretariat can paste into the compilation's preface, with Added,
//! Changed and Removed per meeting.

use std::io::{self, Write};

use crate::diff::words::{Change, ChangeOp};
use crate::diff::{EditionDiff, ItemDiff, ItemStatus, MeetingDiff, MeetingStatus, SectionStatus};
use crate::model::EditionDate;
use crate::render::describe::{self, Headline, by_part, in_short, meeting_of_diff};

fn long_date(iso: &str) -> String {
    EditionDate::parse(iso).map_or_else(|| iso.to_string(), |d| d.long())
}

/// Word changes as Markdown: deletions struck through, insertions bold.
fn marked(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| match c.op {
            ChangeOp::Equal => c.text.clone(),
            ChangeOp::Delete => format!("~~{}~~", c.text),
            ChangeOp::Insert => format!("**{}**", c.text),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn intro(d: &EditionDiff) -> String {
    in_short(&d.summary)
}

fn changed_line(d: &EditionDiff, i: &ItemDiff) -> String {
    match describe::headline(d, i) {
        Headline::Modified { old, new } if old != new => {
            format!(
                "**{old}** (now **{new}**) was reworded: {}",
                marked(i.changes())
            )
        }
        Headline::Modified { new, .. } => {
            format!("**{new}** was reworded: {}", marked(i.changes()))
        }
        Headline::Renumbered { old, new } => {
            format!("**{old}** is now **{new}** (text unchanged).")
        }
        Headline::Moved {
            old,
            new,
            from: Some(from),
        } if i.changes().is_empty() => {
            format!("**{new}** moved here from {from}, where it was {old}.")
        }
        Headline::Moved {
            old,
            new,
            from: Some(from),
        } => format!(
            "**{new}** moved here from {from}, where it was {old}, and was reworded: {}",
            marked(i.changes())
        ),
        Headline::Moved { old, new, .. } => format!("**{new}** moved (it was {old})."),
        Headline::Typography { name } => format!(
            "**{name}**: typography only (quotes, dashes or ellipsis), no change of wording: {}",
            marked(i.changes())
        ),
        Headline::Split { name, from } => format!(
            "**{name}** was split off **{from}** (as numbered before): {}",
            i.new_text.as_deref().unwrap_or_default()
        ),
        Headline::Merged { name, into } => format!(
            "**{name}** was merged into **{into}** (as numbered now): {}",
            i.old_text.as_deref().unwrap_or_default()
        ),
        Headline::Restored { name, withdrawn_in } if i.changes().is_empty() => format!(
            "**{name}** was {}: {}",
            Headline::restored_words(withdrawn_in.as_deref()),
            i.new_text.as_deref().unwrap_or_default()
        ),
        Headline::Restored { name, withdrawn_in } => format!(
            "**{name}** was {}, reworded: {}",
            Headline::restored_words(withdrawn_in.as_deref()),
            marked(i.changes())
        ),
        Headline::Added { .. } | Headline::Removed { .. } | Headline::Unchanged { .. } => {
            String::new()
        }
    }
}

fn meeting(d: &EditionDiff, m: &MeetingDiff, level: usize, out: &mut dyn Write) -> io::Result<()> {
    let note = match m.status {
        MeetingStatus::Added => " (new)".to_string(),
        MeetingStatus::Removed => " (removed)".to_string(),
        MeetingStatus::SymbolCorrected => format!(
            " (symbol corrected from {})",
            m.old_symbol.as_deref().unwrap_or("none")
        ),
        _ => match describe::heading_changes(m) {
            why if why.is_empty() => String::new(),
            why => format!(" ({})", why.join("; ")),
        },
    };
    writeln!(
        out,
        "{} {}, {}{note}\n",
        "#".repeat(level),
        meeting_of_diff(m),
        m.year
    )?;
    let added: Vec<&ItemDiff> = m
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Added)
        .collect();
    let changed: Vec<&ItemDiff> = m
        .items
        .iter()
        .filter(|i| {
            matches!(
                i.status,
                ItemStatus::Modified
                    | ItemStatus::Renumbered
                    | ItemStatus::Moved
                    | ItemStatus::Typography
                    | ItemStatus::Split
                    | ItemStatus::Merged
            )
        })
        .collect();
    let removed: Vec<&ItemDiff> = m
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Removed)
        .collect();
    let moved_out: Vec<(&MeetingDiff, &ItemDiff)> = d.moved_out(&m.key).collect();
    if !added.is_empty() {
        writeln!(out, "Added:\n")?;
        for i in added {
            writeln!(
                out,
                "- **{}.** {}",
                describe::new_name(i),
                i.new_text.as_deref().unwrap_or_default()
            )?;
        }
        writeln!(out)?;
    }
    if !changed.is_empty() || !moved_out.is_empty() {
        writeln!(out, "Changed:\n")?;
        for i in changed {
            writeln!(out, "- {}", changed_line(d, i))?;
        }
        for (to, i) in moved_out {
            writeln!(
                out,
                "- **{}** moved to {}, where it is {}.",
                describe::old_name(i),
                meeting_of_diff(to),
                describe::new_name(i)
            )?;
        }
        writeln!(out)?;
    }
    if !removed.is_empty() {
        writeln!(out, "Removed:\n")?;
        for i in removed {
            writeln!(
                out,
                "- **{}.** {}",
                describe::old_name(i),
                i.old_text.as_deref().unwrap_or_default()
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Ends a buffer with exactly one newline: every block ends with a blank
/// line, the document with none.
fn finish(mut buf: Vec<u8>, out: &mut dyn Write) -> io::Result<()> {
    while buf.ends_with(b"\n\n") {
        buf.pop();
    }
    out.write_all(&buf)
}

pub fn render(d: &EditionDiff, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    writeln!(buf, "# What's new in this edition\n")?;
    if d.from.edition_id.is_empty() {
        // The first edition, compared with nothing.
        writeln!(
            buf,
            "Everything in edition {} ({}), the first edition. {}\n",
            d.to.edition_id,
            long_date(&d.to.date),
            intro(d)
        )?;
    } else {
        writeln!(
            buf,
            "Changes from edition {} ({}) to edition {} ({}). {}\n",
            d.from.edition_id,
            long_date(&d.from.date),
            d.to.edition_id,
            long_date(&d.to.date),
            intro(d)
        )?;
    }
    body(d, 2, &mut buf)?;
    finish(buf, out)
}

/// The changes by part and meeting, parts at heading `level`.
fn body(d: &EditionDiff, level: usize, out: &mut dyn Write) -> io::Result<()> {
    let h = "#".repeat(level);
    for group in by_part(d) {
        writeln!(out, "{h} {}. {}\n", group.part.key, group.part.title)?;
        for m in group.meetings {
            meeting(d, m, level + 1, out)?;
        }
    }
    if !d.sections.is_empty() {
        writeln!(out, "{h} Front matter\n")?;
        for s in &d.sections {
            match s.status {
                SectionStatus::Modified => {
                    writeln!(out, "- *{}* was revised: {}", s.title, marked(&s.changes))?
                }
                SectionStatus::Renamed => {
                    let old = s.old_title.as_deref().unwrap_or_default();
                    if s.changes.is_empty() {
                        writeln!(out, "- *{old}* was renamed *{}*.", s.title)?
                    } else {
                        writeln!(
                            out,
                            "- *{old}* was renamed *{}* and revised: {}",
                            s.title,
                            marked(&s.changes)
                        )?
                    }
                }
                status => writeln!(out, "- *{}* was {}.", s.title, status.as_str())?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `changelog --format markdown`: the compilation's own history, one
/// section per edition, newest first. `reports` are the diffs of each
/// edition against the one before it, newest first; the first edition's is
/// against nothing.
pub fn changelog(reports: &[EditionDiff], out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    writeln!(buf, "# Changelog of the compilation\n")?;
    writeln!(
        buf,
        "Each edition with what it added, changed and removed, newest first.\n"
    )?;
    for d in reports {
        writeln!(
            buf,
            "## Edition {} ({})\n",
            d.to.edition_id,
            long_date(&d.to.date)
        )?;
        if d.from.edition_id.is_empty() {
            let a = d.added();
            writeln!(buf, "The first edition: {}.\n", a.sentence())?;
            continue;
        }
        writeln!(
            buf,
            "Changes since edition {}. {}\n",
            d.from.edition_id,
            intro(d)
        )?;
        body(d, 3, &mut buf)?;
    }
    finish(buf, out)
}
