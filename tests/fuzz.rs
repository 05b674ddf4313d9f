//! A fuzz campaign against the importer, `check` and the semantic diff,
//! through the library API. Every campaign test is `#[ignore]`d: run them
//! with `scripts/fuzz` (release build, `FUZZ_CASES` cases each, default
//! 100,000), which is
//!
//! ```sh
//! FUZZ_CASES=100000 cargo test --release --test fuzz -- --ignored --nocapture --skip regression_
//! ```
//!
//! Inputs: random bytes; random sequences of the tokens this format is made
//! of (headings, emphasis, links, labels, symbols, part and year lines, dot
//! leaders, list markers, line-ending variants, a byte-order mark, NUL,
//! invalid UTF-8, long runs), free or as lines with a role, mostly after a
//! valid title page and meeting heading; and the real April 2024 edition
//! with random byte and line ranges deleted, duplicated, swapped, moved or
//! overwritten, tokens inserted and line endings changed.
//!
//! Properties: `parse` and `check` never panic; an import either succeeds
//! or fails with at least one error and a hint, and `check` agrees; every
//! finding names a line inside the file; a parsed edition's meeting keys
//! and item ids are unique, each has its line, and every renderer accepts
//! it; for two parsed editions `diff` never panics (either way round), its
//! counts account for every item and meeting of both editions (so items
//! added minus removed is the change in the number of items), the carried
//! ids are unique, every renderer accepts the report, and an edition
//! compared with itself shows no change. Each campaign prints what it did:
//! cases parsed and refused (by first error), the slowest case (written to
//! `target/tmp/`), the process's peak memory, and how often it met a known
//! bug; a failure prints its minimised input and writes it to `target/tmp/`.
//!
//! Known bugs in `src/` are the ignored `regression_*` tests at the end,
//! minimised from what the campaign found; the campaign counts the cases
//! that meet them rather than stopping at the first (the script skips
//! them; run them with `cargo test --test fuzz regression_ -- --ignored`).
//!
//! The big-input tests (also ignored, run by the script) parse and check
//! documents of 50 MB, 100,000 meetings (with and without a table of
//! contents), lists nested 10,000 deep, 10 MB lines and headings made only
//! of symbols, one at a time, and print the time and the peak memory
//! (VmHWM, reset before each) of each, bounded at 2 GiB.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use livedoc::check;
use livedoc::diagnostic::{Diagnostic, Severity};
use livedoc::diff::{self, DiffOptions, EditionDiff, MeetingStatus};
use livedoc::ids::EditionId;
use livedoc::model::Edition;
use livedoc::parse::{self, ParseOptions, Parsed};
use livedoc::render;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};

const REAL_EDITION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md");

fn real() -> Vec<u8> {
    std::fs::read(REAL_EDITION).expect("editions/2024-04.md is readable")
}

/// How many cases each campaign test runs: `FUZZ_CASES`, else 100,000.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(100_000)
}

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::with_cases(cases());
    // The runner is used directly (no source file to persist failures
    // beside); a failure prints its minimised input instead.
    c.failure_persistence = None;
    c
}

fn opts(id: &str) -> ParseOptions {
    ParseOptions {
        id: EditionId::new(id).expect("a valid id"),
        date: None,
    }
}

// ---------------------------------------------------------------------------
// Inputs

/// Bytes shown as a Rust byte string, so that a failing case can be
/// pasted into a regression test.
#[derive(Clone)]
struct Doc(Vec<u8>);

impl fmt::Debug for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes: b\"{}\"", self.0.len(), self.0.escape_ascii())
    }
}

/// The documents of a case, to be written out when it fails.
trait Docs {
    fn docs(&self) -> Vec<&[u8]>;
}

impl Docs for Doc {
    fn docs(&self) -> Vec<&[u8]> {
        vec![&self.0]
    }
}

impl Docs for (Doc, Doc) {
    fn docs(&self) -> Vec<&[u8]> {
        vec![&self.0.0, &self.1.0]
    }
}

/// The pieces this format is made of.
const TOKENS: &[&[u8]] = &[
    b"# ",
    b"## ",
    b"### ",
    b"#### ",
    b"####### ",
    b"#",
    b"**",
    b"*",
    b"_",
    b"[",
    b"](",
    b")",
    b"(",
    b"](#)",
    b"]: #x",
    b"Recommendation 14",
    b"*Recommendation 14*",
    b"### *Recommendation 2*",
    b"Recommendation (l)",
    b"Recommendation o1",
    b"Observation 3",
    b"Observation o1",
    b"(a)",
    b"(a) ",
    b"(b) ",
    b"(f) ",
    b"(A) ",
    b"(iv) ",
    b"2022",
    b"2023",
    b"# 2023",
    b"9999",
    b"0000",
    b"CTOC/COP/WG.4/2022/4",
    b"CTOC/COP/WG.2/2023/4",
    b"([CTOC/COP/WG.3/2023/4](#))",
    b"CTOC//X",
    b"AB/c/d",
    b"PART A",
    b"Part B",
    b"# A. Recommendations by the Working Groups",
    b"# B. Observations by the Chair",
    b"# Part C: Other",
    b"A. ",
    b"B: ",
    b"Z) ",
    b".....",
    b"\xe2\x80\xa6",
    b"\t4",
    b"<b>",
    b"</b>",
    b"<!-- ",
    b" -->",
    b"- ",
    b"* ",
    b"+ ",
    b"1. ",
    b"2) ",
    b"> ",
    b"    ",
    b"  ",
    b"```",
    b"~~~",
    b"---",
    b"***",
    b"___",
    b"===",
    b"|",
    b"\\",
    b"&amp;",
    b"`",
    b"\n",
    b"\n\n",
    b"\n\n\n",
    b"\r\n",
    b"\r",
    b"\xef\xbb\xbf",
    b" ",
    b"\t",
    b"Working Group on Firearms",
    b"Constructive Dialogue on Technical Assistance",
    b"Summary by the Chair",
    b"Report",
    b"Vienna, April 2024",
    b"15 May 2025",
    b"Vienna, 31 February 2024",
    b"Table of Contents",
    b"Contents",
    b"Guidance for Readers",
    b"2023: Working Group on Firearms .....\t5",
    b"7/7",
    b"law",
    b"the the",
    b"resolution 9/1",
    b"\xe2\x80\x9c",
    b"\xe2\x80\x9d",
    b"'",
    b"\"",
    b"[untoc.review@un.org](mailto:untoc.review@un.org)",
    b"States parties should consider",
    b"SYNTHETIC",
    b".",
    b",",
    b";",
    b":",
    b"\xc3\xa9",
    b"\xe2\x80\xae",
    b"\x1b[31m",
    b"\xf0\x9f\x98\x80",
];

/// Bytes that make a document binary or not UTF-8.
const BAD_TOKENS: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
];

/// Units that long runs repeat.
const RUN_UNITS: &[&[u8]] = &[
    b"#",
    b"*",
    b"_",
    b"(",
    b")",
    b"[",
    b"]",
    b"-",
    b" ",
    b".",
    b"\n",
    b"\r",
    b"> ",
    b"- ",
    b"1. ",
    b"a",
    b"\xc3\xa9",
    b"`",
    b"(a) ",
    b"the ",
    b"7/7 ",
    b"\t",
    b"<",
    b"\\",
];

/// A valid title page and the start of Part A, so that what follows is
/// read as the body of a meeting.
const SKELETON: &[u8] = SKELETON_TEXT.as_bytes();

const SKELETON_TEXT: &str = "# COMPILATION (SYNTHETIC FUZZ EDITION)\n\nVienna, April 2024\n\n\
# A. Recommendations by the Working Groups\n\n2023\n\n\
## Working Group on Firearms (CTOC/COP/WG.6/2023/5)\n\n";

/// One token; `clean` ones are always UTF-8 text without NUL.
fn token(clean: bool) -> BoxedStrategy<Vec<u8>> {
    let text = prop_oneof![
        12 => prop::sample::select(TOKENS).prop_map(<[u8]>::to_vec),
        1 => (prop::sample::select(RUN_UNITS), 1usize..3000)
            .prop_map(|(unit, n)| unit.repeat(n)),
        1 => "[a-zA-Z0-9 .,;:()/#*_-]{1,12}".prop_map(String::into_bytes),
    ];
    if clean {
        text.boxed()
    } else {
        prop_oneof![
            8 => text,
            1 => prop::sample::select(BAD_TOKENS).prop_map(<[u8]>::to_vec),
            1 => prop::collection::vec(any::<u8>(), 1..8),
        ]
        .boxed()
    }
}

/// Up to `max` tokens, clean (UTF-8 text) three times out of four.
fn tokens(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (0..4u8).prop_flat_map(move |dirty| {
        prop::collection::vec(token(dirty > 0), 0..max).prop_map(|ts| ts.concat())
    })
}

/// Line starts that give a line its role in this format.
const LINE_STARTS: &[&[u8]] = &[
    b"",
    b"",
    b"",
    b"# ",
    b"## ",
    b"### ",
    b"#### *Recommendation ",
    b"### *Observation ",
    b"Recommendation ",
    b"- ",
    b"- (a) ",
    b"(b) ",
    b"1. ",
    b"> ",
    b"    ",
    b"2023",
    b"# B. Observations by the Chair\n\n2023\n\n## Constructive Dialogue on ",
    b"## Working Group on ",
    b"---",
];

const LINE_ENDS: &[&[u8]] = &[b"\n\n", b"\n\n", b"\n", b"\r\n\r\n", b"\n\n\n"];

/// Lines of tokens, each with a start that gives it a role (heading, label,
/// list entry, year, part...), so that more of them parse.
fn token_lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            prop::sample::select(LINE_STARTS),
            tokens(6),
            prop::sample::select(LINE_ENDS),
        ),
        0..60,
    )
    .prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(start, body, end)| [start.to_vec(), body, end.to_vec()])
            .flatten()
            .collect()
    })
}

/// Tokens, free or in lines, mostly after the skeleton.
fn token_doc() -> impl Strategy<Value = Doc> {
    let body = prop_oneof![tokens(300), token_lines()];
    (0..4u8, body).prop_map(|(skeleton, body)| {
        let mut d = if skeleton > 0 {
            SKELETON.to_vec()
        } else {
            Vec::new()
        };
        d.extend(body);
        Doc(d)
    })
}

/// An edit of a document.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteBytes(Index, usize),
    DuplicateBytes(Index, usize),
    SwapBytes(Index, Index, usize),
    SetByte(Index, u8),
    Insert(Index, Vec<u8>),
    DeleteLines(Index, usize),
    DuplicateLines(Index, usize),
    SwapLines(Index, Index),
    MoveLines(Index, Index, usize),
    /// Every `\n` becomes this.
    LineEndings(&'static [u8]),
}

const LINE_ENDINGS: &[&[u8]] = &[b"\r\n", b"\r", b"\n\n", b" \n"];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| Mutation::DeleteBytes(i, n)),
        1 => (any::<Index>(), 1usize..256).prop_map(|(i, n)| Mutation::DuplicateBytes(i, n)),
        1 => (any::<Index>(), any::<Index>(), 1usize..128)
            .prop_map(|(a, b, n)| Mutation::SwapBytes(a, b, n)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        3 => (any::<Index>(), tokens(6)).prop_map(|(i, t)| Mutation::Insert(i, t)),
        3 => (any::<Index>(), 1usize..12).prop_map(|(i, n)| Mutation::DeleteLines(i, n)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(i, n)| Mutation::DuplicateLines(i, n)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (any::<Index>(), any::<Index>(), 1usize..30)
            .prop_map(|(a, b, n)| Mutation::MoveLines(a, b, n)),
        1 => prop::sample::select(LINE_ENDINGS).prop_map(Mutation::LineEndings),
    ]
}

/// Splits into lines, each with its `\n`.
fn lines(d: &[u8]) -> Vec<Vec<u8>> {
    d.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(d: &mut Vec<u8>, m: &Mutation) {
    let len = d.len();
    let at = |i: &Index, n: usize| if n == 0 { 0 } else { i.index(n) };
    match m {
        Mutation::DeleteBytes(i, n) => {
            let s = at(i, len);
            d.drain(s..(s + n).min(len));
        }
        Mutation::DuplicateBytes(i, n) => {
            let s = at(i, len);
            let piece = d[s..(s + n).min(len)].to_vec();
            d.splice(s..s, piece);
        }
        Mutation::SwapBytes(a, b, n) => {
            let (mut a, mut b) = (at(a, len), at(b, len));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let n = (*n).min(b - a).min(len - b);
            let first = d[a..a + n].to_vec();
            let second = d[b..b + n].to_vec();
            d.splice(b..b + n, first);
            d.splice(a..a + n, second);
        }
        Mutation::SetByte(i, v) => {
            if len > 0 {
                d[at(i, len)] = *v;
            }
        }
        Mutation::Insert(i, t) => {
            let s = at(i, len + 1);
            d.splice(s..s, t.iter().copied());
        }
        Mutation::DeleteLines(i, n) => {
            let mut ls = lines(d);
            let s = at(i, ls.len());
            let e = (s + n).min(ls.len());
            ls.drain(s..e);
            *d = ls.concat();
        }
        Mutation::DuplicateLines(i, n) => {
            let mut ls = lines(d);
            let s = at(i, ls.len());
            let e = (s + n).min(ls.len());
            let piece = ls[s..e].to_vec();
            ls.splice(s..s, piece);
            *d = ls.concat();
        }
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(d);
            if !ls.is_empty() {
                let (a, b) = (at(a, ls.len()), at(b, ls.len()));
                ls.swap(a, b);
            }
            *d = ls.concat();
        }
        Mutation::MoveLines(a, b, n) => {
            let mut ls = lines(d);
            let s = at(a, ls.len());
            let e = (s + n).min(ls.len());
            let piece: Vec<Vec<u8>> = ls.drain(s..e).collect();
            let to = at(b, ls.len() + 1);
            ls.splice(to..to, piece);
            *d = ls.concat();
        }
        Mutation::LineEndings(end) => {
            let mut out = Vec::with_capacity(d.len());
            for &b in d.iter() {
                if b == b'\n' {
                    out.extend_from_slice(end);
                } else {
                    out.push(b);
                }
            }
            *d = out;
        }
    }
}

/// The real edition with `0..max` mutations.
fn mutated_real(max: usize) -> impl Strategy<Value = Doc> {
    let base = real();
    prop::collection::vec(mutation(), 0..max).prop_map(move |ms| {
        let mut d = base.clone();
        for m in &ms {
            apply(&mut d, m);
        }
        Doc(d)
    })
}

// ---------------------------------------------------------------------------
// Properties

/// The last line a finding may name: the number of lines, where `\n`,
/// `\r\n` and a lone `\r` each end a line (as in CommonMark) and a last
/// line needs no end (at least 1).
fn last_line(bytes: &[u8]) -> usize {
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

/// Findings whose line is counted from the start of an item's text, which
/// joins the blocks of an item with a blank line even where the source has
/// none: such a line can be past the end of the file (known, see
/// `regression_a_line_counted_in_joined_text_is_past_the_end`). The
/// campaign counts these instead of failing.
const TEXT_LINE_CODES: [&str; 4] = [
    "no-final-punctuation",
    "doubled-word",
    "unbalanced",
    "page-artefact",
];

thread_local! {
    /// Cases of this thread's campaign that hit a known bug, by bug.
    static KNOWN_LINE_PAST_END: Cell<usize> = const { Cell::new(0) };
    static KNOWN_SHARED_ID: Cell<usize> = const { Cell::new(0) };
    static KNOWN_SECTION_TITLE: Cell<usize> = const { Cell::new(0) };
}

thread_local! {
    /// The first error of each refused document of this thread's campaign,
    /// by code.
    static REFUSALS: std::cell::RefCell<std::collections::BTreeMap<&'static str, usize>> =
        std::cell::RefCell::default();
}

fn known(counter: &'static std::thread::LocalKey<Cell<usize>>) {
    counter.with(|c| c.set(c.get() + 1));
}

fn check_diagnostic(d: &Diagnostic, last: usize, what: &str) -> Result<(), TestCaseError> {
    if let Some(line) = d.line {
        if line > last && TEXT_LINE_CODES.contains(&d.code) {
            known(&KNOWN_LINE_PAST_END);
        } else {
            prop_assert!(
                (1..=last).contains(&line),
                "{what} {} at line {line}, outside 1..={last}: {}",
                d.code,
                d.message
            );
        }
    }
    prop_assert!(
        !d.message.trim().is_empty(),
        "{what} {} has no message",
        d.code
    );
    prop_assert!(!d.code.is_empty(), "{what} without a code: {}", d.message);
    Ok(())
}

/// Every item id, and every meeting key, of an edition is unique. With
/// `minted` (ids as the importer mints them, not yet carried), an item
/// labelled `o<n>` sharing the id of the n-th unlabelled item of its
/// meeting is a known bug (see
/// `regression_an_item_labelled_o1_shares_the_id_of_the_first_unlabelled_one`),
/// counted instead of failing.
fn check_ids(e: &Edition, what: &str, minted: bool) -> Result<(), TestCaseError> {
    let mut keys = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for m in e.meetings() {
        prop_assert!(keys.insert(&m.key), "{what}: meeting key {} repeats", m.key);
        let labels: BTreeSet<&str> = m.items.iter().filter_map(|i| i.label.as_deref()).collect();
        for it in &m.items {
            if ids.insert(&it.id) {
                continue;
            }
            let suffix = it.id.rsplit('#').next().unwrap_or_default();
            let unlabelled_form = suffix
                .strip_prefix('o')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if minted && unlabelled_form && labels.contains(suffix) {
                known(&KNOWN_SHARED_ID);
            } else {
                prop_assert!(false, "{what}: item id {} repeats", it.id);
            }
        }
    }
    Ok(())
}

fn ids_unique(e: &Edition) -> bool {
    let mut ids = BTreeSet::new();
    e.meetings()
        .flat_map(|m| &m.items)
        .all(|i| ids.insert(&i.id))
}

fn items(e: &Edition) -> usize {
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
fn check_parse(bytes: &[u8], id: &str) -> Result<Option<Parsed>, TestCaseError> {
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
            check_ids(&p.edition, "parsed", true)?;
            for m in p.edition.meetings() {
                prop_assert!(p.lines.contains_key(&m.key), "no line for {}", m.key);
                for it in &m.items {
                    prop_assert!(p.spans.contains_key(&it.id), "no span for {}", it.id);
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
            REFUSALS.with(|r| *r.borrow_mut().entry(e.errors[0].code).or_default() += 1);
            for d in &e.errors {
                prop_assert_eq!(d.severity, Severity::Error);
                check_diagnostic(d, last, "error")?;
            }
            for w in &e.warnings {
                check_diagnostic(w, last, "warning")?;
            }
            prop_assert!(!e.to_string().is_empty());
            prop_assert!(!e.hint().is_empty());
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
    render::diff_text::render(d, p, &mut out).map_err(io)?;
    out.clear();
    render::diff_text::stat(d, p, &mut out).map_err(io)?;
    out.clear();
    render::diff_markdown::render(d, &mut out).map_err(io)?;
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
fn check_diff(old: &Edition, new: &Edition) -> Result<EditionDiff, TestCaseError> {
    let d = diff::diff(old, new, &DiffOptions::default());
    let s = &d.report.summary;
    let (o, n) = (items(old), items(new));
    let paired = s.items_modified + s.items_renumbered + s.items_moved + s.items_unchanged;
    prop_assert_eq!(
        s.items_added + paired,
        n,
        "added + paired must be the new edition's items: {:?}",
        s
    );
    prop_assert_eq!(
        s.items_removed + paired,
        o,
        "removed + paired must be the old edition's items: {:?}",
        s
    );
    prop_assert_eq!(
        s.items_added as i64 - s.items_removed as i64,
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
            if let Some(sim) = it.similarity {
                prop_assert!((0.0..=1.0).contains(&sim), "similarity {sim}");
            }
        }
    }
    // The new edition with ids carried along: the same content, ids
    // still unique.
    prop_assert_eq!(d.edition.counts(), new.counts());
    // Carried ids are unique, unless the old edition's were not (the
    // known bug of minted ids: its ids are carried as they are).
    check_ids(&d.edition, "carried", !ids_unique(old))?;
    render_diff(&d.report)?;
    Ok(d.report)
}

// ---------------------------------------------------------------------------
// The campaign

/// What a campaign test did, for its closing line.
#[derive(Default)]
struct Stats {
    parsed: AtomicUsize,
    refused: AtomicUsize,
    diffed: AtomicUsize,
    slowest_ns: AtomicU64,
    /// The documents of the slowest case.
    slowest: Mutex<Vec<Vec<u8>>>,
}

impl Stats {
    fn time<T>(&self, docs: &[&[u8]], f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        let ns = t.elapsed().as_nanos() as u64;
        if self.slowest_ns.fetch_max(ns, Ordering::Relaxed) < ns {
            *self.slowest.lock().unwrap_or_else(|e| e.into_inner()) =
                docs.iter().map(|d| d.to_vec()).collect();
        }
        out
    }

    fn count(&self, p: &Option<Parsed>) {
        match p {
            Some(_) => self.parsed.fetch_add(1, Ordering::Relaxed),
            None => self.refused.fetch_add(1, Ordering::Relaxed),
        };
    }
}

/// Writes documents to `target/tmp/NAME-N.md`; returns the paths.
fn write_out(name: &str, docs: &[&[u8]]) -> Vec<String> {
    let mut files = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{i}.md"));
        if std::fs::write(&path, d).is_ok() {
            files.push(path.display().to_string());
        }
    }
    files
}

/// Runs a property over a strategy for `cases()` cases and prints what it
/// did; a failure panics with the minimised input.
fn campaign<S: Strategy>(
    name: &str,
    strategy: S,
    property: impl Fn(S::Value, &Stats) -> Result<(), TestCaseError>,
) where
    S::Value: fmt::Debug + Docs,
{
    let started = Instant::now();
    let stats = Stats::default();
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |v| property(v, &stats));
    let slowest = stats
        .slowest
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let slowest_refs: Vec<&[u8]> = slowest.iter().map(Vec::as_slice).collect();
    let slowest_files = write_out(&format!("{name}-slowest"), &slowest_refs);
    let line = format!(
        "{name}: {} cases in {:.1} s; {} parsed, {} refused, {} diffs; slowest case {:.1} ms ({} bytes, in {}); peak memory (process) {}; known bugs hit: {} lines past the end, {} shared ids, {} self-diffs with a repeated section title",
        cases(),
        started.elapsed().as_secs_f64(),
        stats.parsed.load(Ordering::Relaxed),
        stats.refused.load(Ordering::Relaxed),
        stats.diffed.load(Ordering::Relaxed),
        Duration::from_nanos(stats.slowest_ns.load(Ordering::Relaxed)).as_secs_f64() * 1000.0,
        slowest.iter().map(Vec::len).sum::<usize>(),
        slowest_files.join(", "),
        peak_memory().map_or("unknown".to_string(), mib),
        KNOWN_LINE_PAST_END.with(Cell::get),
        KNOWN_SHARED_ID.with(Cell::get),
        KNOWN_SECTION_TITLE.with(Cell::get),
    );
    let refusals = REFUSALS.with(|r| {
        let r = r.borrow();
        let mut v: Vec<(&str, usize)> = r.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    println!("{line}");
    if !refusals.is_empty() {
        println!("{name}: refused by first error: {refusals}");
    }
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, value)) => {
            let files = write_out(name, &value.docs());
            panic!(
                "{name} failed: {reason}\nminimal input (written to {}): {value:?}",
                files.join(", ")
            )
        }
        Err(TestError::Abort(reason)) => panic!("{name} aborted: {reason}"),
    }
}

/// Random bytes: the importer and `check` never panic and locate every
/// finding inside the file.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_parse_random_bytes() {
    campaign(
        "fuzz_parse_random_bytes",
        prop::collection::vec(any::<u8>(), 0..4096).prop_map(Doc),
        |d, stats| {
            let p = stats.time(&[&d.0], || check_parse(&d.0, "fuzz"))?;
            stats.count(&p);
            Ok(())
        },
    );
}

/// Sequences of the format's tokens, with or without a valid title page:
/// the importer and `check` never panic, findings are located inside the
/// file, parsed editions have unique ids and render.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_parse_markdown_tokens() {
    campaign("fuzz_parse_markdown_tokens", token_doc(), |d, stats| {
        let p = stats.time(&[&d.0], || check_parse(&d.0, "fuzz"))?;
        stats.count(&p);
        Ok(())
    });
}

/// The real edition with random byte and line edits: as above.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_parse_mutated_real_edition() {
    campaign(
        "fuzz_parse_mutated_real_edition",
        mutated_real(10),
        |d, stats| {
            let p = stats.time(&[&d.0], || check_parse(&d.0, "fuzz"))?;
            stats.count(&p);
            Ok(())
        },
    );
}

/// Two documents (edits of the real edition, or token sequences after a
/// valid title page): when both parse, `diff` never panics, its counts
/// account for every item and meeting of both editions, it renders in
/// every format, and each edition compared with itself shows no change.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn fuzz_diff_counts_are_consistent() {
    let skeleton_doc = || {
        prop_oneof![tokens(120), token_lines()].prop_map(|body| {
            let mut d = SKELETON.to_vec();
            d.extend(body);
            Doc(d)
        })
    };
    let pairs = prop_oneof![
        4 => (mutated_real(6), mutated_real(6)),
        1 => (skeleton_doc(), skeleton_doc()),
        1 => (mutated_real(4), skeleton_doc()),
    ];
    campaign("fuzz_diff_counts_are_consistent", pairs, |(a, b), stats| {
        stats.time(&[&a.0, &b.0], || {
            let old = parse_quietly(&a.0, "old")?;
            let new = parse_quietly(&b.0, "new")?;
            let (Some(old), Some(new)) = (old, new) else {
                stats.refused.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            };
            stats.parsed.fetch_add(1, Ordering::Relaxed);
            check_diff(&old.edition, &new.edition)?;
            check_diff(&new.edition, &old.edition)?;
            for e in [&old.edition, &new.edition] {
                let mut same = check_diff(e, e)?.summary;
                if repeats_a_section_title(e) && same.sections_changed > 0 {
                    // Known: see regression_self_diff_with_a_repeated_section_title.
                    known(&KNOWN_SECTION_TITLE);
                    same.sections_changed = 0;
                }
                prop_assert!(
                    same.is_empty(),
                    "an edition compared with itself changed: {:?}",
                    same
                );
            }
            stats.diffed.fetch_add(4, Ordering::Relaxed);
            Ok(())
        })
    });
}

/// Whether two front-matter sections have the same title.
fn repeats_a_section_title(e: &Edition) -> bool {
    let mut titles = BTreeSet::new();
    !e.front_matter.iter().all(|s| titles.insert(&s.title))
}

/// Parses without the full checks of `check_parse` (they have their own
/// campaigns), still failing on a panic.
fn parse_quietly(bytes: &[u8], id: &str) -> Result<Option<Parsed>, TestCaseError> {
    Ok(parse::parse(bytes, "fuzz.md", &opts(id)).ok())
}

// ---------------------------------------------------------------------------
// Big inputs

/// A memory figure of this process from `/proc/self/status` (a line such
/// as `VmHWM:   1234 kB`), in bytes.
fn status_memory(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Peak resident memory of this process so far (VmHWM), in bytes.
fn peak_memory() -> Option<u64> {
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

fn mib(bytes: u64) -> String {
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
        let d = diff::diff(&p.edition, &p.edition, &DiffOptions::default());
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
        .filter(|w| w.code.starts_with("toc"))
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
    let codes: BTreeSet<&str> = p.warnings.iter().map(|w| w.code).collect();
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

// ---------------------------------------------------------------------------
// Regressions found by the campaign

/// A document with two front-matter sections of the same title (a pasted
/// section, say) compared with itself: the diff finds the second section
/// "modified", since `diff::sections` pairs sections by title and takes
/// the first of that title. Found by `fuzz_diff_counts_are_consistent`
/// (the real edition with its title page duplicated into "Guidance for
/// Readers").
#[test]
fn regression_self_diff_with_a_repeated_section_title() {
    let doc = b"# COMPILATION (SYNTHETIC TEST EDITION)\n\nVienna, April 2024\n\n\
# Guidance\n\nOne.\n\n# Guidance\n\nTwo.\n\n\
# A. Recommendations\n\n2023\n\n## Working Group on Firearms (CTOC/COP/WG.6/2023/5)\n\n\
### *Recommendation 1*\n\nText.\n";
    let p = parse::parse(doc, "x.md", &opts("x")).expect("parses");
    assert_eq!(p.edition.front_matter.len(), 2);
    let d = diff::diff(&p.edition, &p.edition, &DiffOptions::default());
    assert_eq!(d.report.sections.len(), 0, "{:?}", d.report.sections);
    assert!(d.report.summary.is_empty(), "{:?}", d.report.summary);
}

/// An item labelled `o1` (`Observation o1`) and the first unlabelled item
/// of the same meeting are both minted the id `KEY#o1`. The importer's
/// `lines` and `spans` maps, keyed by id, then keep one of the two, so
/// `check` reports the unlabelled item's missing full stop (line 11) at the
/// line of the other item's text (15). (A stored edition is not affected:
/// the import renames the second `…#o1~2`.) Found by
/// `fuzz_parse_mutated_real_edition`.
#[test]
#[ignore = "src bug: the parser mints the same id for an item labelled o<n> and the n-th unlabelled item of a meeting; their spans collide and check reports the wrong line"]
fn regression_an_item_labelled_o1_shares_the_id_of_the_first_unlabelled_one() {
    let doc = b"# COMPILATION (SYNTHETIC TEST EDITION)\n\nVienna, April 2024\n\n\
# B. Observations\n\n2023\n\n\
## Constructive Dialogue on Technical Assistance (Summary by the Chair)\n\n\
States should act\n\nObservation o1\n\nStates should act again.\n";
    let p = parse::parse(doc, "x.md", &opts("x")).expect("parses");
    let ids: Vec<&str> = p
        .edition
        .meetings()
        .flat_map(|m| &m.items)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1], "two items, one id");
    let report = check::check(doc, "x.md");
    let punctuation: Vec<Option<usize>> = report
        .findings
        .iter()
        .filter(|d| d.code == "no-final-punctuation")
        .map(|d| d.line)
        .collect();
    assert_eq!(punctuation, [Some(11)]);
}

/// An item's text made of blocks that follow each other without a blank
/// line (a paragraph interrupted by a block quote, a fence or an HTML
/// block) is joined with a blank line, and the lines of findings counted in
/// that text run ahead of the source: here the missing full stop at the
/// last line (14) is reported at line 15 of a 14-line file. Found by
/// `fuzz_parse_mutated_real_edition`.
#[test]
#[ignore = "src bug: item text joins adjacent blocks with a blank line, so lines of text findings (no-final-punctuation, doubled-word, unbalanced, page-artefact) can be past the end of the file"]
fn regression_a_line_counted_in_joined_text_is_past_the_end() {
    let doc = b"# COMPILATION (SYNTHETIC TEST EDITION)\n\nVienna, April 2024\n\n\
# A. Recommendations\n\n2023\n\n## Working Group on Firearms (CTOC/COP/WG.6/2023/5)\n\n\
### *Recommendation 1*\n\nStates should act.\n> and quote\n";
    assert_eq!(last_line(doc), 14);
    let report = check::check(doc, "x.md");
    let punctuation: Vec<Option<usize>> = report
        .findings
        .iter()
        .filter(|d| d.code == "no-final-punctuation")
        .map(|d| d.line)
        .collect();
    assert_eq!(punctuation, [Some(14)]);
}

/// Regression: findings inside one item's text each counted the newlines
/// before them from the start of the text, so a text with many findings
/// took quadratic time (`check` of 80,000 lines "the" under one
/// recommendation: 28 s in a release build; 1.3 MB: 7 minutes). Lines are
/// now counted in one pass (`diagnostic::Lines`); this checks every
/// finding is still reported, on its own line.
#[test]
fn regression_many_findings_in_one_text_are_all_reported_on_their_lines() {
    let mut doc = SKELETON_TEXT.to_string();
    doc.push_str("### *Recommendation 1*\n\n");
    let first = doc.lines().count() + 1;
    doc.push_str(&"the\n".repeat(80_000));
    let report = check::check(doc.as_bytes(), "x.md");
    let lines: Vec<usize> = report
        .findings
        .iter()
        .filter(|f| f.code == "doubled-word")
        .filter_map(|f| f.line)
        .collect();
    assert_eq!(lines.len(), 79_999);
    assert_eq!(lines.first(), Some(&first));
    assert_eq!(lines.last(), Some(&(first + 79_998)));
}

/// Regression: an out-of-date table of contents was matched by comparing
/// every unmatched entry with every meeting (normalising and scoring each
/// pair): 4,000 unmatched entries took 32 s in a release build. Meetings
/// are now indexed by what each rule compares, and similar wording is
/// searched only within a year of at most 20,000 candidate pairs; every
/// unmatched entry is still reported.
#[test]
fn regression_an_unmatched_table_of_contents_reports_every_entry() {
    const N: usize = 3_000;
    let mut toc = String::from("# Table of Contents\n\n");
    let mut body = String::from("# A. Recommendations by the Working Groups\n\n2023\n\n");
    for n in 0..N {
        toc.push_str(&format!(
            "2023: Expert meeting on topic {n} .....\t{}\n",
            n / 40 + 2
        ));
        body.push_str(&format!(
            "## Working Group number {n} (CTOC/COP/WG.{}/2023/{})\n\n### *Recommendation 1*\n\nStates parties should consider synthetic measure {n}.\n\n",
            n % 10,
            n / 10
        ));
    }
    let doc = format!(
        "# COMPILATION (SYNTHETIC TEST EDITION)\n\nVienna, April 2024\n\n---\n\n{toc}\n{body}"
    );
    let p = parse::parse(doc.as_bytes(), "x.md", &opts("x")).expect("parses");
    assert_eq!(p.edition.meetings().count(), N);
    assert_eq!(
        p.warnings.iter().filter(|w| w.code == "toc-extra").count(),
        N
    );
}

/// `show --format markdown` writes each item's text as it is, so a text
/// that reads as structure in the regenerated document changes it: an
/// item given as a list entry `- Recommendation 14` under a meeting (its
/// text "Recommendation 14") comes back as a label without text, and the
/// regenerated document does not import ("Recommendation 14 has no
/// text"); a list entry `- # A. …` comes back as a second Part A ("part A
/// appears twice"). Found by a round-trip campaign (parse, render as
/// Markdown, parse again), which is not kept: it fails within seconds on
/// these.
#[test]
#[ignore = "src bug: render::markdown writes item texts verbatim, so a text that reads as a label or a heading turns the regenerated Markdown into another document, or one that does not import"]
fn regression_regenerated_markdown_imports_as_the_same_edition() {
    for entry in [
        "Recommendation 14",
        "# A. Recommendations by the Working Groups",
    ] {
        let doc = format!("{SKELETON_TEXT}- {entry}\n");
        let p = parse::parse(doc.as_bytes(), "x.md", &opts("x")).expect("parses");
        assert_eq!(items(&p.edition), 1);
        let mut md = Vec::new();
        render::markdown::render(&p.edition, &mut md).expect("renders");
        let again = parse::parse(&md, "regenerated.md", &opts("x"))
            .unwrap_or_else(|e| panic!("{entry:?}: the regenerated Markdown does not import: {e}"));
        assert_eq!(again.edition, p.edition, "{entry:?}");
    }
}
