//! Text and Markdown for `trace`, `blame`, `verify` and `check`.

use std::io::{self, Write};

use super::describe::{self, item_name};
use super::diff_text::inline_changes;
use super::text::Palette;
use crate::diagnostic::Severity;
use crate::diff::ItemStatus;
use crate::history::blame::Blame;
use crate::history::trace::Trace;
use crate::parse::check::CheckReport;
use crate::store::audit::{Report, Violation};
use crate::text::plural;

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
    let mut meeting = None;
    for l in &b.lines {
        if meeting.as_deref() != Some(l.meeting.as_str()) {
            let heading = b
                .edition
                .meeting(&l.meeting)
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

/// `blame --format markdown`: one table per meeting.
pub fn blame_markdown(b: &Blame, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# Blame of edition {} ({})\n",
        b.info.id(),
        b.info.meta.date.long()
    )?;
    let mut meeting = None;
    for l in &b.lines {
        if meeting.as_deref() != Some(l.meeting.as_str()) {
            let heading = b
                .edition
                .meeting(&l.meeting)
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

/// `verify --format text`.
pub fn verify(r: &Report, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    let what = format!(
        "{}, {}{}",
        plural(r.editions, "edition", "editions"),
        plural(r.objects_checked, "object", "objects"),
        if r.signatures_checked > 0 {
            format!(
                ", {}",
                plural(r.signatures_checked, "signature", "signatures")
            )
        } else {
            String::new()
        }
    );
    if r.ok() && r.editions == 0 {
        return writeln!(
            out,
            "verify: the store holds no editions yet; there is nothing to verify"
        );
    }
    if r.ok() {
        writeln!(
            out,
            "verify: {what} checked: {}",
            p.green("everything holds")
        )?;
        if let Some(a) = &r.anchor {
            writeln!(
                out,
                "anchor: {a} (keep it: verify --anchor {a} proves later that no edition up to here was removed)"
            )?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "verify: {what} checked: {}",
        p.red(&violation_count(&r.violations))
    )?;
    violations(&r.violations, p, out)
}

/// "1 violation", "3 violations".
fn violation_count(list: &[Violation]) -> String {
    plural(list.len(), "violation", "violations")
}

/// One line per violation: its kind, then what it is.
fn violations(list: &[Violation], p: Palette, out: &mut dyn Write) -> io::Result<()> {
    for v in list {
        writeln!(out, "  {} {}", p.red(v.kind.as_str()), v.message)?;
    }
    Ok(())
}

/// `check --format text`: one finding per line, `file:line: message`, with
/// its hint.
pub fn check(r: &CheckReport, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    for d in &r.findings {
        let painted = match d.severity {
            Severity::Error => p.red("error:"),
            Severity::Warning => p.yellow("warning:"),
        };
        writeln!(out, "{painted} {} [{}]", d.located(&r.file), d.code)?;
        if let Some(h) = &d.hint {
            writeln!(out, "  {} {h}", p.dim("hint:"))?;
        }
    }
    let summary = format!(
        "{}: {} error{}, {} warning{}",
        r.file,
        r.errors(),
        if r.errors() == 1 { "" } else { "s" },
        r.warnings(),
        if r.warnings() == 1 { "" } else { "s" }
    );
    if r.errors() > 0 {
        writeln!(out, "{}", p.red(&summary))
    } else {
        writeln!(out, "{}", p.bold(&summary))
    }
}

/// What `doctor` did and what is still wrong.
pub fn doctor(
    r: &crate::store::repair::DoctorReport,
    p: Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    if r.repairs.is_empty() {
        writeln!(out, "doctor: nothing to repair")?;
    }
    for rep in &r.repairs {
        writeln!(
            out,
            "repaired: {} {}",
            p.green(rep.kind.as_str()),
            rep.message
        )?;
    }
    for a in &r.advice {
        writeln!(out, "advice: {a}")?;
    }
    if r.ok() {
        return writeln!(out, "doctor: the store {}", p.green("is whole"));
    }
    writeln!(
        out,
        "doctor: {} left as found (not an interrupted import; see livedoc verify):",
        p.red(&violation_count(&r.remaining))
    )?;
    violations(&r.remaining, p, out)
}
