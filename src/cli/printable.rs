//! Output that cannot drive the terminal: control characters that come
//! from documents, file names or arguments are shown escaped (`\x1b`),
//! so a hostile edition cannot retitle the window, clear the screen or
//! hide text; the invisible direction controls (U+200E, U+200F,
//! U+202A–U+202E, U+2066–U+2069), which can make a line read as another,
//! are escaped too. Colour sequences (`ESC [ … m`) pass, as do newlines and
//! tabs; names from documents and remotes that must stay on one line are
//! escaped before they get here (`livedoc::text::one_line`).

use std::io::{self, Write};

pub struct Printable<W: Write> {
    inner: W,
}

impl<W: Write> Printable<W> {
    pub fn new(inner: W) -> Self {
        Printable { inner }
    }
}

/// The length of a colour sequence (`ESC [ digits/; m`) at the start of
/// `b`, if one is there.
fn sgr_len(b: &[u8]) -> Option<usize> {
    if b.len() < 3 || b[0] != 0x1b || b[1] != b'[' {
        return None;
    }
    let body = b[2..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b';')
        .count();
    (b.get(2 + body) == Some(&b'm')).then_some(3 + body)
}

/// `buf` with every control character but newline and tab (and colour
/// sequences) written as an escape.
pub fn escape_controls(buf: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf.len());
    let mut i = 0;
    while i < buf.len() {
        let c = buf[i];
        if let Some(n) = sgr_len(&buf[i..]) {
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
        self.inner.write_all(&escape_controls(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_colours_kept() {
        let s = "a\u{1b}]0;t\u{7}\u{1b}[2J\u{1b}[31mred\u{1b}[0m\r\n\tb\u{85}c\u{7f}é";
        assert_eq!(
            String::from_utf8(escape_controls(s.as_bytes())).expect("UTF-8"),
            "a\\x1b]0;t\\x07\\x1b[2J\u{1b}[31mred\u{1b}[0m\\x0d\n\tb\\u{85}c\\x7fé"
        );
    }

    #[test]
    fn direction_controls_are_escaped() {
        let s = "e1\u{202e}txt.exe \u{2066}x\u{2069} \u{200f}—ok";
        assert_eq!(
            String::from_utf8(escape_controls(s.as_bytes())).expect("UTF-8"),
            "e1\\u{202e}txt.exe \\u{2066}x\\u{2069} \\u{200f}—ok"
        );
    }
}
