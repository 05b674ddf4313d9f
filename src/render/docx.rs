//! An edition as a Word document in the compilation's layout: title page,
//! a table of contents field (Word fills it in when the field is
//! updated), parts, years, meetings with their symbols as hyperlinks,
//! labelled recommendations, and observations with their sub-lists.
//!
//! Every structural element has a built-in heading style, so the document
//! is edited in Word as the secretariat edits the compilation, and
//! importing it again ([`crate::parse::parse_docx`]) gives the same model:
//! parts are Heading 1, years Heading 2, meetings Heading 3, labels
//! Heading 4 (the levels of the compilation's profile). Texts are Markdown in the model; their emphasis, links and
//! line breaks become Word's own, and a soft line break becomes a space,
//! as in any Word document.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Cursor, Write};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::model::{Edition, Meeting, SubItem};
use crate::profile::Profile;

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
/// break, to a break before it gets here (see [`write_runs`]).
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

/// A run of text, or what sits among runs.
#[derive(Debug, Clone)]
enum Run {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    Break,
    PageBreak,
    /// A hyperlink around runs: a relationship id, or an anchor;
    /// `styled` in the Hyperlink character style (a table of contents
    /// entry is not).
    Link {
        target: LinkTarget,
        styled: bool,
        runs: Vec<Run>,
    },
    /// A complex field's parts.
    FieldBegin(String),
    FieldSeparate,
    FieldEnd,
}

#[derive(Debug, Clone)]
enum LinkTarget {
    External(String),
    Anchor(String),
}

/// One paragraph: its style, its list (numId, level), its runs.
#[derive(Debug, Clone, Default)]
struct Para {
    style: &'static str,
    num: Option<(u32, u8)>,
    runs: Vec<Run>,
    rule: bool,
    /// Starts a page.
    page_break_before: bool,
    /// The bookmark around its text: a table of contents entry's target.
    bookmark: Option<String>,
}

/// The lists of the document, each a numbering instance.
#[derive(Debug, Default)]
struct Lists {
    /// (numId, kind) of each list, in order.
    nums: Vec<ListKind>,
}

/// A Markdown list being written as a Word list.
#[derive(Debug)]
struct OpenList {
    num: u32,
    kind: ListKind,
    /// Whether the current entry has had its (numbered) first paragraph.
    opened: bool,
    /// Where the first paragraph of the current entry goes instead, when
    /// this list was the first content of its parent's entry (`- 1) A
    /// practical tool…`): the parent's numbering and level, and the
    /// markers to write before its text. One paragraph, never an empty
    /// entry with the nested one below it.
    into: Option<(u32, u8, String)>,
    /// A numbering without a printed marker, for the entries of this
    /// bullet list whose text begins with a nested list's marker.
    plain: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet,
    /// `1.` or `1)`, from a start number.
    Decimal {
        paren: bool,
        start: u64,
    },
    /// `(a)`, `(b)`… counted by Word.
    Letters,
    /// No printed number: the label is in the text.
    Plain,
}

impl ListKind {
    /// The marker of a list's first entry, as Markdown writes it.
    fn first_marker(self) -> String {
        match self {
            ListKind::Decimal { paren, start } => {
                format!("{start}{}", if paren { ')' } else { '.' })
            }
            _ => "-".to_string(),
        }
    }
}

impl Lists {
    fn add(&mut self, kind: ListKind) -> u32 {
        self.nums.push(kind);
        self.nums.len() as u32
    }
}

/// The document being built.
#[derive(Debug, Default)]
struct Doc {
    paras: Vec<Para>,
    links: Vec<String>,
    lists: Lists,
    options: DocxOptions,
}

const REL_HYPERLINK: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
/// Relationship ids below this are the fixed parts (styles, numbering…).
const FIRST_LINK_RID: usize = 10;

impl Doc {
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

    fn para(&mut self, style: &'static str, runs: Vec<Run>) {
        self.paras.push(Para {
            style,
            runs,
            ..Para::default()
        });
    }

    fn text(s: &str) -> Run {
        Run::Text {
            text: s.to_string(),
            bold: false,
            italic: false,
        }
    }

    /// Markdown blocks as paragraphs of `style`, lists as Word lists.
    fn markdown(&mut self, md: &str, style: &'static str) {
        let mut runs: Vec<Run> = Vec::new();
        let mut link_stack: Vec<(LinkTarget, Vec<Run>)> = Vec::new();
        let (mut bold, mut italic) = (0u32, 0u32);
        let mut lists: Vec<OpenList> = Vec::new();
        let mut heading: Option<u8> = None;
        let push = |runs: &mut Vec<Run>, link_stack: &mut Vec<(LinkTarget, Vec<Run>)>, r: Run| {
            match link_stack.last_mut() {
                Some((_, inner)) => inner.push(r),
                None => runs.push(r),
            }
        };
        for (ev, range) in Parser::new_ext(md, Options::empty()).into_offset_iter() {
            match ev {
                Event::Start(Tag::Paragraph) => {}
                Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                    if matches!(ev, Event::End(TagEnd::Item)) && runs.is_empty() {
                        if let Some(l) = lists.last_mut() {
                            l.opened = false;
                            l.into = None;
                        }
                        continue;
                    }
                    self.flush(&mut runs, style, &mut lists, heading.take());
                    if matches!(ev, Event::End(TagEnd::Item))
                        && let Some(l) = lists.last_mut()
                    {
                        l.into = None;
                    }
                }
                Event::Start(Tag::Heading { level, .. }) => heading = Some(level as u8),
                Event::End(TagEnd::Heading(_)) => {
                    self.flush(&mut runs, style, &mut lists, heading.take());
                }
                Event::Start(Tag::List(start)) => {
                    if !runs.is_empty() {
                        self.flush(&mut runs, style, &mut lists, None);
                    }
                    let mut kind = match start {
                        None => ListKind::Bullet,
                        Some(n) => {
                            let marker = &md[range.clone()];
                            let digits = marker
                                .trim_start()
                                .bytes()
                                .take_while(u8::is_ascii_digit)
                                .count();
                            let paren = marker.trim_start().as_bytes().get(digits) == Some(&b')');
                            ListKind::Decimal { paren, start: n }
                        }
                    };
                    // An entry whose first content is a list: the list's
                    // first entry is the entry's paragraph, its marker
                    // written as text (an empty numbered paragraph above
                    // the nested one would print a lone bullet).
                    let depth = lists.len();
                    let mut into = None;
                    if let Some(parent) = lists.last_mut()
                        && !parent.opened
                    {
                        parent.opened = true;
                        let marker = kind.first_marker();
                        into = Some(match parent.into.take() {
                            Some((num, lvl, before)) => (num, lvl, format!("{before}{marker} ")),
                            None => {
                                let num = match parent.kind {
                                    // The nested marker is the label.
                                    ListKind::Bullet => *parent
                                        .plain
                                        .get_or_insert_with(|| self.lists.add(ListKind::Plain)),
                                    _ => parent.num,
                                };
                                (num, word_level(depth), format!("{marker} "))
                            }
                        });
                        // Word counts the list's later entries from the
                        // second number.
                        if let ListKind::Decimal { start, .. } = &mut kind {
                            *start += 1;
                        }
                    }
                    lists.push(OpenList {
                        num: self.lists.add(kind),
                        kind,
                        opened: false,
                        into,
                        plain: None,
                    });
                }
                Event::End(TagEnd::List(_)) => {
                    lists.pop();
                }
                Event::Start(Tag::Item) => {
                    if let Some(l) = lists.last_mut() {
                        l.opened = false;
                    }
                }
                Event::Start(Tag::Emphasis) => italic += 1,
                Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
                Event::Start(Tag::Strong) => bold += 1,
                Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let target = self.link(&dest_url);
                    link_stack.push((target, Vec::new()));
                }
                Event::End(TagEnd::Link) => {
                    if let Some((target, inner)) = link_stack.pop() {
                        push(
                            &mut runs,
                            &mut link_stack,
                            Run::Link {
                                target,
                                styled: true,
                                runs: inner,
                            },
                        );
                    }
                }
                // Inline HTML prints what it means, never its tags:
                // `<b>` and `<strong>` bold, `<i>` and `<em>` italic,
                // `<br>` a line break; any other tag nothing.
                Event::InlineHtml(t) => match html_tag(&t) {
                    Some((false, "b" | "strong")) => bold += 1,
                    Some((true, "b" | "strong")) => bold = bold.saturating_sub(1),
                    Some((false, "i" | "em")) => italic += 1,
                    Some((true, "i" | "em")) => italic = italic.saturating_sub(1),
                    Some((_, "br")) => push(&mut runs, &mut link_stack, Run::Break),
                    _ => {}
                },
                Event::Html(t) => {
                    let text = crate::text::without_tags(&t);
                    if !text.trim().is_empty() {
                        push(&mut runs, &mut link_stack, Doc::text(text.trim()));
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    push(
                        &mut runs,
                        &mut link_stack,
                        Run::Text {
                            text: t.to_string(),
                            bold: bold > 0,
                            italic: italic > 0,
                        },
                    );
                }
                Event::SoftBreak => push(&mut runs, &mut link_stack, Doc::text(" ")),
                Event::HardBreak => push(&mut runs, &mut link_stack, Run::Break),
                Event::Rule => {
                    self.flush(&mut runs, style, &mut lists, None);
                    self.paras.push(Para {
                        style: "Normal",
                        rule: true,
                        ..Para::default()
                    });
                }
                _ => {}
            }
        }
        self.flush(&mut runs, style, &mut lists, None);
    }

    /// Ends the paragraph being built from Markdown.
    fn flush(
        &mut self,
        runs: &mut Vec<Run>,
        style: &'static str,
        lists: &mut [OpenList],
        heading: Option<u8>,
    ) {
        if runs.is_empty() {
            return;
        }
        let mut runs = std::mem::take(runs);
        if let Some(level) = heading {
            self.para(heading_style(level), runs);
            return;
        }
        let depth = lists.len();
        match lists.last_mut() {
            Some(l) if !l.opened => {
                l.opened = true;
                let num = match l.into.take() {
                    Some((num, lvl, markers)) => {
                        runs.insert(0, Doc::text(&markers));
                        (num, lvl)
                    }
                    None => (l.num, word_level(depth)),
                };
                self.paras.push(Para {
                    style: "ListParagraph",
                    num: Some(num),
                    runs,
                    ..Para::default()
                });
            }
            Some(_) => self.para("ListContinue", runs),
            None => self.para(style, runs),
        }
    }

    /// The runs of a meeting's heading.
    fn meeting_heading(&mut self, m: &Meeting) -> Vec<Run> {
        let mut runs = vec![Run::Text {
            text: m.body.clone(),
            bold: true,
            italic: false,
        }];
        let linked = |doc: &mut Doc, runs: &mut Vec<Run>, text: &str, link: Option<&str>| {
            runs.push(Doc::text(" ("));
            let inner = vec![Doc::text(text)];
            match link {
                Some(l) => runs.push(Run::Link {
                    target: doc.link(l),
                    styled: true,
                    runs: inner,
                }),
                None => runs.extend(inner),
            }
            runs.push(Doc::text(")"));
        };
        // A symbol links to its document: the link the edition gives when
        // it gives a real one, the document's permanent address when it
        // gives none or `#` (the PDF conversion lost them).
        let report = |doc: &Doc, sym: &str| match m.link.as_deref() {
            Some(l) if !l.starts_with('#') => l.to_string(),
            _ => super::document_url(&doc.options.documents_url, None, sym),
        };
        match (&m.symbol, &m.source) {
            (Some(sym), Some(src)) => {
                let url = report(self, sym);
                linked(self, &mut runs, sym, Some(&url));
                linked(self, &mut runs, src, None);
            }
            (Some(sym), None) => {
                let url = report(self, sym);
                linked(self, &mut runs, sym, Some(&url));
            }
            (None, Some(src)) => linked(self, &mut runs, src, m.link.as_deref()),
            (None, None) => {}
        }
        runs
    }

    fn subitems(&mut self, subs: &[SubItem]) {
        let lettered = subs
            .iter()
            .enumerate()
            .all(|(i, s)| i < 26 && s.label == format!("({})", (b'a' + i as u8) as char));
        let kind = if lettered {
            ListKind::Letters
        } else if subs.iter().all(|s| s.label.is_empty()) {
            ListKind::Bullet
        } else {
            ListKind::Plain
        };
        let num = self.lists.add(kind);
        for s in subs {
            let start = self.paras.len();
            self.markdown(&s.text, "ListParagraph");
            let Some(first) = self.paras.get_mut(start) else {
                continue;
            };
            first.style = "ListParagraph";
            first.num = Some((num, 0));
            if kind == ListKind::Plain && !s.label.is_empty() {
                first.runs.insert(0, Doc::text(&format!("{} ", s.label)));
            }
        }
    }
}

/// The Word list level of a list nested `depth` deep (from 1): Word has
/// nine, so deeper lists stay at the ninth.
fn word_level(depth: usize) -> u8 {
    depth.saturating_sub(1).min(8) as u8
}

fn heading_style(level: u8) -> &'static str {
    match level {
        1 => "Heading1",
        2 => "Heading2",
        3 => "Heading3",
        4 => "Heading4",
        5 => "Heading5",
        _ => "Heading6",
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

/// An HTML tag's name, lower-cased, and whether it closes: `<b>`,
/// `</strong>`, `<br/>`; `None` for a comment or anything else.
fn html_tag(t: &str) -> Option<(bool, &'static str)> {
    let inner = t.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let name: String = inner
        .trim_end_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    ["b", "strong", "i", "em", "br"]
        .into_iter()
        .find(|n| *n == name)
        .map(|n| (closing, n))
}

/// Writes the edition as a .docx.
///
/// Pages: the title page, the table of contents, the front matter, and
/// each part each begin a page. The table of contents is its entries in
/// Word's contents styles, each linked to a bookmark on its heading, with
/// a `PAGEREF` field for its page number, which LibreOffice computes as
/// it lays out the pages and Word when it updates fields on opening
/// (`w:updateFields`) or printing.
pub fn render_with(
    edition: &Edition,
    options: &DocxOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let profile = Profile::untoc();
    let levels = profile.levels;
    let mut doc = Doc {
        options: options.clone(),
        ..Doc::default()
    };
    for line in &edition.masthead {
        doc.markdown(line, "Masthead");
    }
    if !edition.title.is_empty() {
        doc.para("Title", vec![Doc::text(&edition.title)]);
    }
    let date = match &edition.place {
        Some(place) => format!("{place}, {}", edition.date.long()),
        None => edition.date.long(),
    };
    doc.para("DateLine", vec![Doc::text(&date), Run::PageBreak]);
    // The table of contents: the derived entries in Word's contents
    // styles, not in a `TOC` field: a word processor prints a `TOC`
    // field's text as it was saved (LibreOffice does, and Word until it
    // updates the field), so the page numbers inside it would print
    // blank; outside it, each entry's `PAGEREF` is computed as the pages
    // are laid out.
    doc.para("TOCHeading", vec![Doc::text(profile.contents_heading)]);
    for (i, entry) in edition.toc().into_iter().enumerate() {
        let mut runs = Vec::new();
        // As Word writes an entry: a link to the heading's bookmark, a
        // tab to the right-aligned page number, and the page number as
        // a field. Its result is left empty: a number guessed here would
        // be printed wrong until the fields are updated.
        let bookmark = toc_bookmark(i);
        runs.push(Run::Link {
            target: LinkTarget::Anchor(bookmark.clone()),
            styled: false,
            runs: vec![
                Doc::text(&profile.contents_entry(&entry)),
                Doc::text("\t"),
                Run::FieldBegin(format!("PAGEREF {bookmark} \\h")),
                Run::FieldSeparate,
                Run::FieldEnd,
            ],
        });
        let style = match entry {
            crate::model::TocEntry::Meeting { .. } => "TOC2",
            _ => "TOC1",
        };
        doc.para(style, runs);
    }
    // The headings the table of contents lists, in its order.
    let mut listed = 0;
    let mut listed_heading = |doc: &mut Doc, style: &'static str, runs: Vec<Run>, page: bool| {
        doc.paras.push(Para {
            style,
            runs,
            page_break_before: page,
            bookmark: Some(toc_bookmark(listed)),
            ..Para::default()
        });
        listed += 1;
    };
    for (i, section) in edition.front_matter.iter().enumerate() {
        listed_heading(
            &mut doc,
            heading_style(levels.section),
            vec![Doc::text(&section.title)],
            i == 0,
        );
        doc.markdown(&section.body, "Normal");
    }
    for part in &edition.parts {
        listed_heading(
            &mut doc,
            heading_style(levels.part),
            vec![Doc::text(&profile.part_heading(&part.key, &part.title))],
            true,
        );
        let mut year = None;
        for m in &part.meetings {
            if year != Some(m.year) {
                doc.para(
                    heading_style(levels.year),
                    vec![Doc::text(&m.year.to_string())],
                );
                year = Some(m.year);
            }
            let runs = doc.meeting_heading(m);
            listed_heading(&mut doc, heading_style(levels.meeting), runs, false);
            for (item, entry) in m.items.iter().zip(super::as_list_entries(&m.items)) {
                if entry {
                    doc.subitems(&[SubItem {
                        label: String::new(),
                        text: item.text.clone(),
                    }]);
                    continue;
                }
                if let Some(label) = &item.label {
                    doc.para(
                        heading_style(levels.label),
                        vec![Run::Text {
                            text: super::describe::item_name(item.kind, Some(label), None),
                            bold: false,
                            italic: true,
                        }],
                    );
                }
                doc.markdown(&item.text, "Normal");
                if !item.subitems.is_empty() {
                    doc.subitems(&item.subitems);
                }
            }
        }
    }
    if let Some(contact) = &edition.contact {
        doc.paras.push(Para {
            style: "Normal",
            rule: true,
            ..Para::default()
        });
        doc.markdown(contact, "Normal");
    }
    let bytes = package(&doc, &edition.title).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

/// The runs of a paragraph as WordprocessingML; `linked` for the runs of
/// a hyperlink, which get the Hyperlink character style.
fn write_runs(runs: &[Run], linked: bool, x: &mut String) {
    for r in runs {
        match r {
            Run::Text { text, bold, italic } => {
                x.push_str("<w:r>");
                if linked || *bold || *italic {
                    x.push_str("<w:rPr>");
                    if linked {
                        x.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
                    }
                    if *bold {
                        x.push_str("<w:b/>");
                    }
                    if *italic {
                        x.push_str("<w:i/>");
                    }
                    x.push_str("</w:rPr>");
                }
                // Tabs are elements of their own, and so is U+000B, the
                // line break Word's own text model writes as a character.
                let mut rest = text.as_str();
                while !rest.is_empty() {
                    let end = rest.find(['\t', '\u{B}']).unwrap_or(rest.len());
                    let piece = xml(&rest[..end]);
                    if !piece.is_empty() {
                        let _ = write!(x, "<w:t xml:space=\"preserve\">{piece}</w:t>");
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
            Run::Break => x.push_str("<w:r><w:br/></w:r>"),
            Run::PageBreak => x.push_str("<w:r><w:br w:type=\"page\"/></w:r>"),
            Run::Link {
                target,
                styled,
                runs,
            } => {
                match target {
                    LinkTarget::External(rid) => {
                        let _ = write!(x, "<w:hyperlink r:id=\"{rid}\" w:history=\"1\">");
                    }
                    LinkTarget::Anchor(a) => {
                        let _ = write!(x, "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">", xml(a));
                    }
                }
                write_runs(runs, *styled, x);
                x.push_str("</w:hyperlink>");
            }
            Run::FieldBegin(instr) => {
                let _ = write!(
                    x,
                    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r>",
                    xml(instr)
                );
            }
            Run::FieldSeparate => x.push_str("<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"),
            Run::FieldEnd => x.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"),
        }
    }
}

fn document_xml(doc: &Doc) -> String {
    let mut x = String::with_capacity(64 * 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    x.push_str("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>");
    for (i, p) in doc.paras.iter().enumerate() {
        x.push_str("<w:p><w:pPr>");
        let _ = write!(x, "<w:pStyle w:val=\"{}\"/>", p.style);
        // In the schema's order: pStyle, pageBreakBefore, numPr, pBdr.
        if p.page_break_before {
            x.push_str("<w:pageBreakBefore/>");
        }
        if let Some((num, lvl)) = p.num {
            let _ = write!(
                x,
                "<w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{num}\"/></w:numPr>"
            );
        }
        if p.rule {
            x.push_str("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"auto\"/></w:pBdr>");
        }
        x.push_str("</w:pPr>");
        match &p.bookmark {
            Some(name) => {
                let _ = write!(
                    x,
                    "<w:bookmarkStart w:id=\"{i}\" w:name=\"{}\"/>",
                    xml(name)
                );
                write_runs(&p.runs, false, &mut x);
                let _ = write!(x, "<w:bookmarkEnd w:id=\"{i}\"/>");
            }
            None => write_runs(&p.runs, false, &mut x),
        }
        x.push_str("</w:p>");
    }
    x.push_str("<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
    x
}

fn numbering_xml(lists: &Lists) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">");
    for (i, kind) in lists.nums.iter().enumerate() {
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
    for i in 0..lists.nums.len() {
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

fn package(doc: &Doc, title: &str) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    rels.push_str("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>");
    rels.push_str("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>");
    rels.push_str("<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>");
    for (i, l) in doc.links.iter().enumerate() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rId{}\" Type=\"{REL_HYPERLINK}\" Target=\"{}\" TargetMode=\"External\"/>",
            i + FIRST_LINK_RID,
            xml(l)
        );
    }
    rels.push_str("</Relationships>");
    let parts: [(&str, String); 7] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document_xml(doc)),
        ("word/_rels/document.xml.rels", rels),
        ("word/styles.xml", styles_xml()),
        ("word/numbering.xml", numbering_xml(&doc.lists)),
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
}
