//! Properties: what `parse`, `check`, the renderers and `diff` must do
//! for every input, and the counters of the known bugs the campaign meets.

use std::collections::BTreeSet;

use livedoc::diagnostic::{Diagnostic, Severity};
use livedoc::diff::{self, EditionDiff, MeetingStatus, Pairing, Sides};
use livedoc::model::Edition;
use livedoc::parse::check;
use livedoc::parse::{self, Parsed};
use livedoc::render;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::opts;

/// The last line a finding may name: the number of lines, where `\n`,
/// `\r\n` and a lone `\r` each end a line (as in CommonMark) and a last
/// line needs no end (at least 1).
pub(crate) fn last_line(bytes: &[u8]) -> usize {
    let mut ends = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => ends += 1,
            b'\r' => {
                ends += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let unterminated = bytes.last().is_some_and(|&b| b != b'\n' && b != b'\r');
    (ends + usize::from(unterminated)).max(1)
}

thread_local! {
    /// The first error of each refused document of this thread's campaign,
    /// by code.
    pub(crate) static REFUSALS: std::cell::RefCell<std::collections::BTreeMap<&'static str, usize>> =
        std::cell::RefCell::default();
}

fn check_diagnostic(d: &Diagnostic, last: usize, what: &str) -> Result<(), TestCaseError> {
    if let Some(line) = d.line {
        prop_assert!(
            (1..=last).contains(&line),
            "{what} {} at line {line}, outside 1..={last}: {}",
            d.code,
            d.message
        );
    }
    prop_assert!(
        !d.message.trim().is_empty(),
        "{what} {} has no message",
        d.code
    );
    Ok(())
}

/// Every item id, and every meeting key, of an edition is unique.
fn check_ids(e: &Edition, what: &str) -> Result<(), TestCaseError> {
    let mut keys = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for m in e.meetings() {
        prop_assert!(keys.insert(&m.key), "{what}: meeting key {} repeats", m.key);
        for it in &m.items {
            prop_assert!(ids.insert(&it.id), "{what}: item id {} repeats", it.id);
        }
    }
    Ok(())
}

pub(crate) fn items(e: &Edition) -> usize {
    e.meetings().map(|m| m.items.len()).sum()
}

/// Every renderer of an edition runs to the end.
fn render_edition(e: &Edition) -> Result<(), TestCaseError> {
    let mut out = Vec::new();
    render::markdown::render(e, &mut out).map_err(|x| TestCaseError::fail(x.to_string()))?;
    prop_assert!(!out.is_empty());
    out.clear();
    render::text::show(e, None, render::text::Palette { enabled: true }, &mut out)
        .map_err(|x| TestCaseError::fail(x.to_string()))?;
    out.clear();
    render::json::write(&render::json::show_view(e, None), &mut out)
        .map_err(|x| TestCaseError::fail(x.to_string()))?;
    serde_json::from_slice::<serde_json::Value>(&out)
        .map_err(|x| TestCaseError::fail(format!("show JSON does not parse: {x}")))?;
    Ok(())
}

/// Parses, checks and renders a document; returns the edition when it
/// parsed.
pub(crate) fn check_parse(bytes: &[u8], id: &str) -> Result<Option<Parsed>, TestCaseError> {
    let last = last_line(bytes);
    let parsed = match parse::parse(bytes, "fuzz.md", &opts(id)) {
        Ok(p) => {
            for w in &p.warnings {
                prop_assert_eq!(w.severity, Severity::Warning);
                check_diagnostic(w, last, "warning")?;
            }
            for (what, &line) in &p.lines {
                prop_assert!(
                    (1..=last).contains(&line),
                    "{what} at line {line}, outside 1..={last}"
                );
            }
            for (what, span) in &p.spans {
                for &line in std::iter::once(&span.line)
                    .chain(std::iter::once(&span.text_line))
                    .chain(&span.sub_lines)
                {
                    prop_assert!(
                        (1..=last).contains(&line),
                        "{what} spans line {line}, outside 1..={last}"
                    );
                }
            }
            check_ids(&p.edition, "parsed")?;
            for m in p.edition.meetings() {
                prop_assert!(
                    p.lines.contains_key(m.key.as_str()),
                    "no line for {}",
                    m.key
                );
                for it in &m.items {
                    prop_assert!(
                        p.spans.contains_key(it.id.as_str()),
                        "no span for {}",
                        it.id
                    );
                }
            }
            let c = p.edition.counts();
            prop_assert_eq!(c.meetings, p.edition.meetings().count());
            prop_assert_eq!(c.items(), items(&p.edition));
            render_edition(&p.edition)?;
            Some(p)
        }
        Err(e) => {
            prop_assert!(!e.errors.is_empty(), "an import failed without an error");
            REFUSALS.with(|r| *r.borrow_mut().entry(e.errors[0].code.as_str()).or_default() += 1);
            for d in &e.errors {
                prop_assert_eq!(d.severity, Severity::Error);
                check_diagnostic(d, last, "error")?;
            }
            for w in &e.warnings {
                check_diagnostic(w, last, "warning")?;
            }
            prop_assert!(!e.to_string().is_empty());
            // What to do next: every error says it.
            for d in &e.errors {
                prop_assert!(
                    d.hint.as_deref().is_some_and(|h| !h.is_empty()),
                    "error {} has no hint: {}",
                    d.code,
                    d.message
                );
            }
            None
        }
    };
    let report = check::check(bytes, "fuzz.md");
    for d in &report.findings {
        check_diagnostic(d, last, "finding")?;
    }
    // `check` reports the importer's errors, and on an importable
    // document exactly the content errors that would stop the import.
    match &parsed {
        None => prop_assert!(report.errors() > 0, "check finds no error the import found"),
        Some(p) => prop_assert_eq!(report.errors(), check::blocking(p).len()),
    }
    Ok(parsed)
}

/// Every renderer of a diff runs to the end.
fn render_diff(d: &EditionDiff) -> Result<(), TestCaseError> {
    let io = |x: std::io::Error| TestCaseError::fail(x.to_string());
    let p = render::text::Palette { enabled: true };
    let mut out = Vec::new();
    render::text::diff::render(d, p, false, &mut out).map_err(io)?;
    out.clear();
    render::text::diff::stat(d, p, &mut out).map_err(io)?;
    out.clear();
    render::markdown::diff::render(d, &mut out).map_err(io)?;
    out.clear();
    render::html::render(d, &mut out).map_err(io)?;
    out.clear();
    render::json::write(&render::json::diff_view(d), &mut out).map_err(io)?;
    serde_json::from_slice::<serde_json::Value>(&out)
        .map_err(|x| TestCaseError::fail(format!("diff JSON does not parse: {x}")))?;
    Ok(())
}

/// Diffs two editions and checks that the counts account for every item
/// and meeting of both.
pub(crate) fn check_diff(old: &Edition, new: &Edition) -> Result<EditionDiff, TestCaseError> {
    let d = diff::compare(old, new, &Pairing::by_rules(), Sides::default());
    let s = &d.report.summary;
    let (o, n) = (items(old), items(new));
    // Paired one to one: modified, renumbered, moved, typography only,
    // unchanged. A split-off item is a new item paired with no old one of
    // its own (its source is paired with its other part), a merged item an
    // old one with no new one of its own, a restored item a new one paired
    // with one withdrawn before.
    let paired = s.items_modified
        + s.items_renumbered
        + s.items_moved
        + s.items_typography
        + s.items_unchanged;
    prop_assert_eq!(
        s.items_added + s.items_restored + s.items_split + paired,
        n,
        "added + restored + split off + paired must be the new edition's items: {:?}",
        s
    );
    prop_assert_eq!(
        s.items_removed + s.items_merged + paired,
        o,
        "removed + merged + paired must be the old edition's items: {:?}",
        s
    );
    prop_assert_eq!(
        (s.items_added + s.items_restored + s.items_split) as i64
            - (s.items_removed + s.items_merged) as i64,
        n as i64 - o as i64
    );
    prop_assert_eq!(
        s.recommendations_added + s.observations_added,
        s.items_added
    );
    prop_assert_eq!(
        s.recommendations_removed + s.observations_removed,
        s.items_removed
    );
    let (om, nm) = (old.meetings().count(), new.meetings().count());
    let listed = |pred: fn(MeetingStatus) -> bool| {
        d.report.meetings.iter().filter(|m| pred(m.status)).count()
    };
    prop_assert_eq!(listed(|s| s != MeetingStatus::Removed), nm);
    prop_assert_eq!(listed(|s| s != MeetingStatus::Added), om);
    prop_assert_eq!(listed(|s| s == MeetingStatus::Added), s.meetings_added);
    prop_assert_eq!(listed(|s| s == MeetingStatus::Removed), s.meetings_removed);
    prop_assert!(s.meetings_symbol_corrected <= s.meetings_changed);
    let added = d.report.added();
    prop_assert_eq!(added.items(), s.items_added);
    prop_assert_eq!(added.meetings, s.meetings_added);
    for m in &d.report.meetings {
        for it in &m.items {
            if let Some(sim) = it.similarity() {
                prop_assert!((0.0..=1.0).contains(&sim), "similarity {sim}");
            }
        }
    }
    // The new edition with ids carried along: the same content, ids
    // still unique.
    prop_assert_eq!(d.edition.counts(), new.counts());
    // Carried ids are unique.
    check_ids(&d.edition, "carried")?;
    render_diff(&d.report)?;
    Ok(d.report)
}
