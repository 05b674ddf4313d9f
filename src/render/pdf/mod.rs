//! PDF: an edition typeset in the compilation's layout (issue 31): a
//! title page, a table of contents with page numbers and links, the front
//! matter, Part A and Part B each from a new page, years and meetings as
//! headings with each meeting's symbol linked to its report, labelled
//! recommendations and numbered observations with their (a)–(g) lists,
//! page numbers and a running header.
//!
//! Typeset by typst, embedded: a fixed template (`edition.typ`) is given
//! the edition as data, a JSON file ([`view::EditionView`]) that a
//! minimal [`World`] serves beside it, with every text already split into
//! runs from its Markdown. No text of the document is ever written into
//! markup, so nothing in it can act as typst code.
//!
//! The PDF is tagged (its structure readable by assistive technology),
//! declares its language and title, embeds its fonts (typst's bundled
//! ones, subset) and keeps its text selectable. The same edition gives
//! the same bytes: no creation date is written and the document id is
//! derived from the edition's id.

pub mod view;

use std::io::{self, Write};
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use crate::model::Edition;

pub use view::EditionView;

/// The template, committed beside this file.
const TEMPLATE: &str = include_str!("edition.typ");
/// Where the template finds the edition.
const DATA_PATH: &str = "/edition.json";
const MAIN_PATH: &str = "/edition.typ";

/// How the PDF is written.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Where an official UN document is found by its symbol: a meeting's
    /// symbol links to this URL followed by the symbol.
    pub documents_url: String,
}

impl Default for PdfOptions {
    fn default() -> PdfOptions {
        PdfOptions {
            documents_url: super::DOCUMENTS_URL.to_string(),
        }
    }
}

/// Why no PDF was written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The edition could not be handed to the template.
    #[error("cannot hand the edition to the PDF template: {0}")]
    Data(#[from] serde_json::Error),
    /// The template failed on this edition: typst's diagnostics.
    #[error("cannot typeset the edition as a PDF: {0}")]
    Typeset(String),
    /// The typeset pages could not be written as a PDF.
    #[error("cannot write the typeset edition as a PDF: {0}")]
    Export(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Writes the edition as a PDF.
pub fn render(
    edition: &Edition,
    options: &PdfOptions,
    out: &mut dyn Write,
) -> Result<(), PdfError> {
    let bytes = pdf_bytes(edition, options)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// The edition as PDF bytes.
pub fn pdf_bytes(edition: &Edition, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let view = EditionView::new(edition, &options.documents_url);
    let world = EditionWorld::new(serde_json::to_vec(&view)?);
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| PdfError::Typeset(diagnostics(&world, &errors)))?;
    let pdf_options = typst_pdf::PdfOptions {
        // A stable id: the edition's, so the same edition gives the same
        // bytes (typst keeps only a hash of it).
        ident: Smart::Custom(format!("livedoc/{}", edition.id)),
        creator: Smart::Custom(Some("livedoc".to_string())),
        // No creation date: it would change the bytes of every run.
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &pdf_options)
        .map_err(|errors| PdfError::Export(diagnostics(&world, &errors)))?;
    // Forget what this compilation memoised: a long-lived caller would
    // otherwise keep every edition it typeset.
    typst::comemo::evict(0);
    Ok(bytes)
}

/// Typst's errors as one message: each with its place in the template
/// (line and column) or in the edition's JSON (byte), and its hints.
fn diagnostics(world: &EditionWorld, errors: &[SourceDiagnostic]) -> String {
    let mut out = Vec::new();
    for e in errors.iter().filter(|e| e.severity == Severity::Error) {
        let mut msg = e.message.to_string();
        match (e.span.id(), world.range(e.span)) {
            (Some(id), Some(range)) if id == world.main.id() => {
                let (line, col) = line_col(TEMPLATE, range.start);
                msg = format!("{MAIN_PATH}:{line}:{col}: {msg}");
            }
            (Some(id), Some(range)) if id == world.data_id => {
                msg = format!("{DATA_PATH}, byte {}: {msg}", range.start);
            }
            _ => {}
        }
        for hint in &e.hints {
            msg.push_str(&format!(" (hint: {})", hint.v));
        }
        out.push(msg);
    }
    if out.is_empty() {
        "typst gave no reason".to_string()
    } else {
        out.join("; ")
    }
}

/// The line and column (from 1) of a byte offset in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// typst's bundled fonts, read once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// The standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// What typst may read: the template, the edition as JSON, the bundled
/// fonts. No file system, no packages, no clock.
struct EditionWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl EditionWorld {
    fn new(json: Vec<u8>) -> EditionWorld {
        let id = |path: &str| match VirtualPath::new(path) {
            Ok(vpath) => RootedPath::new(VirtualRoot::Project, vpath).intern(),
            // Both paths are constants that parse; a detached id still
            // compiles (and fails with a message) if they did not.
            Err(_) => Source::detached("").id(),
        };
        EditionWorld {
            main: Source::new(id(MAIN_PATH), TEMPLATE.to_string()),
            data_id: id(DATA_PATH),
            data: Bytes::new(json),
        }
    }
}

impl World for EditionWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    /// No clock: the PDF never depends on when it was made.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ids::EditionId;
    use crate::parse::{self, ParseOptions};

    fn real() -> Edition {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md");
        let bytes = std::fs::read(path).expect("the real edition");
        let opts = ParseOptions {
            id: EditionId::new("2024-04").expect("valid id"),
            date: None,
            rules: Default::default(),
        };
        parse::parse(&bytes, path, &opts).expect("imports").edition
    }

    #[test]
    fn the_real_edition_typesets_the_same_bytes_twice() {
        let e = real();
        let a = pdf_bytes(&e, &PdfOptions::default()).unwrap_or_else(|err| panic!("{err}"));
        assert!(a.starts_with(b"%PDF-"));
        let b = pdf_bytes(&e, &PdfOptions::default()).unwrap_or_else(|err| panic!("{err}"));
        assert!(a == b, "two runs gave different bytes");
    }

    #[test]
    fn the_view_numbers_observations_and_names_labels() {
        let e = real();
        let v = EditionView::new(&e, "https://documents.example.org/");
        let a = &v.parts[0].years[0].meetings[0];
        assert_eq!(a.toc, "2022: Working Group on Trafficking in Persons");
        assert_eq!(a.items[0].label.as_deref(), Some("Recommendation 14"));
        assert_eq!(
            a.refs[0].link.as_deref(),
            Some("https://documents.example.org/CTOC/COP/WG.4/2022/4")
        );
        let b = &v.parts[1].years[0].meetings[2];
        let numbers: Vec<Option<usize>> = b.items.iter().map(|i| i.number).collect();
        assert_eq!(numbers, [Some(1), Some(2), Some(3), Some(4), Some(5)]);
        let markers: Vec<&str> = b.items[0]
            .subitems
            .iter()
            .map(|s| s.marker.as_str())
            .collect();
        assert_eq!(markers, ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"]);
        // A source without an address links nowhere.
        assert_eq!(b.refs[0].link, None);
    }

    #[test]
    fn a_template_error_is_a_message_with_its_place() {
        let world = EditionWorld::new(b"{}".to_vec());
        let errors = match typst::compile::<PagedDocument>(&world).output {
            Ok(_) => panic!("the template needs the edition's fields"),
            Err(errors) => errors,
        };
        let msg = diagnostics(&world, &errors);
        assert!(msg.starts_with("/edition.typ:"), "{msg}");
        assert!(msg.contains("does not contain key"), "{msg}");
    }

    proptest! {
        // Each case typesets a whole document: a few suffice to meet
        // markup in every place a text goes.
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn any_text_typesets(
            mut e in crate::testgen::edition(),
            text in "[#$*_@<>\\[\\]{}()=/\\\\`~\"' a-z.-]{0,60}",
            title in "\\PC{0,40}",
        ) {
            e.title = title;
            for m in e.parts.iter_mut().flat_map(|p| p.meetings.iter_mut()) {
                m.body = text.clone();
                for item in &mut m.items {
                    item.text = text.clone();
                }
            }
            let bytes = pdf_bytes(&e, &PdfOptions::default())
                .map_err(|err| TestCaseError::fail(err.to_string()))?;
            prop_assert!(bytes.starts_with(b"%PDF-"));
        }
    }
}
