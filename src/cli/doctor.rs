//! `livedoc doctor`: complete what an interrupted import left half done.

use std::io::Write;

use livedoc::render::{history as render, json};

use super::{CliError, Ctx, exit};

/// Complete what an interrupted import left half done.
///
/// It never removes or moves published data.
/// A crash during `import` can leave an edition on the branch without its
/// tag or ledger entry, a ledger entry without its tag ref, or the lock of
/// a process that is gone. The doctor re-creates the tag (unsigned) and
/// the ledger entry, restores the tag ref from the ledger, removes the
/// abandoned lock, and says what it did. Anything else verify finds is
/// reported and left alone. Running it again does nothing.
///
/// Exits 0 when the store is whole afterwards, 1 when violations remain,
/// 2 when it cannot run.
///
/// Examples:
///   livedoc doctor
///   livedoc doctor --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// How to print what was done: text, or json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let report = livedoc::doctor::doctor(&store)?;
    match args.format {
        Format::Text => render::doctor(&report, ctx.palette, out)?,
        Format::Json => json::write(&json::doctor_view(&report), out)?,
    }
    Ok(if report.ok() {
        exit::SUCCESS
    } else {
        exit::FOUND
    })
}
