//! `livedoc check`: what to fix in a draft before it becomes an edition.

use std::io::Write;
use std::path::PathBuf;

use livedoc::parse::check;
use livedoc::render::{json, text::check as render};

use super::format::FormatArgs;
use super::{CliError, Ctx, exit};

/// Check a draft before it becomes an edition.
///
/// A draft is Markdown (.md) or Word (.docx), read alike: Word headings,
/// lists and their numbering, links and the table of contents as the
/// structure they stand for. Errors would stop its import; warnings are
/// worth a look. Each finding has its file:line (in a .docx, its
/// paragraph and the heading it is under) and a hint.
///
/// Exits 0 when there is no error (1 with --strict when there are
/// warnings), 1 when there are errors, 2 when the file cannot be read.
///
/// Examples:
///   livedoc check editions/2025-03.md
///   livedoc check draft.docx --strict --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The draft: a Markdown (.md) or Word (.docx) file.
    file: PathBuf,
    /// Treat warnings as failures (exit 1).
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let bytes = super::source::read_input(&args.file)?;
    // The pairing overrides beside the draft (`DRAFT.pairs.toml`) are read
    // as import will read them: one that does not parse stops the check
    // as it would stop the import.
    if !super::source::is_stdin(&args.file) {
        super::source::read_overrides(&args.file, None)?;
    }
    let report = check::check(&bytes, &super::source::display(&args.file));
    args.format.print(
        out,
        |w| render::check(&report, ctx.palette, w),
        || json::check_view(&report),
    )?;
    Ok(if !report.readable {
        exit::ERROR
    } else if report.errors() > 0 || (args.strict && report.warnings() > 0) {
        exit::FOUND
    } else {
        exit::SUCCESS
    })
}
