//! An edition as a Word document in the compilation's layout: title page,
//! a table of contents (each entry linked to its heading, with its page
//! number as a field), parts, years, meetings with their symbols as
//! hyperlinks, labelled recommendations, and observations with their
//! sub-lists; and a comparison of two editions as a redline, the newer
//! edition with the changes from the older as Word's tracked changes.
//!
//! Every structural element has a built-in heading style, so the document
//! is edited in Word as the secretariat edits the compilation, and
//! importing it again ([`crate::parse::parse_docx`]) gives the same model:
//! parts are Heading 1, years Heading 2, meetings Heading 3, labels
//! Heading 4 (the levels of the compilation's profile). Texts are Markdown in the model; their emphasis, links and
//! line breaks become Word's own, and a soft line break becomes a space,
//! as in any Word document.
//!
//! The layout is [`super::redline`]'s, which this module writes as
//! WordprocessingML: an edition is the redline of itself, nothing marked.
//! In a redline ([`render_redline`]), a run inserted or deleted is in a
//! `w:ins` or `w:del` (its text a `w:delText`), a paragraph inserted or
//! deleted whole has its paragraph mark marked too (`w:pPr/w:rPr/w:ins`,
//! `w:del`), so that accepting or rejecting every change leaves no empty
//! paragraph; a moved item is a tracked move (`w:moveFrom` and `w:moveTo`
//! inside `w:moveFromRangeStart`…`End` and `w:moveToRangeStart`…`End` of
//! one name); each note is a comment (`word/comments.xml`) on the blocks
//! it is about. Every change has the author and date of the newer edition.
//! LibreOffice's Accept All gives the newer edition and Reject All the
//! older, as livedoc reads them back (`tests/cli/test_redline.rs`).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Cursor, Write};

use super::redline::{Block, Inline, ListKind, Mark, Redline, Style};
use crate::model::Edition;

/// How the document is written.
#[derive(Debug, Clone)]
pub struct DocxOptions {
    /// Where an official UN document is found by its symbol: a meeting's
    /// symbol links to this URL followed by the symbol.
    pub documents_url: String,
}

impl Default for DocxOptions {
    fn default() -> DocxOptions {
        DocxOptions {
            documents_url: super::DOCUMENTS_URL.to_string(),
        }
    }
}

/// Text as XML 1.0 character data or attribute value, the one way any
/// text goes into a part: markup characters escaped, and the characters
/// XML 1.0 forbids (C0 controls but tab, line feed and carriage return;
/// U+FFFE, U+FFFF) dropped, since one of them makes Word and LibreOffice
/// refuse the whole document. A run's text maps U+000B, Word's own line
/// break, to a break before it gets here (see [`Writer::text_run`]).
fn xml(s: &str) -> Cow<'_, str> {
    let plain =
        |c: char| !matches!(c, '&' | '<' | '>' | '"' | '\'') && !crate::text::forbidden_in_xml(c);
    if s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if plain(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

const REL_HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const REL_COMMENTS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
/// Relationship ids below this are the fixed parts (styles, numbering…).
const FIRST_LINK_RID: usize = 10;

/// The Word style of a block.
fn style_id(style: Style) -> &'static str {
    match style {
        Style::Masthead => "Masthead",
        Style::Title => "Title",
        Style::DateLine => "DateLine",
        Style::ContentsHeading => "TOCHeading",
        Style::Contents(1) => "TOC1",
        Style::Contents(_) => "TOC2",
        Style::Heading(1) => "Heading1",
        Style::Heading(2) => "Heading2",
        Style::Heading(3) => "Heading3",
        Style::Heading(4) => "Heading4",
        Style::Heading(5) => "Heading5",
        Style::Heading(_) => "Heading6",
        Style::Normal => "Normal",
        Style::ListParagraph => "ListParagraph",
        Style::ListContinue => "ListContinue",
    }
}

/// Writes the edition as a .docx, its symbols linked to
/// [`super::DOCUMENTS_URL`].
pub fn render(edition: &Edition, out: &mut dyn Write) -> io::Result<()> {
    render_with(edition, &DocxOptions::default(), out)
}

/// The bookmark of the `i`th heading the table of contents lists, named
/// as Word names its own (`_Toc…`), which Word and LibreOffice treat as
/// the table's and hide.
fn toc_bookmark(i: usize) -> String {
    format!("_Toc{:09}", i + 1)
}

/// Writes the edition as a .docx.
///
/// Pages: the title page, the table of contents, the front matter, and
/// each part each begin a page. The table of contents is its entries in
/// Word's contents styles, each linked to a bookmark on its heading, with
/// a `PAGEREF` field for its page number, which LibreOffice computes as
/// it lays out the pages and Word when it updates fields on opening
/// (`w:updateFields`) or printing. (Not a `TOC` field: a word processor
/// prints a `TOC` field's text as it was saved, LibreOffice always and
/// Word until it updates the field, so the page numbers inside it would
/// print blank.)
pub fn render_with(
    edition: &Edition,
    options: &DocxOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let redline = Redline::unchanged(edition, &options.documents_url);
    render_redline(&redline, out)
}

/// Writes a redline as a .docx: the newer edition in the compilation's
/// layout, with the changes from the older as tracked changes by the
/// redline's author at its date, and its notes as comments.
pub fn render_redline(redline: &Redline, out: &mut dyn Write) -> io::Result<()> {
    let bytes = package(redline).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

/// What a tracked change of a run or paragraph mark is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tracked {
    Ins,
    Del,
    MoveTo,
    MoveFrom,
}

impl Tracked {
    fn element(self) -> &'static str {
        match self {
            Tracked::Ins => "w:ins",
            Tracked::Del => "w:del",
            Tracked::MoveTo => "w:moveTo",
            Tracked::MoveFrom => "w:moveFrom",
        }
    }

    /// A deletion's text is `w:delText`; moved-away text stays `w:t`, as
    /// Word writes it.
    fn deleted_text(self) -> bool {
        self == Tracked::Del
    }
}

/// The document part being written.
struct Writer<'r> {
    redline: &'r Redline,
    x: String,
    /// External link targets, each a relationship.
    links: Vec<String>,
    /// The next id of a tracked change, move range or comment: after the
    /// bookmarks' (one per block at most), as every annotation's id is
    /// unique.
    next_id: usize,
    /// ` w:author="…" w:date="…"`.
    who: String,
    /// Each block's move, if it is one side of one: (move, from side).
    moved: Vec<Option<(usize, bool)>>,
    /// Each move's range ids: (from, to).
    move_ids: Vec<(usize, usize)>,
    /// Each note's comment id.
    note_ids: Vec<usize>,
}

impl<'r> Writer<'r> {
    fn new(redline: &'r Redline) -> Writer<'r> {
        let mut moved = vec![None; redline.blocks.len()];
        for (k, m) in redline.moves.iter().enumerate() {
            for b in m.from.clone() {
                moved[b] = Some((k, true));
            }
            for b in m.to.clone() {
                moved[b] = Some((k, false));
            }
        }
        let mut who = format!(" w:author=\"{}\"", xml(&redline.author));
        if !redline.date.is_empty() {
            let _ = write!(who, " w:date=\"{}\"", xml(&redline.date));
        }
        let mut w = Writer {
            redline,
            x: String::with_capacity(64 * 1024),
            links: Vec::new(),
            next_id: redline.blocks.len(),
            who,
            moved,
            move_ids: Vec::new(),
            note_ids: Vec::new(),
        };
        w.move_ids = (0..redline.moves.len()).map(|_| (w.id(), w.id())).collect();
        w.note_ids = (0..redline.notes.len()).map(|_| w.id()).collect();
        w
    }

    fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// The relationship id of an external link, or the bookmark of an
    /// internal one.
    fn link(&mut self, dest: &str) -> LinkTarget {
        if let Some(anchor) = dest.strip_prefix('#') {
            // `#` alone links nowhere; Word's `_top` is the nearest.
            return LinkTarget::Anchor(if anchor.is_empty() {
                "_top".to_string()
            } else {
                anchor.to_string()
            });
        }
        let at = match self.links.iter().position(|l| l == dest) {
            Some(i) => i,
            None => {
                self.links.push(dest.to_string());
                self.links.len() - 1
            }
        };
        LinkTarget::External(format!("rId{}", at + FIRST_LINK_RID))
    }

    /// How a mark is tracked in block `b`: a move's sides as a move.
    fn tracked(&self, mark: Mark, b: usize) -> Option<Tracked> {
        let moved = self.moved[b];
        match mark {
            Mark::Kept => None,
            Mark::Inserted if moved.is_some_and(|(_, from)| !from) => Some(Tracked::MoveTo),
            Mark::Inserted => Some(Tracked::Ins),
            Mark::Deleted if moved.is_some_and(|(_, from)| from) => Some(Tracked::MoveFrom),
            Mark::Deleted => Some(Tracked::Del),
        }
    }

    /// Opens the element that tracks a change.
    fn open(&mut self, t: Tracked) {
        let id = self.id();
        let _ = write!(self.x, "<{} w:id=\"{id}\"{}>", t.element(), self.who);
    }

    fn close(&mut self, t: Tracked) {
        let _ = write!(self.x, "</{}>", t.element());
    }

    /// Runs of block `b`; `linked` for the runs of a hyperlink, which get
    /// the Hyperlink character style.
    fn runs(&mut self, runs: &[Inline], linked: bool, b: usize) {
        for r in runs {
            match r {
                Inline::Text {
                    text,
                    bold,
                    italic,
                    mark,
                } => {
                    let t = self.tracked(*mark, b);
                    t.into_iter().for_each(|t| self.open(t));
                    self.text_run(
                        text,
                        linked,
                        *bold,
                        *italic,
                        t.is_some_and(Tracked::deleted_text),
                    );
                    t.into_iter().for_each(|t| self.close(t));
                }
                Inline::Break(mark) | Inline::PageBreak(mark) => {
                    let t = self.tracked(*mark, b);
                    t.into_iter().for_each(|t| self.open(t));
                    self.x.push_str(match r {
                        Inline::PageBreak(_) => "<w:r><w:br w:type=\"page\"/></w:r>",
                        _ => "<w:r><w:br/></w:r>",
                    });
                    t.into_iter().for_each(|t| self.close(t));
                }
                Inline::Link { target, runs } => {
                    let target = self.link(target);
                    self.hyperlink(&target, runs, true, b);
                }
            }
        }
    }

    fn hyperlink(&mut self, target: &LinkTarget, runs: &[Inline], styled: bool, b: usize) {
        match target {
            LinkTarget::External(rid) => {
                let _ = write!(self.x, "<w:hyperlink r:id=\"{rid}\" w:history=\"1\">");
            }
            LinkTarget::Anchor(a) => {
                let _ = write!(
                    self.x,
                    "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">",
                    xml(a)
                );
            }
        }
        self.runs(runs, styled, b);
        self.x.push_str("</w:hyperlink>");
    }

    /// One run of text. Tabs are elements of their own, and so is U+000B,
    /// the line break Word's own text model writes as a character.
    fn text_run(&mut self, text: &str, linked: bool, bold: bool, italic: bool, deleted: bool) {
        let x = &mut self.x;
        x.push_str("<w:r>");
        if linked || bold || italic {
            x.push_str("<w:rPr>");
            if linked {
                x.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
            }
            if bold {
                x.push_str("<w:b/>");
            }
            if italic {
                x.push_str("<w:i/>");
            }
            x.push_str("</w:rPr>");
        }
        let t = if deleted { "w:delText" } else { "w:t" };
        let mut rest = text;
        while !rest.is_empty() {
            let end = rest.find(['\t', '\u{B}']).unwrap_or(rest.len());
            let piece = xml(&rest[..end]);
            if !piece.is_empty() {
                let _ = write!(x, "<{t} xml:space=\"preserve\">{piece}</{t}>");
            }
            match rest[end..].chars().next() {
                Some('\t') => x.push_str("<w:tab/>"),
                Some(_) => x.push_str("<w:br/>"),
                None => {}
            }
            rest = rest[end..].get(1..).unwrap_or("");
        }
        x.push_str("</w:r>");
    }

    /// A contents entry's runs: as Word writes an entry, a link to the
    /// heading's bookmark around its text, a tab to the right-aligned page
    /// number, and the page number as a field, its result left empty (a
    /// number guessed here would print wrong until fields are updated).
    fn contents_entry(&mut self, block: &Block, target: usize, b: usize) {
        let bookmark = toc_bookmark(target);
        let _ = write!(
            self.x,
            "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">",
            xml(&bookmark)
        );
        self.runs(&block.runs, false, b);
        let t = self.tracked(block.mark, b);
        // An entry with changes has the link around its text only:
        // LibreOffice 7.4 saves a tracked change of a field inside a link
        // as XML that is not well-formed (`w:ins` closed after its
        // `w:hyperlink`).
        let changed = t.is_some() || block.runs.iter().any(|r| !kept(r));
        if changed {
            self.x.push_str("</w:hyperlink>");
        }
        let instr = match t.is_some_and(Tracked::deleted_text) {
            true => "w:delInstrText",
            false => "w:instrText",
        };
        let parts = [
            "<w:r><w:tab/></w:r>".to_string(),
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>".to_string(),
            format!(
                "<w:r><{instr} xml:space=\"preserve\"> {} </{instr}></w:r>",
                xml(&format!("PAGEREF {bookmark} \\h"))
            ),
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>".to_string(),
            "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>".to_string(),
        ];
        for p in parts {
            t.into_iter().for_each(|t| self.open(t));
            self.x.push_str(&p);
            t.into_iter().for_each(|t| self.close(t));
        }
        if !changed {
            self.x.push_str("</w:hyperlink>");
        }
    }

    fn document(mut self) -> (String, Vec<String>) {
        self.x
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        self.x.push_str("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>");
        let redline = self.redline;
        for (i, p) in redline.blocks.iter().enumerate() {
            self.x.push_str("<w:p><w:pPr>");
            let _ = write!(self.x, "<w:pStyle w:val=\"{}\"/>", style_id(p.style));
            // In the schema's order: pStyle, pageBreakBefore, numPr, pBdr,
            // rPr.
            if p.page_break_before {
                self.x.push_str("<w:pageBreakBefore/>");
            }
            if let Some((list, lvl)) = p.list {
                let _ = write!(
                    self.x,
                    "<w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{}\"/></w:numPr>",
                    list + 1
                );
            }
            if p.rule {
                self.x.push_str("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"auto\"/></w:pBdr>");
            }
            // A paragraph inserted or deleted whole: its mark too.
            let mark = self.tracked(p.mark, i);
            if let Some(t) = mark {
                let id = self.id();
                let _ = write!(
                    self.x,
                    "<w:rPr><{} w:id=\"{id}\"{}/></w:rPr>",
                    t.element(),
                    self.who
                );
            }
            self.x.push_str("</w:pPr>");
            // A move's range begins before its first block's runs.
            if let Some((k, from)) = self.moved[i]
                && self.starts_move(k, from, i)
            {
                let (id, side) = match from {
                    true => (self.move_ids[k].0, "moveFrom"),
                    false => (self.move_ids[k].1, "moveTo"),
                };
                let _ = write!(
                    self.x,
                    "<w:{side}RangeStart w:id=\"{id}\" w:name=\"move{}\"{}/>",
                    k + 1,
                    self.who
                );
            }
            for (n, note) in redline.notes.iter().enumerate() {
                if note.blocks.start == i && !note.blocks.is_empty() {
                    let _ = write!(
                        self.x,
                        "<w:commentRangeStart w:id=\"{}\"/>",
                        self.note_ids[n]
                    );
                }
            }
            if let Some(name) = p.bookmark.map(toc_bookmark) {
                let _ = write!(
                    self.x,
                    "<w:bookmarkStart w:id=\"{i}\" w:name=\"{}\"/>",
                    xml(&name)
                );
            }
            match p.contents {
                Some(target) => self.contents_entry(p, target, i),
                None => self.runs(&p.runs, false, i),
            }
            if p.bookmark.is_some() {
                let _ = write!(self.x, "<w:bookmarkEnd w:id=\"{i}\"/>");
            }
            for (n, note) in redline.notes.iter().enumerate() {
                if note.blocks.end == i + 1 && !note.blocks.is_empty() {
                    let id = self.note_ids[n];
                    let _ = write!(self.x, "<w:commentRangeEnd w:id=\"{id}\"/>");
                    // The reference goes as its paragraph goes: rejecting
                    // an inserted paragraph takes its comment with it.
                    mark.into_iter().for_each(|t| self.open(t));
                    let _ = write!(self.x, "<w:r><w:commentReference w:id=\"{id}\"/></w:r>");
                    mark.into_iter().for_each(|t| self.close(t));
                }
            }
            if let Some((k, from)) = self.moved[i]
                && self.ends_move(k, from, i)
            {
                let (id, side) = match from {
                    true => (self.move_ids[k].0, "moveFrom"),
                    false => (self.move_ids[k].1, "moveTo"),
                };
                let _ = write!(self.x, "<w:{side}RangeEnd w:id=\"{id}\"/>");
            }
            self.x.push_str("</w:p>");
        }
        self.x.push_str("<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
        (self.x, self.links)
    }

    fn range_of(&self, k: usize, from: bool) -> std::ops::Range<usize> {
        let m = &self.redline.moves[k];
        if from { m.from.clone() } else { m.to.clone() }
    }

    fn starts_move(&self, k: usize, from: bool, b: usize) -> bool {
        self.range_of(k, from).start == b
    }

    fn ends_move(&self, k: usize, from: bool, b: usize) -> bool {
        self.range_of(k, from).end == b + 1
    }

    /// `word/comments.xml`: each note, by the redline's author.
    fn comments(&self) -> String {
        let mut x = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        );
        for (n, note) in self.redline.notes.iter().enumerate() {
            let _ = write!(
                x,
                "<w:comment w:id=\"{}\"{} w:initials=\"{}\"><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:comment>",
                self.note_ids[n],
                self.who,
                xml(&initials(&self.redline.author)),
                xml(&note.text)
            );
        }
        x.push_str("</w:comments>");
        x
    }
}

/// Whether a run and all it holds is kept.
fn kept(r: &Inline) -> bool {
    match r {
        Inline::Text { mark, .. } | Inline::Break(mark) | Inline::PageBreak(mark) => {
            *mark == Mark::Kept
        }
        Inline::Link { runs, .. } => runs.iter().all(kept),
    }
}

/// "Test Secretariat" → "TS".
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[derive(Debug, Clone)]
enum LinkTarget {
    External(String),
    Anchor(String),
}

fn numbering_xml(lists: &[ListKind]) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">");
    for (i, kind) in lists.iter().enumerate() {
        let id = i + 1;
        let _ = write!(
            x,
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
        );
        for lvl in 0..9u8 {
            let indent = 720 * (lvl as u32 + 1);
            let n = lvl + 1;
            let (fmt, text, start) = match kind {
                ListKind::Bullet => ("bullet", "•".to_string(), 1),
                ListKind::Decimal { paren, start } => (
                    "decimal",
                    if *paren {
                        format!("%{n})")
                    } else {
                        format!("%{n}.")
                    },
                    *start,
                ),
                ListKind::Letters => ("lowerLetter", format!("(%{n})"), 1),
                ListKind::Plain => ("none", String::new(), 1),
            };
            let _ = write!(
                x,
                "<w:lvl w:ilvl=\"{lvl}\"><w:start w:val=\"{start}\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{indent}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
                xml(&text)
            );
        }
        x.push_str("</w:abstractNum>");
    }
    for i in 0..lists.len() {
        let id = i + 1;
        let _ = write!(
            x,
            "<w:num w:numId=\"{id}\"><w:abstractNumId w:val=\"{id}\"/></w:num>"
        );
    }
    x.push_str("</w:numbering>");
    x
}

/// A paragraph style: id, name, outline level, based on, bold, italic,
/// size in half-points.
type StyleDef = (
    &'static str,
    &'static str,
    Option<u8>,
    Option<&'static str>,
    bool,
    bool,
    u32,
);

const STYLES: &[StyleDef] = &[
    ("Normal", "Normal", None, None, false, false, 22),
    ("Title", "Title", None, Some("Normal"), true, false, 40),
    (
        "Masthead",
        "Masthead",
        None,
        Some("Normal"),
        false,
        false,
        22,
    ),
    (
        "DateLine",
        "Date Line",
        None,
        Some("Normal"),
        false,
        false,
        22,
    ),
    (
        "Heading1",
        "heading 1",
        Some(0),
        Some("Normal"),
        true,
        false,
        32,
    ),
    (
        "Heading2",
        "heading 2",
        Some(1),
        Some("Normal"),
        true,
        false,
        28,
    ),
    (
        "Heading3",
        "heading 3",
        Some(2),
        Some("Normal"),
        false,
        false,
        24,
    ),
    (
        "Heading4",
        "heading 4",
        Some(3),
        Some("Normal"),
        false,
        false,
        22,
    ),
    (
        "Heading5",
        "heading 5",
        Some(4),
        Some("Normal"),
        false,
        false,
        22,
    ),
    (
        "Heading6",
        "heading 6",
        Some(5),
        Some("Normal"),
        false,
        false,
        22,
    ),
    (
        "TOCHeading",
        "TOC Heading",
        None,
        Some("Normal"),
        true,
        false,
        32,
    ),
    ("TOC1", "toc 1", None, Some("Normal"), false, false, 22),
    ("TOC2", "toc 2", None, Some("Normal"), false, false, 22),
    (
        "ListParagraph",
        "List Paragraph",
        None,
        Some("Normal"),
        false,
        false,
        22,
    ),
    (
        "ListContinue",
        "List Continue",
        None,
        Some("Normal"),
        false,
        false,
        22,
    ),
];

fn styles_xml() -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">");
    x.push_str("<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"160\"/></w:pPr></w:pPrDefault></w:docDefaults>");
    for (id, name, outline, based, bold, italic, size) in STYLES {
        let default = if *id == "Normal" {
            " w:default=\"1\""
        } else {
            ""
        };
        let _ = write!(
            x,
            "<w:style w:type=\"paragraph\"{default} w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>"
        );
        if let Some(b) = based {
            let _ = write!(x, "<w:basedOn w:val=\"{b}\"/>");
        }
        // Children in the schema's order (Word refuses others):
        // keepNext, tabs, ind, outlineLvl.
        x.push_str("<w:qFormat/><w:pPr>");
        if outline.is_some() {
            x.push_str("<w:keepNext/>");
        }
        if id.starts_with("TOC") && *id != "TOCHeading" {
            x.push_str("<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9016\"/></w:tabs>");
        }
        if *id == "TOC2" {
            x.push_str("<w:ind w:left=\"440\"/>");
        }
        if *id == "ListContinue" {
            x.push_str("<w:ind w:left=\"720\"/>");
        }
        if let Some(l) = outline {
            let _ = write!(x, "<w:outlineLvl w:val=\"{l}\"/>");
        }
        x.push_str("</w:pPr><w:rPr>");
        if *bold {
            x.push_str("<w:b/>");
        }
        if *italic {
            x.push_str("<w:i/>");
        }
        let _ = write!(x, "<w:sz w:val=\"{size}\"/></w:rPr></w:style>");
    }
    x.push_str("<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/></w:rPr></w:style>");
    x.push_str("</w:styles>");
    x
}

fn package(redline: &Redline) -> Result<Vec<u8>, zip::result::ZipError> {
    let writer = Writer::new(redline);
    let comments = (!redline.notes.is_empty()).then(|| writer.comments());
    let (document, links) = writer.document();
    let title = &redline.title;
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    rels.push_str("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>");
    rels.push_str("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>");
    rels.push_str("<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>");
    for (i, l) in links.iter().enumerate() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rId{}\" Type=\"{REL_HYPERLINK}\" Target=\"{}\" TargetMode=\"External\"/>",
            i + FIRST_LINK_RID,
            xml(l)
        );
    }
    if comments.is_some() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rId4\" Type=\"{REL_COMMENTS}\" Target=\"comments.xml\"/>"
        );
    }
    rels.push_str("</Relationships>");
    let parts: [(&str, String); 7] = [
        (
            "[Content_Types].xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>{}</Types>", if comments.is_some() { "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/>" } else { "" }),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", rels),
        ("word/styles.xml", styles_xml()),
        ("word/numbering.xml", numbering_xml(&redline.lists)),
        (
            "word/settings.xml",
            // Word offers to update the table of contents when it opens.
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:updateFields w:val=\"true\"/></w:settings>".to_string(),
        ),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time: the same edition gives the same bytes.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, body) in parts.iter() {
        zip.start_file(*name, opts)?;
        zip.write_all(body.as_bytes())?;
    }
    if let Some(body) = &comments {
        zip.start_file("word/comments.xml", opts)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.start_file("docProps/core.xml", opts)?;
    // The title a word processor shows, and a PDF made from it carries.
    let title = match title.trim() {
        "" => String::new(),
        t => format!("<dc:title>{}</dc:title>", xml(t)),
    };
    write!(
        zip,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{title}<dc:creator>livedoc</dc:creator></cp:coreProperties>"
    )?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ids::EditionId;
    use crate::parse::{self, ParseOptions};

    fn opts(id: &str) -> ParseOptions {
        ParseOptions {
            id: EditionId::new(id).expect("valid id"),
            date: None,
            rules: Default::default(),
        }
    }

    fn docx_of(e: &Edition) -> Vec<u8> {
        let mut out = Vec::new();
        render(e, &mut out).expect("writes to memory");
        out
    }

    /// An edition with each meeting's link to its report forgotten: the
    /// export links every symbol to its document, so a meeting whose
    /// source had no address (`#`, or none) comes back from Word with
    /// its report's, which is no change to the edition.
    fn without_report_links(e: &Edition) -> Edition {
        let mut e = e.clone();
        for m in e.parts.iter_mut().flat_map(|p| p.meetings.iter_mut()) {
            let report = m
                .symbol
                .as_deref()
                .map(|s| super::super::document_url(super::super::DOCUMENTS_URL, None, s));
            if m.link.as_deref() == Some("#") || (m.link.is_some() && m.link == report) {
                m.link = None;
            }
        }
        e
    }

    fn markdown_model(path: &str) -> Edition {
        let bytes = std::fs::read(path).expect("fixture");
        parse::parse(&bytes, path, &opts("2024-04"))
            .expect("imports")
            .edition
    }

    #[test]
    fn the_real_edition_comes_back_from_word_as_the_same_model() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let bytes = docx_of(&e);
        let again = parse::parse_docx(&bytes, "2024-04.docx", &opts("2024-04"))
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            without_report_links(&again.edition),
            without_report_links(&e)
        );
        // The table of contents field checks as the Markdown's does.
        assert!(
            again.warnings.iter().all(|w| !w.code.is_toc()),
            "{:?}",
            again.warnings
        );
        assert!(again.warnings.iter().all(|w| w.place.is_some()));
    }

    #[test]
    fn the_same_edition_gives_the_same_bytes() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        assert_eq!(docx_of(&e), docx_of(&e));
    }

    #[test]
    fn meeting_symbols_are_hyperlinks_to_their_reports() {
        let mut e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let url = "https://undocs.org/CTOC/COP/WG.4/2022/4";
        e.parts[0].meetings[0].link = Some(url.to_string());
        let bytes = docx_of(&e);
        let again = parse::parse_docx(&bytes, "x.docx", &opts("2024-04")).expect("imports");
        assert_eq!(
            again.edition.parts[0].meetings[0].link.as_deref(),
            Some(url)
        );
        let md = &again.derived.expect("read from Word").markdown;
        assert!(
            md.contains(&format!("([CTOC/COP/WG.4/2022/4]({url}))")),
            "{md}"
        );
    }

    #[test]
    fn an_item_that_reads_as_a_label_goes_back_as_a_list_entry() {
        let doc = "# COMPILATION (SYNTHETIC TEST EDITION)\n\nVienna, April 2024\n\n\
# A. Recommendations by the Working Groups\n\n2023\n\n\
## **Working Group on Firearms** ([CTOC/COP/WG.6/2023/5](#))\n\n\
- Recommendation 14\n- 2023\n\nStates parties should act.\n";
        let e = parse::parse(doc.as_bytes(), "x.md", &opts("t"))
            .expect("imports")
            .edition;
        assert_eq!(e.parts[0].meetings[0].items.len(), 3);
        let again = parse::parse_docx(&docx_of(&e), "x.docx", &opts("t")).expect("imports");
        assert_eq!(
            without_report_links(&again.edition),
            without_report_links(&e)
        );
    }

    /// A part of a .docx, as text.
    fn part(docx: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
        let mut f = zip.by_name(name).expect("the part");
        let mut s = String::new();
        io::Read::read_to_string(&mut f, &mut s).expect("UTF-8");
        s
    }

    /// The paragraphs of document.xml, each as its XML.
    fn paragraphs(docx: &[u8]) -> Vec<String> {
        let doc = part(docx, "word/document.xml");
        doc.split("<w:p>").skip(1).map(str::to_string).collect()
    }

    /// Regression: HTML in a text (`<b>…</b>`, as the compilation's
    /// contents writes its bold entries) was printed with its tags.
    #[test]
    fn html_in_a_text_prints_what_it_means_never_its_tags() {
        let mut e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        e.parts[0].meetings[0].items[0].text =
            "States <b>should</b> act<br/>now <span>here</span> <!-- a note -->.".to_string();
        let doc = part(&docx_of(&e), "word/document.xml");
        assert!(!doc.contains("&lt;"), "a tag was printed");
        let p = paragraphs(&docx_of(&e))
            .into_iter()
            .find(|p| p.contains("should"))
            .expect("the item's paragraph");
        assert!(p.contains("<w:b/>") || p.contains("<w:b />"), "{p}");
        assert!(p.contains("<w:br/>") || p.contains("<w:br />"), "{p}");
        assert!(p.contains("here") && !p.contains("a note"), "{p}");
    }

    fn xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    /// Regression: a control character in an item's text went into
    /// document.xml as it was, and Word and LibreOffice refused the file.
    #[test]
    fn characters_xml_forbids_never_reach_a_part() {
        let mut e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let item = &mut e.parts[0].meetings[0].items[0];
        item.text = "One\u{1} two\u{B}three\u{C} four\u{FFFE}\u{FFFF} five".to_string();
        e.title = format!("{}\u{1}", e.title);
        e.front_matter[0].title.push('\u{B}');
        let bytes = docx_of(&e);
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).expect("a zip archive");
        let names: Vec<String> = zip
            .file_names()
            .map(|n| n.expect("a part name").to_string())
            .collect();
        for name in names {
            let mut s = String::new();
            io::Read::read_to_string(&mut zip.by_name(&name).expect("part"), &mut s)
                .expect("UTF-8");
            let bad: Vec<char> = s.chars().filter(|c| !xml_char(*c)).collect();
            assert!(bad.is_empty(), "{name} holds {bad:?}");
            let mut reader = quick_xml::Reader::from_str(&s);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::GeneralRef(r)) => {
                        if let Ok(Some(c)) = r.resolve_char_ref() {
                            assert!(xml_char(c), "{name} refers to {c:?}");
                        }
                    }
                    Ok(_) => {}
                    Err(err) => panic!("{name} is not well-formed: {err}"),
                }
            }
        }
        // The text is there without them; U+000B is Word's line break.
        let doc = part(&bytes, "word/document.xml");
        assert!(
            doc.contains("One two</w:t><w:br/><w:t xml:space=\"preserve\">three four five"),
            "{doc}"
        );
        assert!(part(&bytes, "docProps/core.xml").contains("<dc:title>COMPILATION"));
    }

    /// Regression: `- 1) A practical tool…` (a bullet whose text begins
    /// with a number) was written as an empty bullet paragraph with the
    /// numbered entry below it, so Word printed three lone bullets.
    #[test]
    fn an_entry_that_begins_with_a_list_is_one_list_paragraph() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let paras = paragraphs(&docx_of(&e));
        let empty: Vec<&String> = paras
            .iter()
            .filter(|p| p.contains("<w:numPr>") && !p.contains("<w:t"))
            .collect();
        assert!(
            empty.is_empty(),
            "numbered paragraphs without text: {empty:?}"
        );
        for n in 1..=3 {
            let start = format!("<w:t xml:space=\"preserve\">{n}) </w:t>");
            assert_eq!(
                paras
                    .iter()
                    .filter(|p| p.contains("<w:numPr>") && p.contains(&start))
                    .count(),
                1,
                "{n})"
            );
        }
    }

    /// Regression: every meeting symbol linked to `_top`, the document's
    /// own start, rather than to the meeting's report.
    #[test]
    fn meeting_symbols_link_to_their_documents() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let symbols: Vec<&str> = e.meetings().filter_map(|m| m.symbol.as_deref()).collect();
        assert_eq!(symbols.len(), 6);
        // `CTOC/COP/WG.7/2023/5` has no link in the edition, the others `#`.
        assert!(e.meetings().any(|m| m.symbol.is_some() && m.link.is_none()));
        let bytes = docx_of(&e);
        let rels = part(&bytes, "word/_rels/document.xml.rels");
        let doc = part(&bytes, "word/document.xml");
        for sym in &symbols {
            let rel = rels
                .split("<Relationship ")
                .find(|r| r.contains(&format!("Target=\"https://undocs.org/{sym}\"")))
                .unwrap_or_else(|| panic!("no relationship for {sym}: {rels}"));
            assert!(rel.contains("TargetMode=\"External\""), "{rel}");
            assert!(rel.contains(REL_HYPERLINK), "{rel}");
            let id = rel.split("Id=\"").nth(1).and_then(|r| r.split('"').next());
            let id = id.expect("an id");
            assert!(
                doc.contains(&format!("<w:hyperlink r:id=\"{id}\"")),
                "{sym}"
            );
        }
        // No symbol links nowhere.
        for p in doc.split("<w:p>") {
            if symbols.iter().any(|s| p.contains(&format!(">{s}<"))) {
                assert!(!p.contains("_top"), "{p}");
            }
        }
        // Another documents site, as `show --documents-url` gives it.
        let options = DocxOptions {
            documents_url: "https://documents.example.org/".into(),
        };
        let mut out = Vec::new();
        render_with(&e, &options, &mut out).expect("writes to memory");
        let rels = part(&out, "word/_rels/document.xml.rels");
        for sym in &symbols {
            let target = format!("Target=\"https://documents.example.org/{sym}\"");
            assert!(rels.contains(&target), "{rels}");
        }
    }

    /// Regression: the table of contents, the front matter and Part B
    /// ran on from the page before.
    #[test]
    fn the_contents_the_front_matter_and_each_part_begin_a_page() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let paras = paragraphs(&docx_of(&e));
        let text = |p: &str| -> String {
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .filter_map(|t| t.split("</w:t>").next())
                .collect()
        };
        let breaking: Vec<String> = paras
            .iter()
            .filter(|p| p.contains("<w:pageBreakBefore/>"))
            .map(|p| text(p))
            .collect();
        assert_eq!(
            breaking,
            [
                "Guidance for Readers".to_string(),
                xml(&format!("A. {}", e.parts[0].title)).into_owned(),
                xml(&format!("B. {}", e.parts[1].title)).into_owned(),
            ]
        );
        // The title page ends with a page break before the contents.
        let date = paras
            .iter()
            .position(|p| p.contains("DateLine"))
            .expect("a date line");
        assert!(paras[date].contains("<w:br w:type=\"page\"/>"));
        assert!(paras[date + 1].contains("TOCHeading"));
    }

    /// Regression: the table of contents had no page numbers until Word
    /// updated it; now each entry links to a bookmark on its heading and
    /// gives its page with a `PAGEREF` field.
    #[test]
    fn contents_entries_give_the_pages_of_bookmarked_headings() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let bytes = docx_of(&e);
        let paras = paragraphs(&bytes);
        let entries: Vec<&String> = paras
            .iter()
            .filter(|p| p.contains("\"TOC1\"") || p.contains("\"TOC2\""))
            .collect();
        assert_eq!(entries.len(), e.toc().len());
        for (i, entry) in entries.iter().enumerate() {
            let name = toc_bookmark(i);
            assert!(
                entry.contains(&format!("<w:hyperlink w:anchor=\"{name}\"")),
                "{entry}"
            );
            assert!(entry.contains(&format!("PAGEREF {name} \\h")), "{entry}");
            let headings: Vec<&String> = paras
                .iter()
                .filter(|p| p.contains(&format!("w:name=\"{name}\"")))
                .collect();
            assert_eq!(headings.len(), 1, "{name}");
            assert!(headings[0].contains("Heading"), "{}", headings[0]);
        }
        assert!(part(&bytes, "word/settings.xml").contains("<w:updateFields w:val=\"true\"/>"));
        let types = part(&bytes, "[Content_Types].xml");
        assert!(types.contains("/word/settings.xml"));
    }

    proptest! {
        #[test]
        fn generated_editions_come_back_from_word_unchanged(e in crate::testgen::edition()) {
            let bytes = docx_of(&e);
            let again = match parse::parse_docx(&bytes, "gen.docx", &opts("t")) {
                Ok(p) => p,
                Err(err) => return Err(TestCaseError::fail(format!("{err}"))),
            };
            prop_assert_eq!(without_report_links(&again.edition), without_report_links(&e), "read as:\n{}", again.derived.map(|d| d.markdown).unwrap_or_default());
            prop_assert!(again.warnings.iter().all(|w| !w.code.is_toc()), "{:?}", again.warnings);
        }
    }

    // -- Redlines

    /// An edition as read back, but for its items' ids and its meetings'
    /// keys, which a Word document read afresh mints again (a diff keeps
    /// a renamed meeting's old key).
    fn anonymous(e: &Edition) -> Edition {
        let mut e = without_report_links(e);
        for m in e.parts.iter_mut().flat_map(|p| p.meetings.iter_mut()) {
            m.key = Default::default();
            for item in &mut m.items {
                item.id = Default::default();
            }
        }
        e
    }

    /// The redline of `a` → `b`, and `b` as the diff gave it back.
    fn redline_of(a: &Edition, b: &Edition) -> (Redline, Edition) {
        let d = crate::diff::compare(
            a,
            b,
            &crate::diff::Pairing::by_rules(),
            crate::diff::Sides::named(a, b),
        );
        let options = super::super::redline::RedlineOptions {
            documents_url: super::super::DOCUMENTS_URL.to_string(),
            author: "Test Secretariat".into(),
            date: "2024-04-24T23:06:40Z".into(),
        };
        (
            Redline::build(Some(a), &d.edition, &d.report, &options),
            d.edition,
        )
    }

    fn read(bytes: &[u8]) -> Result<Edition, TestCaseError> {
        parse::parse_docx(bytes, "redline.docx", &opts("t"))
            .map(|p| p.edition)
            .map_err(|err| TestCaseError::fail(format!("{err}")))
    }

    /// One side of a redline, as a document of its own.
    fn side_of(r: &Redline, drop: Mark) -> Vec<u8> {
        let side = Redline {
            blocks: r.side(drop),
            moves: Vec::new(),
            notes: Vec::new(),
            changes: Vec::new(),
            ..r.clone()
        };
        let mut out = Vec::new();
        render_redline(&side, &mut out).expect("writes to memory");
        out
    }

    /// A change an editor makes to an edition, by kind and by which
    /// meeting and item (taken modulo what there is).
    fn edit(e: &mut Edition, (kind, m, i): (u8, usize, usize)) {
        let Some(part) = e.parts.get_mut(m % 2) else {
            return;
        };
        let n = part.meetings.len();
        if n == 0 {
            return;
        }
        let mi = m % n;
        let len = part.meetings[mi].items.len();
        let k = i % len.max(1);
        match kind {
            // An item removed.
            0 if len > 1 => {
                part.meetings[mi].items.remove(k);
            }
            // Two items swapped.
            1 if len > 1 => part.meetings[mi].items.swap(k, (k + 1) % len),
            // An item reworded.
            2 if len > 0 => part.meetings[mi].items[k]
                .text
                .push_str(" Text States should act."),
            // An item renumbered.
            3 if len > 0 => {
                let items = &mut part.meetings[mi].items;
                let next = items
                    .iter()
                    .filter_map(|x| x.label.as_deref()?.parse::<u32>().ok())
                    .max();
                if let (Some(n), Some(l)) = (next, &items[k].label)
                    && l.parse::<u32>().is_ok()
                {
                    items[k].label = Some((n + 1).to_string());
                }
            }
            // An item moved to another meeting of the part.
            4 if len > 1 && n > 1 => {
                let item = part.meetings[mi].items.remove(k);
                let to = &mut part.meetings[(mi + 1) % n];
                if !to
                    .items
                    .iter()
                    .any(|x| x.label.is_some() && x.label == item.label)
                {
                    to.items.push(item);
                }
            }
            // A sub-item removed.
            5 if len > 0 => {
                let subs = &mut part.meetings[mi].items[k].subitems;
                if !subs.is_empty() {
                    subs.remove(i % subs.len());
                }
            }
            // A meeting renamed.
            6 => part.meetings[mi].body.push_str(" and Ammunition"),
            // A meeting removed.
            7 if n > 1 => {
                part.meetings.remove(mi);
            }
            // An item split in two.
            8 if len > 0 && part.meetings[mi].items[k].label.is_none() => {
                let mut second = part.meetings[mi].items[k].clone();
                second.text = "Text States parties should report.".into();
                second.subitems.clear();
                part.meetings[mi].items.insert(k + 1, second);
            }
            // Two meetings of a year in the other order.
            9 if n > 1 => {
                let next = (mi + 1) % n;
                if part.meetings[mi].year == part.meetings[next].year {
                    part.meetings.swap(mi, next);
                }
            }
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A redline accepted (as livedoc's reader reads tracked changes)
        /// is the newer edition; its older side alone is the older
        /// edition, and its newer side alone the newer.
        #[test]
        fn a_redline_is_either_edition(
            a in crate::testgen::edition(),
            edits in prop::collection::vec((0u8..10, any::<usize>(), any::<usize>()), 0..6),
            month in 1u32..13,
        ) {
            let mut b = a.clone();
            for e in edits {
                edit(&mut b, e);
            }
            b.date = crate::model::EditionDate::month(2031, month).expect("a date");
            let (r, b) = redline_of(&a, &b);
            let mut bytes = Vec::new();
            render_redline(&r, &mut bytes).expect("writes to memory");
            prop_assert_eq!(anonymous(&read(&bytes)?), anonymous(&b));
            prop_assert_eq!(anonymous(&read(&side_of(&r, Mark::Inserted))?), anonymous(&a));
            prop_assert_eq!(anonymous(&read(&side_of(&r, Mark::Deleted))?), anonymous(&b));
        }
    }

    #[test]
    fn an_edition_s_redline_of_itself_marks_nothing() {
        let e = markdown_model(concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md"));
        let (r, _) = redline_of(&e, &e);
        assert!(r.changes.is_empty() && r.moves.is_empty() && r.notes.is_empty());
        let mut bytes = Vec::new();
        render_redline(&r, &mut bytes).expect("writes to memory");
        let doc = part(&bytes, "word/document.xml");
        assert!(!doc.contains("w:author"));
        assert_eq!(doc, part(&docx_of(&e), "word/document.xml"));
    }
}
