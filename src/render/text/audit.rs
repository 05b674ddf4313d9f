//! `verify` and `doctor` as text.

use std::io::{self, Write};

use super::Palette;
use crate::store::audit::{Report, Violation};
use crate::text::plural;

/// `verify --format text`.
pub fn verify(r: &Report, p: Palette, out: &mut dyn Write) -> io::Result<()> {
    let what = format!(
        "{}, {}{}",
        plural(r.editions, "edition", "editions"),
        plural(r.objects_checked, "object", "objects"),
        if r.signatures_checked > 0 {
            // The tags whose signatures were looked for: a count of
            // checks, not of good signatures (an unsigned tag is checked
            // and found wanting).
            format!(
                ", the {} of {}",
                if r.signatures_checked == 1 {
                    "signature"
                } else {
                    "signatures"
                },
                plural(r.signatures_checked, "tag", "tags")
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
    for n in &r.notices {
        writeln!(out, "note: {} {}", p.yellow(n.kind.as_str()), n.message)?;
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
