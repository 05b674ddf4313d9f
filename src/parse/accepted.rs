//! Accepted findings: warnings about a published text that are kept as
//! published, listed in a small TOML file beside the document so that
//! `check --strict` can guard a CI while the text stays as it was issued.
//!
//! ```toml
//! # editions/2024-04.accepted.toml
//! [[accepted]]
//! code = "page-artefact"
//! item = "B/2023/constructive-dialogue-on-trafficking-in-persons#o1"
//! reason = "The published PDF prints the page number 7/7 inside the observation."
//! ```
//!
//! An entry names the finding's `code` and where it is: the `item` it
//! concerns (named as `check --format json` names it, which survives lines
//! moving), or its `line`; both, to be exact. A `reason` is required: an
//! auditor reads why. Only warnings can be accepted: an error stops an
//! import whatever a file says. An entry that matches nothing is itself
//! reported (`accepted-unused`), so the list cannot silently outlive the
//! text it excuses.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::parse::check::CheckReport;

/// The accepted-findings file of a document: `DRAFT.accepted.toml` beside
/// `DRAFT.md` or `DRAFT.docx`.
pub fn beside(draft: &Path) -> PathBuf {
    draft.with_extension("accepted.toml")
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub code: Code,
    pub item: Option<String>,
    pub line: Option<usize>,
    pub reason: String,
    /// Its line in the accepted-findings file.
    pub at: usize,
}

impl Acceptance {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.severity == Severity::Warning
            && d.code == self.code
            && self
                .item
                .as_deref()
                .is_none_or(|i| d.item.as_deref() == Some(i))
            && self.line.is_none_or(|l| d.line == Some(l))
    }
}

/// A document's accepted findings, read from `file`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Accepted {
    pub file: String,
    pub entries: Vec<Acceptance>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    #[serde(default)]
    accepted: Vec<EntryForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryForm {
    code: Spanned<String>,
    item: Option<String>,
    line: Option<usize>,
    reason: Option<String>,
}

/// Reads an accepted-findings file (`file` is its name, for findings);
/// each error names its line.
pub fn parse(text: &str, file: &str) -> Result<Accepted, Diagnostic> {
    let lines = crate::text::Lines::new(text);
    let line_of = |offset: usize| lines.of(offset);
    let bad = |line: Option<usize>, message: String| {
        Diagnostic::error(Code::AcceptedSyntax, line, message).with_hint(
            "each entry is [[accepted]] with code = \"…\", item = \"…\" (or line = N) and reason = \"…\"; docs/reference/findings.md shows one",
        )
    };
    let form: FileForm = toml::from_str(text).map_err(|e| {
        bad(
            e.span().map(|s| line_of(s.start)),
            format!("the accepted findings do not parse: {}", e.message()),
        )
    })?;
    let mut entries = Vec::new();
    for e in form.accepted {
        let at = line_of(e.code.span().start);
        let name = e.code.into_inner();
        let Some(code) = Code::ALL.iter().copied().find(|c| c.as_str() == name) else {
            return Err(bad(
                Some(at),
                format!("{name:?} is not a finding's code (docs/reference/findings.md lists them)"),
            ));
        };
        if e.item.is_none() && e.line.is_none() {
            return Err(bad(
                Some(at),
                format!(
                    "the accepted {name} names neither an item nor a line: it would accept every {name} finding"
                ),
            ));
        }
        let Some(reason) = e.reason.filter(|r| !r.trim().is_empty()) else {
            return Err(bad(
                Some(at),
                format!("the accepted {name} gives no reason: say why the published text keeps it"),
            ));
        };
        entries.push(Acceptance {
            code,
            item: e.item,
            line: e.line,
            reason,
            at,
        });
    }
    Ok(Accepted {
        file: file.to_string(),
        entries,
    })
}

/// Moves the findings `accepted` names out of `report.findings` into
/// `report.accepted` (with their reasons), and reports each entry that
/// matched nothing as an `accepted-unused` warning of the file.
pub fn apply(report: &mut CheckReport, accepted: &Accepted) {
    if accepted.entries.is_empty() {
        return;
    }
    let mut used = vec![false; accepted.entries.len()];
    let mut kept = Vec::new();
    for d in std::mem::take(&mut report.findings) {
        match accepted.entries.iter().position(|a| a.matches(&d)) {
            Some(i) => {
                used[i] = true;
                report
                    .accepted
                    .push((d, accepted.entries[i].reason.clone()));
            }
            None => kept.push(d),
        }
    }
    report.findings = kept;
    report.accepted_file = Some(accepted.file.clone());
    // A document with errors is not read to its end (nor are its items
    // named): what it lacks says nothing about an entry.
    if report.errors() > 0 {
        return;
    }
    for (a, _) in accepted.entries.iter().zip(&used).filter(|(_, u)| !**u) {
        let place = match (&a.item, a.line) {
            (Some(i), Some(l)) => format!("{i} at line {l}"),
            (Some(i), None) => i.clone(),
            (None, Some(l)) => format!("line {l}"),
            (None, None) => String::new(),
        };
        report.findings.push(
            Diagnostic::warning(
                Code::AcceptedUnused,
                None,
                format!(
                    "the accepted {} finding of {place} ({}:{}) no longer occurs",
                    a.code, accepted.file, a.at
                ),
            )
            .with_hint(
                "remove the entry from the accepted findings (the text it excused has changed)",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[accepted]]
code = "page-artefact"
item = "B/x#o1"
reason = "As published."

[[accepted]]
code = "split-list"
line = 12
reason = "As published."
"#;

    fn report(findings: Vec<Diagnostic>) -> CheckReport {
        CheckReport {
            file: "d.md".into(),
            findings,
            readable: true,
            accepted: Vec::new(),
            accepted_file: None,
        }
    }

    fn warning(code: Code, line: usize, item: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::warning(code, Some(line), "w");
        d.item = item.map(Into::into);
        d
    }

    #[test]
    fn accepts_by_item_or_line_and_reports_unused_entries() {
        let a = parse(FILE, "d.accepted.toml").expect("parses");
        assert_eq!(a.entries.len(), 2);
        assert_eq!(a.entries[0].at, 3);
        let mut r = report(vec![
            warning(Code::PageArtefact, 40, Some("B/x#o1")),
            warning(Code::PageArtefact, 50, Some("B/x#o2")),
            warning(Code::NoFinalPunctuation, 12, Some("B/x#o1")),
        ]);
        apply(&mut r, &a);
        assert_eq!(r.accepted.len(), 1);
        assert_eq!(r.accepted[0].0.line, Some(40));
        let codes: Vec<Code> = r.findings.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::PageArtefact,
                Code::NoFinalPunctuation,
                Code::AcceptedUnused
            ]
        );
        assert!(
            r.findings[2].message.contains("(d.accepted.toml:8)"),
            "{:?}",
            r.findings[2]
        );
    }

    #[test]
    fn errors_are_never_accepted() {
        let a = parse(
            "[[accepted]]\ncode = \"symbol-missing\"\nline = 3\nreason = \"r\"\n",
            "f",
        )
        .expect("parses");
        let mut r = report(vec![Diagnostic::error(Code::SymbolMissing, Some(3), "e")]);
        apply(&mut r, &a);
        assert!(r.accepted.is_empty());
        assert_eq!(r.errors(), 1);
    }

    #[test]
    fn bad_files_name_their_line() {
        for (text, says) in [
            (
                "[[accepted]]\ncode = \"nope\"\nline = 1\nreason = \"r\"\n",
                "not a finding's code",
            ),
            (
                "[[accepted]]\ncode = \"split-list\"\nreason = \"r\"\n",
                "neither an item nor a line",
            ),
            (
                "[[accepted]]\ncode = \"split-list\"\nline = 1\n",
                "gives no reason",
            ),
            (
                "[[accepted]]\ncode = \"split-list\"\nline = 1\nreason = \"r\"\ncolour = 1\n",
                "do not parse",
            ),
            ("[[accepted]\n", "do not parse"),
        ] {
            let e = parse(text, "f").expect_err(text);
            assert_eq!(e.code, Code::AcceptedSyntax);
            assert!(e.message.contains(says), "{text}: {}", e.message);
            assert!(e.line.is_some(), "{text}");
        }
    }
}
