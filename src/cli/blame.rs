//! `livedoc blame`: where each item of an edition came from.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use livedoc::history::blame;
use livedoc::ids::EditionSpec;
use livedoc::render::{json, markdown, text::history as render};

use super::format::Format;
use super::{CliError, Ctx, edition_spec, exit};

/// For every item of an edition, the edition that introduced it and the
/// edition that last changed it.
///
/// Examples:
///   livedoc blame
///   livedoc blame 2024-04 --format markdown > blame.md
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The edition [default: latest].
    #[arg(value_parser = edition_spec, add = ArgValueCompleter::new(super::completions::editions))]
    edition: Option<EditionSpec>,
    /// How to print it: text, markdown (one table per meeting) or json.
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Json, Format::Markdown]), default_value = "text")]
    format: Format,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let b = blame::blame(&store, &args.edition.unwrap_or(EditionSpec::Latest(0)))?;
    match args.format {
        Format::Text => render::blame(&b, ctx.palette, out)?,
        Format::Json => json::write(&json::blame_view(&b), out)?,
        Format::Markdown => markdown::blame::blame(&b, out)?,
        other => return Err(other.unsupported("blame")),
    }
    Ok(exit::SUCCESS)
}
