//! Columns for text tables (`log`, `blame`, `trace`, `--stat`): widths
//! measured from the cells as a terminal shows them, and colour applied
//! after padding, so that an escape sequence never counts as width.
//!
//! `format!("{:<20}", p.green(s))` pads by bytes and counts the colour's
//! escape bytes, which shifts every coloured column when colour is on;
//! here a cell keeps its plain text and its style apart until it is
//! written.

use anstyle::Style;

use super::Palette;

/// How many columns a terminal gives `s` once written: one per character,
/// none for combining marks and zero-width characters, two for wide
/// (East Asian, emoji) characters, and for a control character the width
/// of the escape the terminal filter writes in its place (`\x1b`,
/// `\u{85}`, `\u{202e}`).
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let cp = u32::from(c);
    match cp {
        // The filter writes these as `\xNN` (tab passes as a tab; count
        // it as one column, as a cell never holds one).
        0x09 => 1,
        0x00..=0x1f | 0x7f => 4,
        // …and these as `\u{NN}`.
        0x80..=0x9f => 6,
        _ if crate::text::is_direction_control(c) => format!("\\u{{{cp:x}}}").len(),
        // Combining marks and zero-width characters.
        0x0300..=0x036f
        | 0x0483..=0x0489
        | 0x0591..=0x05bd
        | 0x0610..=0x061a
        | 0x064b..=0x065f
        | 0x1ab0..=0x1aff
        | 0x1dc0..=0x1dff
        | 0x200b..=0x200d
        | 0x2060..=0x2064
        | 0x20d0..=0x20ff
        | 0xfe00..=0xfe0f
        | 0xfe20..=0xfe2f
        | 0xfeff => 0,
        // Wide: Hangul Jamo, CJK, Hangul syllables, full-width forms,
        // emoji.
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1f64f
        | 0x1f900..=0x1f9ff
        | 0x20000..=0x3fffd => 2,
        _ => 1,
    }
}

/// One cell: its text and the style it is written in.
#[derive(Debug, Clone)]
pub struct Cell {
    text: String,
    style: Style,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell::styled(text, Style::new())
    }

    pub fn styled(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn paint(&self, p: Palette) -> String {
        if self.style == Style::new() {
            self.text.clone()
        } else {
            p.paint(self.style, &self.text)
        }
    }
}

/// How a column's cells sit in its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    /// Numbers, as `git diff --stat` writes its counts.
    Right,
}

/// The widths of a table's columns, fitted to its rows.
#[derive(Debug, Clone)]
pub struct Columns {
    widths: Vec<usize>,
    align: Vec<Align>,
    /// Written between two columns.
    gap: &'static str,
}

impl Columns {
    /// Columns as wide as their widest cell among `rows` (a row may have
    /// fewer cells than there are columns); left-aligned unless `align`
    /// says otherwise, two spaces apart.
    pub fn fit<'a>(rows: impl IntoIterator<Item = &'a [Cell]>, align: &[Align]) -> Columns {
        let mut widths: Vec<usize> = Vec::new();
        for row in rows {
            for (n, cell) in row.iter().enumerate() {
                let w = width(&cell.text);
                match widths.get_mut(n) {
                    Some(old) => *old = (*old).max(w),
                    None => widths.push(w),
                }
            }
        }
        Columns {
            widths,
            align: align.to_vec(),
            gap: "  ",
        }
    }

    /// The same columns, written `gap` apart.
    pub fn with_gap(mut self, gap: &'static str) -> Columns {
        self.gap = gap;
        self
    }

    /// One row, each cell padded to its column's width and then coloured;
    /// the last cell is not padded, so a line never ends in spaces.
    pub fn line(&self, row: &[Cell], p: Palette) -> String {
        let mut out = String::new();
        let last = row.len().saturating_sub(1);
        for (n, cell) in row.iter().enumerate() {
            if n > 0 {
                out.push_str(self.gap);
            }
            let pad = " ".repeat(
                self.widths
                    .get(n)
                    .copied()
                    .unwrap_or_default()
                    .saturating_sub(width(&cell.text)),
            );
            let align = self.align.get(n).copied().unwrap_or(Align::Left);
            match align {
                Align::Right => {
                    out.push_str(&pad);
                    out.push_str(&cell.paint(p));
                }
                Align::Left if n == last => out.push_str(&cell.paint(p)),
                Align::Left => {
                    out.push_str(&cell.paint(p));
                    out.push_str(&pad);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anstyle::AnsiColor;

    #[test]
    fn width_is_what_a_terminal_shows() {
        assert_eq!(width("Observation 3"), 13);
        assert_eq!(width("Protocols’ review — “RevMod” …"), 30);
        assert_eq!(width("e\u{301}"), 1, "a combining accent adds nothing");
        assert_eq!(width("日本"), 4, "wide characters take two columns");
        assert_eq!(width("a\u{1b}b"), 6, "the filter writes \\x1b");
        assert_eq!(width("\u{202e}"), 8, "the filter writes \\u{{202e}}");
    }

    fn strip(s: &str) -> String {
        let mut out = s.to_string();
        for seq in Palette::sequences() {
            out = out.replace(&seq, "");
        }
        out
    }

    #[test]
    fn colour_does_not_move_a_column() {
        let green = AnsiColor::Green.on_default();
        let rows = [
            vec![
                Cell::styled("added", green),
                Cell::plain("Observation 1"),
                Cell::plain("x"),
            ],
            vec![
                Cell::plain("unchanged"),
                Cell::plain("Recommendation (l)"),
                Cell::plain("y"),
            ],
        ];
        let cols = Columns::fit(rows.iter().map(Vec::as_slice), &[]);
        for enabled in [false, true] {
            let p = Palette { enabled };
            let lines: Vec<String> = rows.iter().map(|r| strip(&cols.line(r, p))).collect();
            assert_eq!(
                lines,
                [
                    "added      Observation 1       x",
                    "unchanged  Recommendation (l)  y"
                ],
                "colour {enabled}"
            );
        }
    }

    #[test]
    fn right_aligned_columns_line_up_their_last_digit() {
        let rows = [
            vec![Cell::plain("a"), Cell::plain("+2"), Cell::plain("-0")],
            vec![Cell::plain("bb"), Cell::plain("+12"), Cell::plain("-10")],
        ];
        let cols = Columns::fit(
            rows.iter().map(Vec::as_slice),
            &[Align::Left, Align::Right, Align::Right],
        );
        let p = Palette { enabled: false };
        assert_eq!(cols.line(&rows[0], p), "a    +2   -0");
        assert_eq!(cols.line(&rows[1], p), "bb  +12  -10");
    }
}
