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

use std::fmt::Write as _;
use std::io::{self, Cursor, Write};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use quick_xml::escape::escape;

use crate::model::{Edition, Meeting, SubItem};
use crate::profile::Profile;

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
    /// A hyperlink around runs: a relationship id, or an anchor.
    Link {
        target: LinkTarget,
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
}

/// The lists of the document, each a numbering instance.
#[derive(Debug, Default)]
struct Lists {
    /// (numId, kind) of each list, in order.
    nums: Vec<ListKind>,
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
        // Open lists: numId, and whether the current entry has had its
        // numbered paragraph.
        let mut lists: Vec<(u32, bool)> = Vec::new();
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
                            l.1 = false;
                        }
                        continue;
                    }
                    self.flush(&mut runs, style, &mut lists, heading.take());
                }
                Event::Start(Tag::Heading { level, .. }) => heading = Some(level as u8),
                Event::End(TagEnd::Heading(_)) => {
                    self.flush(&mut runs, style, &mut lists, heading.take());
                }
                Event::Start(Tag::List(start)) => {
                    // An entry whose first content is a list: its own
                    // paragraph is empty, and the list goes on below it.
                    let depth = lists.len();
                    if let Some(l) = lists.last_mut()
                        && !l.1
                        && runs.is_empty()
                    {
                        let (num, lvl) = (l.0, word_level(depth));
                        l.1 = true;
                        self.paras.push(Para {
                            style: "ListParagraph",
                            num: Some((num, lvl)),
                            ..Para::default()
                        });
                    } else if !runs.is_empty() {
                        self.flush(&mut runs, style, &mut lists, None);
                    }
                    let kind = match start {
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
                    lists.push((self.lists.add(kind), false));
                }
                Event::End(TagEnd::List(_)) => {
                    lists.pop();
                }
                Event::Start(Tag::Item) => {
                    if let Some(l) = lists.last_mut() {
                        l.1 = false;
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
                                runs: inner,
                            },
                        );
                    }
                }
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
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
        lists: &mut [(u32, bool)],
        heading: Option<u8>,
    ) {
        if runs.is_empty() {
            return;
        }
        let runs = std::mem::take(runs);
        if let Some(level) = heading {
            self.para(heading_style(level), runs);
            return;
        }
        let depth = lists.len();
        match lists.last_mut() {
            Some(l) if !l.1 => {
                l.1 = true;
                let num = l.0;
                self.paras.push(Para {
                    style: "ListParagraph",
                    num: Some((num, word_level(depth))),
                    runs,
                    rule: false,
                });
            }
            Some(_) => self.para("ListContinue", runs),
            None => self.para(style, runs),
        }
    }

    fn meeting_heading(&mut self, profile: &Profile, m: &Meeting) {
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
                    runs: inner,
                }),
                None => runs.extend(inner),
            }
            runs.push(Doc::text(")"));
        };
        match (&m.symbol, &m.source) {
            (Some(sym), Some(src)) => {
                linked(self, &mut runs, sym, m.link.as_deref());
                linked(self, &mut runs, src, None);
            }
            (Some(sym), None) => linked(self, &mut runs, sym, m.link.as_deref()),
            (None, Some(src)) => linked(self, &mut runs, src, m.link.as_deref()),
            (None, None) => {}
        }
        self.para(heading_style(profile.levels.meeting), runs);
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

/// Writes the edition as a .docx.
pub fn render(edition: &Edition, out: &mut dyn Write) -> io::Result<()> {
    let profile = Profile::untoc();
    let levels = profile.levels;
    let mut doc = Doc::default();
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
    // The table of contents: a field whose entries are the derived ones;
    // Word replaces them with its own when the field is updated.
    doc.para("TOCHeading", vec![Doc::text(profile.contents_heading)]);
    let entries = edition.toc();
    let count = entries.len();
    for (i, entry) in entries.into_iter().enumerate() {
        let mut runs = Vec::new();
        if i == 0 {
            runs.push(Run::FieldBegin("TOC \\o \"1-3\" \\h \\z \\u".into()));
            runs.push(Run::FieldSeparate);
        }
        runs.push(Doc::text(&profile.contents_entry(&entry)));
        if i + 1 == count {
            runs.push(Run::FieldEnd);
        }
        let style = match entry {
            crate::model::TocEntry::Meeting { .. } => "TOC2",
            _ => "TOC1",
        };
        doc.para(style, runs);
    }
    for section in &edition.front_matter {
        doc.para(
            heading_style(levels.section),
            vec![Doc::text(&section.title)],
        );
        doc.markdown(&section.body, "Normal");
    }
    for part in &edition.parts {
        doc.para(
            heading_style(levels.part),
            vec![Doc::text(&profile.part_heading(&part.key, &part.title))],
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
            doc.meeting_heading(profile, m);
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
    let bytes = package(&doc).map_err(io::Error::other)?;
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
                // Tabs are elements of their own.
                for (k, piece) in text.split('\t').enumerate() {
                    if k > 0 {
                        x.push_str("<w:tab/>");
                    }
                    if !piece.is_empty() {
                        let _ = write!(x, "<w:t xml:space=\"preserve\">{}</w:t>", escape(piece));
                    }
                }
                x.push_str("</w:r>");
            }
            Run::Break => x.push_str("<w:r><w:br/></w:r>"),
            Run::PageBreak => x.push_str("<w:r><w:br w:type=\"page\"/></w:r>"),
            Run::Link { target, runs } => {
                match target {
                    LinkTarget::External(rid) => {
                        let _ = write!(x, "<w:hyperlink r:id=\"{rid}\" w:history=\"1\">");
                    }
                    LinkTarget::Anchor(a) => {
                        let _ = write!(
                            x,
                            "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">",
                            escape(a.as_str())
                        );
                    }
                }
                write_runs(runs, true, x);
                x.push_str("</w:hyperlink>");
            }
            Run::FieldBegin(instr) => {
                let _ = write!(
                    x,
                    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r>",
                    escape(instr.as_str())
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
    for p in &doc.paras {
        x.push_str("<w:p><w:pPr>");
        let _ = write!(x, "<w:pStyle w:val=\"{}\"/>", p.style);
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
        write_runs(&p.runs, false, &mut x);
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
                escape(text.as_str())
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

fn package(doc: &Doc) -> Result<Vec<u8>, zip::result::ZipError> {
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
            escape(l.as_str())
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
    zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>livedoc</dc:creator></cp:coreProperties>")?;
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
        assert_eq!(again.edition, e);
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
        assert_eq!(again.edition, e);
    }

    proptest! {
        #[test]
        fn generated_editions_come_back_from_word_unchanged(e in crate::testgen::edition()) {
            let bytes = docx_of(&e);
            let again = match parse::parse_docx(&bytes, "gen.docx", &opts("t")) {
                Ok(p) => p,
                Err(err) => return Err(TestCaseError::fail(format!("{err}"))),
            };
            prop_assert_eq!(&again.edition, &e, "read as:\n{}", again.derived.map(|d| d.markdown).unwrap_or_default());
            prop_assert!(again.warnings.iter().all(|w| !w.code.is_toc()), "{:?}", again.warnings);
        }
    }
}
