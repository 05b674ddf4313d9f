//! What the PDF template is given: an edition as plain data, each text
//! already split into runs (plain, bold, italic, linked) from its
//! Markdown, so that the template never reads markup of the document's
//! own. A type of its own, not the model: the layout can change here and
//! in the template without touching [`crate::model`].
//!
//! Markdown is read as the Word export reads it (`render::docx`): no
//! extensions, `<b>`, `<strong>`, `<i>`, `<em>` and `<br>` mean what they
//! say and other tags print nothing, a soft line break is a space, and a
//! list entry whose text begins with a nested list's marker (`- 1) A
//! practical tool…`) is one entry with that marker.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::model::{Edition, ItemKind, Meeting, TocEntry};
use crate::profile::Profile;

/// The edition as the template lays it out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionView {
    /// The document's language, as the PDF declares it.
    pub lang: &'static str,
    /// The title, as the title page prints it and the PDF's metadata holds it.
    pub title: String,
    /// The running header: the title, shortened.
    pub header: String,
    /// Where and when it was issued: "Vienna, April 2024".
    pub date_line: String,
    /// The title page's lines above the title (the publisher...).
    pub masthead: Vec<Block>,
    /// The table of contents' heading.
    pub contents_heading: String,
    pub front_matter: Vec<SectionView>,
    pub parts: Vec<PartView>,
    /// The contact line after the closing rule.
    pub contact: Vec<Block>,
}

/// A titled section of prose before the parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionView {
    pub title: String,
    /// Its entry in the table of contents.
    pub toc: String,
    pub body: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartView {
    /// "A. Recommendations by…".
    pub heading: String,
    pub toc: String,
    pub years: Vec<YearView>,
}

/// Consecutive meetings of one year, under one year heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearView {
    pub year: String,
    pub meetings: Vec<MeetingView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingView {
    /// Who met, printed bold: "Working Group on Firearms".
    pub body: String,
    /// The parentheses after it: the symbol linked to its report, the
    /// source ("Summary by the Chair").
    pub refs: Vec<Reference>,
    /// Its entry in the table of contents: "2023: Working Group on Firearms".
    pub toc: String,
    pub items: Vec<ItemView>,
}

/// One parenthesis of a meeting heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    pub text: String,
    pub link: Option<String>,
}

/// A recommendation or an observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemView {
    /// "Recommendation 14", "Recommendation (l)": a label's heading.
    pub label: Option<String>,
    /// An unlabelled observation's number in its meeting, from 1.
    pub number: Option<usize>,
    /// Written as a list entry (an item that came from one, such as
    /// `- Recommendation 14`), as the Word export writes it.
    pub entry: bool,
    pub blocks: Vec<Block>,
    /// Its (a)–(g) list.
    pub subitems: Vec<ListItem>,
}

/// A block of a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Par {
        runs: Vec<Run>,
    },
    /// A heading inside a text, `level` as Markdown gives it.
    Heading {
        level: u8,
        runs: Vec<Run>,
    },
    List {
        items: Vec<ListItem>,
    },
    Rule,
}

/// An entry of a list, with the marker it prints ("•", "1)", "(a)").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    pub marker: String,
    pub blocks: Vec<Block>,
}

/// A run of text in one style, or a line break.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Run {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        /// An address a reader can follow; a link to `#` or to anything
        /// but the web or mail prints as plain text.
        link: Option<String>,
    },
    Break,
}

/// How long the running header's title may be before it is shortened.
const HEADER_CHARS: usize = 60;

impl EditionView {
    /// The edition as the template lays it out; a meeting's symbol links
    /// to its report under `documents_url`.
    pub fn new(edition: &Edition, documents_url: &str) -> EditionView {
        let profile = Profile::untoc();
        let date_line = match &edition.place {
            Some(place) => format!("{}, {}", clean(place), edition.date.long()),
            None => edition.date.long(),
        };
        let title = clean(&edition.title);
        EditionView {
            lang: "en",
            header: shortened(&title, HEADER_CHARS),
            title,
            date_line,
            masthead: edition.masthead.iter().flat_map(|l| blocks(l)).collect(),
            contents_heading: profile.contents_heading.to_string(),
            front_matter: edition
                .front_matter
                .iter()
                .map(|s| SectionView {
                    title: clean(&s.title),
                    toc: clean(&profile.contents_entry(&TocEntry::Section(s.title.clone()))),
                    body: blocks(&s.body),
                })
                .collect(),
            parts: edition
                .parts
                .iter()
                .map(|p| {
                    let mut years: Vec<YearView> = Vec::new();
                    for m in &p.meetings {
                        let meeting = meeting(profile, m, documents_url);
                        let year = m.year.to_string();
                        match years.last_mut() {
                            Some(y) if y.year == year => y.meetings.push(meeting),
                            _ => years.push(YearView {
                                year,
                                meetings: vec![meeting],
                            }),
                        }
                    }
                    let heading = clean(&profile.part_heading(&p.key, &p.title));
                    PartView {
                        toc: clean(&profile.contents_entry(&TocEntry::Part {
                            key: p.key.clone(),
                            title: p.title.clone(),
                        })),
                        heading,
                        years,
                    }
                })
                .collect(),
            contact: edition.contact.as_deref().map(blocks).unwrap_or_default(),
        }
    }
}

fn meeting(profile: &Profile, m: &Meeting, documents_url: &str) -> MeetingView {
    // A symbol links to its report: the link the edition gives when it
    // gives one a reader can follow, else the document's permanent
    // address, as the Word export links it.
    let report = |sym: &str| match m.link.as_deref().and_then(followable) {
        Some(l) => l,
        None => super::super::document_url(documents_url, None, sym),
    };
    let mut refs = Vec::new();
    if let Some(sym) = &m.symbol {
        refs.push(Reference {
            text: clean(sym),
            link: Some(report(sym)),
        });
    }
    if let Some(src) = &m.source {
        refs.push(Reference {
            text: clean(src),
            link: match m.symbol {
                Some(_) => None,
                None => m.link.as_deref().and_then(followable),
            },
        });
    }
    let mut observations = 0;
    let items = m
        .items
        .iter()
        .zip(super::super::as_list_entries(&m.items))
        .map(|(item, entry)| {
            let numbered = !entry && item.label.is_none() && item.kind == ItemKind::Observation;
            if numbered {
                observations += 1;
            }
            ItemView {
                label: match (&item.label, entry) {
                    (Some(l), false) => Some(clean(&super::super::describe::item_name(
                        item.kind,
                        Some(l),
                        None,
                    ))),
                    _ => None,
                },
                number: numbered.then_some(observations),
                entry,
                blocks: blocks(&item.text),
                subitems: item
                    .subitems
                    .iter()
                    .map(|s| ListItem {
                        marker: match s.label.as_str() {
                            "" => BULLET.to_string(),
                            l => clean(l),
                        },
                        blocks: blocks(&s.text),
                    })
                    .collect(),
            }
        })
        .collect();
    MeetingView {
        body: clean(&m.body),
        refs,
        toc: clean(&profile.contents_entry(&TocEntry::Meeting {
            year: m.year,
            body: m.body.clone(),
        })),
        items,
    }
}

pub(super) const BULLET: &str = "•";

/// A link target a PDF reader may follow: the web and mail. Anything
/// else (`#`, a relative path, `javascript:`) prints as plain text.
pub(super) fn followable(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s) && lower.len() > s.len());
    (ok && !url.chars().any(char::is_control)).then(|| url.to_string())
}

/// Text as it may be typeset: controls dropped (U+000B, Word's own line
/// break, and tabs are spaces), since a PDF prints them as nothing or as
/// a missing glyph.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\u{b}' => Some(' '),
            '\n' | '\r' => Some(' '),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => None,
            c => Some(c),
        })
        .collect()
}

/// `s` cut to at most `max` characters at a word boundary, with an
/// ellipsis when cut.
pub(super) fn shortened(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split_whitespace() {
        let len = out.chars().count() + word.chars().count() + usize::from(!out.is_empty());
        if len > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = s.chars().take(max).collect();
    }
    out.push('…');
    out
}

/// A Markdown text as blocks of runs.
pub fn blocks(md: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for (ev, range) in Parser::new_ext(md, Options::empty()).into_offset_iter() {
        b.event(ev, &md[range]);
    }
    b.flush();
    // Lists left open by a malformed text are closed where it ends.
    while b.frames.len() > 1 {
        b.close();
    }
    match b.frames.pop() {
        Some(Frame::Blocks(blocks)) => blocks,
        _ => Vec::new(),
    }
}

/// What is open while a text is read: the blocks of the text or of a
/// list entry, or a list.
#[derive(Debug)]
enum Frame {
    Blocks(Vec<Block>),
    List {
        /// The next number and its delimiter, for an ordered list.
        ordered: Option<(u64, char)>,
        items: Vec<ListItem>,
    },
}

#[derive(Debug)]
struct Builder {
    frames: Vec<Frame>,
    runs: Vec<Run>,
    heading: Option<u8>,
    bold: u32,
    italic: u32,
    /// The links being read, innermost last: where each goes, if anywhere.
    links: Vec<Option<String>>,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            frames: vec![Frame::Blocks(Vec::new())],
            runs: Vec::new(),
            heading: None,
            bold: 0,
            italic: 0,
            links: Vec::new(),
        }
    }
}

impl Builder {
    fn event(&mut self, ev: Event<'_>, source: &str) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some(level as u8);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::HtmlBlock)
            | Event::End(TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => self.flush(),
            Event::Start(Tag::List(start)) => {
                self.flush();
                let ordered = start.map(|n| {
                    let marker = source.trim_start();
                    let digits = marker.bytes().take_while(u8::is_ascii_digit).count();
                    let delim = match marker.as_bytes().get(digits) {
                        Some(b')') => ')',
                        _ => '.',
                    };
                    (n, delim)
                });
                self.frames.push(Frame::List {
                    ordered,
                    items: Vec::new(),
                });
            }
            Event::Start(Tag::Item) => {
                self.flush();
                self.frames.push(Frame::Blocks(Vec::new()));
            }
            Event::End(TagEnd::Item | TagEnd::List(_)) => {
                self.flush();
                self.close();
            }
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push(followable(&dest_url)),
            Event::End(TagEnd::Link) => {
                self.links.pop();
            }
            Event::InlineHtml(t) => match crate::render::redline::html_tag(&t) {
                Some((false, "b" | "strong")) => self.bold += 1,
                Some((true, "b" | "strong")) => self.bold = self.bold.saturating_sub(1),
                Some((false, "i" | "em")) => self.italic += 1,
                Some((true, "i" | "em")) => self.italic = self.italic.saturating_sub(1),
                Some((_, "br")) => self.runs.push(Run::Break),
                _ => {}
            },
            Event::Html(t) => {
                let text = crate::text::without_tags(&t);
                if !text.trim().is_empty() {
                    self.text(text.trim());
                }
            }
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.runs.push(Run::Break),
            Event::Rule => {
                self.flush();
                self.push(Block::Rule);
            }
            _ => {}
        }
    }

    /// Text in the current style, joined to the run before it when that
    /// has the same style. A line feed (in a code block) is a break.
    fn text(&mut self, t: &str) {
        let mut lines = t.split('\n').peekable();
        while let Some(line) = lines.next() {
            let line = clean(line);
            if !line.is_empty() {
                let (bold, italic) = (self.bold > 0, self.italic > 0);
                let link = self.links.last().cloned().flatten();
                match self.runs.last_mut() {
                    Some(Run::Text {
                        text,
                        bold: b,
                        italic: i,
                        link: l,
                    }) if *b == bold && *i == italic && *l == link => text.push_str(&line),
                    _ => self.runs.push(Run::Text {
                        text: line,
                        bold,
                        italic,
                        link,
                    }),
                }
            }
            if lines.peek().is_some_and(|l| !l.is_empty()) {
                self.runs.push(Run::Break);
            }
        }
    }

    /// Ends the paragraph or heading being read, if it has text.
    fn flush(&mut self) {
        let heading = self.heading.take();
        while matches!(self.runs.last(), Some(Run::Break)) {
            self.runs.pop();
        }
        let printable = self.runs.iter().any(|r| match r {
            Run::Text { text, .. } => !text.trim().is_empty(),
            Run::Break => false,
        });
        let runs = std::mem::take(&mut self.runs);
        if !printable {
            return;
        }
        self.push(match heading {
            Some(level) => Block::Heading { level, runs },
            None => Block::Par { runs },
        });
    }

    /// A block into the text or list entry being read. (A list's own
    /// frame takes no blocks; text there, which Markdown never gives,
    /// goes into an entry of its own.)
    fn push(&mut self, block: Block) {
        match self.frames.last_mut() {
            Some(Frame::Blocks(blocks)) => blocks.push(block),
            Some(Frame::List { .. }) => {
                self.frames.push(Frame::Blocks(vec![block]));
                self.close();
            }
            None => self.frames.push(Frame::Blocks(vec![block])),
        }
    }

    /// Closes the innermost list entry or list.
    fn close(&mut self) {
        match self.frames.pop() {
            Some(Frame::Blocks(blocks)) => {
                let Some(Frame::List { ordered, items }) = self.frames.last_mut() else {
                    // An entry outside a list: its blocks join the text.
                    for b in blocks {
                        self.push(b);
                    }
                    return;
                };
                let marker = match ordered {
                    Some((n, delim)) => {
                        let m = format!("{n}{delim}");
                        *n = n.saturating_add(1);
                        m
                    }
                    None => BULLET.to_string(),
                };
                items.push(hoisted(ListItem { marker, blocks }));
            }
            Some(Frame::List { items, .. }) if !items.is_empty() => {
                self.push(Block::List { items });
            }
            Some(Frame::List { .. }) | None => {}
        }
    }
}

/// An entry whose first content is a list (`- 1) A practical tool…`)
/// as one entry: the nested list's first entry, with its marker (after
/// the entry's own number, if the entry is numbered), and the rest of
/// the nested list below it. An empty bullet above the nested entry
/// would print a lone bullet.
fn hoisted(item: ListItem) -> ListItem {
    let ListItem { marker, mut blocks } = item;
    let nested = match blocks.first_mut() {
        Some(Block::List { items }) => std::mem::take(items),
        _ => return ListItem { marker, blocks },
    };
    blocks.remove(0);
    let mut nested = nested.into_iter();
    let Some(first) = nested.next() else {
        return ListItem { marker, blocks };
    };
    let marker = match marker.as_str() {
        BULLET => first.marker,
        own => format!("{own} {}", first.marker),
    };
    let rest: Vec<ListItem> = nested.collect();
    let mut out = first.blocks;
    if !rest.is_empty() {
        out.push(Block::List { items: rest });
    }
    out.extend(blocks);
    ListItem {
        marker,
        blocks: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Run {
        Run::Text {
            text: t.into(),
            bold: false,
            italic: false,
            link: None,
        }
    }

    fn styled(t: &str, bold: bool, italic: bool, link: Option<&str>) -> Run {
        Run::Text {
            text: t.into(),
            bold,
            italic,
            link: link.map(str::to_string),
        }
    }

    fn par(runs: Vec<Run>) -> Block {
        Block::Par { runs }
    }

    #[test]
    fn inline_markdown_becomes_runs() {
        assert_eq!(
            blocks(
                "States **should** act *now*,\nsee [resolution 9/1](https://undocs.org/x) and [this](#)."
            ),
            [par(vec![
                text("States "),
                styled("should", true, false, None),
                text(" act "),
                styled("now", false, true, None),
                text(", see "),
                styled("resolution 9/1", false, false, Some("https://undocs.org/x")),
                text(" and this."),
            ])]
        );
        // Tags mean what they say, or nothing; a hard break is a break.
        assert_eq!(
            blocks("<b>Part A:</b> one  \ntwo<span>three</span>"),
            [par(vec![
                styled("Part A:", true, false, None),
                text(" one"),
                Run::Break,
                text("twothree"),
            ])]
        );
    }

    /// The text is data, never markup of the template's: what Markdown
    /// leaves of it is the runs' text, character for character.
    #[test]
    fn markup_of_the_template_stays_text() {
        let hostile = "#set page(width: 1cm) $x$ \\<b> @ref <label> ] } // \\* \\_ \\\\ `#raw`";
        assert_eq!(
            blocks(hostile),
            [par(vec![text(
                "#set page(width: 1cm) $x$ <b> @ref  ] } // * _ \\ #raw"
            )])]
        );
        // Links a reader must not follow print as text.
        assert_eq!(
            blocks("[x](javascript:alert(1)) [y](file:///etc/passwd)"),
            [par(vec![text("x y")])]
        );
    }

    #[test]
    fn a_list_entry_that_begins_with_a_list_is_one_entry() {
        let b = blocks("Intended as:\n\n- 1) A tool.\n- 2) A reference.\n\nEnd.");
        let Block::List { items } = &b[1] else {
            panic!("{b:?}")
        };
        let markers: Vec<&str> = items.iter().map(|i| i.marker.as_str()).collect();
        assert_eq!(markers, ["1)", "2)"]);
        assert_eq!(items[0].blocks, [par(vec![text("A tool.")])]);
        assert_eq!(b[2], par(vec![text("End.")]));
        let b = blocks("3. three\n4. four\n\n- a\n- b");
        let markers = |b: &Block| match b {
            Block::List { items } => items.iter().map(|i| i.marker.clone()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(markers(&b[0]), ["3.", "4."]);
        assert_eq!(markers(&b[1]), [BULLET, BULLET]);
    }

    #[test]
    fn a_long_title_is_shortened_at_a_word() {
        assert_eq!(
            shortened("COMPILATION OF RECOMMENDATIONS", 60),
            "COMPILATION OF RECOMMENDATIONS"
        );
        assert_eq!(shortened("one two three", 9), "one two…");
        assert_eq!(shortened("abcdefghij", 4), "abcd…");
    }
}
