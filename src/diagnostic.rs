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
}

impl Diagnostic {
    pub fn error(code: &'static str, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            line,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: &'static str, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            line,
            message: message.into(),
            hint: None,
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
}

impl<'a> Lines<'a> {
    /// `first_line` is the line of the text's first byte.
    pub(crate) fn new(text: &'a str, first_line: usize) -> Self {
        Lines {
            text,
            at: 0,
            line: first_line,
        }
    }

    /// The line of `offset`; offsets must not decrease.
    pub(crate) fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len()).max(self.at);
        self.line += self.text.as_bytes()[self.at..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = offset;
        self.line
    }
}
