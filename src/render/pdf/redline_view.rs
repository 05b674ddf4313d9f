//! What the redline template is given: a [`Redline`] as plain data for
//! `redline.typ`, the PDF of `diff A B --format pdf`. A type of its own,
//! as [`super::EditionView`] is for an edition: the template never reads
//! markup of the document's own, and every word it prints but its fixed
//! headings comes from here.
//!
//! The redline's flat paragraphs become the edition's layout again: list
//! paragraphs are grouped into lists (each entry with its marker, counted
//! in each edition and marked where the count changed), unlabelled
//! observations are numbered as [`super::view`] numbers them, and every
//! paragraph says whether it changed (a change bar) and what the margin
//! says beside it: the status of the meeting, section or item that
//! begins there, the redline's notes ("Moved from…", "Split off…"), and
//! at the old place of a moved item where it went. The first page's
//! summary is the diff's, by part and meeting, as the text report words
//! it ([`describe`]).

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::diff::{EditionDiff, ItemDiff, ItemStatus, MeetingDiff, MeetingStatus, SectionStatus};
use crate::render::describe::{self, Headline};
use crate::render::redline::{Block, Inline, ListKind, Mark, Redline, Style, Subject};
use crate::text::plural;

use super::view::{BULLET, clean, followable, shortened};

/// A redline as the template lays it out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedlineView {
    /// The document's language, as the PDF declares it.
    pub lang: &'static str,
    /// The PDF's title: edition B's, with what it is compared with.
    pub title: String,
    /// The running header: edition B's title, shortened, and what the
    /// marks are relative to ("changes since 2024-04").
    pub header: String,
    pub since: String,
    /// The title page's lines that stay: the title and the date line, and
    /// any other line that changed.
    pub cover: Vec<Node>,
    pub summary: SummaryView,
    /// The table of contents' heading, and its entries: the `k`-th is the
    /// entry of the heading whose `toc` is `k`.
    pub contents_heading: Vec<MarkedRun>,
    pub contents: Vec<ContentsEntry>,
    pub body: Vec<Node>,
}

/// The first page: what changed, by part and meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryView {
    /// "Changes since 2024-04".
    pub heading: String,
    /// "2024-04 (April 2024) → 2025-03 (March 2025)".
    pub editions: String,
    /// The newer edition, as the body shows it: "2025-03".
    pub to: String,
    /// "meetings: 2 added, 1 changed; items: 5 added, 1 modified".
    pub totals: String,
    /// "37 items unchanged.", when any are.
    pub unchanged: Option<String>,
    pub parts: Vec<SummaryPart>,
    /// The front matter's sections that changed.
    pub sections: Vec<SummaryLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryPart {
    pub heading: String,
    pub meetings: Vec<SummaryMeeting>,
}

/// A changed meeting: its name, what happened to it, and what was added,
/// changed and removed in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryMeeting {
    pub year: String,
    pub name: String,
    /// "new meeting", "removed", "renamed from…".
    pub status: Option<String>,
    pub details: Vec<Detail>,
    /// Where it is in the body: a node's `anchor`.
    pub anchor: Option<usize>,
}

/// "Added: Recommendation 19, Recommendation 20".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    pub what: String,
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryLine {
    pub text: String,
    pub anchor: Option<usize>,
}

/// An entry of the table of contents, as its heading's is marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentsEntry {
    pub runs: Vec<MarkedRun>,
    pub changed: bool,
}

/// A piece of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Node {
    /// A paragraph (`style` "masthead", "title" and "date" on the title
    /// page, else "par"), or a heading of `level`.
    Par {
        style: &'static str,
        #[serde(flatten)]
        common: Common,
    },
    Heading {
        level: u8,
        /// The number of its contents entry, for a heading the contents
        /// list.
        toc: Option<usize>,
        /// Begins a page.
        page: bool,
        #[serde(flatten)]
        common: Common,
    },
    List {
        items: Vec<Entry>,
    },
    /// An unlabelled observation: its number, and its paragraphs.
    Numbered {
        marker: Vec<MarkedRun>,
        nodes: Vec<Node>,
    },
}

/// What every paragraph has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Common {
    pub runs: Vec<MarkedRun>,
    /// Something in it changed: a bar in the margin.
    pub changed: bool,
    /// What the margin says beside it.
    pub notes: Vec<String>,
    /// Where the summary points to it.
    pub anchor: Option<usize>,
    /// A horizontal rule below it.
    pub rule: bool,
}

/// A list entry: its marker (counted in each edition) and its paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub marker: Vec<MarkedRun>,
    pub nodes: Vec<Node>,
}

/// A run of text in one style, kept, inserted or deleted; or a line break.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MarkedRun {
    Text {
        text: String,
        bold: bool,
        italic: bool,
        link: Option<String>,
        mark: MarkName,
    },
    Break {
        mark: MarkName,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkName {
    Kept,
    Inserted,
    Deleted,
}

impl From<Mark> for MarkName {
    fn from(m: Mark) -> MarkName {
        match m {
            Mark::Kept => MarkName::Kept,
            Mark::Inserted => MarkName::Inserted,
            Mark::Deleted => MarkName::Deleted,
        }
    }
}

impl RedlineView {
    /// The redline of `report` (the diff it was built from) as the
    /// template lays it out.
    pub fn new(redline: &Redline, report: &EditionDiff) -> RedlineView {
        let blocks = &redline.blocks;
        let cover_end = blocks
            .iter()
            .position(|b| b.style == Style::ContentsHeading)
            .unwrap_or(0);
        let body_start = (cover_end + 1..blocks.len())
            .find(|&i| !matches!(blocks[i].style, Style::Contents(_)))
            .unwrap_or(blocks.len());
        let notes = margin_notes(redline, report);
        // Where the summary points: the first block of each changed
        // meeting and section.
        let mut anchors: HashMap<usize, usize> = HashMap::new();
        let mut anchor_of = |block: usize| {
            let next = anchors.len();
            *anchors.entry(block).or_insert(next)
        };
        let mut meeting_at: HashMap<&str, usize> = HashMap::new();
        let mut section_at: HashMap<&str, usize> = HashMap::new();
        for c in &redline.changes {
            if c.blocks.is_empty() {
                continue;
            }
            match &c.subject {
                Subject::Meeting { key, .. } => {
                    meeting_at.insert(key, anchor_of(c.blocks.start));
                }
                Subject::Section { title, .. } => {
                    section_at.insert(title, anchor_of(c.blocks.start));
                }
                Subject::Item { .. } => {}
            }
        }
        let layout = Layout {
            blocks,
            lists: &redline.lists,
            notes: &notes,
            anchors: &anchors,
            numbered: redline
                .numbered
                .iter()
                .filter(|n| !n.blocks.is_empty())
                .map(|n| {
                    (
                        n.blocks.start,
                        (n.blocks.end, numbered_marker(n.old, n.new)),
                    )
                })
                .collect(),
        };
        let mut counts = HashMap::new();
        let cover = (0..cover_end)
            .filter(|&i| {
                matches!(blocks[i].style, Style::Title | Style::DateLine) || changed(&blocks[i])
            })
            .map(|i| layout.node(i))
            .collect();
        let mut contents = Vec::new();
        for b in &blocks[cover_end.min(blocks.len())..body_start] {
            if let Some(k) = b.contents {
                if contents.len() <= k {
                    contents.resize(
                        k + 1,
                        ContentsEntry {
                            runs: Vec::new(),
                            changed: false,
                        },
                    );
                }
                contents[k] = ContentsEntry {
                    runs: marked_runs(b),
                    changed: changed(b),
                };
            }
        }
        let title = clean(&redline.title);
        let since = match report.from.edition_id.is_empty() && report.from.name.is_empty() {
            true => format!("everything in {}", report.to.name),
            false => format!("changes since {}", report.from.name),
        };
        RedlineView {
            lang: "en",
            header: shortened(&title, HEADER_CHARS),
            since: clean(&since),
            title: clean(&format!("{title} ({since})")),
            cover,
            summary: summary(report, &meeting_at, &section_at),
            contents_heading: blocks
                .get(cover_end)
                .filter(|b| b.style == Style::ContentsHeading)
                .map(marked_runs)
                .unwrap_or_default(),
            contents,
            body: layout.nodes(body_start..blocks.len(), false, &mut counts),
        }
    }
}

/// How long the running header's title may be: less than the edition's
/// (`view::HEADER_CHARS`), since the page's text is narrower beside the
/// notes' margin and the header says what the marks are since.
const HEADER_CHARS: usize = 44;

/// What laying out the body needs.
struct Layout<'a> {
    blocks: &'a [Block],
    lists: &'a [ListKind],
    notes: &'a [Vec<String>],
    anchors: &'a HashMap<usize, usize>,
    /// Numbered observations by their first block: their end and marker.
    numbered: HashMap<usize, (usize, Vec<MarkedRun>)>,
}

/// An open list while the body is grouped.
struct Open {
    list: usize,
    level: u8,
    items: Vec<Entry>,
}

impl Layout<'_> {
    /// The blocks of `range` as nodes: list paragraphs grouped into
    /// lists, numbered observations around their paragraphs (but for
    /// one that begins the range when `within`: the range is its own).
    /// `counts` holds each list's entries so far in each edition.
    fn nodes(
        &self,
        range: Range<usize>,
        within: bool,
        counts: &mut HashMap<usize, (usize, usize)>,
    ) -> Vec<Node> {
        let mut out = Vec::new();
        let mut open: Vec<Open> = Vec::new();
        let mut i = range.start;
        while i < range.end {
            if let Some((end, marker)) = self.numbered.get(&i)
                && *end <= range.end
                && *end > i
                && !(within && i == range.start)
            {
                close_all(&mut open, &mut out);
                let mut nodes = self.nodes(i..*end, true, counts);
                // A number that changed is a change of its paragraph.
                if marker.iter().any(|r| r.mark() != MarkName::Kept)
                    && let Some(first) = first_common(&mut nodes)
                {
                    first.changed = true;
                }
                out.push(Node::Numbered {
                    marker: marker.clone(),
                    nodes,
                });
                i = *end;
                continue;
            }
            let b = &self.blocks[i];
            match (b.style, b.list) {
                (Style::ListParagraph, Some((list, level))) => {
                    let mut node = self.node(i);
                    let marker = self.marker(list, b.mark, counts);
                    if marker.iter().any(|r| r.mark() != MarkName::Kept)
                        && let Node::Par { common, .. } = &mut node
                    {
                        common.changed = true;
                    }
                    let entry = Entry {
                        marker,
                        nodes: vec![node],
                    };
                    while let Some(top) = open.last()
                        && (top.level > level || (top.level == level && top.list != list))
                    {
                        close_one(&mut open, &mut out);
                    }
                    match open.last_mut() {
                        Some(top) if top.list == list && top.level == level => {
                            top.items.push(entry)
                        }
                        _ => open.push(Open {
                            list,
                            level,
                            items: vec![entry],
                        }),
                    }
                }
                (Style::ListContinue, _) if !open.is_empty() => {
                    let node = self.node(i);
                    if let Some(entry) = open.last_mut().and_then(|l| l.items.last_mut()) {
                        entry.nodes.push(node);
                    }
                }
                _ => {
                    close_all(&mut open, &mut out);
                    out.push(self.node(i));
                }
            }
            i += 1;
        }
        close_all(&mut open, &mut out);
        out
    }

    /// One block as a paragraph or heading.
    fn node(&self, i: usize) -> Node {
        let b = &self.blocks[i];
        let common = Common {
            runs: marked_runs(b),
            changed: changed(b),
            notes: self.notes.get(i).cloned().unwrap_or_default(),
            anchor: self.anchors.get(&i).copied(),
            rule: b.rule,
        };
        match b.style {
            Style::Heading(level) => Node::Heading {
                level,
                toc: b.bookmark,
                page: b.page_break_before,
                common,
            },
            Style::Masthead => Node::Par {
                style: "masthead",
                common,
            },
            Style::Title => Node::Par {
                style: "title",
                common,
            },
            Style::DateLine => Node::Par {
                style: "date",
                common,
            },
            _ => Node::Par {
                style: "par",
                common,
            },
        }
    }

    /// The marker of the next entry of `list`, counted in each edition:
    /// an entry of one edition only has that edition's marker, marked as
    /// it is; a marker that differs between them is both, the old
    /// deleted and the new inserted.
    fn marker(
        &self,
        list: usize,
        mark: Mark,
        counts: &mut HashMap<usize, (usize, usize)>,
    ) -> Vec<MarkedRun> {
        let kind = self.lists.get(list).copied().unwrap_or(ListKind::Bullet);
        let (old, new) = counts.entry(list).or_insert((0, 0));
        let text = |n: usize| match kind {
            ListKind::Bullet => BULLET.to_string(),
            ListKind::Decimal { paren, start } => format!(
                "{}{}",
                start.saturating_add(n as u64 - 1),
                if paren { ')' } else { '.' }
            ),
            ListKind::Letters => format!("({})", letters(n)),
            ListKind::Plain => String::new(),
        };
        let o = (mark != Mark::Inserted).then(|| {
            *old += 1;
            text(*old)
        });
        let n = (mark != Mark::Deleted).then(|| {
            *new += 1;
            text(*new)
        });
        both(o, n)
    }
}

/// A marker in each edition as runs: one kept where they agree.
fn both(old: Option<String>, new: Option<String>) -> Vec<MarkedRun> {
    let run = |text: String, mark| MarkedRun::Text {
        text,
        bold: false,
        italic: false,
        link: None,
        mark,
    };
    match (old, new) {
        (Some(o), Some(n)) if o == n => vec![run(n, MarkName::Kept)],
        (o, n) => o
            .map(|o| run(o, MarkName::Deleted))
            .into_iter()
            .chain(n.map(|n| run(n, MarkName::Inserted)))
            .filter(|r| !matches!(r, MarkedRun::Text { text, .. } if text.is_empty()))
            .collect(),
    }
}

fn numbered_marker(old: Option<usize>, new: Option<usize>) -> Vec<MarkedRun> {
    both(old.map(|n| format!("{n}.")), new.map(|n| format!("{n}.")))
}

/// "a"…"z", then "aa", "ab"…: the letters of the `n`-th entry (from 1).
fn letters(n: usize) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

fn close_one(open: &mut Vec<Open>, out: &mut Vec<Node>) {
    let Some(list) = open.pop() else { return };
    let node = Node::List { items: list.items };
    match open.last_mut().and_then(|l| l.items.last_mut()) {
        Some(entry) => entry.nodes.push(node),
        None => out.push(node),
    }
}

fn close_all(open: &mut Vec<Open>, out: &mut Vec<Node>) {
    while !open.is_empty() {
        close_one(open, out);
    }
}

/// The first paragraph of nodes, where a number's change is marked.
fn first_common(nodes: &mut [Node]) -> Option<&mut Common> {
    match nodes.first_mut()? {
        Node::Par { common, .. } | Node::Heading { common, .. } => Some(common),
        Node::List { items } => first_common(&mut items.first_mut()?.nodes),
        Node::Numbered { nodes, .. } => first_common(nodes),
    }
}

impl MarkedRun {
    fn mark(&self) -> MarkName {
        match self {
            MarkedRun::Text { mark, .. } | MarkedRun::Break { mark } => *mark,
        }
    }
}

/// Whether anything in a block changed: its end, or a run.
fn changed(b: &Block) -> bool {
    fn any(runs: &[Inline]) -> bool {
        runs.iter().any(|r| match r {
            Inline::Text { mark, .. } | Inline::Break(mark) | Inline::PageBreak(mark) => {
                *mark != Mark::Kept
            }
            Inline::Link { runs, .. } => any(runs),
        })
    }
    b.mark != Mark::Kept || any(&b.runs)
}

/// A block's runs as the template prints them: links a reader may
/// follow kept, text cleaned of what a PDF cannot print, page breaks
/// (the title page's end) left to the layout.
fn marked_runs(b: &Block) -> Vec<MarkedRun> {
    fn walk(runs: &[Inline], link: Option<&String>, out: &mut Vec<MarkedRun>) {
        for r in runs {
            match r {
                Inline::Text {
                    text,
                    bold,
                    italic,
                    mark,
                } => {
                    let text = clean(text);
                    if text.is_empty() {
                        continue;
                    }
                    let mark = MarkName::from(*mark);
                    let link = link.cloned();
                    match out.last_mut() {
                        Some(MarkedRun::Text {
                            text: t,
                            bold: b,
                            italic: i,
                            link: l,
                            mark: m,
                        }) if b == bold && i == italic && *l == link && *m == mark => {
                            t.push_str(&text)
                        }
                        _ => out.push(MarkedRun::Text {
                            text,
                            bold: *bold,
                            italic: *italic,
                            link,
                            mark,
                        }),
                    }
                }
                Inline::Break(mark) => out.push(MarkedRun::Break {
                    mark: MarkName::from(*mark),
                }),
                Inline::PageBreak(_) => {}
                Inline::Link { target, runs } => {
                    let link = followable(target);
                    walk(runs, link.as_ref(), out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&b.runs, None, &mut out);
    // A paragraph of spaces only (a tab the Word layout needs) prints as
    // nothing.
    let printable = out.iter().any(|r| match r {
        MarkedRun::Text { text, .. } => !text.trim().is_empty(),
        MarkedRun::Break { .. } => false,
    });
    if !printable {
        out.clear();
    }
    out
}

// ---------------------------------------------------------------------------
// The margin

/// What the margin says beside each block: the statuses of what begins
/// there, then the redline's notes on it.
fn margin_notes(r: &Redline, d: &EditionDiff) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); r.blocks.len()];
    let noted: std::collections::HashSet<usize> = r.notes.iter().map(|n| n.blocks.start).collect();
    let items: HashMap<&str, (&MeetingDiff, &ItemDiff)> = d
        .meetings
        .iter()
        .flat_map(|m| m.items.iter().map(move |i| (i.id.as_str(), (m, i))))
        .collect();
    let mut meeting_heads = std::collections::HashSet::new();
    for c in &r.changes {
        let Some(slot) = out.get_mut(c.blocks.start) else {
            continue;
        };
        if c.blocks.is_empty() {
            continue;
        }
        let note = match &c.subject {
            Subject::Meeting { key, status } => {
                meeting_heads.insert(c.blocks.start);
                match status {
                    MeetingStatus::Added => Some("new meeting".to_string()),
                    MeetingStatus::Removed => Some("meeting removed".to_string()),
                    // The redline's note says from what to what.
                    MeetingStatus::SymbolCorrected => None,
                    MeetingStatus::Changed | MeetingStatus::Unchanged => d
                        .meeting(key)
                        .map(describe::heading_changes)
                        .filter(|w| !w.is_empty())
                        .map(|w| w.join("; ")),
                }
            }
            Subject::Section { title, status } => Some(match status {
                SectionStatus::Added => "section added".to_string(),
                SectionStatus::Removed => "section removed".to_string(),
                SectionStatus::Modified => "revised".to_string(),
                SectionStatus::Renamed => match d
                    .sections
                    .iter()
                    .find(|s| &s.title == title)
                    .and_then(|s| s.old_title.as_deref())
                {
                    Some(old) => format!("renamed from {old}"),
                    None => "renamed".to_string(),
                },
            }),
            Subject::Item {
                id, status, label, ..
            } => {
                let renumbered = label.as_ref().map(|l| match &l.old {
                    Some(old) => format!("renumbered from {old}"),
                    None => "renumbered".to_string(),
                });
                let has_note = noted.contains(&c.blocks.start);
                match status {
                    ItemStatus::Added => Some("added".to_string()),
                    ItemStatus::Removed => Some("removed".to_string()),
                    ItemStatus::Modified => Some(match renumbered {
                        Some(r) => format!("reworded; {r}"),
                        None => "reworded".to_string(),
                    }),
                    ItemStatus::Renumbered => {
                        Some(renumbered.unwrap_or_else(|| "renumbered".into()))
                    }
                    ItemStatus::Typography => Some("typography only".to_string()),
                    ItemStatus::Moved | ItemStatus::Split | ItemStatus::Restored if has_note => {
                        None
                    }
                    // Moved with its meeting, which says so: the diff
                    // lists nothing of its own.
                    ItemStatus::Moved if !items.contains_key(id.as_str()) => None,
                    ItemStatus::Moved => Some("moved".to_string()),
                    ItemStatus::Split => Some("split off".to_string()),
                    ItemStatus::Restored => Some("restored".to_string()),
                    ItemStatus::Merged => Some(match items.get(id.as_str()) {
                        Some((_, i)) => match describe::headline(d, i) {
                            Headline::Merged { into, .. } => format!("merged into {into}"),
                            _ => "merged".to_string(),
                        },
                        None => "merged".to_string(),
                    }),
                    ItemStatus::Unchanged => None,
                }
            }
        };
        slot.extend(note);
    }
    for n in &r.notes {
        if let Some(slot) = out.get_mut(n.blocks.start) {
            slot.push(clean(&n.text));
        }
    }
    // The old place of a moved item says where it went.
    for m in &r.moves {
        let Some(slot) = out.get_mut(m.from.start) else {
            continue;
        };
        let Some((meeting, item)) = items.get(m.id.as_str()) else {
            continue;
        };
        let now = describe::new_name(item);
        let note = match item.from_meeting() {
            Some(from) if from == meeting.key => format!("Moved within this meeting: now {now}"),
            Some(_) => format!("Moved to {}, where it is {now}", meeting_name(meeting)),
            // In a meeting moved whole: said on its heading.
            None => continue,
        };
        slot.push(note);
    }
    // The old place of a meeting moved whole: its heading, deleted, that
    // no change begins at.
    for (i, b) in r.blocks.iter().enumerate() {
        if b.mark == Mark::Deleted
            && b.bookmark.is_some()
            && matches!(b.style, Style::Heading(l) if l == crate::profile::Profile::untoc().levels.meeting)
            && !meeting_heads.contains(&i)
        {
            out[i].push("Moved with its items: see its new place".to_string());
        }
    }
    out
}

/// A meeting as a note names it: its symbol, else its year and name.
fn meeting_name(m: &MeetingDiff) -> String {
    match &m.symbol {
        Some(s) => s.clone(),
        None => format!("{} {}", m.year, describe::meeting_of_diff(m)),
    }
}

// ---------------------------------------------------------------------------
// The summary

fn summary(
    d: &EditionDiff,
    meeting_at: &HashMap<&str, usize>,
    section_at: &HashMap<&str, usize>,
) -> SummaryView {
    let first = d.from.edition_id.is_empty() && d.from.name.is_empty();
    let name = |s: &crate::diff::Side| format!("{} ({})", s.name, describe::long_date(&s.date));
    let (heading, editions) = match first {
        true => (
            format!("Everything in {}, the first edition", d.to.name),
            format!("(no edition before) → {}", name(&d.to)),
        ),
        false => (
            format!("Changes since {}", d.from.name),
            format!("{} → {}", name(&d.from), name(&d.to)),
        ),
    };
    let parts = describe::by_part(d)
        .into_iter()
        .map(|group| SummaryPart {
            heading: clean(&format!("{}. {}", group.part.key, group.part.title)),
            meetings: group
                .meetings
                .into_iter()
                .map(|m| SummaryMeeting {
                    year: m.year.to_string(),
                    name: clean(&describe::meeting_of_diff(m)),
                    status: meeting_status(m),
                    details: details(d, m),
                    anchor: meeting_at.get(m.key.as_str()).copied(),
                })
                .collect(),
        })
        .collect();
    let sections = d
        .sections
        .iter()
        .map(|s| SummaryLine {
            text: clean(&match (s.status, &s.old_title) {
                (SectionStatus::Renamed, Some(old)) => {
                    format!("{old}: renamed {}", s.title)
                }
                (SectionStatus::Modified, _) => format!("{}: revised", s.title),
                (status, _) => format!("{}: {}", s.title, status.as_str()),
            }),
            anchor: section_at.get(s.title.as_str()).copied(),
        })
        .collect();
    SummaryView {
        heading: clean(&heading),
        editions: clean(&editions),
        to: clean(&d.to.name),
        totals: describe::summary_line(&d.summary),
        unchanged: (d.summary.items_unchanged > 0).then(|| {
            format!(
                "{} unchanged.",
                plural(d.summary.items_unchanged, "item", "items")
            )
        }),
        parts,
        sections,
    }
}

fn meeting_status(m: &MeetingDiff) -> Option<String> {
    match m.status {
        MeetingStatus::Added => Some("new meeting".to_string()),
        MeetingStatus::Removed => Some("removed".to_string()),
        MeetingStatus::SymbolCorrected => Some(format!(
            "symbol corrected from {}",
            m.old_symbol.as_deref().unwrap_or("none")
        )),
        _ => {
            let why = describe::heading_changes(m);
            (!why.is_empty()).then(|| why.join("; "))
        }
    }
}

/// What was added, changed, removed and moved away in a meeting.
fn details(d: &EditionDiff, m: &MeetingDiff) -> Vec<Detail> {
    let (mut added, mut changed, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for i in &m.items {
        match describe::headline(d, i) {
            Headline::Added { name } => added.push(name),
            Headline::Restored { name, withdrawn_in } => added.push(format!(
                "{name} ({})",
                Headline::restored_words(withdrawn_in.as_deref())
            )),
            Headline::Removed { name } => removed.push(name),
            Headline::Modified { old, new } if old != new => {
                changed.push(format!("{new} reworded (was {old})"))
            }
            Headline::Modified { new, .. } => changed.push(format!("{new} reworded")),
            Headline::Renumbered { old, new } => changed.push(format!("{new} (was {old})")),
            Headline::Moved { old, new, from } => changed.push(match from {
                Some(from) if old != new => format!("{new} moved from {from}, where it was {old}"),
                Some(from) => format!("{new} moved from {from}"),
                None => format!("{new} moved (was {old})"),
            }),
            Headline::Typography { name } => changed.push(format!("{name}: typography only")),
            Headline::Split { name, from } => changed.push(format!("{name} split off {from}")),
            Headline::Merged { name, into } => changed.push(format!("{name} merged into {into}")),
            Headline::Unchanged { .. } => {}
        }
    }
    let away: Vec<String> = d
        .moved_out(&m.key)
        .map(|(to, i)| {
            format!(
                "{} to {}, as {}",
                describe::old_name(i),
                describe::meeting_of_diff(to),
                describe::new_name(i)
            )
        })
        .collect();
    [
        ("Added", added),
        ("Changed", changed),
        ("Removed", removed),
        ("Moved away", away),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
    .map(|(what, list)| Detail {
        what: what.to_string(),
        items: clean(&list.join("; ")),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_lettered_past_z() {
        assert_eq!(letters(1), "a");
        assert_eq!(letters(26), "z");
        assert_eq!(letters(27), "aa");
    }

    #[test]
    fn a_marker_that_differs_is_both_marked() {
        assert_eq!(
            numbered_marker(Some(5), Some(4)),
            [
                MarkedRun::Text {
                    text: "5.".into(),
                    bold: false,
                    italic: false,
                    link: None,
                    mark: MarkName::Deleted
                },
                MarkedRun::Text {
                    text: "4.".into(),
                    bold: false,
                    italic: false,
                    link: None,
                    mark: MarkName::Inserted
                },
            ]
        );
        assert_eq!(numbered_marker(Some(2), Some(2)).len(), 1);
    }
}
