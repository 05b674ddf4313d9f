//! `livedoc show`: one edition as an outline, as Markdown, as JSON, as a
//! Word document, as a PDF or as Akoma Ntoso XML.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;
use std::path::PathBuf;

use livedoc::ids::EditionSpec;
use livedoc::render::{akn, docx, json, markdown, pdf, text};

use super::format::{Format, document, refuse_on_terminal, write_out};
use super::{CliError, Ctx, edition_spec, exit};

/// Show one edition.
///
/// `markdown` regenerates the document in the compilation's layout, table
/// of contents included; `json` is the versioned view model scripts use;
/// `docx` writes it as a Word document in the compilation's layout, to
/// edit in Word and import again; `pdf` typesets it in the compilation's
/// layout (title page, contents with page numbers, Part A and Part B),
/// tagged, with its fonts embedded, the same bytes for the same edition;
/// `akn` writes it as Akoma Ntoso 3.0 XML (OASIS LegalDocML), each item
/// with its current label as its eId and its permanent id as its wId.
///
/// Example: livedoc show latest~1 --format markdown > previous.md
///          livedoc show latest --format docx --out edition.docx
///          livedoc show latest --format pdf --out edition.pdf
///          livedoc show latest --format akn --out edition.xml
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// An edition id, `latest` or `latest~N`.
    #[arg(value_parser = edition_spec, add = ArgValueCompleter::new(super::completions::editions))]
    edition: EditionSpec,
    /// How to print the edition: text (an outline), markdown (the document again), json, docx (a Word document), pdf (typeset), or akn (Akoma Ntoso XML).
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Markdown, Format::Json, Format::Docx, Format::Pdf, Format::Akn]), default_value = "text")]
    format: Format,
    /// Write to this file instead of standard output (replaced whole, never left half-written).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Where an official UN document is found by its symbol: in a Word
    /// document, a PDF or Akoma Ntoso, a meeting's symbol links to URL
    /// followed by the symbol.
    #[arg(long, value_name = "URL", default_value = livedoc::render::DOCUMENTS_URL)]
    documents_url: String,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    refuse_on_terminal(args.format, args.out.as_deref(), "livedoc show EDITION")?;
    let store = ctx.open_store()?;
    let info = store.resolve(&args.edition)?;
    let edition = store.load(&info)?;
    let palette = if args.out.is_some() {
        livedoc::render::text::Palette { enabled: false }
    } else {
        ctx.palette
    };
    let write = |w: &mut dyn Write| -> Result<(), CliError> {
        match args.format {
            Format::Text => text::show(&edition, Some(&info), palette, w)?,
            Format::Markdown => markdown::render(&edition, w)?,
            Format::Json => json::write(&json::show_view(&edition, Some(&info)), w)?,
            Format::Docx => docx::render_with(
                &edition,
                &docx::DocxOptions {
                    documents_url: args.documents_url.clone(),
                },
                w,
            )?,
            Format::Pdf => pdf::render(
                &edition,
                &pdf::PdfOptions {
                    documents_url: args.documents_url.clone(),
                },
                w,
            )
            .map_err(|e| match e {
                pdf::PdfError::Io(e) => CliError::Io(e),
                other => CliError::Pdf(other),
            })?,
            Format::Akn => akn::render(
                &edition,
                Some(&info),
                &akn::AknOptions {
                    documents_url: args.documents_url.clone(),
                },
                w,
            )?,
            other => return Err(other.unsupported("show")),
        }
        Ok(())
    };
    write_out(
        ctx,
        args.out.as_deref(),
        document(args.format).is_some(),
        out,
        write,
    )?;
    Ok(exit::SUCCESS)
}
