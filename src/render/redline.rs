//! Redlines: edition B laid out as the compilation is, with what changed
//! since edition A marked on it (issue 31), for any renderer to draw:
//! Word's tracked changes ([`super::docx::render_redline`]), a PDF's
//! colours.
//!
//! A [`Redline`] is a list of [`Block`]s (paragraphs: a heading, an item's
//! text, a list entry, a contents entry) whose runs and paragraph marks
//! are each [`Mark`]ed kept, inserted or deleted, so that keeping only
//! what is not deleted gives edition B and keeping only what is not
//! inserted gives edition A, block for block as each is laid out alone.
//! Besides the blocks it holds, as data, what the semantic diff said: each
//! changed item, meeting and section with its status and label change
//! ([`Change`]), each item moved ([`Move`]: its old blocks and its new),
//! and notes naming where a moved, split, merged or restored item came
//! from ([`Note`]).
//!
//! How each change is laid out:
//! - an item paired with one of the same meeting, in its place, is one
//!   unit: its paragraphs are aligned with the old item's, and aligned
//!   paragraphs carry word-level changes (a renumbering changes only the
//!   label's words, a typography change only the words it touches);
//! - an item whose partner is in another meeting, or out of order in its
//!   meeting (the longest run of pairs in order stays), is a move: its
//!   old blocks deleted at the old place, its new blocks inserted at the
//!   new, with a note at the new place saying where it was;
//! - an added, split-off or restored item is inserted whole (a split-off
//!   or restored one with a note), a removed or merged one deleted whole
//!   (the item it was merged into gets a note);
//! - meetings, parts and sections pair as the diff paired them; their
//!   headings carry word-level changes (a corrected symbol, a renamed
//!   body), and a year heading is kept where both editions start that
//!   year there;
//! - the table of contents follows the headings: an entry is inserted,
//!   deleted or changed as its heading is.
//!
//! An edition's own layout, as `show --format docx` writes it, is the
//! redline of the edition with itself ([`Redline::unchanged`]): the
//! export and the redline share every paragraph, so a redline accepted
//! is the export of edition B.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::diff::{EditionDiff, ItemDiff, ItemStatus, MeetingStatus, SectionStatus};
use crate::model::{Edition, ItemKind, Meeting, Part, SubItem, TocEntry};
use crate::profile::Profile;

use super::describe;

/// Whether a run, or a paragraph's end, is in both editions, only the
/// newer or only the older.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    Kept,
    Inserted,
    Deleted,
}

/// What a block is, as the compilation's layout styles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// A line of the title page above the title.
    Masthead,
    Title,
    /// "Vienna, April 2024".
    DateLine,
    /// "Table of Contents".
    ContentsHeading,
    /// A contents entry: 1 for a section or part, 2 for a meeting.
    Contents(u8),
    /// A heading of level 1 to 6 (the profile's levels: parts 1, years
    /// 2, meetings 3, labels 4).
    Heading(u8),
    Normal,
    /// A list entry's first paragraph (see [`Block::list`]).
    ListParagraph,
    /// A later paragraph of a list entry.
    ListContinue,
}

/// How a list numbers its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Bullet,
    /// `1.` or `1)`, from a start number.
    Decimal {
        paren: bool,
        start: u64,
    },
    /// `(a)`, `(b)`… counted.
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

/// A run of text, or what sits among runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        mark: Mark,
    },
    /// A line break.
    Break(Mark),
    /// A page break (the title page's end).
    PageBreak(Mark),
    /// A link around runs: a URL, or `#anchor` (`#` alone: nowhere).
    Link { target: String, runs: Vec<Inline> },
}

impl Inline {
    fn text(s: &str) -> Inline {
        Inline::Text {
            text: s.to_string(),
            bold: false,
            italic: false,
            mark: Mark::Kept,
        }
    }

    fn set_mark(&mut self, to: Mark) {
        match self {
            Inline::Text { mark, .. } | Inline::Break(mark) | Inline::PageBreak(mark) => *mark = to,
            Inline::Link { runs, .. } => runs.iter_mut().for_each(|r| r.set_mark(to)),
        }
    }
}

/// One paragraph of the layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    pub style: Style,
    /// The list it is an entry of ([`Redline::lists`]) and its level
    /// (0–8).
    pub list: Option<(usize, u8)>,
    /// A horizontal rule below it.
    pub rule: bool,
    /// Starts a page.
    pub page_break_before: bool,
    /// For a heading the table of contents lists: its number among them,
    /// which its contents entry points to.
    pub bookmark: Option<usize>,
    /// For a contents entry: the number of the heading it lists.
    pub contents: Option<usize>,
    /// The paragraph's end: a paragraph inserted or deleted whole has its
    /// end inserted or deleted too, so that neither edition keeps an
    /// empty paragraph of it.
    pub mark: Mark,
    pub runs: Vec<Inline>,
}

impl Block {
    fn new(style: Style, runs: Vec<Inline>) -> Block {
        Block {
            style,
            list: None,
            rule: false,
            page_break_before: false,
            bookmark: None,
            contents: None,
            mark: Mark::Kept,
            runs,
        }
    }

    fn set_mark(&mut self, to: Mark) {
        self.mark = to;
        self.runs.iter_mut().for_each(|r| r.set_mark(to));
    }
}

/// Edition B with the changes from edition A marked.
#[derive(Debug, Clone, Default)]
pub struct Redline {
    /// How the report names the two editions.
    pub from: String,
    pub to: String,
    /// Edition B's title (a document's title property).
    pub title: String,
    /// Who made the changes and when (RFC 3339, UTC): edition B's cut.
    pub author: String,
    pub date: String,
    pub blocks: Vec<Block>,
    /// The lists blocks are entries of.
    pub lists: Vec<ListKind>,
    /// Each changed item, meeting and section: what the diff said, and
    /// its blocks (a moved item's new ones).
    pub changes: Vec<Change>,
    pub moves: Vec<Move>,
    pub notes: Vec<Note>,
    /// Each unlabelled observation laid out, with its number in its
    /// meeting in each edition: a typeset layout (the PDF) numbers them
    /// as the compilation does; Word's lays them out as paragraphs.
    pub numbered: Vec<Numbered>,
}

/// An unlabelled observation and its number ("1.", "2."…) among its
/// meeting's in the older edition and in the newer (`None` where it is
/// not in that edition, or not there as a numbered observation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub blocks: Range<usize>,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// What the diff said about one thing, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub subject: Subject,
    pub blocks: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Item {
        id: String,
        kind: ItemKind,
        status: ItemStatus,
        /// Its label before and after, when that changed.
        label: Option<LabelChange>,
    },
    Meeting {
        key: String,
        status: MeetingStatus,
    },
    Section {
        title: String,
        status: SectionStatus,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelChange {
    pub old: Option<String>,
    pub new: Option<String>,
}

/// An item moved: its blocks at the old place (all deleted) and at the
/// new (all inserted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub id: String,
    pub from: Range<usize>,
    pub to: Range<usize>,
}

/// A note on blocks: "Moved from CTOC/COP/WG.2/2023/4, where it was
/// Recommendation 5".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub blocks: Range<usize>,
}

/// Who the changes are by, and where documents are found.
#[derive(Debug, Clone)]
pub struct RedlineOptions {
    /// Where an official UN document is found by its symbol (see
    /// [`super::DOCUMENTS_URL`]).
    pub documents_url: String,
    /// Who made the changes: the name of who cut edition B.
    pub author: String,
    /// When: edition B's cut, RFC 3339 in UTC (`2025-03-01T10:00:00Z`).
    pub date: String,
}

impl Redline {
    /// An edition's own layout: nothing marked.
    pub fn unchanged(edition: &Edition, documents_url: &str) -> Redline {
        let options = RedlineOptions {
            documents_url: documents_url.to_string(),
            author: String::new(),
            date: String::new(),
        };
        Builder::new(Some(edition), edition, None, &options).build()
    }

    /// Edition `new` with the changes from `old` marked, as `report` (the
    /// diff of the two) tells them; `old` is `None` for the first edition,
    /// all of whose blocks are inserted. `new` is the edition as the diff
    /// gave it back, its items carrying the ids of the old items they are
    /// paired with.
    pub fn build(
        old: Option<&Edition>,
        new: &Edition,
        report: &EditionDiff,
        options: &RedlineOptions,
    ) -> Redline {
        let mut r = Builder::new(old, new, Some(report), options).build();
        r.from = report.from.name.clone();
        r.to = report.to.name.clone();
        r
    }

    /// The blocks of one side: without the inserted ones and runs
    /// (`drop` = [`Mark::Inserted`]: edition A) or the deleted ones
    /// (edition B), what is left marked kept.
    pub fn side(&self, drop: Mark) -> Vec<Block> {
        fn runs(list: &[Inline], drop: Mark) -> Vec<Inline> {
            list.iter()
                .filter_map(|r| match r {
                    Inline::Link {
                        target,
                        runs: inner,
                    } => Some(Inline::Link {
                        target: target.clone(),
                        runs: runs(inner, drop),
                    }),
                    Inline::Text { mark, .. } | Inline::Break(mark) | Inline::PageBreak(mark)
                        if *mark == drop =>
                    {
                        None
                    }
                    other => {
                        let mut r = other.clone();
                        r.set_mark(Mark::Kept);
                        Some(r)
                    }
                })
                .collect()
        }
        self.blocks
            .iter()
            .filter(|b| b.mark != drop)
            .map(|b| Block {
                mark: Mark::Kept,
                runs: runs(&b.runs, drop),
                ..b.clone()
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Laying out: Markdown and the edition's parts as blocks

/// Blocks and the lists they use: a whole layout, or one unit of it (a
/// heading, an item) before it joins the whole.
#[derive(Debug, Clone, Default, PartialEq)]
struct Layout {
    blocks: Vec<Block>,
    lists: Vec<ListKind>,
}

/// A Markdown list being laid out.
#[derive(Debug)]
struct OpenList {
    list: usize,
    kind: ListKind,
    /// Whether the current entry has had its (numbered) first paragraph.
    opened: bool,
    /// Where the first paragraph of the current entry goes instead, when
    /// this list was the first content of its parent's entry (`- 1) A
    /// practical tool…`): the parent's list and level, and the markers to
    /// write before its text. One paragraph, never an empty entry with the
    /// nested one below it.
    into: Option<(usize, u8, String)>,
    /// A list without a printed marker, for the entries of this bullet
    /// list whose text begins with a nested list's marker.
    plain: Option<usize>,
}

impl Layout {
    fn add_list(&mut self, kind: ListKind) -> usize {
        self.lists.push(kind);
        self.lists.len() - 1
    }

    fn para(&mut self, style: Style, runs: Vec<Inline>) {
        self.blocks.push(Block::new(style, runs));
    }

    /// Markdown blocks as paragraphs of `style`, lists as lists.
    fn markdown(&mut self, md: &str, style: Style) {
        let mut runs: Vec<Inline> = Vec::new();
        let mut link_stack: Vec<(String, Vec<Inline>)> = Vec::new();
        let (mut bold, mut italic) = (0u32, 0u32);
        let mut lists: Vec<OpenList> = Vec::new();
        let mut heading: Option<u8> = None;
        let push = |runs: &mut Vec<Inline>, link_stack: &mut Vec<(String, Vec<Inline>)>, r| {
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
                            Some((list, lvl, before)) => (list, lvl, format!("{before}{marker} ")),
                            None => {
                                let list = match parent.kind {
                                    // The nested marker is the label.
                                    ListKind::Bullet => match parent.plain {
                                        Some(p) => p,
                                        None => {
                                            self.lists.push(ListKind::Plain);
                                            let p = self.lists.len() - 1;
                                            parent.plain = Some(p);
                                            p
                                        }
                                    },
                                    _ => parent.list,
                                };
                                (list, list_level(depth), format!("{marker} "))
                            }
                        });
                        // The list's later entries count from the second
                        // number.
                        if let ListKind::Decimal { start, .. } = &mut kind {
                            *start += 1;
                        }
                    }
                    lists.push(OpenList {
                        list: self.add_list(kind),
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
                    link_stack.push((dest_url.to_string(), Vec::new()));
                }
                Event::End(TagEnd::Link) => {
                    if let Some((target, inner)) = link_stack.pop() {
                        push(
                            &mut runs,
                            &mut link_stack,
                            Inline::Link {
                                target,
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
                    Some((_, "br")) => push(&mut runs, &mut link_stack, Inline::Break(Mark::Kept)),
                    _ => {}
                },
                Event::Html(t) => {
                    let text = crate::text::without_tags(&t);
                    if !text.trim().is_empty() {
                        push(&mut runs, &mut link_stack, Inline::text(text.trim()));
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    push(
                        &mut runs,
                        &mut link_stack,
                        Inline::Text {
                            text: t.to_string(),
                            bold: bold > 0,
                            italic: italic > 0,
                            mark: Mark::Kept,
                        },
                    );
                }
                Event::SoftBreak => push(&mut runs, &mut link_stack, Inline::text(" ")),
                Event::HardBreak => push(&mut runs, &mut link_stack, Inline::Break(Mark::Kept)),
                Event::Rule => {
                    self.flush(&mut runs, style, &mut lists, None);
                    self.blocks.push(Block {
                        rule: true,
                        ..Block::new(Style::Normal, Vec::new())
                    });
                }
                _ => {}
            }
        }
        self.flush(&mut runs, style, &mut lists, None);
    }

    /// Ends the paragraph being laid out from Markdown.
    fn flush(
        &mut self,
        runs: &mut Vec<Inline>,
        style: Style,
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
                let list = match l.into.take() {
                    Some((list, lvl, markers)) => {
                        runs.insert(0, Inline::text(&markers));
                        (list, lvl)
                    }
                    None => (l.list, list_level(depth)),
                };
                self.blocks.push(Block {
                    list: Some(list),
                    ..Block::new(Style::ListParagraph, runs)
                });
            }
            Some(_) => self.para(Style::ListContinue, runs),
            None => self.para(style, runs),
        }
    }

    /// The runs of a meeting's heading: who met, in bold, and its symbol
    /// (linked to its document) or source.
    fn meeting_heading(m: &Meeting, documents_url: &str) -> Vec<Inline> {
        let mut runs = vec![Inline::Text {
            text: m.body.clone(),
            bold: true,
            italic: false,
            mark: Mark::Kept,
        }];
        let linked = |runs: &mut Vec<Inline>, text: &str, link: Option<&str>| {
            runs.push(Inline::text(" ("));
            let inner = vec![Inline::text(text)];
            match link {
                Some(l) => runs.push(Inline::Link {
                    target: l.to_string(),
                    runs: inner,
                }),
                None => runs.extend(inner),
            }
            runs.push(Inline::text(")"));
        };
        // A symbol links to its document: the link the edition gives when
        // it gives a real one, the document's permanent address when it
        // gives none or `#` (the PDF conversion lost them).
        let report = |sym: &str| match m.link.as_deref() {
            Some(l) if !l.starts_with('#') => l.to_string(),
            _ => super::document_url(documents_url, None, sym),
        };
        match (&m.symbol, &m.source) {
            (Some(sym), Some(src)) => {
                linked(&mut runs, sym, Some(&report(sym)));
                linked(&mut runs, src, None);
            }
            (Some(sym), None) => linked(&mut runs, sym, Some(&report(sym))),
            (None, Some(src)) => linked(&mut runs, src, m.link.as_deref()),
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
        let list = self.add_list(kind);
        for s in subs {
            let start = self.blocks.len();
            self.markdown(&s.text, Style::ListParagraph);
            let Some(first) = self.blocks.get_mut(start) else {
                continue;
            };
            first.style = Style::ListParagraph;
            first.list = Some((list, 0));
            if kind == ListKind::Plain && !s.label.is_empty() {
                first.runs.insert(0, Inline::text(&format!("{} ", s.label)));
            }
        }
    }

    /// One item of a meeting: its label, its text and its sub-items; or,
    /// as `entry`, a list entry (see [`super::as_list_entries`]).
    fn item(item: &crate::model::Item, entry: bool) -> Layout {
        let mut l = Layout::default();
        if entry {
            l.subitems(&[SubItem {
                label: String::new(),
                text: item.text.clone(),
            }]);
            return l;
        }
        if let Some(label) = &item.label {
            l.para(
                heading_style(Profile::untoc().levels.label),
                vec![Inline::Text {
                    text: describe::item_name(item.kind, Some(label), None),
                    bold: false,
                    italic: true,
                    mark: Mark::Kept,
                }],
            );
        }
        l.markdown(&item.text, Style::Normal);
        if !item.subitems.is_empty() {
            l.subitems(&item.subitems);
        }
        l
    }

    /// One paragraph of plain text.
    fn one(style: Style, text: &str) -> Layout {
        Layout {
            blocks: vec![Block::new(style, vec![Inline::text(text)])],
            lists: Vec::new(),
        }
    }
}

/// The list level of a list nested `depth` deep (from 1): nine levels,
/// deeper lists stay at the ninth.
fn list_level(depth: usize) -> u8 {
    depth.saturating_sub(1).min(8) as u8
}

fn heading_style(level: u8) -> Style {
    Style::Heading(level.clamp(1, 6))
}

/// An HTML tag's name, lower-cased, and whether it closes: `<b>`,
/// `</strong>`, `<br/>`; `None` for a comment or anything else.
pub(crate) fn html_tag(t: &str) -> Option<(bool, &'static str)> {
    let inner = t.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let name = inner
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

// ---------------------------------------------------------------------------
// Word-level changes inside a paragraph

/// What a paragraph's runs are compared by: words (each with the spaces
/// after it) and breaks, each with its formatting and link.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Token {
    piece: Piece,
    bold: bool,
    italic: bool,
    link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Word(String),
    Break,
    PageBreak,
}

fn tokens(runs: &[Inline], link: Option<&str>, out: &mut Vec<Token>) {
    for r in runs {
        let token = |piece, bold, italic| Token {
            piece,
            bold,
            italic,
            link: link.map(str::to_string),
        };
        match r {
            Inline::Text {
                text, bold, italic, ..
            } => {
                let mut start = 0;
                let mut seen_space = false;
                for (at, c) in text.char_indices() {
                    if c.is_whitespace() {
                        seen_space = true;
                    } else if seen_space {
                        out.push(token(
                            Piece::Word(text[start..at].to_string()),
                            *bold,
                            *italic,
                        ));
                        start = at;
                        seen_space = false;
                    }
                }
                if start < text.len() {
                    out.push(token(
                        Piece::Word(text[start..].to_string()),
                        *bold,
                        *italic,
                    ));
                }
            }
            Inline::Break(_) => out.push(token(Piece::Break, false, false)),
            Inline::PageBreak(_) => out.push(token(Piece::PageBreak, false, false)),
            Inline::Link { target, runs } => tokens(runs, Some(target), out),
        }
    }
}

/// The runs of a paragraph that was `old` and is `new`, its words marked
/// kept, deleted or inserted (a replacement is a deletion followed by an
/// insertion, as the diff's word changes are).
fn diff_runs(old: &[Inline], new: &[Inline]) -> Vec<Inline> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    tokens(old, None, &mut a);
    tokens(new, None, &mut b);
    let mut marked: Vec<(Token, Mark)> = Vec::with_capacity(a.len().max(b.len()));
    for op in capture_diff_slices(Algorithm::Patience, &a, &b) {
        let (tag, o, n) = op.as_tag_tuple();
        let del = |m: &mut Vec<(Token, Mark)>| {
            m.extend(a[o.clone()].iter().map(|t| (t.clone(), Mark::Deleted)))
        };
        let ins = |m: &mut Vec<(Token, Mark)>| {
            m.extend(b[n.clone()].iter().map(|t| (t.clone(), Mark::Inserted)))
        };
        match tag {
            DiffTag::Equal => marked.extend(b[n.clone()].iter().map(|t| (t.clone(), Mark::Kept))),
            DiffTag::Delete => del(&mut marked),
            DiffTag::Insert => ins(&mut marked),
            DiffTag::Replace => {
                del(&mut marked);
                ins(&mut marked);
            }
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < marked.len() {
        let link = marked[i].0.link.clone();
        let end = i + marked[i..]
            .iter()
            .take_while(|(t, _)| t.link == link)
            .count();
        let runs = plain_runs(&marked[i..end]);
        match link {
            Some(target) => out.push(Inline::Link { target, runs }),
            None => out.extend(runs),
        }
        i = end;
    }
    out
}

/// Tokens as runs: words of one formatting and mark joined.
fn plain_runs(tokens: &[(Token, Mark)]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for (t, m) in tokens {
        match &t.piece {
            Piece::Word(w) => {
                if let Some(Inline::Text {
                    text,
                    bold,
                    italic,
                    mark,
                }) = out.last_mut()
                    && *bold == t.bold
                    && *italic == t.italic
                    && mark == m
                {
                    text.push_str(w);
                    continue;
                }
                out.push(Inline::Text {
                    text: w.clone(),
                    bold: t.bold,
                    italic: t.italic,
                    mark: *m,
                });
            }
            Piece::Break => out.push(Inline::Break(*m)),
            Piece::PageBreak => out.push(Inline::PageBreak(*m)),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Merging two sequences in order

/// One place of two sequences merged: an element of the old only, of the
/// new only, or a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Old(usize),
    New(usize),
    Both(usize, usize),
}

/// Two sequences of `old_len` and `new_len` elements merged along
/// `pairs` (old index, new index): the longest run of pairs in the same
/// order in both stays in place; every other element is of one side,
/// each side in its own order, the old ones before the new ones where
/// both fall between the same pairs.
fn merge_order(old_len: usize, new_len: usize, pairs: &[(usize, usize)]) -> Vec<Slot> {
    let mut by_new: Vec<(usize, usize)> = pairs.to_vec();
    by_new.sort_by_key(|&(_, n)| n);
    let olds: Vec<usize> = by_new.iter().map(|&(o, _)| o).collect();
    let mut partner = vec![None; new_len];
    let mut kept_old = vec![false; old_len];
    for k in crate::diff::matching::longest_increasing(&olds) {
        let (o, n) = by_new[k];
        partner[n] = Some(o);
        kept_old[o] = true;
    }
    let mut out = Vec::with_capacity(old_len + new_len);
    let mut next_old = 0;
    // The old elements of one side only up to `limit`, in order.
    let flush = |out: &mut Vec<Slot>, next_old: &mut usize, limit: usize| {
        while *next_old < limit {
            if !kept_old[*next_old] {
                out.push(Slot::Old(*next_old));
            }
            *next_old += 1;
        }
    };
    for n in 0..new_len {
        match partner[n] {
            Some(o) => {
                flush(&mut out, &mut next_old, o);
                out.push(Slot::Both(o, n));
                next_old = o + 1;
            }
            None => {
                // Old ones before the next pair go first.
                let limit = partner[n..]
                    .iter()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(old_len);
                flush(&mut out, &mut next_old, limit);
                out.push(Slot::New(n));
            }
        }
    }
    flush(&mut out, &mut next_old, old_len);
    out
}

// ---------------------------------------------------------------------------
// Building a redline

/// A heading the table of contents lists: its level and its entry in
/// each edition.
struct Listed {
    level: u8,
    old: Option<String>,
    new: Option<String>,
}

/// A moved item's blocks, as they are laid out: the old ones, the new.
#[derive(Debug, Default)]
struct Moving {
    from: Option<Range<usize>>,
    to: Option<Range<usize>>,
}

/// Where an item stands in an edition: its meeting and its place there.
#[derive(Clone, Copy)]
struct Place<'a> {
    meeting: &'a Meeting,
    at: usize,
}

struct Builder<'a> {
    old: Option<&'a Edition>,
    new: &'a Edition,
    url: String,
    out: Layout,
    listed: Vec<Listed>,
    changes: Vec<Change>,
    notes: Vec<Note>,
    numbered: Vec<Numbered>,
    /// Moved items by id: their old blocks and their new, as laid out.
    moving: HashMap<String, Moving>,
    old_items: HashMap<&'a str, Place<'a>>,
    new_items: HashMap<&'a str, Place<'a>>,
    /// The report's items by the id it gives them.
    statuses: HashMap<&'a str, &'a ItemDiff>,
    /// Old items merged into a new item, by the new item's id.
    merged_in: HashMap<&'a str, Vec<&'a ItemDiff>>,
    /// Paired meetings: old key → new key.
    meeting_pairs: HashMap<&'a str, &'a str>,
    /// Their new keys.
    paired_new: HashSet<&'a str>,
    /// The report's meetings by key (a removed one by its old key).
    meeting_status: HashMap<&'a str, MeetingStatus>,
    report: Option<&'a EditionDiff>,
    options: &'a RedlineOptions,
}

impl<'a> Builder<'a> {
    fn new(
        old: Option<&'a Edition>,
        new: &'a Edition,
        report: Option<&'a EditionDiff>,
        options: &'a RedlineOptions,
    ) -> Builder<'a> {
        let places = |e: &'a Edition| -> HashMap<&'a str, Place<'a>> {
            e.meetings()
                .flat_map(|m| {
                    m.items
                        .iter()
                        .enumerate()
                        .map(move |(at, item)| (item.id.as_str(), Place { meeting: m, at }))
                })
                .collect()
        };
        let mut statuses = HashMap::new();
        let mut merged_in: HashMap<&str, Vec<&ItemDiff>> = HashMap::new();
        let mut meeting_pairs = HashMap::new();
        let mut meeting_status = HashMap::new();
        if let Some(r) = report {
            for m in &r.meetings {
                meeting_status.insert(m.key.as_str(), m.status);
                if !matches!(m.status, MeetingStatus::Added | MeetingStatus::Removed) {
                    meeting_pairs.insert(m.old_key.as_deref().unwrap_or(&m.key), m.key.as_str());
                }
                for it in &m.items {
                    statuses.insert(it.id.as_str(), it);
                    if let Some(into) = it.merged_into() {
                        merged_in.entry(into).or_default().push(it);
                    }
                }
            }
        } else if let Some(o) = old {
            // No report: the same edition twice, meetings by key.
            for m in o.meetings() {
                meeting_pairs.insert(m.key.as_str(), m.key.as_str());
            }
        }
        Builder {
            old,
            new,
            url: options.documents_url.clone(),
            out: Layout::default(),
            listed: Vec::new(),
            changes: Vec::new(),
            notes: Vec::new(),
            numbered: Vec::new(),
            moving: HashMap::new(),
            old_items: old.map(places).unwrap_or_default(),
            new_items: places(new),
            statuses,
            merged_in,
            meeting_status,
            paired_new: meeting_pairs.values().copied().collect(),
            meeting_pairs,
            report,
            options,
        }
    }

    fn build(mut self) -> Redline {
        let (old, new) = (self.old, self.new);
        // The title page.
        let masthead = |e: &Edition| {
            let mut l = Layout::default();
            for line in &e.masthead {
                l.markdown(line, Style::Masthead);
            }
            l
        };
        self.unit(old.map(masthead), Some(masthead(new)));
        let title =
            |e: &Edition| (!e.title.is_empty()).then(|| Layout::one(Style::Title, &e.title));
        self.unit(old.and_then(title), title(new));
        let date = |e: &Edition| {
            let text = match &e.place {
                Some(place) => format!("{place}, {}", e.date.long()),
                None => e.date.long(),
            };
            Layout {
                blocks: vec![Block::new(
                    Style::DateLine,
                    vec![Inline::text(&text), Inline::PageBreak(Mark::Kept)],
                )],
                lists: Vec::new(),
            }
        };
        self.unit(old.map(date), Some(date(new)));
        // The table of contents: its heading, then its entries, laid out
        // once every heading it lists is.
        let contents = || Layout::one(Style::ContentsHeading, Profile::untoc().contents_heading);
        self.unit(old.map(|_| contents()), Some(contents()));
        let toc_at = self.out.blocks.len();
        self.sections();
        self.parts();
        let contact = |e: &Edition| {
            e.contact.as_ref().map(|c| {
                let mut l = Layout::default();
                l.blocks.push(Block {
                    rule: true,
                    ..Block::new(Style::Normal, Vec::new())
                });
                l.markdown(c, Style::Normal);
                l
            })
        };
        self.unit(old.and_then(contact), contact(new));
        self.letters_as_text();
        self.contents(toc_at);
        self.no_empty_after_changes();
        Redline {
            from: old.map(|o| o.id.clone()).unwrap_or_default(),
            to: new.id.clone(),
            title: new.title.clone(),
            author: self.options.author.clone(),
            date: self.options.date.clone(),
            blocks: self.out.blocks,
            lists: self.out.lists,
            changes: self.changes,
            // Every item in both editions is laid out once in each: a
            // move has both its sides.
            moves: {
                let mut moves: Vec<Move> = self
                    .moving
                    .into_iter()
                    .filter_map(|(id, Moving { from, to })| {
                        Some(Move {
                            id,
                            from: from?,
                            to: to?,
                        })
                    })
                    .collect();
                moves.sort_by_key(|m| m.to.start);
                moves
            },
            notes: self.notes,
            numbered: self.numbered,
        }
    }

    // -- Units: one thing in each edition, laid out and marked

    /// Appends one thing as it is in the old edition and in the new: the
    /// new blocks alone inserted, the old alone deleted, both aligned
    /// paragraph by paragraph with word-level changes. Its blocks' range.
    fn unit(&mut self, old: Option<Layout>, new: Option<Layout>) -> Range<usize> {
        let start = self.out.blocks.len();
        match (old, new) {
            (None, None) => {}
            (None, Some(n)) => self.append(n, Mark::Inserted),
            (Some(o), None) => self.append(o, Mark::Deleted),
            (Some(o), Some(n)) if o == n => self.append(n, Mark::Kept),
            (Some(o), Some(n)) => self.merge(o, n),
        }
        start..self.out.blocks.len()
    }

    fn append(&mut self, l: Layout, mark: Mark) {
        let base = self.out.lists.len();
        self.out.lists.extend(l.lists);
        for mut b in l.blocks {
            b.list = b.list.map(|(list, lvl)| (list + base, lvl));
            if mark != Mark::Kept {
                b.set_mark(mark);
            }
            self.out.blocks.push(b);
        }
    }

    /// Two layouts of one thing, aligned: equal paragraphs kept, paragraphs
    /// of one shape between them paired with word-level changes, the rest
    /// deleted or inserted whole. A list of the old layout is the new
    /// one's where a paragraph of each pairs up.
    fn merge(&mut self, o: Layout, n: Layout) {
        // What a paragraph is, but for its words: aligned paragraphs keep
        // it, so that neither edition's paragraph changes its style.
        let shape = |l: &Layout, b: &Block| {
            (
                b.style,
                b.list.map(|(list, lvl)| (l.lists[list], lvl)),
                b.rule,
                b.page_break_before,
            )
        };
        let key = |l: &Layout, b: &Block| (shape(l, b), b.runs.clone());
        let ok: Vec<_> = o.blocks.iter().map(|b| key(&o, b)).collect();
        let nk: Vec<_> = n.blocks.iter().map(|b| key(&n, b)).collect();
        // What each old paragraph becomes: kept as the k-th new one,
        // paired with it, or deleted.
        enum Step {
            Keep(usize, usize),
            Pair(usize, usize),
            Delete(usize),
            Insert(usize),
        }
        let mut steps = Vec::new();
        for op in capture_diff_slices(Algorithm::Myers, &ok, &nk) {
            let (tag, or, nr) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => steps.extend(or.zip(nr).map(|(i, j)| Step::Keep(i, j))),
                DiffTag::Delete => steps.extend(or.map(Step::Delete)),
                DiffTag::Insert => steps.extend(nr.map(Step::Insert)),
                DiffTag::Replace => {
                    let (ov, nv): (Vec<usize>, Vec<usize>) = (or.collect(), nr.collect());
                    for k in 0..ov.len().max(nv.len()) {
                        match (ov.get(k), nv.get(k)) {
                            (Some(&i), Some(&j))
                                if shape(&o, &o.blocks[i]) == shape(&n, &n.blocks[j]) =>
                            {
                                steps.push(Step::Pair(i, j));
                            }
                            (i, j) => {
                                steps.extend(i.map(|&i| Step::Delete(i)));
                                steps.extend(j.map(|&j| Step::Insert(j)));
                            }
                        }
                    }
                }
            }
        }
        // Lists: the new layout's all join; an old one is the new one it
        // pairs with, else joins as its own.
        let base = self.out.lists.len();
        self.out.lists.extend(n.lists.iter().copied());
        let mut old_list: HashMap<usize, usize> = HashMap::new();
        for s in &steps {
            if let Step::Keep(i, j) | Step::Pair(i, j) = *s
                && let (Some((lo, _)), Some((ln, _))) = (o.blocks[i].list, n.blocks[j].list)
            {
                old_list.entry(lo).or_insert(ln + base);
            }
        }
        for (k, kind) in o.lists.iter().enumerate() {
            if let std::collections::hash_map::Entry::Vacant(e) = old_list.entry(k) {
                self.out.lists.push(*kind);
                e.insert(self.out.lists.len() - 1);
            }
        }
        let new_block = |j: usize| {
            let mut b = n.blocks[j].clone();
            b.list = b.list.map(|(l, lvl)| (l + base, lvl));
            b
        };
        for s in steps {
            match s {
                Step::Keep(_, j) => self.out.blocks.push(new_block(j)),
                Step::Pair(i, j) => {
                    let mut b = new_block(j);
                    b.runs = diff_runs(&o.blocks[i].runs, &n.blocks[j].runs);
                    self.out.blocks.push(b);
                }
                Step::Delete(i) => {
                    let mut b = o.blocks[i].clone();
                    b.list = b.list.map(|(l, lvl)| (old_list[&l], lvl));
                    b.set_mark(Mark::Deleted);
                    self.out.blocks.push(b);
                }
                Step::Insert(j) => {
                    let mut b = new_block(j);
                    b.set_mark(Mark::Inserted);
                    self.out.blocks.push(b);
                }
            }
        }
    }

    /// A heading the table of contents lists, as a unit.
    fn listed_heading(
        &mut self,
        level: u8,
        old: Option<(Layout, String)>,
        new: Option<(Layout, String)>,
        page: bool,
    ) -> Range<usize> {
        let (ol, oe) = old.unzip();
        let (nl, ne) = new.unzip();
        let range = self.unit(ol, nl);
        if let Some(first) = self.out.blocks.get_mut(range.start)
            && range.start < range.end
        {
            first.bookmark = Some(self.listed.len());
            first.page_break_before = page;
        }
        self.listed.push(Listed {
            level,
            old: oe,
            new: ne,
        });
        range
    }

    // -- The front matter

    fn sections(&mut self) {
        let old = self.old.map_or(&[][..], |o| &o.front_matter[..]);
        let new = &self.new.front_matter[..];
        // Sections pair by title, the k-th of a title with the k-th (as
        // the diff pairs them), or as the diff found one renamed.
        let nth = |list: &[crate::model::Section], at: usize| {
            list[..at]
                .iter()
                .filter(|s| s.title == list[at].title)
                .count()
        };
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut taken = vec![false; old.len()];
        for (j, s) in new.iter().enumerate() {
            let k = nth(new, j);
            let same = (0..old.len())
                .filter(|&i| old[i].title == s.title)
                .nth(k)
                .filter(|&i| !taken[i]);
            let renamed = || {
                let r = self.report?;
                let d = r
                    .sections
                    .iter()
                    .find(|d| d.status == SectionStatus::Renamed && d.title == s.title)?;
                let was = d.old_title.as_deref()?;
                (0..old.len()).find(|&i| !taken[i] && old[i].title == was)
            };
            if let Some(i) = same.or_else(renamed) {
                taken[i] = true;
                pairs.push((i, j));
            }
        }
        let level = Profile::untoc().levels.section;
        let layout = |s: &crate::model::Section| {
            (Layout::one(heading_style(level), &s.title), s.title.clone())
        };
        let body = |s: &crate::model::Section| {
            let mut l = Layout::default();
            l.markdown(&s.body, Style::Normal);
            l
        };
        for (k, slot) in merge_order(old.len(), new.len(), &pairs)
            .into_iter()
            .enumerate()
        {
            let (o, n) = match slot {
                Slot::Old(i) => (Some(&old[i]), None),
                Slot::New(j) => (None, Some(&new[j])),
                Slot::Both(i, j) => (Some(&old[i]), Some(&new[j])),
            };
            let heading = self.listed_heading(1, o.map(layout), n.map(layout), k == 0);
            let range = self.unit(o.map(body), n.map(body));
            let status = self.report.and_then(|r| {
                let title = n.or(o).map(|s| s.title.as_str())?;
                r.sections
                    .iter()
                    .find(|d| {
                        d.title == title && (n.is_some() != (d.status == SectionStatus::Removed))
                    })
                    .map(|d| d.status)
            });
            if let (Some(status), Some(s)) = (status, n.or(o)) {
                self.changes.push(Change {
                    subject: Subject::Section {
                        title: s.title.clone(),
                        status,
                    },
                    blocks: heading.start..range.end,
                });
            }
        }
    }

    // -- Parts, years and meetings

    fn parts(&mut self) {
        let old = self.old.map_or(&[][..], |o| &o.parts[..]);
        let new = &self.new.parts[..];
        let pairs: Vec<(usize, usize)> = new
            .iter()
            .enumerate()
            .filter_map(|(j, p)| old.iter().position(|q| q.key == p.key).map(|i| (i, j)))
            .collect();
        for slot in merge_order(old.len(), new.len(), &pairs) {
            match slot {
                Slot::Old(i) => self.part(Some(&old[i]), None),
                Slot::New(j) => self.part(None, Some(&new[j])),
                Slot::Both(i, j) => self.part(Some(&old[i]), Some(&new[j])),
            }
        }
    }

    fn part(&mut self, o: Option<&'a Part>, n: Option<&'a Part>) {
        let profile = Profile::untoc();
        let heading = |p: &Part| {
            let text = profile.part_heading(&p.key, &p.title);
            (Layout::one(heading_style(profile.levels.part), &text), text)
        };
        self.listed_heading(1, o.map(heading), n.map(heading), true);
        let old = o.map_or(&[][..], |p| &p.meetings[..]);
        let new = n.map_or(&[][..], |p| &p.meetings[..]);
        let pairs: Vec<(usize, usize)> = old
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let key = *self.meeting_pairs.get(m.key.as_str())?;
                new.iter().position(|n| n.key == key).map(|j| (i, j))
            })
            .collect();
        let slots = merge_order(old.len(), new.len(), &pairs);
        let years = year_headings(&slots, old, new);
        for (slot, year) in slots.into_iter().zip(years) {
            if let Some((oy, ny)) = year {
                let layout =
                    |y: i32| Layout::one(heading_style(profile.levels.year), &y.to_string());
                self.unit(oy.map(layout), ny.map(layout));
            }
            match slot {
                Slot::Old(i) => self.meeting(Some(&old[i]), None),
                Slot::New(j) => self.meeting(None, Some(&new[j])),
                Slot::Both(i, j) => self.meeting(Some(&old[i]), Some(&new[j])),
            }
        }
    }

    /// Whether a meeting laid out as one edition's only is paired with one
    /// of the other edition laid out elsewhere (out of order, or in
    /// another part): moved with its items.
    fn displaced(&self, o: Option<&Meeting>, n: Option<&Meeting>) -> bool {
        match (o, n) {
            (Some(o), None) => self.meeting_pairs.contains_key(o.key.as_str()),
            (None, Some(n)) => self.paired_new.contains(n.key.as_str()),
            _ => false,
        }
    }

    fn meeting(&mut self, o: Option<&'a Meeting>, n: Option<&'a Meeting>) {
        let profile = Profile::untoc();
        let url = self.url.clone();
        let heading = |m: &Meeting| {
            let runs = Layout::meeting_heading(m, &url);
            let entry = profile.contents_entry(&TocEntry::Meeting {
                year: m.year,
                body: m.body.clone(),
            });
            (
                Layout {
                    blocks: vec![Block::new(heading_style(profile.levels.meeting), runs)],
                    lists: Vec::new(),
                },
                entry,
            )
        };
        let head = self.listed_heading(2, o.map(heading), n.map(heading), false);
        let displaced = self.displaced(o, n);
        if displaced && let Some(n) = n {
            let was = self.old.and_then(|e| {
                e.meetings()
                    .find(|m| same_meeting(m, n, &self.meeting_pairs))
            });
            let text = match was {
                Some(w) if w.part != n.part => {
                    format!("Moved here with its items from Part {}", w.part)
                }
                Some(w) if w.year != n.year => format!(
                    "Moved here with its items from where it stood under {}",
                    w.year
                ),
                Some(w) => format!(
                    "Moved here with its items from its place among the meetings of {}",
                    w.year
                ),
                None => "Moved here with its items".to_string(),
            };
            self.notes.push(Note {
                text,
                blocks: head.clone(),
            });
        }
        // A corrected symbol is told on the heading as well as marked.
        if let (Some(o), Some(n)) = (o, n)
            && o.symbol != n.symbol
            && let (Some(was), Some(now)) = (&o.symbol, &n.symbol)
        {
            self.notes.push(Note {
                text: format!("Symbol corrected: {was} is now {now}"),
                blocks: head.clone(),
            });
        }
        let old_entries = o
            .map(|m| super::as_list_entries(&m.items))
            .unwrap_or_default();
        let new_entries = n
            .map(|m| super::as_list_entries(&m.items))
            .unwrap_or_default();
        let old = o.map_or(&[][..], |m| &m.items[..]);
        let new = n.map_or(&[][..], |m| &m.items[..]);
        let old_numbers = observation_numbers(old, &old_entries);
        let new_numbers = observation_numbers(new, &new_entries);
        let pairs: Vec<(usize, usize)> = old
            .iter()
            .enumerate()
            .filter_map(|(i, it)| new.iter().position(|x| x.id == it.id).map(|j| (i, j)))
            .collect();
        for slot in merge_order(old.len(), new.len(), &pairs) {
            let start = self.out.blocks.len();
            let (old_number, new_number) = match slot {
                Slot::Both(i, j) => (old_numbers[i], new_numbers[j]),
                Slot::Old(i) => (old_numbers[i], None),
                Slot::New(j) => (None, new_numbers[j]),
            };
            match slot {
                Slot::Both(i, j) => {
                    let (oi, ni) = (&old[i], &new[j]);
                    let range = self.unit(
                        Some(Layout::item(oi, old_entries[i])),
                        Some(Layout::item(ni, new_entries[j])),
                    );
                    self.merge_notes(ni.id.as_str(), &range);
                    self.item_change(ni.id.as_str(), None, range);
                }
                Slot::Old(i) => {
                    let it = &old[i];
                    let range = self.unit(Some(Layout::item(it, old_entries[i])), None);
                    if self.new_items.contains_key(it.id.as_str()) {
                        self.moving.entry(it.id.to_string()).or_default().from = Some(range);
                    } else {
                        self.item_change(it.id.as_str(), None, range);
                    }
                }
                Slot::New(j) => {
                    let it = &new[j];
                    let range = self.unit(None, Some(Layout::item(it, new_entries[j])));
                    self.merge_notes(it.id.as_str(), &range);
                    // (A new item is in a new meeting: `n` is there.)
                    if let Some(was) = self.old_items.get(it.id.as_str()).copied()
                        && let Some(m) = n
                    {
                        // A meeting moved whole has its note on its heading.
                        if !displaced {
                            self.notes.push(Note {
                                text: moved_note(was, m, &self.meeting_pairs),
                                blocks: range.clone(),
                            });
                        }
                        self.moving.entry(it.id.to_string()).or_default().to = Some(range.clone());
                        self.item_change(it.id.as_str(), Some(ItemStatus::Moved), range);
                    } else {
                        if let Some(text) = self.origin_note(it.id.as_str()) {
                            self.notes.push(Note {
                                text,
                                blocks: range.clone(),
                            });
                        }
                        self.item_change(it.id.as_str(), None, range);
                    }
                }
            }
            if old_number.is_some() || new_number.is_some() {
                self.numbered.push(Numbered {
                    blocks: start..self.out.blocks.len(),
                    old: old_number,
                    new: new_number,
                });
            }
        }
        let end = self.out.blocks.len();
        // A meeting moved whole is told once, at its new place.
        let key = n.or(o).map(|m| m.key.as_str()).unwrap_or_default();
        let status = match displaced && n.is_none() {
            true => None,
            false => self.meeting_status.get(key).copied(),
        };
        if let Some(status) = status.filter(|s| *s != MeetingStatus::Unchanged) {
            self.changes.push(Change {
                subject: Subject::Meeting {
                    key: key.to_string(),
                    status,
                },
                blocks: head.start..end,
            });
        }
    }

    /// The note on an item that others were merged into.
    fn merge_notes(&mut self, id: &str, range: &Range<usize>) {
        let Some(list) = self.merged_in.get(id) else {
            return;
        };
        let names: Vec<String> = list
            .iter()
            .map(|d| {
                let name = describe::old_name(d);
                match self.old_items.get(d.id.as_str()) {
                    Some(p)
                        if self.new_items.get(id).is_some_and(|q| {
                            !same_meeting(p.meeting, q.meeting, &self.meeting_pairs)
                        }) =>
                    {
                        format!("{name} of {}", meeting_name(p.meeting))
                    }
                    _ => name,
                }
            })
            .collect();
        let text = match names.as_slice() {
            [one] => format!("{one} was merged into this one"),
            _ => format!("{} were merged into this one", names.join(", ")),
        };
        self.notes.push(Note {
            text,
            blocks: range.clone(),
        });
    }

    /// Where an item new to edition B came from: the item it was split
    /// off, or the edition it was withdrawn in.
    fn origin_note(&self, id: &str) -> Option<String> {
        let d = self.statuses.get(id)?;
        match d.status {
            ItemStatus::Split => {
                let from = d.split_from()?;
                let was = self.old_items.get(from)?;
                let name = describe::item_name(
                    d.kind,
                    was.meeting.items[was.at].label.as_deref(),
                    Some(was.at + 1),
                );
                let here = self.new_items.get(id)?;
                Some(
                    if same_meeting(was.meeting, here.meeting, &self.meeting_pairs) {
                        format!("Split off {name}")
                    } else {
                        format!("Split off {name} of {}", meeting_name(was.meeting))
                    },
                )
            }
            ItemStatus::Restored => Some(match d.withdrawn_in() {
                Some(e) => format!("Restored: withdrawn in edition {e}"),
                None => "Restored: withdrawn in an earlier edition".to_string(),
            }),
            _ => None,
        }
    }

    /// Records what the diff said of an item it lists.
    fn item_change(&mut self, id: &str, fallback: Option<ItemStatus>, blocks: Range<usize>) {
        let d = self.statuses.get(id).copied();
        let Some(status) = d.map(|d| d.status).or(fallback) else {
            return;
        };
        let old = self
            .old_items
            .get(id)
            .and_then(|p| p.meeting.items[p.at].label.clone());
        let new = self
            .new_items
            .get(id)
            .and_then(|p| p.meeting.items[p.at].label.clone());
        let kind = self
            .new_items
            .get(id)
            .or_else(|| self.old_items.get(id))
            .map_or(ItemKind::Observation, |p| p.meeting.items[p.at].kind);
        self.changes.push(Change {
            subject: Subject::Item {
                id: id.to_string(),
                kind: d.map_or(kind, |d| d.kind),
                status,
                label: (old != new
                    && self.old_items.contains_key(id)
                    && self.new_items.contains_key(id))
                .then_some(LabelChange { old, new }),
            },
            blocks,
        });
    }

    // -- Finishing

    /// A lettered list with an entry deleted is written with its letters as
    /// text, each marked as it changes: a word processor counts a deleted
    /// entry's letter until the deletion is accepted, and livedoc's Word
    /// reader, which reads tracked changes as accepted, counts it too.
    fn letters_as_text(&mut self) {
        for list in 0..self.out.lists.len() {
            if self.out.lists[list] != ListKind::Letters {
                continue;
            }
            let entries: Vec<usize> = (0..self.out.blocks.len())
                .filter(|&b| self.out.blocks[b].list.is_some_and(|(l, _)| l == list))
                .collect();
            if !entries
                .iter()
                .any(|&b| self.out.blocks[b].mark == Mark::Deleted)
            {
                continue;
            }
            self.out.lists[list] = ListKind::Plain;
            let letter = |k: usize| format!("({}) ", (b'a' + (k % 26) as u8) as char);
            let (mut old_n, mut new_n) = (0, 0);
            for b in entries {
                let block = &mut self.out.blocks[b];
                let old = (block.mark != Mark::Inserted).then(|| {
                    old_n += 1;
                    letter(old_n - 1)
                });
                let new = (block.mark != Mark::Deleted).then(|| {
                    new_n += 1;
                    letter(new_n - 1)
                });
                let run = |text: String, mark| Inline::Text {
                    text,
                    bold: false,
                    italic: false,
                    mark,
                };
                let label = match (old, new) {
                    (Some(o), Some(n)) if o == n => vec![run(n, Mark::Kept)],
                    (o, n) => o
                        .map(|o| run(o, Mark::Deleted))
                        .into_iter()
                        .chain(n.map(|n| run(n, Mark::Inserted)))
                        .collect(),
                };
                block.runs.splice(0..0, label);
            }
        }
    }

    /// A paragraph kept empty (a rule) right after paragraphs inserted or
    /// deleted whole gets a tab, which prints nothing and reads as nothing:
    /// a word processor removing those paragraphs joins what is left of
    /// them with the next paragraph, and LibreOffice keeps the properties
    /// of the first of the two when the next is empty, so that the rule
    /// would become the removed paragraph's style (measured with
    /// LibreOffice 7.4: Reject All of a meeting added before the contact
    /// line's rule left a Heading 2 there).
    fn no_empty_after_changes(&mut self) {
        for i in 1..self.out.blocks.len() {
            let after_change = self.out.blocks[i - 1].mark != Mark::Kept;
            let b = &mut self.out.blocks[i];
            if after_change && b.mark == Mark::Kept && b.runs.is_empty() {
                b.runs.push(Inline::text("\t"));
            }
        }
    }

    /// The table of contents' entries, one per listed heading, inserted at
    /// `at`; every range after it moves down.
    fn contents(&mut self, at: usize) {
        let mut entries = Vec::with_capacity(self.listed.len());
        for (k, l) in self.listed.iter().enumerate() {
            let text = |s: &String| vec![Inline::text(s)];
            let (mark, runs) = match (&l.old, &l.new) {
                (Some(o), Some(n)) if o == n => (Mark::Kept, text(n)),
                (Some(o), Some(n)) => (Mark::Kept, diff_runs(&text(o), &text(n))),
                (None, Some(n)) => (Mark::Inserted, text(n)),
                (Some(o), None) => (Mark::Deleted, text(o)),
                (None, None) => continue,
            };
            let mut b = Block::new(Style::Contents(l.level), runs);
            b.contents = Some(k);
            if mark != Mark::Kept {
                b.set_mark(mark);
            }
            entries.push(b);
        }
        let shift = entries.len();
        let moved = |r: &mut Range<usize>| {
            if r.start >= at {
                *r = r.start + shift..r.end + shift;
            }
        };
        self.changes.iter_mut().for_each(|c| moved(&mut c.blocks));
        self.notes.iter_mut().for_each(|n| moved(&mut n.blocks));
        self.numbered.iter_mut().for_each(|n| moved(&mut n.blocks));
        for m in self.moving.values_mut() {
            m.from.iter_mut().chain(m.to.iter_mut()).for_each(moved);
        }
        self.out.blocks.splice(at..at, entries);
    }
}

/// Each item's number among its meeting's unlabelled observations, as
/// the edition's typeset layout numbers them (`render::pdf::view`); `None`
/// for a labelled item, a recommendation, or an item written as a list
/// entry (`entries`, from [`super::as_list_entries`]).
fn observation_numbers(items: &[crate::model::Item], entries: &[bool]) -> Vec<Option<usize>> {
    let mut n = 0;
    items
        .iter()
        .zip(entries)
        .map(|(item, &entry)| {
            let numbered = !entry && item.label.is_none() && item.kind == ItemKind::Observation;
            numbered.then(|| {
                n += 1;
                n
            })
        })
        .collect()
}

/// Whether old meeting `o` is new meeting `n` (paired by the diff).
fn same_meeting(o: &Meeting, n: &Meeting, pairs: &HashMap<&str, &str>) -> bool {
    pairs
        .get(o.key.as_str())
        .is_some_and(|k| *k == n.key.as_str())
}

/// A meeting as a note names it: its symbol, else who met and its source.
fn meeting_name(m: &Meeting) -> String {
    match &m.symbol {
        Some(s) => s.clone(),
        None => format!("{} {}", m.year, describe::meeting(m)),
    }
}

/// "Moved from CTOC/COP/WG.2/2023/4, where it was Recommendation 5".
fn moved_note(was: Place<'_>, now: &Meeting, pairs: &HashMap<&str, &str>) -> String {
    let item = &was.meeting.items[was.at];
    let name = describe::item_name(item.kind, item.label.as_deref(), Some(was.at + 1));
    if same_meeting(was.meeting, now, pairs) {
        format!("Moved within this meeting, where it was {name}")
    } else {
        format!(
            "Moved from {}, where it was {name}",
            meeting_name(was.meeting)
        )
    }
}

/// A year in the old edition and in the new, either or both.
type Years = (Option<i32>, Option<i32>);

/// Where a part's year headings go among its merged meetings: before
/// each slot, `None`, or the heading's year in the old and the new
/// edition (one of them for a heading of one edition only). A heading is
/// shared where both editions start that year there, or where one starts
/// it and the other starts the same year after only meetings of the first.
fn year_headings(slots: &[Slot], old: &[Meeting], new: &[Meeting]) -> Vec<Option<Years>> {
    let years: Vec<Years> = slots
        .iter()
        .map(|s| match *s {
            Slot::Old(i) => (Some(old[i].year), None),
            Slot::New(j) => (None, Some(new[j].year)),
            Slot::Both(i, j) => (Some(old[i].year), Some(new[j].year)),
        })
        .collect();
    // Whether each slot starts a year in the old and in the new edition.
    let starts = |side: fn(&Years) -> Option<i32>| -> Vec<bool> {
        let mut last = None;
        years
            .iter()
            .map(|y| match side(y) {
                Some(v) => {
                    let start = last != Some(v);
                    last = Some(v);
                    start
                }
                None => false,
            })
            .collect()
    };
    let mut old_starts = starts(|y| y.0);
    let mut new_starts = starts(|y| y.1);
    let mut out = vec![None; slots.len()];
    for s in 0..slots.len() {
        let (oy, ny) = years[s];
        match (old_starts[s], new_starts[s]) {
            (true, true) => out[s] = Some((oy, ny)),
            (false, true) => {
                // Shared with the old edition's next start, if only new
                // meetings come before it.
                let next = (s..slots.len()).find(|&t| years[t].0.is_some());
                match next {
                    Some(t) if oy.is_none() && old_starts[t] && years[t].0 == ny => {
                        old_starts[t] = false;
                        out[s] = Some((ny, ny));
                    }
                    _ => out[s] = Some((None, ny)),
                }
            }
            (true, false) => {
                let next = (s..slots.len()).find(|&t| years[t].1.is_some());
                match next {
                    Some(t) if ny.is_none() && new_starts[t] && years[t].1 == oy => {
                        new_starts[t] = false;
                        out[s] = Some((oy, oy));
                    }
                    _ => out[s] = Some((oy, None)),
                }
            }
            (false, false) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_order_keeps_the_longest_run_in_place() {
        // old: a b c d; new: b a c e (b moved before a, d removed, e
        // added): a and c stay, b is one side at each of its places.
        let slots = merge_order(4, 4, &[(0, 1), (1, 0), (2, 2)]);
        assert_eq!(
            slots,
            [
                Slot::New(0),
                Slot::Both(0, 1),
                Slot::Old(1),
                Slot::Both(2, 2),
                Slot::Old(3),
                Slot::New(3),
            ]
        );
    }

    #[test]
    fn merge_order_puts_deletions_before_insertions() {
        let slots = merge_order(3, 3, &[(0, 0), (2, 2)]);
        assert_eq!(
            slots,
            [
                Slot::Both(0, 0),
                Slot::Old(1),
                Slot::New(1),
                Slot::Both(2, 2)
            ]
        );
    }

    fn words(runs: &[Inline], keep: Mark) -> String {
        let mut s = String::new();
        for r in runs {
            match r {
                Inline::Text { text, mark, .. } if *mark == Mark::Kept || *mark == keep => {
                    s.push_str(text)
                }
                Inline::Link { runs, .. } => s.push_str(&words(runs, keep)),
                _ => {}
            }
        }
        s
    }

    #[test]
    fn word_changes_give_back_both_texts() {
        let old = vec![
            Inline::text("Parties should consider "),
            Inline::Link {
                target: "https://x/".into(),
                runs: vec![Inline::text("providing resources")],
            },
            Inline::text(" to UNODC."),
        ];
        let new = vec![
            Inline::text("Parties are encouraged to consider "),
            Inline::Link {
                target: "https://x/".into(),
                runs: vec![Inline::text("providing extrabudgetary resources")],
            },
            Inline::text(" to UNODC."),
        ];
        let runs = diff_runs(&old, &new);
        assert_eq!(words(&runs, Mark::Deleted), words(&old, Mark::Kept));
        assert_eq!(words(&runs, Mark::Inserted), words(&new, Mark::Kept));
        // Only the changed words are marked.
        let marked: Vec<&str> = runs
            .iter()
            .filter_map(|r| match r {
                Inline::Text { text, mark, .. } if *mark != Mark::Kept => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(marked, ["should ", "are encouraged to "]);
    }

    #[test]
    fn a_year_heading_is_shared_across_an_added_meeting() {
        let m = |year: i32, key: &str| Meeting {
            key: key.into(),
            part: "A".into(),
            year,
            body: "Working Group".into(),
            kind: crate::model::MeetingKind::WorkingGroup,
            symbol: None,
            source: None,
            link: None,
            items: Vec::new(),
        };
        // old: 2022 M1; new: 2022 M0 (added), M1
        let old = [m(2022, "m1")];
        let new = [m(2022, "m0"), m(2022, "m1")];
        let slots = merge_order(1, 2, &[(0, 1)]);
        assert_eq!(
            year_headings(&slots, &old, &new),
            [Some((Some(2022), Some(2022))), None]
        );
        // old: 2022 R (removed), 2023 M; new: 2023 M
        let old = [m(2022, "r"), m(2023, "m")];
        let new = [m(2023, "m")];
        let slots = merge_order(2, 1, &[(1, 0)]);
        assert_eq!(
            year_headings(&slots, &old, &new),
            [Some((Some(2022), None)), Some((Some(2023), Some(2023)))]
        );
    }
}
