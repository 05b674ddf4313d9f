//! Plain-text output for a terminal, coloured only when asked to.

pub mod audit;
pub mod check;
pub mod diff;
pub mod history;
pub mod table;

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::describe;
use crate::diff::{Added, EditionDiff};
use crate::model::{Edition, ItemKind};
use crate::profile::Profile;
use crate::store::EditionInfo;
use crate::text::plural;
use table::{Cell, Columns};

/// Colours text when enabled; otherwise passes it through unchanged.
///
/// Its styles are the only escape sequences livedoc writes to a terminal:
/// [`Palette::sequences`] lists them, and the terminal filter of the
/// binary lets these through (when colour is on) and escapes every other
/// control character, so a document's own `ESC [ 8 m` (conceal) is shown
/// as text, never obeyed.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub enabled: bool,
}

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const GREEN: Style = AnsiColor::Green.on_default();
pub const RED: Style = AnsiColor::Red.on_default();
pub const YELLOW: Style = AnsiColor::Yellow.on_default();

impl Palette {
    pub fn paint(&self, style: Style, s: &str) -> String {
        if self.enabled {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint(BOLD, s)
    }

    pub fn green(&self, s: &str) -> String {
        self.paint(GREEN, s)
    }

    pub fn red(&self, s: &str) -> String {
        self.paint(RED, s)
    }

    pub fn yellow(&self, s: &str) -> String {
        self.paint(YELLOW, s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.paint(DIM, s)
    }

    /// Every escape sequence the palette writes: each style's and the
    /// reset.
    pub fn sequences() -> Vec<String> {
        let mut all: Vec<String> = [BOLD, DIM, GREEN, RED, YELLOW]
            .iter()
            .flat_map(|s| [s.render().to_string(), s.render_reset().to_string()])
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

fn short(oid: git2::Oid) -> String {
    oid.to_string()[..7].to_string()
}

/// `show --format text`: the edition as an outline.
pub fn show(
    edition: &Edition,
    info: Option<&EditionInfo>,
    p: Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    let place = edition
        .place
        .as_deref()
        .map(|pl| format!(", {pl}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{}{place}",
        p.bold(&format!(
            "Edition {}",
            describe::edition(&edition.id, &edition.date)
        ))
    )?;
    writeln!(out, "{}", edition.title)?;
    writeln!(out, "{}", describe::counts(&edition.counts()))?;
    if let Some(info) = info {
        writeln!(
            out,
            "{}",
            p.dim(&format!(
                "commit {} · cut by {} at {}",
                short(info.commit),
                info.meta.provenance.cut_by,
                info.meta.provenance.cut_at
            ))
        )?;
    }
    if !edition.front_matter.is_empty() {
        writeln!(out, "\n{}", p.bold("Front matter"))?;
        for s in &edition.front_matter {
            writeln!(out, "  {}", s.title)?;
        }
    }
    for part in &edition.parts {
        writeln!(
            out,
            "\n{}",
            p.bold(&format!("{}. {}", part.key, part.title))
        )?;
        let mut year = None;
        for m in &part.meetings {
            if year != Some(m.year) {
                writeln!(out, "  {}", p.bold(&m.year.to_string()))?;
                year = Some(m.year);
            }
            writeln!(out, "    {}", p.bold(&describe::meeting(m)))?;
            // An unlabelled item is named by its place in the meeting, as
            // diff and blame name it.
            for (n, item) in m.items.iter().enumerate() {
                writeln!(
                    out,
                    "      {}  {}",
                    describe::item_name(item.kind, item.label.as_deref(), Some(n + 1)),
                    p.dim(&item.id)
                )?;
                for line in item.text.lines() {
                    writeln!(out, "        {line}")?;
                }
                for s in &item.subitems {
                    let label = if s.label.is_empty() { "-" } else { &s.label };
                    writeln!(out, "          {label} {}", s.text.replace('\n', " "))?;
                }
            }
        }
    }
    Ok(())
}

/// `log --format text`: a header row, then one line per edition, newest
/// first, its columns aligned.
pub fn log(editions: &[EditionInfo], p: Palette, out: &mut dyn Write) -> io::Result<()> {
    // No editions, no table (the command says why on stderr).
    if editions.is_empty() {
        return Ok(());
    }
    let header =
        ["edition", "date", "holds", "changes", "commit", "cut by"].map(|h| Cell::styled(h, BOLD));
    let rows: Vec<[Cell; 6]> = editions
        .iter()
        .rev()
        .map(|e| {
            let r = &e.meta;
            let added = describe::added_and_changed(
                (!r.added.is_empty()).then(|| r.added.sentence()),
                &r.changes,
            );
            [
                Cell::styled(r.id.clone(), BOLD),
                Cell::plain(r.date.long()),
                Cell::plain(describe::counts(&r.counts)),
                Cell::styled(added, GREEN),
                Cell::styled(short(e.commit), YELLOW),
                Cell::plain(person_name(&r.provenance.cut_by)),
            ]
        })
        .collect();
    let columns = Columns::fit(
        std::iter::once(&header).chain(&rows).map(|r| r.as_slice()),
        &[],
    );
    for row in std::iter::once(&header).chain(&rows) {
        writeln!(out, "{}", columns.line(row, p))?;
    }
    Ok(())
}

/// Who cut an edition, by name (the address is in `show` and the JSON).
pub(crate) fn person_name(who: &crate::store::snapshot::Person) -> String {
    if who.name.is_empty() {
        who.email.clone()
    } else {
        who.name.clone()
    }
}

/// What an edition added, meeting by meeting and grouped by part.
pub fn added(edition: &Edition, added: &Added, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    if added.is_empty() {
        return writeln!(out, "It adds no meetings and no items.");
    }
    writeln!(out, "It adds {}:", added.sentence())?;
    let index = edition.meeting_index();
    for part in &edition.parts {
        let in_part: Vec<_> = added
            .by_meeting
            .iter()
            .filter(|m| m.part == part.key)
            .collect();
        if in_part.is_empty() {
            continue;
        }
        let meetings = in_part.iter().filter(|m| m.new_meeting).count();
        let recs: usize = in_part.iter().map(|m| m.recommendations).sum();
        let obs: usize = in_part.iter().map(|m| m.observations).sum();
        let mut counts = Vec::new();
        if meetings > 0 {
            counts.push(plural(meetings, "new meeting", "new meetings"));
        }
        if recs > 0 {
            counts.push(format!("{recs} {}", ItemKind::Recommendation.plural(recs)));
        }
        if obs > 0 {
            counts.push(format!("{obs} {}", ItemKind::Observation.plural(obs)));
        }
        writeln!(
            out,
            "  {}: {}",
            p.bold(&Profile::untoc().part_name(&part.key)),
            counts.join(", ")
        )?;
        for m in in_part {
            let name = index
                .get(&m.key)
                .map_or_else(|| m.body.clone(), describe::meeting);
            let what = match (m.recommendations, m.observations) {
                (r, 0) => format!("{r} {}", ItemKind::Recommendation.plural(r)),
                (0, o) => format!("{o} {}", ItemKind::Observation.plural(o)),
                (r, o) => format!(
                    "{r} {}, {o} {}",
                    ItemKind::Recommendation.plural(r),
                    ItemKind::Observation.plural(o)
                ),
            };
            let labels = if m.items.iter().all(|l| l.starts_with('#')) {
                String::new()
            } else {
                format!(" ({})", m.items.join(", "))
            };
            let new = if m.new_meeting {
                p.green("new ")
            } else {
                String::new()
            };
            writeln!(out, "    {} {new}{name}: {what}{labels}", m.year)?;
        }
    }
    Ok(())
}

/// "It also modifies 1 item, renumbers 2, moves 1 and removes 1." when an
/// edition did more than add.
pub fn other_changes(d: &EditionDiff, out: &mut dyn Write) -> io::Result<()> {
    let s = &d.summary;
    // Meetings whose year, body or source changed (a corrected symbol is
    // told on its own).
    let headings = d
        .meetings
        .iter()
        .filter(|m| !describe::heading_changes(m).is_empty())
        .count();
    let changes = [
        ("modifies", s.items_modified, "item", "items", ""),
        ("renumbers", s.items_renumbered, "item", "items", ""),
        ("moves", s.items_moved, "item", "items", ""),
        ("splits", s.items_split, "item", "items", " off another"),
        (
            "restores",
            s.items_restored,
            "item",
            "items",
            " withdrawn in an earlier edition",
        ),
        (
            "merges",
            s.items_merged,
            "item",
            "items",
            " into a neighbour",
        ),
        (
            "changes only the typography of",
            s.items_typography,
            "item",
            "items",
            "",
        ),
        (
            "corrects the symbol of",
            s.meetings_symbol_corrected,
            "meeting",
            "meetings",
            "",
        ),
        (
            "corrects the heading (year, body or source) of",
            headings,
            "meeting",
            "meetings",
            "",
        ),
        ("removes", s.items_removed, "item", "items", ""),
        ("removes", s.meetings_removed, "meeting", "meetings", ""),
        (
            "changes",
            s.sections_changed,
            "section",
            "sections",
            " of the front matter",
        ),
    ];
    let mut parts: Vec<String> = changes
        .into_iter()
        .filter(|(_, n, ..)| *n > 0)
        .map(|(verb, n, one, many, tail)| format!("{verb} {}{tail}", plural(n, one, many)))
        .collect();
    if parts.is_empty() {
        return Ok(());
    }
    let last = parts.pop().unwrap_or_default();
    let list = if parts.is_empty() {
        last
    } else {
        format!("{} and {last}", parts.join(", "))
    };
    writeln!(out, "It also {list}.")
}
