//! Findings about a document: errors that stop an import and warnings that
//! do not. Each names the line it is about and, where it can, what to do.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding, located by 1-based line number where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, machine-readable name for the kind of finding.
    pub code: &'static str,
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// Where it is in a Word document, which has no lines: set when the
    /// document was read from a .docx, and shown instead of the line.
    pub place: Option<Place>,
}

/// A place in a Word document: the paragraph (1-based, counting every
/// paragraph of the body in order, empty ones and table cells included)
/// and the text of the heading it is under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub paragraph: usize,
    pub heading: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "paragraph {}", self.paragraph)?;
        if let Some(h) = &self.heading {
            write!(f, " (under \"{h}\")")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    pub fn error(code: &'static str, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            line,
            message: message.into(),
            hint: None,
            place: None,
        }
    }

    pub fn warning(code: &'static str, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            line,
            message: message.into(),
            hint: None,
            place: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Formats the finding as `file:line: message` for a given file name.
    pub fn located<'a>(&'a self, file: &'a str) -> Located<'a> {
        Located { d: self, file }
    }
}

/// A diagnostic with the file it belongs to, displayed `file:line: message`.
pub struct Located<'a> {
    d: &'a Diagnostic,
    file: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(place) = &self.d.place {
            return write!(f, "{}: {place}: {}", self.file, self.d.message);
        }
        match self.d.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.d.message),
            None => write!(f, "{}: {}", self.file, self.d.message),
        }
    }
}

/// Line numbers of increasing offsets into one text, counted once: each
/// call scans only from the previous offset, so many findings in one long
/// text cost one pass, not one pass each.
pub(crate) struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    /// Where later paragraphs start (offset, line), in order.
    breaks: &'a [(usize, usize)],
}

impl<'a> Lines<'a> {
    /// `first_line` is the line of the text's first byte; `breaks` the
    /// offset and line of each later paragraph, in order (see
    /// `parse::ItemSpan::text_breaks`).
    pub(crate) fn new(text: &'a str, first_line: usize, breaks: &'a [(usize, usize)]) -> Self {
        Lines {
            text,
            at: 0,
            line: first_line,
            breaks,
        }
    }

    /// The line of `offset`; offsets must not decrease.
    pub(crate) fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len()).max(self.at);
        // A paragraph that starts at or before `offset` restarts the count
        // at its own line.
        while let Some((&(at, line), rest)) = self.breaks.split_first()
            && at <= offset
        {
            if at >= self.at {
                self.at = at;
                self.line = line;
            }
            self.breaks = rest;
        }
        self.line += self.text.as_bytes()[self.at..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = offset;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_restart_at_each_paragraph_of_a_joined_text() {
        // "a\n\nb" joined from a paragraph at line 10 and one at line 14
        // (a page number and blank lines between them in the source).
        let text = "a\n\nb\nc";
        let breaks = [(3, 14)];
        let mut lines = Lines::new(text, 10, &breaks);
        assert_eq!(lines.line_of(0), 10);
        assert_eq!(lines.line_of(3), 14);
        assert_eq!(lines.line_of(5), 15);
        assert_eq!(Lines::new(text, 10, &[]).line_of(5), 13);
    }
}
