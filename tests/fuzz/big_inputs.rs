//! Big inputs: documents of 50 MB, 100,000 meetings (with and without a
//! table of contents), lists nested 10,000 deep, 10 MB lines and headings
//! made only of symbols, parsed and checked one at a time in bounded
//! memory.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use livedoc::diagnostic::Diagnostic;
use livedoc::diff::{self, Pairing, Sides};
use livedoc::parse::check;
use livedoc::parse::{self, Parsed};

use crate::inputs::SKELETON_TEXT;
use crate::properties::{items, last_line};
use crate::{opts, real};

/// A memory figure of this process from `/proc/self/status` (a line such
/// as `VmHWM:   1234 kB`), in bytes.
fn status_memory(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Peak resident memory of this process so far (VmHWM), in bytes.
pub(crate) fn peak_memory() -> Option<u64> {
    status_memory("VmHWM:")
}

/// Resident memory of this process now (VmRSS), in bytes.
fn current_memory() -> Option<u64> {
    status_memory("VmRSS:")
}

/// Resets the peak (Linux: writing 5 to clear_refs); false where that is
/// not allowed, and the peak is then the process's so far.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub(crate) fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

const MEMORY_BOUND: u64 = 2 << 30;

/// The big tests run one at a time, so that each one's peak is its own
/// (the campaign's threads, if running, add a few MiB).
static BIG: Mutex<()> = Mutex::new(());

/// What a big input gave.
enum Outcome {
    Parsed(Box<Parsed>),
    Refused(Vec<Diagnostic>),
}

/// Parses and checks a big document, timing both and bounding the peak
/// memory; with `diff`, also compares the edition with itself.
fn big(name: &str, bytes: Vec<u8>, diff_self: bool) -> Outcome {
    let _one_at_a_time = BIG.lock().unwrap_or_else(|e| e.into_inner());
    let reset = reset_peak_memory();
    // What the process held already (the input, memory freed but kept).
    let at_start = current_memory().unwrap_or(0);
    let last = last_line(&bytes);
    let t = Instant::now();
    let outcome = match parse::parse(&bytes, "big.md", &opts("big")) {
        Ok(p) => Outcome::Parsed(Box::new(p)),
        Err(e) => Outcome::Refused(e.errors),
    };
    let parse_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report = check::check(&bytes, "big.md");
    let check_s = t.elapsed().as_secs_f64();
    for d in &report.findings {
        if let Some(line) = d.line {
            assert!(
                (1..=last).contains(&line),
                "{name}: {d:?} outside 1..={last}"
            );
        }
    }
    let mut diff_s = None;
    if diff_self && let Outcome::Parsed(p) = &outcome {
        let t = Instant::now();
        let d = diff::compare(
            &p.edition,
            &p.edition,
            &Pairing::by_rules(),
            Sides::default(),
        );
        diff_s = Some(t.elapsed().as_secs_f64());
        assert!(
            d.report.summary.is_empty(),
            "{name}: {:?}",
            d.report.summary
        );
        assert_eq!(d.report.summary.items_unchanged, items(&p.edition));
    }
    let peak = peak_memory().expect("/proc/self/status has VmHWM");
    let what = match &outcome {
        Outcome::Parsed(p) => format!(
            "parsed: {} meetings, {} items, {} warnings",
            p.edition.meetings().count(),
            items(&p.edition),
            p.warnings.len()
        ),
        Outcome::Refused(errors) => format!(
            "refused with {} errors, the first: {}",
            errors.len(),
            errors
                .iter()
                .take(2)
                .map(|e| format!("line {:?}: {}", e.line, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    println!(
        "{name}: {:.1} MB, {last} lines; {what}; parse {parse_s:.2} s, check {check_s:.2} s{}; peak memory {} (resident at the start {}){}",
        bytes.len() as f64 / 1e6,
        diff_s.map_or(String::new(), |s| format!(", diff with itself {s:.2} s")),
        mib(peak),
        mib(at_start),
        if reset { "" } else { " (process, not reset)" }
    );
    assert!(
        peak < MEMORY_BOUND,
        "{name}: peak memory {} is over {}",
        mib(peak),
        mib(MEMORY_BOUND)
    );
    if let Outcome::Refused(errors) = &outcome {
        assert!(!errors.is_empty());
        for e in errors {
            assert!(!e.message.is_empty() && e.hint.is_some(), "{name}: {e:?}");
        }
    }
    outcome
}

#[track_caller]
fn parsed(name: &str, o: Outcome) -> Box<Parsed> {
    match o {
        Outcome::Parsed(p) => p,
        Outcome::Refused(e) => panic!("{name} was refused: {e:?}"),
    }
}

/// The title page of the real edition (everything before Part A), its
/// Part A, and the rest (Part B and the contact line).
fn real_parts() -> (String, String, String) {
    let text = String::from_utf8(real()).expect("UTF-8");
    let a = text.find("\n# A. ").expect("Part A") + 1;
    let b = text.find("\n# B. ").expect("Part B") + 1;
    (
        text[..a].replace(
            "# COMPILATION\n",
            "# COMPILATION (SYNTHETIC BIG TEST EDITION)\n",
        ),
        text[a..b].to_string(),
        text[b..].to_string(),
    )
}

/// A 50 MB document: the real edition with the meetings of Part A
/// repeated (each repetition's symbols made distinct) until it is 50 MB.
/// It parses with every meeting and item, `check` locates every finding,
/// the edition compared with itself is unchanged, and the peak memory
/// stays under 2 GiB.
#[test]
#[ignore = "big input: run with scripts/fuzz"]
fn big_fifty_megabyte_document() {
    let (head, part_a, rest) = real_parts();
    let (heading, body) = part_a.split_at(part_a.find('\n').expect("a line") + 1);
    let mut doc = head.clone();
    doc.push_str(heading);
    let mut reps = 0;
    while doc.len() + rest.len() < 50_000_000 {
        // CTOC/COP/WG.4/2022/4 → CTOC/COP/WG.4/2022/4-R17
        let mut piece = String::with_capacity(body.len() + 100);
        for (i, segment) in body.split("CTOC/COP/").enumerate() {
            if i > 0 {
                piece.push_str("CTOC/COP/");
                let end = segment
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '/'))
                    .unwrap_or(segment.len());
                piece.push_str(&segment[..end]);
                piece.push_str(&format!("-R{reps}"));
                piece.push_str(&segment[end..]);
            } else {
                piece.push_str(segment);
            }
        }
        doc.push_str(&piece);
        reps += 1;
    }
    doc.push_str(&rest);
    let p = parsed(
        "50 MB",
        big("big_fifty_megabyte_document", doc.into_bytes(), true),
    );
    assert_eq!(p.edition.meetings().count(), reps * 6 + 4);
    assert_eq!(items(&p.edition), reps * 16 + 21);
}

/// 100,000 meetings of one recommendation each: parses with all of them,
/// `check` locates every finding, the edition compared with itself is
/// unchanged, in bounded memory.
#[test]
#[ignore = "big input: run with scripts/fuzz"]
fn big_hundred_thousand_meetings() {
    const N: usize = 100_000;
    let mut doc = String::from(
        "# COMPILATION (SYNTHETIC BIG TEST EDITION)\n\nVienna, April 2024\n\n# A. Recommendations by the Working Groups\n\n2023\n\n",
    );
    for n in 0..N {
        doc.push_str(&format!(
            "## Working Group number {n} (CTOC/COP/WG.{}/2023/{})\n\n### *Recommendation 1*\n\nStates parties should consider synthetic measure {n}.\n\n",
            n % 10,
            n / 10
        ));
    }
    let p = parsed(
        "100,000 meetings",
        big("big_hundred_thousand_meetings", doc.into_bytes(), true),
    );
    assert_eq!(p.edition.meetings().count(), N);
    assert_eq!(items(&p.edition), N);
}

/// The same 100,000 meetings, listed in a table of contents as the
/// compilation does (every entry matching its meeting): the check of the
/// table of contents must not make parsing quadratic.
#[test]
#[ignore = "big input: run with scripts/fuzz"]
fn big_hundred_thousand_meetings_with_a_table_of_contents() {
    const N: usize = 100_000;
    let mut toc = String::from("# Table of Contents\n\n");
    let mut body = String::from("# A. Recommendations by the Working Groups\n\n2023\n\n");
    for n in 0..N {
        toc.push_str(&format!(
            "2023: Working Group number {n} .....\t{}\n",
            n / 40 + 2
        ));
        body.push_str(&format!(
            "## Working Group number {n} (CTOC/COP/WG.{}/2023/{})\n\n### *Recommendation 1*\n\nStates parties should consider synthetic measure {n}.\n\n",
            n % 10,
            n / 10
        ));
    }
    let doc = format!(
        "# COMPILATION (SYNTHETIC BIG TEST EDITION)\n\nVienna, April 2024\n\n---\n\n{toc}\n{body}"
    );
    let t = Instant::now();
    let p = parsed(
        "100,000 meetings with a table of contents",
        big(
            "big_hundred_thousand_meetings_with_a_table_of_contents",
            doc.into_bytes(),
            false,
        ),
    );
    assert_eq!(p.edition.meetings().count(), N);
    let toc_findings = p
        .warnings
        .iter()
        .filter(|w| w.code.as_str().starts_with("toc"))
        .count();
    assert_eq!(toc_findings, 0, "every entry matches its meeting");
    assert!(t.elapsed() < Duration::from_secs(120), "{:?}", t.elapsed());
}

/// A list nested 10,000 deep (`- - - … text` on one line, and 1,000 deep
/// indented), inside a recommendation and directly under a meeting:
/// parsed or refused, never a stack overflow, in bounded memory.
#[test]
#[ignore = "big input: run with scripts/fuzz"]
fn big_list_nested_ten_thousand_deep() {
    let mut doc = String::from(SKELETON_TEXT);
    doc.push_str("### *Recommendation 1*\n\nStates parties should consider the list below.\n\n");
    doc.push_str(&"- ".repeat(10_000));
    doc.push_str("deepest\n\n");
    doc.push_str(&"1. ".repeat(10_000));
    doc.push_str("deepest\n\n");
    for depth in 0..1_000 {
        doc.push_str(&"  ".repeat(depth));
        doc.push_str(&format!("- level {depth}\n"));
    }
    doc.push_str("\n## Working Group on Cooperation (CTOC/COP/WG.3/2023/4)\n\n");
    doc.push_str(&"> - ".repeat(5_000));
    doc.push_str("deepest\n");
    let o = big("big_list_nested_ten_thousand_deep", doc.into_bytes(), true);
    if let Outcome::Parsed(p) = o {
        assert!(items(&p.edition) >= 1);
    }
}

/// A 10 MB line: as the text of one recommendation, as a meeting
/// heading, and as a table-of-contents entry, each with one doubled word
/// and one page-number look-alike for the checks to find: parsed, the
/// findings located, in bounded memory. (Many findings on one long text
/// are `regression_many_findings_in_one_text_are_all_reported_on_their_lines`.)
#[test]
#[ignore = "big input: run with scripts/fuzz"]
fn big_ten_megabyte_line() {
    let words = "States parties should consider (resolution 9/1) \u{201c}RevMod\u{201d} measures, ";
    let line = words.repeat(10_000_000 / words.len());
    let mut doc = String::from(
        "# COMPILATION (SYNTHETIC BIG TEST EDITION)\n\nVienna, April 2024\n\n# Table of Contents\n\n",
    );
    doc.push_str(&format!("2023: {line} .....\t4\n\n"));
    doc.push_str("# A. Recommendations by the Working Groups\n\n2023\n\n");
    doc.push_str(
        "## Working Group on Firearms (CTOC/COP/WG.6/2023/5)\n\n### *Recommendation 1*\n\n",
    );
    doc.push_str(&line);
    doc.push_str("the the law 7/7 enforcement\n\n## Working Group ");
    doc.push_str(&line);
    doc.push_str(" (CTOC/COP/WG.2/2023/4)\n\n### *Recommendation 2*\n\nStates parties should.\n");
    let p = parsed(
        "10 MB line",
        big("big_ten_megabyte_line", doc.into_bytes(), true),
    );
    assert_eq!(items(&p.edition), 2);
    let codes: BTreeSet<&str> = p.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains("page-artefact"), "{codes:?}");
}

/// Headings made only of symbols (punctuation, emphasis markers,
/// brackets, dot leaders, no letter at all), as meetings and as items:
/// parsed or refused with located errors, in bounded memory.
#[test]
#[ignore = "big input: run with scripts/fuzz"]
fn big_headings_made_only_of_symbols() {
    let symbols = [
        "!!!", "***", "(((", ")))", "()", "[]", "…", ".....", "---", "___", "###", "§§", "@", "%",
        "&&", "<>", "(())", "(()", "—", "\"\"", "''", "::", "/", "//", "\\", "~", "^", "$", "+=",
    ];
    let mut doc = String::from(SKELETON_TEXT);
    doc.push_str("### *Recommendation 1*\n\nStates parties should consider the list below.\n\n");
    for rep in 0..2_000 {
        for (i, s) in symbols.iter().enumerate() {
            let level = 2 + (rep + i) % 4;
            doc.push_str(&"#".repeat(level));
            doc.push(' ');
            doc.push_str(s);
            doc.push_str("\n\nText under a heading of symbols.\n\n");
        }
    }
    let o = big("big_headings_made_only_of_symbols", doc.into_bytes(), true);
    if let Outcome::Refused(errors) = o {
        assert!(errors.iter().all(|e| e.line.is_some()), "{errors:?}");
    }
}
