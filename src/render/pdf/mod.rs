//! PDF: an edition typeset in the compilation's layout (issue 31): a
//! title page, a table of contents with page numbers and links, the front
//! matter, Part A and Part B each from a new page, years and meetings as
//! headings with each meeting's symbol linked to its report, labelled
//! recommendations and numbered observations with their (a)–(g) lists,
//! page numbers and a running header; and a redline of two editions in
//! the same layout ([`render_redline`]).
//!
//! Typeset by typst, embedded: a fixed template is given the document as
//! data, a JSON file that a minimal [`World`] serves beside it, with
//! every text already split into runs from its Markdown. No text of the
//! document is ever written into markup, so nothing in it can act as
//! typst code. There are two templates, each with its own data:
//! `edition.typ` over [`view::EditionView`] (`/edition.json`), and
//! `redline.typ` over [`redline_view::RedlineView`] (`/redline.json`),
//! which lays out a [`Redline`]: a summary page, then edition B with its
//! runs marked, a change bar beside each changed paragraph and notes in a
//! wider right margin. Both import `common.typ` (page, type, headings,
//! runs and how a mark looks). Two templates rather than one generalised:
//! an edition is a tree of parts, years and meetings, a redline a flat
//! run of paragraphs (the Word export's) with ranges over them, and one
//! template over both would test the kind of data at every turn, while
//! what they truly share (every style) is one file either way.
//!
//! The PDF is tagged (its structure readable by assistive technology),
//! declares its language and title, embeds its fonts (typst's bundled
//! ones, subset) and keeps its text selectable, a redline's deleted text
//! too. The same input gives the same bytes: no creation date is written
//! and the document id is derived from the edition's id (a redline's,
//! from the two editions' names).

pub mod redline_view;
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

use crate::diff::EditionDiff;
use crate::model::Edition;

use super::redline::Redline;

pub use redline_view::RedlineView;
pub use view::EditionView;

/// A template, committed beside this file, and where it finds its data.
struct Template {
    path: &'static str,
    text: &'static str,
    data: &'static str,
}

/// An edition's layout.
const EDITION: Template = Template {
    path: "/edition.typ",
    text: include_str!("edition.typ"),
    data: "/edition.json",
};

/// A redline's: the edition's, with the changes marked and a summary.
const REDLINE: Template = Template {
    path: "/redline.typ",
    text: include_str!("redline.typ"),
    data: "/redline.json",
};

/// What both layouts share, which each imports.
const COMMON: Template = Template {
    path: "/common.typ",
    text: include_str!("common.typ"),
    data: "",
};

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
    // A stable id: the edition's, so the same edition gives the same
    // bytes (typst keeps only a hash of it).
    typeset(
        &EDITION,
        serde_json::to_vec(&view)?,
        format!("livedoc/{}", edition.id),
    )
}

/// Writes a redline as a PDF: a first page summing up `report` (the diff
/// the redline was built from) by meeting, then the newer edition in the
/// compilation's layout with every change marked: inserted text
/// underlined, deleted text struck through (each in its colour too), a
/// bar in the margin beside every changed paragraph, and the statuses of
/// meetings and items and the redline's notes in the margin.
pub fn render_redline(
    redline: &Redline,
    report: &EditionDiff,
    out: &mut dyn Write,
) -> Result<(), PdfError> {
    let bytes = redline_bytes(redline, report)?;
    out.write_all(&bytes)?;
    Ok(())
}

/// A redline as PDF bytes: the same comparison gives the same bytes.
pub fn redline_bytes(redline: &Redline, report: &EditionDiff) -> Result<Vec<u8>, PdfError> {
    let view = RedlineView::new(redline, report);
    typeset(
        &REDLINE,
        serde_json::to_vec(&view)?,
        format!("livedoc/redline/{}/{}", report.from.name, report.to.name),
    )
}

/// Typesets `template` over `data` as PDF bytes, with `ident` as the
/// document's id.
fn typeset(template: &Template, data: Vec<u8>, ident: String) -> Result<Vec<u8>, PdfError> {
    let world = TemplateWorld::new(template, data);
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| PdfError::Typeset(diagnostics(&world, &errors)))?;
    let pdf_options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("livedoc".to_string())),
        // No creation date: it would change the bytes of every run.
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &pdf_options)
        .map_err(|errors| PdfError::Export(diagnostics(&world, &errors)))?;
    // Forget what this compilation memoised: a long-lived caller would
    // otherwise keep every document it typeset.
    typst::comemo::evict(0);
    Ok(bytes)
}

/// Typst's errors as one message: each with its place in a template
/// (line and column) or in the data's JSON (byte), and its hints.
fn diagnostics(world: &TemplateWorld, errors: &[SourceDiagnostic]) -> String {
    let mut out = Vec::new();
    for e in errors.iter().filter(|e| e.severity == Severity::Error) {
        let mut msg = e.message.to_string();
        let source = e
            .span
            .id()
            .and_then(|id| world.sources.iter().find(|(s, _)| s.id() == id));
        match (source, e.span.id(), world.range(e.span)) {
            (Some((src, path)), _, Some(range)) => {
                let (line, col) = line_col(src.text(), range.start);
                msg = format!("{path}:{line}:{col}: {msg}");
            }
            (None, Some(id), Some(range)) if id == world.data_id => {
                msg = format!("{}, byte {}: {msg}", world.data_path, range.start);
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

/// What typst may read: a template and the file it imports, its data as
/// JSON, the bundled fonts. No file system, no packages, no clock.
struct TemplateWorld {
    /// The template (first) and the common file, with their paths.
    sources: Vec<(Source, &'static str)>,
    data_id: FileId,
    data_path: &'static str,
    data: Bytes,
}

impl TemplateWorld {
    fn new(template: &Template, json: Vec<u8>) -> TemplateWorld {
        let id = |path: &str| match VirtualPath::new(path) {
            Ok(vpath) => RootedPath::new(VirtualRoot::Project, vpath).intern(),
            // Every path is a constant that parses; a detached id still
            // compiles (and fails with a message) if one did not.
            Err(_) => Source::detached("").id(),
        };
        TemplateWorld {
            sources: [template, &COMMON]
                .into_iter()
                .map(|t| (Source::new(id(t.path), t.text.to_string()), t.path))
                .collect(),
            data_id: id(template.data),
            data_path: template.data,
            data: Bytes::new(json),
        }
    }

    fn find(&self, id: FileId) -> Option<&Source> {
        self.sources.iter().map(|(s, _)| s).find(|s| s.id() == id)
    }
}

impl World for TemplateWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.sources[0].0.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.find(id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            self.find(id)
                .map(|s| Bytes::from_string(s.clone()))
                .ok_or_else(|| not_found(id))
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
        let world = TemplateWorld::new(&EDITION, b"{}".to_vec());
        let errors = match typst::compile::<PagedDocument>(&world).output {
            Ok(_) => panic!("the template needs the edition's fields"),
            Err(errors) => errors,
        };
        let msg = diagnostics(&world, &errors);
        assert!(msg.starts_with("/edition.typ:"), "{msg}");
        assert!(msg.contains("does not contain key"), "{msg}");
    }

    /// The redline of `a` → `b` and the diff it is built from.
    fn redline_of(a: &Edition, b: &Edition) -> (Redline, EditionDiff) {
        let d = crate::diff::compare(
            a,
            b,
            &crate::diff::Pairing::by_rules(),
            crate::diff::Sides::named(a, b),
        );
        let options = crate::render::redline::RedlineOptions {
            documents_url: crate::render::DOCUMENTS_URL.to_string(),
            author: "Test Secretariat".into(),
            date: "2024-04-24T23:06:40Z".into(),
        };
        (
            Redline::build(Some(a), &d.edition, &d.report, &options),
            d.report,
        )
    }

    /// The real edition with an observation of its second dialogue
    /// removed and a recommendation reworded.
    fn revised(e: &Edition) -> Edition {
        let mut b = e.clone();
        b.parts[1].meetings[1].items.remove(1);
        let rec = &mut b.parts[0].meetings[0].items[0];
        rec.text = rec.text.replacen("are urged", "are strongly urged", 1);
        b
    }

    #[test]
    fn a_redline_typesets_the_same_bytes_twice() {
        let a = real();
        let b = revised(&a);
        let (r, d) = redline_of(&a, &b);
        let once = redline_bytes(&r, &d).unwrap_or_else(|err| panic!("{err}"));
        assert!(once.starts_with(b"%PDF-"));
        let again = redline_bytes(&r, &d).unwrap_or_else(|err| panic!("{err}"));
        assert!(once == again, "two runs gave different bytes");
    }

    #[test]
    fn the_redline_view_renumbers_marks_and_notes() {
        use redline_view::{MarkName, MarkedRun, Node};
        /// A number's runs: each text and its mark.
        type Marker = Vec<(String, MarkName)>;
        let a = real();
        let b = revised(&a);
        let (r, d) = redline_of(&a, &b);
        let v = RedlineView::new(&r, &d);
        assert_eq!(
            v.summary.editions,
            "2024-04 (April 2024) → 2024-04 (April 2024)"
        );
        assert_eq!(v.since, "changes since 2024-04");
        let names: Vec<&str> = v
            .summary
            .parts
            .iter()
            .flat_map(|p| p.meetings.iter().map(|m| m.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                "Working Group on Trafficking in Persons (CTOC/COP/WG.4/2022/4)",
                "Constructive Dialogue on International Cooperation (Summary by the Chair)"
            ]
        );
        // Each changed meeting is pointed to, where its heading is.
        assert!(
            v.summary
                .parts
                .iter()
                .flat_map(|p| &p.meetings)
                .all(|m| m.anchor.is_some())
        );
        // The observations of the dialogue: the second removed, the later
        // ones numbered again, each number marked where it changed.
        let numbered: Vec<(Marker, Vec<String>)> = v
            .body
            .iter()
            .filter_map(|n| match n {
                Node::Numbered { marker, nodes } => Some((marker, nodes)),
                _ => None,
            })
            .skip(4)
            .take(4)
            .map(|(marker, nodes)| {
                let marker = marker
                    .iter()
                    .map(|m| match m {
                        MarkedRun::Text { text, mark, .. } => (text.clone(), *mark),
                        MarkedRun::Break { mark } => ("\n".into(), *mark),
                    })
                    .collect();
                let notes = match &nodes[0] {
                    Node::Par { common, .. } => common.notes.clone(),
                    _ => Vec::new(),
                };
                (marker, notes)
            })
            .collect();
        let m = |t: &str, mark| (t.to_string(), mark);
        assert_eq!(
            numbered,
            [
                (vec![m("1.", MarkName::Kept)], vec![]),
                (
                    vec![m("2.", MarkName::Deleted)],
                    vec!["removed".to_string()]
                ),
                (
                    vec![m("3.", MarkName::Deleted), m("2.", MarkName::Inserted)],
                    vec![]
                ),
                (
                    vec![m("4.", MarkName::Deleted), m("3.", MarkName::Inserted)],
                    vec![]
                ),
            ]
        );
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

        /// Markup in any text a redline marks, deleted or inserted, in a
        /// heading, an item or a note, typesets as text.
        #[test]
        fn any_redline_typesets(
            a in crate::testgen::edition(),
            text in "[#$*_@<>\\[\\]{}()=/\\\\`~\"' a-z.-]{0,60}",
        ) {
            let mut b = a.clone();
            for m in b.parts.iter_mut().flat_map(|p| p.meetings.iter_mut()) {
                m.body = format!("{} {text}", m.body);
                if m.items.len() > 1 {
                    m.items.remove(0);
                }
                for item in &mut m.items {
                    item.text = format!("{text} {}", item.text);
                }
            }
            let (r, d) = redline_of(&a, &b);
            let bytes = redline_bytes(&r, &d)
                .map_err(|err| TestCaseError::fail(err.to_string()))?;
            prop_assert!(bytes.starts_with(b"%PDF-"));
        }
    }
}
