//! `livedoc show`: one edition as an outline, as Markdown or as JSON.

use std::io::Write;

use livedoc::ids::EditionSpec;
use livedoc::render::{json, markdown, text};

use super::{CliError, Ctx, edition_spec, exit};

/// Show one edition.
///
/// `markdown` regenerates the document in the compilation's layout, table
/// of contents included; `json` is the versioned view model scripts use.
///
/// Example: livedoc show latest~1 --format markdown > previous.md
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// An edition id, `latest` or `latest~N`.
    #[arg(value_parser = edition_spec)]
    edition: EditionSpec,
    /// How to print the edition: text (an outline), markdown (the document again) or json.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let info = store.resolve(&args.edition)?;
    let edition = store.load(&info)?;
    match args.format {
        Format::Text => text::show(&edition, Some(&info), ctx.palette, out)?,
        Format::Markdown => markdown::render(&edition, out)?,
        Format::Json => json::write(&json::show_view(&edition, Some(&info)), out)?,
    }
    Ok(exit::SUCCESS)
}
