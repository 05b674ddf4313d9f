//! `check`: everything a secretariat should fix before a draft becomes an
//! edition. The importer's own findings (structure, table of contents,
//! page-number artefacts) are joined by checks of the content: symbols,
//! label sequences, doubled words, unbalanced brackets and quotes, missing
//! final punctuation.
//!
//! Errors block an import; warnings do not.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ids::EditionId;
use crate::model::{ItemKind, Meeting};
use crate::parse::{self, ItemSpan, ParseError, ParseOptions, Parsed};
use crate::profile::UNTOC;

/// At most this many findings of one kind (one code) are kept for one
/// file, the first in document order; the rest are counted in one summary
/// finding of that code ("… and 12,345 more doubled-word findings").
/// A document of 48 MB of "word word …" once gave one doubled-word
/// warning per word, each with its message and hint: 3.5 GB for 40 MB,
/// and an abort for 48 MB. A hundred of one kind is more than anyone reads
/// before fixing the cause; `check` and `import` keep the same ones.
pub const FINDINGS_PER_KIND: usize = 100;

/// The first [`FINDINGS_PER_KIND`] findings of each code, in their order,
/// and after the last of them one summary finding for a code that has
/// more. `unbuilt` counts findings of a code that were counted but never
/// built (`Code`, its severity, how many).
pub fn capped(findings: Vec<Diagnostic>, unbuilt: &[(Code, Severity, usize)]) -> Vec<Diagnostic> {
    // Per code: its severity, how many, and the line of the last kept.
    let mut seen: std::collections::BTreeMap<Code, (Severity, usize, Option<usize>)> =
        Default::default();
    let mut kept = Vec::with_capacity(findings.len().min(4 * FINDINGS_PER_KIND));
    for d in findings {
        let e = seen.entry(d.code).or_insert((d.severity, 0, None));
        e.1 += 1;
        if e.1 <= FINDINGS_PER_KIND {
            e.2 = d.line;
            kept.push(d);
        }
    }
    for &(code, severity, n) in unbuilt {
        seen.entry(code).or_insert((severity, 0, None)).1 += n;
    }
    for (code, (severity, n, line)) in seen {
        if n > FINDINGS_PER_KIND {
            let more = n - FINDINGS_PER_KIND;
            kept.push(Diagnostic {
                severity,
                code,
                line,
                message: format!(
                    "… and {} more {code} finding{}",
                    grouped(more),
                    if more == 1 { "" } else { "s" }
                ),
                hint: Some(format!(
                    "only the first {FINDINGS_PER_KIND} of each kind are listed; fix their cause and check again"
                )),
                item: None,
                place: None,
            });
        }
    }
    kept
}

/// `12345` as "12,345".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Everything found in one document.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub file: String,
    pub findings: Vec<Diagnostic>,
    /// Whether the document could be read as text at all.
    pub readable: bool,
    /// Warnings the document's accepted-findings file accepts, each with
    /// its reason: not counted ([`crate::parse::accepted`]).
    pub accepted: Vec<(Diagnostic, String)>,
    /// The accepted-findings file applied, if any.
    pub accepted_file: Option<String>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// Checks a document. The edition id only matters for the ids in messages.
pub fn check(bytes: &[u8], file: &str) -> CheckReport {
    let opts = ParseOptions {
        id: EditionId::new("draft").expect("'draft' is a valid id"),
        date: None,
        rules: Default::default(),
    };
    let mut findings = Vec::new();
    let readable;
    match parse::parse_any(bytes, file, &opts) {
        Ok(parsed) => {
            readable = true;
            // The importer's codes and the content checks' are distinct:
            // each list capped on its own is capped per code.
            findings.extend(capped(parsed.warnings.clone(), &[]));
            findings.extend(lint(&parsed));
            name_items(&parsed, &mut findings);
        }
        Err(ParseError {
            errors, warnings, ..
        }) => {
            readable = !errors.iter().any(|e| e.code.is_unreadable());
            findings.extend(capped(errors.into_iter().chain(warnings).collect(), &[]));
        }
    }
    findings.sort_by_key(|d| (d.line.unwrap_or(0), d.severity));
    CheckReport {
        file: file.to_string(),
        findings,
        readable,
        accepted: Vec::new(),
        accepted_file: None,
    }
}

/// Names the item (or meeting) each finding with a line falls in: the
/// last one starting at or before its line. An accepted finding is named
/// by it, which survives the lines above it moving.
pub fn name_items(parsed: &Parsed, findings: &mut [Diagnostic]) {
    let mut starts: Vec<(usize, &str)> = parsed
        .lines
        .iter()
        .map(|(name, &line)| (line, name.as_str()))
        .collect();
    starts.sort();
    for d in findings.iter_mut().filter(|d| d.item.is_none()) {
        let Some(line) = d.line else { continue };
        let at = starts.partition_point(|&(l, _)| l <= line);
        if let Some(&(_, name)) = at.checked_sub(1).and_then(|i| starts.get(i)) {
            d.item = Some(name.into());
        }
    }
}

/// The errors among the content checks, for the importer to refuse.
pub fn blocking(parsed: &Parsed) -> Vec<Diagnostic> {
    lint(parsed)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// Content checks on a parsed document, placed as its own findings are
/// (at a Word paragraph when it was read from Word); at most
/// [`FINDINGS_PER_KIND`] of each code, and a summary of the rest.
pub fn lint(parsed: &Parsed) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Doubled words are one per word at worst: those past the cap are
    // counted, never built.
    let mut doubled = 0;
    for m in parsed.edition.meetings() {
        let line = parsed.lines.get(m.key.as_str()).copied();
        symbols(m, line, &mut out);
        label_sequence(m, parsed, &mut out);
        for item in &m.items {
            let Some(span) = parsed.spans.get(item.id.as_str()) else {
                continue;
            };
            texts(item, span, &mut out, &mut doubled);
        }
    }
    parsed.relocate(&mut out);
    let unbuilt = doubled.saturating_sub(FINDINGS_PER_KIND);
    capped(out, &[(Code::DoubledWord, Severity::Warning, unbuilt)])
}

fn symbols(m: &Meeting, line: Option<usize>, out: &mut Vec<Diagnostic>) {
    match &m.symbol {
        None if UNTOC.needs_symbol(&m.part) => out.push(
            Diagnostic::error(
                Code::SymbolMissing,
                line,
                format!(
                    "the {} meeting \"{}\" has no document symbol",
                    UNTOC.part_name(&m.part),
                    m.body
                ),
            )
            .with_hint(format!(
                "add it in parentheses after the meeting's name, such as ({})",
                UNTOC.symbols.example
            )),
        ),
        None => {}
        Some(cited) => {
            // A symbol with the corrigenda, addenda or revisions it cites
            // is checked without them.
            let (sym, _) = UNTOC.split_citation(cited);
            if let Some(problem) = UNTOC.symbol_problem(sym) {
                out.push(
                    Diagnostic::error(
                        Code::SymbolMalformed,
                        line,
                        format!(
                            "the symbol \"{sym}\" of \"{}\" is malformed: {problem}",
                            m.body
                        ),
                    )
                    .with_hint(format!(
                        "write it as the UN document has it, such as {}",
                        UNTOC.symbols.example
                    )),
                );
            }
            let year_in_symbol = UNTOC.symbol_named_year(sym);
            if let Some(y) = year_in_symbol
                && y != m.year.to_string()
            {
                out.push(
                    Diagnostic::warning(
                        Code::SymbolYear,
                        line,
                        format!(
                            "the symbol \"{sym}\" names the year {y}, but the meeting is under {}",
                            m.year
                        ),
                    )
                    .with_hint("check the symbol and the year line above the meeting"),
                );
            }
        }
    }
}

fn label_sequence(m: &Meeting, parsed: &Parsed, out: &mut Vec<Diagnostic>) {
    let mut prev: Option<(&str, u32)> = None;
    for item in &m.items {
        let Some(label) = item.label.as_deref() else {
            continue;
        };
        // A label with parts (`6 (a)` after 6, or after `6 (b)`) may
        // repeat the ordinal of the one before.
        let divided = UNTOC.divided_label_ordinal(label);
        let Some(n) = divided.or_else(|| UNTOC.label_ordinal(label)) else {
            continue;
        };
        let line = parsed.lines.get(item.id.as_str()).copied();
        if let Some((pl, pn)) = prev {
            if divided.is_some() && n == pn {
                // A part of the label before, or another part of it.
            } else if n <= pn {
                out.push(
                    Diagnostic::warning(
                        Code::LabelOrder,
                        line,
                        format!(
                            "{} {label} follows {pl} in {}: the labels are out of order",
                            UNTOC.kind_word(ItemKind::Recommendation),
                            m.key
                        ),
                    )
                    .with_hint("check the numbering of this meeting's items"),
                );
            } else if n > pn + 1 {
                out.push(
                    Diagnostic::warning(
                        Code::LabelGap,
                        line,
                        format!(
                            "{} {label} follows {pl} in {}: a label is missing between them",
                            UNTOC.kind_word(ItemKind::Recommendation),
                            m.key
                        ),
                    )
                    .with_hint("check whether an item was left out or a number was mistyped"),
                );
            }
        }
        prev = Some((label, n));
    }
}

/// One piece of an item's text: the text, its first line and where its
/// later paragraphs start.
type Piece<'a> = (&'a str, usize, &'a [(usize, usize)]);

fn texts(
    item: &crate::model::Item,
    span: &ItemSpan,
    out: &mut Vec<Diagnostic>,
    doubled: &mut usize,
) {
    let mut pieces: Vec<Piece<'_>> = vec![(item.text.as_str(), span.text_line, &span.text_breaks)];
    for ((s, &line), breaks) in item
        .subitems
        .iter()
        .zip(&span.sub_lines)
        .zip(&span.sub_breaks)
    {
        pieces.push((s.text.as_str(), line, breaks));
    }
    for (k, &(text, line, breaks)) in pieces.iter().enumerate() {
        marker_in_text(&item.id, text, k > 0, line, out);
        control_characters(&item.id, text, line, breaks, out);
        doubled_words(&item.id, text, line, breaks, out, doubled);
        balance(&item.id, text, line, out);
    }
    // The item's last words are those of its last sub-item, if it has any.
    if let Some(&(text, line, breaks)) = pieces.last() {
        let last_line = crate::diagnostic::Lines::new(text, line, breaks)
            .line_of(text.trim_end().len().saturating_sub(1));
        if !crate::text::ends_a_sentence(text) {
            out.push(
                Diagnostic::warning(
                    Code::NoFinalPunctuation,
                    Some(last_line),
                    format!(
                        "the text of {} ends without final punctuation: \"…{}\"",
                        item.id,
                        tail(text)
                    ),
                )
                .with_hint("check whether words were lost at a page break, or add the full stop"),
            );
        }
    }
}

/// A list marker (`-`, `*`, `+`, `1.`, `1)`, typed or escaped) at the
/// start of a text, or for a sub-item a second label (`(a)`, `a.`, `a)`):
/// a list the reader did not take as one (an empty entry around a
/// lettered one, a bullet typed by hand), whose text would be stored
/// with its structure in it.
static MARKER_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\\?[-*+]|\d{1,3}\\?[.)])(?:\s|$)").expect("valid"));
static LABEL_AT_START: LazyLock<Regex> = LazyLock::new(|| {
    // `(a)`, `(iv)`, `(12)`, `(B)`; or a letter or roman numeral with a
    // full stop or parenthesis (`a.`, `iv)`), not a word (`etc.`, `vs.`).
    Regex::new(
        r"^(?:\\?\((?:[a-z]{1,3}|[0-9]{1,3}|[A-Z])\\?\)|(?:[a-z]|[ivxl]{1,4}|[A-Z])[.)])(?:\s|$)",
    )
    .expect("valid")
});

fn marker_in_text(id: &str, text: &str, sub: bool, line: usize, out: &mut Vec<Diagnostic>) {
    let t = text.trim_start();
    let found = MARKER_AT_START
        .find(t)
        .or_else(|| sub.then(|| LABEL_AT_START.find(t)).flatten());
    let Some(m) = found else {
        return;
    };
    let what = if sub { "a sub-item" } else { "the text" };
    out.push(
        Diagnostic::error(
            Code::MarkerInText,
            Some(line),
            format!(
                "{what} of {id} begins with \"{}\", a list marker or label read as text: the list's structure was not read with confidence",
                m.as_str().trim()
            ),
        )
        .with_hint("make it one list entry of its own (a Word list paragraph, or \"- (a) …\" in Markdown) with no marker typed in its text"),
    );
}

fn control_characters(
    id: &str,
    text: &str,
    first_line: usize,
    breaks: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| crate::text::forbidden_in_xml(c))
    else {
        return;
    };
    let line = crate::diagnostic::Lines::new(text, first_line, breaks).line_of(at);
    out.push(
        Diagnostic::error(
            Code::ControlCharacter,
            Some(line),
            format!(
                "the text of {id} holds the control character U+{:04X}, which prints as nothing and which a Word document cannot hold",
                c as u32
            ),
        )
        .with_hint("delete it (an editor that shows invisible characters finds it); a line break inside a paragraph is a plain line end"),
    );
}

fn tail(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(4)..].join(" ")
}

/// Pushes a finding for each doubled word while `seen` (the doubled words
/// of the file so far) is under [`FINDINGS_PER_KIND`]; past it, only
/// counts them.
fn doubled_words(
    id: &str,
    text: &str,
    first_line: usize,
    breaks: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
    seen: &mut usize,
) {
    let mut lines = crate::diagnostic::Lines::new(text, first_line, breaks);
    doubled_pairs(text, |a, b| {
        *seen += 1;
        if *seen > FINDINGS_PER_KIND {
            return;
        }
        let line = lines.line_of(a.start);
        out.push(
            Diagnostic::warning(
                Code::DoubledWord,
                Some(line),
                format!(
                    "\"{} {}\" in the text of {id}: a word is doubled",
                    &text[a], &text[b]
                ),
            )
            .with_hint("remove one of the two"),
        );
    });
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Adjacent words, separated by whitespace only, made of ASCII letters
/// and equal but for case ("the The"), each pair given to `found` in
/// order (not collected: a text of one word repeated has a pair per
/// word). A single pass over the words; a backtracking regex did the same
/// an order of magnitude slower.
fn doubled_pairs(
    text: &str,
    mut found: impl FnMut(std::ops::Range<usize>, std::ops::Range<usize>),
) {
    // The word before the current one, if it is made of letters.
    let mut prev: Option<std::ops::Range<usize>> = None;
    let mut start = None;
    // Whether only whitespace came since the word before.
    let mut gap_is_space = false;
    let mut close = |word: std::ops::Range<usize>, gap_is_space: bool| {
        let letters = text[word.clone()].bytes().all(|b| b.is_ascii_alphabetic());
        if let Some(p) = prev.take()
            && gap_is_space
            && letters
            && text[p.clone()].eq_ignore_ascii_case(&text[word.clone()])
        {
            found(p, word.clone());
        }
        prev = letters.then_some(word);
    };
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                close(s..i, gap_is_space);
                start = None;
                gap_is_space = c.is_whitespace();
            }
            (false, None) => gap_is_space &= c.is_whitespace(),
            (true, Some(_)) => {}
        }
    }
    if let Some(s) = start {
        close(s..text.len(), gap_is_space);
    }
}

fn balance(id: &str, text: &str, line: usize, out: &mut Vec<Diagnostic>) {
    // One pass over the bytes: the ASCII marks are single bytes, and the
    // curly quotes U+201C and U+201D are E2 80 9C and E2 80 9D.
    let mut n = [0usize; 7];
    let bytes = text.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'(' => n[0] += 1,
            b')' => n[1] += 1,
            b'[' => n[2] += 1,
            b']' => n[3] += 1,
            b'"' => n[6] += 1,
            0x9c | 0x9d if i >= 2 && bytes[i - 2] == 0xe2 && bytes[i - 1] == 0x80 => {
                n[if c == 0x9c { 4 } else { 5 }] += 1
            }
            _ => {}
        }
    }
    let mut unbalanced = Vec::new();
    for (k, (open, close)) in [('(', ')'), ('[', ']'), ('“', '”')].into_iter().enumerate() {
        if n[2 * k] != n[2 * k + 1] {
            unbalanced.push(format!("{open}…{close}"));
        }
    }
    if n[6] % 2 == 1 {
        unbalanced.push("\"…\"".to_string());
    }
    if !unbalanced.is_empty() {
        out.push(
            Diagnostic::warning(
                Code::Unbalanced,
                Some(line),
                format!(
                    "the text of {id} has unbalanced {}",
                    unbalanced.join(" and ")
                ),
            )
            .with_hint("close what was opened, or remove the stray mark"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_marker_or_a_label_at_a_texts_start_is_found_and_a_word_is_not() {
        let found = |t: &str, sub: bool| {
            let mut out = Vec::new();
            marker_in_text("X#1", t, sub, 1, &mut out);
            !out.is_empty()
        };
        for t in ["- (a) text", "\\- text", "* text", "1. text", "12\\) text"] {
            assert!(found(t, false), "{t}");
            assert!(found(t, true), "{t}");
        }
        for t in ["(a) text", "a. text", "iv) text", "B. text", "\\(b\\) text"] {
            assert!(!found(t, false), "an item's text may begin so: {t}");
            assert!(found(t, true), "a second label: {t}");
        }
        for t in [
            "etc. and more",
            "vs. them",
            "e.g. this",
            "2023 meeting",
            "-based",
            "States should act.",
        ] {
            assert!(!found(t, true), "{t}");
        }
    }

    /// What the doubled-word lint once was: a regex, kept as the oracle.
    fn regex_pairs(text: &str) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let re = regex::Regex::new(r"(?i)\b([a-z]+)\s+([a-z]+)\b").expect("valid");
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(c) = re.captures_at(text, at) {
            let (a, b) = (c.get(1).expect("group 1"), c.get(2).expect("group 2"));
            if a.as_str().eq_ignore_ascii_case(b.as_str()) {
                out.push((a.range(), b.range()));
            }
            at = b.start();
        }
        out
    }

    proptest! {
        #[test]
        fn doubled_pairs_agree_with_the_regex(s in "(the|The|tHe|a|é|1|_|x|\\.|,| |  |\n|\u{a0}){0,16}") {
            let mut pairs = Vec::new();
            doubled_pairs(&s, |a, b| pairs.push((a, b)));
            prop_assert_eq!(pairs, regex_pairs(&s));
        }
    }

    fn doc(body: &str) -> String {
        format!("# COMPILATION (SYNTHETIC)\n\nVienna, April 2024\n\n---\n\n{body}")
    }

    fn codes(r: &CheckReport) -> Vec<(&'static str, Option<usize>)> {
        r.findings
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect()
    }

    #[test]
    fn the_real_edition_has_warnings_and_no_errors() {
        let r = check(include_bytes!("../../editions/2024-04.md"), "2024-04.md");
        assert_eq!(r.errors(), 0, "{:#?}", r.findings);
        let c = codes(&r);
        assert!(c.contains(&("page-artefact", Some(220))), "{c:?}");
        assert!(c.contains(&("no-final-punctuation", Some(165))), "{c:?}");
    }

    #[test]
    fn symbols_are_required_in_part_a_and_well_formed() {
        let r = check(
            doc("# A. Recommendations\n\n2023\n\n## WG on X\n\n### Recommendation 1\n\nText.\n\n## WG on Y (CTOC/COP/wg.1/2023/1)\n\n### Recommendation 1\n\nText.\n\n## WG on Z (CTOC/COP/WG.1/2022/1)\n\n### Recommendation 1\n\nText.\n").as_bytes(),
            "d.md",
        );
        assert_eq!(
            codes(&r),
            vec![
                ("symbol-missing", Some(11)),
                ("symbol-malformed", Some(17)),
                ("symbol-year", Some(23))
            ]
        );
        assert_eq!(r.errors(), 2);
    }

    #[test]
    fn label_gaps_and_disorder() {
        let r = check(
            doc("# A. Recommendations\n\n2023\n\n## WG (CTOC/COP/WG.1/2023/1)\n\n### Recommendation 14\n\nA.\n\n### Recommendation 16\n\nB.\n\n### Recommendation 15\n\nC.\n\n## WG2 (CTOC/COP/WG.3/2023/4)\n\n### Recommendation (l)\n\nD.\n\n### Recommendation (n)\n\nE.\n").as_bytes(),
            "d.md",
        );
        assert_eq!(
            codes(&r),
            vec![
                ("label-gap", Some(17)),
                ("label-order", Some(21)),
                ("label-gap", Some(31))
            ]
        );
    }

    #[test]
    fn doubled_words_brackets_quotes_and_final_punctuation() {
        let r = check(
            doc("# B. Observations\n\n2023\n\n## Constructive Dialogue on X\n\nStates should should act (now.\n\nStates said “yes.\n\nStates act without a stop\n\nFine [text] here.\n").as_bytes(),
            "d.md",
        );
        assert_eq!(
            codes(&r),
            vec![
                ("doubled-word", Some(13)),
                ("unbalanced", Some(13)),
                ("unbalanced", Some(15)),
                ("no-final-punctuation", Some(17)),
            ]
        );
    }

    /// Issue 29: 48 MB of "word word …" gave a doubled-word warning per
    /// word, with no cap (40 MB took 3.5 GB).
    #[test]
    fn a_flood_of_doubled_words_keeps_the_first_hundred_and_counts_the_rest() {
        let words = 10_000;
        let text = vec!["word"; words].join(" ");
        let r = check(
            doc(&format!(
                "# B. Observations\n\n2023\n\n## Constructive Dialogue on X\n\n{text}.\n"
            ))
            .as_bytes(),
            "d.md",
        );
        let doubled: Vec<&Diagnostic> = r
            .findings
            .iter()
            .filter(|d| d.code == Code::DoubledWord)
            .collect();
        assert_eq!(doubled.len(), FINDINGS_PER_KIND + 1);
        let summary = doubled.last().expect("a summary");
        assert_eq!(
            summary.message,
            format!(
                "… and {} more doubled-word findings",
                grouped(words - 1 - FINDINGS_PER_KIND)
            )
        );
        assert_eq!(summary.message, "… and 9,899 more doubled-word findings");
    }

    #[test]
    fn capping_keeps_the_first_of_each_code_and_one_summary_each() {
        let mut list = Vec::new();
        for n in 0..(FINDINGS_PER_KIND + 2) {
            list.push(Diagnostic::warning(Code::Unbalanced, Some(n), "u"));
            list.push(Diagnostic::error(Code::MarkerInText, Some(n), "m"));
        }
        list.push(Diagnostic::warning(Code::LabelGap, Some(1), "g"));
        let out = capped(list, &[(Code::DoubledWord, Severity::Warning, 1)]);
        let count = |c: Code| out.iter().filter(|d| d.code == c).count();
        assert_eq!(count(Code::Unbalanced), FINDINGS_PER_KIND + 1);
        assert_eq!(count(Code::MarkerInText), FINDINGS_PER_KIND + 1);
        assert_eq!(count(Code::LabelGap), 1);
        assert_eq!(
            count(Code::DoubledWord),
            0,
            "one unbuilt is not past the cap"
        );
        let summary = out
            .iter()
            .find(|d| d.code == Code::MarkerInText && d.message.starts_with('…'))
            .expect("a summary");
        assert_eq!(summary.message, "… and 2 more marker-in-text findings");
        assert_eq!(summary.severity, Severity::Error);
        assert_eq!(
            summary.line,
            Some(FINDINGS_PER_KIND - 1),
            "after the last kept"
        );
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn unreadable_input_is_flagged() {
        assert!(!check(b"\xff\xfe", "x.md").readable);
        assert!(check(b"", "x.md").readable);
        assert_eq!(check(b"", "x.md").errors(), 1);
    }
}
