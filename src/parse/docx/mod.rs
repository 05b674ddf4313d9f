//! A Word document (.docx) read as the Markdown the importer reads.
//!
//! Structure comes from what Word authors use: heading styles (Heading 1–9,
//! Title, and a document's own styles through their outline level), bold
//! and italic runs, Word numbering (bullets, `(a)`, `1.`), hyperlinks with
//! their targets, and the table of contents field, whose entries are read
//! only to be checked, as in Markdown. The document is read as if its
//! tracked changes were accepted. Each Markdown block remembers the Word
//! paragraph it came from, so that findings name a paragraph and the
//! heading it is under, since a .docx has no lines.

/// The version of this reader's behaviour, recorded with each edition cut
/// from a .docx (as the parsing rules are), so that `verify` tells a
/// reader that reads an old document otherwise today from a document that
/// was altered.
///
/// | version | reads |
/// |---|---|
/// | (none) | builds before readers had versions |
/// | 2 | lists by meaning: an empty entry with a deeper one is one entry, a letter's punctuation (`a.`, `a)`, `(a)`) is typography and its label is `(a)`, levels defined anew and list styles read; an outline number is no part of a heading; text escaped only where it would read as syntax (`[sic]`, `A_B_C` as they are); styles without an id ignored; a drawn rule is a rule; line ends inside a paragraph never structure; bounded numbering and style names (see docs/reference/importer.md) |
pub const READER: u32 = 2;

mod archive;
mod styles;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use quick_xml::events::{BytesStart, Event};

use crate::diagnostic::{Code, Diagnostic, Place};
use crate::profile::Profile;
use crate::text::{Escaping, escape_markdown};
use archive::relationships;
use styles::{Marker, Numbering, Styles, TocRole, attr, toggle};

pub use archive::{MAX_PART_BYTES, MAX_TOTAL_BYTES, looks_like_word};

/// A Word document as Markdown, with where each line came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derived {
    pub markdown: String,
    /// The first Markdown line (1-based) of each block and the place of
    /// the paragraph it came from, in order.
    places: Vec<(usize, Place)>,
    /// What reading the document found that the importer should report.
    pub warnings: Vec<Diagnostic>,
}

impl Derived {
    /// The Word paragraph a Markdown line came from.
    pub fn place_of(&self, line: usize) -> Option<&Place> {
        let at = self.places.partition_point(|(l, _)| *l <= line);
        at.checked_sub(1).map(|i| &self.places[i].1)
    }

    /// Gives each finding the Word paragraph of its line.
    pub fn relocate(&self, list: &mut [Diagnostic]) {
        for d in list {
            if d.place.is_none()
                && let Some(line) = d.line
            {
                d.place = self.place_of(line).cloned();
            }
        }
    }

    /// The paragraph a Markdown line came from, as a message says it.
    pub fn describe(&self, line: usize) -> String {
        match self.place_of(line) {
            Some(p) => format!("paragraph {}", p.paragraph),
            None => format!("line {line} of the derived Markdown"),
        }
    }
}

/// Reads a .docx into Markdown.
pub fn to_markdown(bytes: &[u8]) -> Result<Derived, Diagnostic> {
    let pkg = archive::open(bytes)?;
    let styles = Styles::read(pkg.styles.as_deref());
    let mut numbering = Numbering::read(pkg.numbering.as_deref());
    numbering.link_styles(&styles);
    let links = pkg
        .document_rels
        .as_deref()
        .map(relationships)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.kind.ends_with("/hyperlink"))
        .map(|r| (r.id, r.target))
        .collect();
    let bookmarks = bookmarks(&pkg.document);
    let mut w = Walker {
        styles,
        numbering,
        links,
        bookmarks,
        out: Writer::default(),
        para: None,
        paragraphs: 0,
        fields: Vec::new(),
        toc_depth: 0,
        tracked: false,
        text_box: None,
    };
    w.walk(&pkg.document)?;
    if w.out.overflow {
        return Err(Diagnostic::error(
            Code::DocxTooLarge,
            None,
            format!(
                "the Word document reads as more than {} MiB of text, far more than a compilation holds",
                MAX_DERIVED_BYTES >> 20
            ),
        )
        .with_hint("check that the file is the compilation; open it in Word and save it again"));
    }
    if w.numbering.oversized > 0 {
        w.out.warnings.push(
            Diagnostic::warning(
                Code::DocxNumbering,
                None,
                format!(
                    "{} of the Word document's list numbers are longer than {} characters and were not read (their paragraphs read as bullets)",
                    w.numbering.oversized,
                    styles::MAX_MARKER
                ),
            )
            .with_hint("number those lists with Word's own formats, (a), 1. or i."),
        );
    }
    Ok(w.out.finish())
}

/// The most Markdown a Word document may read as: as much as its largest
/// part may hold ([`MAX_PART_BYTES`]). List numbers and breaks add text
/// the document does not hold; a document that reads as more is refused
/// rather than read into memory without end.
pub const MAX_DERIVED_BYTES: usize = MAX_PART_BYTES as usize;

/// The names of the document's bookmarks, for internal links.
fn bookmarks(xml: &str) -> HashSet<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = HashSet::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "bookmarkStart" => {
                if let Some(n) = attr(&e, "name") {
                    out.insert(n);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// One piece of a paragraph's text with its formatting.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        link: Option<String>,
    },
    Break,
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct Para {
    style: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    /// `numId` 0 on the paragraph: numbering its style gives is off.
    num_off: bool,
    pieces: Vec<Piece>,
    /// A horizontal rule drawn in it (pandoc's, or a bottom border).
    rule: bool,
    /// Whether it is inside a table of contents field.
    in_toc: bool,
    number: usize,
}

/// A run's formatting.
#[derive(Debug, Default, Clone, Copy)]
struct RunFormat {
    bold: Option<bool>,
    italic: Option<bool>,
}

#[derive(Debug)]
struct Field {
    instr: String,
    result: bool,
    kind: FieldKind,
    /// The link its result's text has: its own, or the enclosing field's
    /// (kept here so that a text finds it without walking every open
    /// field: 200,000 fields left open cost linear time).
    link: Option<String>,
    /// The paragraph it begins in.
    paragraph: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum FieldKind {
    Unknown,
    Link(String),
    Toc,
}

impl FieldKind {
    fn of(instr: &str) -> FieldKind {
        let t = instr.trim();
        let mut words = t.split_whitespace();
        match words.next().map(str::to_ascii_uppercase).as_deref() {
            Some("TOC") => FieldKind::Toc,
            Some("HYPERLINK") => {
                // HYPERLINK "url" [\l "anchor"]
                let quoted: Vec<&str> = t.split('"').skip(1).step_by(2).collect();
                let anchor = t.contains("\\l");
                match (quoted.first(), quoted.get(1), anchor) {
                    (Some(u), Some(a), true) => FieldKind::Link(format!("{u}#{a}")),
                    (Some(a), None, true) => FieldKind::Link(format!("#{a}")),
                    (Some(u), _, false) => FieldKind::Link((*u).to_string()),
                    _ => match words.next() {
                        Some(u) => FieldKind::Link(u.to_string()),
                        None => FieldKind::Unknown,
                    },
                }
            }
            _ => FieldKind::Unknown,
        }
    }
}

struct Walker {
    styles: Styles,
    numbering: Numbering,
    links: std::collections::HashMap<String, String>,
    bookmarks: HashSet<String>,
    out: Writer,
    para: Option<Para>,
    paragraphs: usize,
    /// Complex fields open, innermost last; they may span paragraphs.
    fields: Vec<Field>,
    /// How many table of contents fields are open.
    toc_depth: usize,
    tracked: bool,
    /// The paragraph of the first text box, whose text is not read.
    text_box: Option<usize>,
}

/// Elements whose content is not the document's text: deleted text of
/// tracked changes, earlier formatting, drawings and text boxes, notes.
fn skipped(local: &str) -> bool {
    matches!(
        local,
        "del"
            | "moveFrom"
            | "delText"
            | "drawing"
            | "object"
            | "txbxContent"
            | "AlternateContent"
            | "footnoteReference"
            | "endnoteReference"
            | "commentReference"
            | "fldData"
            | "sectPr"
    ) || local.ends_with("PrChange")
        || local == "numberingChange"
}

impl Walker {
    fn walk(&mut self, xml: &str) -> Result<(), Diagnostic> {
        let mut reader = quick_xml::Reader::from_str(xml);
        // Local names of the open elements.
        let mut stack: Vec<String> = Vec::new();
        // The depth at which a skipped element was entered.
        let mut skip: Option<usize> = None;
        let mut format = RunFormat::default();
        let mut in_rpr = false;
        let mut in_ppr = false;
        let mut link: Vec<Option<String>> = Vec::new();
        loop {
            let ev = reader.read_event().map_err(|e| {
                Diagnostic::error(
                    Code::DocxXml,
                    None,
                    format!(
                        "the Word document's XML is damaged after paragraph {}: {e}",
                        self.paragraphs
                    ),
                )
                .with_hint("open the document in Word, save it again, and try again")
            })?;
            match ev {
                Event::Start(e) => {
                    let local = e.local_name().as_ref().to_string();
                    stack.push(local.clone());
                    if skip.is_some() {
                        continue;
                    }
                    if skipped(&local) {
                        if matches!(local.as_str(), "del" | "moveFrom")
                            || local.ends_with("PrChange")
                        {
                            self.tracked = true;
                        }
                        if matches!(
                            local.as_str(),
                            "AlternateContent" | "drawing" | "txbxContent"
                        ) && holds_text_box(xml, &reader)
                            && self.text_box.is_none()
                        {
                            self.text_box = Some(self.paragraphs);
                        } else if matches!(local.as_str(), "AlternateContent" | "drawing")
                            && draws_a_rule(xml, &reader)
                            && let Some(p) = self.para.as_mut()
                        {
                            p.rule = true;
                        }
                        skip = Some(stack.len());
                        continue;
                    }
                    match local.as_str() {
                        "pict" => {
                            if horizontal_rule(xml, &reader)
                                && let Some(p) = self.para.as_mut()
                            {
                                p.rule = true;
                            }
                            skip = Some(stack.len());
                        }
                        // Each open link element keeps the link its text has,
                        // its own or the enclosing one's: the innermost is
                        // the last, whatever the nesting.
                        "hyperlink" => {
                            let own = self.hyperlink(&e);
                            link.push(own.or_else(|| link.last().cloned().flatten()));
                        }
                        "fldSimple" => {
                            let instr = attr(&e, "instr").unwrap_or_default();
                            let own = match FieldKind::of(&instr) {
                                FieldKind::Link(u) => Some(self.target(&u)),
                                _ => None,
                            };
                            link.push(own.or_else(|| link.last().cloned().flatten()));
                        }
                        "ins" | "moveTo" => self.tracked = true,
                        // Each run starts with no formatting of its own.
                        "r" => format = RunFormat::default(),
                        _ => self.element(&e, &local, &mut format, &mut in_rpr, &mut in_ppr, &link),
                    }
                }
                Event::Empty(e) => {
                    if skip.is_some() {
                        continue;
                    }
                    let local = e.local_name().as_ref().to_string();
                    if skipped(&local) {
                        continue;
                    }
                    if local == "p" {
                        self.open_paragraph();
                        self.close_paragraph();
                        continue;
                    }
                    self.element(&e, &local, &mut format, &mut in_rpr, &mut in_ppr, &link);
                }
                Event::End(e) => {
                    let depth = stack.len();
                    stack.pop();
                    if let Some(d) = skip {
                        if d == depth {
                            skip = None;
                        }
                        continue;
                    }
                    match e.local_name().as_ref() {
                        "p" => self.close_paragraph(),
                        "r" => format = RunFormat::default(),
                        "rPr" => in_rpr = false,
                        "pPr" => in_ppr = false,
                        "hyperlink" | "fldSimple" => {
                            link.pop();
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if skip.is_none() => {
                    let top = stack.last().map(String::as_str);
                    self.characters(top, &t.xml10_content(), format, &link);
                }
                Event::GeneralRef(r) if skip.is_none() => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = c {
                        let top = stack.last().map(String::as_str);
                        self.characters(top, c.encode_utf8(&mut [0; 4]), format, &link);
                    }
                }
                Event::CData(t)
                    if skip.is_none() && stack.last().map(String::as_str) == Some("t") =>
                {
                    let s = t.into_inner().into_owned();
                    self.text(&s, format, &link);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        self.close_paragraph();
        if let Some(n) = self.text_box {
            self.out.warnings.push(
                Diagnostic::warning(
                    Code::DocxTextBox,
                    None,
                    format!("paragraph {n} holds a text box or shape; text in text boxes is not read"),
                )
                .with_hint("if it holds text of the compilation (a title, a date line), move that text into the body as paragraphs"),
            );
        }
        if let Some(first) = self.fields.first() {
            self.out.warnings.push(
                Diagnostic::warning(
                    Code::DocxXml,
                    None,
                    format!(
                        "{} fields of the Word document never end, the first begun in paragraph {}: the text after it that is not a field's result was not read",
                        self.fields.len(),
                        first.paragraph
                    ),
                )
                .with_hint("open the document in Word and save it again, or remove the broken field (Alt+F9 shows field codes)"),
            );
        }
        if self.tracked {
            self.out.warnings.push(Diagnostic::warning(
                Code::DocxTrackedChanges,
                None,
                "the Word document has tracked changes; it was read as if they were all accepted",
            ).with_hint("accept or reject the changes in Word (Review > Accept) before the edition is cut"));
        }
        Ok(())
    }

    /// An element inside a paragraph or its properties.
    fn element(
        &mut self,
        e: &BytesStart<'_>,
        local: &str,
        format: &mut RunFormat,
        in_rpr: &mut bool,
        in_ppr: &mut bool,
        link: &[Option<String>],
    ) {
        match local {
            "p" => self.open_paragraph(),
            "pPr" => *in_ppr = true,
            "rPr" => *in_rpr = true,
            _ => {}
        }
        let Some(p) = self.para.as_mut() else {
            return;
        };
        match local {
            // Paragraph properties; the paragraph mark's own run
            // properties (`pPr/rPr`) are not a run's.
            "pStyle" if *in_ppr => p.style = attr(e, "val"),
            "outlineLvl" if *in_ppr => p.outline = attr(e, "val").and_then(|v| v.parse().ok()),
            "numId" if *in_ppr => {
                let id = attr(e, "val").unwrap_or_default();
                if id == "0" {
                    p.num_off = true;
                } else {
                    let ilvl = p.num.as_ref().map_or(0, |n| n.1);
                    p.num = Some((id, ilvl));
                }
            }
            "ilvl" if *in_ppr => {
                let l = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0u8);
                match p.num.as_mut() {
                    Some(n) => n.1 = l,
                    None => p.num = Some((String::new(), l)),
                }
            }
            "bottom" if *in_ppr && attr(e, "val").is_some_and(|v| v != "none" && v != "nil") => {
                p.rule = true;
            }
            "b" if *in_rpr && !*in_ppr => format.bold = Some(toggle(e)),
            "i" if *in_rpr && !*in_ppr => format.italic = Some(toggle(e)),
            "rStyle" if *in_rpr && !*in_ppr => {
                let (b, i) = self.styles.run_format(&attr(e, "val").unwrap_or_default());
                format.bold = format.bold.or(b);
                format.italic = format.italic.or(i);
            }
            "tab" if !*in_ppr => self.text("\t", *format, link),
            "br" | "cr" if !*in_ppr => {
                // A page or column break is layout, not text.
                // Breaks in a row are one (see `inline`).
                if !matches!(attr(e, "type").as_deref(), Some("page" | "column"))
                    && let Some(p) = self.para.as_mut()
                    && p.pieces.last() != Some(&Piece::Break)
                {
                    p.pieces.push(Piece::Break);
                }
            }
            "noBreakHyphen" => self.text("-", *format, link),
            "fldChar" => self.field_char(e),
            _ => {}
        }
    }

    fn field_char(&mut self, e: &BytesStart<'_>) {
        match attr(e, "fldCharType").as_deref() {
            Some("begin") => {
                let link = self.fields.last().and_then(|f| f.link.clone());
                self.fields.push(Field {
                    instr: String::new(),
                    result: false,
                    kind: FieldKind::Unknown,
                    link,
                    paragraph: self.paragraphs,
                });
            }
            Some("separate") => {
                if let Some(f) = self.fields.last_mut() {
                    f.result = true;
                    f.kind = FieldKind::of(&f.instr);
                    if f.kind == FieldKind::Toc {
                        self.toc_depth += 1;
                    }
                }
                let own = match self.fields.last().map(|f| &f.kind) {
                    Some(FieldKind::Link(u)) => Some(self.target(u)),
                    _ => None,
                };
                if let (Some(own), Some(f)) = (own, self.fields.last_mut()) {
                    f.link = Some(own);
                }
            }
            Some("end") => {
                if let Some(f) = self.fields.pop()
                    && f.kind == FieldKind::Toc
                {
                    self.toc_depth = self.toc_depth.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    fn hyperlink(&self, e: &BytesStart<'_>) -> Option<String> {
        let anchor = attr(e, "anchor");
        match (
            attr(e, "id").and_then(|id| self.links.get(&id).cloned()),
            anchor,
        ) {
            (Some(url), Some(a)) => Some(format!("{url}#{a}")),
            (Some(url), None) => Some(url),
            (None, Some(a)) => Some(self.target(&format!("#{a}"))),
            (None, None) => None,
        }
    }

    /// A link target as Markdown keeps it: an anchor that names no
    /// bookmark of the document (pandoc writes `#` so) is `#`.
    fn target(&self, t: &str) -> String {
        match t.strip_prefix('#') {
            Some(a) if !self.bookmarks.contains(a) => "#".to_string(),
            _ => t.to_string(),
        }
    }

    /// Characters inside `element`: text of a run (`w:t`), or of a
    /// field's instructions (`w:instrText`); anything else is not text.
    fn characters(
        &mut self,
        element: Option<&str>,
        s: &str,
        format: RunFormat,
        link: &[Option<String>],
    ) {
        match element {
            Some("t") => self.text(s, format, link),
            Some("instrText") => {
                if let Some(f) = self.fields.last_mut()
                    && !f.result
                {
                    f.instr.push_str(s);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, s: &str, format: RunFormat, link: &[Option<String>]) {
        // Text of a field's instructions is not shown; its result is; and
        // text outside a paragraph is no paragraph's.
        if self.para.is_none() || self.fields.last().is_some_and(|f| !f.result) {
            return;
        }
        let link = link
            .last()
            .cloned()
            .flatten()
            .or_else(|| self.fields.last().and_then(|f| f.link.clone()));
        let Some(p) = self.para.as_mut() else {
            return;
        };
        // A line end inside a run's text (`&#10;`, `&#13;`) is no line of
        // the document: Word shows it as a space. Only a break element
        // breaks a line, and no line a paragraph holds becomes structure.
        let text = if s.contains(LINE_ENDS) {
            s.replace(LINE_ENDS, " ")
        } else {
            s.to_string()
        };
        let (bold, italic) = (format.bold.unwrap_or(false), format.italic.unwrap_or(false));
        // Runs of one formatting are one piece: a paragraph of a million
        // runs costs its text, not a million pieces.
        if let Some(Piece::Text {
            text: last,
            bold: b,
            italic: i,
            link: l,
        }) = p.pieces.last_mut()
            && *b == bold
            && *i == italic
            && *l == link
        {
            last.push_str(&text);
            return;
        }
        p.pieces.push(Piece::Text {
            text,
            bold,
            italic,
            link,
        });
    }

    fn open_paragraph(&mut self) {
        self.close_paragraph();
        self.paragraphs += 1;
        self.para = Some(Para {
            number: self.paragraphs,
            in_toc: self.toc_depth > 0,
            ..Para::default()
        });
    }

    fn close_paragraph(&mut self) {
        let Some(mut p) = self.para.take() else {
            return;
        };
        // A paragraph whose TOC field begins inside it is an entry too.
        p.in_toc |= self.toc_depth > 0;
        let style = p.style.clone().unwrap_or_default();
        let heading = match p.outline {
            Some(l) if l < 9 => Some(l + 1),
            Some(_) => None,
            None => self.styles.heading_level(&style),
        };
        let toc_role = self.styles.toc_role(&style);
        let num = if p.num_off {
            None
        } else {
            match p.num.take() {
                Some((id, l)) if !id.is_empty() => Some((id, l)),
                Some((_, l)) => self.styles.numbering(&style).map(|(id, _)| (id, l)),
                None => self.styles.numbering(&style),
            }
        };
        let place = |w: &Writer, level: Option<u8>| Place {
            paragraph: p.number,
            heading: w.under(level),
        };
        if toc_role == Some(TocRole::Heading) {
            let text = plain(&p.pieces);
            let place = place(&self.out, Some(1));
            self.out.heading(1, &text, &text, place);
            return;
        }
        if p.in_toc || toc_role == Some(TocRole::Entry) {
            let text = entry_text(&p.pieces);
            let place = place(&self.out, None);
            self.out.toc_entry(&text, place);
            return;
        }
        let place = place(&self.out, heading.map(|l| l.min(6)));
        if let Some(level) = heading {
            let mut md = inline(&p.pieces).replace('\n', " ");
            let mut text = plain(&p.pieces);
            // A numbered heading's number is text that Word prints: the
            // part's `A.` or a label's `Recommendation 14` may be it. An
            // outline number (`1.`, `2.1`) is the heading's place in the
            // document's outline, which is layout, not its name.
            if let Some((id, ilvl)) = &num
                && let Some(Marker::Text(t)) = self.numbering.next(id, *ilvl)
                && !is_outline_number(&t)
            {
                md = format!("{} {md}", escape(&t)).trim_end().to_string();
                text = format!("{t} {text}").trim_end().to_string();
            }
            self.out.heading(level.min(6), &md, &text, place);
            return;
        }
        if let Some((id, ilvl)) = num
            && let Some(marker) = self.numbering.next(&id, ilvl)
        {
            self.out
                .list_entry(ilvl, marker, &inline_text(&p.pieces), place);
            return;
        }
        let md = inline(&p.pieces);
        if md.trim().is_empty() {
            if p.rule {
                self.out.block("---", place);
            }
            return;
        }
        self.out.block(&md, place);
        if p.rule {
            let place = Place {
                paragraph: p.number,
                heading: self.out.under(None),
            };
            self.out.block("---", place);
        }
    }
}

/// Characters that end a line in text but are no line break of Word's.
const LINE_ENDS: [char; 6] = ['\n', '\r', '\u{b}', '\u{c}', '\u{2028}', '\u{2029}'];

/// How far ahead of the reader a drawing is looked into: a drawing's
/// few elements fit, and a document of many drawings costs linear time.
const LOOK_AHEAD: usize = 16 * 1024;

/// The document from the reader's position, at most [`LOOK_AHEAD`] bytes
/// (cut at a character boundary).
fn ahead<'x>(xml: &'x str, reader: &quick_xml::Reader<&[u8]>) -> &'x str {
    let at = (reader.buffer_position() as usize).min(xml.len());
    let mut end = (at + LOOK_AHEAD).min(xml.len());
    while !xml.is_char_boundary(end) {
        end -= 1;
    }
    xml.get(at..end).unwrap_or("")
}

/// Whether the `<w:pict>` the reader is in draws a horizontal rule
/// (`<v:rect … o:hr="t"/>`, as Word and pandoc write one).
fn horizontal_rule(xml: &str, reader: &quick_xml::Reader<&[u8]>) -> bool {
    let rest = ahead(xml, reader);
    let end = rest.find("pict>").unwrap_or(rest.len());
    rest[..end].contains("hr=\"t\"")
}

/// Whether the drawing the reader is at holds a text box (looked for up
/// to the first paragraph mark after it, which a text box's own
/// paragraphs come after).
fn holds_text_box(xml: &str, reader: &quick_xml::Reader<&[u8]>) -> bool {
    let rest = ahead(xml, reader);
    let end = rest.find(":p>").unwrap_or(rest.len());
    rest[..end].contains("txbxContent")
}

/// Whether the drawing the reader is at is a horizontal rule drawn as a
/// shape: a rectangle or line far wider than it is high (at most 3 pt),
/// as LibreOffice writes the rule of a document it saves as Word.
fn draws_a_rule(xml: &str, reader: &quick_xml::Reader<&[u8]>) -> bool {
    let rest = ahead(xml, reader);
    // Up to the drawing's end tag (`</w:drawing>`, `</mc:AlternateContent>`).
    let closing = |local: &str| {
        rest.match_indices(local).map(|(at, _)| at).find(|&at| {
            rest[..at]
                .rfind('<')
                .is_some_and(|lt| rest[lt..].starts_with("</"))
        })
    };
    let end = closing("drawing>")
        .or_else(|| closing("AlternateContent>"))
        .unwrap_or(rest.len());
    let d = &rest[..end];
    let number = |key: &str| -> Option<u64> {
        let at = d.find(key)? + key.len();
        let digits: String = d[at..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let shape = d.contains("prst=\"rect\"") || d.contains("prst=\"line\"");
    let (Some(cx), Some(cy)) = (number("cx=\""), number("cy=\"")) else {
        return false;
    };
    // 3 pt is 38,100 EMU.
    shape && !d.contains("txbx") && !d.contains("pic:") && cy <= 38_100 && cx >= 20 * cy.max(1)
}

/// The text of pieces without formatting, a break a space.
fn raw_text(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Text { text, .. } => s.push_str(text),
            Piece::Break => s.push(' '),
        }
    }
    s
}

/// The text of pieces without formatting, whitespace collapsed.
fn plain(pieces: &[Piece]) -> String {
    raw_text(pieces)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a contents entry: whitespace collapsed, but a run of it
/// that holds a tab is a tab, which sets the page number apart from the
/// entry's words ("… Smuggling of Migrants 2<tab>7").
fn entry_text(pieces: &[Piece]) -> String {
    let raw = raw_text(pieces);
    let mut out = String::with_capacity(raw.len());
    let mut gap: Option<bool> = None;
    for c in raw.trim().chars() {
        if c.is_whitespace() {
            let tab = gap.unwrap_or(false) || c == '\t';
            gap = Some(tab);
            continue;
        }
        if let Some(tab) = gap.take() {
            out.push(if tab { '\t' } else { ' ' });
        }
        out.push(c);
    }
    out
}

/// Pieces as Markdown inline text: emphasis, links, hard line breaks,
/// and every character that would read as Markdown syntax escaped.
fn inline(pieces: &[Piece]) -> String {
    escape_line_starts(&inline_text(pieces), false)
}

/// [`inline`] without block syntax at the line starts escaped: what a list
/// entry escapes itself, keeping a number that follows its bullet.
fn inline_text(pieces: &[Piece]) -> String {
    // Merge neighbours of one formatting and link.
    let mut merged: Vec<Piece> = Vec::new();
    for p in pieces {
        match (merged.last_mut(), p) {
            (
                Some(Piece::Text {
                    text,
                    bold,
                    italic,
                    link,
                }),
                Piece::Text {
                    text: t,
                    bold: b,
                    italic: i,
                    link: l,
                },
            ) if bold == b && italic == i && link == l => text.push_str(t),
            _ => merged.push(p.clone()),
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < merged.len() {
        match &merged[i] {
            Piece::Break => {
                // One line break, never a blank line (two breaks in a row,
                // Shift+Enter twice, or breaks around nothing but spaces
                // would end the paragraph and start another, whose first
                // line might read as a label or a heading): a paragraph of
                // Word's is one paragraph, whatever it holds.
                let kept = out.trim_end_matches([' ', '\t']).len();
                out.truncate(kept);
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push_str("  \n");
                }
                i += 1;
            }
            Piece::Text { link: None, .. } => {
                out.push_str(&emphasised(&merged[i]));
                i += 1;
            }
            Piece::Text {
                link: Some(dest), ..
            } => {
                let mut j = i;
                let mut inner = String::new();
                while let Some(p @ Piece::Text { link: Some(d), .. }) = merged.get(j)
                    && d == dest
                {
                    inner.push_str(&emphasised(p));
                    j += 1;
                }
                out.push('[');
                out.push_str(&inner);
                out.push_str("](");
                out.push_str(&destination(dest));
                out.push(')');
                i = j;
            }
        }
    }
    out.trim().to_string()
}

fn destination(d: &str) -> String {
    if d.chars()
        .any(|c| c.is_whitespace() || c == '(' || c == ')' || c == '<' || c == '>')
    {
        format!("<{}>", d.replace('<', "%3C").replace('>', "%3E"))
    } else {
        d.to_string()
    }
}

/// One text piece with its emphasis markers outside its own spaces.
fn emphasised(p: &Piece) -> String {
    let Piece::Text {
        text, bold, italic, ..
    } = p
    else {
        return String::new();
    };
    let marker = match (bold, italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        (false, false) => "",
    };
    let escaped = escape(text);
    if marker.is_empty() || escaped.trim().is_empty() {
        return escaped;
    }
    let start = escaped.len() - escaped.trim_start().len();
    let end = escaped.trim_end().len();
    format!(
        "{}{marker}{}{marker}{}",
        &escaped[..start],
        &escaped[start..end],
        &escaped[end..]
    )
}

/// Escapes what would read as inline Markdown syntax, and no more: the
/// texts are stored as Word has them.
fn escape(s: &str) -> String {
    escape_markdown(s, Escaping::Inline)
}

/// Escapes what would read as block syntax at the start of a line:
/// headings, quotes, list markers, rules and setext underlines; with
/// `first_number_kept`, a number that begins the first line (`1) …` after
/// a bullet, which prints the same either way) is left as written.
fn escape_line_starts(s: &str, first_number_kept: bool) -> String {
    s.split('\n')
        .enumerate()
        .map(|(i, line)| {
            let t = line.trim_start();
            let b = t.as_bytes();
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            let list_number = !(i == 0 && first_number_kept)
                && digits > 0
                && digits <= 9
                && matches!(b.get(digits), Some(b'.' | b')'))
                && matches!(b.get(digits + 1), None | Some(b' ' | b'\t'));
            let bullet = matches!(b.first(), Some(b'-' | b'+'))
                && matches!(b.get(1), None | Some(b' ' | b'\t'));
            let underline = !t.is_empty()
                && (t.trim_end().bytes().all(|c| c == b'=' || c == b' ')
                    || t.trim_end().bytes().all(|c| c == b'-' || c == b' '));
            if list_number {
                format!("{}\\{}", &t[..digits], &t[digits..])
            } else if bullet || underline || matches!(b.first(), Some(b'#' | b'>' | b'|' | b'~')) {
                format!("\\{t}")
            } else {
                t.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Markdown being written, and where each block came from.
#[derive(Debug, Default)]
struct Writer {
    md: String,
    line: usize,
    places: Vec<(usize, Place)>,
    warnings: Vec<Diagnostic>,
    /// The headings a paragraph is under: level and text, outermost first.
    headings: Vec<(u8, String)>,
    /// Whether the last heading was a table of contents heading.
    toc_heading: bool,
    /// The entries of the table of contents being written.
    toc: Vec<(String, Place)>,
    /// Open list levels: (level, indent of its content).
    lists: Vec<(u8, usize)>,
    /// An entry with no text of its own, written with the next deeper one
    /// (`- 1) text`, a list in a list entry).
    pending: Option<(u8, String, Place)>,
    /// Whether the last block written is a list entry.
    in_list: bool,
    /// Whether more than [`MAX_DERIVED_BYTES`] was to be written.
    overflow: bool,
}

impl Writer {
    fn push(&mut self, block: &str, place: Place) {
        if self.overflow || self.md.len() + block.len() > MAX_DERIVED_BYTES {
            self.overflow = true;
            return;
        }
        if self.line == 0 {
            self.line = 1;
        }
        self.in_list = false;
        self.places.push((self.line, place));
        self.md.push_str(block);
        self.md.push_str("\n\n");
        self.line += block.matches('\n').count() + 2;
    }

    fn end_flow(&mut self) {
        self.flush_toc();
        self.lists.clear();
        self.pending = None;
    }

    fn block(&mut self, md: &str, place: Place) {
        self.end_flow();
        self.toc_heading = false;
        self.push(md, place);
    }

    fn heading(&mut self, level: u8, md: &str, plain: &str, place: Place) {
        self.end_flow();
        if md.trim().is_empty() {
            return;
        }
        self.toc_heading = Profile::untoc().is_contents_title(plain);
        let hashes = "#".repeat(level as usize);
        self.push(&format!("{hashes} {md}"), place);
        while self.headings.last().is_some_and(|&(l, _)| l >= level) {
            self.headings.pop();
        }
        self.headings.push((level, clip(plain)));
    }

    /// The heading a paragraph is under: the innermost one, or for a
    /// heading of `level`, the innermost one above that level.
    fn under(&self, level: Option<u8>) -> Option<String> {
        self.headings
            .iter()
            .rev()
            .find(|&&(l, _)| level.is_none_or(|n| l < n))
            .map(|(_, t)| t.clone())
    }

    fn toc_entry(&mut self, text: &str, place: Place) {
        self.lists.clear();
        self.pending = None;
        if text.is_empty() {
            return;
        }
        if self.toc.is_empty() && !self.toc_heading {
            let profile = Profile::untoc();
            let hashes = "#".repeat(usize::from(profile.levels.section));
            self.push(
                &format!("{hashes} {}", profile.contents_heading),
                place.clone(),
            );
            self.toc_heading = true;
        }
        self.toc.push((text.to_string(), place));
    }

    fn flush_toc(&mut self) {
        if self.toc.is_empty() {
            return;
        }
        let toc = std::mem::take(&mut self.toc);
        let place = toc[0].1.clone();
        let lines: Vec<String> = toc.into_iter().map(|(l, _)| escape(&l)).collect();
        self.push(&lines.join("\n"), place);
        self.toc_heading = false;
    }

    fn list_entry(&mut self, level: u8, marker: Marker, md: &str, place: Place) {
        self.flush_toc();
        self.toc_heading = false;
        while self.lists.last().is_some_and(|&(l, _)| l >= level) {
            self.lists.pop();
        }
        let indent = self.lists.last().map_or(0, |&(_, i)| i);
        // What the entry's number or letter is written as: `1.` and `1)`
        // as a Markdown ordered list; any other as its label, `(a)`,
        // whatever punctuation Word prints around it (`a.`, `a)`, `(a)`),
        // which is typography.
        let (label, ordered) = match &marker {
            Marker::Bullet => (None, false),
            Marker::Text(t) if is_list_number(t) => (Some(t.clone()), true),
            Marker::Text(t) => (Some(sublabel(t).unwrap_or_else(|| escape(t))), false),
        };
        let prefix = match (&label, ordered) {
            (None, _) => "- ".to_string(),
            (Some(t), true) => format!("{t} "),
            (Some(t), false) => format!("- {t} "),
        };
        if md.trim().is_empty() {
            // Kept for a deeper entry that follows; dropped otherwise.
            self.lists.push((level, indent + prefix.len()));
            self.pending = Some((level, prefix, place));
            return;
        }
        // An entry with no text of its own followed by a deeper one is one
        // entry (pandoc writes `- (a) text` so, and `- 1) text`): the
        // deeper one's number or letter is its label, written after the
        // outer marker as text.
        let (lead, own, first_place) = match self.pending.take() {
            Some((l, p, pl)) if l < level => {
                let own = label.as_ref().map(|t| format!("{t} ")).unwrap_or_default();
                (
                    format!("{}{p}", " ".repeat(indent.saturating_sub(p.len()))),
                    own,
                    pl,
                )
            }
            _ => (" ".repeat(indent), prefix, place),
        };
        self.lists.push((level, indent + own.len()));
        let cont = " ".repeat(indent + own.len());
        // A bullet whose text begins with a number (`- 1) A practical
        // tool`, as the compilation's Guidance writes it) keeps it as
        // written: after a bullet it prints the same either way.
        let md = escape_line_starts(md, label.is_none());
        let body = md.replace('\n', &format!("\n{cont}"));
        let text = format!("{lead}{own}{body}");
        // Entries of one list are written as one block, without a blank
        // line between them, as a tight Markdown list is.
        if self.in_list && self.md.ends_with("\n\n") {
            self.md.pop();
            self.line -= 1;
        }
        self.push(&text, first_place);
        self.in_list = true;
    }

    fn finish(mut self) -> Derived {
        self.end_flow();
        Derived {
            markdown: self.md,
            places: self.places,
            warnings: self.warnings,
        }
    }
}

/// `1.`, `2.1`, `3)`: the number of a heading in a numbered outline.
fn is_outline_number(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
}

/// `1.` or `1)`: a number Markdown writes as an ordered list's.
fn is_list_number(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && digits <= 9 && digits == b.len() - 1 && matches!(b[digits], b'.' | b')')
}

/// A list entry's letter or number as the label of a sub-item: `a.`,
/// `a)`, `(a)`, `iv.`, `B)`, `(12)` are `(a)`, `(a)`, `(a)`, `(iv)`, `(B)`,
/// `(12)`; anything else (`1.1`, `Article 3`) is no label.
fn sublabel(t: &str) -> Option<String> {
    let inner = match t.strip_prefix('(') {
        Some(r) => r.strip_suffix(')')?,
        None => t.strip_suffix(['.', ')'])?,
    };
    let n = inner.len();
    let ok = (1..=3).contains(&n)
        && (inner.bytes().all(|c| c.is_ascii_lowercase())
            || inner.bytes().all(|c| c.is_ascii_uppercase())
            || (t.starts_with('(') && inner.bytes().all(|c| c.is_ascii_digit())));
    ok.then(|| format!("({inner})"))
}

/// A heading's text as a place names it.
fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let mut t: String = s.chars().take(MAX - 1).collect();
    t.push('…');
    t
}
