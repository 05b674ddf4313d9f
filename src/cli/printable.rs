//! Text output that cannot drive the terminal: control characters that
//! come from documents, file names or arguments are shown escaped
//! (`\x1b`), so a hostile edition cannot retitle the window, clear the
//! screen or hide text; the invisible direction controls (U+200E, U+200F,
//! U+202A–U+202E, U+2066–U+2069), which can make a line read as another,
//! are escaped too. Newlines and tabs pass, and, when colour is on, the
//! palette's own colour sequences (`Palette::sequences`) and no other: a
//! document's `ESC [ 8 m` (conceal) is escaped like any control. Names
//! from documents and remotes that must stay on one line are escaped
//! before they get here (`livedoc::text::one_line`).
//!
//! Only text goes through it: JSON, Markdown and HTML are written as they
//! are, escaped by their own rules (serde_json escapes controls itself; a
//! Markdown edition is the document's text), since a filter's `\u{202e}`
//! inside them would make them invalid or another document.

use std::io::{self, Write};

use livedoc::render::text::Palette;

pub struct Printable<W: Write> {
    inner: W,
    /// The escape sequences that pass: the palette's when colour is on,
    /// none when it is off.
    colours: Vec<String>,
}

impl<W: Write> Printable<W> {
    /// `colour`: whether livedoc colours this stream (the palette's
    /// sequences pass); without it, no escape sequence passes at all.
    pub fn new(inner: W, colour: bool) -> Self {
        Printable {
            inner,
            colours: if colour {
                Palette::sequences()
            } else {
                Vec::new()
            },
        }
    }
}

/// The length of the palette sequence among `colours` at the start of
/// `b`, if one is there.
fn colour_len(b: &[u8], colours: &[String]) -> Option<usize> {
    if b.first() != Some(&0x1b) {
        return None;
    }
    colours
        .iter()
        .find(|c| b.starts_with(c.as_bytes()))
        .map(|c| c.len())
}

/// `buf` with every control character but newline and tab (and the
/// sequences among `colours`) written as an escape.
pub fn escape_controls(buf: &[u8], colours: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf.len());
    let mut i = 0;
    while i < buf.len() {
        let c = buf[i];
        if let Some(n) = colour_len(&buf[i..], colours) {
            out.extend_from_slice(&buf[i..i + n]);
            i += n;
        } else if (c < 0x20 && c != b'\n' && c != b'\t') || c == 0x7f {
            out.extend_from_slice(format!("\\x{c:02x}").as_bytes());
            i += 1;
        } else if c == 0xc2 && buf.get(i + 1).is_some_and(|d| (0x80..=0x9f).contains(d)) {
            out.extend_from_slice(format!("\\u{{{:x}}}", buf[i + 1]).as_bytes());
            i += 2;
        } else if let Some(cp) = direction_control(&buf[i..]) {
            out.extend_from_slice(format!("\\u{{{cp:x}}}").as_bytes());
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code point of an invisible direction control at the start of `b`
/// (all of them are three bytes of UTF-8 starting with `e2`).
fn direction_control(b: &[u8]) -> Option<u32> {
    let c = std::str::from_utf8(b.get(..3).filter(|b| b[0] == 0xe2)?)
        .ok()?
        .chars()
        .next()?;
    livedoc::text::is_direction_control(c).then_some(u32::from(c))
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write_all(&escape_controls(buf, &self.colours))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str, colour: bool) -> String {
        let colours = if colour {
            Palette::sequences()
        } else {
            Vec::new()
        };
        String::from_utf8(escape_controls(s.as_bytes(), &colours)).expect("UTF-8")
    }

    #[test]
    fn controls_are_escaped_and_colours_kept() {
        let p = Palette { enabled: true };
        let s = format!(
            "a\u{1b}]0;t\u{7}\u{1b}[2J{}\r\n\tb\u{85}c\u{7f}é",
            p.red("red")
        );
        assert_eq!(
            escaped(&s, true),
            "a\\x1b]0;t\\x07\\x1b[2J\u{1b}[31mred\u{1b}[0m\\x0d\n\tb\\u{85}c\\x7fé"
        );
    }

    /// Issue 29: a document's conceal sequence hid the word "not" even
    /// with `--color never`, since every `ESC [ … m` passed.
    #[test]
    fn a_documents_colour_sequence_is_escaped_with_colour_on_or_off() {
        let s = "States should \u{1b}[8mnot\u{1b}[0m act.";
        assert_eq!(escaped(s, false), "States should \\x1b[8mnot\\x1b[0m act.");
        assert_eq!(
            escaped(s, true),
            "States should \\x1b[8mnot\u{1b}[0m act.",
            "only the palette's own sequences pass"
        );
        // Colour off: even the palette's sequences are escaped.
        assert!(!escaped("\u{1b}[31mred", false).contains('\u{1b}'));
    }

    #[test]
    fn every_palette_sequence_passes_when_colour_is_on() {
        let p = Palette { enabled: true };
        for painted in [
            p.bold("x"),
            p.dim("x"),
            p.red("x"),
            p.green("x"),
            p.yellow("x"),
        ] {
            assert_eq!(escaped(&painted, true), painted);
        }
    }

    #[test]
    fn direction_controls_are_escaped() {
        let s = "e1\u{202e}txt.exe \u{2066}x\u{2069} \u{200f}—ok";
        assert_eq!(
            escaped(s, false),
            "e1\\u{202e}txt.exe \\u{2066}x\\u{2069} \\u{200f}—ok"
        );
    }
}
