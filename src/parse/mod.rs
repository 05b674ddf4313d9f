//! The importer: Markdown of the compilation's layout → [`Edition`].
//!
//! The grammar is that of the published compilation, read leniently: a
//! title page, titled front-matter sections, an optional table of contents
//! (checked, never stored), parts (`# A. …`), year markers (`2022` or
//! `# 2023`), meeting headings at any level, items that are either labelled
//! (`### *Recommendation 14*`) or unlabelled paragraphs, sub-lists
//! `(a)`…`(g)` even when a page break turned their tail into paragraphs, and
//! a closing contact line after the last rule. Text is kept exactly as
//! published; anything odd is reported as a warning with its line. What
//! each element looks like is the compilation's [`Profile`]; this module
//! decides where the elements may stand and what they make.

pub mod accepted;
mod blocks;
pub mod check;
pub mod docx;
mod toc;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::ids::{self, EditionId};
use crate::model::{Edition, EditionDate, Item, ItemKind, Meeting, Part, Section, SubItem};
use crate::profile::Profile;
use crate::rules::Rules;
use crate::text::{ends_a_sentence, starts_in_lower_case};
use blocks::{Block, Kind, LineIndex, clean_source, collapse_ws, list_item_text};

/// What the importer needs besides the text.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub id: EditionId,
    /// A date given on the command line; it wins over the document's own.
    pub date: Option<EditionDate>,
    /// The rules to read it under: the current ones for a draft, the ones
    /// it was cut with when `verify` re-imports a published edition.
    pub rules: crate::rules::Rules,
}

/// A successfully imported document.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub edition: Edition,
    pub warnings: Vec<Diagnostic>,
    /// The line of each meeting (by key) and item (by id) in the source.
    pub lines: BTreeMap<String, usize>,
    /// Where each item's text and sub-items start, by item id.
    pub spans: BTreeMap<String, ItemSpan>,
    /// For a Word document, the Markdown read from it and the paragraph
    /// of each of its lines (`lines` and `spans` are lines of that
    /// Markdown).
    pub derived: Option<docx::Derived>,
}

impl Parsed {
    /// Gives findings about this document the Word paragraph of their
    /// line, when it was read from Word.
    pub fn relocate(&self, list: &mut [Diagnostic]) {
        if let Some(d) = &self.derived {
            d.relocate(list);
        }
    }
}

/// Where an item's parts start in the source (1-based lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemSpan {
    /// The heading or paragraph that opened the item.
    pub line: usize,
    /// The first line of its text.
    pub text_line: usize,
    /// Where a later paragraph of its text starts: its byte offset in the
    /// text and its line. Paragraphs are joined with a blank line or a
    /// space, not with the lines between them in the source, so a line
    /// inside the text is counted from the paragraph it is in.
    pub text_breaks: Vec<(usize, usize)>,
    /// The first line of each sub-item.
    pub sub_lines: Vec<usize>,
    /// The paragraph breaks of each sub-item's text, as `text_breaks`.
    pub sub_breaks: Vec<Vec<(usize, usize)>>,
}

/// A document that cannot be imported, with every error found.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ParseError {
    pub file: String,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", e.located(&self.file))?;
        }
        Ok(())
    }
}

/// Imports one document.
pub fn parse(bytes: &[u8], file: &str, opts: &ParseOptions) -> Result<Parsed, ParseError> {
    let fail = |d: Diagnostic| ParseError {
        file: file.to_string(),
        errors: vec![d],
        warnings: Vec::new(),
    };
    let text = decode(bytes).map_err(fail)?;
    let text = printed(&text, opts.rules);
    let mut p = Parser::new(&text, opts, Profile::untoc());
    p.run();
    p.finish(file)
}

/// The source as both readers read it under `rules`: from rules 4, as
/// printed ([`crate::text::as_printed`]: no invisible characters, no
/// footnotes), so that a draft gives the same edition in Markdown and in
/// Word.
fn printed(src: &str, rules: Rules) -> std::borrow::Cow<'_, str> {
    if rules >= Rules::V4 {
        crate::text::as_printed(src)
    } else {
        std::borrow::Cow::Borrowed(src)
    }
}

/// Whether a document is to be read as Word: a `.docx` name, or bytes
/// that are a zip archive or an OLE compound file.
pub fn is_word(bytes: &[u8], file: &str) -> bool {
    docx::looks_like_word(bytes) || file.to_ascii_lowercase().ends_with(".docx")
}

/// Imports a document in either format: Word when [`is_word`], else
/// Markdown.
pub fn parse_any(bytes: &[u8], file: &str, opts: &ParseOptions) -> Result<Parsed, ParseError> {
    if is_word(bytes, file) {
        parse_docx(bytes, file, opts)
    } else {
        parse(bytes, file, opts)
    }
}

/// Imports a Word document: read as Markdown ([`docx::to_markdown`]),
/// then imported as any Markdown is, its findings placed at the Word
/// paragraph they are about.
pub fn parse_docx(bytes: &[u8], file: &str, opts: &ParseOptions) -> Result<Parsed, ParseError> {
    let derived = docx::to_markdown(bytes).map_err(|d| ParseError {
        file: file.to_string(),
        errors: vec![d],
        warnings: Vec::new(),
    })?;
    let result = {
        let markdown = printed(&derived.markdown, opts.rules);
        let mut p = Parser::new(&markdown, opts, Profile::untoc());
        p.derived = Some(&derived);
        p.run();
        p.finish(file)
    };
    let with_reading = |list: &mut Vec<Diagnostic>| {
        let mut all = derived.warnings.clone();
        all.append(list);
        derived.relocate(&mut all);
        *list = all;
    };
    match result {
        Ok(mut parsed) => {
            with_reading(&mut parsed.warnings);
            parsed.derived = Some(derived);
            Ok(parsed)
        }
        Err(mut e) => {
            with_reading(&mut e.warnings);
            derived.relocate(&mut e.errors);
            Err(e)
        }
    }
}

/// Checks the bytes are text and normalises line endings to `\n`, so that
/// offsets and line numbers agree (CRLF and lone CR each count as one line
/// end, as in CommonMark). UTF-16 with a byte order mark (as Windows
/// editors save "Unicode" text) is decoded to UTF-8 first: one line end
/// for one line end, so line numbers are the file's own.
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
    let hint_text = "import a Markdown text file (UTF-8) of the compilation";
    if let Some(text) = decode_utf16(bytes)? {
        return text_of(std::borrow::Cow::Owned(text), hint_text);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::error(Code::Empty, None, "the file is empty").with_hint(hint_text));
    }
    let line_of = |offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(Diagnostic::error(
            Code::Binary,
            Some(line_of(pos)),
            "the file holds binary data (a NUL byte), not Markdown text",
        )
        .with_hint(hint_text));
    }
    let s = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            Code::Encoding,
            Some(line_of(e.valid_up_to())),
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
        .with_hint("convert it to UTF-8 (for example with iconv) and import it again")
    })?;
    text_of(std::borrow::Cow::Borrowed(s), hint_text)
}

/// A decoded text without its byte order mark and with `\n` line ends;
/// refused if empty (whitespace only) or if it holds a NUL.
fn text_of<'a>(
    s: std::borrow::Cow<'a, str>,
    hint_text: &str,
) -> Result<std::borrow::Cow<'a, str>, Diagnostic> {
    let bom = usize::from(s.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    if s.chars().all(|c| c.is_ascii_whitespace()) {
        return Err(Diagnostic::error(Code::Empty, None, "the file is empty").with_hint(hint_text));
    }
    if let Some(pos) = s.find('\0') {
        let line = 1 + s[..pos].matches(['\n']).count();
        return Err(Diagnostic::error(
            Code::Binary,
            Some(line),
            "the file holds binary data (a NUL character), not Markdown text",
        )
        .with_hint(hint_text));
    }
    let crlf = s.contains('\r');
    Ok(match s {
        // Most files have `\n` line ends: they are parsed where they lie.
        std::borrow::Cow::Borrowed(b) if !crlf => std::borrow::Cow::Borrowed(&b[bom..]),
        other if !crlf => std::borrow::Cow::Owned(other[bom..].to_string()),
        other => std::borrow::Cow::Owned(other[bom..].replace("\r\n", "\n").replace('\r', "\n")),
    })
}

/// The text of a file in UTF-16 with a byte order mark (`FF FE`, little
/// endian; `FE FF`, big endian), BOM and all; `None` for a file without
/// one (or nothing after it). A file that is not whole UTF-16 (an odd length, an unpaired
/// surrogate) is refused at its line, with how to convert it.
fn decode_utf16(bytes: &[u8]) -> Result<Option<String>, Diagnostic> {
    // A mark with no character after it is no evidence of UTF-16: such a
    // file is refused as not UTF-8.
    let (little, order) = match bytes {
        [0xff, 0xfe, _, _, ..] => (true, "little-endian"),
        [0xfe, 0xff, _, _, ..] => (false, "big-endian"),
        _ => return Ok(None),
    };
    let hint = "save it as UTF-8, or convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.md";
    let units = bytes.chunks(2).map(|p| match p {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        // An odd last byte: no code unit, and so no character.
        _ => 0xdc00,
    });
    let mut text = String::with_capacity(bytes.len());
    let mut line = 1;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                line += usize::from(c == '\n');
                text.push(c);
            }
            Err(_) => {
                return Err(Diagnostic::error(
                    Code::Encoding,
                    Some(line),
                    format!(
                        "the file is UTF-16 ({order}, from its byte order mark) but not valid UTF-16: a broken character on line {line}"
                    ),
                )
                .with_hint(hint));
            }
        }
    }
    Ok(Some(text))
}

/// Whether an item's text, written as paragraphs of their own under a
/// meeting, reads back as that text: each block a paragraph that is not
/// a label (`Recommendation 14`), a year or the start of a sub-item. A
/// text that does not (one that came from a list entry, such as
/// `- Recommendation 14`) is written back as a list entry, which the
/// importer takes as it is.
pub fn reads_as_item_paragraphs(text: &str) -> bool {
    let profile = Profile::untoc();
    let idx = LineIndex::new(text);
    let blocks = blocks::blocks(text, &idx);
    !blocks.is_empty()
        && blocks.iter().all(|b| {
            b.kind == Kind::Paragraph
                && labelled(profile, b, Rules::CURRENT).is_none()
                && is_year(profile, b).is_none()
        })
        && profile.split_sublabel(text).is_none()
        && clean_source(text) == text
}

/// Where a line is, as a message names it: `line 12`, or the Word
/// paragraph it came from.
fn place_name(derived: Option<&docx::Derived>, line: usize) -> String {
    match derived {
        Some(d) => d.describe(line),
        None => format!("line {line}"),
    }
}

fn is_year(profile: &Profile, b: &Block) -> Option<i32> {
    if !matches!(b.kind, Kind::Heading(_) | Kind::Paragraph) {
        return None;
    }
    profile.year(&b.plain)
}

fn is_part(profile: &Profile, b: &Block) -> Option<(String, String)> {
    if b.level() != Some(profile.levels.part) {
        return None;
    }
    profile.part(&b.plain)
}

fn is_toc(profile: &Profile, b: &Block) -> bool {
    b.is_heading() && profile.is_contents_title(&b.plain)
}

/// `Recommendation 14` → (Recommendation, "14"), as a heading or a
/// paragraph.
fn labelled(profile: &Profile, b: &Block, rules: Rules) -> Option<(ItemKind, String)> {
    if !matches!(b.kind, Kind::Heading(_) | Kind::Paragraph) {
        return None;
    }
    profile.label_under(&b.plain, rules)
}

/// The symbol, source label and link in a meeting heading's trailing
/// parentheses: `Working Group on X (CTOC/COP/WG.4/2022/4)`.
struct MeetingHeading {
    body: String,
    symbol: Option<String>,
    source: Option<String>,
    link: Option<String>,
}

fn meeting_heading(profile: &Profile, b: &Block, rules: Rules) -> MeetingHeading {
    let mut body = b.plain.trim().to_string();
    let (mut symbol, mut source, mut link) = (None, None, None);
    // Rules 4: a symbol in square brackets, as in parentheses.
    let closes = |body: &str| body.ends_with(')') || rules >= Rules::V4 && body.ends_with(']');
    while closes(&body) {
        let Some(open) = matching_open_bracket(&body) else {
            break;
        };
        let inner = body[open + 1..body.len() - 1].trim().to_string();
        let linked = b.links.iter().find(|l| collapse_ws(&l.text) == inner);
        if symbol.is_none() && profile.looks_like_symbol(&inner) {
            symbol = Some(inner);
        } else if source.is_none() && (linked.is_some() || profile.names_a_source(&inner)) {
            source = Some(inner);
        } else {
            break;
        }
        if link.is_none() {
            link = linked.map(|l| l.dest.clone());
        }
        body = body[..open].trim_end().to_string();
    }
    // Rules 4: a symbol set off from the body by a dash, a colon or a
    // comma (`Working Group on Firearms – CTOC/COP/WG.6/2023/5`).
    if rules >= Rules::V4 && symbol.is_none() {
        for sep in [" – ", " — ", " - ", ": ", ", "] {
            if let Some(at) = body.rfind(sep) {
                let tail = body[at + sep.len()..].trim();
                let (base, _) = profile.split_citation(tail);
                if profile.looks_like_symbol(base) && !body[..at].trim().is_empty() {
                    if link.is_none() {
                        link = b
                            .links
                            .iter()
                            .find(|l| collapse_ws(&l.text) == tail)
                            .map(|l| l.dest.clone());
                    }
                    symbol = Some(tail.to_string());
                    body = body[..at].trim_end().to_string();
                    break;
                }
            }
        }
    }
    MeetingHeading {
        body,
        symbol,
        source,
        link,
    }
}

/// Where the bracket that the last character of `s` closes opens:
/// parentheses, or square brackets.
fn matching_open_bracket(s: &str) -> Option<usize> {
    let (open, close) = if s.ends_with(']') {
        ('[', ']')
    } else {
        ('(', ')')
    };
    let mut depth = 0i32;
    for (i, c) in s.char_indices().rev() {
        match c {
            c if c == close => depth += 1,
            c if c == open => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// An item being built, with where its parts came from.
struct ItemBuild {
    kind: ItemKind,
    label: Option<String>,
    text: String,
    subitems: Vec<SubItem>,
    /// The line of the heading or paragraph that opened the item.
    line: usize,
    /// The line where the text starts, and where each sub-item starts.
    text_line: usize,
    sub_lines: Vec<usize>,
    /// See [`ItemSpan`].
    text_breaks: Vec<(usize, usize)>,
    sub_breaks: Vec<Vec<(usize, usize)>>,
    /// Set once a sub-item arrived as a paragraph rather than a list item.
    split_warned: bool,
}

struct MeetingBuild {
    meeting: Meeting,
    line: usize,
    items: Vec<ItemBuild>,
    /// Inside a `Recommendation N` section: paragraphs belong to it.
    labelled_open: bool,
}

struct PartBuild {
    part: Part,
    line: usize,
    default_kind: ItemKind,
}

struct Parser<'a> {
    src: &'a str,
    opts: &'a ParseOptions,
    /// What the compilation's elements look like.
    profile: &'a Profile,
    blocks: Vec<Block>,
    lines: LineIndex,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    title: Vec<String>,
    place: Option<String>,
    date: Option<(EditionDate, usize)>,
    masthead: Vec<String>,
    front: Vec<Section>,
    toc: Vec<toc::TocLine>,
    parts: Vec<Part>,
    part: Option<PartBuild>,
    meeting: Option<MeetingBuild>,
    year: Option<(i32, usize)>,
    contact: Option<String>,
    item_lines: BTreeMap<String, usize>,
    spans: BTreeMap<String, ItemSpan>,
    meeting_lines: Vec<usize>,
    meeting_keys: HashMap<String, usize>,
    /// For a key that has further sessions, the first number after `-`
    /// that may still be free (every one below it is taken).
    next_session: HashMap<String, usize>,
    /// A labelled heading outside any meeting was reported; its text is
    /// not reported again.
    orphaned: bool,
    /// The Word document the text was read from, to name places in it.
    derived: Option<&'a docx::Derived>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, opts: &'a ParseOptions, profile: &'a Profile) -> Self {
        let lines = LineIndex::new(src);
        let blocks = blocks::blocks(src, &lines);
        Parser {
            src,
            opts,
            profile,
            blocks,
            lines,
            errors: Vec::new(),
            warnings: Vec::new(),
            title: Vec::new(),
            place: None,
            date: None,
            masthead: Vec::new(),
            front: Vec::new(),
            toc: Vec::new(),
            parts: Vec::new(),
            part: None,
            meeting: None,
            year: None,
            contact: None,
            item_lines: BTreeMap::new(),
            spans: BTreeMap::new(),
            meeting_lines: Vec::new(),
            meeting_keys: HashMap::new(),
            next_session: HashMap::new(),
            orphaned: false,
            derived: None,
        }
    }

    fn source(&self, b: &Block) -> String {
        clean_source(&self.src[b.range.clone()])
    }

    /// Source text from the start of block `from` to the end of block `to`
    /// (inclusive), trimmed.
    fn span(&self, from: usize, to: usize) -> String {
        let start = self.blocks[from].range.start;
        let end = self.blocks[to].range.end;
        self.src[start..end].trim().to_string()
    }

    fn run(&mut self) {
        let n = self.blocks.len();
        let mut i = self.title_page();
        i = self.front_matter(i);
        let end = self.back_matter_start(i);
        while i < end {
            self.body_block(i);
            i += 1;
        }
        self.close_part();
        if end < n {
            let after = end + 1;
            if after < n {
                self.contact = Some(self.span(after, n - 1));
            }
        }
    }

    /// The title page: masthead lines, the title, and the place and date
    /// line. Returns the index of the first block after it.
    fn title_page(&mut self) -> usize {
        let mut seen_heading = false;
        let mut i = 0;
        while i < self.blocks.len() {
            let b = &self.blocks[i];
            if b.kind == Kind::Break {
                return i + 1;
            }
            let p = self.profile;
            if is_toc(p, b) || is_part(p, b).is_some() || is_year(p, b).is_some() {
                return i;
            }
            if b.is_heading() {
                if seen_heading {
                    return i;
                }
                seen_heading = true;
                self.title.push(b.plain.clone());
            } else if let Some((place, date)) = (b.kind == Kind::Paragraph)
                .then(|| self.profile.date_line(&b.plain))
                .flatten()
            {
                self.place = place;
                self.date = Some((date, b.line));
                return i + 1;
            } else if seen_heading {
                self.title.push(b.plain.clone());
            } else {
                let s = self.source(b);
                self.masthead.push(s);
            }
            i += 1;
        }
        i
    }

    /// Front-matter sections and the table of contents, up to the first
    /// part. Returns the index of the first part heading (or the end).
    fn front_matter(&mut self, mut i: usize) -> usize {
        // (title, first body block, last body block)
        let mut open: Option<(String, usize, Option<usize>)> = None;
        let mut in_toc = false;
        while i < self.blocks.len() {
            let b = self.blocks[i].clone();
            let b = &b;
            let p = self.profile;
            if is_part(p, b).is_some() || is_year(p, b).is_some() {
                break;
            }
            if is_toc(p, b) {
                self.close_section(open.take());
                in_toc = true;
            } else if b.level() == Some(p.levels.section) {
                self.close_section(open.take());
                in_toc = false;
                open = Some((b.plain.clone(), i + 1, None));
            } else if in_toc {
                let first_line = b.line;
                let src = &self.src[b.range.clone()];
                self.toc.extend(toc::read_lines(src, first_line));
            } else if let Some((_, _, last)) = open.as_mut() {
                if b.kind != Kind::Break {
                    *last = Some(i);
                }
            } else if b.kind != Kind::Break {
                let s = self.source(b);
                self.warnings.push(
                    Diagnostic::warning(
                        Code::StrayText,
                        Some(b.line),
                        "text between the title page and the first section is kept with the title page",
                    )
                    .with_hint("give it a heading of its own"),
                );
                self.masthead.push(s);
            }
            i += 1;
        }
        self.close_section(open);
        i
    }

    fn close_section(&mut self, open: Option<(String, usize, Option<usize>)>) {
        if let Some((title, first, last)) = open {
            let body = last.map(|l| self.span(first, l)).unwrap_or_default();
            self.front.push(Section { title, body });
        }
    }

    /// The index of the rule that ends the parts (after which only the
    /// contact line follows), or the number of blocks.
    fn back_matter_start(&self, from: usize) -> usize {
        let n = self.blocks.len();
        let Some(last_break) = (from..n)
            .rev()
            .find(|&i| self.blocks[i].kind == Kind::Break)
        else {
            return n;
        };
        let structural_after = self.blocks[last_break + 1..].iter().any(|b| {
            b.is_heading()
                || is_year(self.profile, b).is_some()
                || labelled(self.profile, b, self.opts.rules).is_some()
        });
        if structural_after { n } else { last_break }
    }

    fn body_block(&mut self, i: usize) {
        // Each body block is visited once: its text moves out, and its
        // kind, range and line stay for spans over it.
        let b = {
            let kept = &self.blocks[i];
            let hollow = Block {
                kind: kept.kind,
                range: kept.range.clone(),
                line: kept.line,
                plain: String::new(),
                links: Vec::new(),
                items: Vec::new(),
            };
            std::mem::replace(&mut self.blocks[i], hollow)
        };
        if b.kind == Kind::Break {
            return;
        }
        let p = self.profile;
        if b.is_heading() || is_year(p, &b).is_some() {
            self.orphaned = false;
        }
        if let Some((key, title)) = is_part(p, &b) {
            self.open_part(key, title, b.line);
        } else if let Some(year) = is_year(p, &b) {
            self.close_meeting();
            if let Some((prev, _)) = self.year
                && year < prev
            {
                self.warnings.push(Diagnostic::warning(
                    Code::YearOrder,
                    Some(b.line),
                    format!("the year {year} follows {prev}; years are expected in order"),
                )
                .with_hint("move the year's meetings to their place in date order, or correct the year"));
            }
            self.year = Some((year, b.line));
        } else if let Some((kind, label)) = labelled(p, &b, self.opts.rules) {
            self.open_labelled(kind, label, &b);
        } else if b.is_heading() || self.bold_meeting_heading(&b) {
            self.open_meeting(&b);
        } else if b.kind == Kind::List {
            self.list(&b);
        } else {
            let text = self.source(&b);
            self.paragraph(text, &b);
        }
    }

    fn open_part(&mut self, key: String, title: String, line: usize) {
        self.close_part();
        if self.parts.iter().any(|p| p.key == key) {
            self.errors.push(
                Diagnostic::error(
                    Code::PartRepeated,
                    Some(line),
                    format!("part {key} appears twice"),
                )
                .with_hint("give each part its own letter"),
            );
        }
        let default_kind = self.profile.part_kind(&title);
        self.year = None;
        self.part = Some(PartBuild {
            part: Part {
                key,
                title,
                meetings: Vec::new(),
            },
            line,
            default_kind,
        });
    }

    fn close_part(&mut self) {
        self.close_meeting();
        if let Some(pb) = self.part.take() {
            if pb.part.meetings.is_empty() {
                self.warnings.push(Diagnostic::warning(
                    Code::EmptyPart,
                    Some(pb.line),
                    format!("part {} has no meetings", pb.part.key),
                ));
            }
            self.parts.push(pb.part);
        }
    }

    /// Rules 4: a paragraph wholly in bold that reads as a meeting heading
    /// (it ends with the meeting's symbol or source) is one: a heading
    /// that a re-conversion of the document turned into a bold paragraph.
    fn bold_meeting_heading(&self, b: &Block) -> bool {
        // Most paragraphs are not bold from their start: they cost nothing.
        let raw = self.src[b.range.clone()].trim_start();
        if self.opts.rules < Rules::V4
            || b.kind != Kind::Paragraph
            || !(raw.starts_with("**") || raw.starts_with("__"))
        {
            return false;
        }
        let source = self.source(b);
        let source = source.trim();
        let wholly_bold = source.len() > 4
            && (source.starts_with("**") && source.ends_with("**")
                || source.starts_with("__") && source.ends_with("__"))
            && !source[2..source.len() - 2].contains("**");
        if !wholly_bold {
            return false;
        }
        let h = meeting_heading(self.profile, b, self.opts.rules);
        !h.body.is_empty() && (h.symbol.is_some() || h.source.is_some())
    }

    fn open_meeting(&mut self, b: &Block) {
        self.close_meeting();
        let Some(part) = self.part.as_ref() else {
            self.errors.push(
                Diagnostic::error(
                    Code::MeetingOutsidePart,
                    Some(b.line),
                    format!("the meeting \"{}\" comes before any part", b.plain),
                )
                .with_hint("add a part heading such as \"# A. Recommendations …\" above it"),
            );
            return;
        };
        let h = meeting_heading(self.profile, b, self.opts.rules);
        let symbol_year = h
            .symbol
            .as_deref()
            .and_then(|s| self.profile.symbol_year(s));
        let year = match (self.year, symbol_year) {
            (Some((y, _)), _) => y,
            (None, Some(y)) => y,
            (None, None) => {
                self.errors.push(
                    Diagnostic::error(
                        Code::MeetingWithoutYear,
                        Some(b.line),
                        format!("the meeting \"{}\" comes before any year line", h.body),
                    )
                    .with_hint("add a line with the year (such as 2023) above it"),
                );
                0
            }
        };
        if h.body.is_empty() {
            self.errors.push(
                Diagnostic::error(
                    Code::MeetingWithoutBody,
                    Some(b.line),
                    "a meeting heading names no body",
                )
                .with_hint("write the heading as \"Working Group on … (SYMBOL)\""),
            );
        }
        // Rules 4: a meeting is its symbol's, whatever corrigenda, addenda
        // or revisions the heading cites after it.
        let cited = h.symbol.as_deref().map(|s| {
            if self.opts.rules >= Rules::V4 {
                self.profile.split_citation(s).0
            } else {
                s
            }
        });
        let mut key = ids::meeting_key(&part.part.key, year, &h.body, cited);
        // Rules 2: a meeting without a symbol whose body already met that
        // year is another session of it (a resumed dialogue), not an
        // error: it gets the next free key.
        if self.opts.rules >= Rules::V2
            && h.symbol.is_none()
            && let Some(&first) = self.meeting_keys.get(&key)
        {
            let base = key.clone();
            // Keys are never freed, so the search goes on from where the
            // previous session of this key stopped: linear, not quadratic,
            // in the number of sessions.
            let mut n = self.next_session.get(&base).copied().unwrap_or(2);
            while self.meeting_keys.contains_key(&format!("{base}-{n}")) {
                n += 1;
            }
            self.next_session.insert(base.clone(), n + 1);
            key = format!("{base}-{n}");
            self.warnings.push(
                Diagnostic::warning(
                    Code::MeetingResumed,
                    Some(b.line),
                    format!(
                        "another meeting of {} in {year} (first at {}) is kept as a session of its own, {key}",
                        h.body,
                        place_name(self.derived, first)
                    ),
                )
                .with_hint("if it is the same meeting, merge the two headings into one"),
            );
        }
        if let Some(first) = self.meeting_keys.get(&key) {
            self.errors.push(
                Diagnostic::error(
                    Code::MeetingRepeated,
                    Some(b.line),
                    format!(
                        "the meeting {key} appears twice (first at {})",
                        place_name(self.derived, *first)
                    ),
                )
                .with_hint("merge the two meetings or correct the symbol of one"),
            );
        } else {
            self.meeting_keys.insert(key.clone(), b.line);
        }
        self.meeting = Some(MeetingBuild {
            meeting: Meeting {
                key: key.into(),
                part: part.part.key.clone(),
                year,
                kind: self.profile.meeting_kind(&h.body),
                body: h.body,
                symbol: h.symbol,
                source: h.source,
                link: h.link,
                items: Vec::new(),
            },
            line: b.line,
            items: Vec::new(),
            labelled_open: false,
        });
    }

    fn outside_meeting(&mut self, b: &Block, what: &str) {
        self.errors.push(
            Diagnostic::error(
                Code::ItemOutsideMeeting,
                Some(b.line),
                format!("{what} comes before any meeting heading"),
            )
            .with_hint(
                "add the meeting heading (such as \"## Working Group on … (SYMBOL)\") above it",
            ),
        );
    }

    fn open_labelled(&mut self, kind: ItemKind, label: String, b: &Block) {
        let Some(m) = self.meeting.as_mut() else {
            self.outside_meeting(b, &format!("\"{}\"", b.plain));
            self.orphaned = true;
            return;
        };
        m.labelled_open = true;
        m.items.push(ItemBuild {
            kind,
            label: Some(label),
            text: String::new(),
            subitems: Vec::new(),
            line: b.line,
            text_line: b.line,
            sub_lines: Vec::new(),
            text_breaks: Vec::new(),
            sub_breaks: Vec::new(),
            split_warned: false,
        });
    }

    fn paragraph(&mut self, text: String, b: &Block) {
        if self.meeting.is_none() && self.orphaned {
            return;
        }
        let Some(m) = self.meeting.as_mut() else {
            let what = if self.part.is_some() {
                "text"
            } else {
                "text after the front matter"
            };
            self.outside_meeting(b, what);
            return;
        };
        // A sub-item that a page break turned into a paragraph.
        if let Some((label, rest)) = self.profile.split_sublabel(&text)
            && let Some(item) = m.items.last_mut().filter(|it| !it.subitems.is_empty())
        {
            if !item.split_warned {
                item.split_warned = true;
                self.warnings.push(
                    Diagnostic::warning(
                        Code::SplitList,
                        Some(b.line),
                        format!(
                            "sub-item {label} continues the list of the item at {} as a separate paragraph (a page break in the source?); it is kept in that list",
                            place_name(self.derived, item.line)
                        ),
                    )
                    .with_hint(format!(
                        "write it as a list entry (\"- {label} …\") right after the ones before it"
                    )),
                );
            }
            item.subitems.push(SubItem { label, text: rest });
            item.sub_lines.push(b.line);
            item.sub_breaks.push(Vec::new());
            return;
        }
        // A paragraph cut in two by a page break: the first part ends
        // without final punctuation and the second goes on in lower case.
        // Rules 1 kept it as a second paragraph, or as a phantom
        // observation; it is one paragraph.
        if self.opts.rules >= Rules::V2
            && starts_in_lower_case(&text)
            && let Some(item) = m.items.last_mut()
            && (m.labelled_open || item.label.is_none())
        {
            let line = item.line;
            let (piece, breaks) = match item.subitems.last_mut() {
                Some(s) => (&mut s.text, item.sub_breaks.last_mut()),
                None => (&mut item.text, Some(&mut item.text_breaks)),
            };
            if !piece.is_empty() && !ends_a_sentence(piece) {
                piece.push(' ');
                if let Some(breaks) = breaks {
                    breaks.push((piece.len(), b.line));
                }
                piece.push_str(&text);
                self.warnings.push(
                    Diagnostic::warning(
                        Code::PageBreakParagraph,
                        Some(b.line),
                        format!(
                            "this paragraph continues mid-sentence the text of the item at {} (a page break in the source?); it is joined to it",
                            place_name(self.derived, line)
                        ),
                    )
                    .with_hint("join the two paragraphs in the source"),
                );
                return;
            }
        }
        if m.labelled_open
            && let Some(item) = m.items.last_mut()
        {
            if item.text.is_empty() {
                item.text = text;
                item.text_line = b.line;
            } else if let Some(last) = item.subitems.last_mut() {
                last.text.push_str("\n\n");
                if let Some(breaks) = item.sub_breaks.last_mut() {
                    breaks.push((last.text.len(), b.line));
                }
                last.text.push_str(&text);
                self.warnings.push(Diagnostic::warning(
                    Code::TextAfterList,
                    Some(b.line),
                    "a paragraph after a sub-list is kept with the last sub-item",
                ));
            } else {
                item.text.push_str("\n\n");
                item.text_breaks.push((item.text.len(), b.line));
                item.text.push_str(&text);
            }
            return;
        }
        let kind = self
            .part
            .as_ref()
            .map(|p| p.default_kind)
            .unwrap_or(self.profile.default_kind);
        m.items.push(ItemBuild {
            kind,
            label: None,
            text,
            subitems: Vec::new(),
            line: b.line,
            text_line: b.line,
            sub_lines: Vec::new(),
            text_breaks: Vec::new(),
            sub_breaks: Vec::new(),
            split_warned: false,
        });
    }

    fn list(&mut self, b: &Block) {
        if self.meeting.is_none() {
            self.outside_meeting(b, "a list");
            return;
        }
        let entries: Vec<String> = b
            .items
            .iter()
            .map(|r| list_item_text(&self.src[r.clone()]))
            .collect();
        let item_lines: Vec<usize> = b.items.iter().map(|r| self.lines.line(r.start)).collect();
        let default_kind = self
            .part
            .as_ref()
            .map(|p| p.default_kind)
            .unwrap_or(self.profile.default_kind);
        let Some(m) = self.meeting.as_mut() else {
            return;
        };
        match m.items.last_mut() {
            Some(item) => {
                for (e, line) in entries.into_iter().zip(item_lines) {
                    let (label, text) = self
                        .profile
                        .split_sublabel(&e)
                        .unwrap_or((String::new(), e));
                    item.subitems.push(SubItem { label, text });
                    item.sub_lines.push(line);
                    item.sub_breaks.push(Vec::new());
                }
            }
            // A list straight under a meeting heading: each entry is an item.
            None => {
                for (e, line) in entries.into_iter().zip(item_lines) {
                    m.items.push(ItemBuild {
                        kind: default_kind,
                        label: None,
                        text: e,
                        subitems: Vec::new(),
                        line,
                        text_line: line,
                        sub_lines: Vec::new(),
                        text_breaks: Vec::new(),
                        sub_breaks: Vec::new(),
                        split_warned: false,
                    });
                }
            }
        }
    }

    fn close_meeting(&mut self) {
        let Some(mb) = self.meeting.take() else {
            return;
        };
        let mut meeting = mb.meeting;
        let mut labels: HashMap<String, usize> = HashMap::new();
        let mut unlabelled = 0;
        let mut minted: std::collections::HashSet<String> = std::collections::HashSet::new();
        for ib in mb.items {
            let id = match &ib.label {
                Some(l) => {
                    if let Some(first) = labels.get(l) {
                        self.errors.push(
                            Diagnostic::error(
                                Code::LabelRepeated,
                                Some(ib.line),
                                format!(
                                    "{} label \"{l}\" repeats in {} (first at {})",
                                    ib.kind.as_str(),
                                    meeting.key,
                                    place_name(self.derived, *first)
                                ),
                            )
                            .with_hint("renumber one of the two, or merge them"),
                        );
                    } else {
                        labels.insert(l.clone(), ib.line);
                    }
                    ids::mint_item_id(&meeting.key, Some(l), 0)
                }
                None => {
                    unlabelled += 1;
                    ids::mint_item_id(&meeting.key, None, unlabelled)
                }
            };
            // Rules 2: an item labelled `o<n>` and the n-th unlabelled one
            // would share an id; the later one gets the id the import
            // would give it (`…#o1~2` for a label, the next `…#o<n>` for an
            // unlabelled item), so findings keep their lines.
            let id = if self.opts.rules >= Rules::V2 && minted.contains(&id) {
                match &ib.label {
                    Some(_) => {
                        let mut n = 2;
                        while minted.contains(&format!("{id}~{n}")) {
                            n += 1;
                        }
                        format!("{id}~{n}")
                    }
                    None => {
                        let prefix = format!("{}#o", meeting.key);
                        let max = minted
                            .iter()
                            .filter_map(|m| m.strip_prefix(&prefix)?.parse::<usize>().ok())
                            .max()
                            .unwrap_or(0);
                        format!("{prefix}{}", max + 1)
                    }
                }
            } else {
                id
            };
            minted.insert(id.clone());
            if ib.text.is_empty() {
                let name = ib
                    .label
                    .as_ref()
                    .map(|l| format!("{} {l}", capitalised(ib.kind.as_str())))
                    .unwrap_or_else(|| "an item".to_string());
                self.errors.push(
                    Diagnostic::error(
                        Code::ItemWithoutText,
                        Some(ib.line),
                        format!("{name} has no text"),
                    )
                    .with_hint("add its text below the heading, or remove the heading"),
                );
            }
            page_artefacts(
                self.profile,
                &id,
                &ib.text,
                ib.text_line,
                &ib.text_breaks,
                &mut self.warnings,
            );
            for ((sub, &line), breaks) in ib.subitems.iter().zip(&ib.sub_lines).zip(&ib.sub_breaks)
            {
                page_artefacts(
                    self.profile,
                    &id,
                    &sub.text,
                    line,
                    breaks,
                    &mut self.warnings,
                );
            }
            self.item_lines.insert(id.clone(), ib.line);
            self.spans.insert(
                id.clone(),
                ItemSpan {
                    line: ib.line,
                    text_line: ib.text_line,
                    text_breaks: ib.text_breaks,
                    sub_lines: ib.sub_lines,
                    sub_breaks: ib.sub_breaks,
                },
            );
            meeting.items.push(Item {
                id: id.into(),
                kind: ib.kind,
                label: ib.label,
                text: ib.text,
                subitems: ib.subitems,
            });
        }
        if meeting.items.is_empty() {
            self.warnings.push(Diagnostic::warning(
                Code::EmptyMeeting,
                Some(mb.line),
                format!("the meeting {} has no items", meeting.key),
            )
            .with_hint("add its recommendations or observations under its heading, or remove the heading"));
        }
        self.item_lines.insert(meeting.key.to_string(), mb.line);
        self.meeting_lines.push(mb.line);
        if let Some(p) = self.part.as_mut() {
            p.part.meetings.push(meeting);
        }
    }

    fn finish(mut self, file: &str) -> Result<Parsed, ParseError> {
        if self.parts.is_empty() {
            self.errors.push(
                Diagnostic::error(Code::NoParts, None, "the document has no parts (neither Part A nor Part B)")
                    .with_hint("the compilation's parts start with headings such as \"# A. Recommendations by …\" and \"# B. Observations by …\""),
            );
        }
        let date = match (self.opts.date, self.date) {
            (Some(flag), Some((doc, line))) => {
                let agrees = flag == doc
                    || (!doc.has_day()
                        && flag.naive().format("%Y-%m").to_string() == doc.to_string());
                if !agrees {
                    self.warnings.push(Diagnostic::warning(
                        Code::DateMismatch,
                        Some(line),
                        format!(
                            "the document says {} but --date says {}; the edition is dated {}",
                            doc.long(),
                            flag,
                            flag
                        ),
                    ));
                }
                Some(flag)
            }
            (Some(flag), None) => Some(flag),
            (None, Some((doc, _))) => Some(doc),
            (None, None) => {
                self.errors.push(
                    Diagnostic::error(
                        Code::NoDate,
                        None,
                        "the document has no date line (such as \"Vienna, April 2024\")",
                    )
                    .with_hint("add that line under the title, or pass --date YYYY-MM"),
                );
                None
            }
        };
        let title = collapse_ws(&self.title.join(" "));
        if title.is_empty() && self.errors.is_empty() {
            self.warnings.push(Diagnostic::warning(
                Code::NoTitle,
                Some(1),
                "the document has no title heading",
            ));
        }
        if !self.errors.is_empty() {
            self.errors.sort_by_key(|d| d.line);
            // At most so many of each kind, as every finding is reported.
            return Err(ParseError {
                file: file.to_string(),
                errors: check::capped(self.errors, &[]),
                warnings: check::capped(self.warnings, &[]),
            });
        }
        let date = date.expect("a missing date is reported as an error above");
        let edition = Edition {
            id: self.opts.id.to_string(),
            title,
            place: self.place.take(),
            date,
            masthead: std::mem::take(&mut self.masthead),
            front_matter: std::mem::take(&mut self.front),
            parts: std::mem::take(&mut self.parts),
            contact: self.contact.take(),
        };
        let toc_lines = std::mem::take(&mut self.toc);
        toc::check(
            self.profile,
            &toc_lines,
            &edition,
            &self.meeting_lines,
            &mut self.warnings,
        );
        self.warnings.sort_by_key(|d| d.line);
        debug_assert!(
            self.warnings
                .iter()
                .all(|w| w.severity == Severity::Warning)
        );
        Ok(Parsed {
            edition,
            warnings: self.warnings,
            lines: self.item_lines,
            spans: self.spans,
            derived: None,
        })
    }
}

/// Reports numbers such as "7/7" inside an item's text: page numbers that
/// the PDF conversion left behind ("law 7/7 enforcement"). Citations such as
/// "resolution 9/1" are not reported ([`Profile::page_numbers`]).
fn page_artefacts(
    profile: &Profile,
    id: &str,
    text: &str,
    first_line: usize,
    breaks: &[(usize, usize)],
    out: &mut Vec<Diagnostic>,
) {
    let found = profile.page_numbers(text);
    if found.is_empty() {
        return;
    }
    let mut lines = crate::diagnostic::Lines::new(text, first_line, breaks);
    for (offset, a, z) in found {
        let line = lines.line_of(offset);
        out.push(
            Diagnostic::warning(
                Code::PageArtefact,
                Some(line),
                format!("\"{a}/{z}\" inside the text of {id} looks like a page number left over from the PDF"),
            )
            .with_hint("remove it from the source if it is not part of the text"),
        );
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// The meeting kinds the tests name, which this module no longer does
// (the profile classifies meetings).
#[cfg(test)]
use crate::model::MeetingKind;

#[cfg(test)]
mod tests;
