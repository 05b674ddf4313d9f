//! `check` as text.

use std::io::{self, Write};

use super::Palette;
use crate::diagnostic::Severity;
use crate::parse::check::CheckReport;

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
    let mut summary = format!(
        "{}: {} error{}, {} warning{}",
        r.file,
        r.errors(),
        if r.errors() == 1 { "" } else { "s" },
        r.warnings(),
        if r.warnings() == 1 { "" } else { "s" }
    );
    if let Some(file) = &r.accepted_file {
        summary.push_str(&format!(
            ", {} accepted as published ({file})",
            r.accepted.len()
        ));
    }
    if r.errors() > 0 {
        writeln!(out, "{}", p.red(&summary))
    } else {
        writeln!(out, "{}", p.bold(&summary))
    }
}
