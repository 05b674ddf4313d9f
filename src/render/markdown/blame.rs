//! `blame` as Markdown.

use std::io::{self, Write};

use crate::history::blame::Blame;
use crate::render::describe::{self, item_name};

/// `blame --format markdown`: one table per meeting.
pub fn blame(b: &Blame, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# Blame of edition {} ({})\n",
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
            writeln!(out, "\n## {heading}, {}\n", l.year)?;
            writeln!(
                out,
                "| Item | Introduced in | Last changed in | Permanent id |"
            )?;
            writeln!(out, "|---|---|---|---|")?;
            meeting = Some(l.meeting.clone());
        }
        writeln!(
            out,
            "| {} | {} | {} ({}) | `{}` |",
            item_name(l.kind, l.label.as_deref(), Some(l.position)),
            l.introduced,
            l.last_changed,
            l.last_change.as_str(),
            l.id
        )?;
    }
    Ok(())
}
