//! Text as livedoc compares it, in one place for the parser, `check` and
//! the diff: the normal form (whitespace collapsed, so a reflowed
//! paragraph is no change), an item's whole text, and the similarity
//! score used to pair items and table-of-contents entries; and the one
//! Markdown escaper, for the Word reader and the Markdown writer.

use similar::{Algorithm, capture_diff_slices, diff_ratio};

use crate::model::Item;

/// Collapses every run of whitespace (spaces, tabs, line breaks) to one
/// space and trims the ends: the form in which texts are compared.
pub fn normalise(s: &str) -> String {
    if is_normal(s.as_bytes()) {
        return s.to_string();
    }
    collapse(s)
}

/// [`normalise`] of a text the caller owns: a text already normal (the
/// common case) is kept, not copied.
pub fn normalise_owned(s: String) -> String {
    if is_normal(s.as_bytes()) {
        s
    } else {
        collapse(&s)
    }
}

/// One pass over the bytes, copying runs between whitespace.
fn collapse(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        let n = space_len(b, i);
        if n == 0 {
            i += 1;
            continue;
        }
        if run < i {
            if !out.is_empty() {
                out.push(' ');
            }
            // `run` and `i` are character boundaries: whitespace starts
            // and ends characters.
            out.push_str(&s[run..i]);
        }
        i += n;
        run = i;
    }
    if run < b.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[run..]);
    }
    out
}

/// The length in bytes of the whitespace character (as
/// `char::is_whitespace` has it) that starts at `b[i]`, or 0. Only lead
/// bytes match, so any byte of a UTF-8 text may be asked: U+0009–U+000D,
/// U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
/// U+205F and U+3000.
pub(crate) fn space_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => 1,
        0xc2 if matches!(b.get(i + 1), Some(0x85 | 0xa0)) => 2,
        0xe1 if b.get(i + 1..i + 3) == Some(&[0x9a, 0x80]) => 3,
        0xe2 if matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f))
        ) =>
        {
            3
        }
        0xe3 if b.get(i + 1..i + 3) == Some(&[0x80, 0x80]) => 3,
        _ => 0,
    }
}

/// Whether `normalise` would return the text unchanged: no leading,
/// trailing or doubled space and no other whitespace. A few vectorised
/// searches, since most texts are already normal.
fn is_normal(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    // Each way a text can fail to be normal, looked for by a vectorised
    // search over the whole text (most texts have none of them): a doubled
    // space, a control whitespace byte, a multi-byte space.
    if memchr::memmem::find(b, b"  ").is_some()
        || memchr::memchr3(b'\t', b'\n', b'\r', b).is_some()
        || memchr::memchr2(0x0b, 0x0c, b).is_some()
    {
        return false;
    }
    // Lead bytes of the multi-byte spaces (U+0085, U+00A0, U+1680,
    // U+2000 to U+205F, U+3000); curly quotes share 0xe2 and are checked.
    !(memchr::memchr3_iter(0xc2, 0xe1, 0xe2, b).any(|at| space_len(b, at) > 0)
        || memchr::memchr_iter(0xe3, b).any(|at| space_len(b, at) > 0))
}

/// A text with typographic equivalents made plain: curly quotes and
/// apostrophes straight, dashes hyphens, an ellipsis three dots. Two texts
/// that fold alike differ only in typography, which a re-export of the
/// same document changes without changing a word.
pub fn fold_typography(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '‘' | '’' | '‚' | '‛' | '′' | 'ʼ' => out.push('\''),
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => out.push('"'),
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => out.push('-'),
            '…' => out.push_str("..."),
            c => out.push(c),
        }
    }
    out
}

/// What an inline Markdown text prints: its characters with their
/// escapes, entities and code spans resolved and its emphasis, links and
/// HTML tags gone, whitespace collapsed. Two texts that print alike
/// differ in how they are written (`\[sic\]` and `[sic]`, `&amp;` and
/// `&`, `**Part A:**` and `<b>Part A:</b>`), as a Word document read
/// back writes them otherwise, never in a word.
pub fn printed_plain(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::with_capacity(md.len());
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                pulldown_cmark::TagEnd::Paragraph
                | pulldown_cmark::TagEnd::Item
                | pulldown_cmark::TagEnd::Heading(_)
                | pulldown_cmark::TagEnd::BlockQuote(_),
            ) => out.push(' '),
            Event::Html(t) => out.push_str(&without_tags(&t)),
            _ => {}
        }
    }
    normalise(&out)
}

/// A block of HTML's text, without its tags.
pub fn without_tags(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut in_tag = false;
    for c in t.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A character XML 1.0 forbids (C0 controls but tab and line ends,
/// U+FFFE, U+FFFF): it prints as nothing, and a Word document cannot hold
/// it, so the importer refuses a text with one and the Word writer never
/// writes one.
pub fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Characters that print as nothing: the soft hyphen (a place a word may
/// break), zero-width space, non-joiner and joiner, the word joiner and
/// the byte order mark.
pub const INVISIBLE: [char; 6] = [
    '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
];

/// A Markdown source as a reader of the printed page reads it, the one
/// normal form both readers give (rules 4): characters that print as
/// nothing ([`INVISIBLE`]) removed, and footnotes, which a Word document
/// keeps apart from its text, too: each reference (`[^1]`) removed, and
/// each definition (`[^1]: …`, with its indented continuation lines)
/// blanked. Lines keep their places: only characters within a line go,
/// and a blanked line keeps its line end, so every finding keeps its line.
pub fn as_printed(src: &str) -> std::borrow::Cow<'_, str> {
    if !src.contains(INVISIBLE) && !src.contains("[^") {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut in_definition = false;
    for line in src.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let trimmed = body.trim_start();
        let indent = body.len() - trimmed.len();
        if indent <= 3 && is_footnote_definition(trimmed) {
            in_definition = true;
        } else if in_definition && (body.starts_with("    ") || body.starts_with('\t')) {
            // Its continuation.
        } else {
            in_definition = false;
            let kept: String = body.chars().filter(|c| !INVISIBLE.contains(c)).collect();
            out.push_str(&without_footnote_references(&kept));
        }
        out.push_str(end);
    }
    std::borrow::Cow::Owned(out)
}

/// `[^label]:` at the start of a line.
fn is_footnote_definition(s: &str) -> bool {
    s.strip_prefix("[^")
        .and_then(|r| r.split_once("]:"))
        .is_some_and(|(label, _)| footnote_label(label))
}

fn footnote_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 32
        && !label.contains(|c: char| c.is_whitespace() || c == ']')
}

/// A line without its footnote references (`[^1]`).
fn without_footnote_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("[^") {
        let after = &rest[at + 2..];
        match after.find(']') {
            Some(end) if footnote_label(&after[..end]) => {
                out.push_str(&rest[..at]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..at + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a text ends as a sentence does: with a full stop, semicolon,
/// colon, question or exclamation mark or an ellipsis, before any closing
/// quotes, brackets or emphasis.
pub fn ends_a_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['”', '’', '"', '\'', ')', '*', '_'])
        .ends_with(['.', ';', ':', '!', '?', '…'])
}

/// Whether a text starts with a lower-case letter (after any emphasis
/// marks): the continuation of a sentence, not the start of one.
pub fn starts_in_lower_case(text: &str) -> bool {
    text.trim_start()
        .trim_start_matches(['*', '_'])
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// An item's whole text as compared: its text and each sub-item, in order,
/// whitespace normalised.
pub fn item_text(item: &Item) -> String {
    if item.subitems.is_empty() {
        return normalise(&item.text);
    }
    let mut full = item.text.clone();
    for s in &item.subitems {
        full.push('\n');
        if !s.label.is_empty() {
            full.push_str(&s.label);
            full.push(' ');
        }
        full.push_str(&s.text);
    }
    normalise(&full)
}

/// How alike two normalised texts are, from 0 (nothing shared) to 1
/// (identical), by their longest common word sequence.
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let a: Vec<&str> = a.split(' ').collect();
    let b: Vec<&str> = b.split(' ').collect();
    let ops = capture_diff_slices(Algorithm::Myers, &a, &b);
    f64::from(diff_ratio(&ops, a.len(), b.len()))
}

/// How much of normalised text `part` stands, in order, in `whole`: the
/// share of `part`'s words in their longest common word sequence, from 0
/// to 1. A piece of a split text is (almost) wholly contained in the text
/// it was split from, whatever their lengths; a different observation in
/// the same formulaic wording is not.
pub fn containment(part: &str, whole: &str) -> f64 {
    let p: Vec<&str> = part.split(' ').collect();
    let w: Vec<&str> = whole.split(' ').collect();
    let shared: usize = capture_diff_slices(Algorithm::Myers, &w, &p)
        .iter()
        .map(|op| match op {
            similar::DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    shared as f64 / p.len() as f64
}

/// Whether `c` is one of the invisible direction controls that can make
/// text read as something else (U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069): printed escaped everywhere.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A name from a document or a remote, safe to print on one terminal
/// line: control characters (newlines included) and the invisible
/// direction controls that could make it read as something else
/// (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) are written as escapes.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_direction_control(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// "1 meeting", "3 meetings": a count in words, for every layer's messages.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How much of a text [`escape_markdown`] escapes: the Markdown writer
/// and the Word reader need different amounts (see each variant), so the
/// one escaper takes the caller's need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escaping {
    /// Every character that can open Markdown syntax somewhere on a line:
    /// `\ * _ [ ] ` < > # ! |`. The Markdown writer's, for the plain
    /// texts it puts in headings and list entries (a title, a meeting's
    /// body, a table-of-contents entry), so that they read back as the
    /// same text whatever they hold (a closing `#`, a `>`, a `|`).
    Everything,
    /// Only what reads as inline syntax where it stands, so that a text
    /// written to Word and read back is the text it was: a backtick; a
    /// backslash before punctuation; a `*` or `_` that could open or
    /// close emphasis (not `A_B_C`, not `2 * 3`); a `]` before `(`, `[`
    /// or `:` (a link or a definition; `[sic]` is no link) and a `[`
    /// before `^` (a footnote); a `<` that opens a tag or an autolink
    /// (before a letter, `/`, `!` or `?`), and a `&` that opens an entity
    /// (`&amp;`, `&#38;`). The Word reader's: the Markdown it derives is
    /// imported and its texts are stored as written, so a `#`, `!` or `|`
    /// in Word's text stays as Word has it.
    Inline,
}

/// Backslash-escapes what would turn plain text into Markdown syntax, as
/// much as `how` says.
pub fn escape_markdown(s: &str, how: Escaping) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        let rest = &s[i + c.len_utf8()..];
        let next = rest.chars().next();
        let special = match (how, c) {
            (Escaping::Everything, '\\' | '*' | '_' | '`' | '[' | ']') => true,
            (Escaping::Everything, '<' | '>' | '#' | '!' | '|') => true,
            (Escaping::Inline, '`') => true,
            (Escaping::Inline, '\\') => next.is_none_or(|n| n.is_ascii_punctuation()),
            (Escaping::Inline, '*' | '_') => {
                let prev = s[..i].chars().next_back();
                let (before, after) = (
                    prev.is_some_and(|p| !p.is_whitespace()),
                    next.is_some_and(|n| !n.is_whitespace()),
                );
                // `_` between letters or digits never delimits emphasis;
                // a `*` or `_` with space on both sides never does.
                let intraword = c == '_'
                    && prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                (before || after) && !intraword
            }
            (Escaping::Inline, ']') => matches!(next, Some('(' | '[' | ':')),
            (Escaping::Inline, '[') => next == Some('^'),
            (Escaping::Inline, '<') => rest
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            (Escaping::Inline, '&') => opens_an_entity(rest),
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the text after a `&` makes it an entity reference: letters,
/// digits and `#`, then `;`, within 32 characters.
fn opens_an_entity(rest: &str) -> bool {
    let mut name = 0;
    for c in rest.chars().take(32) {
        if c.is_ascii_alphanumeric() || c == '#' {
            name += 1;
        } else {
            return name > 0 && c == ';';
        }
    }
    false
}

/// The lines of a text, for the 1-based line of a byte offset (of a TOML
/// error or entry), by bisecting the offsets of the
/// line starts (counting from the start of the text for every entry made
/// a file of 40,000 entries take minutes).
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    pub fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_printed_drops_what_prints_as_nothing_and_keeps_every_line() {
        let src = "a\u{ad}b c\u{200b}d\u{2060}e.[^1] f[^note]\n\n[^1]: A note.\n    more of it\n\nNext [^ x] [^]\n";
        let out = as_printed(src);
        assert_eq!(out, "ab cde. f\n\n\n\n\nNext [^ x] [^]\n");
        assert_eq!(out.matches('\n').count(), src.matches('\n').count());
        // Nothing to do: the source itself.
        assert!(matches!(
            as_printed("plain\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
    use proptest::prelude::*;

    proptest! {
        /// The byte-scan fast path never changes the result.
        #[test]
        fn normalise_is_split_whitespace_joined(
            s in "[ a\t\n\r\u{b}\u{c}\u{a0}\u{a1}\u{85}\u{86}\u{1680}\u{1681}\u{2000}\u{2003}\u{200a}\u{200b}\u{2019}\u{2028}\u{2029}\u{202f}\u{205f}\u{2060}\u{3000}\u{3001}é€“]{0,24}"
        ) {
            prop_assert_eq!(normalise(&s), s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    /// The byte test agrees with `char::is_whitespace` on every character.
    #[test]
    fn space_len_is_char_is_whitespace() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let want = if c.is_whitespace() { b.len() } else { 0 };
            assert_eq!(space_len(b, 0), want, "{:?}", c);
        }
    }

    #[test]
    fn reflow_and_spacing_normalise_away() {
        assert_eq!(normalise("  a\n b\t\tc  \n"), "a b c");
        assert_eq!(normalise("a  b"), normalise("a\nb"));
    }

    #[test]
    fn similarity_bounds() {
        assert_eq!(similarity("a b c", "a b c"), 1.0);
        assert_eq!(similarity("a b c", "x y z"), 0.0);
        let s = similarity("States should act now", "States should act today");
        assert!((0.7..1.0).contains(&s), "{s}");
    }

    #[test]
    fn containment_is_the_share_of_the_part_found_in_order() {
        assert_eq!(containment("b c", "a b c d"), 1.0);
        assert_eq!(containment("a b c d", "b c"), 0.5);
        assert_eq!(containment("x y", "a b"), 0.0);
        assert_eq!(containment("c b", "a b c"), 0.5, "order counts");
    }

    #[test]
    fn one_line_escapes_controls_and_direction_marks() {
        assert_eq!(one_line("a\nb"), "a\\u{a}b");
        assert_eq!(one_line("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(one_line("Édition “2024”"), "Édition “2024”");
    }

    #[test]
    fn what_a_text_prints_is_the_same_however_it_is_written() {
        for (a, b) in [
            ("States \\[sic\\] use A\\_B", "States [sic] use A_B"),
            ("R &amp; D &#38; co &copy;", "R & D & co ©"),
            (
                "a `code span` and *emph*, then",
                "a code span and emph, then",
            ),
            ("**Part A:** text", "<b>Part A:</b> text"),
            ("[the report](https://undocs.org/X)", "the report"),
        ] {
            assert_eq!(printed_plain(a), printed_plain(b), "{a} / {b}");
        }
        // A word is a word: `\<b>` prints, `<b>` does not.
        assert_ne!(printed_plain("\\<b>x"), printed_plain("<b>x"));
        assert_ne!(printed_plain("a b"), printed_plain("a c"));
    }

    #[test]
    fn typography_folds_to_plain_equivalents() {
        assert_eq!(
            fold_typography("“RevMod” – the State’s module…"),
            "\"RevMod\" - the State's module..."
        );
        assert_eq!(fold_typography("plain"), "plain");
        assert_ne!(fold_typography("a – b"), fold_typography("a b"));
    }

    /// The Markdown writer's escaper before the two were one.
    fn writer_escape(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if matches!(
                c,
                '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '!' | '|'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    /// What pulldown-cmark reads a one-line paragraph as: its text,
    /// with a mark for anything that is not plain text.
    fn read_inline(md: &str) -> String {
        use pulldown_cmark::{Event, Parser};
        let mut out = String::new();
        for e in Parser::new(md) {
            match e {
                Event::Text(t) => out.push_str(&t),
                Event::Start(pulldown_cmark::Tag::Paragraph)
                | Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                other => out.push_str(&format!("<{other:?}>")),
            }
        }
        out
    }
    proptest! {
        /// Each caller gets exactly what its own escaper gave.
        #[test]
        fn one_escaper_gives_what_each_of_the_two_gave(
            s in "[a-zA-Z0-9#;&<>!?/|*_`\\[\\]\\\\ .\n\u{e9}\u{2019}\u{17f}\u{663}]{0,40}"
        ) {
            prop_assert_eq!(escape_markdown(&s, Escaping::Everything), writer_escape(&s));
        }

        /// What the Word reader escapes reads back as the text it was:
        /// Word out and in again is the identity.
        #[test]
        fn inline_escaping_reads_back_as_the_text(
            s in "[a-zA-Z][a-zA-Z0-9;&<>!?/|*_`()\\[\\]\\\\:^ .\u{e9}\u{2019}]{0,30}[a-z.]"
        ) {
            prop_assert_eq!(read_inline(&escape_markdown(&s, Escaping::Inline)), s);
        }
    }

    #[test]
    fn the_two_escapings_differ_where_their_callers_need() {
        let long = format!("&{};", "a".repeat(31));
        let too_long = format!("&{};", "a".repeat(32));
        let long_escaped = format!("\\{long}");
        for (s, everything, inline) in [
            ("# x | y!", "\\# x \\| y\\!", "# x | y!"),
            (
                "a < b <c> &amp; &x",
                "a \\< b \\<c\\> &amp; &x",
                "a < b \\<c> \\&amp; &x",
            ),
            ("&#38; &; & ;", "&\\#38; &; & ;", "\\&#38; &; & ;"),
            (long.as_str(), long.as_str(), long_escaped.as_str()),
            (too_long.as_str(), too_long.as_str(), too_long.as_str()),
            ("*_`[]\\", "\\*\\_\\`\\[\\]\\\\", "\\*\\_\\`[]\\\\"),
            // What cannot be syntax where it stands is left as Word has it.
            (
                "[sic] A_B_C 2 * 3 a\\b",
                "\\[sic\\] A\\_B\\_C 2 \\* 3 a\\\\b",
                "[sic] A_B_C 2 * 3 a\\b",
            ),
            (
                "[x](y) [^1] _a_",
                "\\[x\\](y) \\[^1\\] \\_a\\_",
                "[x\\](y) \\[^1] \\_a\\_",
            ),
        ] {
            assert_eq!(escape_markdown(s, Escaping::Everything), everything, "{s}");
            assert_eq!(escape_markdown(s, Escaping::Inline), inline, "{s}");
            assert_eq!(writer_escape(s), everything, "{s}");
            // (Block syntax at a line start is the reader's to escape.)
            assert_eq!(read_inline(&format!("x {inline}")), format!("x {s}"), "{s}");
        }
    }
}
