//! Findings about a document: errors that stop an import and warnings that
//! do not. Each names the line it is about and, where it can, what to do.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// Declares [`Code`]: each variant with its stable name and what it means.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// What kind of finding a [`Diagnostic`] is. Each has a stable
        /// name, its `code` in `check --format json` and in
        /// docs/reference/findings.md; a name is never changed or reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order declared.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code's stable name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the finding means, in a sentence.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }
        }
    };
}

codes! {
    /// The accepted-findings file does not parse, or an entry in it names no finding it could match.
    AcceptedSyntax => "accepted-syntax",
    /// An accepted finding no longer occurs in the document; its entry can go.
    AcceptedUnused => "accepted-unused",
    /// The file holds binary data, not Markdown text.
    Binary => "binary",
    /// A text holds a control character that prints as nothing and that a Word file cannot hold.
    ControlCharacter => "control-character",
    /// The document's date line and `--date` disagree; the edition takes `--date`.
    DateMismatch => "date-mismatch",
    /// A part of the Word file cannot be read (damaged zip entry).
    DocxCorrupt => "docx-corrupt",
    /// A part of the Word file is not text in a known encoding.
    DocxEncoding => "docx-encoding",
    /// The Word file, or a part of it, is encrypted.
    DocxEncrypted => "docx-encrypted",
    /// The file is a Word 97-2003 `.doc`, not a `.docx`.
    DocxLegacy => "docx-legacy",
    /// The zip holds no main Word document part.
    DocxNoDocument => "docx-no-document",
    /// The file is not a zip archive (nor a `.docx`).
    DocxNotZip => "docx-not-zip",
    /// A Word list's numbering text is too long to be a number or a label; it was not read.
    DocxNumbering => "docx-numbering",
    /// A paragraph holds a text box or shape, whose text is not read.
    DocxTextBox => "docx-text-box",
    /// A part of the Word file inflates past the size cap (a likely zip bomb).
    DocxTooLarge => "docx-too-large",
    /// The Word file has tracked changes; they were read as accepted.
    DocxTrackedChanges => "docx-tracked-changes",
    /// The Word file's XML is damaged.
    DocxXml => "docx-xml",
    /// A word is doubled in an item's text.
    DoubledWord => "doubled-word",
    /// The file is empty.
    Empty => "empty",
    /// A meeting has no items.
    EmptyMeeting => "empty-meeting",
    /// A part has no meetings.
    EmptyPart => "empty-part",
    /// The file is not UTF-8 text.
    Encoding => "encoding",
    /// A recommendation or observation comes before any meeting heading.
    ItemOutsideMeeting => "item-outside-meeting",
    /// An item's heading has no text under it.
    ItemWithoutText => "item-without-text",
    /// A recommendation's label skips one (14 follows 12).
    LabelGap => "label-gap",
    /// A recommendation's labels are out of order.
    LabelOrder => "label-order",
    /// A label repeats within one meeting.
    LabelRepeated => "label-repeated",
    /// An item's or sub-item's text begins with a list marker or a label: its structure was not read with confidence.
    MarkerInText => "marker-in-text",
    /// A meeting comes before any part heading.
    MeetingOutsidePart => "meeting-outside-part",
    /// The same meeting appears twice.
    MeetingRepeated => "meeting-repeated",
    /// A second meeting of a body in one year is kept as a session of its own.
    MeetingResumed => "meeting-resumed",
    /// A meeting heading names no body.
    MeetingWithoutBody => "meeting-without-body",
    /// A meeting comes before any year line.
    MeetingWithoutYear => "meeting-without-year",
    /// The document has no date line.
    NoDate => "no-date",
    /// An item's text ends without final punctuation.
    NoFinalPunctuation => "no-final-punctuation",
    /// The document has neither Part A nor Part B.
    NoParts => "no-parts",
    /// The document has no title heading.
    NoTitle => "no-title",
    /// Two pairing overrides contradict each other.
    OverrideContradiction => "override-contradiction",
    /// A pairing override pairs a recommendation with an observation.
    OverrideKind => "override-kind",
    /// A pairing override names an item that does not exist.
    OverrideUnknown => "override-unknown",
    /// The pairing overrides file does not parse.
    OverridesSyntax => "overrides-syntax",
    /// An item's text holds what looks like a page number left from the PDF.
    PageArtefact => "page-artefact",
    /// A paragraph continues an item's sentence (a page break in the source); it is joined to it.
    PageBreakParagraph => "page-break-paragraph",
    /// A part's letter appears twice.
    PartRepeated => "part-repeated",
    /// A sub-item continues an item's list as a separate paragraph; it is kept in the list.
    SplitList => "split-list",
    /// Text between the title page and the first section is kept with the title page.
    StrayText => "stray-text",
    /// A meeting's document symbol is malformed.
    SymbolMalformed => "symbol-malformed",
    /// A Part A meeting has no document symbol.
    SymbolMissing => "symbol-missing",
    /// A symbol names a year other than the meeting's.
    SymbolYear => "symbol-year",
    /// A paragraph after a sub-list is kept with the last sub-item.
    TextAfterList => "text-after-list",
    /// The table of contents lists something the body lacks.
    TocExtra => "toc-extra",
    /// A table of contents entry differs from its meeting's heading.
    TocMismatch => "toc-mismatch",
    /// A meeting is missing from the table of contents.
    TocMissing => "toc-missing",
    /// An item's text has unbalanced brackets or quotes.
    Unbalanced => "unbalanced",
    /// Years are out of order.
    YearOrder => "year-order",
}

impl Code {
    /// A finding about the table of contents.
    pub fn is_toc(self) -> bool {
        matches!(self, Code::TocExtra | Code::TocMismatch | Code::TocMissing)
    }

    /// A finding about a Word file as a file (its zip, its XML, its
    /// encryption, its size) rather than about the text in it.
    pub fn is_docx_file(self) -> bool {
        self.as_str().starts_with("docx-")
    }

    /// A refusal that means the input could not be read as text at all.
    pub fn is_unreadable(self) -> bool {
        matches!(self, Code::Binary | Code::Encoding) || self.is_docx_file()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding, located by 1-based line number where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of finding it is.
    pub code: Code,
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// Where it is in a Word document, which has no lines: set when the
    /// document was read from a .docx, and shown instead of the line.
    pub place: Option<Place>,
    /// The item (or meeting) it concerns, named as in the draft
    /// (`<meeting key>#<label>`, `<meeting key>#o<n>`), where known.
    pub item: Option<Box<str>>,
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
    pub fn error(code: Code, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            line,
            message: message.into(),
            hint: None,
            place: None,
            item: None,
        }
    }

    pub fn warning(code: Code, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            line,
            message: message.into(),
            hint: None,
            place: None,
            item: None,
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

    /// docs/reference/findings.md lists every code with its meaning, in
    /// the order declared, and nothing else.
    #[test]
    fn the_findings_reference_lists_every_code() {
        let doc = include_str!("../docs/reference/findings.md");
        let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
        let expected: Vec<String> = Code::ALL
            .iter()
            .map(|c| format!("| `{c}` | {} |", c.meaning()))
            .collect();
        assert_eq!(rows, expected);
        let names: std::collections::BTreeSet<&str> =
            Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len(), "a name is used twice");
    }
}
