//! The first pass of the importer: pulldown-cmark's events folded into the
//! document's top-level blocks, each with its source range, start line, plain
//! inline text and links. The importer's grammar works on these blocks.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Heading(u8),
    Paragraph,
    List,
    Break,
    /// Code blocks, block quotes, HTML blocks, tables: kept as text.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub text: String,
    pub dest: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: Kind,
    pub range: Range<usize>,
    /// 1-based line of the block's first character.
    pub line: usize,
    /// The inline text without markup, whitespace collapsed.
    pub plain: String,
    pub links: Vec<Link>,
    /// For lists: the source range of each top-level item.
    pub items: Vec<Range<usize>>,
}

impl Block {
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, Kind::Heading(_))
    }

    pub fn level(&self) -> Option<u8> {
        match self.kind {
            Kind::Heading(l) => Some(l),
            _ => None,
        }
    }
}

/// Maps byte offsets to 1-based line numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Splits `src` (with `\n` line endings) into top-level blocks.
pub(crate) fn blocks(src: &str, lines: &LineIndex) -> Vec<Block> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur: Option<Block> = None;
    // Open links: destination and the text gathered so far.
    let mut links: Vec<Link> = Vec::new();

    for (event, range) in Parser::new_ext(src, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match &tag {
                        Tag::Heading { level, .. } => Kind::Heading(*level as u8),
                        Tag::Paragraph => Kind::Paragraph,
                        Tag::List(_) => Kind::List,
                        _ => Kind::Other,
                    };
                    cur = Some(Block {
                        kind,
                        line: lines.line(range.start),
                        range: range.clone(),
                        plain: String::new(),
                        links: Vec::new(),
                        items: Vec::new(),
                    });
                } else if depth == 1
                    && matches!(tag, Tag::Item)
                    && let Some(b) = cur.as_mut().filter(|b| b.kind == Kind::List)
                {
                    b.items.push(range.clone());
                }
                if let Tag::Link { dest_url, .. } = &tag {
                    links.push(Link {
                        text: String::new(),
                        dest: dest_url.to_string(),
                    });
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if matches!(end, TagEnd::Link)
                    && let (Some(link), Some(b)) = (links.pop(), cur.as_mut())
                {
                    b.links.push(link);
                }
                // Paragraph-like blocks inside list items also end at depth > 0;
                // only the top level closes a block.
                if depth == 0
                    && let Some(mut b) = cur.take()
                {
                    b.range.end = b.range.end.max(range.end);
                    b.plain = crate::text::normalise_owned(std::mem::take(&mut b.plain));
                    out.push(b);
                }
            }
            Event::Text(t) | Event::Code(t) => push_text(&mut cur, &mut links, &t),
            Event::SoftBreak | Event::HardBreak => push_text(&mut cur, &mut links, " "),
            Event::Rule if depth == 0 => out.push(Block {
                kind: Kind::Break,
                line: lines.line(range.start),
                range,
                plain: String::new(),
                links: Vec::new(),
                items: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

fn push_text(cur: &mut Option<Block>, links: &mut [Link], text: &str) {
    if let Some(b) = cur.as_mut() {
        b.plain.push_str(text);
    }
    for l in links.iter_mut() {
        l.text.push_str(text);
    }
}

/// Collapses runs of whitespace to one space and trims both ends.
pub(crate) fn collapse_ws(s: &str) -> String {
    crate::text::normalise(s)
}

/// The text of a block's source as kept in the model: each line without its
/// leading indentation (container syntax, not text), the whole trimmed.
pub(crate) fn clean_source(s: &str) -> String {
    // Most blocks have no line that starts with whitespace (container
    // indentation): trimming the whole is all.
    let b = s.trim().as_bytes();
    let indented = b.contains(&b'\r')
        || b.iter()
            .enumerate()
            .any(|(i, &c)| c == b'\n' && b[i + 1] != b'\n' && crate::text::space_len(b, i + 1) > 0);
    if !indented {
        return s.trim().to_string();
    }
    let lines: Vec<&str> = s.lines().map(str::trim_start).collect();
    lines.join("\n").trim().to_string()
}

/// The text of a list item without its marker (`-`, `*`, `+`, `1.`, `1)`).
pub(crate) fn list_item_text(s: &str) -> String {
    let t = s.trim_start();
    let rest = if let Some(r) = t.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        match t[digits..].strip_prefix(['.', ')']) {
            Some(r) if digits > 0 => r,
            _ => t,
        }
    };
    clean_source(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, usize, String)> {
        let idx = LineIndex::new(src);
        blocks(src, &idx)
            .into_iter()
            .map(|b| (b.kind, b.line, b.plain))
            .collect()
    }

    #[test]
    fn folds_events_into_blocks_with_lines() {
        let src =
            "# Title\n\n2022\n\n## **WG** ([X/Y/Z](#))\n\n- (a) one\n- (b) two\n\n---\n\ntext\n";
        let got = kinds(src);
        assert_eq!(
            got,
            vec![
                (Kind::Heading(1), 1, "Title".to_string()),
                (Kind::Paragraph, 3, "2022".to_string()),
                (Kind::Heading(2), 5, "WG (X/Y/Z)".to_string()),
                (Kind::List, 7, "(a) one(b) two".to_string()),
                (Kind::Break, 10, String::new()),
                (Kind::Paragraph, 12, "text".to_string()),
            ]
        );
    }

    #[test]
    fn records_links_and_list_items() {
        let src = "## **WG ([CTOC/A/B](#x))**\n\n- (a) one\n  more\n- (b) two\n";
        let idx = LineIndex::new(src);
        let b = blocks(src, &idx);
        assert_eq!(
            b[0].links,
            vec![Link {
                text: "CTOC/A/B".into(),
                dest: "#x".into()
            }]
        );
        let items: Vec<String> = b[1]
            .items
            .iter()
            .map(|r| list_item_text(&src[r.clone()]))
            .collect();
        assert_eq!(items, vec!["(a) one\nmore", "(b) two"]);
    }

    #[test]
    fn line_index_maps_offsets() {
        let idx = LineIndex::new("a\nbb\n\nc");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
    }

    proptest::proptest! {
        /// The trimming shortcut never changes the result.
        #[test]
        fn clean_source_is_each_line_trimmed(s in "[ a\n\t\r\u{a0}\u{2019}\u{2003}]{0,20}") {
            let lines: Vec<&str> = s.lines().map(str::trim_start).collect();
            let want = lines.join("\n").trim().to_string();
            proptest::prop_assert_eq!(clean_source(&s), want);
        }
    }

    #[test]
    fn list_markers_are_removed() {
        assert_eq!(list_item_text("- x"), "x");
        assert_eq!(list_item_text("12) x"), "x");
        assert_eq!(list_item_text("3. x\n   y"), "x\ny");
        assert_eq!(list_item_text("x"), "x");
    }
}
