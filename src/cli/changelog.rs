//! `livedoc changelog`: the compilation's own change history.

use std::io::Write;

use livedoc::history;
use livedoc::render::{json, markdown};

use super::format::Format;
use super::{CliError, Ctx, exit};

/// The compilation's own change history, newest first.
///
/// One section per edition, with what it added, changed and removed per
/// meeting (this is the compilation's history, not the software's).
///
/// Examples:
///   livedoc changelog > CHANGES-OF-THE-COMPILATION.md
///   livedoc changelog --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// How to print it: markdown (for the compilation), text (the same,
    /// which reads as text), or json.
    #[arg(long, value_parser = Format::only(&[Format::Markdown, Format::Text, Format::Json]), default_value = "markdown")]
    format: Format,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let reports = history::changelog(&store)?;
    match args.format {
        Format::Markdown | Format::Text => markdown::diff::changelog(&reports, out)?,
        Format::Json => json::write(&json::changelog_view(&reports), out)?,
        other => return Err(other.unsupported("changelog")),
    }
    Ok(exit::SUCCESS)
}
